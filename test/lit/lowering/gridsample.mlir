// RUN: %mcc-opt --mcc-lower-onnx-to-linalg %s -split-input-file | FileCheck %s

// Bilinear, zeros padding, align_corners=0: x = ((g + 1) * W - 1) / 2, four taps, each read only
// inside the image (0 outside); the sum runs in f64.
// CHECK-LABEL: func.func @gridsample_bilinear
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x3x4xf32>, %[[G:.*]]: tensor<1x5x6x2xf32>)
// CHECK: linalg.generic
// CHECK: tensor.extract %[[G]]
// CHECK: arith.constant 4.000000e+00 : f64
// CHECK: math.floor
// CHECK-COUNT-4: tensor.extract %[[X]]
// CHECK: arith.truncf %{{.*}} : f64 to f32
func.func @gridsample_bilinear(%x: tensor<1x2x3x4xf32>, %g: tensor<1x5x6x2xf32>) -> tensor<1x2x5x6xf32> {
  %0 = onnx.GridSample %x, %g : (tensor<1x2x3x4xf32>, tensor<1x5x6x2xf32>) -> tensor<1x2x5x6xf32>
  return %0 : tensor<1x2x5x6xf32>
}

// -----

// Nearest rounds half to even after reflecting into the image.
// CHECK-LABEL: func.func @gridsample_nearest_reflection
// CHECK: math.absf
// CHECK: arith.remf
// CHECK: math.roundeven
// CHECK-COUNT-1: tensor.extract %arg0
func.func @gridsample_nearest_reflection(%x: tensor<1x1x3x4xf32>, %g: tensor<1x2x2x2xf32>) -> tensor<1x1x2x2xf32> {
  %0 = onnx.GridSample %x, %g {mode = "nearest", padding_mode = "reflection", align_corners = 1 : i64} : (tensor<1x1x3x4xf32>, tensor<1x2x2x2xf32>) -> tensor<1x1x2x2xf32>
  return %0 : tensor<1x1x2x2xf32>
}

// -----

// Bicubic reads a 4x4 neighbourhood, each tap clamped by border padding and truncated.
// CHECK-LABEL: func.func @gridsample_bicubic_border
// CHECK-COUNT-16: math.trunc
func.func @gridsample_bicubic_border(%x: tensor<1x1x3x4xf32>, %g: tensor<1x2x2x2xf32>) -> tensor<1x1x2x2xf32> {
  %0 = onnx.GridSample %x, %g {mode = "bicubic", padding_mode = "border"} : (tensor<1x1x3x4xf32>, tensor<1x2x2x2xf32>) -> tensor<1x1x2x2xf32>
  return %0 : tensor<1x1x2x2xf32>
}
