// Clip bounds must have the input's element type (ONNX type constraint T). Nothing checks it: an
// i32 bound on an f32 input lowers to 'arith.cmpf' on an i32 operand, which fails verification
// ("'arith.cmpf' op operand #1 must be floating-point-like, but got 'i32'"). The onnx.Clip verifier
// should reject it with a message about the bound.
// XFAIL: *
// RUN: not %mcc-opt --mcc-lower-onnx-to-linalg %s 2>&1 | FileCheck %s

// CHECK: error: 'onnx.Clip' op
// CHECK-NOT: arith.cmpf
func.func @clip_bound_type(%x: tensor<8xf32>, %lo: tensor<i32>) -> tensor<8xf32> {
  %none = onnx.NoValue
  %0 = onnx.Clip %x, %lo, %none : (tensor<8xf32>, tensor<i32>, none) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}
