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

#endif
