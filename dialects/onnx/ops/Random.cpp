//===- Random.cpp - verifiers of the onnx random number generators ---------===//
#include "dialects/onnx/OnnxDialect.h"

using namespace mlir;
using namespace mcc::onnx;

/// The float element type an ONNX TensorProto.DataType names, for the dtype attributes.
static bool dtypeMatches(int64_t dtype, Type elt) {
  switch (dtype) {
  case 1:
    return elt.isF32();
  case 10:
    return elt.isF16();
  case 11:
    return elt.isF64();
  case 16:
    return elt.isBF16();
  case 2:
    return elt.isUnsignedInteger(8);
  case 3:
    return elt.isSignlessInteger(8);
  case 4:
    return elt.isUnsignedInteger(16);
  case 5:
    return elt.isSignlessInteger(16);
  case 6:
    return elt.isSignlessInteger(32);
  case 7:
    return elt.isSignlessInteger(64);
  case 9:
    return elt.isSignlessInteger(1);
  case 12:
    return elt.isUnsignedInteger(32);
  case 13:
    return elt.isUnsignedInteger(64);
  default:
    return false;
  }
}

static LogicalResult verifyFloatSampler(Operation *op, Type outElt, std::optional<int64_t> dtype) {
  if (!isa<FloatType>(outElt))
    return op->emitOpError("output must be a float tensor, not ") << outElt;
  if (dtype && !dtypeMatches(*dtype, outElt))
    return op->emitOpError("dtype ") << *dtype << " does not match the output element type " << outElt;
  return success();
}

/// The output has `shape`: the shape attribute's, or the input's for the Like forms and Bernoulli.
static LogicalResult verifyShape(Operation *op, ArrayRef<int64_t> shape, RankedTensorType out) {
  if (out.getShape() == shape)
    return success();
  bool fromInput = op->getNumOperands() > 0;
  return op->emitOpError("output shape does not match the ") << (fromInput ? "input's shape" : "shape attribute");
}

LogicalResult RandomUniformOp::verify() {
  auto out = tensorTypeOf(getOutput());
  if (failed(verifyFloatSampler(*this, out.getElementType(), getDtype())))
    return failure();
  return verifyShape(*this, getShape(), out);
}

LogicalResult RandomNormalOp::verify() {
  auto out = tensorTypeOf(getOutput());
  if (failed(verifyFloatSampler(*this, out.getElementType(), getDtype())))
    return failure();
  return verifyShape(*this, getShape(), out);
}

LogicalResult RandomUniformLikeOp::verify() {
  auto out = tensorTypeOf(getOutput());
  if (failed(verifyFloatSampler(*this, out.getElementType(), getDtype())))
    return failure();
  return verifyShape(*this, tensorTypeOf(getInput()).getShape(), out);
}

LogicalResult RandomNormalLikeOp::verify() {
  auto out = tensorTypeOf(getOutput());
  if (failed(verifyFloatSampler(*this, out.getElementType(), getDtype())))
    return failure();
  return verifyShape(*this, tensorTypeOf(getInput()).getShape(), out);
}

LogicalResult BernoulliOp::verify() {
  auto in = tensorTypeOf(getInput()), out = tensorTypeOf(getOutput());
  if (!isa<FloatType>(in.getElementType()))
    return emitOpError("input probabilities must be float, not ") << in.getElementType();
  Type outElt = out.getElementType();
  if (!isa<FloatType>(outElt) && !isa<IntegerType>(outElt))
    return emitOpError("output element type ") << outElt << " is not supported";
  if (getDtype() && !dtypeMatches(*getDtype(), outElt))
    return emitOpError("dtype ") << *getDtype() << " does not match the output element type " << outElt;
  return verifyShape(*this, in.getShape(), out);
}

LogicalResult MultinomialOp::verify() {
  auto in = tensorTypeOf(getInput()), out = tensorTypeOf(getOutput());
  if (!isa<FloatType>(in.getElementType()) || in.getRank() != 2)
    return emitOpError("input must be a [batch_size, class_size] float tensor");
  if (getDtype() != 6 && getDtype() != 7)
    return emitOpError("dtype ") << getDtype() << " is not int32 (6) or int64 (7)";
  if (!dtypeMatches(getDtype(), out.getElementType()))
    return emitOpError("dtype ") << getDtype() << " does not match the output element type " << out.getElementType();
  int64_t samples = (int64_t)getSampleSize();
  if (samples < 1)
    return emitOpError("sample_size must be >= 1");
  if (out.getRank() != 2 || out.getDimSize(0) != in.getDimSize(0) || out.getDimSize(1) != samples)
    return emitOpError("output must be [batch_size, sample_size]");
  return success();
}
