// RUN: %mcc-opt --mcc-lower-onnx-to-linalg %s -split-input-file -verify-diagnostics

func.func @reduce_axis_out_of_range(%x: tensor<2x3xf32>) -> tensor<2x1xf32> {
  %a = onnx.Constant dense<[2]> : tensor<1xi64> : tensor<1xi64>
  // expected-error @+2 {{axis 2 out of range for rank 2}}
  // expected-error @+1 {{failed to legalize operation 'onnx.ReduceSum'}}
  %0 = onnx.ReduceSum %x, %a : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<2x1xf32>
  return %0 : tensor<2x1xf32>
}

// -----

func.func @reduce_result_mismatch(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %a = onnx.Constant dense<[1]> : tensor<1xi64> : tensor<1xi64>
  // expected-error @+2 {{the reduced shape does not match the result type 'tensor<2x3xf32>'}}
  // expected-error @+1 {{failed to legalize operation 'onnx.ReduceMean'}}
  %0 = onnx.ReduceMean %x, %a : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @reduce_runtime_axes_no_fit(%x: tensor<2x3xf32>, %a: tensor<1xi64>) -> tensor<5xf32> {
  // expected-error @+2 {{no choice of 1 axes reduces 'tensor<2x3xf32>' to 'tensor<5xf32>'}}
  // expected-error @+1 {{failed to legalize operation 'onnx.ReduceMax'}}
  %0 = onnx.ReduceMax %x, %a {keepdims = 0 : i64} : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

func.func @reduce_bool(%x: tensor<2x3xi1>) -> tensor<1x1xi1> {
  %n = onnx.NoValue
  // expected-error @+2 {{bool reductions are not supported}}
  // expected-error @+1 {{failed to legalize operation 'onnx.ReduceMax'}}
  %0 = onnx.ReduceMax %x, %n : (tensor<2x3xi1>, none) -> tensor<1x1xi1>
  return %0 : tensor<1x1xi1>
}

// -----

func.func @argmax_axis(%x: tensor<2x3xf32>) -> tensor<2x1xi64> {
  // expected-error @+2 {{axis -3 out of range for rank 2}}
  // expected-error @+1 {{failed to legalize operation 'onnx.ArgMax'}}
  %0 = onnx.ArgMax %x {axis = -3 : i64} : (tensor<2x3xf32>) -> tensor<2x1xi64>
  return %0 : tensor<2x1xi64>
}

// -----

func.func @argmin_result_type(%x: tensor<2x3xf32>) -> tensor<2x1xi32> {
  // expected-error @+2 {{result must be int64}}
  // expected-error @+1 {{failed to legalize operation 'onnx.ArgMin'}}
  %0 = onnx.ArgMin %x {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x1xi32>
  return %0 : tensor<2x1xi32>
}

// -----

func.func @cumsum_axis(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %a = onnx.Constant dense<2> : tensor<i64> : tensor<i64>
  // expected-error @+2 {{axis 2 out of range for rank 2}}
  // expected-error @+1 {{failed to legalize operation 'onnx.CumSum'}}
  %0 = onnx.CumSum %x, %a : (tensor<2x3xf32>, tensor<i64>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @topk_k_too_large(%x: tensor<2x3xf32>, %k: tensor<1xi64>) -> (tensor<2x4xf32>, tensor<2x4xi64>) {
  // expected-error @+2 {{K = 4 exceeds the axis size 3}}
  // expected-error @+1 {{failed to legalize operation 'onnx.TopK'}}
  %0, %1 = onnx.TopK %x, %k : (tensor<2x3xf32>, tensor<1xi64>) -> (tensor<2x4xf32>, tensor<2x4xi64>)
  return %0, %1 : tensor<2x4xf32>, tensor<2x4xi64>
}

// -----

func.func @topk_k_mismatch(%x: tensor<2x3xf32>) -> (tensor<2x2xf32>, tensor<2x2xi64>) {
  %k = onnx.Constant dense<[1]> : tensor<1xi64> : tensor<1xi64>
  // expected-error @+2 {{K input does not match the result size 2}}
  // expected-error @+1 {{failed to legalize operation 'onnx.TopK'}}
  %0, %1 = onnx.TopK %x, %k : (tensor<2x3xf32>, tensor<1xi64>) -> (tensor<2x2xf32>, tensor<2x2xi64>)
  return %0, %1 : tensor<2x2xf32>, tensor<2x2xi64>
}
