//===- Elementwise.cpp - verifiers and folders of the onnx elementwise ops -===//
#include "dialects/onnx/OnnxDialect.h"

using namespace mlir;
using namespace mcc::onnx;

static LogicalResult verifyBroadcastable(Operation *op, Value a, Value b) {
  SmallVector<int64_t> shape;
  if (!broadcastShapes(tensorTypeOf(a).getShape(), tensorTypeOf(b).getShape(), shape))
    return op->emitOpError("operand shapes ") << tensorTypeOf(a) << " and " << tensorTypeOf(b) << " do not broadcast";
  if (tensorTypeOf(a).getElementType() != tensorTypeOf(b).getElementType())
    return op->emitOpError("operands have different element types");
  return success();
}

#define MCC_BINARY_VERIFIER(OP)                                                                                        \
  LogicalResult OP::verify() { return verifyBroadcastable(*this, getA(), getB()); }
MCC_BINARY_VERIFIER(AddOp)
MCC_BINARY_VERIFIER(SubOp)
MCC_BINARY_VERIFIER(MulOp)
MCC_BINARY_VERIFIER(DivOp)
MCC_BINARY_VERIFIER(AndOp)
MCC_BINARY_VERIFIER(OrOp)
MCC_BINARY_VERIFIER(XorOp)
MCC_BINARY_VERIFIER(EqualOp)
MCC_BINARY_VERIFIER(LessOp)
MCC_BINARY_VERIFIER(GreaterOp)
MCC_BINARY_VERIFIER(LessOrEqualOp)
MCC_BINARY_VERIFIER(GreaterOrEqualOp)
MCC_BINARY_VERIFIER(BitShiftOp)
MCC_BINARY_VERIFIER(ModOp)
#undef MCC_BINARY_VERIFIER

static LogicalResult verifyVariadic(Operation *op) {
  if (op->getNumOperands() == 0)
    return op->emitOpError("needs at least one input");
  Type elt = tensorTypeOf(op->getOperand(0)).getElementType();
  SmallVector<int64_t> shape(tensorTypeOf(op->getOperand(0)).getShape());
  for (Value v : op->getOperands().drop_front()) {
    if (tensorTypeOf(v).getElementType() != elt)
      return op->emitOpError("inputs have different element types");
    SmallVector<int64_t> next;
    if (!broadcastShapes(shape, tensorTypeOf(v).getShape(), next))
      return op->emitOpError("input shapes do not broadcast");
    shape = next;
  }
  return success();
}

#define MCC_VARIADIC_VERIFIER(OP)                                                                                      \
  LogicalResult OP::verify() { return verifyVariadic(*this); }
MCC_VARIADIC_VERIFIER(MaxOp)
MCC_VARIADIC_VERIFIER(MinOp)
MCC_VARIADIC_VERIFIER(SumOp)
MCC_VARIADIC_VERIFIER(MeanOp)
#undef MCC_VARIADIC_VERIFIER

OpFoldResult IdentityOp::fold(FoldAdaptor) {
  if (getX().getType() == getY().getType())
    return getX();
  return {};
}

LogicalResult BitwiseAndOp::verify() { return verifyBroadcastable(*this, getA(), getB()); }
LogicalResult BitwiseOrOp::verify() { return verifyBroadcastable(*this, getA(), getB()); }
LogicalResult BitwiseXorOp::verify() { return verifyBroadcastable(*this, getA(), getB()); }
