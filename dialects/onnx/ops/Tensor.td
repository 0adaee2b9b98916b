//===- Tensor.td - onnx shape, indexing and data-movement ops -----*- tablegen -*-===//
#ifndef MCC_ONNX_OPS_TENSOR
#define MCC_ONNX_OPS_TENSOR

include "dialects/onnx/OnnxBase.td"

def Onnx_FlattenOp : Onnx_Op<"Flatten"> {
  let summary = "reshape to 2-D at axis";
  let arguments = (ins AnyRankedTensor:$input, DefaultValuedAttr<I64Attr, "1">:$axis);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_ReshapeOp : Onnx_Op<"Reshape"> {
  let summary = "reshape to the shape input (0 copies, -1 infers; allowzero)";
  let arguments = (ins AnyRankedTensor:$data, AnyRankedTensor:$shape,
                   DefaultValuedAttr<I64Attr, "0">:$allowzero);
  let results = (outs AnyRankedTensor:$reshaped);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_TransposeOp : Onnx_Op<"Transpose"> {
  let summary = "permute dimensions (default: reverse them)";
  let arguments = (ins AnyRankedTensor:$data, OptionalAttr<DenseI64ArrayAttr>:$perm);
  let results = (outs AnyRankedTensor:$transposed);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Onnx_ConcatOp : Onnx_Op<"Concat"> {
  let summary = "concatenate along axis";
  let arguments = (ins Variadic<AnyRankedTensor>:$inputs, I64Attr:$axis);
  let results = (outs AnyRankedTensor:$concat_result);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Onnx_UnsqueezeOp : Onnx_Op<"Unsqueeze"> {
  let summary = "insert size-1 dims at axes (an input since opset 13)";
  let arguments = (ins AnyRankedTensor:$data, AnyRankedTensor:$axes);
  let results = (outs AnyRankedTensor:$expanded);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_SqueezeOp : Onnx_Op<"Squeeze"> {
  let summary = "remove size-1 dims at axes (all of them when absent)";
  let arguments = (ins AnyRankedTensor:$data, TensorOrNone:$axes);
  let results = (outs AnyRankedTensor:$squeezed);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_ShapeOp : Onnx_Op<"Shape"> {
  let summary = "the dims [start, end) of the input's shape as a 1-D i64 tensor";
  let arguments = (ins AnyRankedTensor:$data, DefaultValuedAttr<I64Attr, "0">:$start,
                   OptionalAttr<I64Attr>:$end);
  let results = (outs AnyRankedTensor:$shape);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_SizeOp : Onnx_Op<"Size"> {
  let summary = "the number of elements as a 0-d i64 tensor";
  let arguments = (ins AnyRankedTensor:$data);
  let results = (outs AnyRankedTensor:$size);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_SliceOp : Onnx_Op<"Slice"> {
  let summary = "strided slice along axes (starts/ends clamped, negative steps reverse)";
  let arguments = (ins AnyRankedTensor:$data, AnyRankedTensor:$starts, AnyRankedTensor:$ends,
                   TensorOrNone:$axes, TensorOrNone:$steps);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_SplitOp : Onnx_Op<"Split"> {
  let summary = "split along axis into parts of the sizes in split (equal parts when absent)";
  let arguments = (ins AnyRankedTensor:$input, TensorOrNone:$split,
                   DefaultValuedAttr<I64Attr, "0">:$axis);
  let results = (outs Variadic<AnyRankedTensor>:$outputs);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_GatherOp : Onnx_Op<"Gather"> {
  let summary = "take slices of data along axis at indices (negative indices count from the end)";
  let arguments = (ins AnyRankedTensor:$data, AnyRankedTensor:$indices,
                   DefaultValuedAttr<I64Attr, "0">:$axis);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_GatherElementsOp : Onnx_Op<"GatherElements"> {
  let summary = "out[i] = data[i with i[axis] replaced by indices[i]]";
  let arguments = (ins AnyRankedTensor:$data, AnyRankedTensor:$indices,
                   DefaultValuedAttr<I64Attr, "0">:$axis);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_GatherNDOp : Onnx_Op<"GatherND"> {
  let summary = "gather slices of data addressed by the last dim of indices, after batch_dims";
  let arguments = (ins AnyRankedTensor:$data, AnyRankedTensor:$indices,
                   DefaultValuedAttr<I64Attr, "0">:$batch_dims);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_ScatterOp : Onnx_Op<"Scatter"> {
  let summary = "opset 9-10 ScatterElements (the importer builds onnx.ScatterElements)";
  let arguments = (ins AnyRankedTensor:$data, AnyRankedTensor:$indices, AnyRankedTensor:$updates,
                   DefaultValuedAttr<I64Attr, "0">:$axis);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_ScatterElementsOp : Onnx_Op<"ScatterElements"> {
  let summary = "copy of data with updates written (or reduced) at indices along axis";
  let arguments = (ins AnyRankedTensor:$data, AnyRankedTensor:$indices, AnyRankedTensor:$updates,
                   DefaultValuedAttr<I64Attr, "0">:$axis,
                   DefaultValuedAttr<StrAttr, "\"none\"">:$reduction);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_ScatterNDOp : Onnx_Op<"ScatterND"> {
  let summary = "copy of data with update slices written (or reduced) at the index tuples";
  let arguments = (ins AnyRankedTensor:$data, AnyRankedTensor:$indices, AnyRankedTensor:$updates,
                   DefaultValuedAttr<StrAttr, "\"none\"">:$reduction);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_PadOp : Onnx_Op<"Pad"> {
  let summary = "pad (negative pads crop) in constant, reflect or edge mode";
  let arguments = (ins AnyRankedTensor:$data, AnyRankedTensor:$pads, TensorOrNone:$constant_value,
                   DefaultValuedAttr<StrAttr, "\"constant\"">:$mode);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_TileOp : Onnx_Op<"Tile"> {
  let summary = "repeat the input repeats[i] times along each dim";
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$repeats);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_ExpandOp : Onnx_Op<"Expand"> {
  let summary = "broadcast the input to shape (numpy rules, both ways)";
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$shape);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_ConstantOfShapeOp : Onnx_Op<"ConstantOfShape"> {
  let summary = "a tensor of the input's shape filled with value (0.0f when absent)";
  let arguments = (ins AnyRankedTensor:$input, OptionalAttr<ElementsAttr>:$value);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_RangeOp : Onnx_Op<"Range"> {
  let summary = "start, start + delta, ... up to (excluding) limit";
  let arguments = (ins AnyRankedTensor:$start, AnyRankedTensor:$limit, AnyRankedTensor:$delta);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_OneHotOp : Onnx_Op<"OneHot"> {
  let summary = "values[1] where indices (mod depth) hit, values[0] elsewhere, new dim at axis";
  let arguments = (ins AnyRankedTensor:$indices, AnyRankedTensor:$depth, AnyRankedTensor:$values,
                   DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_TriluOp : Onnx_Op<"Trilu"> {
  let summary = "upper (or lower) triangle of the last two dims from diagonal k";
  let arguments = (ins AnyRankedTensor:$input, TensorOrNone:$k,
                   DefaultValuedAttr<I64Attr, "1">:$upper);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_DepthToSpaceOp : Onnx_Op<"DepthToSpace"> {
  let summary = "move channel blocks into spatial blocks (DCR or CRD order)";
  let arguments = (ins AnyRankedTensor:$input, I64Attr:$blocksize,
                   DefaultValuedAttr<StrAttr, "\"DCR\"">:$mode);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_SpaceToDepthOp : Onnx_Op<"SpaceToDepth"> {
  let summary = "move spatial blocks into channels";
  let arguments = (ins AnyRankedTensor:$input, I64Attr:$blocksize);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_EyeLikeOp : Onnx_Op<"EyeLike"> {
  let summary = "ones on diagonal k of a 2-D tensor shaped like the input, zeros elsewhere";
  let arguments = (ins AnyRankedTensor:$input, OptionalAttr<I64Attr>:$dtype,
                   DefaultValuedAttr<I64Attr, "0">:$k);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_ReverseSequenceOp : Onnx_Op<"ReverseSequence"> {
  let summary = "reverse the first sequence_lens[b] steps along time_axis of each batch entry";
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$sequence_lens,
                   DefaultValuedAttr<I64Attr, "1">:$batch_axis,
                   DefaultValuedAttr<I64Attr, "0">:$time_axis);
  let results = (outs AnyRankedTensor:$Y);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_CompressOp : Onnx_Op<"Compress"> {
  let summary = "keep the slices along axis (of the flattened input when absent) where condition holds";
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$condition, OptionalAttr<I64Attr>:$axis);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_ResizeOp : Onnx_Op<"Resize"> {
  let summary = "N-d resize by scales or to sizes: nearest, linear or cubic interpolation";
  let arguments = (ins AnyRankedTensor:$X, TensorOrNone:$roi, TensorOrNone:$scales, TensorOrNone:$sizes,
                   DefaultValuedAttr<StrAttr, "\"half_pixel\"">:$coordinate_transformation_mode,
                   DefaultValuedAttr<F32Attr, "-0.75">:$cubic_coeff_a,
                   DefaultValuedAttr<I64Attr, "0">:$exclude_outside,
                   DefaultValuedAttr<F32Attr, "0.0">:$extrapolation_value,
                   DefaultValuedAttr<StrAttr, "\"nearest\"">:$mode,
                   DefaultValuedAttr<StrAttr, "\"round_prefer_floor\"">:$nearest_mode);
  let results = (outs AnyRankedTensor:$Y);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_UpsampleOp : Onnx_Op<"Upsample"> {
  let summary = "deprecated Resize by scales (the importer builds onnx.Resize)";
  let arguments = (ins AnyRankedTensor:$X, TensorOrNone:$scales,
                   DefaultValuedAttr<StrAttr, "\"nearest\"">:$mode);
  let results = (outs AnyRankedTensor:$Y);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_GridSampleOp : Onnx_Op<"GridSample"> {
  let summary = "sample [N, C, H, W] at the normalized (x, y) points of a [N, Ho, Wo, 2] grid (opset 16)";
  let arguments = (ins AnyRankedTensor:$X, AnyRankedTensor:$grid,
                   DefaultValuedAttr<I64Attr, "0">:$align_corners,
                   DefaultValuedAttr<StrAttr, "\"bilinear\"">:$mode,
                   DefaultValuedAttr<StrAttr, "\"zeros\"">:$padding_mode);
  let results = (outs AnyRankedTensor:$Y);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

#endif

// Ops whose output shape depends on input values. The importer types each data-dependent dim `?`
// (with its upper bound on the graph output); the lowering computes into an upper-bound tensor and
// returns the leading slice that holds the result.

def Onnx_NonZeroOp : Onnx_Op<"NonZero"> {
  let summary = "coordinates [rank, count] of the non-zero elements, in row-major order";
  let arguments = (ins AnyRankedTensor:$X);
  let results = (outs AnyRankedTensor:$Y);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_UniqueOp : Onnx_Op<"Unique"> {
  let summary = "unique elements (or slices along axis), sorted or in order of first occurrence";
  let arguments = (ins AnyRankedTensor:$X, OptionalAttr<I64Attr>:$axis,
                   DefaultValuedAttr<I64Attr, "1">:$sorted);
  let results = (outs AnyRankedTensor:$Y, TensorOrNone:$indices, TensorOrNone:$inverse_indices,
                 TensorOrNone:$counts);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_NonMaxSuppressionOp : Onnx_Op<"NonMaxSuppression"> {
  let summary = "greedy per-class box selection by score, dropping boxes that overlap a kept one";
  let arguments = (ins AnyRankedTensor:$boxes, AnyRankedTensor:$scores,
                   TensorOrNone:$max_output_boxes_per_class, TensorOrNone:$iou_threshold,
                   TensorOrNone:$score_threshold, DefaultValuedAttr<I64Attr, "0">:$center_point_box);
  let results = (outs AnyRankedTensor:$selected_indices);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}
