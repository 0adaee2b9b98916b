//===- ControlFlow.td - onnx If, Loop, Scan -----*- tablegen -*-===//
#ifndef MCC_ONNX_OPS_CONTROLFLOW
#define MCC_ONNX_OPS_CONTROLFLOW

include "dialects/onnx/OnnxBase.td"



#endif
