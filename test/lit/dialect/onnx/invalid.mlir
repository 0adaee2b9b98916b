// The onnx dialect's verifiers: what ONNX fixes about attributes and operands is rejected on the op,
// before any lowering.
// RUN: %mcc-opt %s -split-input-file -verify-diagnostics

func.func @maxpool_auto_pad(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32> {
  // expected-error @+1 {{'onnx.MaxPool' op auto_pad must be one of NOTSET, SAME_UPPER, SAME_LOWER, VALID, got 'SAME'}}
  %0, %1 = onnx.MaxPool %x {auto_pad = "SAME", kernel_shape = array<i64: 2, 2>} : (tensor<1x1x4x4xf32>) -> (tensor<1x1x2x2xf32>, none)
  return %0 : tensor<1x1x2x2xf32>
}

// -----

func.func @maxpool_storage_order(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32> {
  // expected-error @+1 {{'onnx.MaxPool' op storage_order must be 0 or 1, got 2}}
  %0, %1 = onnx.MaxPool %x {kernel_shape = array<i64: 2, 2>, storage_order = 2 : i64} : (tensor<1x1x4x4xf32>) -> (tensor<1x1x2x2xf32>, none)
  return %0 : tensor<1x1x2x2xf32>
}

// -----

func.func @maxpool_float_indices(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32> {
  // expected-error @+1 {{'onnx.MaxPool' op Indices must be an integer tensor, got 'tensor<1x1x2x2xf32>'}}
  %0, %1 = onnx.MaxPool %x {kernel_shape = array<i64: 2, 2>} : (tensor<1x1x4x4xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>)
  return %0 : tensor<1x1x2x2xf32>
}

// -----

func.func @averagepool_count_include_pad(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32> {
  // expected-error @+1 {{'onnx.AveragePool' op count_include_pad must be 0 or 1, got -1}}
  %0 = onnx.AveragePool %x {count_include_pad = -1 : i64, kernel_shape = array<i64: 2, 2>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32>
  return %0 : tensor<1x1x2x2xf32>
}

// -----

func.func @lppool_ceil_mode(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32> {
  // expected-error @+1 {{'onnx.LpPool' op ceil_mode must be 0 or 1, got 3}}
  %0 = onnx.LpPool %x {ceil_mode = 3 : i64, kernel_shape = array<i64: 2, 2>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32>
  return %0 : tensor<1x1x2x2xf32>
}

// -----

func.func @roialign_rois(%x: tensor<1x2x8x8xf32>, %r: tensor<3x5xf32>, %b: tensor<3xi64>) -> tensor<3x2x1x1xf32> {
  // expected-error @+1 {{'onnx.RoiAlign' op rois must be [num_rois, 4], got 'tensor<3x5xf32>'}}
  %0 = onnx.RoiAlign %x, %r, %b : (tensor<1x2x8x8xf32>, tensor<3x5xf32>, tensor<3xi64>) -> tensor<3x2x1x1xf32>
  return %0 : tensor<3x2x1x1xf32>
}

// -----

func.func @roialign_coordinate_mode(%x: tensor<1x2x8x8xf32>, %r: tensor<3x4xf32>, %b: tensor<3xi64>) -> tensor<3x2x1x1xf32> {
  // expected-error @+1 {{'onnx.RoiAlign' op coordinate_transformation_mode must be one of half_pixel, output_half_pixel, got 'align_corners'}}
  %0 = onnx.RoiAlign %x, %r, %b {coordinate_transformation_mode = "align_corners"} : (tensor<1x2x8x8xf32>, tensor<3x4xf32>, tensor<3xi64>) -> tensor<3x2x1x1xf32>
  return %0 : tensor<3x2x1x1xf32>
}

// -----

func.func @roialign_output_size(%x: tensor<1x2x8x8xf32>, %r: tensor<3x4xf32>, %b: tensor<3xi64>) -> tensor<3x2x1x1xf32> {
  // expected-error @+1 {{'onnx.RoiAlign' op output_height and output_width must be >= 1, got 0 and 1}}
  %0 = onnx.RoiAlign %x, %r, %b {output_height = 0 : i64} : (tensor<1x2x8x8xf32>, tensor<3x4xf32>, tensor<3xi64>) -> tensor<3x2x1x1xf32>
  return %0 : tensor<3x2x1x1xf32>
}

// -----

func.func @reduce_keepdims(%x: tensor<2x3xf32>) -> tensor<1x1xf32> {
  %none = onnx.NoValue
  // expected-error @+1 {{'onnx.ReduceSum' op keepdims must be 0 or 1, got 2}}
  %0 = onnx.ReduceSum %x, %none {keepdims = 2 : i64} : (tensor<2x3xf32>, none) -> tensor<1x1xf32>
  return %0 : tensor<1x1xf32>
}

// -----

func.func @reduce_float_axes(%x: tensor<2x3xf32>, %axes: tensor<1xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'onnx.ReduceMax' op axes must be a 1-D integer tensor, got 'tensor<1xf32>'}}
  %0 = onnx.ReduceMax %x, %axes {keepdims = 0 : i64} : (tensor<2x3xf32>, tensor<1xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @argmax_select_last_index(%x: tensor<2x3xf32>) -> tensor<2x1xi64> {
  // expected-error @+1 {{'onnx.ArgMax' op select_last_index must be 0 or 1, got 5}}
  %0 = onnx.ArgMax %x {axis = 1 : i64, select_last_index = 5 : i64} : (tensor<2x3xf32>) -> tensor<2x1xi64>
  return %0 : tensor<2x1xi64>
}

// -----

func.func @cumsum_axis_vector(%x: tensor<2x3xf32>, %a: tensor<2xi64>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'onnx.CumSum' op axis must be an integer scalar (or 1-element tensor), got 'tensor<2xi64>'}}
  %0 = onnx.CumSum %x, %a : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @topk_float_k(%x: tensor<2x3xf32>, %k: tensor<1xf32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{'onnx.TopK' op K must be a 1-element integer tensor, got 'tensor<1xf32>'}}
  %0, %1 = onnx.TopK %x, %k : (tensor<2x3xf32>, tensor<1xf32>) -> (tensor<2x2xf32>, tensor<2x2xi64>)
  return %0 : tensor<2x2xf32>
}

// -----

func.func @conv_group(%x: tensor<1x4x5x5xf32>, %w: tensor<2x4x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %none = onnx.NoValue
  // expected-error @+1 {{'onnx.Conv' op group must be >= 1}}
  %0 = onnx.Conv %x, %w, %none {group = 0 : i64} : (tensor<1x4x5x5xf32>, tensor<2x4x3x3xf32>, none) -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// -----

func.func @random_uniform_like_shape(%x: tensor<2xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'onnx.RandomUniformLike' op output shape does not match the input's shape}}
  %0 = onnx.RandomUniformLike %x : (tensor<2xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// The window verifier (verifyWindow) that Conv and ConvTranspose share.
func.func @conv_kernel_shape_length(%x: tensor<1x4x5x5xf32>, %w: tensor<2x4x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %none = onnx.NoValue
  // expected-error @+1 {{'onnx.Conv' op kernel_shape must have 2 entries}}
  %0 = onnx.Conv %x, %w, %none {kernel_shape = array<i64: 3>} : (tensor<1x4x5x5xf32>, tensor<2x4x3x3xf32>, none) -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// -----

func.func @conv_transpose_strides_length(%x: tensor<1x2x3x3xf32>, %w: tensor<2x1x3x3xf32>) -> tensor<1x1x5x5xf32> {
  %none = onnx.NoValue
  // expected-error @+1 {{'onnx.ConvTranspose' op strides must have 2 entries}}
  %0 = onnx.ConvTranspose %x, %w, %none {strides = array<i64: 1, 1, 1>} : (tensor<1x2x3x3xf32>, tensor<2x1x3x3xf32>, none) -> tensor<1x1x5x5xf32>
  return %0 : tensor<1x1x5x5xf32>
}

// -----

func.func @conv_transpose_rank(%x: tensor<2x3xf32>, %w: tensor<2x1x3x3xf32>) -> tensor<1x1x5x5xf32> {
  %none = onnx.NoValue
  // expected-error @+1 {{'onnx.ConvTranspose' op X and W must have the same rank >= 3, got 'tensor<2x3xf32>' and 'tensor<2x1x3x3xf32>'}}
  %0 = onnx.ConvTranspose %x, %w, %none : (tensor<2x3xf32>, tensor<2x1x3x3xf32>, none) -> tensor<1x1x5x5xf32>
  return %0 : tensor<1x1x5x5xf32>
}
