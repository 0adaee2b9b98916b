// RUN: %mcc-opt --mcc-lower-onnx-to-linalg %s -split-input-file -verify-diagnostics

func.func @gridsample_bad_mode(%x: tensor<1x1x3x4xf32>, %g: tensor<1x2x2x2xf32>) -> tensor<1x1x2x2xf32> {
  // expected-error @+2 {{mode 'linear' is not one of bilinear, nearest, bicubic}}
  // expected-error @+1 {{failed to legalize operation 'onnx.GridSample'}}
  %0 = onnx.GridSample %x, %g {mode = "linear"} : (tensor<1x1x3x4xf32>, tensor<1x2x2x2xf32>) -> tensor<1x1x2x2xf32>
  return %0 : tensor<1x1x2x2xf32>
}

// -----

func.func @gridsample_bad_padding(%x: tensor<1x1x3x4xf32>, %g: tensor<1x2x2x2xf32>) -> tensor<1x1x2x2xf32> {
  // expected-error @+2 {{padding_mode 'wrap' is not one of zeros, border, reflection}}
  // expected-error @+1 {{failed to legalize operation 'onnx.GridSample'}}
  %0 = onnx.GridSample %x, %g {padding_mode = "wrap"} : (tensor<1x1x3x4xf32>, tensor<1x2x2x2xf32>) -> tensor<1x1x2x2xf32>
  return %0 : tensor<1x1x2x2xf32>
}

// -----

func.func @gridsample_int(%x: tensor<1x1x3x4xi32>, %g: tensor<1x2x2x2xf32>) -> tensor<1x1x2x2xi32> {
  // expected-error @+2 {{X must have float elements, not 'i32'}}
  // expected-error @+1 {{failed to legalize operation 'onnx.GridSample'}}
  %0 = onnx.GridSample %x, %g : (tensor<1x1x3x4xi32>, tensor<1x2x2x2xf32>) -> tensor<1x1x2x2xi32>
  return %0 : tensor<1x1x2x2xi32>
}

// -----

func.func @gridsample_5d(%x: tensor<1x1x2x3x4xf32>, %g: tensor<1x2x2x2x3xf32>) -> tensor<1x1x2x2x2xf32> {
  // expected-error @+2 {{X must be 4-D [N, C, H, W] (GridSample-16), got 'tensor<1x1x2x3x4xf32>'}}
  // expected-error @+1 {{failed to legalize operation 'onnx.GridSample'}}
  %0 = onnx.GridSample %x, %g : (tensor<1x1x2x3x4xf32>, tensor<1x2x2x2x3xf32>) -> tensor<1x1x2x2x2xf32>
  return %0 : tensor<1x1x2x2x2xf32>
}

// -----

func.func @gridsample_empty_image(%x: tensor<1x1x0x4xf32>, %g: tensor<1x2x2x2xf32>) -> tensor<1x1x2x2xf32> {
  // expected-error @+2 {{cannot sample an empty image 'tensor<1x1x0x4xf32>' at a non-empty grid}}
  // expected-error @+1 {{failed to legalize operation 'onnx.GridSample'}}
  %0 = onnx.GridSample %x, %g : (tensor<1x1x0x4xf32>, tensor<1x2x2x2xf32>) -> tensor<1x1x2x2xf32>
  return %0 : tensor<1x1x2x2xf32>
}
