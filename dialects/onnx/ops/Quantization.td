//===- Quantization.td - onnx quantize/dequantize and integer ops -----*- tablegen -*-===//
#ifndef MCC_ONNX_OPS_QUANTIZATION
#define MCC_ONNX_OPS_QUANTIZATION

include "dialects/onnx/OnnxBase.td"



#endif
