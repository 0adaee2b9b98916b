//===- Recurrent.td - onnx RNN, GRU, LSTM -----*- tablegen -*-===//
#ifndef MCC_ONNX_OPS_RECURRENT
#define MCC_ONNX_OPS_RECURRENT

include "dialects/onnx/OnnxBase.td"



#endif
