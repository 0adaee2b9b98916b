//===- Tensor.cpp - verifiers and folders of the onnx tensor ops -===//
#include "dialects/onnx/OnnxDialect.h"

using namespace mlir;
using namespace mcc::onnx;

LogicalResult TransposeOp::verify() {
  auto perm = getPerm();
  int64_t rank = tensorTypeOf(getData()).getRank();
  if (!perm)
    return success();
  if ((int64_t)perm->size() != rank)
    return emitOpError("perm has ") << perm->size() << " entries for rank " << rank;
  SmallVector<bool> seen(rank, false);
  for (int64_t p : *perm) {
    if (p < 0 || p >= rank || seen[p])
      return emitOpError("perm is not a permutation");
    seen[p] = true;
  }
  return success();
}

LogicalResult ConcatOp::verify() {
  if (getInputs().empty())
    return emitOpError("needs at least one input");
  int64_t rank = tensorTypeOf(getInputs()[0]).getRank();
  int64_t axis = getAxis();
  if (axis < -rank || axis >= rank)
    return emitOpError("axis ") << axis << " out of range for rank " << rank;
  for (Value v : getInputs())
    if (tensorTypeOf(v).getRank() != rank)
      return emitOpError("inputs have different ranks");
  return success();
}
