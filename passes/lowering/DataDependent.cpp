//===- DataDependent.cpp - onnx ops whose output shape depends on the data -> scf/tensor ===//
//
// NonZero, Unique and NonMaxSuppression. Each result dim that depends on the data is `?` in the op's
// type; the lowering computes into a tensor of the static upper-bound shape with an scf.for that
// counts what it keeps, then returns the leading `tensor.extract_slice` of that count. The entry
// function writes such a slice densely into the caller's buffer and reports its shape (see
// codegen/cpu/EntryDestinationStyle.cpp). Compress with a run-time condition (Tensor.cpp) and TopK
// with a run-time K (Reduction.cpp) share the scheme.
//
//===----------------------------------------------------------------------===//
#include "passes/lowering/LoweringUtils.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
namespace onnxd = mcc::onnx;

namespace mcc::lowering {
namespace {

Value cmpi(OpBuilder &b, Location loc, arith::CmpIPredicate p, Value l, Value r) {
  return arith::CmpIOp::create(b, loc, p, l, r);
}
Value andi(OpBuilder &b, Location loc, Value l, Value r) { return arith::AndIOp::create(b, loc, l, r); }
Value addOne(OpBuilder &b, Location loc, Value index) {
  return arith::AddIOp::create(b, loc, index, indexConst(b, loc, 1));
}

/// scf.for from 0 to `n` (an index) carrying `init`; `body` returns the next iteration values.
using LoopBody = function_ref<SmallVector<Value>(OpBuilder &, Location, Value iv, ValueRange iter)>;
ValueRange loop(OpBuilder &b, Location loc, Value n, ValueRange init, LoopBody body) {
  auto f = scf::ForOp::create(b, loc, indexConst(b, loc, 0), n, indexConst(b, loc, 1), init,
                              [&](OpBuilder &lb, Location l, Value iv, ValueRange iter) {
                                scf::YieldOp::create(lb, l, body(lb, l, iv, iter));
                              });
  return f.getResults();
}

/// scf.if yielding `types`: `then` when `cond`, else the values `otherwise`.
using BranchFn = function_ref<SmallVector<Value>(OpBuilder &, Location)>;
ValueRange ifElse(OpBuilder &b, Location loc, Value cond, BranchFn then, ValueRange otherwise) {
  auto op = scf::IfOp::create(
      b, loc, cond, [&](OpBuilder &tb, Location l) { scf::YieldOp::create(tb, l, then(tb, l)); },
      [&](OpBuilder &eb, Location l) { scf::YieldOp::create(eb, l, otherwise); });
  return op.getResults();
}

/// The leading part of the upper-bound tensor `ub`: `sizes` per dim (a Value where data-dependent).
Value leadingSlice(OpBuilder &b, Location loc, RankedTensorType resultType, Value ub, ArrayRef<OpFoldResult> sizes) {
  SmallVector<OpFoldResult> zeros(sizes.size(), b.getIndexAttr(0)), ones(sizes.size(), b.getIndexAttr(1));
  return tensor::ExtractSliceOp::create(b, loc, resultType, ub, zeros, sizes, ones);
}

/// x != 0 (NaN counts as non-zero, as in numpy).
Value isNonZero(OpBuilder &b, Location loc, Value v) {
  Value zero = scalarConstant(b, loc, v.getType(), 0.0);
  if (isa<FloatType>(v.getType()))
    return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, v, zero);
  return cmpi(b, loc, arith::CmpIPredicate::ne, v, zero);
}

/// NonZero: one pass over the input in row-major order appends the coordinates of each non-zero
/// element as a column of a [rank, numel] tensor.
struct NonZeroLowering : OpConversionPattern<onnxd::NonZeroOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::NonZeroOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    auto xType = tensorType(x);
    auto resultType = loweredType(op.getType());
    int64_t rank = xType.getRank(), n = xType.getNumElements();
    if (!xType.hasStaticShape() || rank == 0)
      return op.emitError("NonZero needs a statically shaped input of rank >= 1, got ") << xType;
    if (resultType.getRank() != 2 || resultType.getDimSize(0) != rank || !resultType.getElementType().isInteger(64))
      return op.emitError("result type ") << resultType << " is not [" << rank << ", ?] int64";
    auto ubType = RankedTensorType::get({rank, std::max<int64_t>(n, 1)}, rewriter.getI64Type());
    Value ub = tensor::EmptyOp::create(rewriter, loc, ubType.getShape(), ubType.getElementType());
    ValueRange r = loop(rewriter, loc, indexConst(rewriter, loc, n), {ub, indexConst(rewriter, loc, 0)},
                        [&](OpBuilder &b, Location l, Value i, ValueRange iter) -> SmallVector<Value> {
                          SmallVector<Value> coords(rank);
                          Value rest = i;
                          for (int64_t d = rank - 1; d >= 0; --d) {
                            Value size = indexConst(b, l, xType.getDimSize(d));
                            coords[d] = arith::RemUIOp::create(b, l, rest, size);
                            rest = arith::DivUIOp::create(b, l, rest, size);
                          }
                          Value v = tensor::ExtractOp::create(b, l, x, coords);
                          Value acc = iter[0], count = iter[1];
                          return llvm::to_vector(ifElse(b, l, isNonZero(b, l, v),
                                                        [&](OpBuilder &tb, Location tl) -> SmallVector<Value> {
                                                          Value next = acc;
                                                          for (int64_t d = 0; d < rank; ++d)
                                                            next = tensor::InsertOp::create(
                                                                tb, tl, toI64(tb, tl, coords[d]), next,
                                                                ValueRange{indexConst(tb, tl, d), count});
                                                          return {next, addOne(tb, tl, count)};
                                                        },
                                                        {acc, count}));
                        });
    SmallVector<OpFoldResult> sizes{rewriter.getIndexAttr(rank), r[1]};
    rewriter.replaceOp(op, leadingSlice(rewriter, loc, resultType, r[0], sizes));
    return success();
  }
};

/// The input of Unique seen as [outer, n, inner]: slice i along the axis is x[:, i, :].
struct Slices {
  Value x;
  int64_t outer, n, inner;
  bool isUnsigned;

  Value element(OpBuilder &b, Location loc, Value slice, Value j) const {
    Value in = indexConst(b, loc, inner);
    Value o = arith::DivUIOp::create(b, loc, j, in), k = arith::RemUIOp::create(b, loc, j, in);
    return tensor::ExtractOp::create(b, loc, x, ValueRange{o, slice, k});
  }
  /// -1, 0 or 1 (i32) as slice `a` orders before, equal to or after slice `c`, lexicographically over
  /// its elements in row-major order (numpy's order for unique along an axis). A total order: NaN
  /// after every number and equal to NaN; -0.0 equals 0.0.
  Value compare(OpBuilder &b, Location loc, Value a, Value c) const {
    Value zero = arith::ConstantIntOp::create(b, loc, 0, 32);
    Value state = loop(
        b, loc, indexConst(b, loc, outer * inner), {zero},
        [&](OpBuilder &lb, Location l, Value j, ValueRange iter) -> SmallVector<Value> {
          Value va = element(lb, l, a, j), vc = element(lb, l, c, j);
          Value lt, gt;
          if (isa<FloatType>(va.getType())) {
            // NaN orders after every number and equals NaN (numpy's unique, equal_nan).
            auto fcmp = [&](arith::CmpFPredicate p, Value x, Value y) -> Value {
              return arith::CmpFOp::create(lb, l, p, x, y);
            };
            Value aNan = fcmp(arith::CmpFPredicate::UNO, va, va);
            Value cNan = fcmp(arith::CmpFPredicate::UNO, vc, vc);
            Value one = arith::ConstantIntOp::create(lb, l, 1, 1);
            Value aNum = arith::XOrIOp::create(lb, l, aNan, one);
            Value cNum = arith::XOrIOp::create(lb, l, cNan, one);
            lt = arith::OrIOp::create(lb, l, fcmp(arith::CmpFPredicate::OLT, va, vc), andi(lb, l, aNum, cNan));
            gt = arith::OrIOp::create(lb, l, fcmp(arith::CmpFPredicate::OGT, va, vc), andi(lb, l, aNan, cNum));
          } else {
            lt = cmpi(lb, l, isUnsigned ? arith::CmpIPredicate::ult : arith::CmpIPredicate::slt, va, vc);
            gt = cmpi(lb, l, isUnsigned ? arith::CmpIPredicate::ugt : arith::CmpIPredicate::sgt, va, vc);
          }
          Value here =
              arith::SelectOp::create(lb, l, lt, arith::ConstantIntOp::create(lb, l, -1, 32),
                                      arith::SelectOp::create(lb, l, gt, arith::ConstantIntOp::create(lb, l, 1, 32),
                                                              arith::ConstantIntOp::create(lb, l, 0, 32)));
          Value undecided = cmpi(lb, l, arith::CmpIPredicate::eq, iter[0], arith::ConstantIntOp::create(lb, l, 0, 32));
          return {arith::SelectOp::create(lb, l, undecided, here, iter[0])};
        })[0];
    return state;
  }
};

/// Unique: a pass in input order finds, for each slice, the first earlier slice equal to it (first
/// occurrence order: what sorted=0 returns); sorted=1 then ranks the unique slices and permutes.
/// O(n^2) slice comparisons: fine for the sizes this op sees in models (post-processing).
struct UniqueLowering : OpConversionPattern<onnxd::UniqueOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::UniqueOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    auto xType = tensorType(x);
    if (!xType.hasStaticShape())
      return op.emitError("Unique needs a statically shaped input, got ") << xType;
    if (op.getSorted() != 0 && op.getSorted() != 1)
      return op.emitError("attribute 'sorted' must be 0 or 1, got ") << op.getSorted();
    Type elt = xType.getElementType();
    Slices s{x, 1, xType.getNumElements(), 1, isUnsignedElement(op.getX().getType())};
    std::optional<int64_t> axis;
    if (std::optional<int64_t> a = op.getAxis()) {
      int64_t rank = xType.getRank();
      if (*a < -rank || *a >= rank)
        return op.emitError("attribute 'axis' ") << *a << " is out of range for rank " << rank;
      axis = normalizeAxis(*a, rank);
      s.n = xType.getDimSize(*axis);
      s.outer = s.inner = 1;
      for (int64_t d = 0; d < rank; ++d)
        (d < *axis ? s.outer : s.inner) *= d == *axis ? 1 : xType.getDimSize(d);
    }
    SmallVector<int64_t> ubShape = axis ? SmallVector<int64_t>(xType.getShape()) : SmallVector<int64_t>{s.n};
    auto yType = loweredType(op.getY().getType());
    if (yType.getRank() != (int64_t)ubShape.size() || yType.getElementType() != elt)
      return op.emitError("result type ") << yType << " does not fit the input " << xType;
    s.x = reshapeTo(rewriter, loc, x, RankedTensorType::get({s.outer, s.n, s.inner}, elt));
    auto i64Type = rewriter.getI64Type();
    auto vec = RankedTensorType::get({std::max<int64_t>(s.n, 1)}, i64Type);
    auto empty = [&](RankedTensorType t) {
      return tensor::EmptyOp::create(rewriter, loc, t.getShape(), t.getElementType()).getResult();
    };
    Value nVal = indexConst(rewriter, loc, s.n);

    // First occurrences: first[k] is the input slice of unique k, counts[k] its count, inverse[i] the
    // unique slice i equals.
    ValueRange pass =
        loop(rewriter, loc, nVal, {empty(vec), empty(vec), empty(vec), indexConst(rewriter, loc, 0)},
             [&](OpBuilder &b, Location l, Value i, ValueRange iter) -> SmallVector<Value> {
               Value first = iter[0], counts = iter[1], inverse = iter[2], count = iter[3];
               Value match = loop(b, l, count, {count}, [&](OpBuilder &lb, Location ll, Value k, ValueRange it) {
                 Value prior = toIndex(lb, ll, tensor::ExtractOp::create(lb, ll, first, k));
                 Value equal = cmpi(lb, ll, arith::CmpIPredicate::eq, s.compare(lb, ll, prior, i),
                                    arith::ConstantIntOp::create(lb, ll, 0, 32));
                 Value unmatched = cmpi(lb, ll, arith::CmpIPredicate::eq, it[0], count);
                 return SmallVector<Value>{arith::SelectOp::create(lb, ll, andi(lb, ll, equal, unmatched), k, it[0])};
               })[0];
               inverse = tensor::InsertOp::create(b, l, toI64(b, l, match), inverse, ValueRange{i});
               Value isNew = cmpi(b, l, arith::CmpIPredicate::eq, match, count);
               ValueRange updated =
                   ifElse(b, l, isNew,
                          [&](OpBuilder &tb, Location tl) -> SmallVector<Value> {
                            Value f = tensor::InsertOp::create(tb, tl, toI64(tb, tl, i), first, ValueRange{count});
                            Value one = arith::ConstantIntOp::create(tb, tl, 1, 64);
                            Value c = tensor::InsertOp::create(tb, tl, one, counts, ValueRange{count});
                            return {f, c, addOne(tb, tl, count)};
                          },
                          {first, counts, count});
               Value c = updated[1];
               Value old = tensor::ExtractOp::create(b, l, c, match);
               Value bumped = arith::AddIOp::create(b, l, old, arith::ConstantIntOp::create(b, l, 1, 64));
               // A new slice was inserted with count 1; an earlier one gains one.
               Value next = arith::SelectOp::create(b, l, isNew, old, bumped);
               c = tensor::InsertOp::create(b, l, next, c, ValueRange{match});
               return {updated[0], c, inverse, updated[2]};
             });
    Value first = pass[0], counts = pass[1], inverse = pass[2], count = pass[3];

    if (op.getSorted() == 1) {
      // rank[k] = how many unique slices order before slice k (they are distinct: no ties).
      ValueRange sorted =
          loop(rewriter, loc, count, {empty(vec), empty(vec), empty(vec)},
               [&](OpBuilder &b, Location l, Value k, ValueRange iter) -> SmallVector<Value> {
                 Value sk = toIndex(b, l, tensor::ExtractOp::create(b, l, first, k));
                 Value rank =
                     loop(b, l, count, {indexConst(b, l, 0)}, [&](OpBuilder &lb, Location ll, Value m, ValueRange it) {
                       Value sm = toIndex(lb, ll, tensor::ExtractOp::create(lb, ll, first, m));
                       Value before = cmpi(lb, ll, arith::CmpIPredicate::slt, s.compare(lb, ll, sm, sk),
                                           arith::ConstantIntOp::create(lb, ll, 0, 32));
                       return SmallVector<Value>{arith::SelectOp::create(lb, ll, before, addOne(lb, ll, it[0]), it[0])};
                     })[0];
                 Value f = tensor::InsertOp::create(b, l, toI64(b, l, sk), iter[0], ValueRange{rank});
                 Value c = tensor::InsertOp::create(b, l, tensor::ExtractOp::create(b, l, counts, k), iter[1],
                                                    ValueRange{rank});
                 Value r = tensor::InsertOp::create(b, l, toI64(b, l, rank), iter[2], ValueRange{k});
                 return {f, c, r};
               });
      Value ranks = sorted[2];
      first = sorted[0];
      counts = sorted[1];
      inverse = loop(rewriter, loc, nVal, {inverse}, [&](OpBuilder &b, Location l, Value i, ValueRange iter) {
        Value k = toIndex(b, l, tensor::ExtractOp::create(b, l, iter[0], i));
        Value r = tensor::ExtractOp::create(b, l, ranks, k);
        return SmallVector<Value>{tensor::InsertOp::create(b, l, r, iter[0], ValueRange{i})};
      })[0];
    }

    // Y: the unique slices, gathered into the upper-bound shape, then its leading `count` along the axis.
    auto ub3Type = RankedTensorType::get({s.outer, std::max<int64_t>(s.n, 1), s.inner}, elt);
    Value ub3 =
        loop(rewriter, loc, count, {empty(ub3Type)},
             [&](OpBuilder &b, Location l, Value k, ValueRange iter) -> SmallVector<Value> {
               Value src = toIndex(b, l, tensor::ExtractOp::create(b, l, first, k));
               auto sliceType = RankedTensorType::get({s.outer, 1, s.inner}, elt);
               SmallVector<OpFoldResult> sizes{b.getIndexAttr(s.outer), b.getIndexAttr(1), b.getIndexAttr(s.inner)};
               SmallVector<OpFoldResult> ones(3, b.getIndexAttr(1));
               SmallVector<OpFoldResult> from{b.getIndexAttr(0), src, b.getIndexAttr(0)};
               SmallVector<OpFoldResult> to{b.getIndexAttr(0), k, b.getIndexAttr(0)};
               Value slice = tensor::ExtractSliceOp::create(b, l, sliceType, s.x, from, sizes, ones);
               return {tensor::InsertSliceOp::create(b, l, slice, iter[0], to, sizes, ones)};
             })[0];
    SmallVector<int64_t> ubFull = ubShape;
    ubFull[axis.value_or(0)] = std::max<int64_t>(s.n, 1);
    Value ub = reshapeTo(rewriter, loc, ub3, RankedTensorType::get(ubFull, elt));
    SmallVector<OpFoldResult> ySizes;
    for (int64_t d = 0; d < (int64_t)ubShape.size(); ++d)
      ySizes.push_back(d == axis.value_or(0) ? OpFoldResult(count) : rewriter.getIndexAttr(ubShape[d]));
    SmallVector<Value> results{leadingSlice(rewriter, loc, yType, ub, ySizes)};
    auto vector = [&](Value result, Value v) -> Value {
      if (onnxd::isNoValue(result))
        return onnxd::NoValueOp::create(rewriter, loc, rewriter.getNoneType());
      auto t = loweredType(result.getType());
      if (t.getRank() != 1 || !t.getElementType().isInteger(64))
        return {};
      if (t.hasStaticShape())
        return t.getDimSize(0) == s.n ? reshapeTo(rewriter, loc, v, t) : Value();
      SmallVector<OpFoldResult> sizes{count};
      return leadingSlice(rewriter, loc, t, v, sizes);
    };
    // inverse_indices has exactly n entries; the upper-bound vectors have max(n, 1).
    if (s.n == 0 && !onnxd::isNoValue(op.getInverseIndices()))
      inverse = tensor::EmptyOp::create(rewriter, loc, ArrayRef<int64_t>{0}, i64Type);
    results.push_back(vector(op.getIndices(), first));
    results.push_back(vector(op.getInverseIndices(), inverse));
    results.push_back(vector(op.getCounts(), counts));
    if (llvm::is_contained(results, Value()))
      return op.emitError("the indices, inverse_indices and counts results must be 1-D int64 of the input's "
                          "slice count");
    rewriter.replaceOp(op, results);
    return success();
  }
};

/// A scalar operand of NonMaxSuppression (shape [] or [1]), or `fallback` when omitted.
FailureOr<Value> scalarOperand(Operation *op, OpBuilder &b, Location loc, Value v, Type elt, double fallback,
                               StringRef name) {
  if (onnxd::isNoValue(v))
    return scalarConstant(b, loc, elt, fallback);
  auto t = tensorType(v);
  if (!t.hasStaticShape() || t.getNumElements() != 1 || t.getElementType() != elt) {
    op->emitError("'") << name << "' must hold one " << elt << ", got " << t;
    return failure();
  }
  SmallVector<Value> zeros(t.getRank(), indexConst(b, loc, 0));
  return tensor::ExtractOp::create(b, loc, v, zeros).getResult();
}

/// NonMaxSuppression, per batch and class: repeatedly take the best box not yet taken (score
/// descending, index ascending on ties) whose score passes score_threshold; keep it unless its IoU
/// with a box kept before for this class exceeds iou_threshold; stop at max_output_boxes_per_class.
struct NonMaxSuppressionLowering : OpConversionPattern<onnxd::NonMaxSuppressionOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::NonMaxSuppressionOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value boxes = adaptor.getBoxes(), scores = adaptor.getScores();
    auto bt = tensorType(boxes), st = tensorType(scores);
    if (!bt.hasStaticShape() || !st.hasStaticShape() || bt.getRank() != 3 || bt.getDimSize(2) != 4 ||
        st.getRank() != 3 || st.getDimSize(0) != bt.getDimSize(0) || st.getDimSize(2) != bt.getDimSize(1))
      return op.emitError("boxes must be [batch, boxes, 4] and scores [batch, classes, boxes], got ")
             << bt << " and " << st;
    Type ft = bt.getElementType();
    if (!isa<FloatType>(ft) || st.getElementType() != ft)
      return op.emitError("boxes and scores must have one float element type");
    int64_t center = op.getCenterPointBox();
    if (center != 0 && center != 1)
      return op.emitError("attribute 'center_point_box' must be 0 or 1, got ") << center;
    auto resultType = loweredType(op.getType());
    if (resultType.getRank() != 2 || resultType.getDimSize(1) != 3 || !resultType.getElementType().isInteger(64))
      return op.emitError("result type ") << resultType << " is not [?, 3] int64";
    int64_t batches = bt.getDimSize(0), numBoxes = bt.getDimSize(1), classes = st.getDimSize(1);

    FailureOr<Value> maxOut = scalarOperand(op, rewriter, loc, adaptor.getMaxOutputBoxesPerClass(),
                                            rewriter.getI64Type(), 0, "max_output_boxes_per_class");
    FailureOr<Value> iouThreshold = scalarOperand(op, rewriter, loc, adaptor.getIouThreshold(), ft, 0, "iou_threshold");
    bool hasScoreThreshold = !onnxd::isNoValue(adaptor.getScoreThreshold());
    FailureOr<Value> scoreThreshold =
        scalarOperand(op, rewriter, loc, adaptor.getScoreThreshold(), ft, 0, "score_threshold");
    if (failed(maxOut) || failed(iouThreshold) || failed(scoreThreshold))
      return failure();
    // Per class at most min(max_output_boxes_per_class, boxes), never negative.
    Value limit = arith::MaxSIOp::create(
        rewriter, loc, arith::ConstantIntOp::create(rewriter, loc, 0, 64),
        arith::MinSIOp::create(rewriter, loc, *maxOut, arith::ConstantIntOp::create(rewriter, loc, numBoxes, 64)));
    limit = toIndex(rewriter, loc, limit);

    auto ubType = RankedTensorType::get({std::max<int64_t>(batches * classes * numBoxes, 1), 3}, rewriter.getI64Type());
    Value ub = tensor::EmptyOp::create(rewriter, loc, ubType.getShape(), ubType.getElementType());
    Value none = indexConst(rewriter, loc, numBoxes); // "no box" as a box index

    // Corners (ymin, xmin, ymax, xmax) and area of box i of batch `b`.
    struct Box {
      Value ymin, xmin, ymax, xmax, area;
    };
    auto boxAt = [&](OpBuilder &b, Location l, Value batch, Value i) {
      Value c[4];
      for (int k = 0; k < 4; ++k)
        c[k] = tensor::ExtractOp::create(b, l, boxes, ValueRange{batch, i, indexConst(b, l, k)});
      Box r;
      if (center == 0) {
        r.ymin = arith::MinimumFOp::create(b, l, c[0], c[2]);
        r.ymax = arith::MaximumFOp::create(b, l, c[0], c[2]);
        r.xmin = arith::MinimumFOp::create(b, l, c[1], c[3]);
        r.xmax = arith::MaximumFOp::create(b, l, c[1], c[3]);
      } else {
        Value half = scalarConstant(b, l, ft, 0.5);
        Value hw = arith::MulFOp::create(b, l, c[2], half), hh = arith::MulFOp::create(b, l, c[3], half);
        r.xmin = arith::SubFOp::create(b, l, c[0], hw);
        r.xmax = arith::AddFOp::create(b, l, c[0], hw);
        r.ymin = arith::SubFOp::create(b, l, c[1], hh);
        r.ymax = arith::AddFOp::create(b, l, c[1], hh);
      }
      r.area = arith::MulFOp::create(b, l, arith::SubFOp::create(b, l, r.ymax, r.ymin),
                                     arith::SubFOp::create(b, l, r.xmax, r.xmin));
      return r;
    };
    // IoU(a, c) > threshold; boxes with no area or no overlap never suppress (as ONNX Runtime).
    auto suppresses = [&](OpBuilder &b, Location l, const Box &a, const Box &c) -> Value {
      Value zero = scalarConstant(b, l, ft, 0.0);
      auto overlap = [&](Value lo1, Value hi1, Value lo2, Value hi2) {
        Value d = arith::SubFOp::create(b, l, arith::MinimumFOp::create(b, l, hi1, hi2),
                                        arith::MaximumFOp::create(b, l, lo1, lo2));
        return arith::MaximumFOp::create(b, l, d, zero);
      };
      Value inter =
          arith::MulFOp::create(b, l, overlap(a.ymin, a.ymax, c.ymin, c.ymax), overlap(a.xmin, a.xmax, c.xmin, c.xmax));
      Value uni = arith::SubFOp::create(b, l, arith::AddFOp::create(b, l, a.area, c.area), inter);
      auto positive = [&](Value v) { return arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, v, zero); };
      Value valid =
          andi(b, l, andi(b, l, positive(inter), positive(uni)), andi(b, l, positive(a.area), positive(c.area)));
      Value iou = arith::DivFOp::create(b, l, inter, uni);
      Value over = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, iou, *iouThreshold);
      return andi(b, l, valid, over);
    };

    ValueRange outer = loop(
        rewriter, loc, indexConst(rewriter, loc, batches * classes), {ub, indexConst(rewriter, loc, 0)},
        [&](OpBuilder &b, Location l, Value bc, ValueRange iter) -> SmallVector<Value> {
          Value cls = indexConst(b, l, classes);
          Value batch = arith::DivUIOp::create(b, l, bc, cls), klass = arith::RemUIOp::create(b, l, bc, cls);
          Value classStart = iter[1];
          // Carried: output, total rows, previous pick's score and index.
          Value lowest = scalarConstant(b, l, ft, 0.0);
          ValueRange steps = loop(
              b, l, indexConst(b, l, numBoxes), {iter[0], iter[1], lowest, none},
              [&](OpBuilder &sb, Location sl, Value, ValueRange st) -> SmallVector<Value> {
                Value out = st[0], total = st[1], prevScore = st[2], prevIdx = st[3];
                Value first = cmpi(sb, sl, arith::CmpIPredicate::eq, prevIdx, none);
                // The best box after the previous pick in (score desc, index asc) order.
                ValueRange best = loop(
                    sb, sl, indexConst(sb, sl, numBoxes), {none, lowest},
                    [&](OpBuilder &jb, Location jl, Value j, ValueRange bi) -> SmallVector<Value> {
                      Value s = tensor::ExtractOp::create(jb, jl, scores, ValueRange{batch, klass, j});
                      auto fcmp = [&](arith::CmpFPredicate p, Value a, Value c) -> Value {
                        return arith::CmpFOp::create(jb, jl, p, a, c);
                      };
                      Value after = arith::OrIOp::create(jb, jl, fcmp(arith::CmpFPredicate::OLT, s, prevScore),
                                                         andi(jb, jl, fcmp(arith::CmpFPredicate::OEQ, s, prevScore),
                                                              cmpi(jb, jl, arith::CmpIPredicate::ugt, j, prevIdx)));
                      // Before the first pick every box qualifies (NaN scores never do).
                      Value ordered = fcmp(arith::CmpFPredicate::ORD, s, s);
                      Value candidate = andi(jb, jl, ordered, arith::OrIOp::create(jb, jl, first, after));
                      if (hasScoreThreshold)
                        candidate = andi(jb, jl, candidate, fcmp(arith::CmpFPredicate::OGT, s, *scoreThreshold));
                      Value better = arith::OrIOp::create(jb, jl, cmpi(jb, jl, arith::CmpIPredicate::eq, bi[0], none),
                                                          fcmp(arith::CmpFPredicate::OGT, s, bi[1]));
                      Value take = andi(jb, jl, candidate, better);
                      return {arith::SelectOp::create(jb, jl, take, j, bi[0]),
                              arith::SelectOp::create(jb, jl, take, s, bi[1])};
                    });
                Value found = cmpi(sb, sl, arith::CmpIPredicate::ne, best[0], none);
                Value selected = arith::SubIOp::create(sb, sl, total, classStart);
                Value room = cmpi(sb, sl, arith::CmpIPredicate::ult, selected, limit);
                ValueRange kept = ifElse(
                    sb, sl, andi(sb, sl, found, room),
                    [&](OpBuilder &tb, Location tl) -> SmallVector<Value> {
                      Box cand = boxAt(tb, tl, batch, best[0]);
                      Value suppressed = loop(
                          tb, tl, selected, {arith::ConstantIntOp::create(tb, tl, 0, 1)},
                          [&](OpBuilder &kb, Location kl, Value r, ValueRange sup) -> SmallVector<Value> {
                            Value row = arith::AddIOp::create(kb, kl, classStart, r);
                            Value keptIdx = toIndex(
                                kb, kl, tensor::ExtractOp::create(kb, kl, out, ValueRange{row, indexConst(kb, kl, 2)}));
                            Value hit = suppresses(kb, kl, boxAt(kb, kl, batch, keptIdx), cand);
                            return {arith::OrIOp::create(kb, kl, sup[0], hit)};
                          })[0];
                      return llvm::to_vector(ifElse(
                          tb, tl, arith::XOrIOp::create(tb, tl, suppressed, arith::ConstantIntOp::create(tb, tl, 1, 1)),
                          [&](OpBuilder &ab, Location al) -> SmallVector<Value> {
                            Value o = out;
                            Value fields[3] = {batch, klass, best[0]};
                            for (int k = 0; k < 3; ++k)
                              o = tensor::InsertOp::create(ab, al, toI64(ab, al, fields[k]), o,
                                                           ValueRange{total, indexConst(ab, al, k)});
                            return {o, addOne(ab, al, total)};
                          },
                          {out, total}));
                    },
                    {out, total});
                // Once nothing is left to pick, the previous pick stays (so the search stays empty).
                return {kept[0], kept[1], arith::SelectOp::create(sb, sl, found, best[1], prevScore),
                        arith::SelectOp::create(sb, sl, found, best[0], prevIdx)};
              });
          return {steps[0], steps[1]};
        });
    SmallVector<OpFoldResult> sizes{outer[1], rewriter.getIndexAttr(3)};
    rewriter.replaceOp(op, leadingSlice(rewriter, loc, resultType, outer[0], sizes));
    return success();
  }
};

} // namespace

void populateDataDependentPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<NonZeroLowering, UniqueLowering, NonMaxSuppressionLowering>(converter, patterns.getContext());
}

} // namespace mcc::lowering
