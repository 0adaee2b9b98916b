// RUN: %mcc-opt --mcc-lower-kernel-calls=parallel=true %s -split-input-file | FileCheck %s

// With `parallel`, the entry takes the caller's mcc_parallel and the workers' scratch as two trailing
// pointers, and each kernel call goes to its *_parallel wrapper with them and its slice stride (its
// scratch in floats, rounded up to 16: whole cache lines). The module records both.
// Here the scratch packs a block of A (70 x 256) and B (300 x 256): 94720 floats.
// CHECK: module attributes {mcc.parallel_arg = 4 : i64, mcc.worker_scratch_size = 378880 : i64}
// CHECK-LABEL: func.func @sgemm_call
// CHECK-SAME: %[[PAR:[^:]+]]: !llvm.ptr, %[[WS:[^:]+]]: !llvm.ptr)
// CHECK: call @mcc_sgemm_parallel(%[[PAR]], %[[WS]], %c94720_i64,
// CHECK: func.func private @mcc_sgemm_parallel(!llvm.ptr, !llvm.ptr, i64, i64, i64, i64, i64, !llvm.ptr
func.func @sgemm_call(%a: memref<64x300xf32>, %b: memref<300x256xf32>, %bias: memref<256xf32>, %c: memref<64x256xf32>) {
  mcc.sgemm ins(%a, %b : memref<64x300xf32>, memref<300x256xf32>) bias(%bias : memref<256xf32>) outs(%c : memref<64x256xf32>) {act = #mcc<act relu>, lowering_config = #mcc.lowering_config<isa = avx512, mr = 14, nr = 32>}
  return
}

// -----

// A private function keeps the serial call: it has no parallel context.
// CHECK: module attributes {mcc.parallel_arg = 3 : i64, mcc.worker_scratch_size = 0 : i64}
// CHECK-LABEL: func.func @entry
// CHECK-SAME: !llvm.ptr, %{{.*}}: !llvm.ptr)
// CHECK-LABEL: func.func private @helper
// CHECK: call @mcc_conv2d(
func.func @entry(%x: memref<1x2x4x4xf32>, %w: memref<64xf32>, %y: memref<1x6x4x4xf32>) {
  return
}
func.func private @helper(%x: memref<1x2x4x4xf32>, %w: memref<64xf32>, %y: memref<1x6x4x4xf32>) {
  mcc.conv2d ins(%x, %w : memref<1x2x4x4xf32>, memref<64xf32>) outs(%y : memref<1x6x4x4xf32>) {kernel = array<i64: 1, 1>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0>, group = 1 : i64, filter_packed, lowering_config = #mcc.lowering_config<isa = avx512, mr = 14, nr = 32>}
  return
}
