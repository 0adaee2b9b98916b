// RUN: %mcc-opt --mcc-lower-onnx-to-linalg %s -split-input-file | FileCheck %s

// MaxPool: the input is padded with -inf, the window is an extra tensor.empty operand that bounds
// the reduction loops, and the accumulator starts at -inf. Strictly-greater select: first max wins.
// CHECK-DAG: #[[$IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + d4, d3 * 2 + d5)>
// CHECK-DAG: #[[$WIN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>
// CHECK-DAG: #[[$OUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @maxpool
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x6x6xf32>)
// CHECK: %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[PAD:.*]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: tensor.yield %[[NEGINF]] : f32
// CHECK: } : tensor<1x2x6x6xf32> to tensor<1x2x8x8xf32>
// CHECK: %[[WINDOW:.*]] = tensor.empty() : tensor<3x3xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<1x2x3x3xf32>
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[NEGINF]] : f32) outs(%[[E]] : tensor<1x2x3x3xf32>)
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[$IN]], #[[$WIN]], #[[$OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
// CHECK-SAME: ins(%[[PAD]], %[[WINDOW]] : tensor<1x2x8x8xf32>, tensor<3x3xf32>) outs(%[[INIT]] : tensor<1x2x3x3xf32>)
// CHECK: ^bb0(%[[V:.*]]: f32, %{{.*}}: f32, %[[ACC:.*]]: f32):
// CHECK: %[[GT:.*]] = arith.cmpf ogt, %[[V]], %[[ACC]] : f32
// CHECK: %[[M:.*]] = arith.select %[[GT]], %[[V]], %[[ACC]] : f32
// CHECK: linalg.yield %[[M]]
// CHECK: return %[[R]]
func.func @maxpool(%x: tensor<1x2x6x6xf32>) -> tensor<1x2x3x3xf32> {
  %0, %1 = onnx.MaxPool %x {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x2x6x6xf32>) -> (tensor<1x2x3x3xf32>, none)
  return %0 : tensor<1x2x3x3xf32>
}

// -----

// Integer MaxPool pads with the type's minimum.
// CHECK-LABEL: func.func @maxpool_i8
// CHECK: %[[MIN:.*]] = arith.constant -128 : i8
// CHECK: tensor.pad
// CHECK: tensor.yield %[[MIN]] : i8
// CHECK: arith.cmpi sgt
func.func @maxpool_i8(%x: tensor<1x1x4x4xi8>) -> tensor<1x1x2x2xi8> {
  %0, %1 = onnx.MaxPool %x {kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x1x4x4xi8>) -> (tensor<1x1x2x2xi8>, none)
  return %0 : tensor<1x1x2x2xi8>
}

// -----

// With Indices: a second i64 output, selected by the same comparison, holding the flat index
// ((n * C + c) * H + h) * W + w into the unpadded input.
// CHECK-LABEL: func.func @maxpool_indices
// CHECK: %[[I0:.*]] = arith.constant 0 : i64
// CHECK: %[[IE:.*]] = tensor.empty() : tensor<1x1x2x2xi64>
// CHECK: %[[IINIT:.*]] = linalg.fill ins(%[[I0]] : i64) outs(%[[IE]] : tensor<1x1x2x2xi64>)
// CHECK: %[[R:.*]]:2 = linalg.generic
// CHECK-SAME: outs(%{{.*}}, %[[IINIT]] : tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>)
// CHECK: ^bb0(%{{.*}}: f32, %{{.*}}: f32, %{{.*}}: f32, %[[IACC:.*]]: i64):
// CHECK: %[[GT:.*]] = arith.cmpf ogt
// CHECK: linalg.index 0
// CHECK: linalg.index 1
// CHECK: %[[IDX:.*]] = arith.index_cast %{{.*}} : index to i64
// CHECK: %[[ISEL:.*]] = arith.select %[[GT]], %[[IDX]], %[[IACC]] : i64
// CHECK: linalg.yield %{{.*}}, %[[ISEL]] : f32, i64
// CHECK: return %[[R]]#0, %[[R]]#1
func.func @maxpool_indices(%x: tensor<1x1x4x4xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>) {
  %0, %1 = onnx.MaxPool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x1x4x4xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>)
  return %0, %1 : tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>
}

// -----

// AveragePool, count_include_pad = 0 (default): zero padding, a sum, then a division by a constant
// tensor of the in-bounds taps per output position (corners 4, edges 6, centre 9).
// CHECK-DAG: #[[$ID4:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[$DIV:.*]] = affine_map<(d0, d1, d2, d3) -> (d2, d3)>
// CHECK-LABEL: func.func @avgpool_exclude_pad
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: tensor.pad %{{.*}} low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: tensor.yield %[[ZERO]] : f32
// CHECK: %[[SUM:.*]] = linalg.generic
// CHECK: arith.addf
// CHECK: %[[COUNTS:.*]] = arith.constant dense<{{\[}}[4.000000e+00, 6.000000e+00, 4.000000e+00], [6.000000e+00, 9.000000e+00, 6.000000e+00], [4.000000e+00, 6.000000e+00, 4.000000e+00]]> : tensor<3x3xf32>
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[$ID4]], #[[$DIV]], #[[$ID4]]]
// CHECK-SAME: ins(%[[SUM]], %[[COUNTS]] : tensor<1x1x3x3xf32>, tensor<3x3xf32>)
// CHECK: arith.divf
// CHECK: return %[[R]]
func.func @avgpool_exclude_pad(%x: tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32> {
  %0 = onnx.AveragePool %x {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32>
  return %0 : tensor<1x1x3x3xf32>
}

// -----

// count_include_pad = 1: padding taps count, every window divides by 9.
// CHECK-LABEL: func.func @avgpool_include_pad
// CHECK: %[[COUNTS:.*]] = arith.constant dense<9.000000e+00> : tensor<3x3xf32>
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{.*}}, %[[COUNTS]] : tensor<1x1x3x3xf32>, tensor<3x3xf32>)
// CHECK: arith.divf
func.func @avgpool_include_pad(%x: tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32> {
  %0 = onnx.AveragePool %x {count_include_pad = 1 : i64, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32>
  return %0 : tensor<1x1x3x3xf32>
}

// -----

// ceil_mode: the last window hangs over the end; the input gets extra high padding so it reads in
// bounds, and that window divides by its in-bounds taps only.
// CHECK-LABEL: func.func @avgpool_ceil_mode
// CHECK: tensor.pad %{{.*}} low[0, 0, 0, 0] high[0, 0, 1, 1]
// CHECK: } : tensor<1x1x5x5xf32> to tensor<1x1x6x6xf32>
// CHECK: arith.constant dense<{{\[}}[4.000000e+00, 4.000000e+00, 2.000000e+00], [4.000000e+00, 4.000000e+00, 2.000000e+00], [2.000000e+00, 2.000000e+00, 1.000000e+00]]> : tensor<3x3xf32>
func.func @avgpool_ceil_mode(%x: tensor<1x1x5x5xf32>) -> tensor<1x1x3x3xf32> {
  %0 = onnx.AveragePool %x {ceil_mode = 1 : i64, kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x1x5x5xf32>) -> tensor<1x1x3x3xf32>
  return %0 : tensor<1x1x3x3xf32>
}

// -----

// No padding: no tensor.pad, a uniform divisor.
// CHECK-LABEL: func.func @avgpool_valid
// CHECK-NOT: tensor.pad
// CHECK: arith.constant dense<4.000000e+00> : tensor<2x2xf32>
func.func @avgpool_valid(%x: tensor<1x3x4x4xf32>) -> tensor<1x3x2x2xf32> {
  %0 = onnx.AveragePool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x3x4x4xf32>) -> tensor<1x3x2x2xf32>
  return %0 : tensor<1x3x2x2xf32>
}

// -----

// GlobalAveragePool: reduce the spatial dims into [N, C], divide by H*W, expand back to [N, C, 1, 1].
// CHECK-DAG: #[[$GIN:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[$GOUT:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1)>
// CHECK-LABEL: func.func @global_average_pool
// CHECK-SAME: (%[[X:.*]]: tensor<1x8x4x4xf32>)
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[$GIN]], #[[$GOUT]]], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
// CHECK-SAME: ins(%[[X]] : tensor<1x8x4x4xf32>) outs(%{{.*}} : tensor<1x8xf32>)
// CHECK: %[[N:.*]] = arith.constant 1.600000e+01 : f32
// CHECK: %[[MEAN:.*]] = linalg.generic
// CHECK-SAME: ins(%[[SUM]] : tensor<1x8xf32>)
// CHECK: arith.divf %{{.*}}, %[[N]]
// CHECK: %[[R:.*]] = tensor.expand_shape %[[MEAN]] {{\[}}[0], [1, 2, 3]] output_shape [1, 8, 1, 1] : tensor<1x8xf32> into tensor<1x8x1x1xf32>
// CHECK: return %[[R]]
func.func @global_average_pool(%x: tensor<1x8x4x4xf32>) -> tensor<1x8x1x1xf32> {
  %0 = onnx.GlobalAveragePool %x : (tensor<1x8x4x4xf32>) -> tensor<1x8x1x1xf32>
  return %0 : tensor<1x8x1x1xf32>
}

// -----

// Unsigned MaxPool: the identity of max is 0 and the comparison unsigned.
// CHECK-LABEL: func.func @maxpool_ui8
// CHECK-SAME: (%{{.*}}: tensor<1x1x4x4xi8>) -> tensor<1x1x2x2xi8>
// CHECK: %[[ZERO:.*]] = arith.constant 0 : i8
// CHECK: tensor.yield %[[ZERO]] : i8
// CHECK: linalg.fill ins(%[[ZERO]] : i8)
// CHECK: arith.cmpi ugt
func.func @maxpool_ui8(%x: tensor<1x1x4x4xui8>) -> tensor<1x1x2x2xui8> {
  %0, %1 = onnx.MaxPool %x {kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x1x4x4xui8>) -> (tensor<1x1x2x2xui8>, none)
  return %0 : tensor<1x1x2x2xui8>
}

// -----

// MaxUnpool: X scattered into a zero output at I's flat indices, in order, skipping indices out of range.
// CHECK-LABEL: func.func @maxunpool
// CHECK: %[[ZERO:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<16xf32>)
// CHECK: %[[R:.*]] = scf.for {{.*}} iter_args(%[[ACC:.*]] = %[[ZERO]]) -> (tensor<16xf32>)
// CHECK: %[[IDX:.*]] = tensor.extract %{{.*}} : tensor<4xi64>
// CHECK: arith.cmpi sge, %[[IDX]]
// CHECK: arith.cmpi slt, %[[IDX]]
// CHECK: scf.if
// CHECK: tensor.insert %{{.*}} into %[[ACC]][%{{.*}}] : tensor<16xf32>
// CHECK: tensor.expand_shape %[[R]] {{.*}} into tensor<1x1x4x4xf32>
func.func @maxunpool(%x: tensor<1x1x2x2xf32>, %i: tensor<1x1x2x2xi64>) -> tensor<1x1x4x4xf32> {
  %none = onnx.NoValue
  %0 = onnx.MaxUnpool %x, %i, %none {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>, none) -> tensor<1x1x4x4xf32>
  return %0 : tensor<1x1x4x4xf32>
}

// -----

// An output_shape larger than the unpooled shape keeps each element at its coordinates: the flat index
// is decoded in the 4x4 unpooled shape and re-flattened in 5x5.
// CHECK-LABEL: func.func @maxunpool_output_shape
// CHECK: scf.for
// CHECK: arith.remsi
// CHECK: arith.divsi
// CHECK: scf.if
// CHECK: tensor.insert %{{.*}} : tensor<25xf32>
func.func @maxunpool_output_shape(%x: tensor<1x1x2x2xf32>, %i: tensor<1x1x2x2xi64>, %s: tensor<4xi64>) -> tensor<1x1x5x5xf32> {
  %0 = onnx.MaxUnpool %x, %i, %s {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>, tensor<4xi64>) -> tensor<1x1x5x5xf32>
  return %0 : tensor<1x1x5x5xf32>
}

// -----

// RoiAlign: a run-time check that every batch index lies in [0, N) (status 7), then one generic
// over (roi, c, ph, pw); the bin's sampling grid (ceil(roi size / output size)
// when sampling_ratio is 0) is an scf.for nest in its body; max mode takes the max of the weighted
// corners, as ONNX Runtime.
// CHECK-LABEL: func.func @roialign_max
// CHECK: linalg.generic {{.*}}iterator_types = ["reduction"]{{.*}} ins(%{{.*}} : tensor<3xi64>)
// CHECK: arith.cmpi sle, %{{.*}}, %c0_i64
// CHECK: cf.assert %{{.*}}, "mcc.status=7: batch index"
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs(%{{.*}} : tensor<3x2x2x2xf32>)
// CHECK: tensor.extract %{{.*}} : tensor<3x4xf32>
// CHECK: math.ceil
// CHECK: tensor.extract %{{.*}} : tensor<3xi64>
// CHECK: scf.for
// CHECK: scf.for
// CHECK: tensor.extract %{{.*}} : tensor<1x2x8x8xf32>
// CHECK: arith.maximumf
// CHECK: arith.maximumf
// CHECK: arith.maximumf
// CHECK: arith.maximumf
// CHECK: scf.yield
func.func @roialign_max(%x: tensor<1x2x8x8xf32>, %r: tensor<3x4xf32>, %b: tensor<3xi64>) -> tensor<3x2x2x2xf32> {
  %0 = onnx.RoiAlign %x, %r, %b {output_height = 2 : i64, output_width = 2 : i64, mode = "max"} : (tensor<1x2x8x8xf32>, tensor<3x4xf32>, tensor<3xi64>) -> tensor<3x2x2x2xf32>
  return %0 : tensor<3x2x2x2xf32>
}

// -----

// GlobalMaxPool reduces the spatial dims and keeps them as 1.
// CHECK-DAG: #[[$NC:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1)>
// CHECK-LABEL: func.func @global_max_pool
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[$NC]]], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
// CHECK: arith.maximumf
// CHECK: tensor.expand_shape {{.*}} output_shape [1, 3, 1, 1]
func.func @global_max_pool(%x: tensor<1x3x4x4xf32>) -> tensor<1x3x1x1xf32> {
  %0 = onnx.GlobalMaxPool %x : (tensor<1x3x4x4xf32>) -> tensor<1x3x1x1xf32>
  return %0 : tensor<1x3x1x1xf32>
}

// -----

// GlobalLpPool p=2: sqrt of the sum of squares.
// CHECK-LABEL: func.func @global_lp_pool
// CHECK: arith.mulf
// CHECK: math.sqrt
func.func @global_lp_pool(%x: tensor<1x3x4x4xf32>) -> tensor<1x3x1x1xf32> {
  %0 = onnx.GlobalLpPool %x : (tensor<1x3x4x4xf32>) -> tensor<1x3x1x1xf32>
  return %0 : tensor<1x3x1x1xf32>
}

// -----

// LpPool p=3: |x|^3 summed over each window, then the cube root.
// CHECK-DAG: #[[$WIN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + d4, d3 * 2 + d5)>
// CHECK-LABEL: func.func @lp_pool
// CHECK: linalg.generic {indexing_maps = [#[[$WIN]], #{{.*}}, #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
// CHECK: math.absf
// CHECK: math.powf
// CHECK: arith.constant 0.333333343 : f32
// CHECK: math.powf
func.func @lp_pool(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32> {
  %0 = onnx.LpPool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, p = 3 : i64} : (tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32>
  return %0 : tensor<1x1x2x2xf32>
}
