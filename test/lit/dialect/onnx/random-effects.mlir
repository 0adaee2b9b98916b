// Random ops and Dropout are not Pure: two identical nodes are two draws, so CSE must keep both, while
// an unused one is still erased as dead.
// RUN: %mcc-opt %s -cse -canonicalize -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @two_dropouts
// CHECK-COUNT-2: onnx.Dropout
// CHECK-NOT: onnx.Dropout
func.func @two_dropouts(%x: tensor<8xf32>, %r: tensor<f32>, %t: tensor<i1>) -> (tensor<8xf32>, tensor<8xf32>) {
  %0, %1 = onnx.Dropout %x, %r, %t : (tensor<8xf32>, tensor<f32>, tensor<i1>) -> (tensor<8xf32>, none)
  %2, %3 = onnx.Dropout %x, %r, %t : (tensor<8xf32>, tensor<f32>, tensor<i1>) -> (tensor<8xf32>, none)
  return %0, %2 : tensor<8xf32>, tensor<8xf32>
}

// -----

// CHECK-LABEL: func.func @two_uniforms
// CHECK-COUNT-2: onnx.RandomUniform
func.func @two_uniforms() -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = onnx.RandomUniform {shape = array<i64: 4>} : () -> tensor<4xf32>
  %1 = onnx.RandomUniform {shape = array<i64: 4>} : () -> tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @unused_draw
// CHECK-NOT: onnx.Bernoulli
func.func @unused_draw(%p: tensor<4xf32>) -> tensor<4xf32> {
  %0 = onnx.Bernoulli %p : (tensor<4xf32>) -> tensor<4xf32>
  return %p : tensor<4xf32>
}
