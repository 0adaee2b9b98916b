// RUN: %mcc-opt --mcc-lower-onnx-to-linalg %s -split-input-file | FileCheck %s

// Same-shape operands: identity maps everywhere.
// CHECK-DAG: #[[$ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @add_same
// CHECK-SAME: (%[[A:.*]]: tensor<2x3xf32>, %[[B:.*]]: tensor<2x3xf32>)
// CHECK: %[[INIT:.*]] = tensor.empty() : tensor<2x3xf32>
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[$ID2]], #[[$ID2]], #[[$ID2]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: ins(%[[A]], %[[B]] : tensor<2x3xf32>, tensor<2x3xf32>) outs(%[[INIT]] : tensor<2x3xf32>)
// CHECK: ^bb0(%[[X:.*]]: f32, %[[Y:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[S:.*]] = arith.addf %[[X]], %[[Y]] : f32
// CHECK-NEXT: linalg.yield %[[S]] : f32
// CHECK: return %[[R]]
func.func @add_same(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = onnx.Add %a, %b : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Lower rank operand aligned with the trailing loops; its size-1 dim that stretches reads index 0.
// CHECK-DAG: #[[$ID3:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[$BC:.*]] = affine_map<(d0, d1, d2) -> (d1, 0)>
// CHECK-LABEL: func.func @sub_broadcast
// CHECK: linalg.generic {indexing_maps = [#[[$ID3]], #[[$BC]], #[[$ID3]]], iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK: arith.subf
func.func @sub_broadcast(%a: tensor<2x3x4xf32>, %b: tensor<3x1xf32>) -> tensor<2x3x4xf32> {
  %0 = onnx.Sub %a, %b : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// Both operands stretch (outer product shape).
// CHECK-DAG: #[[$COL:.*]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-DAG: #[[$ROW:.*]] = affine_map<(d0, d1) -> (0, d1)>
// CHECK-DAG: #[[$OUT:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @mul_both_stretch
// CHECK: linalg.generic {indexing_maps = [#[[$COL]], #[[$ROW]], #[[$OUT]]]
// CHECK: arith.mulf
func.func @mul_both_stretch(%a: tensor<2x1xf32>, %b: tensor<1x3xf32>) -> tensor<2x3xf32> {
  %0 = onnx.Mul %a, %b : (tensor<2x1xf32>, tensor<1x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// A rank-0 operand reads no loop dims.
// CHECK-DAG: #[[$SCALAR:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @add_scalar
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[$SCALAR]], #{{.*}}]
// CHECK-SAME: ins(%{{.*}}, %{{.*}} : tensor<2x3xf32>, tensor<f32>)
func.func @add_scalar(%a: tensor<2x3xf32>, %b: tensor<f32>) -> tensor<2x3xf32> {
  %0 = onnx.Add %a, %b : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Float division is divf; signed integer division truncates (divsi) by a divisor that cannot trap:
// 0 and -1 divide by 1 and are fixed up after (x / 0 is 0, x / -1 is -x).
// CHECK-LABEL: func.func @div_f32
// CHECK: arith.divf
// CHECK-LABEL: func.func @div_i32
// CHECK: ^bb0(%[[X:.*]]: i32, %[[Y:.*]]: i32, %{{.*}}: i32):
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0 : i32
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1 : i32
// CHECK: %[[Y0:.*]] = arith.cmpi eq, %[[Y]], %[[ZERO]] : i32
// CHECK: %[[M1:.*]] = arith.constant -1 : i32
// CHECK: %[[YM1:.*]] = arith.cmpi eq, %[[Y]], %[[M1]] : i32
// CHECK: %[[BAD:.*]] = arith.ori %[[Y0]], %[[YM1]] : i1
// CHECK: %[[D:.*]] = arith.select %[[BAD]], %[[ONE]], %[[Y]] : i32
// CHECK: %[[Q:.*]] = arith.divsi %[[X]], %[[D]] : i32
// CHECK: %[[NEG:.*]] = arith.subi %[[ZERO]], %[[X]] : i32
// CHECK: %[[Q1:.*]] = arith.select %[[YM1]], %[[NEG]], %[[Q]] : i32
// CHECK: %[[Q2:.*]] = arith.select %[[Y0]], %[[ZERO]], %[[Q1]] : i32
// CHECK: linalg.yield %[[Q2]]
// CHECK-LABEL: func.func @add_i64
// CHECK: arith.addi
func.func @div_f32(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %0 = onnx.Div %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
func.func @div_i32(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi32> {
  %0 = onnx.Div %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}
func.func @add_i64(%a: tensor<4xi64>, %b: tensor<4xi64>) -> tensor<4xi64> {
  %0 = onnx.Add %a, %b : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  return %0 : tensor<4xi64>
}

// -----

// Relu on floats is compare-and-select (NaN stays NaN); on integers a signed max.
// CHECK-LABEL: func.func @relu
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[GT:.*]] = arith.cmpf ugt, %[[X]], %[[ZERO]] : f32
// CHECK: %[[SEL:.*]] = arith.select %[[GT]], %[[X]], %[[ZERO]] : f32
// CHECK: linalg.yield %[[SEL]]
// CHECK-LABEL: func.func @relu_i32
// CHECK: arith.maxsi
func.func @relu(%x: tensor<8xf32>) -> tensor<8xf32> {
  %0 = onnx.Relu %x : (tensor<8xf32>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}
func.func @relu_i32(%x: tensor<8xi32>) -> tensor<8xi32> {
  %0 = onnx.Relu %x : (tensor<8xi32>) -> tensor<8xi32>
  return %0 : tensor<8xi32>
}

// -----

// CHECK-LABEL: func.func @sigmoid
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: %[[NEG:.*]] = arith.negf %[[X]]
// CHECK: %[[E:.*]] = math.exp %[[NEG]]
// CHECK: %[[DEN:.*]] = arith.addf %[[ONE]], %[[E]]
// CHECK: %[[R:.*]] = arith.divf %[[ONE]], %[[DEN]]
// CHECK: linalg.yield %[[R]]
// CHECK-LABEL: func.func @tanh
// CHECK: math.tanh
func.func @sigmoid(%x: tensor<8xf32>) -> tensor<8xf32> {
  %0 = onnx.Sigmoid %x : (tensor<8xf32>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}
func.func @tanh(%x: tensor<8xf32>) -> tensor<8xf32> {
  %0 = onnx.Tanh %x : (tensor<8xf32>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// Bounds are read once outside the loop; clamping is compare-and-select.
// CHECK-LABEL: func.func @clip
// CHECK-SAME: (%[[X:.*]]: tensor<8xf32>, %[[LO:.*]]: tensor<f32>, %[[HI:.*]]: tensor<f32>)
// CHECK-DAG: %[[L:.*]] = tensor.extract %[[LO]][] : tensor<f32>
// CHECK-DAG: %[[H:.*]] = tensor.extract %[[HI]][] : tensor<f32>
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[X]] : tensor<8xf32>)
// CHECK: ^bb0(%[[V:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[LT:.*]] = arith.cmpf olt, %[[V]], %[[L]] : f32
// CHECK: %[[V1:.*]] = arith.select %[[LT]], %[[L]], %[[V]] : f32
// CHECK: %[[GT:.*]] = arith.cmpf ogt, %[[V1]], %[[H]] : f32
// CHECK: %[[V2:.*]] = arith.select %[[GT]], %[[H]], %[[V1]] : f32
// CHECK: linalg.yield %[[V2]]
func.func @clip(%x: tensor<8xf32>, %lo: tensor<f32>, %hi: tensor<f32>) -> tensor<8xf32> {
  %0 = onnx.Clip %x, %lo, %hi : (tensor<8xf32>, tensor<f32>, tensor<f32>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// A 1-element bound is read at [0]; an omitted bound emits no compare.
// CHECK-LABEL: func.func @clip_min_only
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: tensor.extract %{{.*}}[%[[C0]]] : tensor<1xf32>
// CHECK: arith.cmpf olt
// CHECK-NOT: arith.cmpf
// CHECK: linalg.yield
// CHECK-NOT: onnx.
func.func @clip_min_only(%x: tensor<8xf32>, %lo: tensor<1xf32>) -> tensor<8xf32> {
  %none = onnx.NoValue
  %0 = onnx.Clip %x, %lo, %none : (tensor<8xf32>, tensor<1xf32>, none) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// CHECK-LABEL: func.func @clip_i32
// CHECK: arith.cmpi slt
// CHECK: arith.cmpi sgt
func.func @clip_i32(%x: tensor<8xi32>, %lo: tensor<i32>, %hi: tensor<i32>) -> tensor<8xi32> {
  %0 = onnx.Clip %x, %lo, %hi : (tensor<8xi32>, tensor<i32>, tensor<i32>) -> tensor<8xi32>
  return %0 : tensor<8xi32>
}

// -----

// Identity and inference-mode Dropout forward their input; the NoValue placeholders go away.
// CHECK-LABEL: func.func @identity
// CHECK-SAME: (%[[X:.*]]: tensor<8xf32>)
// CHECK-NEXT: return %[[X]]
// CHECK-LABEL: func.func @dropout
// CHECK-SAME: (%[[X:.*]]: tensor<8xf32>)
// CHECK-NOT: onnx.
// CHECK: return %[[X]]
func.func @identity(%x: tensor<8xf32>) -> tensor<8xf32> {
  %0 = onnx.Identity %x : (tensor<8xf32>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}
func.func @dropout(%x: tensor<8xf32>) -> tensor<8xf32> {
  %none = onnx.NoValue
  %0, %1 = onnx.Dropout %x, %none, %none : (tensor<8xf32>, none, none) -> (tensor<8xf32>, none)
  return %0 : tensor<8xf32>
}

// -----

// A constant-false training_mode is accepted; the mask output is all true.
// CHECK-LABEL: func.func @dropout_mask
// CHECK-SAME: (%[[X:.*]]: tensor<8xf32>)
// CHECK: %[[TRUE:.*]] = arith.constant true
// CHECK: %[[E:.*]] = tensor.empty() : tensor<8xi1>
// CHECK: %[[MASK:.*]] = linalg.fill ins(%[[TRUE]] : i1) outs(%[[E]] : tensor<8xi1>)
// CHECK: return %[[X]], %[[MASK]]
func.func @dropout_mask(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xi1>) {
  %none = onnx.NoValue
  %t = onnx.Constant dense<false> : tensor<i1> : tensor<i1>
  %0, %1 = onnx.Dropout %x, %none, %t : (tensor<8xf32>, none, tensor<i1>) -> (tensor<8xf32>, tensor<8xi1>)
  return %0, %1 : tensor<8xf32>, tensor<8xi1>
}
