// RUN: %mcc-opt --mcc-lower-onnx-to-linalg %s -split-input-file -verify-diagnostics

func.func @batchnorm_training(%x: tensor<1x3x4x4xf32>, %s: tensor<3xf32>) -> tensor<1x3x4x4xf32> {
  // expected-error @+1 {{'onnx.BatchNormalization' op training_mode must be 0 or 1}}
  %0, %1, %2 = onnx.BatchNormalization %x, %s, %s, %s, %s {training_mode = 2 : i64} : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<1x3x4x4xf32>, none, none)
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

// -----

func.func @log_softmax_axis(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  // expected-error @+2 {{axis -3 out of range for rank 2}}
  // expected-error @+1 {{failed to legalize operation 'onnx.LogSoftmax'}}
  %0 = onnx.LogSoftmax %x {axis = -3 : i64} : (tensor<2x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @hardmax_integer(%x: tensor<2x5xi32>) -> tensor<2x5xi32> {
  // expected-error @+2 {{element type 'i32' is not supported}}
  // expected-error @+1 {{failed to legalize operation 'onnx.Hardmax'}}
  %0 = onnx.Hardmax %x : (tensor<2x5xi32>) -> tensor<2x5xi32>
  return %0 : tensor<2x5xi32>
}

// -----

func.func @layer_norm_stash(%x: tensor<2x3xf32>, %s: tensor<3xf32>) -> tensor<2x3xf32> {
  %n = onnx.NoValue
  // expected-error @+2 {{stash_type 0 is not supported (only 1, float32)}}
  // expected-error @+1 {{failed to legalize operation 'onnx.LayerNormalization'}}
  %0, %1, %2 = onnx.LayerNormalization %x, %s, %n {stash_type = 0 : i64} : (tensor<2x3xf32>, tensor<3xf32>, none) -> (tensor<2x3xf32>, none, none)
  return %0 : tensor<2x3xf32>
}

// -----

func.func @layer_norm_scale_shape(%x: tensor<2x3xf32>, %s: tensor<2xf32>) -> tensor<2x3xf32> {
  %n = onnx.NoValue
  // expected-error @+2 {{Scale and B must be 'f32' and broadcast to 'tensor<2x3xf32>'}}
  // expected-error @+1 {{failed to legalize operation 'onnx.LayerNormalization'}}
  %0, %1, %2 = onnx.LayerNormalization %x, %s, %n : (tensor<2x3xf32>, tensor<2xf32>, none) -> (tensor<2x3xf32>, none, none)
  return %0 : tensor<2x3xf32>
}

// -----

func.func @instance_norm_channels(%x: tensor<1x3x4x4xf32>, %s: tensor<4xf32>) -> tensor<1x3x4x4xf32> {
  // expected-error @+2 {{scale and B must have 3 elements of 'f32'}}
  // expected-error @+1 {{failed to legalize operation 'onnx.InstanceNormalization'}}
  %0 = onnx.InstanceNormalization %x, %s, %s : (tensor<1x3x4x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x3x4x4xf32>
  return %0 : tensor<1x3x4x4xf32>
}

// -----

func.func @lp_norm_p3(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{p must be 1 or 2, got 3}}
  // expected-error @+1 {{failed to legalize operation 'onnx.LpNormalization'}}
  %0 = onnx.LpNormalization %x {p = 3 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @nll_reduction(%x: tensor<2x3xf32>, %t: tensor<2xi64>) -> tensor<f32> {
  %n = onnx.NoValue
  // expected-error @+2 {{reduction 'max' is not one of none, sum, mean}}
  // expected-error @+1 {{failed to legalize operation 'onnx.NegativeLogLikelihoodLoss'}}
  %0 = onnx.NegativeLogLikelihoodLoss %x, %t, %n {reduction = "max"} : (tensor<2x3xf32>, tensor<2xi64>, none) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @nll_target_shape(%x: tensor<2x3x4xf32>, %t: tensor<2x5xi64>) -> tensor<f32> {
  %n = onnx.NoValue
  // expected-error @+2 {{target shape 'tensor<2x5xi64>' does not match the input 'tensor<2x3x4xf32>'}}
  // expected-error @+1 {{failed to legalize operation 'onnx.NegativeLogLikelihoodLoss'}}
  %0 = onnx.NegativeLogLikelihoodLoss %x, %t, %n : (tensor<2x3x4xf32>, tensor<2x5xi64>, none) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @sce_rank1(%x: tensor<3xf32>, %t: tensor<i64>) -> tensor<f32> {
  %n = onnx.NoValue
  // expected-error @+2 {{scores must have rank >= 2}}
  // expected-error @+1 {{failed to legalize operation 'onnx.SoftmaxCrossEntropyLoss'}}
  %0, %1 = onnx.SoftmaxCrossEntropyLoss %x, %t, %n : (tensor<3xf32>, tensor<i64>, none) -> (tensor<f32>, none)
  return %0 : tensor<f32>
}

// -----

func.func @nll_constant_class_out_of_range(%x: tensor<2x3xf32>) -> tensor<f32> {
  %t = onnx.Constant dense<[0, 3]> : tensor<2xi64> : tensor<2xi64>
  %n = onnx.NoValue
  // expected-error @+2 {{target class 3 is outside [0, 2]}}
  // expected-error @+1 {{failed to legalize operation 'onnx.NegativeLogLikelihoodLoss'}}
  %0 = onnx.NegativeLogLikelihoodLoss %x, %t, %n {ignore_index = -1 : i64} : (tensor<2x3xf32>, tensor<2xi64>, none) -> tensor<f32>
  return %0 : tensor<f32>
}
