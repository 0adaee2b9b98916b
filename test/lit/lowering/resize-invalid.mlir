// RUN: %mcc-opt --mcc-lower-onnx-to-linalg %s -split-input-file -verify-diagnostics

func.func @resize_linear_int(%x: tensor<2xi32>) -> tensor<4xi32> {
  %none = onnx.NoValue
  %scales = onnx.Constant dense<[2.0]> : tensor<1xf32> : tensor<1xf32>
  // expected-error @+2 {{linear interpolation needs a float element type, not 'i32'}}
  // expected-error @+1 {{failed to legalize operation 'onnx.Resize'}}
  %0 = onnx.Resize %x, %none, %scales, %none {mode = "linear"} : (tensor<2xi32>, none, tensor<1xf32>, none) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @resize_scale_mismatch(%x: tensor<2xf32>) -> tensor<5xf32> {
  %none = onnx.NoValue
  %scales = onnx.Constant dense<[2.0]> : tensor<1xf32> : tensor<1xf32>
  // expected-error @+2 {{scale 2.000000e+00 gives 4 in dim 0, the result type 5}}
  // expected-error @+1 {{failed to legalize operation 'onnx.Resize'}}
  %0 = onnx.Resize %x, %none, %scales, %none : (tensor<2xf32>, none, tensor<1xf32>, none) -> tensor<5xf32>
  return %0 : tensor<5xf32>
}
