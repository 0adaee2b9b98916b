//===- Normalization.cpp - verifiers and folders of the onnx normalisation ops -===//
#include "dialects/onnx/OnnxDialect.h"

using namespace mlir;
using namespace mcc::onnx;

LogicalResult BatchNormalizationOp::verify() {
  if (getTrainingMode() != 0 && getTrainingMode() != 1)
    return emitOpError("training_mode must be 0 or 1");
  auto x = tensorTypeOf(getX());
  if (x.getRank() < 2)
    return emitOpError("X must have rank >= 2");
  for (Value v : {getScale(), getB(), getInputMean(), getInputVar()})
    if (tensorTypeOf(v).getRank() != 1)
      return emitOpError("scale, B, mean and var must be 1-D");
  return success();
}
