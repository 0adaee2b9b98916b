// RUN: %mcc-opt --mcc-lower-onnx-to-linalg %s -split-input-file -verify-diagnostics

func.func @scatter_bad_reduction(%d: tensor<3xf32>, %i: tensor<1xi64>, %u: tensor<1xf32>) -> tensor<3xf32> {
  // expected-error @+2 {{reduction 'avg' is not one of none, add, mul, max, min}}
  // expected-error @+1 {{failed to legalize operation 'onnx.ScatterElements'}}
  %0 = onnx.ScatterElements %d, %i, %u {reduction = "avg"} : (tensor<3xf32>, tensor<1xi64>, tensor<1xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @gather_constant_index_out_of_range(%d: tensor<4x3xf32>) -> tensor<1x3xf32> {
  %i = onnx.Constant dense<[4]> : tensor<1xi64> : tensor<1xi64>
  // expected-error @+2 {{index 4 is out of range for an axis of size 4}}
  // expected-error @+1 {{failed to legalize operation 'onnx.Gather'}}
  %0 = onnx.Gather %d, %i {axis = 0 : i64} : (tensor<4x3xf32>, tensor<1xi64>) -> tensor<1x3xf32>
  return %0 : tensor<1x3xf32>
}

// -----

func.func @scatter_nd_constant_index_out_of_range(%d: tensor<4xf32>, %u: tensor<1xf32>) -> tensor<4xf32> {
  %i = onnx.Constant dense<[[-5]]> : tensor<1x1xi64> : tensor<1x1xi64>
  // expected-error @+2 {{index -5 is out of range for an axis of size 4}}
  // expected-error @+1 {{failed to legalize operation 'onnx.ScatterND'}}
  %0 = onnx.ScatterND %d, %i, %u : (tensor<4xf32>, tensor<1x1xi64>, tensor<1xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
