// RUN: %mcc-opt --mcc-lower-onnx-to-linalg %s -split-input-file | FileCheck %s

// BatchNormalization: per channel a = scale / sqrt(var + eps) and b = B - mean * a, computed once,
// then y = x * a[c] + b[c] over the whole tensor.
// CHECK-DAG: #[[$ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-DAG: #[[$ID4:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[$CH:.*]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func.func @batchnorm
// CHECK-SAME: (%[[X:.*]]: tensor<1x3x4x4xf32>, %[[SCALE:.*]]: tensor<3xf32>, %[[B:.*]]: tensor<3xf32>, %[[MEAN:.*]]: tensor<3xf32>, %[[VAR:.*]]: tensor<3xf32>)
// CHECK: %[[EPS:.*]] = arith.constant 1.000000e-03 : f32
// CHECK: %[[A:.*]] = linalg.generic {indexing_maps = [#[[$ID1]], #[[$ID1]], #[[$ID1]]], iterator_types = ["parallel"]}
// CHECK-SAME: ins(%[[SCALE]], %[[VAR]] : tensor<3xf32>, tensor<3xf32>)
// CHECK: ^bb0(%[[S:.*]]: f32, %[[V:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[VE:.*]] = arith.addf %[[V]], %[[EPS]]
// CHECK: %[[SQ:.*]] = math.sqrt %[[VE]]
// CHECK: %[[Q:.*]] = arith.divf %[[S]], %[[SQ]]
// CHECK: linalg.yield %[[Q]]
// CHECK: %[[SHIFT:.*]] = linalg.generic
// CHECK-SAME: ins(%[[B]], %[[MEAN]], %[[A]] : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>)
// CHECK: ^bb0(%[[BB:.*]]: f32, %[[MM:.*]]: f32, %[[AA:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[P:.*]] = arith.mulf %[[MM]], %[[AA]]
// CHECK: %[[D:.*]] = arith.subf %[[BB]], %[[P]]
// CHECK: linalg.yield %[[D]]
// CHECK: %[[Y:.*]] = linalg.generic {indexing_maps = [#[[$ID4]], #[[$CH]], #[[$CH]], #[[$ID4]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
// CHECK-SAME: ins(%[[X]], %[[A]], %[[SHIFT]] : tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>)
// CHECK: ^bb0(%[[XV:.*]]: f32, %[[AV:.*]]: f32, %[[BV:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[XA:.*]] = arith.mulf %[[XV]], %[[AV]]
// CHECK: %[[R:.*]] = arith.addf %[[XA]], %[[BV]]
// CHECK: linalg.yield %[[R]]
// CHECK: return %[[Y]]
func.func @batchnorm(%x: tensor<1x3x4x4xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> tensor<1x3x4x4xf32> {
  %0, %1, %2 = onnx.BatchNormalization %x, %s, %b, %m, %v {epsilon = 1.0e-3 : f32} : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<1x3x4x4xf32>, none, none)
  return %0 : tensor<1x3x4x4xf32>
}

// -----

// Default epsilon 1e-5; rank-2 input (N, C) uses d1 for the channel.
// CHECK-DAG: #[[$CH2:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @batchnorm_2d
// CHECK: arith.constant 9.99999974E-6 : f32
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[$CH2]], #[[$CH2]], #{{.*}}]
func.func @batchnorm_2d(%x: tensor<2x3xf32>, %s: tensor<3xf32>) -> tensor<2x3xf32> {
  %0, %1, %2 = onnx.BatchNormalization %x, %s, %s, %s, %s : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<2x3xf32>, none, none)
  return %0 : tensor<2x3xf32>
}

// -----

// Softmax along the last axis: max, exp(x - max), sum, divide -- four generics, the two
// reductions with the axis as the reduction loop.
// CHECK-DAG: #[[$ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @softmax
// CHECK-SAME: (%[[X:.*]]: tensor<2x5xf32>)
// CHECK: %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[MINIT:.*]] = linalg.fill ins(%[[NEGINF]] : f32) outs(%{{.*}} : tensor<2xf32>)
// CHECK: %[[MAX:.*]] = linalg.generic {indexing_maps = [#[[$ID2]], #[[$ROW]]], iterator_types = ["parallel", "reduction"]}
// CHECK-SAME: ins(%[[X]] : tensor<2x5xf32>) outs(%[[MINIT]] : tensor<2xf32>)
// CHECK: arith.maximumf
// CHECK: %[[EXP:.*]] = linalg.generic {indexing_maps = [#[[$ID2]], #[[$ROW]], #[[$ID2]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: ins(%[[X]], %[[MAX]] : tensor<2x5xf32>, tensor<2xf32>)
// CHECK: %[[D:.*]] = arith.subf
// CHECK: math.exp %[[D]]
// CHECK: %[[SINIT:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<2xf32>)
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[$ID2]], #[[$ROW]]], iterator_types = ["parallel", "reduction"]}
// CHECK-SAME: ins(%[[EXP]] : tensor<2x5xf32>) outs(%[[SINIT]] : tensor<2xf32>)
// CHECK: arith.addf
// CHECK: %[[Y:.*]] = linalg.generic {indexing_maps = [#[[$ID2]], #[[$ROW]], #[[$ID2]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: ins(%[[EXP]], %[[SUM]] : tensor<2x5xf32>, tensor<2xf32>)
// CHECK: arith.divf
// CHECK: return %[[Y]]
func.func @softmax(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %0 = onnx.Softmax %x : (tensor<2x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

// A middle axis reduces loop d1 and keeps the others.
// CHECK-DAG: #[[$RED:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @softmax_middle_axis
// CHECK-COUNT-4: linalg.generic
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @softmax_middle_axis(%x: tensor<2x3x5xf32>) -> tensor<2x3x5xf32> {
  %0 = onnx.Softmax %x {axis = 1 : i64} : (tensor<2x3x5xf32>) -> tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

// -----

// CHECK-LABEL: func.func @softmax_middle_axis_iterators
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}], iterator_types = ["parallel", "reduction", "parallel"]}
// CHECK-SAME: outs(%{{.*}} : tensor<2x5xf32>)
func.func @softmax_middle_axis_iterators(%x: tensor<2x3x5xf32>) -> tensor<2x3x5xf32> {
  %0 = onnx.Softmax %x {axis = -2 : i64} : (tensor<2x3x5xf32>) -> tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

// -----

// LogSoftmax: max, then sum(exp(x - max)), then x - max - log(sum) in one elementwise pass.
// CHECK-DAG: #[[$ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @log_softmax
// CHECK-SAME: (%[[X:.*]]: tensor<2x5xf32>)
// CHECK: %[[MAX:.*]] = linalg.generic {indexing_maps = [#[[$ID2]], #[[$ROW]]], iterator_types = ["parallel", "reduction"]}
// CHECK: arith.maximumf
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[$ID2]], #[[$ROW]], #[[$ROW]]], iterator_types = ["parallel", "reduction"]}
// CHECK-SAME: ins(%[[X]], %[[MAX]] : tensor<2x5xf32>, tensor<2xf32>)
// CHECK: arith.subf
// CHECK: math.exp
// CHECK: arith.addf
// CHECK: %[[Y:.*]] = linalg.generic {indexing_maps = [#[[$ID2]], #[[$ROW]], #[[$ROW]], #[[$ID2]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: ins(%[[X]], %[[MAX]], %[[SUM]] : tensor<2x5xf32>, tensor<2xf32>, tensor<2xf32>)
// CHECK: ^bb0(%[[XV:.*]]: f32, %[[MV:.*]]: f32, %[[SV:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[D:.*]] = arith.subf %[[XV]], %[[MV]]
// CHECK: %[[L:.*]] = math.log %[[SV]]
// CHECK: arith.subf %[[D]], %[[L]]
// CHECK: return %[[Y]]
func.func @log_softmax(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %0 = onnx.LogSoftmax %x : (tensor<2x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

// Hardmax: the index of the first maximum along the axis, then a one-hot.
// CHECK-LABEL: func.func @hardmax
// CHECK: %[[ARG:.*]]:2 = linalg.generic {{.*}} iterator_types = ["reduction", "parallel"]
// CHECK: arith.cmpf ogt
// CHECK: linalg.index 0 : index
// CHECK: linalg.generic {{.*}} ins(%[[ARG]]#1 : tensor<3xindex>)
// CHECK: %[[I:.*]] = linalg.index 0 : index
// CHECK: arith.cmpi eq, %[[I]]
// CHECK: arith.select
func.func @hardmax(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = onnx.Hardmax %x {axis = 0 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// LayerNormalization over the last two dims: mean, variance about the mean, 1/sqrt(var + eps), then
// (x - mean) * inv * scale + B with Scale and B broadcast; Mean and InvStdDev reshaped to keepdims.
// CHECK-DAG: #[[$KEPT:.*]] = affine_map<(d0, d1, d2) -> (d0)>
// CHECK-LABEL: func.func @layer_norm
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction", "reduction"]
// CHECK: arith.divf
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction", "reduction"]
// CHECK: arith.mulf
// CHECK: %[[EPS:.*]] = arith.constant 9.99999974E-6 : f32
// CHECK: math.sqrt
// CHECK: %[[Y:.*]] = linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}, #{{.*}}, #[[$KEPT]], #[[$KEPT]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK: %[[MEAN:.*]] = tensor.expand_shape {{.*}} output_shape [2, 1, 1]
// CHECK: %[[INV:.*]] = tensor.expand_shape {{.*}} output_shape [2, 1, 1]
// CHECK: return %[[Y]], %[[MEAN]], %[[INV]]
func.func @layer_norm(%x: tensor<2x3x4xf32>, %s: tensor<3x4xf32>, %b: tensor<4xf32>) -> (tensor<2x3x4xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>) {
  %0, %1, %2 = onnx.LayerNormalization %x, %s, %b {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<3x4xf32>, tensor<4xf32>) -> (tensor<2x3x4xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>)
  return %0, %1, %2 : tensor<2x3x4xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>
}

// -----

// InstanceNormalization: statistics per (n, c) over the spatial dims; scale and B read per channel.
// CHECK-DAG: #[[$NC:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1)>
// CHECK-DAG: #[[$C:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, 0, 0)>
// CHECK-LABEL: func.func @instance_norm
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[$NC]]], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1, 2]] output_shape [3, 1, 1]
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[$C]], #[[$C]], #[[$NC]], #[[$NC]], #{{.*}}]
func.func @instance_norm(%x: tensor<2x3x4x5xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<2x3x4x5xf32> {
  %0 = onnx.InstanceNormalization %x, %s, %b : (tensor<2x3x4x5xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3x4x5xf32>
  return %0 : tensor<2x3x4x5xf32>
}

// -----

// LRN: channels zero-padded by floor((size-1)/2) before and ceil((size-1)/2) after, squares summed
// over a window loop, then x / (bias + alpha/size * sum)^beta.
// CHECK-DAG: #[[$WIN:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1 + d4, d2, d3)>
// CHECK-LABEL: func.func @lrn
// CHECK: tensor.pad %{{.*}} low[0, 1, 0, 0] high[0, 2, 0, 0]
// CHECK: linalg.generic {indexing_maps = [#[[$WIN]], #{{.*}}, #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
// CHECK-SAME: tensor<1x8x2x2xf32>, tensor<4xf32>
// CHECK: arith.mulf
// CHECK: math.powf
// CHECK: arith.divf
func.func @lrn(%x: tensor<1x5x2x2xf32>) -> tensor<1x5x2x2xf32> {
  %0 = onnx.LRN %x {size = 4 : i64} : (tensor<1x5x2x2xf32>) -> tensor<1x5x2x2xf32>
  return %0 : tensor<1x5x2x2xf32>
}

// -----

// MeanVarianceNormalization over the default axes [0, 2, 3]: (x - mean) / (std + 1e-9).
// CHECK-DAG: #[[$CH:.*]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func.func @mvn
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[$CH]]], iterator_types = ["reduction", "parallel", "reduction", "reduction"]}
// CHECK: %[[EPS:.*]] = arith.constant 9.99999971E-10 : f32
// CHECK: arith.addf %{{.*}}, %[[EPS]]
// CHECK: arith.divf
func.func @mvn(%x: tensor<2x3x4x5xf32>) -> tensor<2x3x4x5xf32> {
  %0 = onnx.MeanVarianceNormalization %x : (tensor<2x3x4x5xf32>) -> tensor<2x3x4x5xf32>
  return %0 : tensor<2x3x4x5xf32>
}

// -----

// LpNormalization p=1: x / sum(|x|) along the axis.
// CHECK-LABEL: func.func @lp_norm
// CHECK: math.absf
// CHECK: arith.addf
// CHECK-NOT: math.sqrt
// CHECK: arith.divf
func.func @lp_norm(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = onnx.LpNormalization %x {p = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// NegativeLogLikelihoodLoss, mean with weights: first the run-time check that every class lies in
// [0, 2] or is ignore_index (status 7); per element the class is then clamped (an ignored class's
// reads stay in bounds), ignore_index zeroes loss and weight, then sum(loss) / sum(weight).
// CHECK-LABEL: func.func @nll_mean
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>, %[[T:.*]]: tensor<2x4xi64>, %[[W:.*]]: tensor<3xf32>)
// CHECK: linalg.generic {{.*}}iterator_types = ["reduction", "reduction"]{{.*}} ins(%[[T]] : tensor<2x4xi64>)
// CHECK: arith.cmpi sge, %{{.*}}, %c0_i64
// CHECK: arith.cmpi sle, %{{.*}}, %c2_i64
// CHECK: arith.cmpi eq, %{{.*}}, %c-1_i64
// CHECK: arith.ori
// CHECK: %[[OK:.*]] = tensor.extract %{{.*}}[] : tensor<i1>
// CHECK: cf.assert %[[OK]], "mcc.status=7: target class"
// CHECK: %[[PER:.*]]:2 = linalg.generic {{.*}} ins(%[[T]] : tensor<2x4xi64>)
// CHECK: %[[IGN:.*]] = arith.cmpi eq, %{{.*}}, %c-1_i64
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: %[[CLS:.*]] = arith.index_cast
// CHECK: %[[N:.*]] = linalg.index 0
// CHECK: %[[D:.*]] = linalg.index 1
// CHECK: tensor.extract %[[X]][%[[N]], %[[CLS]], %[[D]]]
// CHECK: tensor.extract %[[W]][%[[CLS]]]
// CHECK: arith.negf
// CHECK: %[[LS:.*]] = linalg.generic {{.*}} ins(%[[PER]]#0
// CHECK: %[[WS:.*]] = linalg.generic {{.*}} ins(%[[PER]]#1
// CHECK: linalg.generic {{.*}} ins(%[[LS]], %[[WS]] : tensor<f32>, tensor<f32>)
// CHECK: arith.divf
func.func @nll_mean(%x: tensor<2x3x4xf32>, %t: tensor<2x4xi64>, %w: tensor<3xf32>) -> tensor<f32> {
  %0 = onnx.NegativeLogLikelihoodLoss %x, %t, %w {ignore_index = -1 : i64} : (tensor<2x3x4xf32>, tensor<2x4xi64>, tensor<3xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// SoftmaxCrossEntropyLoss: LogSoftmax over dim 1 (also the log_prob output), then the loss without
// reduction.
// CHECK-LABEL: func.func @sce_none
// CHECK: arith.maximumf
// CHECK: math.exp
// CHECK: %[[LP:.*]] = linalg.generic
// CHECK: math.log
// CHECK: %[[PER:.*]]:2 = linalg.generic
// CHECK: tensor.extract %[[LP]]
// CHECK: return %[[PER]]#0, %[[LP]]
func.func @sce_none(%x: tensor<2x3xf32>, %t: tensor<2xi32>) -> (tensor<2xf32>, tensor<2x3xf32>) {
  %n = onnx.NoValue
  %0, %1 = onnx.SoftmaxCrossEntropyLoss %x, %t, %n {reduction = "none"} : (tensor<2x3xf32>, tensor<2xi32>, none) -> (tensor<2xf32>, tensor<2x3xf32>)
  return %0, %1 : tensor<2xf32>, tensor<2x3xf32>
}

// -----

// BatchNormalization training_mode=1: batch mean and population variance over every axis but the
// channel (count 2*4 = 8), y normalised with them, running = input * momentum + batch * (1 - momentum).
// CHECK-DAG: #[[$X3:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[$C3:.*]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-LABEL: func.func @batchnorm_training
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>, %[[S:.*]]: tensor<3xf32>, %[[B:.*]]: tensor<3xf32>, %[[M:.*]]: tensor<3xf32>, %[[V:.*]]: tensor<3xf32>)
// CHECK: %[[N:.*]] = arith.constant 8.000000e+00 : f32
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[$X3]], #[[$C3]]], iterator_types = ["reduction", "parallel", "reduction"]} ins(%[[X]] : tensor<2x3x4xf32>)
// CHECK: %[[MEAN:.*]] = linalg.generic
// CHECK-SAME: ins(%[[SUM]] : tensor<3xf32>)
// CHECK: arith.divf %{{.*}}, %[[N]]
// CHECK: %[[SQ:.*]] = linalg.generic {{.*}}iterator_types = ["reduction", "parallel", "reduction"]} ins(%[[X]], %[[MEAN]] : tensor<2x3x4xf32>, tensor<3xf32>)
// CHECK: %[[D:.*]] = arith.subf
// CHECK: arith.mulf %[[D]], %[[D]]
// CHECK: %[[VAR:.*]] = linalg.generic
// CHECK-SAME: ins(%[[SQ]] : tensor<3xf32>)
// CHECK: arith.divf %{{.*}}, %[[N]]
// CHECK: %[[EPS:.*]] = arith.constant 9.99999974E-6 : f32
// CHECK: %[[Y:.*]] = linalg.generic {{.*}} ins(%[[X]], %[[MEAN]], %[[VAR]], %[[S]], %[[B]] :
// CHECK: ^bb0(%[[XV:.*]]: f32, %[[MV:.*]]: f32, %[[VV:.*]]: f32, %[[SV:.*]]: f32, %[[BV:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[XC:.*]] = arith.subf %[[XV]], %[[MV]]
// CHECK: %[[VE:.*]] = arith.addf %[[VV]], %[[EPS]]
// CHECK: %[[SD:.*]] = math.sqrt %[[VE]]
// CHECK: %[[NRM:.*]] = arith.divf %[[XC]], %[[SD]]
// CHECK: %[[SC:.*]] = arith.mulf %[[NRM]], %[[SV]]
// CHECK: arith.addf %[[SC]], %[[BV]]
// CHECK: %[[MOM:.*]] = arith.constant 7.500000e-01 : f32
// CHECK: %[[ONEM:.*]] = arith.constant 2.500000e-01 : f32
// CHECK: %[[RM:.*]] = linalg.generic {{.*}} ins(%[[M]], %[[MEAN]] :
// CHECK: arith.mulf %{{.*}}, %[[MOM]]
// CHECK: arith.mulf %{{.*}}, %[[ONEM]]
// CHECK: %[[RV:.*]] = linalg.generic {{.*}} ins(%[[V]], %[[VAR]] :
// CHECK: return %[[Y]], %[[RM]], %[[RV]]
func.func @batchnorm_training(%x: tensor<2x3x4xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>) {
  %0, %1, %2 = onnx.BatchNormalization %x, %s, %b, %m, %v {training_mode = 1 : i64, momentum = 0.75 : f32} : (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>)
  return %0, %1, %2 : tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>
}
