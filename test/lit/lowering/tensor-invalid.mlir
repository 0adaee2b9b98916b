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

// -----

func.func @pad_wrap_mode(%x: tensor<3xf32>) -> tensor<5xf32> {
  %pads = onnx.Constant dense<[1, 1]> : tensor<2xi64> : tensor<2xi64>
  %none = onnx.NoValue
  // expected-error @+2 {{mode 'wrap' is not one of constant, reflect, edge}}
  // expected-error @+1 {{failed to legalize operation 'onnx.Pad'}}
  %0 = onnx.Pad %x, %pads, %none {mode = "wrap"} : (tensor<3xf32>, tensor<2xi64>, none) -> tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

func.func @slice_zero_step(%x: tensor<4xf32>) -> tensor<2xf32> {
  %s = onnx.Constant dense<[0]> : tensor<1xi64> : tensor<1xi64>
  %e = onnx.Constant dense<[2]> : tensor<1xi64> : tensor<1xi64>
  %a = onnx.Constant dense<[0]> : tensor<1xi64> : tensor<1xi64>
  %st = onnx.Constant dense<[0]> : tensor<1xi64> : tensor<1xi64>
  // expected-error @+2 {{steps must not be 0}}
  // expected-error @+1 {{failed to legalize operation 'onnx.Slice'}}
  %0 = onnx.Slice %x, %s, %e, %a, %st : (tensor<4xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @depth_to_space_bad_mode(%x: tensor<1x4x1x1xf32>) -> tensor<1x1x2x2xf32> {
  // expected-error @+2 {{mode 'XYZ' is not DCR or CRD}}
  // expected-error @+1 {{failed to legalize operation 'onnx.DepthToSpace'}}
  %0 = onnx.DepthToSpace %x {blocksize = 2 : i64, mode = "XYZ"} : (tensor<1x4x1x1xf32>) -> tensor<1x1x2x2xf32>
  return %0 : tensor<1x1x2x2xf32>
}
