// Clip bounds must have the input's element type (ONNX type constraint T): an i32 bound on an f32
// input is rejected with a message about the bound, not an arith verifier error.
// RUN: not %mcc-opt --mcc-lower-onnx-to-linalg %s 2>&1 | FileCheck %s

// CHECK: error: bound of type 'tensor<i32>' does not match the input's element type 'f32'
// CHECK-NOT: arith.cmpf
func.func @clip_bound_type(%x: tensor<8xf32>, %lo: tensor<i32>) -> tensor<8xf32> {
  %none = onnx.NoValue
  %0 = onnx.Clip %x, %lo, %none : (tensor<8xf32>, tensor<i32>, none) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}
