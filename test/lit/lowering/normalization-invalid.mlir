// RUN: %mcc-opt --mcc-lower-onnx-to-linalg %s -split-input-file -verify-diagnostics

func.func @batchnorm_training(%x: tensor<1x3x4x4xf32>, %s: tensor<3xf32>) -> tensor<1x3x4x4xf32> {
  // expected-error @+1 {{'onnx.BatchNormalization' op training_mode=1 is not supported (inference compiler)}}
  %0, %1, %2 = onnx.BatchNormalization %x, %s, %s, %s, %s {training_mode = 1 : i64} : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<1x3x4x4xf32>, none, none)
  return %0 : tensor<1x3x4x4xf32>
}

// -----

func.func @batchnorm_rank1(%x: tensor<3xf32>, %s: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'onnx.BatchNormalization' op X must have rank >= 2}}
  %0, %1, %2 = onnx.BatchNormalization %x, %s, %s, %s, %s : (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, none, none)
  return %0 : tensor<3xf32>
}

// -----

func.func @batchnorm_stats_rank(%x: tensor<1x3x4x4xf32>, %s: tensor<3xf32>, %m: tensor<1x3xf32>) -> tensor<1x3x4x4xf32> {
  // expected-error @+1 {{'onnx.BatchNormalization' op scale, B, mean and var must be 1-D}}
  %0, %1, %2 = onnx.BatchNormalization %x, %s, %s, %m, %s : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<1x3xf32>, tensor<3xf32>) -> (tensor<1x3x4x4xf32>, none, none)
  return %0 : tensor<1x3x4x4xf32>
}

// -----

func.func @batchnorm_channels(%x: tensor<1x3x4x4xf32>, %s: tensor<4xf32>) -> tensor<1x3x4x4xf32> {
  // expected-error @+2 {{scale, B, mean and var must have 3 elements of 'f32'}}
  // expected-error @+1 {{failed to legalize operation 'onnx.BatchNormalization'}}
  %0, %1, %2 = onnx.BatchNormalization %x, %s, %s, %s, %s : (tensor<1x3x4x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> (tensor<1x3x4x4xf32>, none, none)
  return %0 : tensor<1x3x4x4xf32>
}

// -----

func.func @batchnorm_running_outputs(%x: tensor<1x3x4x4xf32>, %s: tensor<3xf32>) -> tensor<1x3x4x4xf32> {
  // expected-error @+2 {{running_mean/running_var outputs exist only in training mode}}
  // expected-error @+1 {{failed to legalize operation 'onnx.BatchNormalization'}}
  %0, %1, %2 = onnx.BatchNormalization %x, %s, %s, %s, %s : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>)
  return %0 : tensor<1x3x4x4xf32>
}

// -----

func.func @softmax_axis_out_of_range(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  // expected-error @+2 {{axis 2 out of range for rank 2}}
  // expected-error @+1 {{failed to legalize operation 'onnx.Softmax'}}
  %0 = onnx.Softmax %x {axis = 2 : i64} : (tensor<2x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @softmax_rank0(%x: tensor<f32>) -> tensor<f32> {
  // expected-error @+2 {{input must have rank >= 1}}
  // expected-error @+1 {{failed to legalize operation 'onnx.Softmax'}}
  %0 = onnx.Softmax %x : (tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @softmax_integer(%x: tensor<2x5xi32>) -> tensor<2x5xi32> {
  // expected-error @+2 {{element type 'i32' is not supported}}
  // expected-error @+1 {{failed to legalize operation 'onnx.Softmax'}}
  %0 = onnx.Softmax %x : (tensor<2x5xi32>) -> tensor<2x5xi32>
  return %0 : tensor<2x5xi32>
}
