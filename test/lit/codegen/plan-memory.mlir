// RUN: %mcc-opt --mcc-plan-memory %s -split-input-file -allow-unregistered-dialect | FileCheck %s

// Three buffers live at once get three 64-byte aligned slots; a view (expand_shape) of a buffer
// keeps it alive until its last use; deallocs are dropped.
// CHECK-LABEL: module attributes {mcc.workspace_size = 192 : i64}
// CHECK: func.func @main_graph(%[[IN:.*]]: memref<16xf32>, %[[OUT:.*]]: memref<16xf32>, %[[WS:.*]]: memref<192xi8>)
// CHECK-NOT: memref.alloc
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[A:.*]] = memref.view %[[WS]][%[[C0]]][] : memref<192xi8> to memref<16xf32>
// CHECK: %[[C64:.*]] = arith.constant 64 : index
// CHECK: %[[B:.*]] = memref.view %[[WS]][%[[C64]]][] : memref<192xi8> to memref<16xf32>
// CHECK: linalg.copy ins(%[[IN]] : memref<16xf32>) outs(%[[A]] : memref<16xf32>)
// CHECK: linalg.copy ins(%[[A]] : memref<16xf32>) outs(%[[B]] : memref<16xf32>)
// CHECK: %[[C128:.*]] = arith.constant 128 : index
// CHECK: %[[C:.*]] = memref.view %[[WS]][%[[C128]]][] : memref<192xi8> to memref<4x4xf32>
// CHECK: memref.expand_shape %[[B]]
// CHECK-NOT: memref.dealloc
// CHECK: return
func.func @main_graph(%in: memref<16xf32>, %out: memref<16xf32>) {
  %a = memref.alloc() {alignment = 64 : i64} : memref<16xf32>
  %b = memref.alloc() {alignment = 64 : i64} : memref<16xf32>
  linalg.copy ins(%in : memref<16xf32>) outs(%a : memref<16xf32>)
  linalg.copy ins(%a : memref<16xf32>) outs(%b : memref<16xf32>)
  %c = memref.alloc() : memref<4x4xf32>
  %bv = memref.expand_shape %b [[0, 1]] output_shape [4, 4] : memref<16xf32> into memref<4x4xf32>
  linalg.copy ins(%bv : memref<4x4xf32>) outs(%c : memref<4x4xf32>)
  %cc = memref.collapse_shape %c [[0, 1]] : memref<4x4xf32> into memref<16xf32>
  linalg.copy ins(%cc : memref<16xf32>) outs(%out : memref<16xf32>)
  memref.dealloc %a : memref<16xf32>
  return
}

// -----

// A chain: each buffer dies when the next one is filled, so disjoint lifetimes share offset 0.
// CHECK-LABEL: module attributes {mcc.workspace_size = 64 : i64}
// CHECK: func.func @main_graph(%{{.*}}: memref<8xf32>, %{{.*}}: memref<8xf32>, %[[WS:.*]]: memref<64xi8>)
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: memref.view %[[WS]][%[[C0]]][] : memref<64xi8> to memref<8xf32>
// CHECK: %[[C0B:.*]] = arith.constant 0 : index
// CHECK: memref.view %[[WS]][%[[C0B]]][] : memref<64xi8> to memref<8xf32>
func.func @main_graph(%in: memref<8xf32>, %out: memref<8xf32>) {
  %a = memref.alloc() : memref<8xf32>
  linalg.copy ins(%in : memref<8xf32>) outs(%a : memref<8xf32>)
  "test.consume"(%a) : (memref<8xf32>) -> ()
  %b = memref.alloc() : memref<8xf32>
  linalg.copy ins(%in : memref<8xf32>) outs(%b : memref<8xf32>)
  linalg.copy ins(%b : memref<8xf32>) outs(%out : memref<8xf32>)
  return
}

// -----

// Greedy by size: the three 448-byte buffers are placed first (a at 0, c overlapping a at 448, d
// after a died at 0 again), then the small f16 buffer, live throughout, above them all.
// 100 x f32 = 400 bytes -> 448 aligned; 10 x f16 = 20 bytes -> 64.
// CHECK-LABEL: module attributes {mcc.workspace_size = 960 : i64}
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[A:.*]] = memref.view %[[WS:.*]][%[[C0]]][] : memref<960xi8> to memref<100xf32>
// CHECK: %[[C896:.*]] = arith.constant 896 : index
// CHECK: %[[B:.*]] = memref.view %[[WS]][%[[C896]]][] : memref<960xi8> to memref<10xf16>
// CHECK: %[[C448:.*]] = arith.constant 448 : index
// CHECK: %[[C:.*]] = memref.view %[[WS]][%[[C448]]][] : memref<960xi8> to memref<100xf32>
// CHECK: %[[C0B:.*]] = arith.constant 0 : index
// CHECK: %[[D:.*]] = memref.view %[[WS]][%[[C0B]]][] : memref<960xi8> to memref<100xf32>
func.func @main_graph(%in: memref<100xf32>, %out: memref<100xf32>) {
  %a = memref.alloc() : memref<100xf32>
  linalg.copy ins(%in : memref<100xf32>) outs(%a : memref<100xf32>)
  %b = memref.alloc() : memref<10xf16>
  %c = memref.alloc() : memref<100xf32>
  linalg.copy ins(%a : memref<100xf32>) outs(%c : memref<100xf32>)
  %d = memref.alloc() : memref<100xf32>
  linalg.copy ins(%c : memref<100xf32>) outs(%d : memref<100xf32>)
  linalg.copy ins(%d : memref<100xf32>) outs(%out : memref<100xf32>)
  "test.use"(%b) : (memref<10xf16>) -> ()
  return
}

// -----

// Nothing to plan: an empty workspace argument and size 0.
// CHECK-LABEL: module attributes {mcc.workspace_size = 0 : i64}
// CHECK: func.func @main_graph(%{{.*}}: memref<4xf32>, %{{.*}}: memref<4xf32>, %{{.*}}: memref<0xi8>)
// Private functions are left alone.
// CHECK: func.func private @helper(%{{.*}}: memref<4xf32>)
// CHECK-NEXT: memref.alloc
func.func @main_graph(%in: memref<4xf32>, %out: memref<4xf32>) {
  linalg.copy ins(%in : memref<4xf32>) outs(%out : memref<4xf32>)
  return
}
func.func private @helper(%in: memref<4xf32>) {
  %a = memref.alloc() : memref<4xf32>
  return
}

// -----

// A strided memref.copy becomes linalg.copy (no call into the runner library); a contiguous one
// stays memref.copy (memcpy).
// CHECK-LABEL: module attributes {mcc.workspace_size = 64 : i64}
// CHECK: %[[V:.*]] = memref.view
// CHECK: memref.copy %{{.*}}, %[[V]] : memref<4x4xf32> to memref<4x4xf32>
// CHECK: %[[S:.*]] = memref.subview %[[V]]
// CHECK: %[[T:.*]] = memref.subview
// CHECK-NOT: memref.copy
// CHECK: linalg.copy ins(%[[S]] : memref<2x2xf32, strided<[4, 1]>>) outs(%[[T]] : memref<2x2xf32, strided<[4, 1]>>)
func.func @main_graph(%in: memref<4x4xf32>, %out: memref<4x4xf32>) {
  %a = memref.alloc() : memref<4x4xf32>
  memref.copy %in, %a : memref<4x4xf32> to memref<4x4xf32>
  %s = memref.subview %a[0, 0] [2, 2] [1, 1] : memref<4x4xf32> to memref<2x2xf32, strided<[4, 1]>>
  %t = memref.subview %out[0, 0] [2, 2] [1, 1] : memref<4x4xf32> to memref<2x2xf32, strided<[4, 1]>>
  memref.copy %s, %t : memref<2x2xf32, strided<[4, 1]>> to memref<2x2xf32, strided<[4, 1]>>
  return
}

// -----

// A Concat input's slice of the result with batch 1 is one contiguous run at an offset: it stays
// memref.copy (memcpy), not loops.
// CHECK-LABEL: func.func @main_graph(%{{.*}}: memref<1x3x4x4xf32>, %{{.*}}: memref<1x5x4x4xf32>
// CHECK: %[[T:.*]] = memref.subview
// CHECK: memref.copy %{{.*}}, %[[T]] : memref<1x3x4x4xf32> to memref<1x3x4x4xf32, strided<[80, 16, 4, 1], offset: 32>>
// CHECK-NOT: linalg.copy
func.func @main_graph(%in: memref<1x3x4x4xf32>, %out: memref<1x5x4x4xf32>) {
  %t = memref.subview %out[0, 2, 0, 0] [1, 3, 4, 4] [1, 1, 1, 1]
      : memref<1x5x4x4xf32> to memref<1x3x4x4xf32, strided<[80, 16, 4, 1], offset: 32>>
  memref.copy %in, %t : memref<1x3x4x4xf32> to memref<1x3x4x4xf32, strided<[80, 16, 4, 1], offset: 32>>
  return
}

// -----

// A use nested in a region keeps the buffer alive until the op holding the region.
// CHECK-LABEL: module attributes {mcc.workspace_size = 128 : i64}
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK-NEXT: %[[A:.*]] = memref.view %{{.*}}[%[[C0]]][] : memref<128xi8> to memref<4xf32>
// CHECK-NEXT: %[[C64:.*]] = arith.constant 64 : index
// CHECK-NEXT: %[[B:.*]] = memref.view %{{.*}}[%[[C64]]][] : memref<128xi8> to memref<4xf32>
// CHECK: scf.for
// CHECK: memref.load %[[A]]
// CHECK: memref.store %{{.*}}, %[[B]]
func.func @main_graph(%in: memref<4xf32>, %out: memref<4xf32>) {
  %a = memref.alloc() : memref<4xf32>
  %b = memref.alloc() : memref<4xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %i = %c0 to %c4 step %c1 {
    %v = memref.load %a[%i] : memref<4xf32>
    memref.store %v, %b[%i] : memref<4xf32>
  }
  return
}

// -----

// A buffer allocated inside a loop gets one slot for the whole loop; the loop allocates nothing.
// CHECK-LABEL: module attributes {mcc.workspace_size = 64 : i64}
// CHECK: func.func @main_graph(%{{.*}}: memref<4xf32>, %[[WS:[a-z0-9]+]]: memref<64xi8>)
// CHECK: scf.for
// CHECK: memref.view %[[WS]]
// CHECK-NOT: memref.alloc
func.func @main_graph(%in: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %i = %c0 to %c4 step %c1 {
    %a = memref.alloc() : memref<4xf32>
    memref.copy %in, %a : memref<4xf32> to memref<4xf32>
  }
  return
}
