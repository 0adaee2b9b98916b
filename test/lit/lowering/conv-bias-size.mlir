// A Conv bias whose length is not the number of output channels must be rejected with a diagnostic
// on the Conv, not an invalid tensor.expand_shape: ONNX shape inference does not catch it, so a
// malformed model reaches this point.
// RUN: not %mcc-opt --mcc-lower-onnx-to-linalg %s 2>&1 | FileCheck %s

// CHECK: error: 'onnx.Conv' op {{.*}}B
// CHECK-NOT: tensor.expand_shape
func.func @conv_bias_size(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<5xf32>) -> tensor<1x4x6x6xf32> {
  %0 = onnx.Conv %x, %w, %b : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<5xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}
