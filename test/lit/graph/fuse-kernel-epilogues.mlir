// RUN: %mcc-opt --mcc-lower-to-kernel-ops --mcc-fuse-kernel-epilogues %s -split-input-file | FileCheck %s

// Conv -> Add(bias [M,1,1]) -> Add(residual) -> Relu: one conv, the bias summed into its own.
// CHECK-LABEL: func.func @conv_bias_residual_relu
// CHECK: %[[BIAS:.*]] = onnx.Constant dense<[1.500000e+00, 2.500000e+00]> : tensor<2xf32>
// CHECK: %[[Y:.*]] = mcc.conv2d ins(%{{.*}}, %{{.*}} : tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) bias(%[[BIAS]] : tensor<2xf32>) residual(%{{.*}} : tensor<1x2x4x4xf32>) outs({{.*}}) {act = #mcc<act relu>
// CHECK-NOT: onnx.
// CHECK: return %[[Y]]
func.func @conv_bias_residual_relu(%x: tensor<1x2x4x4xf32>, %r: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = onnx.Constant dense<1.0> : tensor<2x2x1x1xf32> : tensor<2x2x1x1xf32>
  %b = onnx.Constant dense<[1.0, 2.0]> : tensor<2xf32> : tensor<2xf32>
  %b2 = onnx.Constant dense<0.5> : tensor<2x1x1xf32> : tensor<2x1x1xf32>
  %0 = onnx.Conv %x, %w, %b : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %1 = onnx.Add %0, %b2 : (tensor<1x2x4x4xf32>, tensor<2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %2 = onnx.Add %r, %1 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %3 = onnx.Relu %2 : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %3 : tensor<1x2x4x4xf32>
}

// -----

// MatMul -> Add([N]) -> Clip(0, 6): column bias and Relu6.
// CHECK-LABEL: func.func @matmul_bias_relu6
// CHECK: mcc.sgemm ins({{.*}}) bias(%{{.*}} : tensor<16xf32>) outs({{.*}}) {act = #mcc<act clip>, beta = 6.000000e+00 : f32}
// CHECK-NOT: onnx.Clip
func.func @matmul_bias_relu6(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>) -> tensor<4x16xf32> {
  %c = onnx.Constant dense<1.0> : tensor<1x16xf32> : tensor<1x16xf32>
  %lo = onnx.Constant dense<0.0> : tensor<f32> : tensor<f32>
  %hi = onnx.Constant dense<6.0> : tensor<f32> : tensor<f32>
  %0 = onnx.MatMul %a, %b : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  %1 = onnx.Add %c, %0 : (tensor<1x16xf32>, tensor<4x16xf32>) -> tensor<4x16xf32>
  %2 = onnx.Clip %1, %lo, %hi : (tensor<4x16xf32>, tensor<f32>, tensor<f32>) -> tensor<4x16xf32>
  return %2 : tensor<4x16xf32>
}

// -----

// x * Sigmoid(x) is SiLU; LeakyRelu keeps its alpha.
// CHECK-LABEL: func.func @silu_leaky
// CHECK: mcc.conv2d {{.*}} {act = #mcc<act silu>
// CHECK: mcc.sgemm {{.*}} {act = #mcc<act leaky_relu>, alpha = 2.000000e-01 : f32
// CHECK-NOT: onnx.Sigmoid
func.func @silu_leaky(%x: tensor<1x2x4x4xf32>, %a: tensor<4x8xf32>, %b: tensor<8x16xf32>) -> (tensor<1x2x4x4xf32>, tensor<4x16xf32>) {
  %w = onnx.Constant dense<1.0> : tensor<2x2x1x1xf32> : tensor<2x2x1x1xf32>
  %none = onnx.NoValue
  %0 = onnx.Conv %x, %w, %none : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, none) -> tensor<1x2x4x4xf32>
  %1 = onnx.Sigmoid %0 : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %2 = onnx.Mul %0, %1 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %3 = onnx.MatMul %a, %b : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  %4 = onnx.LeakyRelu %3 {alpha = 0.2 : f32} : (tensor<4x16xf32>) -> tensor<4x16xf32>
  return %2, %4 : tensor<1x2x4x4xf32>, tensor<4x16xf32>
}

// -----

// A result with two users, a bias after an activation, and an Add that broadcasts the result up are
// not epilogues.
// CHECK-LABEL: func.func @not_fused
// CHECK: mcc.sgemm {{.*}} {act = #mcc<act relu>
// CHECK: onnx.Add
// CHECK: mcc.sgemm ins
// CHECK-NOT: act
// CHECK: onnx.Relu
// CHECK: onnx.Add
func.func @not_fused(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>, %big: tensor<2x4x16xf32>) -> (tensor<4x16xf32>, tensor<4x16xf32>, tensor<2x4x16xf32>) {
  %c = onnx.Constant dense<1.0> : tensor<16xf32> : tensor<16xf32>
  %0 = onnx.MatMul %a, %b : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  %1 = onnx.Relu %0 : (tensor<4x16xf32>) -> tensor<4x16xf32>
  %2 = onnx.Add %1, %c : (tensor<4x16xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  %3 = onnx.MatMul %a, %b : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  %4 = onnx.Relu %3 : (tensor<4x16xf32>) -> tensor<4x16xf32>
  %5 = onnx.Add %3, %big : (tensor<4x16xf32>, tensor<2x4x16xf32>) -> tensor<2x4x16xf32>
  return %2, %4, %5 : tensor<4x16xf32>, tensor<4x16xf32>, tensor<2x4x16xf32>
}
