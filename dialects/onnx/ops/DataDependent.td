//===- DataDependent.td - onnx ops whose result shape depends on input values -----*- tablegen -*-===//
//
// Ops whose output shape depends on input values. The importer types each data-dependent dim `?`
// (with its upper bound on the graph output); the lowering computes into an upper-bound tensor and
// returns the leading slice that holds the result.
//
//===----------------------------------------------------------------------===//
#ifndef MCC_ONNX_OPS_DATADEPENDENT
#define MCC_ONNX_OPS_DATADEPENDENT

include "dialects/onnx/OnnxBase.td"

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

#endif
