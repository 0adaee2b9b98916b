// Unsigned element types (ONNX uint8/16/32/64 import as ui8..ui64) must lower to valid arith IR:
// arith only takes signless integers, so the bodies compute on i8 and pick the unsigned ops.
// RUN: %mcc-opt --mcc-lower-onnx-to-linalg %s -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @add_ui8
// CHECK: linalg.generic
// CHECK: linalg.yield
func.func @add_ui8(%a: tensor<4xui8>, %b: tensor<4xui8>) -> tensor<4xui8> {
  %0 = onnx.Add %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

// CHECK-LABEL: func.func @div_ui8
// CHECK: arith.divui
func.func @div_ui8(%a: tensor<4xui8>, %b: tensor<4xui8>) -> tensor<4xui8> {
  %0 = onnx.Div %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}
