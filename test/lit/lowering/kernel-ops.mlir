// RUN: %mcc-opt --mcc-lower-to-kernel-ops %s -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @matmul_2d
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4x16xf32>
// CHECK: mcc.sgemm ins(%{{.*}}, %{{.*}} : tensor<4x8xf32>, tensor<8x16xf32>) outs(%[[E]] : tensor<4x16xf32>) -> tensor<4x16xf32>
func.func @matmul_2d(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>) -> tensor<4x16xf32> {
  %0 = onnx.MatMul %a, %b : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

// A batch of A against one B (broadcast) is one batched kernel call.
// CHECK-LABEL: func.func @matmul_batched_broadcast
// CHECK: mcc.sgemm ins(%{{.*}}, %{{.*}} : tensor<2x3x4x8xf32>, tensor<8x16xf32>) outs(%{{.*}} : tensor<2x3x4x16xf32>)
func.func @matmul_batched_broadcast(%a: tensor<2x3x4x8xf32>, %b: tensor<8x16xf32>) -> tensor<2x3x4x16xf32> {
  %0 = onnx.MatMul %a, %b : (tensor<2x3x4x8xf32>, tensor<8x16xf32>) -> tensor<2x3x4x16xf32>
  return %0 : tensor<2x3x4x16xf32>
}

// -----

// Batch dims that broadcast against each other need two strides: the generic lowering keeps them.
// CHECK-LABEL: func.func @matmul_cross_broadcast
// CHECK-NOT: mcc.sgemm
// CHECK: onnx.MatMul
func.func @matmul_cross_broadcast(%a: tensor<2x1x4x8xf32>, %b: tensor<1x3x8x16xf32>) -> tensor<2x3x4x16xf32> {
  %0 = onnx.MatMul %a, %b : (tensor<2x1x4x8xf32>, tensor<1x3x8x16xf32>) -> tensor<2x3x4x16xf32>
  return %0 : tensor<2x3x4x16xf32>
}

// -----

// Integers keep the generic lowering.
// CHECK-LABEL: func.func @matmul_i32
// CHECK-NOT: mcc.sgemm
func.func @matmul_i32(%a: tensor<4x8xi32>, %b: tensor<8x16xi32>) -> tensor<4x16xi32> {
  %0 = onnx.MatMul %a, %b : (tensor<4x8xi32>, tensor<8x16xi32>) -> tensor<4x16xi32>
  return %0 : tensor<4x16xi32>
}

// -----

// Gemm: transB stays a flag, C [N] is the column bias, alpha scales the constant B.
// CHECK-LABEL: func.func @gemm_bias
// CHECK: %[[B:.*]] = onnx.Constant dense<2.000000e+00> : tensor<16x8xf32>
// CHECK: mcc.sgemm ins(%{{.*}}, %[[B]] : tensor<4x8xf32>, tensor<16x8xf32>) bias(%{{.*}} : tensor<16xf32>) outs(%{{.*}} : tensor<4x16xf32>) {trans_b} -> tensor<4x16xf32>
func.func @gemm_bias(%a: tensor<4x8xf32>, %c: tensor<16xf32>) -> tensor<4x16xf32> {
  %b = onnx.Constant dense<1.0> : tensor<16x8xf32> : tensor<16x8xf32>
  %0 = onnx.Gemm %a, %b, %c {alpha = 2.0 : f32, transB = 1 : i64} : (tensor<4x8xf32>, tensor<16x8xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

// C [M, N] is the residual; C [M, 1] the row bias.
// CHECK-LABEL: func.func @gemm_residual_rowbias
// CHECK: mcc.sgemm ins({{.*}}) residual(%{{.*}} : tensor<4x16xf32>) outs({{.*}}) {trans_a}
// CHECK: mcc.sgemm ins({{.*}}) bias(%{{.*}} : tensor<4xf32>) outs({{.*}}) {bias_per_m}
func.func @gemm_residual_rowbias(%a: tensor<8x4xf32>, %a2: tensor<4x8xf32>, %b: tensor<8x16xf32>, %c: tensor<4x16xf32>, %d: tensor<4x1xf32>) -> (tensor<4x16xf32>, tensor<4x16xf32>) {
  %0 = onnx.Gemm %a, %b, %c {transA = 1 : i64} : (tensor<8x4xf32>, tensor<8x16xf32>, tensor<4x16xf32>) -> tensor<4x16xf32>
  %1 = onnx.Gemm %a2, %b, %d : (tensor<4x8xf32>, tensor<8x16xf32>, tensor<4x1xf32>) -> tensor<4x16xf32>
  return %0, %1 : tensor<4x16xf32>, tensor<4x16xf32>
}

// -----

// A non-constant B with alpha != 1 keeps the generic lowering.
// CHECK-LABEL: func.func @gemm_alpha_variable
// CHECK-NOT: mcc.sgemm
func.func @gemm_alpha_variable(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>) -> tensor<4x16xf32> {
  %none = onnx.NoValue
  %0 = onnx.Gemm %a, %b, %none {alpha = 0.5 : f32} : (tensor<4x8xf32>, tensor<8x16xf32>, none) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

// Conv 2-D: pads resolved to (top, left), bias kept, strides and dilations as pairs.
// CHECK-LABEL: func.func @conv_2d
// CHECK: mcc.conv2d ins(%{{.*}}, %{{.*}} : tensor<1x4x9x9xf32>, tensor<8x2x3x3xf32>) bias(%{{.*}} : tensor<8xf32>) outs(%{{.*}} : tensor<1x8x4x4xf32>) {dilations = array<i64: 2, 2>, group = 2 : i64, kernel = array<i64: 3, 3>, pads = array<i64: 1, 1>, strides = array<i64: 2, 2>}
func.func @conv_2d(%x: tensor<1x4x9x9xf32>, %b: tensor<8xf32>) -> tensor<1x8x4x4xf32> {
  %w = onnx.Constant dense<1.0> : tensor<8x2x3x3xf32> : tensor<8x2x3x3xf32>
  %0 = onnx.Conv %x, %w, %b {group = 2 : i64, strides = array<i64: 2, 2>, dilations = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x9x9xf32>, tensor<8x2x3x3xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  return %0 : tensor<1x8x4x4xf32>
}

// -----

// Conv 1-D is the 2-D kernel with H = KH = 1; SAME_UPPER puts the odd padding after.
// CHECK-LABEL: func.func @conv_1d_same
// CHECK: mcc.conv2d ins(%{{.*}}, %{{.*}} : tensor<1x3x10xf32>, tensor<6x3x4xf32>) outs(%{{.*}} : tensor<1x6x10xf32>) {dilations = array<i64: 1, 1>, group = 1 : i64, kernel = array<i64: 1, 4>, pads = array<i64: 0, 1>, strides = array<i64: 1, 1>}
func.func @conv_1d_same(%x: tensor<1x3x10xf32>) -> tensor<1x6x10xf32> {
  %w = onnx.Constant dense<1.0> : tensor<6x3x4xf32> : tensor<6x3x4xf32>
  %none = onnx.NoValue
  %0 = onnx.Conv %x, %w, %none {auto_pad = "SAME_UPPER"} : (tensor<1x3x10xf32>, tensor<6x3x4xf32>, none) -> tensor<1x6x10xf32>
  return %0 : tensor<1x6x10xf32>
}

// -----

// Weights that are not constants cannot be packed at compile time: the generic lowering keeps them,
// as it keeps 3-D convolutions.
// CHECK-LABEL: func.func @conv_not_kernel
// CHECK-NOT: mcc.conv2d
func.func @conv_not_kernel(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %x3: tensor<1x1x4x4x4xf32>) -> (tensor<1x4x6x6xf32>, tensor<1x1x2x2x2xf32>) {
  %none = onnx.NoValue
  %0 = onnx.Conv %x, %w, %none : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, none) -> tensor<1x4x6x6xf32>
  %w3 = onnx.Constant dense<1.0> : tensor<1x1x3x3x3xf32> : tensor<1x1x3x3x3xf32>
  %1 = onnx.Conv %x3, %w3, %none : (tensor<1x1x4x4x4xf32>, tensor<1x1x3x3x3xf32>, none) -> tensor<1x1x2x2x2xf32>
  return %0, %1 : tensor<1x4x6x6xf32>, tensor<1x1x2x2x2xf32>
}
