//===- Generators.td - onnx ops that build tensors from shapes and ranges -----*- tablegen -*-===//
#ifndef MCC_ONNX_OPS_GENERATORS
#define MCC_ONNX_OPS_GENERATORS

include "dialects/onnx/OnnxBase.td"

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

def Onnx_EyeLikeOp : Onnx_Op<"EyeLike"> {
  let summary = "ones on diagonal k of a 2-D tensor shaped like the input, zeros elsewhere";
  let arguments = (ins AnyRankedTensor:$input, OptionalAttr<I64Attr>:$dtype,
                   DefaultValuedAttr<I64Attr, "0">:$k);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

#endif
