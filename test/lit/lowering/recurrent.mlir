// RUN: %mcc-opt --mcc-lower-onnx-to-linalg %s -split-input-file | FileCheck %s

// LSTM, forward, with sequence_lens: the input projection X W^T + Wb of all steps is one contraction
// before the loop; the loop carries H, C, Y and the scratch of H R^T; nothing is allocated inside it.
// sequence_lens is first checked to lie in [0, 2] (status 8 otherwise).
// CHECK-LABEL: func.func @lstm_lens
// CHECK: linalg.generic {{.*}}iterator_types = ["reduction"]{{.*}} ins(%{{.*}} : tensor<3xi32>)
// CHECK: arith.cmpi sge, %{{.*}}, %c0_i64
// CHECK: arith.cmpi sle, %{{.*}}, %c2_i64
// CHECK: cf.assert %{{.*}}, "mcc.status=8: sequence_lens value"
// CHECK: %[[LENS:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<3xi32>) outs(%{{.*}} : tensor<3xi64>)
// CHECK: arith.extsi
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: %[[XW:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%{{.*}}, %{{.*}} : tensor<2x3x4xf32>, tensor<20x4xf32>) outs(%{{.*}} : tensor<2x3x20xf32>)
// CHECK: %[[LOOP:.*]]:4 = scf.for %[[T:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[H:.*]] = %{{.*}}, %[[C:.*]] = %{{.*}}, %[[Y:.*]] = %{{.*}}, %[[HR:.*]] = %{{.*}}) -> (tensor<3x5xf32>, tensor<3x5xf32>, tensor<2x3x5xf32>, tensor<3x20xf32>)
// CHECK-NOT: tensor.empty
// CHECK: %[[FILL:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[HR]] : tensor<3x20xf32>)
// CHECK: %[[RH:.*]] = linalg.generic {{.*}} ins(%[[H]], %{{.*}} : tensor<3x5xf32>, tensor<20x5xf32>) outs(%[[FILL]] : tensor<3x20xf32>)
// The gates i, o, f, c are column blocks 0, 5, 10, 15 of H R^T (and of X W^T, read at step t).
// CHECK: tensor.extract_slice %[[RH]][0, 0] [3, 5]
// CHECK: tensor.extract_slice %[[RH]][0, 5] [3, 5]
// CHECK: tensor.extract_slice %[[RH]][0, 10] [3, 5]
// CHECK: tensor.extract_slice %[[RH]][0, 15] [3, 5]
// CHECK: %[[STEP:.*]]:2 = linalg.generic {{.*}} ins({{.*}}, %[[LENS]] : {{.*}}, tensor<3xi64>) outs(%[[H]], %[[C]] : tensor<3x5xf32>, tensor<3x5xf32>)
// CHECK: tensor.extract %[[XW]][%[[T]],
// CHECK: math.exp
// CHECK: math.tanh
// CHECK: arith.cmpi slt
// CHECK: arith.select
// CHECK: arith.select
// CHECK: linalg.yield
// Y[t] is stored element by element (zero past the sequence end).
// CHECK: scf.for
// CHECK: scf.for
// CHECK: tensor.insert %{{.*}} into %{{.*}}[%[[T]], %{{.*}}, %{{.*}}] : tensor<2x3x5xf32>
// CHECK-NOT: tensor.empty
// CHECK: scf.yield %[[STEP]]#0, %[[STEP]]#1, %{{.*}}, %[[RH]]
// CHECK: tensor.insert_slice %[[LOOP]]#2 into %{{.*}}[0, 0, 0, 0] [2, 1, 3, 5]
// CHECK: tensor.insert_slice %[[LOOP]]#0 into %{{.*}}[0, 0, 0] [1, 3, 5]
func.func @lstm_lens(%x: tensor<2x3x4xf32>, %w: tensor<1x20x4xf32>, %r: tensor<1x20x5xf32>, %b: tensor<1x40xf32>, %l: tensor<3xi32>) -> (tensor<2x1x3x5xf32>, tensor<1x3x5xf32>) {
  %none = onnx.NoValue
  %y, %yh, %yc = onnx.LSTM %x, %w, %r, %b, %l, %none, %none, %none {hidden_size = 5 : i64} : (tensor<2x3x4xf32>, tensor<1x20x4xf32>, tensor<1x20x5xf32>, tensor<1x40xf32>, tensor<3xi32>, none, none, none) -> (tensor<2x1x3x5xf32>, tensor<1x3x5xf32>, none)
  return %y, %yh : tensor<2x1x3x5xf32>, tensor<1x3x5xf32>
}

// -----

// GRU, reverse, linear_before_reset = 0: the input is reversed in time before the loop; each step
// computes r * H, then (r * H) Rh^T, in buffers carried by the loop.
// CHECK-DAG: #[[$REV:.*]] = affine_map<(d0, d1, d2) -> (-d0 + 2, d1, d2)>
// CHECK-LABEL: func.func @gru_reverse
// CHECK: %[[XR:.*]] = linalg.generic {indexing_maps = [#[[$REV]], #{{.*}}]
// CHECK: linalg.generic {{.*}} ins(%[[XR]], %{{.*}} : tensor<3x2x4xf32>, tensor<15x4xf32>)
// CHECK: %[[RZR:.*]] = tensor.extract_slice %{{.*}}[0, 0] [10, 5] [1, 1] : tensor<15x5xf32> to tensor<10x5xf32>
// CHECK: %[[RH:.*]] = tensor.extract_slice %{{.*}}[10, 0] [5, 5] [1, 1] : tensor<15x5xf32> to tensor<5x5xf32>
// CHECK: scf.for {{.*}} -> (tensor<2x5xf32>, tensor<2x10xf32>, tensor<2x5xf32>, tensor<2x5xf32>)
// CHECK-NOT: tensor.empty
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[RZR]] : tensor<2x5xf32>, tensor<10x5xf32>)
// CHECK: %[[RTIMESH:.*]] = linalg.generic
// CHECK: linalg.generic {{.*}} ins(%[[RTIMESH]], %[[RH]] : tensor<2x5xf32>, tensor<5x5xf32>)
// CHECK-NOT: tensor.empty
// CHECK: scf.yield
func.func @gru_reverse(%x: tensor<3x2x4xf32>, %w: tensor<1x15x4xf32>, %r: tensor<1x15x5xf32>) -> tensor<1x2x5xf32> {
  %none = onnx.NoValue
  %y, %yh = onnx.GRU %x, %w, %r, %none, %none, %none {hidden_size = 5 : i64, direction = "reverse"} : (tensor<3x2x4xf32>, tensor<1x15x4xf32>, tensor<1x15x5xf32>, none, none, none) -> (none, tensor<1x2x5xf32>)
  return %yh : tensor<1x2x5xf32>
}

// -----

// Bidirectional RNN, batch-first layout: two loops, the second over the reversed input; X, Y and Y_h
// are transposed at the edges.
// CHECK-LABEL: func.func @rnn_bidirectional_batch_first
// CHECK: linalg.transpose ins(%{{.*}} : tensor<2x3x4xf32>) outs(%{{.*}} : tensor<3x2x4xf32>) permutation = [1, 0, 2]
// CHECK: scf.for
// CHECK: math.tanh
// CHECK: scf.for
// CHECK: math.tanh
// CHECK: linalg.transpose ins(%{{.*}} : tensor<3x2x2x6xf32>) outs(%{{.*}} : tensor<2x3x2x6xf32>) permutation = [2, 0, 1, 3]
// CHECK: linalg.transpose ins(%{{.*}} : tensor<2x2x6xf32>) outs(%{{.*}} : tensor<2x2x6xf32>) permutation = [1, 0, 2]
func.func @rnn_bidirectional_batch_first(%x: tensor<2x3x4xf32>, %w: tensor<2x6x4xf32>, %r: tensor<2x6x6xf32>) -> (tensor<2x3x2x6xf32>, tensor<2x2x6xf32>) {
  %none = onnx.NoValue
  %y, %yh = onnx.RNN %x, %w, %r, %none, %none, %none {direction = "bidirectional", layout = 1 : i64} : (tensor<2x3x4xf32>, tensor<2x6x4xf32>, tensor<2x6x6xf32>, none, none, none) -> (tensor<2x3x2x6xf32>, tensor<2x2x6xf32>)
  return %y, %yh : tensor<2x3x2x6xf32>, tensor<2x2x6xf32>
}

// -----

// activations, activation_alpha/beta and clip: LeakyRelu takes alpha 0.5; clip bounds the pre-activation.
// CHECK-LABEL: func.func @rnn_leaky_relu_clip
// CHECK: scf.for
// CHECK: %[[LO:.*]] = arith.constant -2.500000e+00 : f32
// CHECK: arith.maxnumf %{{.*}}, %[[LO]]
// CHECK: arith.minnumf
// CHECK: %[[ALPHA:.*]] = arith.constant 5.000000e-01 : f32
// CHECK: %[[SCALED:.*]] = arith.mulf %[[ALPHA]]
// CHECK: %[[POS:.*]] = arith.cmpf oge
// CHECK: arith.select %[[POS]], %{{.*}}, %[[SCALED]]
func.func @rnn_leaky_relu_clip(%x: tensor<2x1x3xf32>, %w: tensor<1x4x3xf32>, %r: tensor<1x4x4xf32>) -> tensor<1x1x4xf32> {
  %none = onnx.NoValue
  %y, %yh = onnx.RNN %x, %w, %r, %none, %none, %none {activations = ["LeakyRelu"], activation_alpha = array<f32: 0.5>, clip = 2.5 : f32} : (tensor<2x1x3xf32>, tensor<1x4x3xf32>, tensor<1x4x4xf32>, none, none, none) -> (none, tensor<1x1x4xf32>)
  return %yh : tensor<1x1x4xf32>
}
