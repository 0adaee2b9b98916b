// RUN: %mcc-opt --mcc-fold-batchnorm --canonicalize %s -split-input-file | FileCheck %s

// W'[m] = W[m] * a[m], B' = (B - mean) * a + beta, a = scale / sqrt(var + eps):
// channel 0: a = 2 / sqrt(3 + 1) = 1 -> W' = [1, 2], B' = (1 - 1) * 1 + 0.5 = 0.5
// channel 1: a = 3 / sqrt(8 + 1) = 1 -> W' = [3, 4], B' = (0 - 2) * 1 + 1 = -1
// CHECK-LABEL: func.func @conv_bn
// CHECK-DAG: onnx.Constant dense<{{\[}}[{{\[}}[1.000000e+00]], {{\[}}[2.000000e+00]]], {{\[}}[{{\[}}3.000000e+00]], {{\[}}[4.000000e+00]]]]>
// CHECK-DAG: onnx.Constant dense<[5.000000e-01, -1.000000e+00]>
// CHECK: onnx.Conv
// CHECK-NOT: onnx.BatchNormalization
func.func @conv_bn(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %w = onnx.Constant dense<[[[[1.0]], [[2.0]]], [[[3.0]], [[4.0]]]]> : tensor<2x2x1x1xf32> : tensor<2x2x1x1xf32>
  %b = onnx.Constant dense<[1.0, 0.0]> : tensor<2xf32> : tensor<2xf32>
  %scale = onnx.Constant dense<[2.0, 3.0]> : tensor<2xf32> : tensor<2xf32>
  %beta = onnx.Constant dense<[0.5, 1.0]> : tensor<2xf32> : tensor<2xf32>
  %mean = onnx.Constant dense<[1.0, 2.0]> : tensor<2xf32> : tensor<2xf32>
  %var = onnx.Constant dense<[3.0, 8.0]> : tensor<2xf32> : tensor<2xf32>
  %none = onnx.NoValue
  %c = onnx.Conv %x, %w, %b : (tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  %y, %rm, %rv = onnx.BatchNormalization %c, %scale, %beta, %mean, %var {epsilon = 1.0 : f32} : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<1x2x3x3xf32>, none, none)
  return %y : tensor<1x2x3x3xf32>
}

// -----

// A Conv with another user keeps its BatchNormalization.
// CHECK-LABEL: func.func @conv_shared
// CHECK: onnx.BatchNormalization
func.func @conv_shared(%x: tensor<1x2x3x3xf32>) -> (tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>) {
  %w = onnx.Constant dense<1.0> : tensor<2x2x1x1xf32> : tensor<2x2x1x1xf32>
  %s = onnx.Constant dense<1.0> : tensor<2xf32> : tensor<2xf32>
  %none = onnx.NoValue
  %c = onnx.Conv %x, %w, %none : (tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>, none) -> tensor<1x2x3x3xf32>
  %y, %rm, %rv = onnx.BatchNormalization %c, %s, %s, %s, %s : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<1x2x3x3xf32>, none, none)
  return %y, %c : tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>
}

// -----

// Statistics that are graph inputs cannot be folded.
// CHECK-LABEL: func.func @runtime_stats
// CHECK: onnx.BatchNormalization
func.func @runtime_stats(%x: tensor<1x2x3x3xf32>, %m: tensor<2xf32>) -> tensor<1x2x3x3xf32> {
  %w = onnx.Constant dense<1.0> : tensor<2x2x1x1xf32> : tensor<2x2x1x1xf32>
  %s = onnx.Constant dense<1.0> : tensor<2xf32> : tensor<2xf32>
  %none = onnx.NoValue
  %c = onnx.Conv %x, %w, %none : (tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>, none) -> tensor<1x2x3x3xf32>
  %y, %rm, %rv = onnx.BatchNormalization %c, %s, %s, %m, %s : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<1x2x3x3xf32>, none, none)
  return %y : tensor<1x2x3x3xf32>
}
