//===- OnnxOps.td - the onnx dialect: every op family ------*- tablegen -*-===//
//
// One op per ONNX operator, with the semantics of the newest opset mcc knows; the importer maps older
// opsets onto these. Each family lives in ops/<Family>.td, its verifiers in ops/<Family>.cpp and its
// lowering in passes/lowering/<Family>.cpp.
//
//===----------------------------------------------------------------------===//
#ifndef MCC_ONNX_OPS
#define MCC_ONNX_OPS

include "dialects/onnx/OnnxBase.td"
include "dialects/onnx/ops/Elementwise.td"
include "dialects/onnx/ops/MatMul.td"
include "dialects/onnx/ops/Conv.td"
include "dialects/onnx/ops/Pooling.td"
include "dialects/onnx/ops/Normalization.td"
include "dialects/onnx/ops/Tensor.td"
include "dialects/onnx/ops/GatherScatter.td"
include "dialects/onnx/ops/Generators.td"
include "dialects/onnx/ops/Resize.td"
include "dialects/onnx/ops/DataDependent.td"
include "dialects/onnx/ops/Reduction.td"
include "dialects/onnx/ops/Quantization.td"
include "dialects/onnx/ops/Recurrent.td"
include "dialects/onnx/ops/ControlFlow.td"
include "dialects/onnx/ops/Signal.td"
include "dialects/onnx/ops/Text.td"
include "dialects/onnx/ops/Random.td"

#endif // MCC_ONNX_OPS
