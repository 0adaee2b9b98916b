//===- Reduction.cpp - verifiers of the onnx reductions, scans, top-k -----===//
//
// What ONNX fixes about the attributes and the index operands; axis values against the data's rank
// and the result shapes are checked by the lowering (passes/lowering/Reduction.cpp).
//
//===----------------------------------------------------------------------===//
#include "dialects/onnx/OnnxDialect.h"

using namespace mlir;
using namespace mcc::onnx;

namespace {

/// A 1-D (or 0-d) tensor of integers: the axes, axis and K operands.
bool isIntegerVector(Value v) {
  auto t = tensorTypeOf(v);
  return t.getRank() <= 1 && isa<IntegerType>(t.getElementType());
}

template <typename ReduceOp> LogicalResult verifyReduce(ReduceOp op) {
  if (failed(verifyFlag(op, "keepdims", op.getKeepdims())) ||
      failed(verifyFlag(op, "noop_with_empty_axes", op.getNoopWithEmptyAxes())))
    return failure();
  if (!isNoValue(op.getAxes()) && !isIntegerVector(op.getAxes()))
    return op.emitOpError("axes must be a 1-D integer tensor, got ") << op.getAxes().getType();
  return success();
}

template <typename ArgOp> LogicalResult verifyArgReduce(ArgOp op) {
  if (failed(verifyFlag(op, "keepdims", op.getKeepdims())) ||
      failed(verifyFlag(op, "select_last_index", op.getSelectLastIndex())))
    return failure();
  return success();
}

} // namespace

LogicalResult ReduceSumOp::verify() { return verifyReduce(*this); }
LogicalResult ReduceMeanOp::verify() { return verifyReduce(*this); }
LogicalResult ReduceMaxOp::verify() { return verifyReduce(*this); }
LogicalResult ReduceMinOp::verify() { return verifyReduce(*this); }
LogicalResult ReduceProdOp::verify() { return verifyReduce(*this); }
LogicalResult ReduceL1Op::verify() { return verifyReduce(*this); }
LogicalResult ReduceL2Op::verify() { return verifyReduce(*this); }
LogicalResult ReduceLogSumOp::verify() { return verifyReduce(*this); }
LogicalResult ReduceLogSumExpOp::verify() { return verifyReduce(*this); }
LogicalResult ReduceSumSquareOp::verify() { return verifyReduce(*this); }

LogicalResult ArgMaxOp::verify() { return verifyArgReduce(*this); }
LogicalResult ArgMinOp::verify() { return verifyArgReduce(*this); }

LogicalResult CumSumOp::verify() {
  if (failed(verifyFlag(*this, "exclusive", getExclusive())) || failed(verifyFlag(*this, "reverse", getReverse())))
    return failure();
  auto axis = tensorTypeOf(getAxis());
  if (!isIntegerVector(getAxis()) || (axis.hasStaticShape() && axis.getNumElements() != 1))
    return emitOpError("axis must be an integer scalar (or 1-element tensor), got ") << axis;
  return success();
}

LogicalResult TopKOp::verify() {
  if (failed(verifyFlag(*this, "largest", getLargest())) || failed(verifyFlag(*this, "sorted", getSorted())))
    return failure();
  auto k = tensorTypeOf(getK());
  if (!isIntegerVector(getK()) || (k.hasStaticShape() && k.getNumElements() != 1))
    return emitOpError("K must be a 1-element integer tensor, got ") << k;
  if (!isa<IntegerType>(tensorTypeOf(getIndices()).getElementType()))
    return emitOpError("Indices must be an integer tensor, got ") << getIndices().getType();
  return success();
}
