// RUN: %mcc-opt --mcc-lower-onnx-to-linalg %s -split-input-file | FileCheck %s

// ReduceSum over a constant axis: one generic with that loop as the reduction, into the kept dims,
// then expanded back to keepdims.
// CHECK-DAG: #[[$ID3:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[$KEPT:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @reduce_sum
// CHECK-SAME: (%[[X:.*]]: tensor<3x4x5xf32>)
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.*}} : tensor<3x5xf32>)
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[$ID3]], #[[$KEPT]]], iterator_types = ["parallel", "reduction", "parallel"]}
// CHECK-SAME: ins(%[[X]] : tensor<3x4x5xf32>) outs(%[[INIT]] : tensor<3x5xf32>)
// CHECK: arith.addf
// CHECK: %[[Y:.*]] = tensor.expand_shape %[[SUM]] {{\[\[}}0], [1, 2]] output_shape [3, 1, 5]
// CHECK: return %[[Y]]
func.func @reduce_sum(%x: tensor<3x4x5xf32>) -> tensor<3x1x5xf32> {
  %a = onnx.Constant dense<[1]> : tensor<1xi64> : tensor<1xi64>
  %0 = onnx.ReduceSum %x, %a : (tensor<3x4x5xf32>, tensor<1xi64>) -> tensor<3x1x5xf32>
  return %0 : tensor<3x1x5xf32>
}

// -----

// ReduceL2 with a negative axis and keepdims=0: sum of squares, then sqrt.
// CHECK-LABEL: func.func @reduce_l2
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK: %[[SQ:.*]] = arith.mulf %[[IN:.*]], %[[IN]]
// CHECK: arith.addf %{{.*}}, %[[SQ]]
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel"]
// CHECK: math.sqrt
// CHECK-NOT: expand_shape
// CHECK: return {{.*}} : tensor<2xf32>
func.func @reduce_l2(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  %a = onnx.Constant dense<[-1]> : tensor<1xi64> : tensor<1xi64>
  %0 = onnx.ReduceL2 %x, %a {keepdims = 0 : i64} : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// No axes: every dim is reduced. Unsigned max starts from 0 and compares unsigned.
// CHECK-LABEL: func.func @reduce_max_ui8
// CHECK: arith.constant 0 : i8
// CHECK: linalg.fill ins(%{{.*}} : i8) outs(%{{.*}} : tensor<i8>)
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction", "reduction"]
// CHECK: arith.maxui
// CHECK: tensor.expand_shape %{{.*}} [] output_shape [1, 1] : tensor<i8> into tensor<1x1xi8>
func.func @reduce_max_ui8(%x: tensor<2x3xui8>) -> tensor<1x1xui8> {
  %n = onnx.NoValue
  %0 = onnx.ReduceMax %x, %n : (tensor<2x3xui8>, none) -> tensor<1x1xui8>
  return %0 : tensor<1x1xui8>
}

// -----

// Float max starts from -inf and propagates NaN (maximumf); min starts from +inf.
// CHECK-LABEL: func.func @reduce_max_min_f32
// CHECK: arith.constant 0xFF800000 : f32
// CHECK: arith.maximumf
// CHECK: arith.constant 0x7F800000 : f32
// CHECK: arith.minimumf
func.func @reduce_max_min_f32(%x: tensor<2x3xf32>) -> (tensor<2x1xf32>, tensor<2x1xf32>) {
  %a = onnx.Constant dense<[1]> : tensor<1xi64> : tensor<1xi64>
  %0 = onnx.ReduceMax %x, %a : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<2x1xf32>
  %1 = onnx.ReduceMin %x, %a : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<2x1xf32>
  return %0, %1 : tensor<2x1xf32>, tensor<2x1xf32>
}

// -----

// noop_with_empty_axes with no axes is the identity.
// CHECK-LABEL: func.func @reduce_noop
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT: return %[[X]]
func.func @reduce_noop(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %n = onnx.NoValue
  %0 = onnx.ReduceSum %x, %n {noop_with_empty_axes = 1 : i64} : (tensor<2x3xf32>, none) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// f16 accumulates in f32; the mean divides there and truncates once.
// CHECK-LABEL: func.func @reduce_mean_f16
// CHECK: %[[N:.*]] = arith.constant 4.000000e+00 : f32
// CHECK: linalg.generic
// CHECK: ^bb0(%[[IN:.*]]: f16, %[[ACC:.*]]: f32):
// CHECK: %[[E:.*]] = arith.extf %[[IN]] : f16 to f32
// CHECK: arith.addf %[[ACC]], %[[E]]
// CHECK: linalg.generic
// CHECK: %[[M:.*]] = arith.divf %{{.*}}, %[[N]] : f32
// CHECK: arith.truncf %[[M]] : f32 to f16
func.func @reduce_mean_f16(%x: tensor<4xf16>) -> tensor<1xf16> {
  %n = onnx.NoValue
  %0 = onnx.ReduceMean %x, %n : (tensor<4xf16>, none) -> tensor<1xf16>
  return %0 : tensor<1xf16>
}

// -----

// LogSumExp: the maximum first (0 where it is infinite), then log(sum(exp(x - m))) + m.
// CHECK-LABEL: func.func @reduce_log_sum_exp
// CHECK: arith.maximumf
// CHECK: math.absf
// CHECK: arith.cmpf oeq
// CHECK: arith.select
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK: arith.subf
// CHECK: math.exp
// CHECK: math.log
// CHECK: arith.addf
func.func @reduce_log_sum_exp(%x: tensor<2x3xf32>) -> tensor<2x1xf32> {
  %a = onnx.Constant dense<[1]> : tensor<1xi64> : tensor<1xi64>
  %0 = onnx.ReduceLogSumExp %x, %a : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<2x1xf32>
  return %0 : tensor<2x1xf32>
}

// -----

// Integer mean divides the integer sum (signed).
// CHECK-LABEL: func.func @reduce_mean_i32
// CHECK: arith.addi
// CHECK: arith.divsi
func.func @reduce_mean_i32(%x: tensor<2x3xi32>) -> tensor<2x1xi32> {
  %a = onnx.Constant dense<[1]> : tensor<1xi64> : tensor<1xi64>
  %0 = onnx.ReduceMean %x, %a : (tensor<2x3xi32>, tensor<1xi64>) -> tensor<2x1xi32>
  return %0 : tensor<2x1xi32>
}

// -----

// Axes only known at run time, keepdims=0, over two equal dims: both candidates are computed and the
// axes value selects one.
// CHECK-DAG: #[[$K1:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[$K2:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @reduce_runtime_axes
// CHECK-SAME: (%[[X:.*]]: tensor<3x2x2xf32>, %[[AXES:.*]]: tensor<1xi64>)
// CHECK: %[[R1:.*]] = linalg.generic {indexing_maps = [#{{.*}}, #[[$K1]]], iterator_types = ["parallel", "reduction", "parallel"]}
// CHECK: tensor.extract %[[AXES]]
// CHECK: arith.andi
// CHECK: %[[R2:.*]] = linalg.generic {indexing_maps = [#{{.*}}, #[[$K2]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK: %[[Y:.*]] = arith.select %{{.*}}, %[[R1]], %[[R2]] : tensor<3x2xf32>
// CHECK: return %[[Y]]
func.func @reduce_runtime_axes(%x: tensor<3x2x2xf32>, %a: tensor<1xi64>) -> tensor<3x2xf32> {
  %0 = onnx.ReduceSum %x, %a {keepdims = 0 : i64} : (tensor<3x2x2xf32>, tensor<1xi64>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// With keepdims the result shape names the reduced dim: no run-time choice.
// CHECK-LABEL: func.func @reduce_runtime_axes_keepdims
// CHECK-COUNT-1: linalg.generic {{.*}} iterator_types = ["parallel", "reduction", "parallel"]
// CHECK-NOT: arith.select
// CHECK: return
func.func @reduce_runtime_axes_keepdims(%x: tensor<3x4x2xf32>, %a: tensor<1xi64>) -> tensor<3x1x2xf32> {
  %0 = onnx.ReduceSum %x, %a : (tensor<3x4x2xf32>, tensor<1xi64>) -> tensor<3x1x2xf32>
  return %0 : tensor<3x1x2xf32>
}

// -----

// ArgMax: value and index reduced together; select_last_index also takes equal values.
// CHECK-DAG: #[[$ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @argmax_last
// CHECK: %[[R:.*]]:2 = linalg.generic {indexing_maps = [#{{.*}}, #[[$ROW]], #[[$ROW]]], iterator_types = ["parallel", "reduction"]}
// CHECK-SAME: outs(%{{.*}}, %{{.*}} : tensor<3xf32>, tensor<3xi64>)
// CHECK: arith.cmpf ogt
// CHECK: arith.cmpf oeq
// CHECK: %[[K:.*]] = linalg.index 1 : index
// CHECK: arith.index_cast %[[K]] : index to i64
// CHECK: tensor.expand_shape %[[R]]#1 {{\[\[}}0, 1]] output_shape [3, 1]
func.func @argmax_last(%x: tensor<3x4xf32>) -> tensor<3x1xi64> {
  %0 = onnx.ArgMax %x {axis = 1 : i64, select_last_index = 1 : i64} : (tensor<3x4xf32>) -> tensor<3x1xi64>
  return %0 : tensor<3x1xi64>
}

// -----

// ArgMin on signed integers, first index, keepdims=0.
// CHECK-LABEL: func.func @argmin_i32
// CHECK: arith.constant 2147483647 : i32
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction", "parallel"]
// CHECK: arith.cmpi slt
// CHECK-NOT: arith.cmpi eq
// CHECK: return {{.*}} : tensor<4xi64>
func.func @argmin_i32(%x: tensor<3x4xi32>) -> tensor<4xi64> {
  %0 = onnx.ArgMin %x {keepdims = 0 : i64} : (tensor<3x4xi32>) -> tensor<4xi64>
  return %0 : tensor<4xi64>
}

// -----

// CumSum along a constant axis: the axis read a second time as a reduction loop k, x[k] added where
// k <= i (here reverse and exclusive: k > i).
// CHECK-DAG: #[[$XK:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[$OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @cumsum_reverse_exclusive
// CHECK: linalg.generic {indexing_maps = [#[[$XK]], #[[$OUT]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK: %[[I:.*]] = linalg.index 1 : index
// CHECK: %[[K:.*]] = linalg.index 2 : index
// CHECK: arith.cmpi ugt, %[[K]], %[[I]] : index
// CHECK: arith.select
// CHECK: arith.addf
func.func @cumsum_reverse_exclusive(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %a = onnx.Constant dense<-1> : tensor<i64> : tensor<i64>
  %0 = onnx.CumSum %x, %a {exclusive = 1 : i64, reverse = 1 : i64} : (tensor<2x5xf32>, tensor<i64>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

// A run-time axis: one scan per dim, selected by the axis value.
// CHECK-LABEL: func.func @cumsum_runtime_axis
// CHECK-COUNT-2: linalg.generic
// CHECK: arith.select %{{.*}}, %{{.*}}, %{{.*}} : tensor<2x3xi32>
func.func @cumsum_runtime_axis(%x: tensor<2x3xi32>, %a: tensor<i32>) -> tensor<2x3xi32> {
  %0 = onnx.CumSum %x, %a : (tensor<2x3xi32>, tensor<i32>) -> tensor<2x3xi32>
  return %0 : tensor<2x3xi32>
}

// -----

// TopK: K from the static result shape. Each element's rank (how many come before it: better, or
// equal at a lower index), then slot j takes the element of rank j.
// CHECK-DAG: #[[$I:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[$M:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @topk
// CHECK-SAME: (%[[X:.*]]: tensor<3x4xf32>, %{{.*}}: tensor<1xi64>)
// CHECK: %[[RANK:.*]] = linalg.generic {indexing_maps = [#[[$I]], #[[$M]], #[[$I]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK-SAME: ins(%[[X]], %[[X]] : tensor<3x4xf32>, tensor<3x4xf32>) outs(%{{.*}} : tensor<3x4xi64>)
// CHECK: arith.cmpi ult
// CHECK: arith.cmpf ogt
// CHECK: arith.extui
// CHECK: %[[R:.*]]:2 = linalg.generic {indexing_maps = [#[[$M]], #[[$M]], #[[$I]], #[[$I]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK-SAME: ins(%[[X]], %[[RANK]] : tensor<3x4xf32>, tensor<3x4xi64>) outs(%{{.*}}, %{{.*}} : tensor<3x2xf32>, tensor<3x2xi64>)
// CHECK: arith.cmpi eq
// CHECK: return %[[R]]#0, %[[R]]#1
func.func @topk(%x: tensor<3x4xf32>, %k: tensor<1xi64>) -> (tensor<3x2xf32>, tensor<3x2xi64>) {
  %0, %1 = onnx.TopK %x, %k : (tensor<3x4xf32>, tensor<1xi64>) -> (tensor<3x2xf32>, tensor<3x2xi64>)
  return %0, %1 : tensor<3x2xf32>, tensor<3x2xi64>
}

// -----

// largest=0 ranks by less-than.
// CHECK-LABEL: func.func @topk_smallest
// CHECK: arith.cmpf olt
func.func @topk_smallest(%x: tensor<4xf32>, %k: tensor<1xi64>) -> (tensor<1xf32>, tensor<1xi64>) {
  %0, %1 = onnx.TopK %x, %k {largest = 0 : i64} : (tensor<4xf32>, tensor<1xi64>) -> (tensor<1xf32>, tensor<1xi64>)
  return %0, %1 : tensor<1xf32>, tensor<1xi64>
}

// -----

// TopK with K known only at run time (`?` along axis): the whole axis is ranked, then both results
// are the leading clamp(K, 0, 4) along it.
// CHECK-LABEL: func.func @topk_runtime_k
// CHECK: %[[G:.*]]:2 = linalg.generic {{.*}} outs(%{{.*}}, %{{.*}} : tensor<3x4xf32>, tensor<3x4xi64>)
// CHECK: %[[K:.*]] = tensor.extract %{{.*}} : tensor<1xi64>
// CHECK: %[[MIN:.*]] = arith.minsi %[[K]], %{{.*}} : i64
// CHECK: %[[MAX:.*]] = arith.maxsi %{{.*}}, %[[MIN]] : i64
// CHECK: %[[KI:.*]] = arith.index_cast %[[MAX]] : i64 to index
// CHECK: tensor.extract_slice %[[G]]#0[0, 0] [3, %[[KI]]] [1, 1] : tensor<3x4xf32> to tensor<3x?xf32>
// CHECK: tensor.extract_slice %[[G]]#1[0, 0] [3, %[[KI]]] [1, 1] : tensor<3x4xi64> to tensor<3x?xi64>
func.func @topk_runtime_k(%x: tensor<3x4xf32>, %k: tensor<1xi64>) -> (tensor<3x?xf32>, tensor<3x?xi64>) {
  %v, %i = onnx.TopK %x, %k {axis = 1 : i64} : (tensor<3x4xf32>, tensor<1xi64>) -> (tensor<3x?xf32>, tensor<3x?xi64>)
  return %v, %i : tensor<3x?xf32>, tensor<3x?xi64>
}
