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

def Onnx_ConvTransposeOp : Onnx_Op<"ConvTranspose"> {
  let summary = "N-d grouped, strided, dilated transposed convolution";
  let arguments = (ins AnyRankedTensor:$X, AnyRankedTensor:$W, TensorOrNone:$B,
                   DefaultValuedAttr<StrAttr, "\"NOTSET\"">:$auto_pad,
                   OptionalAttr<DenseI64ArrayAttr>:$dilations,
                   DefaultValuedAttr<I64Attr, "1">:$group,
                   OptionalAttr<DenseI64ArrayAttr>:$kernel_shape,
                   OptionalAttr<DenseI64ArrayAttr>:$output_padding,
                   OptionalAttr<DenseI64ArrayAttr>:$output_shape,
                   OptionalAttr<DenseI64ArrayAttr>:$pads,
                   OptionalAttr<DenseI64ArrayAttr>:$strides);
  let results = (outs AnyRankedTensor:$Y);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Onnx_ConvIntegerOp : Onnx_Op<"ConvInteger"> {
  let summary = "8-bit convolution with zero points, accumulated in int32";
  let arguments = (ins AnyRankedTensor:$x, AnyRankedTensor:$w, TensorOrNone:$x_zero_point,
                   TensorOrNone:$w_zero_point,
                   DefaultValuedAttr<StrAttr, "\"NOTSET\"">:$auto_pad,
                   OptionalAttr<DenseI64ArrayAttr>:$dilations,
                   DefaultValuedAttr<I64Attr, "1">:$group,
                   OptionalAttr<DenseI64ArrayAttr>:$kernel_shape,
                   OptionalAttr<DenseI64ArrayAttr>:$pads,
                   OptionalAttr<DenseI64ArrayAttr>:$strides);
  let results = (outs AnyRankedTensor:$y);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_QLinearConvOp : Onnx_Op<"QLinearConv"> {
  let summary = "quantized convolution: int32 accumulation, requantized to the output scale";
  let arguments = (ins AnyRankedTensor:$x, AnyRankedTensor:$x_scale, AnyRankedTensor:$x_zero_point,
                   AnyRankedTensor:$w, AnyRankedTensor:$w_scale, AnyRankedTensor:$w_zero_point,
                   AnyRankedTensor:$y_scale, AnyRankedTensor:$y_zero_point, TensorOrNone:$B,
                   DefaultValuedAttr<StrAttr, "\"NOTSET\"">:$auto_pad,
                   OptionalAttr<DenseI64ArrayAttr>:$dilations,
                   DefaultValuedAttr<I64Attr, "1">:$group,
                   OptionalAttr<DenseI64ArrayAttr>:$kernel_shape,
                   OptionalAttr<DenseI64ArrayAttr>:$pads,
                   OptionalAttr<DenseI64ArrayAttr>:$strides);
  let results = (outs AnyRankedTensor:$y);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

#endif
