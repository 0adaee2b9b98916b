//===- Conv.td - onnx convolutions -----*- tablegen -*-===//
#ifndef MCC_ONNX_OPS_CONV
#define MCC_ONNX_OPS_CONV

include "dialects/onnx/OnnxBase.td"

def Onnx_ConvOp : Onnx_Op<"Conv"> {
  let summary = "N-d grouped, strided, dilated convolution";
  let arguments = (ins AnyRankedTensor:$X, AnyRankedTensor:$W, TensorOrNone:$B,
                   DefaultValuedAttr<StrAttr, "\"NOTSET\"">:$auto_pad,
                   OptionalAttr<DenseI64ArrayAttr>:$dilations,
                   DefaultValuedAttr<I64Attr, "1">:$group,
                   OptionalAttr<DenseI64ArrayAttr>:$kernel_shape,
                   OptionalAttr<DenseI64ArrayAttr>:$pads,
                   OptionalAttr<DenseI64ArrayAttr>:$strides);
  let results = (outs AnyRankedTensor:$Y);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

#endif
