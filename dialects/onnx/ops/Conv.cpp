//===- Conv.cpp - verifiers and folders of the onnx convolutions -===//
#include "dialects/onnx/OnnxDialect.h"

using namespace mlir;
using namespace mcc::onnx;

LogicalResult ConvOp::verify() {
  auto x = tensorTypeOf(getX()), w = tensorTypeOf(getW());
  if (failed(verifyWindow(*this, x, w, getKernelShape(), getStrides(), getDilations(), getPads())))
    return failure();
  int64_t g = getGroup();
  if (g < 1)
    return emitOpError("group must be >= 1");
  int64_t c = x.getShape()[1], m = w.getShape()[0], cg = w.getShape()[1];
  if (!ShapedType::isDynamic(c) && !ShapedType::isDynamic(cg) && c != cg * g)
    return emitOpError("input channels ") << c << " != group " << g << " x W channels " << cg;
  if (!ShapedType::isDynamic(m) && m % g != 0)
    return emitOpError("output channels ") << m << " not divisible by group " << g;
  if (!isNoValue(getB())) {
    auto b = tensorTypeOf(getB());
    if (b.getRank() != 1)
      return emitOpError("B must be 1-D");
    if (!ShapedType::isDynamic(m) && !ShapedType::isDynamic(b.getDimSize(0)) && b.getDimSize(0) != m)
      return emitOpError("B must have ") << m << " elements (the output channels), got " << b.getDimSize(0);
  }
  return success();
}

LogicalResult ConvTransposeOp::verify() {
  auto x = tensorTypeOf(getX()), w = tensorTypeOf(getW());
  if (failed(verifyWindow(*this, x, w, getKernelShape(), getStrides(), getDilations(), getPads())))
    return failure();
  int64_t spatial = x.getRank() - 2;
  if (auto op = getOutputPadding(); op && (int64_t)op->size() != spatial)
    return emitOpError("output_padding must have ") << spatial << " entries";
  if (auto os = getOutputShape(); os && (int64_t)os->size() != spatial && (int64_t)os->size() != spatial + 2)
    return emitOpError("output_shape must have ") << spatial << " (or " << spatial + 2 << ") entries";
  int64_t g = getGroup();
  if (g < 1)
    return emitOpError("group must be >= 1");
  int64_t c = x.getShape()[1], wc = w.getShape()[0];
  if (!ShapedType::isDynamic(c) && !ShapedType::isDynamic(wc) && c != wc)
    return emitOpError("input channels ") << c << " != W's first dimension " << wc;
  if (!ShapedType::isDynamic(c) && c % g != 0)
    return emitOpError("input channels ") << c << " not divisible by group " << g;
  if (!isNoValue(getB()) && tensorTypeOf(getB()).getRank() != 1)
    return emitOpError("B must be 1-D");
  return success();
}
