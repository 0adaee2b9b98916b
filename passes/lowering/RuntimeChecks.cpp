//===- RuntimeChecks.cpp - checks of input values in generated code -------===//
#include "passes/lowering/RuntimeChecks.h"
#include "passes/lowering/LoweringUtils.h"

#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"

using namespace mlir;

namespace mcc::lowering {

void emitRuntimeCheck(OpBuilder &b, Location loc, Value ok, RuntimeError code, const llvm::Twine &what) {
  cf::AssertOp::create(b, loc, ok, (kStatusAssertPrefix + llvm::Twine((int)code) + ": " + what).str());
}

namespace {

/// Whether `pred` holds for every element of the integer tensor `values` (widened to i64), as a
/// scalar i1: one pass whose loops are all reductions into that i1, cheap next to the op that reads
/// the values. `perLast`, when given, is a 1-D i64 tensor read at the position of the last dim and
/// passed to `pred` (GatherND's per-position bounds).
Value allElements(OpBuilder &b, Location loc, Value values, Value perLast, bool isUnsigned,
                  llvm::function_ref<Value(OpBuilder &, Location, Value, Value)> pred) {
  auto type = tensorType(values);
  int64_t rank = type.getRank();
  MLIRContext *ctx = b.getContext();
  Type i64 = b.getI64Type();
  auto okType = RankedTensorType::get({}, b.getI1Type());
  Value init = filledTensor(b, loc, okType, arith::ConstantIntOp::create(b, loc, 1, 1));
  SmallVector<Value> inputs{values};
  SmallVector<AffineMap> maps{AffineMap::getMultiDimIdentityMap(rank, ctx)};
  if (perLast) {
    inputs.push_back(perLast);
    maps.push_back(AffineMap::get(rank, 0, {getAffineDimExpr(rank - 1, ctx)}, ctx));
  }
  maps.push_back(AffineMap::get(rank, 0, {}, ctx));
  SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::reduction);
  unsigned width = type.getElementType().getIntOrFloatBitWidth();
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{okType}, inputs, ValueRange{init}, maps, iters, [&](OpBuilder &nb, Location l, ValueRange a) {
        Value v = a[0];
        if (width < 64)
          v = isUnsigned ? arith::ExtUIOp::create(nb, l, i64, v).getResult()
                         : arith::ExtSIOp::create(nb, l, i64, v).getResult();
        Value ok = pred(nb, l, v, perLast ? a[1] : Value());
        linalg::YieldOp::create(nb, l, arith::AndIOp::create(nb, l, a.back(), ok).getResult());
      });
  return tensor::ExtractOp::create(b, loc, generic.getResult(0), ValueRange{});
}

} // namespace

LogicalResult checkIndices(OpBuilder &b, Operation *op, Value original, Value indices, ArrayRef<int64_t> bounds,
                           bool isUnsigned) {
  auto type = tensorType(indices);
  int64_t rank = type.getRank();
  assert(!bounds.empty() && (bounds.size() == 1 || (rank > 0 && type.getDimSize(rank - 1) == (int64_t)bounds.size())));
  if (type.getNumElements() == 0)
    return success();
  if (auto values = constantInts(original, indices)) {
    for (auto [i, v] : llvm::enumerate(*values)) {
      int64_t bound = bounds[bounds.size() == 1 ? 0 : i % bounds.size()];
      bool ok = isUnsigned ? (uint64_t)v < (uint64_t)bound : v >= -bound && v < bound;
      if (!ok)
        return op->emitError("index ") << (isUnsigned ? std::to_string((uint64_t)v) : std::to_string(v))
                                       << " is out of range for an axis of size " << bound;
    }
    return success();
  }

  Value boundsTensor;
  if (bounds.size() > 1) {
    auto boundsType = RankedTensorType::get({(int64_t)bounds.size()}, b.getI64Type());
    boundsTensor = arith::ConstantOp::create(b, op->getLoc(), DenseIntElementsAttr::get(boundsType, bounds));
  }
  Value ok =
      allElements(b, op->getLoc(), indices, boundsTensor, isUnsigned,
                  [&](OpBuilder &nb, Location l, Value v, Value bound) -> Value {
                    if (!bound)
                      bound = arith::ConstantIntOp::create(nb, l, bounds[0], 64);
                    if (isUnsigned)
                      return arith::CmpIOp::create(nb, l, arith::CmpIPredicate::ult, v, bound);
                    Value lo = arith::SubIOp::create(nb, l, arith::ConstantIntOp::create(nb, l, 0, 64), bound);
                    return arith::AndIOp::create(nb, l, arith::CmpIOp::create(nb, l, arith::CmpIPredicate::sge, v, lo),
                                                 arith::CmpIOp::create(nb, l, arith::CmpIPredicate::slt, v, bound));
                  });
  emitRuntimeCheck(b, op->getLoc(), ok, RuntimeError::IndexOutOfRange, "index out of range");
  return success();
}

LogicalResult checkInRange(OpBuilder &b, Operation *op, Value original, Value values, int64_t lo, int64_t hi,
                           std::optional<int64_t> except, RuntimeError code, StringRef what) {
  auto type = tensorType(values);
  if (type.getNumElements() == 0)
    return success();
  if (auto constants = constantInts(original, values)) {
    for (int64_t v : *constants)
      if ((v < lo || v > hi) && v != except)
        return op->emitError() << what << " " << v << " is outside [" << lo << ", " << hi << "]";
    return success();
  }
  Value ok = allElements(
      b, op->getLoc(), values, Value(), /*isUnsigned=*/false, [&](OpBuilder &nb, Location l, Value v, Value) -> Value {
        auto cst = [&](int64_t c) { return arith::ConstantIntOp::create(nb, l, c, 64); };
        Value in = arith::AndIOp::create(nb, l, arith::CmpIOp::create(nb, l, arith::CmpIPredicate::sge, v, cst(lo)),
                                         arith::CmpIOp::create(nb, l, arith::CmpIPredicate::sle, v, cst(hi)));
        if (!except)
          return in;
        return arith::OrIOp::create(nb, l, in, arith::CmpIOp::create(nb, l, arith::CmpIPredicate::eq, v, cst(*except)));
      });
  emitRuntimeCheck(b, op->getLoc(), ok, code, what);
  return success();
}

} // namespace mcc::lowering
