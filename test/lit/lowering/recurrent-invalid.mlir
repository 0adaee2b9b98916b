// RUN: %mcc-opt --mcc-lower-onnx-to-linalg %s -split-input-file -verify-diagnostics

func.func @direction(%x: tensor<2x1x3xf32>, %w: tensor<1x4x3xf32>, %r: tensor<1x4x4xf32>) -> tensor<1x1x4xf32> {
  %none = onnx.NoValue
  // expected-error @+1 {{'onnx.RNN' op direction must be forward, reverse or bidirectional, got 'backward'}}
  %y, %yh = onnx.RNN %x, %w, %r, %none, %none, %none {direction = "backward"} : (tensor<2x1x3xf32>, tensor<1x4x3xf32>, tensor<1x4x4xf32>, none, none, none) -> (none, tensor<1x1x4xf32>)
  return %yh : tensor<1x1x4xf32>
}

// -----

func.func @bidirectional_one_direction_of_weights(%x: tensor<2x1x3xf32>, %w: tensor<1x4x3xf32>, %r: tensor<1x4x4xf32>) -> tensor<2x1x4xf32> {
  %none = onnx.NoValue
  // expected-error @+1 {{'onnx.RNN' op W and R must have 2 direction(s) for direction 'bidirectional'}}
  %y, %yh = onnx.RNN %x, %w, %r, %none, %none, %none {direction = "bidirectional"} : (tensor<2x1x3xf32>, tensor<1x4x3xf32>, tensor<1x4x4xf32>, none, none, none) -> (none, tensor<2x1x4xf32>)
  return %yh : tensor<2x1x4xf32>
}

// -----

func.func @gates(%x: tensor<2x1x3xf32>, %w: tensor<1x8x3xf32>, %r: tensor<1x8x4xf32>) -> tensor<1x1x4xf32> {
  %none = onnx.NoValue
  // expected-error @+1 {{'onnx.GRU' op W and R must stack 3 gates of hidden size 4}}
  %y, %yh = onnx.GRU %x, %w, %r, %none, %none, %none : (tensor<2x1x3xf32>, tensor<1x8x3xf32>, tensor<1x8x4xf32>, none, none, none) -> (none, tensor<1x1x4xf32>)
  return %yh : tensor<1x1x4xf32>
}

// -----

func.func @hidden_size(%x: tensor<2x1x3xf32>, %w: tensor<1x16x3xf32>, %r: tensor<1x16x4xf32>) -> tensor<1x1x4xf32> {
  %none = onnx.NoValue
  // expected-error @+1 {{'onnx.LSTM' op hidden_size 5 does not match R's hidden size 4}}
  %y, %yh, %yc = onnx.LSTM %x, %w, %r, %none, %none, %none, %none, %none {hidden_size = 5 : i64} : (tensor<2x1x3xf32>, tensor<1x16x3xf32>, tensor<1x16x4xf32>, none, none, none, none, none) -> (none, tensor<1x1x4xf32>, none)
  return %yh : tensor<1x1x4xf32>
}

// -----

func.func @unknown_activation(%x: tensor<2x1x3xf32>, %w: tensor<1x4x3xf32>, %r: tensor<1x4x4xf32>) -> tensor<1x1x4xf32> {
  %none = onnx.NoValue
  // expected-error @+2 {{activation 'gelu' is not supported}}
  // expected-error @+1 {{failed to legalize operation 'onnx.RNN'}}
  %y, %yh = onnx.RNN %x, %w, %r, %none, %none, %none {activations = ["Gelu"]} : (tensor<2x1x3xf32>, tensor<1x4x3xf32>, tensor<1x4x4xf32>, none, none, none) -> (none, tensor<1x1x4xf32>)
  return %yh : tensor<1x1x4xf32>
}

// -----

func.func @activation_count(%x: tensor<2x1x3xf32>, %w: tensor<1x16x3xf32>, %r: tensor<1x16x4xf32>) -> tensor<1x1x4xf32> {
  %none = onnx.NoValue
  // expected-error @+2 {{activations must list 3 functions, got 2}}
  // expected-error @+1 {{failed to legalize operation 'onnx.LSTM'}}
  %y, %yh, %yc = onnx.LSTM %x, %w, %r, %none, %none, %none, %none, %none {activations = ["Sigmoid", "Tanh"]} : (tensor<2x1x3xf32>, tensor<1x16x3xf32>, tensor<1x16x4xf32>, none, none, none, none, none) -> (none, tensor<1x1x4xf32>, none)
  return %yh : tensor<1x1x4xf32>
}

// -----

func.func @peephole_shape(%x: tensor<2x1x3xf32>, %w: tensor<1x16x3xf32>, %r: tensor<1x16x4xf32>, %p: tensor<1x8xf32>) -> tensor<1x1x4xf32> {
  %none = onnx.NoValue
  // expected-error @+1 {{'onnx.LSTM' op P must be [1, 12], got 'tensor<1x8xf32>'}}
  %y, %yh, %yc = onnx.LSTM %x, %w, %r, %none, %none, %none, %none, %p : (tensor<2x1x3xf32>, tensor<1x16x3xf32>, tensor<1x16x4xf32>, none, none, none, none, tensor<1x8xf32>) -> (none, tensor<1x1x4xf32>, none)
  return %yh : tensor<1x1x4xf32>
}
