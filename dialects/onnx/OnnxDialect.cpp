//===- OnnxDialect.cpp - onnx dialect verifiers and folders --------------===//
//
// Verifiers check what ONNX's own checker would reject, so that a malformed model gets a
// diagnostic at import instead of a crash in a lowering.
//
//===----------------------------------------------------------------------===//
#include "dialects/onnx/OnnxDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace mcc::onnx;

#include "dialects/onnx/OnnxDialect.cpp.inc"

void OnnxDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/onnx/OnnxOps.cpp.inc"
      >();
}

bool mcc::onnx::broadcastShapes(ArrayRef<int64_t> a, ArrayRef<int64_t> b,
                                SmallVectorImpl<int64_t> &result) {
  size_t rank = std::max(a.size(), b.size());
  result.assign(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da == 1)
      result[i] = db;
    else if (db == 1 || da == db)
      result[i] = da;
    else if (ShapedType::isDynamic(da) || ShapedType::isDynamic(db))
      result[i] = ShapedType::kDynamic;
    else
      return false;
  }
  return true;
}

static RankedTensorType rankedType(Value v) { return cast<RankedTensorType>(v.getType()); }

static LogicalResult verifyBroadcastable(Operation *op, Value a, Value b) {
  SmallVector<int64_t> shape;
  if (!broadcastShapes(rankedType(a).getShape(), rankedType(b).getShape(), shape))
    return op->emitOpError("operand shapes ")
           << rankedType(a) << " and " << rankedType(b) << " do not broadcast";
  if (rankedType(a).getElementType() != rankedType(b).getElementType())
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

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

OpFoldResult IdentityOp::fold(FoldAdaptor) {
  if (getX().getType() == getY().getType())
    return getX();
  return {};
}

LogicalResult MatMulOp::verify() {
  auto a = rankedType(getA()), b = rankedType(getB());
  if (a.getRank() < 1 || b.getRank() < 1)
    return emitOpError("operands must have rank >= 1");
  int64_t k1 = a.getShape().back();
  int64_t k2 = b.getRank() == 1 ? b.getShape()[0] : b.getShape()[b.getRank() - 2];
  if (!ShapedType::isDynamic(k1) && !ShapedType::isDynamic(k2) && k1 != k2)
    return emitOpError("contraction dimensions differ: ") << k1 << " vs " << k2;
  return success();
}

LogicalResult GemmOp::verify() {
  auto a = rankedType(getA()), b = rankedType(getB());
  if (a.getRank() != 2 || b.getRank() != 2)
    return emitOpError("A and B must be 2-D");
  int64_t k1 = a.getShape()[getTransA() ? 0 : 1];
  int64_t k2 = b.getShape()[getTransB() ? 1 : 0];
  if (!ShapedType::isDynamic(k1) && !ShapedType::isDynamic(k2) && k1 != k2)
    return emitOpError("contraction dimensions differ: ") << k1 << " vs " << k2;
  if (!isNoValue(getC()) && rankedType(getC()).getRank() > 2)
    return emitOpError("C must have rank <= 2");
  return success();
}

LogicalResult ConvOp::verify() {
  auto x = rankedType(getX()), w = rankedType(getW());
  if (x.getRank() < 3 || w.getRank() != x.getRank())
    return emitOpError("X and W must have the same rank >= 3, got ") << x << " and " << w;
  int64_t spatial = x.getRank() - 2;
  auto checkLen = [&](std::optional<ArrayRef<int64_t>> arr, int64_t len,
                      StringRef name) -> LogicalResult {
    if (arr && (int64_t)arr->size() != len)
      return emitOpError(name) << " must have " << len << " entries";
    return success();
  };
  if (failed(checkLen(getDilations(), spatial, "dilations")) ||
      failed(checkLen(getStrides(), spatial, "strides")) ||
      failed(checkLen(getKernelShape(), spatial, "kernel_shape")) ||
      failed(checkLen(getPads(), 2 * spatial, "pads")))
    return failure();
  int64_t g = getGroup();
  if (g < 1)
    return emitOpError("group must be >= 1");
  int64_t c = x.getShape()[1], m = w.getShape()[0], cg = w.getShape()[1];
  if (!ShapedType::isDynamic(c) && !ShapedType::isDynamic(cg) && c != cg * g)
    return emitOpError("input channels ") << c << " != group " << g << " x W channels " << cg;
  if (!ShapedType::isDynamic(m) && m % g != 0)
    return emitOpError("output channels ") << m << " not divisible by group " << g;
  if (!isNoValue(getB()) && rankedType(getB()).getRank() != 1)
    return emitOpError("B must be 1-D");
  return success();
}

LogicalResult BatchNormalizationOp::verify() {
  if (getTrainingMode() != 0)
    return emitOpError("training_mode=1 is not supported (inference compiler)");
  auto x = rankedType(getX());
  if (x.getRank() < 2)
    return emitOpError("X must have rank >= 2");
  for (Value v : {getScale(), getB(), getInputMean(), getInputVar()})
    if (rankedType(v).getRank() != 1)
      return emitOpError("scale, B, mean and var must be 1-D");
  return success();
}

LogicalResult TransposeOp::verify() {
  auto perm = getPerm();
  int64_t rank = rankedType(getData()).getRank();
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
  int64_t rank = rankedType(getInputs()[0]).getRank();
  int64_t axis = getAxis();
  if (axis < -rank || axis >= rank)
    return emitOpError("axis ") << axis << " out of range for rank " << rank;
  for (Value v : getInputs())
    if (rankedType(v).getRank() != rank)
      return emitOpError("inputs have different ranks");
  return success();
}

#define GET_OP_CLASSES
#include "dialects/onnx/OnnxOps.cpp.inc"
