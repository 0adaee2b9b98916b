// RUN: %mcc-opt --mcc-outline-parallel-loops=min-work=1024 %s -split-input-file | FileCheck %s

// A marked top-level loop with enough work becomes a body function over [begin, end) of its
// iterations; memrefs travel as pointers in a stack struct and are rebuilt with their static layout.
// CHECK-LABEL: func.func @relu
// CHECK: %[[SLOT:.*]] = llvm.alloca %{{.*}} x !llvm.struct<(ptr, ptr)>
// CHECK: llvm.store
// CHECK: llvm.store
// CHECK: %[[FN:.*]] = constant @relu.parallel_loop0
// CHECK: %[[PTR:.*]] = builtin.unrealized_conversion_cast %[[FN]]
// CHECK: %[[N:.*]] = llvm.mlir.constant(64 : i64)
// CHECK: call @mcc_parallel_loop(%arg2, %[[PTR]], %[[SLOT]], %[[N]])
// CHECK-NOT: scf.for
// CHECK: func.func private @relu.parallel_loop0(%[[ARGS:.*]]: !llvm.ptr, %[[BEGIN:.*]]: i64, %[[END:.*]]: i64, %{{.*}}: i32)
// CHECK: llvm.load
// CHECK: builtin.unrealized_conversion_cast %{{.*}} : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> to memref<64x32xf32>
// CHECK: scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step
// CHECK: arith.maximumf
// CHECK: func.func private @mcc_parallel_loop(!llvm.ptr, !llvm.ptr, !llvm.ptr, i64)
module attributes {mcc.parallel_arg = 2 : i64} {
  func.func @relu(%x: memref<64x32xf32>, %y: memref<64x32xf32>, %par: !llvm.ptr, %ws: !llvm.ptr) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c32 = arith.constant 32 : index
    %c64 = arith.constant 64 : index
    %zero = arith.constant 0.0 : f32
    scf.for %i = %c0 to %c64 step %c1 {
      scf.for %j = %c0 to %c32 step %c1 {
        %v = memref.load %x[%i, %j] : memref<64x32xf32>
        %r = arith.maximumf %v, %zero : f32
        memref.store %r, %y[%i, %j] : memref<64x32xf32>
      }
    } {mcc.parallel_work = 2048 : i64}
    return
  }
}

// -----

// Too little work, an unmarked loop, or a loop that allocates: left alone.
// CHECK-LABEL: func.func @left
// CHECK-NOT: mcc_parallel_loop
// CHECK-COUNT-3: scf.for %{{.*}} = %c0 to %c64
module attributes {mcc.parallel_arg = 2 : i64} {
  func.func @left(%x: memref<64x32xf32>, %y: memref<64x32xf32>, %par: !llvm.ptr, %ws: !llvm.ptr) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c64 = arith.constant 64 : index
    %zero = arith.constant 0.0 : f32
    scf.for %i = %c0 to %c64 step %c1 {
      memref.store %zero, %y[%i, %c0] : memref<64x32xf32>
    } {mcc.parallel_work = 64 : i64}
    scf.for %i = %c0 to %c64 step %c1 {
      memref.store %zero, %y[%i, %c0] : memref<64x32xf32>
    }
    scf.for %i = %c0 to %c64 step %c1 {
      %t = memref.alloc() : memref<32xf32>
      memref.store %zero, %t[%c0] : memref<32xf32>
    } {mcc.parallel_work = 2048 : i64}
    return
  }
}
