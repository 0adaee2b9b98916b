//===- Reduction.td - onnx reductions, arg-reductions, scans and top-k -----*- tablegen -*-===//
#ifndef MCC_ONNX_OPS_REDUCTION
#define MCC_ONNX_OPS_REDUCTION

include "dialects/onnx/OnnxBase.td"



#endif
