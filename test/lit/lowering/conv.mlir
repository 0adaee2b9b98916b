// RUN: %mcc-opt --mcc-lower-onnx-to-linalg %s -split-input-file | FileCheck %s

// Every Conv is one linalg.generic over (n, g, m, oh, ow, c, kh, kw) on grouped views; unpadded
// input is used as is.
// CHECK-DAG: #[[$X:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d5, d3 + d6, d4 + d7)>
// CHECK-DAG: #[[$W:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d1, d2, d5, d6, d7)>
// CHECK-DAG: #[[$Y:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3, d4)>
// CHECK-LABEL: func.func @conv_no_bias
// CHECK-SAME: (%[[X:.*]]: tensor<1x3x8x8xf32>, %[[W:.*]]: tensor<4x3x3x3xf32>)
// CHECK-NOT: tensor.pad
// CHECK-DAG: %[[XG:.*]] = tensor.expand_shape %[[X]] {{\[}}[0], [1, 2], [3], [4]] output_shape [1, 1, 3, 8, 8] : tensor<1x3x8x8xf32> into tensor<1x1x3x8x8xf32>
// CHECK-DAG: %[[WG:.*]] = tensor.expand_shape %[[W]] {{\[}}[0, 1], [2], [3], [4]] output_shape [1, 4, 3, 3, 3] : tensor<4x3x3x3xf32> into tensor<1x4x3x3x3xf32>
// CHECK: %[[INIT:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<1x1x4x6x6xf32>)
// CHECK: %[[YG:.*]] = linalg.generic {indexing_maps = [#[[$X]], #[[$W]], #[[$Y]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK-SAME: ins(%[[XG]], %[[WG]] : tensor<1x1x3x8x8xf32>, tensor<1x4x3x3x3xf32>) outs(%[[INIT]] : tensor<1x1x4x6x6xf32>)
// CHECK: ^bb0(%[[A:.*]]: f32, %[[B:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK: %[[P:.*]] = arith.mulf %[[A]], %[[B]]
// CHECK: %[[S:.*]] = arith.addf %[[ACC]], %[[P]]
// CHECK: linalg.yield %[[S]]
// CHECK: %[[Y:.*]] = tensor.collapse_shape %[[YG]] {{\[}}[0], [1, 2], [3], [4]] : tensor<1x1x4x6x6xf32> into tensor<1x4x6x6xf32>
// CHECK: return %[[Y]]
func.func @conv_no_bias(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  %none = onnx.NoValue
  %0 = onnx.Conv %x, %w, %none : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, none) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

// Explicit pads become a zero tensor.pad; strides scale the output index; the bias seeds the
// accumulator through a broadcasting generic.
// CHECK-DAG: #[[$BIAS:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d1, d2)>
// CHECK-DAG: #[[$ID5:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>
// CHECK-DAG: #[[$XS:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d5, d3 * 2 + d6, d4 * 2 + d7)>
// CHECK-LABEL: func.func @conv_pad_stride_bias
// CHECK-SAME: (%[[X:.*]]: tensor<1x3x8x8xf32>, %[[W:.*]]: tensor<4x3x3x3xf32>, %[[B:.*]]: tensor<4xf32>)
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[PAD:.*]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: tensor.yield %[[ZERO]] : f32
// CHECK: } : tensor<1x3x8x8xf32> to tensor<1x3x10x10xf32>
// CHECK: %[[XG:.*]] = tensor.expand_shape %[[PAD]] {{.*}} into tensor<1x1x3x10x10xf32>
// CHECK: %[[BG:.*]] = tensor.expand_shape %[[B]] {{\[}}[0, 1]] output_shape [1, 4] : tensor<4xf32> into tensor<1x4xf32>
// CHECK: %[[INIT:.*]] = linalg.generic {indexing_maps = [#[[$BIAS]], #[[$ID5]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]}
// CHECK-SAME: ins(%[[BG]] : tensor<1x4xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[$XS]], #{{.*}}, #{{.*}}]
// CHECK-SAME: ins(%[[XG]], %{{.*}} : tensor<1x1x3x10x10xf32>, tensor<1x4x3x3x3xf32>) outs(%[[INIT]] : tensor<1x1x4x4x4xf32>)
func.func @conv_pad_stride_bias(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x4x4xf32> {
  %0 = onnx.Conv %x, %w, %b {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x4x4xf32>
  return %0 : tensor<1x4x4x4xf32>
}

// -----

// Asymmetric explicit pads.
// CHECK-LABEL: func.func @conv_asymmetric_pads
// CHECK: tensor.pad %{{.*}} low[0, 0, 0, 1] high[0, 0, 2, 0]
// CHECK: } : tensor<1x1x5x5xf32> to tensor<1x1x7x6xf32>
func.func @conv_asymmetric_pads(%x: tensor<1x1x5x5xf32>, %w: tensor<1x1x3x3xf32>) -> tensor<1x1x5x4xf32> {
  %none = onnx.NoValue
  %0 = onnx.Conv %x, %w, %none {pads = array<i64: 0, 1, 2, 0>} : (tensor<1x1x5x5xf32>, tensor<1x1x3x3xf32>, none) -> tensor<1x1x5x4xf32>
  return %0 : tensor<1x1x5x4xf32>
}

// -----

// Depthwise (group = C) with auto_pad SAME_UPPER: g = 4, m/g = 1, c/g = 1.
// CHECK-LABEL: func.func @conv_depthwise_same
// CHECK: tensor.pad %{{.*}} low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: tensor.expand_shape {{.*}} into tensor<1x4x1x10x10xf32>
// CHECK: tensor.expand_shape {{.*}} into tensor<4x1x1x3x3xf32>
// CHECK: linalg.generic
// CHECK-SAME: outs(%{{.*}} : tensor<1x4x1x8x8xf32>)
// CHECK: tensor.collapse_shape {{.*}} into tensor<1x4x8x8xf32>
func.func @conv_depthwise_same(%x: tensor<1x4x8x8xf32>, %w: tensor<4x1x3x3xf32>) -> tensor<1x4x8x8xf32> {
  %none = onnx.NoValue
  %0 = onnx.Conv %x, %w, %none {group = 4 : i64, auto_pad = "SAME_UPPER"} : (tensor<1x4x8x8xf32>, tensor<4x1x3x3xf32>, none) -> tensor<1x4x8x8xf32>
  return %0 : tensor<1x4x8x8xf32>
}

// -----

// SAME_LOWER puts the odd padding first.
// CHECK-LABEL: func.func @conv_same_lower
// CHECK: tensor.pad %{{.*}} low[0, 0, 1, 1] high[0, 0, 0, 0]
func.func @conv_same_lower(%x: tensor<1x1x4x4xf32>, %w: tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32> {
  %none = onnx.NoValue
  %0 = onnx.Conv %x, %w, %none {auto_pad = "SAME_LOWER"} : (tensor<1x1x4x4xf32>, tensor<1x1x2x2xf32>, none) -> tensor<1x1x4x4xf32>
  return %0 : tensor<1x1x4x4xf32>
}

// -----

// Grouped: C = 4, group = 2, M = 6 -> views [N, 2, 2, H, W] and [2, 3, 2, kh, kw].
// CHECK-LABEL: func.func @conv_grouped
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0], [1, 2], [3], [4]] output_shape [1, 2, 2, 5, 5]
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0, 1], [2], [3], [4]] output_shape [2, 3, 2, 3, 3]
// CHECK: linalg.generic
// CHECK-SAME: outs(%{{.*}} : tensor<1x2x3x3x3xf32>)
func.func @conv_grouped(%x: tensor<1x4x5x5xf32>, %w: tensor<6x2x3x3xf32>) -> tensor<1x6x3x3xf32> {
  %none = onnx.NoValue
  %0 = onnx.Conv %x, %w, %none {group = 2 : i64} : (tensor<1x4x5x5xf32>, tensor<6x2x3x3xf32>, none) -> tensor<1x6x3x3xf32>
  return %0 : tensor<1x6x3x3xf32>
}

// -----

// 1-D with dilation: the kernel index is scaled.
// CHECK-DAG: #[[$X1:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d3 + d5 * 2)>
// CHECK-LABEL: func.func @conv_1d_dilated
// CHECK: linalg.generic {indexing_maps = [#[[$X1]], #{{.*}}, #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
func.func @conv_1d_dilated(%x: tensor<1x2x10xf32>, %w: tensor<3x2x3xf32>) -> tensor<1x3x6xf32> {
  %none = onnx.NoValue
  %0 = onnx.Conv %x, %w, %none {dilations = array<i64: 2>} : (tensor<1x2x10xf32>, tensor<3x2x3xf32>, none) -> tensor<1x3x6xf32>
  return %0 : tensor<1x3x6xf32>
}

// -----

// 3-D convolution: 3 output and 3 kernel loops.
// CHECK-LABEL: func.func @conv_3d
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "reduction"]
func.func @conv_3d(%x: tensor<1x2x4x4x4xf32>, %w: tensor<2x2x2x2x2xf32>) -> tensor<1x2x3x3x3xf32> {
  %none = onnx.NoValue
  %0 = onnx.Conv %x, %w, %none : (tensor<1x2x4x4x4xf32>, tensor<2x2x2x2x2xf32>, none) -> tensor<1x2x3x3x3xf32>
  return %0 : tensor<1x2x3x3x3xf32>
}

// -----

// ConvTranspose: X is spread with the strides into a zero tensor (9 = 7 + (3-1) rows, shifted by
// (K-1) - pad_begin = 1; 5 = 3 + 2 columns, shifted by 0), then a stride-1 convolution reads it with
// the kernel flipped; the bias seeds the accumulator.
// CHECK-DAG: #[[$ZT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d5, d3 + -d6 + 2, d4 + -d7 + 2)>
// CHECK-DAG: #[[$WT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d1, d5, d2, d6, d7)>
// CHECK-LABEL: func.func @convtranspose_strided_pads_bias
// CHECK: %[[Z0:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<1x1x1x9x5xf32>)
// CHECK: %[[Z:.*]] = tensor.insert_slice %{{.*}} into %[[Z0]][0, 0, 0, 1, 0] [1, 1, 1, 3, 3] [1, 1, 1, 3, 2]
// CHECK: linalg.generic {indexing_maps = [#[[$ZT]], #[[$WT]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK-SAME: ins(%[[Z]], %{{.*}} : tensor<1x1x1x9x5xf32>, tensor<1x1x2x3x3xf32>) outs(%{{.*}} : tensor<1x1x2x7x3xf32>)
// CHECK: tensor.collapse_shape {{.*}} into tensor<1x2x7x3xf32>
func.func @convtranspose_strided_pads_bias(%x: tensor<1x1x3x3xf32>, %w: tensor<1x2x3x3xf32>, %b: tensor<2xf32>) -> tensor<1x2x7x3xf32> {
  %0 = onnx.ConvTranspose %x, %w, %b {pads = array<i64: 1, 2, 1, 2>, strides = array<i64: 3, 2>} : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>, tensor<2xf32>) -> tensor<1x2x7x3xf32>
  return %0 : tensor<1x2x7x3xf32>
}

// -----

// Grouped ConvTranspose with output_shape: W [C, M/G, k] viewed as [G, C/G, M/G, k]; output_shape
// larger than the full result pads nothing (the extra row and column read zeros).
// CHECK-LABEL: func.func @convtranspose_group_output_shape
// CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[0, 0, 0, 2, 2] [1, 2, 2, 3, 3] [1, 1, 1, 1, 1] : tensor<1x2x2x3x3xf32> into tensor<1x2x2x8x8xf32>
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0, 1], [2], [3], [4]] output_shape [2, 2, 3, 3, 3] : tensor<4x3x3x3xf32> into tensor<2x2x3x3x3xf32>
// CHECK: linalg.generic
// CHECK-SAME: outs(%{{.*}} : tensor<1x2x3x6x6xf32>)
func.func @convtranspose_group_output_shape(%x: tensor<1x4x3x3xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x6x6x6xf32> {
  %none = onnx.NoValue
  %0 = onnx.ConvTranspose %x, %w, %none {group = 2 : i64, output_shape = array<i64: 6, 6>} : (tensor<1x4x3x3xf32>, tensor<4x3x3x3xf32>, none) -> tensor<1x6x6x6xf32>
  return %0 : tensor<1x6x6x6xf32>
}

// -----

// ConvInteger: both operands widened to i32 minus their zero points (x per tensor, w per output
// channel), then the integer convolution.
// CHECK-DAG: #[[$SCALAR:.*]] = affine_map<(d0, d1, d2, d3) -> ()>
// CHECK-DAG: #[[$PERCHAN:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, 0, 0, 0)>
// CHECK-LABEL: func.func @convinteger_zero_points
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[$SCALAR]], #{{.*}}]
// CHECK: arith.extui %{{.*}} : i8 to i32
// CHECK: arith.extui %{{.*}} : i8 to i32
// CHECK: arith.subi
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[$PERCHAN]], #{{.*}}]
// CHECK: arith.extsi %{{.*}} : i8 to i32
// CHECK: arith.subi
// CHECK: linalg.generic
// CHECK: arith.muli
// CHECK: arith.addi
// CHECK: tensor.collapse_shape {{.*}} into tensor<1x3x3x3xi32>
func.func @convinteger_zero_points(%x: tensor<1x2x4x4xui8>, %w: tensor<3x2x2x2xi8>, %xz: tensor<ui8>, %wz: tensor<3xi8>) -> tensor<1x3x3x3xi32> {
  %0 = onnx.ConvInteger %x, %w, %xz, %wz : (tensor<1x2x4x4xui8>, tensor<3x2x2x2xi8>, tensor<ui8>, tensor<3xi8>) -> tensor<1x3x3x3xi32>
  return %0 : tensor<1x3x3x3xi32>
}

// -----

// QLinearConv: i32 accumulation (bias included), then acc * (x_scale * w_scale / y_scale) rounded half
// to even, plus the output zero point, saturated to uint8.
// CHECK-LABEL: func.func @qlinearconv
// CHECK: arith.muli
// CHECK: arith.divf
// CHECK: linalg.generic
// CHECK: arith.sitofp %{{.*}} : i32 to f32
// CHECK: arith.mulf
// CHECK: math.roundeven
// CHECK: arith.uitofp %{{.*}} : i8 to f32
// CHECK: arith.addf
// CHECK: arith.maxnumf
// CHECK: arith.minnumf
// CHECK: arith.fptoui %{{.*}} : f32 to i8
func.func @qlinearconv(%x: tensor<1x1x3x3xui8>, %xs: tensor<f32>, %xz: tensor<ui8>, %w: tensor<2x1x1x1xui8>, %ws: tensor<2xf32>, %wz: tensor<2xui8>, %ys: tensor<f32>, %yz: tensor<ui8>, %b: tensor<2xi32>) -> tensor<1x2x3x3xui8> {
  %0 = onnx.QLinearConv %x, %xs, %xz, %w, %ws, %wz, %ys, %yz, %b : (tensor<1x1x3x3xui8>, tensor<f32>, tensor<ui8>, tensor<2x1x1x1xui8>, tensor<2xf32>, tensor<2xui8>, tensor<f32>, tensor<ui8>, tensor<2xi32>) -> tensor<1x2x3x3xui8>
  return %0 : tensor<1x2x3x3xui8>
}
