// RUN: %mcc-opt --mcc-lower-onnx-to-linalg %s -split-input-file -verify-diagnostics

func.func @scale_not_per_axis(%x: tensor<2x3xf32>, %s: tensor<2xf32>) -> tensor<2x3xui8> {
  %none = onnx.NoValue
  // expected-error @+2 {{y_scale must be a scalar or a vector of the size of x's axis 1}}
  // expected-error @+1 {{failed to legalize operation 'onnx.QuantizeLinear'}}
  %0 = onnx.QuantizeLinear %x, %s, %none : (tensor<2x3xf32>, tensor<2xf32>, none) -> tensor<2x3xui8>
  return %0 : tensor<2x3xui8>
}

// -----

func.func @zero_point_shape(%x: tensor<2x3xi8>, %s: tensor<3xf32>, %z: tensor<i8>) -> tensor<2x3xf32> {
  // expected-error @+2 {{x_zero_point must have the shape of x_scale}}
  // expected-error @+1 {{failed to legalize operation 'onnx.DequantizeLinear'}}
  %0 = onnx.DequantizeLinear %x, %s, %z : (tensor<2x3xi8>, tensor<3xf32>, tensor<i8>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @quantize_to_float(%x: tensor<4xf32>, %s: tensor<f32>) -> tensor<4xf32> {
  %none = onnx.NoValue
  // expected-error @+2 {{result element type must be an 8-, 4- or 2-bit integer, float8 or float4, got 'tensor<4xf32>'}}
  // expected-error @+1 {{failed to legalize operation 'onnx.QuantizeLinear'}}
  %0 = onnx.QuantizeLinear %x, %s, %none : (tensor<4xf32>, tensor<f32>, none) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
