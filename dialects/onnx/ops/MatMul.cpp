//===- MatMul.cpp - verifiers and folders of the onnx matmul ops -===//
#include "dialects/onnx/OnnxDialect.h"

using namespace mlir;
using namespace mcc::onnx;

LogicalResult MatMulOp::verify() {
  auto a = tensorTypeOf(getA()), b = tensorTypeOf(getB());
  if (a.getRank() < 1 || b.getRank() < 1)
    return emitOpError("operands must have rank >= 1");
  int64_t k1 = a.getShape().back();
  int64_t k2 = b.getRank() == 1 ? b.getShape()[0] : b.getShape()[b.getRank() - 2];
  if (!ShapedType::isDynamic(k1) && !ShapedType::isDynamic(k2) && k1 != k2)
    return emitOpError("contraction dimensions differ: ") << k1 << " vs " << k2;
  return success();
}

LogicalResult GemmOp::verify() {
  auto a = tensorTypeOf(getA()), b = tensorTypeOf(getB());
  if (a.getRank() != 2 || b.getRank() != 2)
    return emitOpError("A and B must be 2-D");
  int64_t k1 = a.getShape()[getTransA() ? 0 : 1];
  int64_t k2 = b.getShape()[getTransB() ? 1 : 0];
  if (!ShapedType::isDynamic(k1) && !ShapedType::isDynamic(k2) && k1 != k2)
    return emitOpError("contraction dimensions differ: ") << k1 << " vs " << k2;
  if (!isNoValue(getC()) && tensorTypeOf(getC()).getRank() > 2)
    return emitOpError("C must have rank <= 2");
  return success();
}

LogicalResult DetOp::verify() {
  auto x = tensorTypeOf(getX());
  if (x.getRank() < 2)
    return emitOpError("X must have rank >= 2");
  int64_t m = x.getShape()[x.getRank() - 2], n = x.getShape().back();
  if (!ShapedType::isDynamic(m) && !ShapedType::isDynamic(n) && m != n)
    return emitOpError("matrices must be square, got ") << m << "x" << n;
  return success();
}
