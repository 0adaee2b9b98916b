//===- RuntimeChecks.cpp - checks of input values in generated code -------===//
#include "passes/lowering/RuntimeChecks.h"
#include "passes/lowering/LoweringUtils.h"

#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"

using namespace mlir;

namespace mcc::lowering {

void emitRuntimeCheck(OpBuilder &b, Location loc, Value ok, RuntimeError code, const llvm::Twine &what) {
  cf::AssertOp::create(b, loc, ok, (kStatusAssertPrefix + llvm::Twine((int)code) + ": " + what).str());
}

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

  // One pass over the indices, all loops reductions into a single i1: cheap next to the gather or
  // scatter that reads them.
  Location loc = op->getLoc();
  MLIRContext *ctx = b.getContext();
  Type i1 = b.getI1Type(), i64 = b.getI64Type();
  auto okType = RankedTensorType::get({}, i1);
  Value init = filledTensor(b, loc, okType, arith::ConstantIntOp::create(b, loc, 1, 1));
  SmallVector<Value> inputs{indices};
  SmallVector<AffineMap> maps{AffineMap::getMultiDimIdentityMap(rank, ctx)};
  if (bounds.size() > 1) {
    auto boundsType = RankedTensorType::get({(int64_t)bounds.size()}, i64);
    inputs.push_back(arith::ConstantOp::create(b, loc, DenseIntElementsAttr::get(boundsType, bounds)));
    maps.push_back(AffineMap::get(rank, 0, {getAffineDimExpr(rank - 1, ctx)}, ctx));
  }
  maps.push_back(AffineMap::get(rank, 0, {}, ctx));
  SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::reduction);
  Type elt = type.getElementType();
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{okType}, inputs, ValueRange{init}, maps, iters, [&](OpBuilder &nb, Location l, ValueRange a) {
        Value v = a[0];
        unsigned width = elt.getIntOrFloatBitWidth();
        if (width < 64)
          v = isUnsigned ? arith::ExtUIOp::create(nb, l, i64, v).getResult()
                         : arith::ExtSIOp::create(nb, l, i64, v).getResult();
        Value bound = bounds.size() > 1 ? a[1] : arith::ConstantIntOp::create(nb, l, bounds[0], 64).getResult();
        Value ok;
        if (isUnsigned) {
          ok = arith::CmpIOp::create(nb, l, arith::CmpIPredicate::ult, v, bound);
        } else {
          Value lo = arith::SubIOp::create(nb, l, arith::ConstantIntOp::create(nb, l, 0, 64), bound);
          ok = arith::AndIOp::create(nb, l, arith::CmpIOp::create(nb, l, arith::CmpIPredicate::sge, v, lo),
                                     arith::CmpIOp::create(nb, l, arith::CmpIPredicate::slt, v, bound));
        }
        linalg::YieldOp::create(nb, l, arith::AndIOp::create(nb, l, a.back(), ok).getResult());
      });
  Value ok = tensor::ExtractOp::create(b, loc, generic.getResult(0), ValueRange{});
  emitRuntimeCheck(b, loc, ok, RuntimeError::IndexOutOfRange, "index out of range");
  return success();
}

} // namespace mcc::lowering
