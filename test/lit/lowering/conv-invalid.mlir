// RUN: %mcc-opt --mcc-lower-onnx-to-linalg %s -split-input-file -verify-diagnostics

func.func @conv_channel_mismatch(%x: tensor<1x3x8x8xf32>, %w: tensor<4x2x3x3xf32>) -> tensor<1x4x6x6xf32> {
  %none = onnx.NoValue
  // expected-error @+1 {{'onnx.Conv' op input channels 3 != group 1 x W channels 2}}
  %0 = onnx.Conv %x, %w, %none : (tensor<1x3x8x8xf32>, tensor<4x2x3x3xf32>, none) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_group_not_dividing(%x: tensor<1x4x8x8xf32>, %w: tensor<3x2x3x3xf32>) -> tensor<1x3x6x6xf32> {
  %none = onnx.NoValue
  // expected-error @+1 {{'onnx.Conv' op output channels 3 not divisible by group 2}}
  %0 = onnx.Conv %x, %w, %none {group = 2 : i64} : (tensor<1x4x8x8xf32>, tensor<3x2x3x3xf32>, none) -> tensor<1x3x6x6xf32>
  return %0 : tensor<1x3x6x6xf32>
}

// -----

func.func @conv_rank_mismatch(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3xf32>) -> tensor<1x4x6x6xf32> {
  %none = onnx.NoValue
  // expected-error @+1 {{'onnx.Conv' op X and W must have the same rank >= 3}}
  %0 = onnx.Conv %x, %w, %none : (tensor<1x3x8x8xf32>, tensor<4x3x3xf32>, none) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_pads_length(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  %none = onnx.NoValue
  // expected-error @+1 {{'onnx.Conv' op pads must have 4 entries}}
  %0 = onnx.Conv %x, %w, %none {pads = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, none) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_bias_rank(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<1x4xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'onnx.Conv' op B must be 1-D}}
  %0 = onnx.Conv %x, %w, %b : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<1x4xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_kernel_shape_mismatch(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  %none = onnx.NoValue
  // expected-error @+2 {{kernel_shape does not match the weight shape}}
  // expected-error @+1 {{failed to legalize operation 'onnx.Conv'}}
  %0 = onnx.Conv %x, %w, %none {kernel_shape = array<i64: 2, 2>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, none) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_output_size(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x7x7xf32> {
  %none = onnx.NoValue
  // expected-error @+2 {{inferred output size 7 in spatial dim 0 does not match the computed 6}}
  // expected-error @+1 {{failed to legalize operation 'onnx.Conv'}}
  %0 = onnx.Conv %x, %w, %none : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, none) -> tensor<1x4x7x7xf32>
  return %0 : tensor<1x4x7x7xf32>
}

// -----

func.func @conv_bad_auto_pad(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  %none = onnx.NoValue
  // expected-error @+2 {{auto_pad 'SAME' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID}}
  // expected-error @+1 {{failed to legalize operation 'onnx.Conv'}}
  %0 = onnx.Conv %x, %w, %none {auto_pad = "SAME"} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, none) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_negative_pads(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  %none = onnx.NoValue
  // expected-error @+2 {{negative pads are not supported}}
  // expected-error @+1 {{failed to legalize operation 'onnx.Conv'}}
  %0 = onnx.Conv %x, %w, %none {pads = array<i64: -1, 0, 1, 0>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, none) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_integer(%x: tensor<1x3x8x8xi8>, %w: tensor<4x3x3x3xi8>) -> tensor<1x4x6x6xi8> {
  %none = onnx.NoValue
  // expected-error @+2 {{element type 'i8' is not supported (use ConvInteger for integers)}}
  // expected-error @+1 {{failed to legalize operation 'onnx.Conv'}}
  %0 = onnx.Conv %x, %w, %none : (tensor<1x3x8x8xi8>, tensor<4x3x3x3xi8>, none) -> tensor<1x4x6x6xi8>
  return %0 : tensor<1x4x6x6xi8>
}

// -----

func.func @conv_window_too_large(%x: tensor<1x1x2x2xf32>, %w: tensor<1x1x3x3xf32>) -> tensor<1x1x1x1xf32> {
  %none = onnx.NoValue
  // expected-error @+2 {{window larger than the padded input in spatial dim 0}}
  // expected-error @+1 {{failed to legalize operation 'onnx.Conv'}}
  %0 = onnx.Conv %x, %w, %none : (tensor<1x1x2x2xf32>, tensor<1x1x3x3xf32>, none) -> tensor<1x1x1x1xf32>
  return %0 : tensor<1x1x1x1xf32>
}

// -----

func.func @convtranspose_output_size(%x: tensor<1x1x3x3xf32>, %w: tensor<1x2x3x3xf32>) -> tensor<1x2x6x5xf32> {
  %none = onnx.NoValue
  // expected-error @+2 {{inferred output size 6 in spatial dim 0 does not match the computed 5}}
  // expected-error @+1 {{failed to legalize operation 'onnx.ConvTranspose'}}
  %0 = onnx.ConvTranspose %x, %w, %none : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>, none) -> tensor<1x2x6x5xf32>
  return %0 : tensor<1x2x6x5xf32>
}

// -----

func.func @convtranspose_channels(%x: tensor<1x2x3x3xf32>, %w: tensor<3x2x3x3xf32>) -> tensor<1x2x5x5xf32> {
  %none = onnx.NoValue
  // expected-error @+1 {{'onnx.ConvTranspose' op input channels 2 != W's first dimension 3}}
  %0 = onnx.ConvTranspose %x, %w, %none : (tensor<1x2x3x3xf32>, tensor<3x2x3x3xf32>, none) -> tensor<1x2x5x5xf32>
  return %0 : tensor<1x2x5x5xf32>
}

// -----

func.func @convtranspose_output_padding_length(%x: tensor<1x1x3x3xf32>, %w: tensor<1x2x3x3xf32>) -> tensor<1x2x5x5xf32> {
  %none = onnx.NoValue
  // expected-error @+1 {{'onnx.ConvTranspose' op output_padding must have 2 entries}}
  %0 = onnx.ConvTranspose %x, %w, %none {output_padding = array<i64: 1>} : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>, none) -> tensor<1x2x5x5xf32>
  return %0 : tensor<1x2x5x5xf32>
}

// -----

func.func @convinteger_float(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xi32> {
  %none = onnx.NoValue
  // expected-error @+2 {{x and w must be 8-bit integers}}
  // expected-error @+1 {{failed to legalize operation 'onnx.ConvInteger'}}
  %0 = onnx.ConvInteger %x, %w, %none, %none : (tensor<1x1x3x3xf32>, tensor<1x1x2x2xf32>, none, none) -> tensor<1x1x2x2xi32>
  return %0 : tensor<1x1x2x2xi32>
}

// -----

func.func @convinteger_x_zero_point_vector(%x: tensor<1x2x3x3xui8>, %w: tensor<1x2x2x2xui8>, %xz: tensor<2xui8>) -> tensor<1x1x2x2xi32> {
  %none = onnx.NoValue
  // expected-error @+2 {{x_zero_point must be a scalar, got 'tensor<2xui8>'}}
  // expected-error @+1 {{failed to legalize operation 'onnx.ConvInteger'}}
  %0 = onnx.ConvInteger %x, %w, %xz, %none : (tensor<1x2x3x3xui8>, tensor<1x2x2x2xui8>, tensor<2xui8>, none) -> tensor<1x1x2x2xi32>
  return %0 : tensor<1x1x2x2xi32>
}
