// RUN: %mcc-opt --mcc-lower-onnx-to-linalg %s -split-input-file -verify-diagnostics

func.func @transpose_duplicate(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // expected-error @+1 {{'onnx.Transpose' op perm is not a permutation}}
  %0 = onnx.Transpose %x {perm = array<i64: 0, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @transpose_out_of_range(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // expected-error @+1 {{'onnx.Transpose' op perm is not a permutation}}
  %0 = onnx.Transpose %x {perm = array<i64: 1, 2>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @transpose_wrong_length(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // expected-error @+1 {{'onnx.Transpose' op perm has 3 entries for rank 2}}
  %0 = onnx.Transpose %x {perm = array<i64: 1, 0, 2>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @concat_rank_mismatch(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x6xf32> {
  // expected-error @+1 {{'onnx.Concat' op inputs have different ranks}}
  %0 = onnx.Concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// -----

func.func @concat_axis_out_of_range(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) -> tensor<2x6xf32> {
  // expected-error @+1 {{'onnx.Concat' op axis 2 out of range for rank 2}}
  %0 = onnx.Concat %a, %b {axis = 2 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// -----

func.func @concat_shape_mismatch(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>) -> tensor<2x6xf32> {
  // expected-error @+2 {{input 'tensor<4x3xf32>' does not fit the concatenation 'tensor<2x6xf32>'}}
  // expected-error @+1 {{failed to legalize operation 'onnx.Concat'}}
  %0 = onnx.Concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// -----

func.func @reshape_element_count(%x: tensor<2x3x4xf32>) -> tensor<2x13xf32> {
  // expected-error @+2 {{cannot reshape 'tensor<2x3x4xf32>' to 'tensor<2x13xf32>'}}
  // expected-error @+1 {{failed to legalize operation 'onnx.Flatten'}}
  %0 = onnx.Flatten %x : (tensor<2x3x4xf32>) -> tensor<2x13xf32>
  return %0 : tensor<2x13xf32>
}

// -----

func.func @reshape_dynamic(%x: tensor<?x3xf32>, %s: tensor<1xi64>) -> tensor<?xf32> {
  // expected-error @+2 {{dynamic shapes are not supported by this op's lowering yet}}
  // expected-error @+1 {{failed to legalize operation 'onnx.Reshape'}}
  %0 = onnx.Reshape %x, %s : (tensor<?x3xf32>, tensor<1xi64>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}
