// RUN: %mcc-opt --mcc-lower-onnx-to-linalg %s -split-input-file -verify-diagnostics

func.func @maxpool_kernel_rank(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32> {
  // expected-error @+2 {{kernel_shape, strides, dilations and pads must match the 2 spatial dims}}
  // expected-error @+1 {{failed to legalize operation 'onnx.MaxPool'}}
  %0, %1 = onnx.MaxPool %x {kernel_shape = array<i64: 2>} : (tensor<1x1x4x4xf32>) -> (tensor<1x1x2x2xf32>, none)
  return %0 : tensor<1x1x2x2xf32>
}

// -----

func.func @maxpool_rank2(%x: tensor<4x4xf32>) -> tensor<2x2xf32> {
  // expected-error @+2 {{input must have rank >= 3}}
  // expected-error @+1 {{failed to legalize operation 'onnx.MaxPool'}}
  %0, %1 = onnx.MaxPool %x {kernel_shape = array<i64: 2, 2>} : (tensor<4x4xf32>) -> (tensor<2x2xf32>, none)
  return %0 : tensor<2x2xf32>
}

// -----

func.func @maxpool_zero_stride(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32> {
  // expected-error @+2 {{strides, dilations and kernel sizes must be positive}}
  // expected-error @+1 {{failed to legalize operation 'onnx.MaxPool'}}
  %0, %1 = onnx.MaxPool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 0, 2>} : (tensor<1x1x4x4xf32>) -> (tensor<1x1x2x2xf32>, none)
  return %0 : tensor<1x1x2x2xf32>
}

// -----

func.func @avgpool_output_size(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x3x3xf32> {
  // expected-error @+2 {{inferred output size 3 in spatial dim 0 does not match the computed 2}}
  // expected-error @+1 {{failed to legalize operation 'onnx.AveragePool'}}
  %0 = onnx.AveragePool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x3x3xf32>
  return %0 : tensor<1x1x3x3xf32>
}

// -----

func.func @avgpool_integer(%x: tensor<1x1x4x4xi32>) -> tensor<1x1x2x2xi32> {
  // expected-error @+2 {{element type 'i32' is not supported}}
  // expected-error @+1 {{failed to legalize operation 'onnx.AveragePool'}}
  %0 = onnx.AveragePool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x1x4x4xi32>) -> tensor<1x1x2x2xi32>
  return %0 : tensor<1x1x2x2xi32>
}

// -----

func.func @global_average_pool_dynamic(%x: tensor<?x8x4x4xf32>) -> tensor<?x8x1x1xf32> {
  // expected-error @+2 {{dynamic shapes are not supported by this op's lowering yet}}
  // expected-error @+1 {{failed to legalize operation 'onnx.GlobalAveragePool'}}
  %0 = onnx.GlobalAveragePool %x : (tensor<?x8x4x4xf32>) -> tensor<?x8x1x1xf32>
  return %0 : tensor<?x8x1x1xf32>
}

// -----

func.func @roialign_mode(%x: tensor<1x2x8x8xf32>, %r: tensor<3x4xf32>, %b: tensor<3xi64>) -> tensor<3x2x1x1xf32> {
  // expected-error @+2 {{mode must be avg or max, got 'min'}}
  // expected-error @+1 {{failed to legalize operation 'onnx.RoiAlign'}}
  %0 = onnx.RoiAlign %x, %r, %b {mode = "min"} : (tensor<1x2x8x8xf32>, tensor<3x4xf32>, tensor<3xi64>) -> tensor<3x2x1x1xf32>
  return %0 : tensor<3x2x1x1xf32>
}

// -----

func.func @maxunpool_size(%x: tensor<1x1x2x2xf32>, %i: tensor<1x1x2x2xi64>) -> tensor<1x1x5x5xf32> {
  %none = onnx.NoValue
  // expected-error @+2 {{inferred output size 5 in spatial dim 0 does not match the computed 4}}
  // expected-error @+1 {{failed to legalize operation 'onnx.MaxUnpool'}}
  %0 = onnx.MaxUnpool %x, %i, %none {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>, none) -> tensor<1x1x5x5xf32>
  return %0 : tensor<1x1x5x5xf32>
}

// -----

func.func @lp_pool_p(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x3x3xf32> {
  // expected-error @+2 {{p must be a positive integer, got 0}}
  // expected-error @+1 {{failed to legalize operation 'onnx.LpPool'}}
  %0 = onnx.LpPool %x {kernel_shape = array<i64: 2, 2>, p = 0 : i64} : (tensor<1x1x4x4xf32>) -> tensor<1x1x3x3xf32>
  return %0 : tensor<1x1x3x3xf32>
}
