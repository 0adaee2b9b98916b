//===- ControlFlow.cpp - onnx If, Loop, Scan -> scf -----------------------===//
//
// Subgraph regions are merged into scf bodies; their onnx ops are converted in place by the same
// conversion. If -> scf.if; Scan -> scf.for over the scan axis; Loop -> scf.for when the trip count
// is a constant and the condition provably stays true (scan outputs then have a static length), else
// scf.while (no scan outputs).
//
//===----------------------------------------------------------------------===//
#include "passes/lowering/LoweringUtils.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
namespace onnxd = mcc::onnx;

namespace mcc::lowering {
namespace {

/// The constant integer value of a one-element onnx constant, if it is one.
std::optional<int64_t> constantInt(Value v) {
  auto c = v.getDefiningOp<onnxd::ConstantOp>();
  auto dense = c ? dyn_cast<DenseElementsAttr>(c.getValue()) : DenseElementsAttr();
  if (!dense || dense.getNumElements() != 1)
    return std::nullopt;
  if (dense.getElementType().isInteger(1))
    return (int64_t)*dense.getValues<bool>().begin();
  return dense.getValues<APInt>()[0].getSExtValue();
}

/// Strips onnx.Identity chains.
Value throughIdentity(Value v) {
  while (auto id = v.getDefiningOp<onnxd::IdentityOp>())
    v = id.getX();
  return v;
}

/// Inserts `slice` (one step of a scan output) into `acc` at `index` along `axis`.
Value insertStep(OpBuilder &b, Location loc, Value slice, Value acc, int64_t axis, Value index) {
  auto accType = tensorType(acc);
  int64_t rank = accType.getRank();
  SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0)), sizes, strides(rank, b.getIndexAttr(1));
  for (int64_t i = 0; i < rank; ++i)
    sizes.push_back(b.getIndexAttr(i == axis ? 1 : accType.getDimSize(i)));
  offsets[axis] = index;
  return tensor::InsertSliceOp::create(b, loc, slice, acc, offsets, sizes, strides);
}

/// Extracts step `index` along `axis` of `t`, dropping that axis.
Value extractStep(OpBuilder &b, Location loc, Value t, int64_t axis, Value index, RankedTensorType sliceType) {
  auto type = tensorType(t);
  int64_t rank = type.getRank();
  SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0)), sizes, strides(rank, b.getIndexAttr(1));
  for (int64_t i = 0; i < rank; ++i)
    sizes.push_back(b.getIndexAttr(i == axis ? 1 : type.getDimSize(i)));
  offsets[axis] = index;
  return tensor::ExtractSliceOp::create(b, loc, sliceType, t, offsets, sizes, strides);
}

/// The next value of a loop-carried tensor, written into the iteration's own buffer: yields that
/// bufferize in place, so a loop allocates nothing per iteration.
Value carryInto(OpBuilder &b, Location loc, Value next, Value iterArg) {
  return linalg::CopyOp::create(b, loc, next, iterArg).getResult(0);
}

/// Step i, or L-1-i when reversed.
Value stepIndex(OpBuilder &b, Location loc, Value iv, int64_t length, bool reverse) {
  if (!reverse)
    return iv;
  return arith::SubIOp::create(b, loc, arith::ConstantIndexOp::create(b, loc, length - 1), iv);
}

struct IfLowering : OpConversionPattern<onnxd::IfOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::IfOp op, OpAdaptor adaptor, ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    SmallVector<Type> types;
    for (Type t : op.getResultTypes())
      types.push_back(lowerType(t));
    Value cond = firstElement(rewriter, loc, adaptor.getCond());
    if (!cond.getType().isInteger(1))
      cond = arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::ne, cond,
                                   arith::ConstantOp::create(rewriter, loc, rewriter.getZeroAttr(cond.getType())));
    auto ifOp = scf::IfOp::create(rewriter, loc, types, cond, /*addThenBlock=*/false, /*addElseBlock=*/false);
    rewriter.inlineRegionBefore(op.getThenBranch(), ifOp.getThenRegion(), ifOp.getThenRegion().end());
    rewriter.inlineRegionBefore(op.getElseBranch(), ifOp.getElseRegion(), ifOp.getElseRegion().end());
    rewriter.replaceOp(op, ifOp.getResults());
    return success();
  }
};

/// onnx.Yield ending an scf.if branch becomes scf.yield (Loop and Scan rewrite their own).
struct YieldLowering : OpConversionPattern<onnxd::YieldOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::YieldOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (!isa<scf::IfOp>(op->getParentOp()))
      return failure();
    rewriter.replaceOpWithNewOp<scf::YieldOp>(op, adaptor.getValues());
    return success();
  }
};

/// The scf.for of one (unbatched) Scan over `inputs` producing values of `resultTypes`; merges the
/// op's body into the loop.
FailureOr<SmallVector<Value>> buildScan(ConversionPatternRewriter &rewriter, onnxd::ScanOp op, ValueRange inputs,
                                        ArrayRef<RankedTensorType> resultTypes) {
  Location loc = op.getLoc();
  int64_t numScan = op.getNumScanInputs(), numStates = inputs.size() - numScan;
  int64_t numScanOut = resultTypes.size() - numStates;
  auto attrOr = [](std::optional<ArrayRef<int64_t>> a, int64_t i, int64_t dflt) {
    return a && (int64_t)a->size() > i ? (*a)[i] : dflt;
  };
  // Every scan input must have the same length along its axis.
  int64_t length = -1;
  SmallVector<int64_t> inAxes;
  for (int64_t i = 0; i < numScan; ++i) {
    auto t = tensorType(inputs[numStates + i]);
    int64_t axis = normalizeAxis(attrOr(op.getScanInputAxes(), i, 0), t.getRank());
    inAxes.push_back(axis);
    if (length >= 0 && t.getDimSize(axis) != length)
      return op.emitError("scan inputs have different lengths");
    length = t.getDimSize(axis);
  }
  Block &body = op.getBody().front();
  SmallVector<Value> inits(inputs.begin(), inputs.begin() + numStates);
  SmallVector<int64_t> outAxes;
  for (int64_t j = 0; j < numScanOut; ++j) {
    RankedTensorType t = resultTypes[numStates + j];
    outAxes.push_back(normalizeAxis(attrOr(op.getScanOutputAxes(), j, 0), t.getRank()));
    inits.push_back(tensor::EmptyOp::create(rewriter, loc, t.getShape(), t.getElementType()));
  }
  Value lb = arith::ConstantIndexOp::create(rewriter, loc, 0),
        ub = arith::ConstantIndexOp::create(rewriter, loc, length),
        step = arith::ConstantIndexOp::create(rewriter, loc, 1);
  auto forOp = scf::ForOp::create(rewriter, loc, lb, ub, step, inits);
  OpBuilder::InsertionGuard guard(rewriter);
  Block *forBody = forOp.getBody();
  rewriter.setInsertionPointToStart(forBody);
  Value iv = forOp.getInductionVar();
  SmallVector<Value> args(forOp.getRegionIterArgs().begin(), forOp.getRegionIterArgs().begin() + numStates);
  for (int64_t i = 0; i < numScan; ++i) {
    auto sliceType = loweredType(body.getArgument(numStates + i).getType());
    Value idx = stepIndex(rewriter, loc, iv, length, attrOr(op.getScanInputDirections(), i, 0) == 1);
    args.push_back(extractStep(rewriter, loc, inputs[numStates + i], inAxes[i], idx, sliceType));
  }
  auto yield = cast<onnxd::YieldOp>(body.getTerminator());
  rewriter.mergeBlocks(&body, forBody, args);
  rewriter.setInsertionPoint(yield);
  SmallVector<Value> next;
  for (int64_t i = 0; i < numStates; ++i)
    next.push_back(carryInto(rewriter, loc, yield.getValues()[i], forOp.getRegionIterArgs()[i]));
  for (int64_t j = 0; j < numScanOut; ++j) {
    Value acc = forOp.getRegionIterArgs()[numStates + j];
    Value idx = stepIndex(rewriter, loc, iv, length, attrOr(op.getScanOutputDirections(), j, 0) == 1);
    Value slice = yield.getValues()[numStates + j];
    next.push_back(insertStep(rewriter, loc, slice, acc, outAxes[j], idx));
  }
  scf::YieldOp::create(rewriter, loc, next);
  rewriter.eraseOp(yield);
  return SmallVector<Value>(forOp.getResults());
}

/// Scan -> scf.for over the scan axis. A batched Scan (Scan-8) runs that loop once per batch element,
/// inside a loop over the leading batch axis.
struct ScanLowering : OpConversionPattern<onnxd::ScanOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::ScanOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    ValueRange inputs = adaptor.getInitialStateAndScanInputs();
    SmallVector<RankedTensorType> resultTypes;
    for (Type t : op.getResultTypes())
      resultTypes.push_back(loweredType(t));
    if (!op.getBatched()) {
      auto results = buildScan(rewriter, op, inputs, resultTypes);
      if (failed(results))
        return failure();
      rewriter.replaceOp(op, *results);
      return success();
    }
    int64_t batch = tensorType(inputs.front()).getDimSize(0);
    auto unbatched = [](RankedTensorType t) {
      return RankedTensorType::get(t.getShape().drop_front(), t.getElementType());
    };
    for (Value v : inputs)
      if (tensorType(v).getDimSize(0) != batch)
        return op.emitError("batched Scan inputs have different batch sizes");
    for (RankedTensorType t : resultTypes)
      if (t.getRank() < 1 || t.getDimSize(0) != batch)
        return op.emitError("batched Scan results must have the batch size ") << batch;
    SmallVector<Value> inits;
    SmallVector<RankedTensorType> innerTypes;
    for (RankedTensorType t : resultTypes) {
      inits.push_back(tensor::EmptyOp::create(rewriter, loc, t.getShape(), t.getElementType()));
      innerTypes.push_back(unbatched(t));
    }
    Value lb = arith::ConstantIndexOp::create(rewriter, loc, 0),
          ub = arith::ConstantIndexOp::create(rewriter, loc, batch),
          step = arith::ConstantIndexOp::create(rewriter, loc, 1);
    auto outer = scf::ForOp::create(rewriter, loc, lb, ub, step, inits);
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPointToStart(outer.getBody());
    Value b = outer.getInductionVar();
    SmallVector<Value> slices;
    for (Value v : inputs)
      slices.push_back(extractStep(rewriter, loc, v, 0, b, unbatched(tensorType(v))));
    auto results = buildScan(rewriter, op, slices, innerTypes);
    if (failed(results))
      return failure();
    SmallVector<Value> next;
    for (auto [r, acc] : llvm::zip(*results, outer.getRegionIterArgs()))
      next.push_back(insertStep(rewriter, loc, r, acc, 0, b));
    scf::YieldOp::create(rewriter, loc, next);
    rewriter.replaceOp(op, outer.getResults());
    return success();
  }
};

struct LoopLowering : OpConversionPattern<onnxd::LoopOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::LoopOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    Block &body = op.getBody().front();
    auto yield = cast<onnxd::YieldOp>(body.getTerminator());
    int64_t numCarried = adaptor.getVInitial().size();
    int64_t numScanOut = op.getNumResults() - numCarried;
    std::optional<int64_t> tripCount;
    if (!onnxd::isNoValue(op.getM()))
      tripCount = constantInt(op.getM());
    bool condInitTrue = onnxd::isNoValue(op.getCond()) || constantInt(op.getCond()) == 1;
    Value condOut = throughIdentity(yield.getValues()[0]);
    bool condStaysTrue = condInitTrue && (condOut == body.getArgument(1) || constantInt(condOut) == 1);
    auto i64Tensor = [&](OpBuilder &b, Value i) {
      Value v = arith::IndexCastOp::create(b, loc, b.getI64Type(), i);
      return tensor::FromElementsOp::create(b, loc, RankedTensorType::get({}, b.getI64Type()), ValueRange{v})
          .getResult();
    };
    auto i1Tensor = [&](OpBuilder &b, Value c) {
      return tensor::FromElementsOp::create(b, loc, RankedTensorType::get({}, b.getI1Type()), ValueRange{c})
          .getResult();
    };

    if (tripCount && condStaysTrue) {
      SmallVector<Value> inits(adaptor.getVInitial());
      for (int64_t j = 0; j < numScanOut; ++j) {
        auto t = loweredType(op.getResult(numCarried + j).getType());
        if (t.getDimSize(0) != *tripCount)
          return op.emitError("scan output ")
                 << j << " has " << t.getDimSize(0) << " rows for " << *tripCount << " iterations";
        inits.push_back(tensor::EmptyOp::create(rewriter, loc, t.getShape(), t.getElementType()));
      }
      auto forOp = scf::ForOp::create(rewriter, loc, arith::ConstantIndexOp::create(rewriter, loc, 0),
                                      arith::ConstantIndexOp::create(rewriter, loc, *tripCount),
                                      arith::ConstantIndexOp::create(rewriter, loc, 1), inits);
      rewriter.setInsertionPointToStart(forOp.getBody());
      Value iv = forOp.getInductionVar();
      SmallVector<Value> args{i64Tensor(rewriter, iv),
                              i1Tensor(rewriter, arith::ConstantIntOp::create(rewriter, loc, 1, 1))};
      args.append(forOp.getRegionIterArgs().begin(), forOp.getRegionIterArgs().begin() + numCarried);
      rewriter.mergeBlocks(&body, forOp.getBody(), args);
      rewriter.setInsertionPoint(yield);
      SmallVector<Value> next;
      for (int64_t i = 0; i < numCarried; ++i)
        next.push_back(carryInto(rewriter, loc, yield.getValues()[1 + i], forOp.getRegionIterArgs()[i]));
      for (int64_t j = 0; j < numScanOut; ++j) {
        Value slice = yield.getValues()[1 + numCarried + j];
        auto accType = loweredType(op.getResult(numCarried + j).getType());
        // Each step's value becomes one row: give it the leading unit axis first.
        SmallVector<int64_t> rowShape{1};
        rowShape.append(accType.getShape().begin() + 1, accType.getShape().end());
        Value row = reshapeTo(rewriter, loc, slice, RankedTensorType::get(rowShape, accType.getElementType()));
        next.push_back(insertStep(rewriter, loc, row, forOp.getRegionIterArgs()[numCarried + j], 0, iv));
      }
      scf::YieldOp::create(rewriter, loc, next);
      rewriter.eraseOp(yield);
      rewriter.replaceOp(op, forOp.getResults());
      return success();
    }
    if (numScanOut > 0)
      return op.emitError("scan outputs need a constant trip count and a condition that stays true "
                          "(their length would depend on run-time data)");

    // while (i < M && cond) { (cond, carried) = body(i, cond, carried); ++i }
    // The carried tensors come first: one-shot bufferization needs each tensor the condition forwards to
    // sit at the index of its iter arg, and canonicalization drops the scalars the body does not read.
    Type i64 = rewriter.getI64Type();
    Value mValue = onnxd::isNoValue(op.getM()) ? Value() : firstElement(rewriter, loc, adaptor.getM());
    Value cond0 = onnxd::isNoValue(op.getCond()) ? arith::ConstantIntOp::create(rewriter, loc, 1, 1).getResult()
                                                 : firstElement(rewriter, loc, adaptor.getCond());
    SmallVector<Value> inits(adaptor.getVInitial().begin(), adaptor.getVInitial().end());
    inits.push_back(arith::ConstantIntOp::create(rewriter, loc, i64, 0));
    inits.push_back(cond0);
    SmallVector<Type> types;
    for (Value v : inits)
      types.push_back(v.getType());
    auto whileOp = scf::WhileOp::create(rewriter, loc, types, inits);
    Block *before = rewriter.createBlock(&whileOp.getBefore(), {}, types, SmallVector<Location>(types.size(), loc));
    Value go = before->getArgument(numCarried + 1);
    if (mValue)
      go = arith::AndIOp::create(
          rewriter, loc, go,
          arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::slt, before->getArgument(numCarried), mValue));
    scf::ConditionOp::create(rewriter, loc, go, before->getArguments());
    Block *after = rewriter.createBlock(&whileOp.getAfter(), {}, types, SmallVector<Location>(types.size(), loc));
    Value iter = after->getArgument(numCarried);
    SmallVector<Value> args{
        i64Tensor(rewriter, arith::IndexCastOp::create(rewriter, loc, rewriter.getIndexType(), iter)),
        i1Tensor(rewriter, after->getArgument(numCarried + 1))};
    args.append(after->getArguments().begin(), after->getArguments().begin() + numCarried);
    rewriter.mergeBlocks(&body, after, args);
    rewriter.setInsertionPoint(yield);
    SmallVector<Value> next;
    for (int64_t i = 0; i < numCarried; ++i)
      next.push_back(carryInto(rewriter, loc, yield.getValues()[1 + i], after->getArgument(i)));
    next.push_back(arith::AddIOp::create(rewriter, loc, iter, arith::ConstantIntOp::create(rewriter, loc, i64, 1)));
    next.push_back(firstElement(rewriter, loc, yield.getValues()[0]));
    scf::YieldOp::create(rewriter, loc, next);
    rewriter.eraseOp(yield);
    rewriter.replaceOp(op, whileOp.getResults().take_front(numCarried));
    return success();
  }
};

} // namespace

void populateControlFlowPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<IfLowering, YieldLowering, ScanLowering, LoopLowering>(converter, patterns.getContext());
}

} // namespace mcc::lowering
