// RUN: %mcc-opt --mcc-lower-kernel-calls %s -split-input-file | FileCheck %s

// A packed SGEMM with bias and activation: pointers from the buffers, sizes and the epilogue as
// constants, the scratch (if the kernel wants one) a plain allocation for the planner.
// CHECK-LABEL: func.func @sgemm_call
// CHECK: memref.extract_aligned_pointer_as_index
// CHECK: llvm.inttoptr
// CHECK: call @mcc_sgemm(
// CHECK-NOT: mcc.sgemm
// CHECK: func.func private @mcc_sgemm(i64, i64, i64, i64, !llvm.ptr, i64, i64, i64, !llvm.ptr, i64, i64, i64, i32, !llvm.ptr, i64, i64, !llvm.ptr, i32, !llvm.ptr, i64, i64, i32, f32, f32, !llvm.ptr)
func.func @sgemm_call(%a: memref<4x8xf32>, %b: memref<256xf32>, %bias: memref<16xf32>, %c: memref<4x16xf32>) {
  mcc.sgemm ins(%a, %b : memref<4x8xf32>, memref<256xf32>) bias(%bias : memref<16xf32>) outs(%c : memref<4x16xf32>) {act = #mcc<act relu>, b_packed, lowering_config = #mcc.lowering_config<isa = avx512, mr = 14, nr = 32>}
  return
}

// -----

// A conv whose output is a strided view is computed into a contiguous buffer and copied back.
// CHECK-LABEL: func.func @conv_strided_output
// CHECK: %[[TMP:.*]] = memref.alloc() {alignment = 64 : i64} : memref<1x3x4x4xf32>
// CHECK: call @mcc_conv2d(
// CHECK: memref.copy %[[TMP]]
func.func @conv_strided_output(%x: memref<1x2x4x4xf32>, %w: memref<64xf32>, %y: memref<1x6x4x4xf32>) {
  %v = memref.subview %y[0, 0, 0, 0] [1, 3, 4, 4] [1, 2, 1, 1] : memref<1x6x4x4xf32> to memref<1x3x4x4xf32, strided<[96, 32, 4, 1]>>
  mcc.conv2d ins(%x, %w : memref<1x2x4x4xf32>, memref<64xf32>) outs(%v : memref<1x3x4x4xf32, strided<[96, 32, 4, 1]>>) {kernel = array<i64: 1, 1>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0>, group = 1 : i64, filter_packed, lowering_config = #mcc.lowering_config<isa = avx512, mr = 14, nr = 32>}
  return
}

// -----

// A sparse-packed B (b_sparse) calls mcc_spgemm: mcc_sgemm's operands without B's strides, and a
// scratch of MR x K floats for the rows of A one tile reads (14 x 8 on AVX-512).
// CHECK-LABEL: func.func @spgemm_call
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<112xf32>
// CHECK: call @mcc_spgemm(
// CHECK-NOT: mcc.sgemm
// CHECK: func.func private @mcc_spgemm(i64, i64, i64, i64, !llvm.ptr, i64, i64, i64, !llvm.ptr, !llvm.ptr, i64, i64, !llvm.ptr, i32, !llvm.ptr, i64, i64, i32, f32, f32, !llvm.ptr)
func.func @spgemm_call(%a: memref<4x8xf32>, %b: memref<40xf32>, %bias: memref<16xf32>, %c: memref<4x16xf32>) {
  mcc.sgemm ins(%a, %b : memref<4x8xf32>, memref<40xf32>) bias(%bias : memref<16xf32>) outs(%c : memref<4x16xf32>) {act = #mcc<act relu>, b_packed, b_sparse = 16 : i64, lowering_config = #mcc.lowering_config<isa = avx512, mr = 14, nr = 32>}
  return
}

// -----

// A sparse 1x1 convolution calls mcc_spconv1x1 with its positions as one dimension (4 x 4 = 16).
// CHECK-LABEL: func.func @spconv_call
// CHECK: %[[HW:.*]] = arith.constant 16 : i64
// CHECK: call @mcc_spconv1x1(%{{.*}}, %{{.*}}, %[[HW]],
// CHECK: func.func private @mcc_spconv1x1(i64, i64, i64, !llvm.ptr, i64, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, i32, f32, f32, !llvm.ptr)
func.func @spconv_call(%x: memref<1x8x4x4xf32>, %w: memref<11xf32>, %y: memref<1x4x4x4xf32>) {
  mcc.conv2d ins(%x, %w : memref<1x8x4x4xf32>, memref<11xf32>) outs(%y : memref<1x4x4x4xf32>) {kernel = array<i64: 1, 1>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0>, group = 1 : i64, filter_packed, filter_sparse = 1 : i64, lowering_config = #mcc.lowering_config<isa = avx512, mr = 14, nr = 32>}
  return
}
