// RUN: %mcc-opt %s -split-input-file -verify-diagnostics

func.func @sgemm_k_mismatch(%a: tensor<4x8xf32>, %b: tensor<7x16xf32>) -> tensor<4x16xf32> {
  %e = tensor.empty() : tensor<4x16xf32>
  // expected-error @+1 {{b is 'tensor<7x16xf32>', expected K = 8 by N = 16}}
  %0 = mcc.sgemm ins(%a, %b : tensor<4x8xf32>, tensor<7x16xf32>) outs(%e : tensor<4x16xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

func.func @sgemm_bias_size(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>, %c: tensor<4xf32>) -> tensor<4x16xf32> {
  %e = tensor.empty() : tensor<4x16xf32>
  // expected-error @+1 {{bias must have 16 elements}}
  %0 = mcc.sgemm ins(%a, %b : tensor<4x8xf32>, tensor<8x16xf32>) bias(%c : tensor<4xf32>) outs(%e : tensor<4x16xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

func.func @sgemm_batch(%a: tensor<3x4x8xf32>, %b: tensor<8x16xf32>) -> tensor<2x4x16xf32> {
  %e = tensor.empty() : tensor<2x4x16xf32>
  // expected-error @+1 {{a batch dimensions must be init's or all 1}}
  %0 = mcc.sgemm ins(%a, %b : tensor<3x4x8xf32>, tensor<8x16xf32>) outs(%e : tensor<2x4x16xf32>) -> tensor<2x4x16xf32>
  return %0 : tensor<2x4x16xf32>
}

// -----

func.func @sgemm_packed_without_config(%a: tensor<4x8xf32>, %b: tensor<256xf32>) -> tensor<4x16xf32> {
  %e = tensor.empty() : tensor<4x16xf32>
  // expected-error @+1 {{packed b needs the lowering_config it was packed for}}
  %0 = mcc.sgemm ins(%a, %b : tensor<4x8xf32>, tensor<256xf32>) outs(%e : tensor<4x16xf32>) {b_packed} -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

func.func @sgemm_f64(%a: tensor<4x8xf64>, %b: tensor<8x16xf64>) -> tensor<4x16xf64> {
  %e = tensor.empty() : tensor<4x16xf64>
  // expected-error @+1 {{init must be a static f32 shape}}
  %0 = mcc.sgemm ins(%a, %b : tensor<4x8xf64>, tensor<8x16xf64>) outs(%e : tensor<4x16xf64>) -> tensor<4x16xf64>
  return %0 : tensor<4x16xf64>
}

// -----

func.func @conv_group(%x: tensor<1x3x4x4xf32>, %w: tensor<4x1x1x1xf32>) -> tensor<1x4x4x4xf32> {
  %e = tensor.empty() : tensor<1x4x4x4xf32>
  // expected-error @+1 {{group 2 must divide the channels 3 and 4}}
  %0 = mcc.conv2d ins(%x, %w : tensor<1x3x4x4xf32>, tensor<4x1x1x1xf32>) outs(%e : tensor<1x4x4x4xf32>) {kernel = array<i64: 1, 1>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0>, group = 2 : i64} -> tensor<1x4x4x4xf32>
  return %0 : tensor<1x4x4x4xf32>
}

// -----

func.func @conv_filter_shape(%x: tensor<1x2x4x4xf32>, %w: tensor<3x2x3x3xf32>) -> tensor<1x3x4x4xf32> {
  %e = tensor.empty() : tensor<1x3x4x4xf32>
  // expected-error @+1 {{filter is 'tensor<3x2x3x3xf32>', expected [M, C/group, kernel...] = 'tensor<3x2x1x1xf32>'}}
  %0 = mcc.conv2d ins(%x, %w : tensor<1x2x4x4xf32>, tensor<3x2x3x3xf32>) outs(%e : tensor<1x3x4x4xf32>) {kernel = array<i64: 1, 1>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0>, group = 1 : i64} -> tensor<1x3x4x4xf32>
  return %0 : tensor<1x3x4x4xf32>
}

// -----

func.func @conv_residual(%x: tensor<1x2x4x4xf32>, %w: tensor<3x2x1x1xf32>, %r: tensor<1x3x2x2xf32>) -> tensor<1x3x4x4xf32> {
  %e = tensor.empty() : tensor<1x3x4x4xf32>
  // expected-error @+1 {{residual must have the shape of init}}
  %0 = mcc.conv2d ins(%x, %w : tensor<1x2x4x4xf32>, tensor<3x2x1x1xf32>) residual(%r : tensor<1x3x2x2xf32>) outs(%e : tensor<1x3x4x4xf32>) {kernel = array<i64: 1, 1>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0>, group = 1 : i64} -> tensor<1x3x4x4xf32>
  return %0 : tensor<1x3x4x4xf32>
}
