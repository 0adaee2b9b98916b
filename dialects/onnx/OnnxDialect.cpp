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

bool mcc::onnx::broadcastShapes(ArrayRef<int64_t> a, ArrayRef<int64_t> b, SmallVectorImpl<int64_t> &result) {
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

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

#define GET_OP_CLASSES
#include "dialects/onnx/OnnxOps.cpp.inc"

LogicalResult mcc::onnx::verifyFlag(Operation *op, StringRef name, int64_t value) {
  if (value != 0 && value != 1)
    return op->emitOpError(name) << " must be 0 or 1, got " << value;
  return success();
}

LogicalResult mcc::onnx::verifyOneOf(Operation *op, StringRef name, StringRef value, ArrayRef<StringRef> allowed) {
  if (llvm::is_contained(allowed, value))
    return success();
  auto diag = op->emitOpError(name) << " must be one of ";
  llvm::interleaveComma(allowed, diag);
  return diag << ", got '" << value << "'";
}

LogicalResult mcc::onnx::verifyAutoPad(Operation *op, StringRef autoPad) {
  return verifyOneOf(op, "auto_pad", autoPad, {"NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"});
}

LogicalResult mcc::onnx::verifyWindow(Operation *op, RankedTensorType x, RankedTensorType w,
                                      std::optional<ArrayRef<int64_t>> kernelShape,
                                      std::optional<ArrayRef<int64_t>> strides,
                                      std::optional<ArrayRef<int64_t>> dilations,
                                      std::optional<ArrayRef<int64_t>> pads) {
  if (x.getRank() < 3 || w.getRank() != x.getRank())
    return op->emitOpError("X and W must have the same rank >= 3, got ") << x << " and " << w;
  int64_t spatial = x.getRank() - 2;
  auto checkLen = [&](std::optional<ArrayRef<int64_t>> arr, int64_t len, StringRef name) -> LogicalResult {
    if (arr && (int64_t)arr->size() != len)
      return op->emitOpError(name) << " must have " << len << " entries";
    return success();
  };
  return success(
      succeeded(checkLen(dilations, spatial, "dilations")) && succeeded(checkLen(strides, spatial, "strides")) &&
      succeeded(checkLen(kernelShape, spatial, "kernel_shape")) && succeeded(checkLen(pads, 2 * spatial, "pads")));
}
