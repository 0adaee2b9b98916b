// RUN: %mcc-opt --mcc-lower-onnx-to-linalg %s -split-input-file -verify-diagnostics

func.func @multinomial_negative_samples(%x: tensor<2x3xf32>) -> tensor<2x4xi32> {
  // expected-error @+1 {{sample_size must be >= 1}}
  %0 = onnx.Multinomial %x {sample_size = -4 : i64} : (tensor<2x3xf32>) -> tensor<2x4xi32>
  return %0 : tensor<2x4xi32>
}

// -----

func.func @uniform_int(%x: tensor<3xi32>) -> tensor<3xi32> {
  // expected-error @+1 {{output must be a float tensor, not 'i32'}}
  %0 = onnx.RandomUniformLike %x : (tensor<3xi32>) -> tensor<3xi32>
  return %0 : tensor<3xi32>
}

// -----

func.func @normal_dtype(%x: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{dtype 11 does not match the output element type 'f32'}}
  %0 = onnx.RandomNormalLike %x {dtype = 11 : i64} : (tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @uniform_shape() -> tensor<3xf32> {
  // expected-error @+1 {{output shape does not match the shape attribute}}
  %0 = onnx.RandomUniform {shape = array<i64: 4>} : () -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @multinomial_dtype(%x: tensor<2x3xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{dtype 1 is not int32 (6) or int64 (7)}}
  %0 = onnx.Multinomial %x {dtype = 1 : i64, sample_size = 4 : i64} : (tensor<2x3xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}
