//===- Elementwise.cpp - verifiers and folders of the onnx elementwise ops -===//
#include "dialects/onnx/OnnxDialect.h"

using namespace mlir;
using namespace mcc::onnx;

static LogicalResult verifyBroadcastable(Operation *op, Value a, Value b) {
  SmallVector<int64_t> shape;
  if (!broadcastShapes(tensorTypeOf(a).getShape(), tensorTypeOf(b).getShape(), shape))
    return op->emitOpError("operand shapes ")
           << tensorTypeOf(a) << " and " << tensorTypeOf(b) << " do not broadcast";
  if (tensorTypeOf(a).getElementType() != tensorTypeOf(b).getElementType())
    return op->emitOpError("operands have different element types");
  return success();
}

#define MCC_BINARY_VERIFIER(OP)                                                                    \
  LogicalResult OP::verify() { return verifyBroadcastable(*this, getA(), getB()); }
MCC_BINARY_VERIFIER(AddOp)
MCC_BINARY_VERIFIER(SubOp)
MCC_BINARY_VERIFIER(MulOp)
MCC_BINARY_VERIFIER(DivOp)
#undef MCC_BINARY_VERIFIER

OpFoldResult IdentityOp::fold(FoldAdaptor) {
  if (getX().getType() == getY().getType())
    return getX();
  return {};
}
