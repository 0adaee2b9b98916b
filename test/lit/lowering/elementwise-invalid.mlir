// RUN: %mcc-opt --mcc-lower-onnx-to-linalg %s -split-input-file -verify-diagnostics

// Training-mode Dropout draws its mask for float data only.
func.func @dropout_training_int(%x: tensor<8xi32>) -> tensor<8xi32> {
  %none = onnx.NoValue
  %t = onnx.Constant dense<true> : tensor<i1> : tensor<i1>
  // expected-error @+2 {{training-mode Dropout needs float data, not 'i32'}}
  // expected-error @+1 {{failed to legalize operation 'onnx.Dropout'}}
  %0, %1 = onnx.Dropout %x, %none, %t : (tensor<8xi32>, none, tensor<i1>) -> (tensor<8xi32>, none)
  return %0 : tensor<8xi32>
}

// -----

// The ratio is one probability, not one per element.
func.func @dropout_runtime_training_ratio_vector(%x: tensor<8xf32>, %r: tensor<2xf32>, %t: tensor<i1>) -> tensor<8xf32> {
  // expected-error @+2 {{ratio must be a float scalar}}
  // expected-error @+1 {{failed to legalize operation 'onnx.Dropout'}}
  %0, %1 = onnx.Dropout %x, %r, %t : (tensor<8xf32>, tensor<2xf32>, tensor<i1>) -> (tensor<8xf32>, none)
  return %0 : tensor<8xf32>
}

// -----

func.func @add_not_broadcastable(%a: tensor<2x3xf32>, %b: tensor<4xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'onnx.Add' op operand shapes 'tensor<2x3xf32>' and 'tensor<4xf32>' do not broadcast}}
  %0 = onnx.Add %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @sub_not_broadcastable(%a: tensor<2x3x4xf32>, %b: tensor<2x1x5xf32>) -> tensor<2x3x4xf32> {
  // expected-error @+1 {{'onnx.Sub' op operand shapes 'tensor<2x3x4xf32>' and 'tensor<2x1x5xf32>' do not broadcast}}
  %0 = onnx.Sub %a, %b : (tensor<2x3x4xf32>, tensor<2x1x5xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

func.func @mul_mixed_types(%a: tensor<3xf32>, %b: tensor<3xf16>) -> tensor<3xf32> {
  // expected-error @+1 {{'onnx.Mul' op operands have different element types}}
  %0 = onnx.Mul %a, %b : (tensor<3xf32>, tensor<3xf16>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @add_bool(%a: tensor<3xi1>, %b: tensor<3xi1>) -> tensor<3xi1> {
  // expected-error @+2 {{element type 'i1' is not supported}}
  // expected-error @+1 {{failed to legalize operation 'onnx.Add'}}
  %0 = onnx.Add %a, %b : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
  return %0 : tensor<3xi1>
}

// -----

func.func @sigmoid_int(%x: tensor<8xi32>) -> tensor<8xi32> {
  // expected-error @+2 {{element type 'i32' is not supported}}
  // expected-error @+1 {{failed to legalize operation 'onnx.Sigmoid'}}
  %0 = onnx.Sigmoid %x : (tensor<8xi32>) -> tensor<8xi32>
  return %0 : tensor<8xi32>
}

// -----

func.func @clip_bound_not_scalar(%x: tensor<8xf32>, %lo: tensor<2xf32>) -> tensor<8xf32> {
  %none = onnx.NoValue
  // expected-error @+2 {{min must be a scalar}}
  // expected-error @+1 {{failed to legalize operation 'onnx.Clip'}}
  %0 = onnx.Clip %x, %lo, %none : (tensor<8xf32>, tensor<2xf32>, none) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

func.func @and_float(%a: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+2 {{element type 'f32' is not supported}}
  // expected-error @+1 {{failed to legalize operation 'onnx.And'}}
  %0 = onnx.And %a, %b : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @mean_int(%a: tensor<3xi32>, %b: tensor<3xi32>) -> tensor<3xi32> {
  // expected-error @+2 {{element type 'i32' is not supported}}
  // expected-error @+1 {{failed to legalize operation 'onnx.Mean'}}
  %0 = onnx.Mean %a, %b : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi32>
  return %0 : tensor<3xi32>
}

// -----

func.func @max_mixed_types(%a: tensor<3xf32>, %b: tensor<3xf64>) -> tensor<3xf32> {
  // expected-error @+1 {{'onnx.Max' op inputs have different element types}}
  %0 = onnx.Max %a, %b : (tensor<3xf32>, tensor<3xf64>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @sum_not_broadcastable(%a: tensor<3xf32>, %b: tensor<2xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'onnx.Sum' op input shapes do not broadcast}}
  %0 = onnx.Sum %a, %b : (tensor<3xf32>, tensor<2xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @equal_mixed_types(%a: tensor<3xi32>, %b: tensor<3xi64>) -> tensor<3xi1> {
  // expected-error @+1 {{'onnx.Equal' op operands have different element types}}
  %0 = onnx.Equal %a, %b : (tensor<3xi32>, tensor<3xi64>) -> tensor<3xi1>
  return %0 : tensor<3xi1>
}

// -----

func.func @neg_unsigned(%a: tensor<3xui8>) -> tensor<3xui8> {
  // expected-error @+2 {{element type 'ui8' is not supported}}
  // expected-error @+1 {{failed to legalize operation 'onnx.Neg'}}
  %0 = onnx.Neg %a : (tensor<3xui8>) -> tensor<3xui8>
  return %0 : tensor<3xui8>
}

// -----

func.func @sqrt_int(%a: tensor<3xi64>) -> tensor<3xi64> {
  // expected-error @+2 {{element type 'i64' is not supported}}
  // expected-error @+1 {{failed to legalize operation 'onnx.Sqrt'}}
  %0 = onnx.Sqrt %a : (tensor<3xi64>) -> tensor<3xi64>
  return %0 : tensor<3xi64>
}

// -----

func.func @bitwise_and_float(%a: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+2 {{element type 'f32' is not supported}}
  // expected-error @+1 {{failed to legalize operation 'onnx.BitwiseAnd'}}
  %0 = onnx.BitwiseAnd %a, %a : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}
