// RUN: %mcc-opt --mcc-lower-onnx-to-linalg %s -split-input-file -verify-diagnostics

func.func @dft_onesided_complex(%x: tensor<1x4x2xf32>) -> tensor<1x3x2xf32> {
  %none = onnx.NoValue
  // expected-error @+2 {{onesided needs a real input ([..., 1]), the input is complex}}
  // expected-error @+1 {{failed to legalize operation 'onnx.DFT'}}
  %0 = onnx.DFT %x, %none {onesided = 1 : i64} : (tensor<1x4x2xf32>, none) -> tensor<1x3x2xf32>
  return %0 : tensor<1x3x2xf32>
}

// -----

func.func @dft_axis_not_signal(%x: tensor<1x4x1xf32>) -> tensor<1x4x2xf32> {
  %none = onnx.NoValue
  // expected-error @+2 {{axis 2 is not a signal dim of a rank-3 input}}
  // expected-error @+1 {{failed to legalize operation 'onnx.DFT'}}
  %0 = onnx.DFT %x, %none {axis = 2 : i64} : (tensor<1x4x1xf32>, none) -> tensor<1x4x2xf32>
  return %0 : tensor<1x4x2xf32>
}

// -----

func.func @dft_length_mismatch(%x: tensor<1x4x1xf32>) -> tensor<1x4x2xf32> {
  %n = onnx.Constant dense<6> : tensor<i64> : tensor<i64>
  // expected-error @+2 {{dft_length 6 gives 6 frequencies, the result has 4}}
  // expected-error @+1 {{failed to legalize operation 'onnx.DFT'}}
  %0 = onnx.DFT %x, %n : (tensor<1x4x1xf32>, tensor<i64>) -> tensor<1x4x2xf32>
  return %0 : tensor<1x4x2xf32>
}

// -----

func.func @dft_onesided_inverse(%x: tensor<1x4x1xf32>) -> tensor<1x3x2xf32> {
  %none = onnx.NoValue
  // expected-error @+2 {{onesided with inverse is not supported}}
  // expected-error @+1 {{failed to legalize operation 'onnx.DFT'}}
  %0 = onnx.DFT %x, %none {onesided = 1 : i64, inverse = 1 : i64} : (tensor<1x4x1xf32>, none) -> tensor<1x3x2xf32>
  return %0 : tensor<1x3x2xf32>
}

// -----

func.func @stft_no_length(%s: tensor<1x16x1xf32>, %step: tensor<i64>) -> tensor<1x7x3x2xf32> {
  %none = onnx.NoValue
  // expected-error @+2 {{needs a window or a frame_length}}
  // expected-error @+1 {{failed to legalize operation 'onnx.STFT'}}
  %0 = onnx.STFT %s, %step, %none, %none : (tensor<1x16x1xf32>, tensor<i64>, none, none) -> tensor<1x7x3x2xf32>
  return %0 : tensor<1x7x3x2xf32>
}

// -----

func.func @stft_step_mismatch(%s: tensor<1x16x1xf32>, %w: tensor<4xf32>) -> tensor<1x7x3x2xf32> {
  %none = onnx.NoValue
  %step = onnx.Constant dense<3> : tensor<i64> : tensor<i64>
  // expected-error @+2 {{frame_step 3 gives 5 frames, the result has 7}}
  // expected-error @+1 {{failed to legalize operation 'onnx.STFT'}}
  %0 = onnx.STFT %s, %step, %w, %none : (tensor<1x16x1xf32>, tensor<i64>, tensor<4xf32>, none) -> tensor<1x7x3x2xf32>
  return %0 : tensor<1x7x3x2xf32>
}

// -----

func.func @stft_length_differs_from_window(%s: tensor<1x16x1xf32>, %step: tensor<i64>, %w: tensor<4xf32>) -> tensor<1x7x3x2xf32> {
  %n = onnx.Constant dense<5> : tensor<i64> : tensor<i64>
  // expected-error @+2 {{frame_length 5 differs from the window length 4}}
  // expected-error @+1 {{failed to legalize operation 'onnx.STFT'}}
  %0 = onnx.STFT %s, %step, %w, %n : (tensor<1x16x1xf32>, tensor<i64>, tensor<4xf32>, tensor<i64>) -> tensor<1x7x3x2xf32>
  return %0 : tensor<1x7x3x2xf32>
}

// -----

func.func @window_size_mismatch() -> tensor<5xf32> {
  %n = onnx.Constant dense<4> : tensor<i64> : tensor<i64>
  // expected-error @+2 {{size 4 differs from the result length 5}}
  // expected-error @+1 {{failed to legalize operation 'onnx.HannWindow'}}
  %0 = onnx.HannWindow %n : (tensor<i64>) -> tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

func.func @window_datatype_mismatch(%n: tensor<i64>) -> tensor<5xf32> {
  // expected-error @+2 {{output_datatype 11 names 'f64', but the result is 'tensor<5xf32>'}}
  // expected-error @+1 {{failed to legalize operation 'onnx.HannWindow'}}
  %0 = onnx.HannWindow %n {output_datatype = 11 : i64} : (tensor<i64>) -> tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----


func.func @window_float_size(%n: tensor<f32>) -> tensor<5xf32> {
  // expected-error @+2 {{size must be a scalar integer, not 'tensor<f32>'}}
  // expected-error @+1 {{failed to legalize operation 'onnx.BlackmanWindow'}}
  %0 = onnx.BlackmanWindow %n : (tensor<f32>) -> tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

func.func @mel_bins_mismatch(%d: tensor<i32>, %r: tensor<i32>, %lo: tensor<f32>, %hi: tensor<f32>) -> tensor<9x8xf32> {
  %m = onnx.Constant dense<6> : tensor<i32> : tensor<i32>
  // expected-error @+2 {{num_mel_bins 6 differs from the result's 8}}
  // expected-error @+1 {{failed to legalize operation 'onnx.MelWeightMatrix'}}
  %0 = onnx.MelWeightMatrix %m, %d, %r, %lo, %hi : (tensor<i32>, tensor<i32>, tensor<i32>, tensor<f32>, tensor<f32>) -> tensor<9x8xf32>
  return %0 : tensor<9x8xf32>
}
