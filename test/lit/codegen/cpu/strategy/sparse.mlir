// RUN: %mcc-opt --mcc-select-lowering-config="triple=x86_64-unknown-linux-gnu cpu=x86-64" %s -split-input-file -verify-diagnostics | FileCheck %s
// RUN: %mcc-opt --mcc-select-lowering-config="triple=x86_64-unknown-linux-gnu cpu=x86-64 sparse=false" %s -split-input-file 2>&1 | FileCheck %s --check-prefix=OFF

// The generic x86-64 kernels use 1 x 4 blocks. B [K=4, N=8] has one nonzero block (k = 2, columns
// 4..7) of 8: it is packed for mcc_spgemm, 2 + (2 panels + 1) + 1 block x (1 + 4) = 10 words, and the
// strategy says why (a remark: `mcc -v` prints them).
// CHECK-LABEL: func.func @mostly_zero
// CHECK: %[[P:.*]] = arith.constant dense<{{.*}}> : tensor<10xf32>
// CHECK: mcc.sgemm ins(%{{.*}}, %[[P]] : tensor<2x4xf32>, tensor<10xf32>) outs({{.*}}) {b_packed, b_sparse = 4 : i64, lowering_config = #mcc.lowering_config<isa = generic, mr = 4, nr = 8>}
// OFF: remark: sgemm 2x4x8: {{.*}} layout dense (sparse kernels disabled)
func.func @mostly_zero(%a: tensor<2x4xf32>) -> tensor<2x8xf32> {
  %b = arith.constant dense<[[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                             [0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 2.0, 3.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]]> : tensor<4x8xf32>
  %e = tensor.empty() : tensor<2x8xf32>
  // expected-remark @below {{sgemm 2x4x8: weights 9.4% nonzero, 1x4 blocks 12.5% nonzero; layout sparse 1x4, 112 of 128 FLOPs saved (88%)}}
  %0 = mcc.sgemm ins(%a, %b : tensor<2x4xf32>, tensor<4x8xf32>) outs(%e : tensor<2x8xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// Zeros scattered so that 6 of 8 blocks still hold a nonzero: above the break-even of the block
// layout, and two rows of A are too few for the column layout: B stays dense.
// CHECK-LABEL: func.func @scattered
// CHECK: mcc.sgemm {{.*}} {b_packed, lowering_config
func.func @scattered(%a: tensor<2x4xf32>) -> tensor<2x8xf32> {
  %b = arith.constant dense<[[1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                             [0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 1.0]]> : tensor<4x8xf32>
  %e = tensor.empty() : tensor<2x8xf32>
  // expected-remark @below {{sgemm 2x4x8: weights 21.9% nonzero, 1x4 blocks 75.0% nonzero; layout dense}}
  %0 = mcc.sgemm ins(%a, %b : tensor<2x4xf32>, tensor<4x8xf32>) outs(%e : tensor<2x8xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// A dense B says nothing (no remark expected) and is packed as always.
// CHECK-LABEL: func.func @dense
// CHECK: mcc.sgemm {{.*}} {b_packed, lowering_config
func.func @dense(%a: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %b = arith.constant dense<1.0> : tensor<4x4xf32>
  %e = tensor.empty() : tensor<2x4xf32>
  %0 = mcc.sgemm ins(%a, %b : tensor<2x4xf32>, tensor<4x4xf32>) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// Scattered zeros again, 6 of 64 weights nonzero but in 6 of 16 blocks; with four rows of A (one
// vector) the column layout wins: 2 + (8 columns + 1) + 6 x (1 + 1) = 23 words.
// CHECK-LABEL: func.func @columns
// CHECK: %[[P:.*]] = arith.constant dense<{{.*}}> : tensor<23xf32>
// CHECK: mcc.sgemm ins(%{{.*}}, %[[P]] : tensor<4x8xf32>, tensor<23xf32>) outs({{.*}}) {b_packed, b_sparse = 1 : i64, lowering_config
func.func @columns(%a: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %b = arith.constant dense<[[1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 2.0, 0.0, 0.0],
                             [0.0, 0.0, 3.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                             [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 4.0], [0.0, 5.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                             [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 6.0, 0.0, 0.0, 0.0]]> : tensor<8x8xf32>
  %e = tensor.empty() : tensor<4x8xf32>
  // expected-remark @below {{sgemm 4x8x8: weights 9.4% nonzero, 1x4 blocks 37.5% nonzero; layout sparse 1x1, 464 of 512 FLOPs saved (91%)}}
  %0 = mcc.sgemm ins(%a, %b : tensor<4x8xf32>, tensor<8x8xf32>) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// A 1x1 convolution whose filter is 2 of 32 weights: the column kernel over its 16 positions
// (mcc_spconv1x1), filter packed as 2 + (4 output channels + 1) + 2 x (1 + 1) = 11 words.
// CHECK-LABEL: func.func @pointwise_conv
// CHECK: %[[P:.*]] = arith.constant dense<{{.*}}> : tensor<11xf32>
// CHECK: mcc.conv2d ins(%{{.*}}, %[[P]] : tensor<1x8x4x4xf32>, tensor<11xf32>) {{.*}}filter_packed, filter_sparse = 1 : i64
func.func @pointwise_conv(%x: tensor<1x8x4x4xf32>) -> tensor<1x4x4x4xf32> {
  %w = arith.constant dense<[[[[0.0]], [[0.0]], [[1.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]]],
                             [[[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]]],
                             [[[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]]],
                             [[[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[2.0]], [[0.0]]]]> : tensor<4x8x1x1xf32>
  %e = tensor.empty() : tensor<1x4x4x4xf32>
  // expected-remark @below {{conv 4x8 1x1: weights 6.2% nonzero; layout sparse 1x1, 960 of 1024 FLOPs saved (94%)}}
  %0 = mcc.conv2d ins(%x, %w : tensor<1x8x4x4xf32>, tensor<4x8x1x1xf32>) outs(%e : tensor<1x4x4x4xf32>) {kernel = array<i64: 1, 1>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0>, group = 1 : i64} -> tensor<1x4x4x4xf32>
  return %0 : tensor<1x4x4x4xf32>
}
