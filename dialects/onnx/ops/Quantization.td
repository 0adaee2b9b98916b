//===- Quantization.td - onnx quantize/dequantize and integer ops -----*- tablegen -*-===//
#ifndef MCC_ONNX_OPS_QUANTIZATION
#define MCC_ONNX_OPS_QUANTIZATION

include "dialects/onnx/OnnxBase.td"

def Onnx_QuantizeLinearOp : Onnx_Op<"QuantizeLinear"> {
  let summary = "saturate(round_half_even(x / y_scale) + y_zero_point), per tensor or per axis";
  let arguments = (ins AnyRankedTensor:$x, AnyRankedTensor:$y_scale, TensorOrNone:$y_zero_point,
                   DefaultValuedAttr<I64Attr, "1">:$axis);
  let results = (outs AnyRankedTensor:$y);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_DequantizeLinearOp : Onnx_Op<"DequantizeLinear"> {
  let summary = "(x - x_zero_point) * x_scale, per tensor or per axis";
  let arguments = (ins AnyRankedTensor:$x, AnyRankedTensor:$x_scale, TensorOrNone:$x_zero_point,
                   DefaultValuedAttr<I64Attr, "1">:$axis);
  let results = (outs AnyRankedTensor:$y);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_DynamicQuantizeLinearOp : Onnx_Op<"DynamicQuantizeLinear"> {
  let summary = "uint8 quantization with the scale and zero point computed from the data's range";
  let arguments = (ins AnyRankedTensor:$x);
  let results = (outs AnyRankedTensor:$y, AnyRankedTensor:$y_scale, AnyRankedTensor:$y_zero_point);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

#endif
