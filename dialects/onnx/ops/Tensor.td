//===- Tensor.td - onnx shape and data-movement ops -----*- tablegen -*-===//
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

#endif
