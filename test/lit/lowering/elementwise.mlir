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

// -----

// f16 computes in f32 (libm has no half forms); Round is round-half-to-even.
// CHECK-LABEL: func.func @round_f16
// CHECK: ^bb0(%[[X:.*]]: f16, %{{.*}}: f16):
// CHECK-NEXT: %[[W:.*]] = arith.extf %[[X]] : f16 to f32
// CHECK-NEXT: %[[R:.*]] = math.roundeven %[[W]] : f32
// CHECK-NEXT: %[[N:.*]] = arith.truncf %[[R]] : f32 to f16
// CHECK-NEXT: linalg.yield %[[N]] : f16
func.func @round_f16(%x: tensor<4xf16>) -> tensor<4xf16> {
  %0 = onnx.Round %x : (tensor<4xf16>) -> tensor<4xf16>
  return %0 : tensor<4xf16>
}

// -----

// bf16 widens and rounds (to nearest even, NaN kept quiet) on the bits: libgcc has no bf16 helpers.
// CHECK-LABEL: func.func @exp_bf16
// CHECK: ^bb0(%[[X:.*]]: bf16, %{{.*}}: bf16):
// CHECK: %[[B:.*]] = arith.bitcast %[[X]] : bf16 to i16
// CHECK: %[[Z:.*]] = arith.extui %[[B]] : i16 to i32
// CHECK: %[[S:.*]] = arith.shli %[[Z]], %{{.*}} : i32
// CHECK: %[[F:.*]] = arith.bitcast %[[S]] : i32 to f32
// CHECK: %[[E:.*]] = math.exp %[[F]] : f32
// CHECK: %[[EB:.*]] = arith.bitcast %[[E]] : f32 to i32
// CHECK: arith.constant 32767 : i32
// CHECK: %[[NAN:.*]] = arith.cmpf uno, %[[E]], %[[E]] : f32
// CHECK: %[[SEL:.*]] = arith.select %[[NAN]]
// CHECK: %[[HI:.*]] = arith.shrui %[[SEL]], %{{.*}} : i32
// CHECK: %[[T:.*]] = arith.trunci %[[HI]] : i32 to i16
// CHECK: %[[R:.*]] = arith.bitcast %[[T]] : i16 to bf16
// CHECK: linalg.yield %[[R]] : bf16
func.func @exp_bf16(%x: tensor<4xbf16>) -> tensor<4xbf16> {
  %0 = onnx.Exp %x : (tensor<4xbf16>) -> tensor<4xbf16>
  return %0 : tensor<4xbf16>
}

// -----

// Comparisons give i1; unsigned operands compare unsigned.
// CHECK-LABEL: func.func @less_ui8
// CHECK-SAME: -> tensor<4xi1>
// CHECK: ^bb0(%[[A:.*]]: i8, %[[B:.*]]: i8, %{{.*}}: i1):
// CHECK-NEXT: %[[R:.*]] = arith.cmpi ult, %[[A]], %[[B]] : i8
// CHECK-NEXT: linalg.yield %[[R]] : i1
// CHECK-LABEL: func.func @equal_f32
// CHECK: arith.cmpf oeq
// CHECK-LABEL: func.func @greater_or_equal_i64
// CHECK: arith.cmpi sge
func.func @less_ui8(%a: tensor<4xui8>, %b: tensor<4xui8>) -> tensor<4xi1> {
  %0 = onnx.Less %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}
func.func @equal_f32(%a: tensor<4xf32>, %b: tensor<f32>) -> tensor<4xi1> {
  %0 = onnx.Equal %a, %b : (tensor<4xf32>, tensor<f32>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}
func.func @greater_or_equal_i64(%a: tensor<4xi64>, %b: tensor<4xi64>) -> tensor<4xi1> {
  %0 = onnx.GreaterOrEqual %a, %b : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

// Variadic Max folds left; a NaN in either operand wins (numpy maximum).
// CHECK-LABEL: func.func @max3
// CHECK: ^bb0(%[[A:.*]]: f32, %[[B:.*]]: f32, %[[C:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[GT:.*]] = arith.cmpf ogt, %[[A]], %[[B]] : f32
// CHECK-NEXT: %[[NAN:.*]] = arith.cmpf uno, %[[A]], %[[A]] : f32
// CHECK-NEXT: %[[PICK:.*]] = arith.ori %[[GT]], %[[NAN]] : i1
// CHECK-NEXT: %[[M:.*]] = arith.select %[[PICK]], %[[A]], %[[B]] : f32
// CHECK-NEXT: arith.cmpf ogt, %[[M]], %[[C]] : f32
// CHECK-LABEL: func.func @min_ui16
// CHECK: arith.minui
// CHECK-LABEL: func.func @mean
// CHECK: %[[S1:.*]] = arith.addf
// CHECK: %[[N:.*]] = arith.constant 2.000000e+00 : f32
// CHECK: arith.divf %[[S1]], %[[N]] : f32
func.func @max3(%a: tensor<4xf32>, %b: tensor<4xf32>, %c: tensor<4xf32>) -> tensor<4xf32> {
  %0 = onnx.Max %a, %b, %c : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
func.func @min_ui16(%a: tensor<4xui16>, %b: tensor<4xui16>) -> tensor<4xui16> {
  %0 = onnx.Min %a, %b : (tensor<4xui16>, tensor<4xui16>) -> tensor<4xui16>
  return %0 : tensor<4xui16>
}
func.func @mean(%a: tensor<4xf32>, %b: tensor<1xf32>) -> tensor<4xf32> {
  %0 = onnx.Mean %a, %b : (tensor<4xf32>, tensor<1xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Mod (fmod=0): the C remainder, moved by the divisor when their signs differ (Python %).
// CHECK-LABEL: func.func @mod_i32
// CHECK: ^bb0(%[[A:.*]]: i32, %[[D:.*]]: i32, %{{.*}}: i32):
// CHECK: %[[SAFE:.*]] = arith.select %{{.*}}, %{{.*}}, %[[D]] : i32
// CHECK: %[[R:.*]] = arith.remsi %[[A]], %[[SAFE]] : i32
// CHECK: %[[NZ:.*]] = arith.cmpi ne, %[[R]], %[[ZERO:.*]] : i32
// CHECK: %[[RN:.*]] = arith.cmpi slt, %[[R]], %[[ZERO]] : i32
// CHECK: %[[DN:.*]] = arith.cmpi slt, %[[D]], %[[ZERO]] : i32
// CHECK: %[[DIFF:.*]] = arith.xori %[[RN]], %[[DN]] : i1
// CHECK: %[[FIX:.*]] = arith.andi %[[NZ]], %[[DIFF]] : i1
// CHECK: %[[SUM:.*]] = arith.addi %[[R]], %[[D]] : i32
// CHECK: %[[OUT:.*]] = arith.select %[[FIX]], %[[SUM]], %[[R]] : i32
// CHECK: linalg.yield %[[OUT]]
// CHECK-LABEL: func.func @fmod_f32
// CHECK: ^bb0(%[[A:.*]]: f32, %[[D:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[R:.*]] = arith.remf %[[A]], %[[D]] : f32
// CHECK-NEXT: linalg.yield %[[R]]
func.func @mod_i32(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi32> {
  %0 = onnx.Mod %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}
func.func @fmod_f32(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %0 = onnx.Mod %a, %b {fmod = 1 : i64} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// A shift by the width or more gives 0, not poison.
// CHECK-LABEL: func.func @shift_right_ui16
// CHECK: ^bb0(%[[A:.*]]: i16, %[[S:.*]]: i16, %{{.*}}: i16):
// CHECK-NEXT: %[[R:.*]] = arith.shrui %[[A]], %[[S]] : i16
// CHECK-NEXT: %[[W:.*]] = arith.constant 16 : i16
// CHECK-NEXT: %[[FAR:.*]] = arith.cmpi uge, %[[S]], %[[W]] : i16
// CHECK-NEXT: %[[Z:.*]] = arith.constant 0 : i16
// CHECK-NEXT: %[[OUT:.*]] = arith.select %[[FAR]], %[[Z]], %[[R]] : i16
// CHECK-LABEL: func.func @shift_left_ui8
// CHECK: arith.shli
// BitShift-28 on signed types: arithmetic right shift; out of range (or negative) leaves the sign fill.
// CHECK-LABEL: func.func @shift_right_i8
// CHECK: ^bb0(%[[A:.*]]: i8, %[[S:.*]]: i8, %{{.*}}: i8):
// CHECK-NEXT: %[[R:.*]] = arith.shrsi %[[A]], %[[S]] : i8
// CHECK-NEXT: %[[W:.*]] = arith.constant 8 : i8
// CHECK-NEXT: %[[FAR:.*]] = arith.cmpi uge, %[[S]], %[[W]] : i8
// CHECK-NEXT: %[[SEVEN:.*]] = arith.constant 7 : i8
// CHECK-NEXT: %[[FILL:.*]] = arith.shrsi %[[A]], %[[SEVEN]] : i8
// CHECK-NEXT: arith.select %[[FAR]], %[[FILL]], %[[R]] : i8
func.func @shift_right_ui16(%a: tensor<4xui16>, %b: tensor<4xui16>) -> tensor<4xui16> {
  %0 = onnx.BitShift %a, %b {direction = "RIGHT"} : (tensor<4xui16>, tensor<4xui16>) -> tensor<4xui16>
  return %0 : tensor<4xui16>
}
func.func @shift_left_ui8(%a: tensor<4xui8>, %b: tensor<ui8>) -> tensor<4xui8> {
  %0 = onnx.BitShift %a, %b {direction = "LEFT"} : (tensor<4xui8>, tensor<ui8>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}
func.func @shift_right_i8(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi8> {
  %0 = onnx.BitShift %a, %b {direction = "RIGHT"} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

// Pow: integer bases take the f64 power and truncate; float^int converts the exponent.
// CHECK-LABEL: func.func @pow_i32_i64
// CHECK: ^bb0(%[[X:.*]]: i32, %[[Y:.*]]: i64, %{{.*}}: i32):
// CHECK-NEXT: %[[XF:.*]] = arith.sitofp %[[X]] : i32 to f64
// CHECK-NEXT: %[[YF:.*]] = arith.sitofp %[[Y]] : i64 to f64
// CHECK-NEXT: %[[P:.*]] = math.powf %[[XF]], %[[YF]] : f64
// CHECK-NEXT: %[[R:.*]] = arith.fptosi %[[P]] : f64 to i32
// CHECK-NEXT: linalg.yield %[[R]] : i32
// CHECK-LABEL: func.func @pow_f32_ui32
// CHECK: ^bb0(%[[X:.*]]: f32, %[[Y:.*]]: i32, %{{.*}}: f32):
// CHECK-NEXT: %[[YF:.*]] = arith.uitofp %[[Y]] : i32 to f32
// CHECK-NEXT: %[[P:.*]] = math.powf %[[X]], %[[YF]] : f32
// CHECK-NEXT: linalg.yield %[[P]] : f32
func.func @pow_i32_i64(%a: tensor<4xi32>, %b: tensor<4xi64>) -> tensor<4xi32> {
  %0 = onnx.Pow %a, %b : (tensor<4xi32>, tensor<4xi64>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}
func.func @pow_f32_ui32(%a: tensor<4xf32>, %b: tensor<4xui32>) -> tensor<4xf32> {
  %0 = onnx.Pow %a, %b : (tensor<4xf32>, tensor<4xui32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Cast: f32 -> bf16 truncates (ONNX's reference before opset 19); float -> unsigned is fptoui;
// float -> bool is "not equal to 0" (NaN is true); bool -> float is uitofp.
// CHECK-LABEL: func.func @cast_f32_bf16
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: bf16):
// CHECK-NOT: arith.addi
// CHECK: arith.shrui
// CHECK: arith.bitcast %{{.*}} : i16 to bf16
// CHECK-LABEL: func.func @cast_f32_ui8
// CHECK: arith.fptoui %{{.*}} : f32 to i8
// CHECK-LABEL: func.func @cast_f32_bool
// CHECK: arith.cmpf une
// CHECK-LABEL: func.func @castlike_bool_f16
// CHECK: %[[F:.*]] = arith.uitofp %{{.*}} : i1 to f32
// CHECK: arith.truncf %[[F]] : f32 to f16
// CHECK-LABEL: func.func @cast_i64_i8
// CHECK: arith.trunci %{{.*}} : i64 to i8
// CHECK-LABEL: func.func @cast_ui8_i32
// CHECK: arith.extui %{{.*}} : i8 to i32
// CHECK-LABEL: func.func @cast_same
// CHECK-NOT: linalg.generic
func.func @cast_f32_bf16(%a: tensor<4xf32>) -> tensor<4xbf16> {
  %0 = onnx.Cast %a {to = 16 : i64} : (tensor<4xf32>) -> tensor<4xbf16>
  return %0 : tensor<4xbf16>
}
func.func @cast_f32_ui8(%a: tensor<4xf32>) -> tensor<4xui8> {
  %0 = onnx.Cast %a {to = 2 : i64} : (tensor<4xf32>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}
func.func @cast_f32_bool(%a: tensor<4xf32>) -> tensor<4xi1> {
  %0 = onnx.Cast %a {to = 9 : i64} : (tensor<4xf32>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}
func.func @castlike_bool_f16(%a: tensor<4xi1>, %t: tensor<1xf16>) -> tensor<4xf16> {
  %0 = onnx.CastLike %a, %t : (tensor<4xi1>, tensor<1xf16>) -> tensor<4xf16>
  return %0 : tensor<4xf16>
}
func.func @cast_i64_i8(%a: tensor<4xi64>) -> tensor<4xi8> {
  %0 = onnx.Cast %a {to = 3 : i64} : (tensor<4xi64>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}
func.func @cast_ui8_i32(%a: tensor<4xui8>) -> tensor<4xi32> {
  %0 = onnx.Cast %a {to = 6 : i64} : (tensor<4xui8>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}
func.func @cast_same(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = onnx.Cast %a {to = 1 : i64} : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Where broadcasts all three operands; logic ops work on i1.
// CHECK-LABEL: func.func @where
// CHECK: ^bb0(%[[C:.*]]: i1, %[[A:.*]]: i64, %[[B:.*]]: i64, %{{.*}}: i64):
// CHECK-NEXT: %[[R:.*]] = arith.select %[[C]], %[[A]], %[[B]] : i64
// CHECK-LABEL: func.func @xor
// CHECK: arith.xori %{{.*}}, %{{.*}} : i1
// CHECK-LABEL: func.func @not
// CHECK: %[[T:.*]] = arith.constant true
// CHECK: arith.xori %{{.*}}, %[[T]] : i1
func.func @where(%c: tensor<4xi1>, %a: tensor<4xi64>, %b: tensor<i64>) -> tensor<4xi64> {
  %0 = onnx.Where %c, %a, %b : (tensor<4xi1>, tensor<4xi64>, tensor<i64>) -> tensor<4xi64>
  return %0 : tensor<4xi64>
}
func.func @xor(%a: tensor<2x4xi1>, %b: tensor<4xi1>) -> tensor<2x4xi1> {
  %0 = onnx.Xor %a, %b : (tensor<2x4xi1>, tensor<4xi1>) -> tensor<2x4xi1>
  return %0 : tensor<2x4xi1>
}
func.func @not(%a: tensor<4xi1>) -> tensor<4xi1> {
  %0 = onnx.Not %a : (tensor<4xi1>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

// IsInf with detect_positive = 0 only matches -inf; IsNaN is an unordered self-compare.
// CHECK-LABEL: func.func @isinf_negative
// CHECK: %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[R:.*]] = arith.cmpf oeq, %{{.*}}, %[[NINF]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : i1
// CHECK-LABEL: func.func @isnan
// CHECK: ^bb0(%[[X:.*]]: f64, %{{.*}}: i1):
// CHECK-NEXT: arith.cmpf uno, %[[X]], %[[X]] : f64
func.func @isinf_negative(%a: tensor<4xf32>) -> tensor<4xi1> {
  %0 = onnx.IsInf %a {detect_positive = 0 : i64} : (tensor<4xf32>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}
func.func @isnan(%a: tensor<4xf64>) -> tensor<4xi1> {
  %0 = onnx.IsNaN %a : (tensor<4xf64>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

// Activations with attributes; PRelu's slope broadcasts to X.
// CHECK-LABEL: func.func @prelu
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}, #{{.*}}]
// CHECK: ^bb0(%[[X:.*]]: f32, %[[S:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[NEG:.*]] = arith.cmpf olt, %[[X]], %{{.*}} : f32
// CHECK: %[[M:.*]] = arith.mulf %[[S]], %[[X]] : f32
// CHECK: arith.select %[[NEG]], %[[M]], %[[X]] : f32
// CHECK-LABEL: func.func @leaky_relu
// CHECK: arith.constant 1.000000e-01 : f32
// CHECK: arith.cmpf olt
// CHECK-LABEL: func.func @elu
// CHECK: math.expm1
// CHECK-LABEL: func.func @softplus
// CHECK: math.log1p
// CHECK-LABEL: func.func @hard_sigmoid
// CHECK: arith.constant 2.000000e-01 : f32
// CHECK: arith.constant 5.000000e-01 : f32
// CHECK-LABEL: func.func @shrink_i8
// CHECK: arith.sitofp %{{.*}} : i8 to f64
// CHECK: arith.fptosi %{{.*}} : f64 to i8
func.func @prelu(%a: tensor<2x3xf32>, %s: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = onnx.PRelu %a, %s : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
func.func @leaky_relu(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = onnx.LeakyRelu %a {alpha = 1.000000e-01 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
func.func @elu(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = onnx.Elu %a : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
func.func @softplus(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = onnx.Softplus %a : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
func.func @hard_sigmoid(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = onnx.HardSigmoid %a : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
func.func @shrink_i8(%a: tensor<4xi8>) -> tensor<4xi8> {
  %0 = onnx.Shrink %a {lambd = 1.500000e+00 : f32} : (tensor<4xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

// Opset-18 bitwise ops work on the integer's bits; BitwiseNot flips all of them.
// CHECK-LABEL: func.func @bitwise_and_broadcast
// CHECK: linalg.generic
// CHECK: arith.andi %{{.*}}, %{{.*}} : i32
func.func @bitwise_and_broadcast(%a: tensor<2x3xi32>, %b: tensor<3xi32>) -> tensor<2x3xi32> {
  %0 = onnx.BitwiseAnd %a, %b : (tensor<2x3xi32>, tensor<3xi32>) -> tensor<2x3xi32>
  return %0 : tensor<2x3xi32>
}
// CHECK-LABEL: func.func @bitwise_or_xor_u8
// CHECK: arith.ori %{{.*}}, %{{.*}} : i8
// CHECK: arith.xori %{{.*}}, %{{.*}} : i8
func.func @bitwise_or_xor_u8(%a: tensor<4xui8>, %b: tensor<4xui8>) -> tensor<4xui8> {
  %0 = onnx.BitwiseOr %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  %1 = onnx.BitwiseXor %0, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  return %1 : tensor<4xui8>
}
// CHECK-LABEL: func.func @bitwise_not_i16
// CHECK: %[[ONES:.*]] = arith.constant -1 : i16
// CHECK: arith.xori %{{.*}}, %[[ONES]] : i16
func.func @bitwise_not_i16(%a: tensor<4xi16>) -> tensor<4xi16> {
  %0 = onnx.BitwiseNot %a : (tensor<4xi16>) -> tensor<4xi16>
  return %0 : tensor<4xi16>
}
