//===- GatherScatter.td - onnx gathers and scatters at index tensors -----*- tablegen -*-===//
#ifndef MCC_ONNX_OPS_GATHERSCATTER
#define MCC_ONNX_OPS_GATHERSCATTER

include "dialects/onnx/OnnxBase.td"

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

#endif
