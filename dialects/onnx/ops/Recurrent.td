//===- Recurrent.td - onnx RNN, GRU, LSTM -----*- tablegen -*-===//
#ifndef MCC_ONNX_OPS_RECURRENT
#define MCC_ONNX_OPS_RECURRENT

include "dialects/onnx/OnnxBase.td"

// Operands and results at their ONNX positions; layout 0 is [seq, batch, ...], layout 1 [batch, seq, ...].
def Onnx_RNNOp : Onnx_Op<"RNN"> {
  let summary = "Elman recurrent network, forward, reverse or bidirectional";
  let arguments = (ins AnyRankedTensor:$X, AnyRankedTensor:$W, AnyRankedTensor:$R, TensorOrNone:$B,
                   TensorOrNone:$sequence_lens, TensorOrNone:$initial_h,
                   OptionalAttr<DenseF32ArrayAttr>:$activation_alpha,
                   OptionalAttr<DenseF32ArrayAttr>:$activation_beta,
                   OptionalAttr<StrArrayAttr>:$activations,
                   OptionalAttr<F32Attr>:$clip,
                   DefaultValuedAttr<StrAttr, "\"forward\"">:$direction,
                   OptionalAttr<I64Attr>:$hidden_size,
                   DefaultValuedAttr<I64Attr, "0">:$layout);
  let results = (outs TensorOrNone:$Y, TensorOrNone:$Y_h);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Onnx_GRUOp : Onnx_Op<"GRU"> {
  let summary = "gated recurrent unit (gates z, r, h), forward, reverse or bidirectional";
  let arguments = (ins AnyRankedTensor:$X, AnyRankedTensor:$W, AnyRankedTensor:$R, TensorOrNone:$B,
                   TensorOrNone:$sequence_lens, TensorOrNone:$initial_h,
                   OptionalAttr<DenseF32ArrayAttr>:$activation_alpha,
                   OptionalAttr<DenseF32ArrayAttr>:$activation_beta,
                   OptionalAttr<StrArrayAttr>:$activations,
                   OptionalAttr<F32Attr>:$clip,
                   DefaultValuedAttr<StrAttr, "\"forward\"">:$direction,
                   OptionalAttr<I64Attr>:$hidden_size,
                   DefaultValuedAttr<I64Attr, "0">:$layout,
                   DefaultValuedAttr<I64Attr, "0">:$linear_before_reset);
  let results = (outs TensorOrNone:$Y, TensorOrNone:$Y_h);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Onnx_LSTMOp : Onnx_Op<"LSTM"> {
  let summary = "long short-term memory (gates i, o, f, c), optional peepholes";
  let arguments = (ins AnyRankedTensor:$X, AnyRankedTensor:$W, AnyRankedTensor:$R, TensorOrNone:$B,
                   TensorOrNone:$sequence_lens, TensorOrNone:$initial_h, TensorOrNone:$initial_c,
                   TensorOrNone:$P,
                   OptionalAttr<DenseF32ArrayAttr>:$activation_alpha,
                   OptionalAttr<DenseF32ArrayAttr>:$activation_beta,
                   OptionalAttr<StrArrayAttr>:$activations,
                   OptionalAttr<F32Attr>:$clip,
                   DefaultValuedAttr<StrAttr, "\"forward\"">:$direction,
                   OptionalAttr<I64Attr>:$hidden_size,
                   DefaultValuedAttr<I64Attr, "0">:$input_forget,
                   DefaultValuedAttr<I64Attr, "0">:$layout);
  let results = (outs TensorOrNone:$Y, TensorOrNone:$Y_h, TensorOrNone:$Y_c);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

#endif
