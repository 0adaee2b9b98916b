//===- Reduction.td - onnx reductions, arg-reductions, scans and top-k -----*- tablegen -*-===//
#ifndef MCC_ONNX_OPS_REDUCTION
#define MCC_ONNX_OPS_REDUCTION

include "dialects/onnx/OnnxBase.td"

// The Reduce* ops in their opset-18 form: `axes` is an optional 1-D i64 input (the importer turns the
// older `axes` attribute into a constant input). Absent or empty axes reduce every dim, unless
// noop_with_empty_axes makes the op an identity.
class Onnx_ReduceOp<string mnemonic, string what> : Onnx_Op<mnemonic> {
  let summary = what # " over the dims named by axes (opset 18 form)";
  let arguments = (ins AnyRankedTensor:$data, TensorOrNone:$axes,
                   DefaultValuedAttr<I64Attr, "1">:$keepdims,
                   DefaultValuedAttr<I64Attr, "0">:$noop_with_empty_axes);
  let results = (outs AnyRankedTensor:$reduced);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}
def Onnx_ReduceSumOp : Onnx_ReduceOp<"ReduceSum", "sum">;
def Onnx_ReduceMeanOp : Onnx_ReduceOp<"ReduceMean", "mean">;
def Onnx_ReduceMaxOp : Onnx_ReduceOp<"ReduceMax", "maximum">;
def Onnx_ReduceMinOp : Onnx_ReduceOp<"ReduceMin", "minimum">;
def Onnx_ReduceProdOp : Onnx_ReduceOp<"ReduceProd", "product">;
def Onnx_ReduceL1Op : Onnx_ReduceOp<"ReduceL1", "sum of absolute values">;
def Onnx_ReduceL2Op : Onnx_ReduceOp<"ReduceL2", "euclidean norm">;
def Onnx_ReduceLogSumOp : Onnx_ReduceOp<"ReduceLogSum", "log of the sum">;
def Onnx_ReduceLogSumExpOp : Onnx_ReduceOp<"ReduceLogSumExp", "log of the sum of exponentials">;
def Onnx_ReduceSumSquareOp : Onnx_ReduceOp<"ReduceSumSquare", "sum of squares">;

class Onnx_ArgReduceOp<string mnemonic, string what> : Onnx_Op<mnemonic> {
  let summary = "int64 index of the " # what # " along axis (first, or last with select_last_index)";
  let arguments = (ins AnyRankedTensor:$data,
                   DefaultValuedAttr<I64Attr, "0">:$axis,
                   DefaultValuedAttr<I64Attr, "1">:$keepdims,
                   DefaultValuedAttr<I64Attr, "0">:$select_last_index);
  let results = (outs AnyRankedTensor:$reduced);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}
def Onnx_ArgMaxOp : Onnx_ArgReduceOp<"ArgMax", "maximum">;
def Onnx_ArgMinOp : Onnx_ArgReduceOp<"ArgMin", "minimum">;

def Onnx_CumSumOp : Onnx_Op<"CumSum"> {
  let summary = "cumulative sum along the axis given by a scalar input (exclusive, reverse)";
  let arguments = (ins AnyRankedTensor:$x, AnyRankedTensor:$axis,
                   DefaultValuedAttr<I64Attr, "0">:$exclusive,
                   DefaultValuedAttr<I64Attr, "0">:$reverse);
  let results = (outs AnyRankedTensor:$y);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Onnx_TopKOp : Onnx_Op<"TopK"> {
  let summary = "the K largest (or smallest) elements along axis and their int64 indices";
  let description = [{
    K comes from the static size of the outputs along axis; where that size is `?` (K a graph input),
    the whole axis is ranked and the leading K kept at run time. Ties go to the lower index; results
    are always sorted, which sorted=0 allows.
  }];
  let arguments = (ins AnyRankedTensor:$X, AnyRankedTensor:$K,
                   DefaultValuedAttr<I64Attr, "-1">:$axis,
                   DefaultValuedAttr<I64Attr, "1">:$largest,
                   DefaultValuedAttr<I64Attr, "1">:$sorted);
  let results = (outs AnyRankedTensor:$Values, AnyRankedTensor:$Indices);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

#endif
