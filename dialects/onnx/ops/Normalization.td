//===- Normalization.td - onnx normalisation and softmax families -----*- tablegen -*-===//
#ifndef MCC_ONNX_OPS_NORMALIZATION
#define MCC_ONNX_OPS_NORMALIZATION

include "dialects/onnx/OnnxBase.td"

def Onnx_BatchNormalizationOp : Onnx_Op<"BatchNormalization"> {
  let summary = "batch normalization in inference mode (running statistics)";
  let arguments = (ins AnyRankedTensor:$X, AnyRankedTensor:$scale, AnyRankedTensor:$B,
                   AnyRankedTensor:$input_mean, AnyRankedTensor:$input_var,
                   DefaultValuedAttr<F32Attr, "1e-5">:$epsilon,
                   DefaultValuedAttr<F32Attr, "0.9">:$momentum,
                   DefaultValuedAttr<I64Attr, "0">:$training_mode);
  let results = (outs AnyRankedTensor:$Y, TensorOrNone:$running_mean, TensorOrNone:$running_var);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}


def Onnx_SoftmaxOp : Onnx_Op<"Softmax"> {
  let summary = "softmax along one axis (opset 13 semantics)";
  let arguments = (ins AnyRankedTensor:$input, DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

#endif
