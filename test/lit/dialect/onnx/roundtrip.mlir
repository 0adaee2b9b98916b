// The onnx dialect prints what it parses: one op per family, with its attributes and omitted operands
// (`none`), through print -> parse -> print.
// RUN: %mcc-opt %s | %mcc-opt | FileCheck %s

// CHECK-LABEL: func.func @families
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x4x4xf32>, %[[W:.*]]: tensor<3x2x3x3xf32>, %[[M:.*]]: tensor<4x4xf32>)
func.func @families(%x: tensor<1x2x4x4xf32>, %w: tensor<3x2x3x3xf32>, %m: tensor<4x4xf32>)
    -> (tensor<1x3x4x4xf32>, tensor<1x2x2x2xf32>, tensor<1x2x1x1xf32>, tensor<4x4xf32>, tensor<4xi64>,
        tensor<1x2x4x4xf32>, tensor<4x4xf32>, tensor<1x2x4x4xf32>) {
  // CHECK: %[[NONE:.*]] = onnx.NoValue
  %none = onnx.NoValue
  // CHECK: onnx.Conv %[[X]], %[[W]], %[[NONE]] {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x4xf32>, tensor<3x2x3x3xf32>, none) -> tensor<1x3x4x4xf32>
  %conv = onnx.Conv %x, %w, %none {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x4xf32>, tensor<3x2x3x3xf32>, none) -> tensor<1x3x4x4xf32>
  // CHECK: onnx.MaxPool %[[X]] {auto_pad = "VALID", kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x2x4x4xf32>) -> (tensor<1x2x2x2xf32>, none)
  %pool, %idx = onnx.MaxPool %x {auto_pad = "VALID", kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x2x4x4xf32>) -> (tensor<1x2x2x2xf32>, none)
  // CHECK: onnx.ReduceMean %[[X]], %[[NONE]] : (tensor<1x2x4x4xf32>, none) -> tensor<1x2x1x1xf32>
  %mean = onnx.ReduceMean %x, %none : (tensor<1x2x4x4xf32>, none) -> tensor<1x2x1x1xf32>
  // CHECK: onnx.MatMul %[[M]], %[[M]] : (tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32>
  %mm = onnx.MatMul %m, %m : (tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32>
  // CHECK: onnx.ArgMax %[[M]] {axis = 1 : i64, keepdims = 0 : i64} : (tensor<4x4xf32>) -> tensor<4xi64>
  %arg = onnx.ArgMax %m {axis = 1 : i64, keepdims = 0 : i64} : (tensor<4x4xf32>) -> tensor<4xi64>
  // CHECK: onnx.Relu %[[X]] : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %relu = onnx.Relu %x : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  // CHECK: onnx.Softmax %[[M]] : (tensor<4x4xf32>) -> tensor<4x4xf32>
  %sm = onnx.Softmax %m {axis = -1 : i64} : (tensor<4x4xf32>) -> tensor<4x4xf32>
  // CHECK: onnx.Dropout %[[X]], %[[NONE]], %[[NONE]] {seed = 7 : i64} : (tensor<1x2x4x4xf32>, none, none) -> (tensor<1x2x4x4xf32>, none)
  %drop, %mask = onnx.Dropout %x, %none, %none {seed = 7 : i64} : (tensor<1x2x4x4xf32>, none, none) -> (tensor<1x2x4x4xf32>, none)
  return %conv, %pool, %mean, %mm, %arg, %relu, %sm, %drop : tensor<1x3x4x4xf32>, tensor<1x2x2x2xf32>, tensor<1x2x1x1xf32>, tensor<4x4xf32>, tensor<4xi64>, tensor<1x2x4x4xf32>, tensor<4x4xf32>, tensor<1x2x4x4xf32>
}

// CHECK-LABEL: func.func @random
// CHECK: onnx.RandomNormal {mean = 1.000000e+00 : f32, seed = 3.000000e+00 : f32, shape = array<i64: 2, 3>} : () -> tensor<2x3xf32>
func.func @random() -> tensor<2x3xf32> {
  %0 = onnx.RandomNormal {mean = 1.0 : f32, seed = 3.0 : f32, shape = array<i64: 2, 3>} : () -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
