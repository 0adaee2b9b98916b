//===- GatherScatter.cpp - onnx gathers and scatters -> linalg/scf --------===//
//
// Gather-style ops are a linalg.generic over the result with linalg.index and tensor.extract;
// scatter-style ops are an scf.for over the updates with tensor.insert. Index values are checked at run
// time (RuntimeChecks.h), then normalised (negative values count from the end).
//
//===----------------------------------------------------------------------===//
#include "passes/lowering/LoweringUtils.h"
#include "passes/lowering/RuntimeChecks.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
namespace onnxd = mcc::onnx;

namespace mcc::lowering {
namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// An element index into a dim of size `dim`: negative values count from the end. An index outside
/// [-dim, dim) has already failed its run-time check (checkIndices) before this runs; the clamp into
/// [0, dim) keeps even that case inside the tensor.
Value normalizeIndex(OpBuilder &b, Location loc, Value idx, int64_t dim) {
  Value zero = indexConst(b, loc, 0);
  Value neg = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, idx, zero);
  Value wrapped = arith::AddIOp::create(b, loc, idx, indexConst(b, loc, dim));
  idx = arith::SelectOp::create(b, loc, neg, wrapped, idx);
  idx = arith::MaxSIOp::create(b, loc, idx, zero);
  return arith::MinSIOp::create(b, loc, idx, indexConst(b, loc, std::max<int64_t>(dim - 1, 0)));
}

/// The coordinates of flat (row-major) position `flat` in `shape`.
SmallVector<Value> delinearize(OpBuilder &b, Location loc, Value flat, ArrayRef<int64_t> shape) {
  SmallVector<Value> coords(shape.size());
  for (int64_t d = (int64_t)shape.size() - 1; d >= 0; --d) {
    Value size = indexConst(b, loc, shape[d]);
    coords[d] = d == 0 ? flat : arith::RemUIOp::create(b, loc, flat, size).getResult();
    if (d > 0)
      flat = arith::DivUIOp::create(b, loc, flat, size);
  }
  return coords;
}

bool isScatterReduction(StringRef r) { return llvm::is_contained({"none", "add", "mul", "max", "min"}, r); }

/// Combines an existing element with an update for a scatter reduction (see isScatterReduction).
Value combineScatter(OpBuilder &b, Location loc, StringRef reduction, Value old, Value update, bool isUnsigned) {
  bool isFloat = isa<FloatType>(update.getType());
  if (reduction == "none")
    return update;
  if (reduction == "add")
    return isFloat ? arith::AddFOp::create(b, loc, old, update).getResult()
                   : arith::AddIOp::create(b, loc, old, update).getResult();
  if (reduction == "mul")
    return isFloat ? arith::MulFOp::create(b, loc, old, update).getResult()
                   : arith::MulIOp::create(b, loc, old, update).getResult();
  if (reduction == "max")
    return isFloat      ? arith::MaximumFOp::create(b, loc, old, update).getResult()
           : isUnsigned ? arith::MaxUIOp::create(b, loc, old, update).getResult()
                        : arith::MaxSIOp::create(b, loc, old, update).getResult();
  return isFloat      ? arith::MinimumFOp::create(b, loc, old, update).getResult()
         : isUnsigned ? arith::MinUIOp::create(b, loc, old, update).getResult()
                      : arith::MinSIOp::create(b, loc, old, update).getResult();
}

/// An scf.for over every element of `updates` (flat, row-major) carrying `init`; `step` returns the
/// new carried tensor from the carried one and the update coordinates.
Value scatterLoop(OpBuilder &b, Location loc, Value init, RankedTensorType updatesType,
                  llvm::function_ref<Value(OpBuilder &, Location, Value acc, ArrayRef<Value> coords)> step) {
  int64_t n = updatesType.getNumElements();
  if (n == 0)
    return init;
  auto loop = scf::ForOp::create(b, loc, indexConst(b, loc, 0), indexConst(b, loc, n), indexConst(b, loc, 1),
                                 ValueRange{init}, [&](OpBuilder &lb, Location lloc, Value iv, ValueRange iterArgs) {
                                   SmallVector<Value> coords = delinearize(lb, lloc, iv, updatesType.getShape());
                                   Value next = step(lb, lloc, iterArgs[0], coords);
                                   scf::YieldOp::create(lb, lloc, next);
                                 });
  return loop.getResult(0);
}

//===----------------------------------------------------------------------===//
// Gathers
//===----------------------------------------------------------------------===//

struct GatherLowering : OpConversionPattern<onnxd::GatherOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::GatherOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Value data = adaptor.getData(), indices = adaptor.getIndices();
    auto dataType = tensorType(data), indType = tensorType(indices);
    auto resultType = loweredType(op.getType());
    int64_t r = dataType.getRank(), q = indType.getRank();
    FailureOr<int64_t> resolved = resolveAxis(op, op.getAxis(), r);
    if (failed(resolved))
      return failure();
    int64_t axis = *resolved;
    SmallVector<int64_t> expected(dataType.getShape().take_front(axis));
    llvm::append_range(expected, indType.getShape());
    llvm::append_range(expected, dataType.getShape().drop_front(axis + 1));
    if (resultType.getShape() != ArrayRef(expected))
      return op.emitError("result type ") << resultType << " does not match the gathered shape";
    if (!isa<IntegerType>(indType.getElementType()))
      return op.emitError("indices must be integers");
    bool uns = isUnsignedElement(op.getIndices().getType());
    MLIRContext *ctx = rewriter.getContext();
    SmallVector<AffineExpr> exprs;
    for (int64_t i = 0; i < q; ++i)
      exprs.push_back(getAffineDimExpr(axis + i, ctx));
    AffineMap indMap = AffineMap::get(resultType.getRank(), 0, exprs, ctx);
    int64_t dim = dataType.getDimSize(axis);
    if (failed(checkIndices(rewriter, op, op.getIndices(), indices, {dim}, uns)))
      return failure();
    Value result = indexedGeneric(rewriter, op.getLoc(), resultType, {indices}, {indMap},
                                  [&](OpBuilder &b, Location l, ArrayRef<Value> ivs, ValueRange args) {
                                    Value idx = normalizeIndex(b, l, toIndex(b, l, args[0], uns), dim);
                                    SmallVector<Value> coords(ivs.take_front(axis));
                                    coords.push_back(idx);
                                    llvm::append_range(coords, ivs.drop_front(axis + q));
                                    return tensor::ExtractOp::create(b, l, data, coords);
                                  });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct GatherElementsLowering : OpConversionPattern<onnxd::GatherElementsOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::GatherElementsOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Value data = adaptor.getData(), indices = adaptor.getIndices();
    auto dataType = tensorType(data), indType = tensorType(indices);
    auto resultType = loweredType(op.getType());
    int64_t r = dataType.getRank();
    FailureOr<int64_t> resolved = resolveAxis(op, op.getAxis(), r);
    if (failed(resolved))
      return failure();
    if (indType.getRank() != r || resultType.getShape() != indType.getShape())
      return op.emitError("indices must have the data's rank and the result's shape");
    if (!isa<IntegerType>(indType.getElementType()))
      return op.emitError("indices must be integers");
    int64_t axis = *resolved;
    bool uns = isUnsignedElement(op.getIndices().getType());
    int64_t dim = dataType.getDimSize(axis);
    if (failed(checkIndices(rewriter, op, op.getIndices(), indices, {dim}, uns)))
      return failure();
    Value result = indexedGeneric(rewriter, op.getLoc(), resultType, {indices}, {rewriter.getMultiDimIdentityMap(r)},
                                  [&](OpBuilder &b, Location l, ArrayRef<Value> ivs, ValueRange args) {
                                    SmallVector<Value> coords(ivs);
                                    coords[axis] = normalizeIndex(b, l, toIndex(b, l, args[0], uns), dim);
                                    return tensor::ExtractOp::create(b, l, data, coords);
                                  });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct GatherNDLowering : OpConversionPattern<onnxd::GatherNDOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::GatherNDOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Value data = adaptor.getData(), indices = adaptor.getIndices();
    auto dataType = tensorType(data), indType = tensorType(indices);
    auto resultType = loweredType(op.getType());
    int64_t r = dataType.getRank(), q = indType.getRank(), bd = (int64_t)op.getBatchDims();
    if (q < 1 || bd < 0 || bd >= std::min(r, q))
      return op.emitError("batch_dims ") << bd << " must be below the ranks of data and indices";
    int64_t k = indType.getDimSize(q - 1);
    if (k < 1 || bd + k > r)
      return op.emitError("index tuples of length ") << k << " do not fit data of rank " << r;
    for (int64_t i = 0; i < bd; ++i)
      if (dataType.getDimSize(i) != indType.getDimSize(i))
        return op.emitError("batch dims of data and indices differ");
    SmallVector<int64_t> expected(indType.getShape().drop_back());
    llvm::append_range(expected, dataType.getShape().drop_front(bd + k));
    if (resultType.getShape() != ArrayRef(expected))
      return op.emitError("result type ") << resultType << " does not match the gathered shape";
    if (!isa<IntegerType>(indType.getElementType()))
      return op.emitError("indices must be integers");
    bool uns = isUnsignedElement(op.getIndices().getType());
    if (failed(checkIndices(rewriter, op, op.getIndices(), indices, dataType.getShape().slice(bd, k), uns)))
      return failure();
    Value result = indexedGeneric(rewriter, op.getLoc(), resultType, {}, {},
                                  [&](OpBuilder &b, Location l, ArrayRef<Value> ivs, ValueRange) {
                                    SmallVector<Value> coords(ivs.take_front(bd));
                                    SmallVector<Value> tuple(ivs.take_front(q - 1));
                                    tuple.push_back(Value());
                                    for (int64_t j = 0; j < k; ++j) {
                                      tuple.back() = indexConst(b, l, j);
                                      Value idx = toIndex(b, l, tensor::ExtractOp::create(b, l, indices, tuple), uns);
                                      coords.push_back(normalizeIndex(b, l, idx, dataType.getDimSize(bd + j)));
                                    }
                                    llvm::append_range(coords, ivs.drop_front(q - 1));
                                    return tensor::ExtractOp::create(b, l, data, coords);
                                  });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Scatters
//===----------------------------------------------------------------------===//

template <typename OnnxOp> struct ScatterElementsLowering : OpConversionPattern<OnnxOp> {
  using OpConversionPattern<OnnxOp>::OpConversionPattern;
  LogicalResult matchAndRewrite(OnnxOp op, typename OnnxOp::Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Value data = adaptor.getData(), indices = adaptor.getIndices(), updates = adaptor.getUpdates();
    auto dataType = tensorType(data), indType = tensorType(indices), updType = tensorType(updates);
    int64_t r = dataType.getRank();
    FailureOr<int64_t> resolved = resolveAxis(op, op.getAxis(), r);
    if (failed(resolved))
      return failure();
    if (indType.getShape() != updType.getShape() || indType.getRank() != r)
      return op.emitError("indices and updates must have one shape of the data's rank");
    if (!isa<IntegerType>(indType.getElementType()))
      return op.emitError("indices must be integers");
    int64_t axis = *resolved;
    StringRef reduction = "none";
    if constexpr (std::is_same_v<OnnxOp, onnxd::ScatterElementsOp>)
      reduction = op.getReduction();
    bool unsData = isUnsignedElement(op.getData().getType()), unsInd = isUnsignedElement(op.getIndices().getType());
    Location loc = op.getLoc();
    if (!isScatterReduction(reduction))
      return op.emitError("reduction '") << reduction << "' is not one of none, add, mul, max, min";
    int64_t dim = dataType.getDimSize(axis);
    if (failed(checkIndices(rewriter, op, op.getIndices(), indices, {dim}, unsInd)))
      return failure();
    Value result =
        scatterLoop(rewriter, loc, data, updType, [&](OpBuilder &b, Location l, Value acc, ArrayRef<Value> coords) {
          Value idx = tensor::ExtractOp::create(b, l, indices, coords);
          SmallVector<Value> target(coords);
          target[axis] = normalizeIndex(b, l, toIndex(b, l, idx, unsInd), dim);
          Value upd = tensor::ExtractOp::create(b, l, updates, coords);
          if (reduction != "none") {
            Value old = tensor::ExtractOp::create(b, l, acc, target);
            upd = combineScatter(b, l, reduction, old, upd, unsData);
          }
          return tensor::InsertOp::create(b, l, upd, acc, target).getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct ScatterNDLowering : OpConversionPattern<onnxd::ScatterNDOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::ScatterNDOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Value data = adaptor.getData(), indices = adaptor.getIndices(), updates = adaptor.getUpdates();
    auto dataType = tensorType(data), indType = tensorType(indices), updType = tensorType(updates);
    int64_t r = dataType.getRank(), q = indType.getRank();
    if (q < 1)
      return op.emitError("indices must have rank 1 or more");
    int64_t k = indType.getDimSize(q - 1);
    if (k > r)
      return op.emitError("index tuples of length ") << k << " do not fit data of rank " << r;
    SmallVector<int64_t> expected(indType.getShape().drop_back());
    llvm::append_range(expected, dataType.getShape().drop_front(k));
    if (updType.getShape() != ArrayRef(expected))
      return op.emitError("updates ") << updType << " do not have the shape indices[:-1] + data[k:]";
    if (!isa<IntegerType>(indType.getElementType()))
      return op.emitError("indices must be integers");
    Location loc = op.getLoc();
    StringRef reduction = op.getReduction();
    bool unsData = isUnsignedElement(op.getData().getType()), unsInd = isUnsignedElement(op.getIndices().getType());
    if (!isScatterReduction(reduction))
      return op.emitError("reduction '") << reduction << "' is not one of none, add, mul, max, min";
    if (k > 0 &&
        failed(checkIndices(rewriter, op, op.getIndices(), indices, dataType.getShape().take_front(k), unsInd)))
      return failure();
    Value result =
        scatterLoop(rewriter, loc, data, updType, [&](OpBuilder &b, Location l, Value acc, ArrayRef<Value> coords) {
          SmallVector<Value> tuple(coords.take_front(q - 1));
          tuple.push_back(Value());
          SmallVector<Value> target;
          for (int64_t j = 0; j < k; ++j) {
            tuple.back() = indexConst(b, l, j);
            Value idx = toIndex(b, l, tensor::ExtractOp::create(b, l, indices, tuple), unsInd);
            target.push_back(normalizeIndex(b, l, idx, dataType.getDimSize(j)));
          }
          llvm::append_range(target, coords.drop_front(q - 1));
          Value upd = tensor::ExtractOp::create(b, l, updates, coords);
          if (reduction != "none") {
            Value old = tensor::ExtractOp::create(b, l, acc, target);
            upd = combineScatter(b, l, reduction, old, upd, unsData);
          }
          return tensor::InsertOp::create(b, l, upd, acc, target).getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void populateGatherScatterPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns
      .add<GatherLowering, GatherElementsLowering, GatherNDLowering, ScatterElementsLowering<onnxd::ScatterElementsOp>,
           ScatterElementsLowering<onnxd::ScatterOp>, ScatterNDLowering>(converter, patterns.getContext());
}

} // namespace mcc::lowering
