// RUN: %mcc-opt --mcc-lower-onnx-to-linalg %s -split-input-file | FileCheck %s

// Unsigned element types (ONNX uint8..uint64 import as ui8..ui64) lower to signless integers, in
// the function signature too; the operations that care about signedness pick the unsigned form.

// CHECK-LABEL: func.func @add_ui8
// CHECK-SAME: (%[[A:.*]]: tensor<4xi8>, %[[B:.*]]: tensor<4xi8>) -> tensor<4xi8>
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[A]], %[[B]] : tensor<4xi8>, tensor<4xi8>) outs(%{{.*}} : tensor<4xi8>)
// CHECK: arith.addi %{{.*}}, %{{.*}} : i8
// CHECK: return %{{.*}} : tensor<4xi8>
// CHECK-NOT: ui8
func.func @add_ui8(%a: tensor<4xui8>, %b: tensor<4xui8>) -> tensor<4xui8> {
  %0 = onnx.Add %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

// CHECK-LABEL: func.func @div_ui16
// CHECK-SAME: -> tensor<4xi16>
// CHECK: arith.divui %{{.*}}, %{{.*}} : i16
// CHECK-NOT: arith.divsi
func.func @div_ui16(%a: tensor<4xui16>, %b: tensor<4xui16>) -> tensor<4xui16> {
  %0 = onnx.Div %a, %b : (tensor<4xui16>, tensor<4xui16>) -> tensor<4xui16>
  return %0 : tensor<4xui16>
}

// -----

// CHECK-LABEL: func.func @clip_ui8
// CHECK-SAME: (%{{.*}}: tensor<8xi8>, %{{.*}}: tensor<i8>, %{{.*}}: tensor<i8>) -> tensor<8xi8>
// CHECK: arith.cmpi ult
// CHECK: arith.cmpi ugt
func.func @clip_ui8(%x: tensor<8xui8>, %lo: tensor<ui8>, %hi: tensor<ui8>) -> tensor<8xui8> {
  %0 = onnx.Clip %x, %lo, %hi : (tensor<8xui8>, tensor<ui8>, tensor<ui8>) -> tensor<8xui8>
  return %0 : tensor<8xui8>
}

// -----

// Constants keep their bit patterns (200 is -56 as a signless i8).
// CHECK-LABEL: func.func @constant_ui8
// CHECK-SAME: () -> tensor<2xi8>
// CHECK: arith.constant dense<[-56, 3]> : tensor<2xi8>
func.func @constant_ui8() -> tensor<2xui8> {
  %0 = onnx.Constant dense<[200, 3]> : tensor<2xui8> : tensor<2xui8>
  return %0 : tensor<2xui8>
}
