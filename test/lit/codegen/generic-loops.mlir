// RUN: %mcc-opt --mcc-generic-loops %s -split-input-file | FileCheck %s

// A row maximum (Softmax's first step): one load and one store of the output per row, the reduction
// loop carries the accumulator, and the combining maximumf may be reassociated.
// CHECK-LABEL: func.func @row_max
// CHECK-SAME: (%[[X:.*]]: memref<4x8xf32>, %[[Y:.*]]: memref<4xf32>)
// CHECK: scf.for %[[I:.*]] =
// CHECK:   %[[INIT:.*]] = memref.load %[[Y]][%[[I]]]
// CHECK:   %[[R:.*]] = scf.for %[[K:.*]] = {{.*}} iter_args(%[[ACC:.*]] = %[[INIT]]) -> (f32)
// CHECK:     %[[V:.*]] = memref.load %[[X]][%[[I]], %[[K]]]
// CHECK:     %[[M:.*]] = arith.maximumf %[[V]], %[[ACC]] fastmath<reassoc> : f32
// CHECK:     scf.yield %[[M]] : f32
// CHECK:   memref.store %[[R]], %[[Y]][%[[I]]]
// CHECK-NOT: linalg.generic
func.func @row_max(%x: memref<4x8xf32>, %y: memref<4xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>],
                  iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<4x8xf32>) outs(%y : memref<4xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %m = arith.maximumf %in, %acc : f32
    linalg.yield %m : f32
  }
  return
}

// -----

// Variance about the mean: only the add that reads the accumulator is marked, the subtraction and
// the square keep strict semantics; the broadcast mean is read at the row index.
// CHECK-LABEL: func.func @variance
// CHECK: scf.for
// CHECK: scf.for {{.*}} iter_args
// CHECK: %[[D:.*]] = arith.subf %{{.*}}, %{{.*}} : f32
// CHECK: %[[S:.*]] = arith.mulf %[[D]], %[[D]] : f32
// CHECK: arith.addf %{{.*}}, %[[S]] fastmath<reassoc> : f32
func.func @variance(%x: memref<4x8xf32>, %mean: memref<4xf32>, %y: memref<4xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>,
                                   affine_map<(d0, d1) -> (d0)>],
                  iterator_types = ["parallel", "reduction"]}
      ins(%x, %mean : memref<4x8xf32>, memref<4xf32>) outs(%y : memref<4xf32>) {
  ^bb0(%in: f32, %m: f32, %acc: f32):
    %d = arith.subf %in, %m : f32
    %s = arith.mulf %d, %d : f32
    %a = arith.addf %acc, %s : f32
    linalg.yield %a : f32
  }
  return
}

// -----

// A pooling window (two reduction loops, an unread window operand, index ops): the window loops nest
// inside the output loops with the accumulator carried through both.
// CHECK-LABEL: func.func @window_max
// CHECK: scf.for %[[OH:.*]] =
// CHECK: scf.for %[[OW:.*]] =
// CHECK: scf.for %[[KH:.*]] = {{.*}} iter_args
// CHECK: scf.for %[[KW:.*]] = {{.*}} iter_args
// CHECK: affine.apply
// CHECK: arith.cmpf ogt
// CHECK: arith.select
// CHECK: memref.store
func.func @window_max(%x: memref<9x9xf32>, %w: memref<3x3xf32>, %y: memref<4x4xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0 * 2 + d2, d1 * 2 + d3)>,
                                   affine_map<(d0, d1, d2, d3) -> (d2, d3)>,
                                   affine_map<(d0, d1, d2, d3) -> (d0, d1)>],
                  iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
      ins(%x, %w : memref<9x9xf32>, memref<3x3xf32>) outs(%y : memref<4x4xf32>) {
  ^bb0(%in: f32, %unused: f32, %acc: f32):
    %gt = arith.cmpf ogt, %in, %acc : f32
    %s = arith.select %gt, %in, %acc : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// An elementwise op with a broadcast operand (Softmax's exp(x - max)), in place: the row maximum is
// read once per row, outside the loop that writes the row.
// CHECK-LABEL: func.func @broadcast_in_place
// CHECK-SAME: (%[[X:.*]]: memref<4x8xf32>, %[[M:.*]]: memref<4xf32>)
// CHECK: scf.for %[[I:.*]] =
// CHECK-NEXT: %[[MI:.*]] = memref.load %[[M]][%[[I]]]
// CHECK-NEXT: scf.for %[[J:.*]] =
// CHECK-NEXT: %[[V:.*]] = memref.load %[[X]][%[[I]], %[[J]]]
// CHECK-NEXT: %[[D:.*]] = arith.subf %[[V]], %[[MI]] : f32
// CHECK-NEXT: %[[E:.*]] = math.exp %[[D]] : f32
// CHECK-NEXT: memref.store %[[E]], %[[X]][%[[I]], %[[J]]]
func.func @broadcast_in_place(%x: memref<4x8xf32>, %m: memref<4xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>,
                                   affine_map<(d0, d1) -> (d0, d1)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%x, %m : memref<4x8xf32>, memref<4xf32>) outs(%x : memref<4x8xf32>) {
  ^bb0(%in: f32, %mi: f32, %out: f32):
    %d = arith.subf %in, %mi : f32
    %e = math.exp %d : f32
    linalg.yield %e : f32
  }
  return
}

// -----

// An output read in the body (an accumulating elementwise op) is loaded at its element.
// CHECK-LABEL: func.func @read_output
// CHECK: scf.for %[[I:.*]] =
// CHECK: %[[A:.*]] = memref.load %{{.*}}[%[[I]]]
// CHECK: %[[O:.*]] = memref.load %{{.*}}[%[[I]]]
// CHECK: arith.addf %[[A]], %[[O]] : f32
func.func @read_output(%a: memref<8xf32>, %o: memref<8xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>],
                  iterator_types = ["parallel"]}
      ins(%a : memref<8xf32>) outs(%o : memref<8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.addf %in, %out : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Left alone: a reduction over an outer loop (the inner parallel loop already vectorises), a matmul
// (two operands read along k: the GEMM code generation's), and anything on tensors.
// CHECK-LABEL: func.func @left_alone
// CHECK-COUNT-3: linalg.generic
// CHECK-NOT: scf.for
func.func @left_alone(%x: memref<4x8xf32>, %y: memref<8xf32>, %a: memref<4x4xf32>, %b: memref<4x4xf32>,
                      %c: memref<4x4xf32>, %t: tensor<4x8xf32>, %ti: tensor<4xf32>) -> tensor<4xf32> {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>],
                  iterator_types = ["reduction", "parallel"]}
      ins(%x : memref<4x8xf32>) outs(%y : memref<8xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %s = arith.addf %in, %acc : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>,
                                   affine_map<(d0, d1, d2) -> (d0, d1)>],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<4x4xf32>, memref<4x4xf32>) outs(%c : memref<4x4xf32>) {
  ^bb0(%p: f32, %q: f32, %acc: f32):
    %m = arith.mulf %p, %q : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  }
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>],
                       iterator_types = ["parallel", "reduction"]}
      ins(%t : tensor<4x8xf32>) outs(%ti : tensor<4xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %s = arith.addf %in, %acc : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

// The loop of the first parallel dimension longer than 1 (the batch of 1 is skipped) is marked with
// the iterations of the nest: its iterations write disjoint outputs (mcc-outline-parallel-loops).
// CHECK-LABEL: func.func @mark_parallel
// CHECK: scf.for
// CHECK: scf.for
// CHECK: scf.for
// CHECK: } {mcc.parallel_work = 192 : i64}
// CHECK-NEXT: }
func.func @mark_parallel(%x: memref<1x3x8x8xf32>, %y: memref<1x3x8xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>],
                  iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%x : memref<1x3x8x8xf32>) outs(%y : memref<1x3x8xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %s = arith.addf %in, %acc : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A per-channel scale (squeeze-excite's multiply, an inference BatchNorm): the rows of each channel
// are contiguous in every operand that indexes them, so the two inner loops merge into one loop of
// 28*28 over collapsed views; the scale is read once per channel.
// CHECK-LABEL: func.func @channel_scale
// CHECK-SAME: (%[[X:.*]]: memref<1x8x28x28xf32>, %[[S:.*]]: memref<1x8x1x1xf32>, %[[Y:.*]]: memref<1x8x28x28xf32>)
// CHECK-DAG: %[[XC:.*]] = memref.collapse_shape %[[X]] {{\[\[}}0], [1], [2, 3]] : memref<1x8x28x28xf32> into memref<1x8x784xf32>
// CHECK-DAG: %[[YC:.*]] = memref.collapse_shape %[[Y]] {{\[\[}}0], [1], [2, 3]] : memref<1x8x28x28xf32> into memref<1x8x784xf32>
// CHECK: scf.for %[[N:.*]] =
// CHECK: scf.for %[[C:.*]] =
// CHECK: %[[SC:.*]] = memref.load %[[S]][%[[N]], %[[C]], %{{.*}}, %{{.*}}]
// CHECK: scf.for %[[P:.*]] = %{{.*}} to %{{.*}} step
// CHECK: %[[V:.*]] = memref.load %[[XC]][%[[N]], %[[C]], %[[P]]]
// CHECK: %[[M:.*]] = arith.mulf %[[V]], %[[SC]] : f32
// CHECK: memref.store %[[M]], %[[YC]][%[[N]], %[[C]], %[[P]]]
// CHECK-NOT: scf.for
func.func @channel_scale(%x: memref<1x8x28x28xf32>, %s: memref<1x8x1x1xf32>, %y: memref<1x8x28x28xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>,
                                   affine_map<(d0, d1, d2, d3) -> (d0, d1, 0, 0)>,
                                   affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x, %s : memref<1x8x28x28xf32>, memref<1x8x1x1xf32>) outs(%y : memref<1x8x28x28xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.mulf %a, %b : f32
    linalg.yield %m : f32
  }
  return
}

// -----

// A matmul with B transposed (the recurrent projection H R^T of LSTM/GRU): both operands are read
// contiguously along k, so each output is a dot product with its accumulator carried in a register.
// CHECK-LABEL: func.func @dot_products
// CHECK-SAME: (%[[A:.*]]: memref<2x8xf32>, %[[B:.*]]: memref<16x8xf32>, %[[C:.*]]: memref<2x16xf32>)
// CHECK: scf.for %[[I:.*]] =
// CHECK: scf.for %[[J:.*]] =
// CHECK:   %[[INIT:.*]] = memref.load %[[C]][%[[I]], %[[J]]]
// CHECK:   %[[R:.*]] = scf.for %[[K:.*]] = {{.*}} iter_args(%[[ACC:.*]] = %[[INIT]]) -> (f32)
// CHECK:     memref.load %[[A]][%[[I]], %[[K]]]
// CHECK:     memref.load %[[B]][%[[J]], %[[K]]]
// CHECK:     arith.addf %[[ACC]], %{{.*}} fastmath<reassoc> : f32
// CHECK:   memref.store %[[R]], %[[C]][%[[I]], %[[J]]]
// CHECK-NOT: linalg.generic
func.func @dot_products(%a: memref<2x8xf32>, %b: memref<16x8xf32>, %c: memref<2x16xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>,
                                   affine_map<(d0, d1, d2) -> (d0, d1)>],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<2x8xf32>, memref<16x8xf32>) outs(%c : memref<2x16xf32>) {
  ^bb0(%p: f32, %q: f32, %acc: f32):
    %m = arith.mulf %p, %q : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// B transposed but read through a strided view (stride 2 along k): not a dot product of contiguous
// rows, left to convert-linalg-to-loops.
// CHECK-LABEL: func.func @strided_dot_products
// CHECK: linalg.generic
func.func @strided_dot_products(%a: memref<2x8xf32>, %b: memref<16x8xf32, strided<[16, 2]>>, %c: memref<2x16xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>,
                                   affine_map<(d0, d1, d2) -> (d0, d1)>],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<2x8xf32>, memref<16x8xf32, strided<[16, 2]>>) outs(%c : memref<2x16xf32>) {
  ^bb0(%p: f32, %q: f32, %acc: f32):
    %m = arith.mulf %p, %q : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Dimensions that are not contiguous in one operand (a transposed read) stay separate loops.
// CHECK-LABEL: func.func @transposed
// CHECK-NOT: memref.collapse_shape
// CHECK: scf.for
// CHECK: scf.for
func.func @transposed(%x: memref<8x16xf32>, %y: memref<16x8xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> (d0, d1)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%x : memref<8x16xf32>) outs(%y : memref<16x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  }
  return
}
