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

def Onnx_LogSoftmaxOp : Onnx_Op<"LogSoftmax"> {
  let summary = "log of softmax along one axis (opset 13 semantics), computed as x - max - log(sum(exp(x - max)))";
  let arguments = (ins AnyRankedTensor:$input, DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def Onnx_HardmaxOp : Onnx_Op<"Hardmax"> {
  let summary = "one-hot of the first maximum along one axis (opset 13 semantics)";
  let arguments = (ins AnyRankedTensor:$input, DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def Onnx_LayerNormalizationOp : Onnx_Op<"LayerNormalization"> {
  let summary = "normalisation over the dims from axis on, with optional Mean and InvStdDev outputs";
  let arguments = (ins AnyRankedTensor:$X, AnyRankedTensor:$Scale, TensorOrNone:$B,
                   DefaultValuedAttr<I64Attr, "-1">:$axis,
                   DefaultValuedAttr<F32Attr, "1e-5">:$epsilon,
                   DefaultValuedAttr<I64Attr, "1">:$stash_type);
  let results = (outs AnyRankedTensor:$Y, TensorOrNone:$Mean, TensorOrNone:$InvStdDev);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_InstanceNormalizationOp : Onnx_Op<"InstanceNormalization"> {
  let summary = "per (batch, channel) normalisation over the spatial dims, then scale and shift";
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$scale, AnyRankedTensor:$B,
                   DefaultValuedAttr<F32Attr, "1e-5">:$epsilon);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_LRNOp : Onnx_Op<"LRN"> {
  let summary = "local response normalisation across channels";
  let arguments = (ins AnyRankedTensor:$X,
                   DefaultValuedAttr<F32Attr, "0.0001">:$alpha,
                   DefaultValuedAttr<F32Attr, "0.75">:$beta,
                   DefaultValuedAttr<F32Attr, "1.0">:$bias,
                   I64Attr:$size);
  let results = (outs AnyRankedTensor:$Y);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_MeanVarianceNormalizationOp : Onnx_Op<"MeanVarianceNormalization"> {
  let summary = "(X - mean) / (std + 1e-9) over axes (default [0, 2, 3])";
  let arguments = (ins AnyRankedTensor:$X, OptionalAttr<DenseI64ArrayAttr>:$axes);
  let results = (outs AnyRankedTensor:$Y);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_LpNormalizationOp : Onnx_Op<"LpNormalization"> {
  let summary = "x divided by its L1 or L2 norm along axis";
  let arguments = (ins AnyRankedTensor:$input,
                   DefaultValuedAttr<I64Attr, "-1">:$axis,
                   DefaultValuedAttr<I64Attr, "2">:$p);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_NegativeLogLikelihoodLossOp : Onnx_Op<"NegativeLogLikelihoodLoss"> {
  let summary = "-input[n, target[n, d...], d...] weighted per class, reduced by none/sum/mean";
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$target, TensorOrNone:$weight,
                   OptionalAttr<I64Attr>:$ignore_index,
                   DefaultValuedAttr<StrAttr, "\"mean\"">:$reduction);
  let results = (outs AnyRankedTensor:$loss);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_SoftmaxCrossEntropyLossOp : Onnx_Op<"SoftmaxCrossEntropyLoss"> {
  let summary = "NegativeLogLikelihoodLoss of LogSoftmax(scores, axis 1), with the optional log_prob output";
  let arguments = (ins AnyRankedTensor:$scores, AnyRankedTensor:$labels, TensorOrNone:$weights,
                   OptionalAttr<I64Attr>:$ignore_index,
                   DefaultValuedAttr<StrAttr, "\"mean\"">:$reduction);
  let results = (outs AnyRankedTensor:$output, TensorOrNone:$log_prob);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

#endif
