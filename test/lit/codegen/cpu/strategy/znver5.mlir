// RUN: %mcc-opt --mcc-select-lowering-config="triple=x86_64-unknown-linux-gnu cpu=znver5" %s -split-input-file | FileCheck %s

// znver5 gets the avx512 kernels, register tile 14x32; a constant B is packed into one 1-D constant of
// whole 32-column panels (K = 8 rows).
// CHECK: module attributes {mcc.kernel_isa = "avx512"}
// CHECK-LABEL: func.func @sgemm_constant_b
// CHECK: %[[P:.*]] = arith.constant dense<{{.*}}> : tensor<256xf32>
// CHECK: mcc.sgemm ins(%{{.*}}, %[[P]] : tensor<4x8xf32>, tensor<256xf32>) outs({{.*}}) {b_packed, lowering_config = #mcc.lowering_config<isa = avx512, mr = 14, nr = 32>}
func.func @sgemm_constant_b(%a: tensor<4x8xf32>) -> tensor<4x16xf32> {
  %b = arith.constant dense<1.0> : tensor<8x16xf32>
  %e = tensor.empty() : tensor<4x16xf32>
  %0 = mcc.sgemm ins(%a, %b : tensor<4x8xf32>, tensor<8x16xf32>) outs(%e : tensor<4x16xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

// A B that is not a constant stays unpacked; the conv filter is always packed: a 4x4 output plane (16 pixels)
// runs with the pixels as GEMM rows, so the 3 output channels fill one NR-channel B panel of the 2 inputs.
// CHECK-LABEL: func.func @sgemm_variable_b_conv
// CHECK: mcc.sgemm ins(%{{.*}}, %{{.*}} : tensor<4x8xf32>, tensor<8x16xf32>) outs({{.*}}) {lowering_config = #mcc.lowering_config<isa = avx512, mr = 14, nr = 32>}
// CHECK: mcc.conv2d ins(%{{.*}}, %{{.*}} : tensor<1x2x4x4xf32>, tensor<64xf32>) outs({{.*}}) {{{.*}}filter_packed{{.*}}lowering_config = #mcc.lowering_config<isa = avx512, mr = 14, nr = 32>
func.func @sgemm_variable_b_conv(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>, %x: tensor<1x2x4x4xf32>) -> (tensor<4x16xf32>, tensor<1x3x4x4xf32>) {
  %e = tensor.empty() : tensor<4x16xf32>
  %0 = mcc.sgemm ins(%a, %b : tensor<4x8xf32>, tensor<8x16xf32>) outs(%e : tensor<4x16xf32>) -> tensor<4x16xf32>
  %w = arith.constant dense<1.0> : tensor<3x2x1x1xf32>
  %e2 = tensor.empty() : tensor<1x3x4x4xf32>
  %1 = mcc.conv2d ins(%x, %w : tensor<1x2x4x4xf32>, tensor<3x2x1x1xf32>) outs(%e2 : tensor<1x3x4x4xf32>) {kernel = array<i64: 1, 1>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0>, group = 1 : i64} -> tensor<1x3x4x4xf32>
  return %0, %1 : tensor<4x16xf32>, tensor<1x3x4x4xf32>
}
