//===- Pooling.td - onnx pooling -----*- tablegen -*-===//
#ifndef MCC_ONNX_OPS_POOLING
#define MCC_ONNX_OPS_POOLING

include "dialects/onnx/OnnxBase.td"

def Onnx_MaxPoolOp : Onnx_Op<"MaxPool"> {
  let summary = "N-d max pooling, with the optional flat argmax Indices output";
  let arguments = (ins AnyRankedTensor:$X,
                   DefaultValuedAttr<StrAttr, "\"NOTSET\"">:$auto_pad,
                   DefaultValuedAttr<I64Attr, "0">:$ceil_mode,
                   OptionalAttr<DenseI64ArrayAttr>:$dilations,
                   DenseI64ArrayAttr:$kernel_shape,
                   OptionalAttr<DenseI64ArrayAttr>:$pads,
                   DefaultValuedAttr<I64Attr, "0">:$storage_order,
                   OptionalAttr<DenseI64ArrayAttr>:$strides);
  let results = (outs AnyRankedTensor:$Y, TensorOrNone:$Indices);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_AveragePoolOp : Onnx_Op<"AveragePool"> {
  let summary = "N-d average pooling";
  let arguments = (ins AnyRankedTensor:$X,
                   DefaultValuedAttr<StrAttr, "\"NOTSET\"">:$auto_pad,
                   DefaultValuedAttr<I64Attr, "0">:$ceil_mode,
                   DefaultValuedAttr<I64Attr, "0">:$count_include_pad,
                   OptionalAttr<DenseI64ArrayAttr>:$dilations,
                   DenseI64ArrayAttr:$kernel_shape,
                   OptionalAttr<DenseI64ArrayAttr>:$pads,
                   OptionalAttr<DenseI64ArrayAttr>:$strides);
  let results = (outs AnyRankedTensor:$Y);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_GlobalAveragePoolOp : Onnx_Op<"GlobalAveragePool"> {
  let summary = "mean over all spatial dimensions";
  let arguments = (ins AnyRankedTensor:$X);
  let results = (outs AnyRankedTensor:$Y);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

#endif
