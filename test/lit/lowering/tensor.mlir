// RUN: %mcc-opt --mcc-lower-onnx-to-linalg %s -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @constant
// CHECK: %[[C:.*]] = arith.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK-NOT: onnx.
// CHECK: return %[[C]]
func.func @constant() -> tensor<2xf32> {
  %0 = onnx.Constant dense<[1.0, 2.0]> : tensor<2xf32> : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// CHECK-LABEL: func.func @flatten
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK: %[[R:.*]] = tensor.collapse_shape %[[X]] {{\[}}[0], [1, 2]] : tensor<2x3x4xf32> into tensor<2x12xf32>
// CHECK: return %[[R]]
func.func @flatten(%x: tensor<2x3x4xf32>) -> tensor<2x12xf32> {
  %0 = onnx.Flatten %x : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
  return %0 : tensor<2x12xf32>
}

// -----

// Flatten at axis 0 gives [1, N].
// CHECK-LABEL: func.func @flatten_axis0
// CHECK: tensor.collapse_shape {{.*}} into tensor<24xf32>
// CHECK: tensor.expand_shape {{.*}} into tensor<1x24xf32>
func.func @flatten_axis0(%x: tensor<2x3x4xf32>) -> tensor<1x24xf32> {
  %0 = onnx.Flatten %x {axis = 0 : i64} : (tensor<2x3x4xf32>) -> tensor<1x24xf32>
  return %0 : tensor<1x24xf32>
}

// -----

// Reshape takes its shape from the result type; the shape operand is not read.
// CHECK-LABEL: func.func @reshape_expand
// CHECK-SAME: (%[[X:.*]]: tensor<6xf32>, %{{.*}}: tensor<2xi64>)
// CHECK: %[[R:.*]] = tensor.expand_shape %[[X]] {{\[}}[0, 1]] output_shape [2, 3] : tensor<6xf32> into tensor<2x3xf32>
// CHECK: return %[[R]]
func.func @reshape_expand(%x: tensor<6xf32>, %s: tensor<2xi64>) -> tensor<2x3xf32> {
  %0 = onnx.Reshape %x, %s : (tensor<6xf32>, tensor<2xi64>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// A reshape that is neither a pure collapse nor a pure expand goes through the flat 1-D view.
// CHECK-LABEL: func.func @reshape_general
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1]] : tensor<2x3xf32> into tensor<6xf32>
// CHECK: %[[R:.*]] = tensor.expand_shape %[[FLAT]] {{\[}}[0, 1]] output_shape [3, 2] : tensor<6xf32> into tensor<3x2xf32>
// CHECK: return %[[R]]
func.func @reshape_general(%x: tensor<2x3xf32>, %s: tensor<2xi64>) -> tensor<3x2xf32> {
  %0 = onnx.Reshape %x, %s : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// Same shape: no op at all.
// CHECK-LABEL: func.func @reshape_noop
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>
// CHECK-NEXT: return %[[X]]
func.func @reshape_noop(%x: tensor<2x3xf32>, %s: tensor<2xi64>) -> tensor<2x3xf32> {
  %0 = onnx.Reshape %x, %s : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @transpose
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4x2x3xf32>
// CHECK: %[[T:.*]] = linalg.transpose ins(%[[X]] : tensor<2x3x4xf32>) outs(%[[E]] : tensor<4x2x3xf32>) permutation = [2, 0, 1]
// CHECK: return %[[T]]
func.func @transpose(%x: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
  %0 = onnx.Transpose %x {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  return %0 : tensor<4x2x3xf32>
}

// -----

// Without perm the dimensions are reversed.
// CHECK-LABEL: func.func @transpose_default
// CHECK: linalg.transpose ins(%{{.*}} : tensor<2x3x4xf32>) outs(%{{.*}} : tensor<4x3x2xf32>) permutation = [2, 1, 0]
func.func @transpose_default(%x: tensor<2x3x4xf32>) -> tensor<4x3x2xf32> {
  %0 = onnx.Transpose %x : (tensor<2x3x4xf32>) -> tensor<4x3x2xf32>
  return %0 : tensor<4x3x2xf32>
}

// -----

// Concat: one insert_slice per input at its running offset along the (normalised) axis; empty
// inputs are skipped.
// CHECK-LABEL: func.func @concat
// CHECK-SAME: (%[[A:.*]]: tensor<2x3xf32>, %[[B:.*]]: tensor<2x5xf32>, %[[C:.*]]: tensor<2x0xf32>)
// CHECK: %[[E:.*]] = tensor.empty() : tensor<2x8xf32>
// CHECK: %[[S0:.*]] = tensor.insert_slice %[[A]] into %[[E]][0, 0] [2, 3] [1, 1] : tensor<2x3xf32> into tensor<2x8xf32>
// CHECK: %[[S1:.*]] = tensor.insert_slice %[[B]] into %[[S0]][0, 3] [2, 5] [1, 1] : tensor<2x5xf32> into tensor<2x8xf32>
// CHECK-NOT: tensor.insert_slice
// CHECK: return %[[S1]]
func.func @concat(%a: tensor<2x3xf32>, %b: tensor<2x5xf32>, %c: tensor<2x0xf32>) -> tensor<2x8xf32> {
  %0 = onnx.Concat %a, %b, %c {axis = -1 : i64} : (tensor<2x3xf32>, tensor<2x5xf32>, tensor<2x0xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// CHECK-LABEL: func.func @concat_axis0
// CHECK: %[[S0:.*]] = tensor.insert_slice %{{.*}} into %{{.*}}[0, 0] [1, 4] [1, 1]
// CHECK: %[[S1:.*]] = tensor.insert_slice %{{.*}} into %[[S0]][1, 0] [2, 4] [1, 1]
// CHECK: %[[S2:.*]] = tensor.insert_slice %{{.*}} into %[[S1]][3, 0] [1, 4] [1, 1]
// CHECK: return %[[S2]]
func.func @concat_axis0(%a: tensor<1x4xi64>, %b: tensor<2x4xi64>) -> tensor<4x4xi64> {
  %0 = onnx.Concat %a, %b, %a {axis = 0 : i64} : (tensor<1x4xi64>, tensor<2x4xi64>, tensor<1x4xi64>) -> tensor<4x4xi64>
  return %0 : tensor<4x4xi64>
}

// -----

// Unsqueeze and Squeeze are reshapes to the inferred result type; the axes operand is not read.
// CHECK-LABEL: func.func @unsqueeze
// CHECK-SAME: (%[[X:.*]]: tensor<3x4xf32>
// CHECK: %[[R:.*]] = tensor.expand_shape %[[X]] {{\[}}[0, 1], [2]] output_shape [1, 3, 4] : tensor<3x4xf32> into tensor<1x3x4xf32>
// CHECK: return %[[R]]
func.func @unsqueeze(%x: tensor<3x4xf32>, %axes: tensor<1xi64>) -> tensor<1x3x4xf32> {
  %0 = onnx.Unsqueeze %x, %axes : (tensor<3x4xf32>, tensor<1xi64>) -> tensor<1x3x4xf32>
  return %0 : tensor<1x3x4xf32>
}

// -----

// CHECK-LABEL: func.func @squeeze_all
// CHECK: tensor.collapse_shape {{.*}} : tensor<1x3x1xf32> into tensor<3xf32>
func.func @squeeze_all(%x: tensor<1x3x1xf32>) -> tensor<3xf32> {
  %none = onnx.NoValue
  %0 = onnx.Squeeze %x, %none : (tensor<1x3x1xf32>, none) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// Shape and Size are compile-time constants.
// CHECK-LABEL: func.func @shape_start_end
// CHECK: %[[C:.*]] = arith.constant dense<[3, 4]> : tensor<2xi64>
// CHECK: return %[[C]]
func.func @shape_start_end(%x: tensor<2x3x4x5xf32>) -> tensor<2xi64> {
  %0 = onnx.Shape %x {start = 1 : i64, end = -1 : i64} : (tensor<2x3x4x5xf32>) -> tensor<2xi64>
  return %0 : tensor<2xi64>
}

// -----

// CHECK-LABEL: func.func @size
// CHECK: %[[C:.*]] = arith.constant dense<120> : tensor<i64>
// CHECK: return %[[C]]
func.func @size(%x: tensor<2x3x4x5xf32>) -> tensor<i64> {
  %0 = onnx.Size %x : (tensor<2x3x4x5xf32>) -> tensor<i64>
  return %0 : tensor<i64>
}

// -----

// Constant starts, axes and positive steps: one strided extract_slice (starts clamped, -1 from the end).
// CHECK-LABEL: func.func @slice_constant
// CHECK-SAME: (%[[X:.*]]: tensor<20x10x5xf32>)
// CHECK: %[[S:.*]] = tensor.extract_slice %[[X]][0, 9, 0] [20, 1, 5] [1, 1, 1] : tensor<20x10x5xf32> to tensor<20x1x5xf32>
// CHECK: return %[[S]]
func.func @slice_constant(%x: tensor<20x10x5xf32>) -> tensor<20x1x5xf32> {
  %starts = onnx.Constant dense<[-1]> : tensor<1xi64> : tensor<1xi64>
  %ends = onnx.Constant dense<[1000]> : tensor<1xi64> : tensor<1xi64>
  %axes = onnx.Constant dense<[1]> : tensor<1xi64> : tensor<1xi64>
  %none = onnx.NoValue
  %0 = onnx.Slice %x, %starts, %ends, %axes, %none : (tensor<20x10x5xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<20x1x5xf32>
  return %0 : tensor<20x1x5xf32>
}

// -----

// Starts known only at run time: read with tensor.extract; the slice's size from the clamped start
// and end must be the result's 3 (status 8 otherwise); then a gather over the result.
// CHECK-LABEL: func.func @slice_runtime
// CHECK-SAME: (%[[X:.*]]: tensor<10xf32>, %[[S:.*]]: tensor<1xi64>, %[[E:.*]]: tensor<1xi64>)
// CHECK: tensor.extract %[[S]]
// CHECK: tensor.extract %[[E]]
// CHECK: arith.divui
// CHECK: arith.cmpi eq, %{{.*}}, %c3_i64
// CHECK: cf.assert %{{.*}}, "mcc.status=8: Slice starts, ends and steps do not give the compiled result shape"
// CHECK: linalg.generic
// CHECK: linalg.index 0
// CHECK: tensor.extract %[[X]]
func.func @slice_runtime(%x: tensor<10xf32>, %s: tensor<1xi64>, %e: tensor<1xi64>) -> tensor<3xf32> {
  %none = onnx.NoValue
  %0 = onnx.Slice %x, %s, %e, %none, %none : (tensor<10xf32>, tensor<1xi64>, tensor<1xi64>, none, none) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// CHECK-LABEL: func.func @split
// CHECK-SAME: (%[[X:.*]]: tensor<2x6xf32>)
// CHECK-DAG: tensor.extract_slice %[[X]][0, 0] [2, 2] [1, 1] : tensor<2x6xf32> to tensor<2x2xf32>
// CHECK-DAG: tensor.extract_slice %[[X]][0, 2] [2, 4] [1, 1] : tensor<2x6xf32> to tensor<2x4xf32>
func.func @split(%x: tensor<2x6xf32>) -> (tensor<2x2xf32>, tensor<2x4xf32>) {
  %split = onnx.Constant dense<[2, 4]> : tensor<2xi64> : tensor<2xi64>
  %0:2 = onnx.Split %x, %split {axis = 1 : i64} : (tensor<2x6xf32>, tensor<2xi64>) -> (tensor<2x2xf32>, tensor<2x4xf32>)
  return %0#0, %0#1 : tensor<2x2xf32>, tensor<2x4xf32>
}

// -----

// Constant non-negative pads in constant mode: tensor.pad.
// CHECK-LABEL: func.func @pad_constant
// CHECK: tensor.pad %{{.*}} low[0, 1] high[0, 2]
func.func @pad_constant(%x: tensor<2x3xf32>, %v: tensor<f32>) -> tensor<2x6xf32> {
  %pads = onnx.Constant dense<[0, 1, 0, 2]> : tensor<4xi64> : tensor<4xi64>
  %0 = onnx.Pad %x, %pads, %v : (tensor<2x3xf32>, tensor<4xi64>, tensor<f32>) -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// -----

// Reflect mode: the source index folds back at both ends (period 2 * (n - 1)).
// CHECK-LABEL: func.func @pad_reflect
// CHECK: linalg.generic
// CHECK: arith.remsi
// CHECK: tensor.extract
func.func @pad_reflect(%x: tensor<3xf32>) -> tensor<7xf32> {
  %pads = onnx.Constant dense<[2, 2]> : tensor<2xi64> : tensor<2xi64>
  %none = onnx.NoValue
  %0 = onnx.Pad %x, %pads, %none {mode = "reflect"} : (tensor<3xf32>, tensor<2xi64>, none) -> tensor<7xf32>
  return %0 : tensor<7xf32>
}

// -----

// CHECK-LABEL: func.func @expand
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{.*}} : tensor<3x1xf32>) outs(%{{.*}} : tensor<2x3x4xf32>)
func.func @expand(%x: tensor<3x1xf32>, %s: tensor<3xi64>) -> tensor<2x3x4xf32> {
  %0 = onnx.Expand %x, %s : (tensor<3x1xf32>, tensor<3xi64>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// DepthToSpace (DCR) is expand_shape, transpose, collapse_shape.
// CHECK-LABEL: func.func @depth_to_space
// CHECK: tensor.expand_shape {{.*}} into tensor<1x2x2x2x3x3xf32>
// CHECK: linalg.transpose {{.*}} permutation = [0, 3, 4, 1, 5, 2]
// CHECK: tensor.collapse_shape {{.*}} into tensor<1x2x6x6xf32>
func.func @depth_to_space(%x: tensor<1x8x3x3xf32>) -> tensor<1x2x6x6xf32> {
  %0 = onnx.DepthToSpace %x {blocksize = 2 : i64} : (tensor<1x8x3x3xf32>) -> tensor<1x2x6x6xf32>
  return %0 : tensor<1x2x6x6xf32>
}

// -----

// Compress with a constant condition gathers through a constant table of kept indices.
// CHECK-LABEL: func.func @compress_constant
// CHECK: %[[T:.*]] = arith.constant dense<[0, 2]> : tensor<2xi64>
// CHECK: linalg.generic {{.*}} ins(%[[T]] : tensor<2xi64>)
func.func @compress_constant(%x: tensor<3x2xf32>) -> tensor<2x2xf32> {
  %c = onnx.Constant dense<[true, false, true]> : tensor<3xi1> : tensor<3xi1>
  %0 = onnx.Compress %x, %c {axis = 0 : i64} : (tensor<3x2xf32>, tensor<3xi1>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

// A run-time condition: an scf.for records the kept indices and counts them, a gather fills the
// upper-bound [3, 2], and the result is its first `count` rows.
// CHECK-LABEL: func.func @compress_runtime
// CHECK: %[[LOOP:.*]]:2 = scf.for {{.*}} -> (tensor<3xindex>, index)
// CHECK: scf.if
// CHECK: tensor.insert
// CHECK: %[[UB:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<3xindex>) outs(%{{.*}} : tensor<3x2xf32>)
// CHECK: tensor.extract_slice %[[UB]][0, 0] [%[[LOOP]]#1, 2] [1, 1] : tensor<3x2xf32> to tensor<?x2xf32>
func.func @compress_runtime(%x: tensor<3x2xf32>, %c: tensor<3xi1>) -> tensor<?x2xf32> {
  %0 = onnx.Compress %x, %c {axis = 0 : i64} : (tensor<3x2xf32>, tensor<3xi1>) -> tensor<?x2xf32>
  return %0 : tensor<?x2xf32>
}

// -----

// ReverseSequence: every length is first checked to lie in [0, 4] (status 8), then each output
// element reads its mirrored step.
// CHECK-LABEL: func.func @reverse_sequence
// CHECK-SAME: (%[[X:.*]]: tensor<4x2xf32>, %[[L:.*]]: tensor<2xi64>)
// CHECK: linalg.generic {{.*}}iterator_types = ["reduction"]{{.*}} ins(%[[L]] : tensor<2xi64>)
// CHECK: arith.cmpi sle, %{{.*}}, %c4_i64
// CHECK: cf.assert %{{.*}}, "mcc.status=8: sequence_lens value"
// CHECK: linalg.generic {{.*}} ins(%[[L]] : tensor<2xi64>)
// CHECK: tensor.extract %[[X]]
func.func @reverse_sequence(%x: tensor<4x2xf32>, %l: tensor<2xi64>) -> tensor<4x2xf32> {
  %0 = onnx.ReverseSequence %x, %l {batch_axis = 1 : i64, time_axis = 0 : i64} : (tensor<4x2xf32>, tensor<2xi64>) -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}
