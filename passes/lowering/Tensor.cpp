//===- Tensor.cpp - onnx shape and data-movement ops -> tensor/linalg -----===//
//
// Shape-changing ops (Flatten, Reshape, Squeeze, Unsqueeze) take their static result shape from shape
// inference, which has already resolved 0, -1, allowzero and axes. Index inputs that are not constants
// (Slice starts, Pad pads, ...) are read at run time with tensor.extract: shapes are static, the values
// are not. Gathers and scatters are lowered in GatherScatter.cpp; ConstantOfShape, Range, OneHot, Trilu
// and EyeLike in Generators.cpp.
//
//===----------------------------------------------------------------------===//
#include "passes/lowering/LoweringUtils.h"
#include "passes/lowering/RuntimeChecks.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
namespace onnxd = mcc::onnx;

namespace mcc::lowering {
namespace {

struct ConstantLowering : OpConversionPattern<onnxd::ConstantOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::ConstantOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto value = dyn_cast<DenseElementsAttr>(op.getValue());
    if (!value)
      return op.emitError("constant is not a dense tensor");
    if (isUnsignedElement(value.getType()))
      value = value.bitcast(getElementTypeOrSelf(lowerType(value.getType())));
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, value);
    return success();
  }
};

template <typename OnnxOp> struct ReshapeLikeLowering : OpConversionPattern<OnnxOp> {
  using OpConversionPattern<OnnxOp>::OpConversionPattern;
  LogicalResult matchAndRewrite(OnnxOp op, typename OnnxOp::Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Value input = adaptor.getOperands()[0];
    auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
    if (tensorType(input).getNumElements() != resultType.getNumElements())
      return op.emitError("cannot reshape ") << tensorType(input) << " to " << resultType;
    if constexpr (std::is_same_v<OnnxOp, onnxd::ReshapeOp>) {
      // The result type came from shape inference, which lets some invalid shapes through.
      if (auto shape = constantInts(op.getShape(), adaptor.getShape())) {
        if (llvm::any_of(*shape, [](int64_t d) { return d < -1; }) || llvm::count(*shape, -1) > 1)
          return op.emitError("shape [") << llvm::make_range(shape->begin(), shape->end())
                                         << "] is invalid: dims must be >= 0, or one of them -1";
      }
    }
    rewriter.replaceOp(op, reshapeTo(rewriter, op.getLoc(), input, resultType));
    return success();
  }
};

struct TransposeLowering : OpConversionPattern<onnxd::TransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::TransposeOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    auto type = tensorType(adaptor.getData());
    SmallVector<int64_t> perm;
    if (auto p = op.getPerm())
      perm.assign(p->begin(), p->end());
    else
      for (int64_t i = type.getRank() - 1; i >= 0; --i)
        perm.push_back(i);
    auto resultType = loweredType(op.getType());
    Value init = tensor::EmptyOp::create(rewriter, op.getLoc(), resultType.getShape(), resultType.getElementType());
    rewriter.replaceOp(
        op, linalg::TransposeOp::create(rewriter, op.getLoc(), adaptor.getData(), init, perm).getResult()[0]);
    return success();
  }
};

struct ConcatLowering : OpConversionPattern<onnxd::ConcatOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::ConcatOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    auto resultType = loweredType(op.getType());
    int64_t rank = resultType.getRank();
    int64_t axis = normalizeAxis(op.getAxis(), rank);
    Value result = tensor::EmptyOp::create(rewriter, loc, resultType.getShape(), resultType.getElementType());
    int64_t offset = 0;
    for (Value in : adaptor.getInputs()) {
      auto t = tensorType(in);
      for (int64_t i = 0; i < rank; ++i)
        if (i != axis && t.getDimSize(i) != resultType.getDimSize(i))
          return op.emitError("input ") << t << " does not fit the concatenation " << resultType;
      if (t.getDimSize(axis) == 0)
        continue;
      SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0)), sizes, strides(rank, rewriter.getIndexAttr(1));
      offsets[axis] = rewriter.getIndexAttr(offset);
      for (int64_t s : t.getShape())
        sizes.push_back(rewriter.getIndexAttr(s));
      result = tensor::InsertSliceOp::create(rewriter, loc, in, result, offsets, sizes, strides);
      offset += t.getDimSize(axis);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// Signed non-negative remainder of index `a` by the positive constant `m`.
Value floorMod(OpBuilder &b, Location loc, Value a, int64_t m) {
  Value mv = indexConst(b, loc, m);
  Value r = arith::RemSIOp::create(b, loc, a, mv);
  Value neg = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, r, indexConst(b, loc, 0));
  return arith::SelectOp::create(b, loc, neg, arith::AddIOp::create(b, loc, r, mv), r);
}

//===----------------------------------------------------------------------===//
// Shape queries and reshapes
//===----------------------------------------------------------------------===//

struct ShapeLowering : OpConversionPattern<onnxd::ShapeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::ShapeOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto in = tensorType(op.getData());
    if (!in.hasStaticShape())
      return op.emitError("the input shape must be static");
    int64_t rank = in.getRank();
    auto clampAxis = [&](int64_t a) { return std::clamp<int64_t>(a < 0 ? a + rank : a, 0, rank); };
    int64_t start = clampAxis((int64_t)op.getStart()), end = clampAxis(op.getEnd() ? (int64_t)*op.getEnd() : rank);
    SmallVector<int64_t> dims;
    for (int64_t i = start; i < end; ++i)
      dims.push_back(in.getDimSize(i));
    auto resultType = loweredType(op.getType());
    if (resultType.getRank() != 1 || resultType.getDimSize(0) != (int64_t)dims.size() ||
        !resultType.getElementType().isInteger(64))
      return op.emitError("result type ") << resultType << " does not hold the " << dims.size() << " dims";
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, DenseElementsAttr::get(resultType, ArrayRef<int64_t>(dims)));
    return success();
  }
};

struct SizeLowering : OpConversionPattern<onnxd::SizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::SizeOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto in = tensorType(op.getData());
    if (!in.hasStaticShape())
      return op.emitError("the input shape must be static");
    auto resultType = loweredType(op.getType());
    if (resultType.getNumElements() != 1 || !resultType.getElementType().isInteger(64))
      return op.emitError("result type ") << resultType << " is not a scalar i64";
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, DenseElementsAttr::get(resultType, in.getNumElements()));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Slicing and splitting
//===----------------------------------------------------------------------===//

struct SliceLowering : OpConversionPattern<onnxd::SliceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::SliceOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    Value data = adaptor.getData();
    auto dataType = tensorType(data);
    auto resultType = loweredType(op.getType());
    int64_t rank = dataType.getRank();
    auto startsType = tensorType(adaptor.getStarts());
    if (startsType.getRank() != 1 || tensorType(adaptor.getEnds()) != startsType)
      return op.emitError("starts and ends must be 1-D tensors of one length");
    int64_t n = startsType.getDimSize(0);
    bool hasAxes = !onnxd::isNoValue(op.getAxes()), hasSteps = !onnxd::isNoValue(op.getSteps());
    if ((hasAxes && tensorType(adaptor.getAxes()).getNumElements() != n) ||
        (hasSteps && tensorType(adaptor.getSteps()).getNumElements() != n))
      return op.emitError("axes and steps must have as many entries as starts");
    if (resultType.getRank() != rank)
      return op.emitError("result rank differs from the data rank");

    std::optional<SmallVector<int64_t>> axes, starts, ends, steps;
    if (hasAxes)
      axes = constantInts(op.getAxes(), adaptor.getAxes());
    else
      axes = llvm::to_vector(llvm::seq<int64_t>(0, n));
    starts = constantInts(op.getStarts(), adaptor.getStarts());
    ends = constantInts(op.getEnds(), adaptor.getEnds());
    steps = hasSteps ? constantInts(op.getSteps(), adaptor.getSteps()) : SmallVector<int64_t>(n, 1);
    if (axes) {
      SmallVector<bool> seen(rank, false);
      for (int64_t &a : *axes) {
        FailureOr<int64_t> n = resolveAxis(op, a, rank);
        if (failed(n))
          return failure();
        a = *n;
        if (seen[a])
          return op.emitError("axis ") << a << " is repeated";
        seen[a] = true;
      }
    }
    if (steps && llvm::is_contained(*steps, 0))
      return op.emitError("steps must not be 0");
    if (axes)
      for (int64_t d = 0; d < rank; ++d)
        if (!llvm::is_contained(*axes, d) && resultType.getDimSize(d) != dataType.getDimSize(d))
          return op.emitError("result dim ") << d << " differs from the data's, which is not sliced";

    if (resultType.getNumElements() == 0) {
      rewriter.replaceOpWithNewOp<tensor::EmptyOp>(op, resultType.getShape(), resultType.getElementType());
      return success();
    }

    // Everything known at compile time: check the size and take a strided slice. (Ends known only at
    // run time take the run-time path below, which checks the size they give.)
    if (axes && starts && steps && ends) {
      SmallVector<int64_t> start(rank, 0), step(rank, 1);
      for (int64_t i = 0; i < n; ++i) {
        int64_t a = (*axes)[i], dim = dataType.getDimSize(a), s = (*starts)[i], st = (*steps)[i];
        s = s < 0 ? s + dim : s;
        start[a] = st > 0 ? std::clamp<int64_t>(s, 0, dim) : std::clamp<int64_t>(s, 0, std::max<int64_t>(dim - 1, 0));
        step[a] = st;
        int64_t e = (*ends)[i];
        e = e < 0 ? e + dim : e;
        e = st > 0 ? std::clamp<int64_t>(e, 0, dim) : std::clamp<int64_t>(e, -1, dim - 1);
        // ceil(span / |step|) without overflow for any step, INT64_MIN included.
        int64_t span = st > 0 ? e - start[a] : start[a] - e;
        uint64_t magnitude = st > 0 ? (uint64_t)st : 0 - (uint64_t)st;
        int64_t size = span > 0 ? (int64_t)((uint64_t)(span - 1) / magnitude) + 1 : 0;
        if (size != resultType.getDimSize(a))
          return op.emitError("slice along axis ")
                 << a << " has " << size << " elements, the result type " << resultType.getDimSize(a);
      }
      if (llvm::all_of(step, [](int64_t s) { return s > 0; })) {
        SmallVector<OpFoldResult> offsets, sizes, strides;
        for (int64_t d = 0; d < rank; ++d) {
          offsets.push_back(rewriter.getIndexAttr(start[d]));
          sizes.push_back(rewriter.getIndexAttr(resultType.getDimSize(d)));
          strides.push_back(rewriter.getIndexAttr(step[d]));
        }
        rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(op, resultType, data, offsets, sizes, strides);
        return success();
      }
      SmallVector<Value> startV, stepV;
      for (int64_t d = 0; d < rank; ++d) {
        startV.push_back(indexConst(rewriter, loc, start[d]));
        stepV.push_back(indexConst(rewriter, loc, step[d]));
      }
      rewriter.replaceOp(op, gatherSlice(rewriter, loc, data, resultType, startV, stepV));
      return success();
    }

    // Starts, ends, steps or axes known only at run time: resolve each dim's start and step there.
    // Values whose slice does not have the compiled result's size (a step of 0, an axis out of range)
    // return MCC_ERR_INVALID_SIZE (MCC_ERR_INDEX_OUT_OF_RANGE for the axis) before anything is read.
    SmallVector<Value> startV, stepV;
    for (int64_t d = 0; d < rank; ++d) {
      startV.push_back(i64Const(rewriter, loc, 0));
      stepV.push_back(i64Const(rewriter, loc, 1));
    }
    if (!axes)
      for (int64_t d = 0; d < rank; ++d)
        if (resultType.getDimSize(d) > dataType.getDimSize(d))
          return op.emitError("result dim ") << d << " is larger than the data's";
    bool startsUnsigned = isUnsignedElement(op.getStarts().getType());
    bool endsUnsigned = isUnsignedElement(op.getEnds().getType());
    auto cmp = [&](arith::CmpIPredicate pred, Value a, Value c) {
      return arith::CmpIOp::create(rewriter, loc, pred, a, c).getResult();
    };
    auto select = [&](Value c, Value a, Value e) {
      return arith::SelectOp::create(rewriter, loc, c, a, e).getResult();
    };
    auto both = [&](Value a, Value c) { return arith::AndIOp::create(rewriter, loc, a, c).getResult(); };
    auto clampTo = [&](Value v, Value lo, Value hi) {
      return arith::MaxSIOp::create(rewriter, loc, arith::MinSIOp::create(rewriter, loc, v, hi), lo).getResult();
    };
    Value sizesOk = arith::ConstantIntOp::create(rewriter, loc, 1, 1);
    Value axesOk = sizesOk;
    SmallVector<Value> covered(rank, arith::ConstantIntOp::create(rewriter, loc, 0, 1)); // run-time axes
    for (int64_t i = 0; i < n; ++i) {
      Value s = toI64(rewriter, loc, extractAt(rewriter, loc, adaptor.getStarts(), {i}), startsUnsigned);
      Value e = toI64(rewriter, loc, extractAt(rewriter, loc, adaptor.getEnds(), {i}), endsUnsigned);
      Value st = hasSteps ? toI64(rewriter, loc, extractAt(rewriter, loc, adaptor.getSteps(), {i}))
                          : i64Const(rewriter, loc, 1);
      Value zero = i64Const(rewriter, loc, 0);
      sizesOk = both(sizesOk, cmp(arith::CmpIPredicate::ne, st, zero));
      Value axis;
      if (!axes) {
        axis = toI64(rewriter, loc, extractAt(rewriter, loc, adaptor.getAxes(), {i}));
        axesOk = both(axesOk, both(cmp(arith::CmpIPredicate::sge, axis, i64Const(rewriter, loc, -rank)),
                                   cmp(arith::CmpIPredicate::slt, axis, i64Const(rewriter, loc, rank))));
        Value neg = cmp(arith::CmpIPredicate::slt, axis, zero);
        axis = select(neg, arith::AddIOp::create(rewriter, loc, axis, i64Const(rewriter, loc, rank)), axis);
      }
      for (int64_t d = 0; d < rank; ++d) {
        if (axes && (*axes)[i] != d)
          continue;
        int64_t dim = dataType.getDimSize(d);
        Value dimV = i64Const(rewriter, loc, dim), one = i64Const(rewriter, loc, 1);
        Value forward = cmp(arith::CmpIPredicate::sgt, st, zero);
        // ONNX's clamping: [0, dim] forward; start into [0, dim - 1] and end into [-1, dim - 1] backward.
        Value sd = select(cmp(arith::CmpIPredicate::slt, s, zero), arith::AddIOp::create(rewriter, loc, s, dimV), s);
        sd = clampTo(sd, zero, select(forward, dimV, i64Const(rewriter, loc, std::max<int64_t>(dim - 1, 0))));
        Value ed = select(cmp(arith::CmpIPredicate::slt, e, zero), arith::AddIOp::create(rewriter, loc, e, dimV), e);
        ed = clampTo(ed, select(forward, zero, i64Const(rewriter, loc, -1)),
                     select(forward, dimV, i64Const(rewriter, loc, dim - 1)));
        // size = ceil(span / |step|) for a positive span, in unsigned arithmetic: |INT64_MIN| fits. A
        // step of 0 divides by 1 here (it fails the check instead of trapping).
        Value span =
            select(forward, arith::SubIOp::create(rewriter, loc, ed, sd), arith::SubIOp::create(rewriter, loc, sd, ed));
        Value magnitude = select(forward, st, arith::SubIOp::create(rewriter, loc, zero, st));
        magnitude = select(cmp(arith::CmpIPredicate::eq, st, zero), one, magnitude);
        Value size = arith::AddIOp::create(
            rewriter, loc,
            arith::DivUIOp::create(rewriter, loc, arith::SubIOp::create(rewriter, loc, span, one), magnitude), one);
        size = select(cmp(arith::CmpIPredicate::sgt, span, zero), size, zero);
        Value sizeOk = cmp(arith::CmpIPredicate::eq, size, i64Const(rewriter, loc, resultType.getDimSize(d)));
        if (axes) {
          sizesOk = both(sizesOk, sizeOk);
          startV[d] = sd;
          stepV[d] = st;
        } else {
          Value hit = cmp(arith::CmpIPredicate::eq, axis, i64Const(rewriter, loc, d));
          covered[d] = arith::OrIOp::create(rewriter, loc, covered[d], hit);
          sizesOk = both(sizesOk, select(hit, sizeOk, arith::ConstantIntOp::create(rewriter, loc, 1, 1)));
          startV[d] = select(hit, sd, startV[d]);
          stepV[d] = select(hit, st, stepV[d]);
        }
      }
    }
    if (!axes) {
      // A dim no axis names is copied whole: the compiled result must have all of it.
      for (int64_t d = 0; d < rank; ++d)
        if (resultType.getDimSize(d) != dataType.getDimSize(d))
          sizesOk = both(sizesOk, covered[d]);
      emitRuntimeCheck(rewriter, loc, axesOk, RuntimeError::IndexOutOfRange, "Slice axis out of range");
    }
    emitRuntimeCheck(rewriter, loc, sizesOk, RuntimeError::InvalidSize,
                     "Slice starts, ends and steps do not give the compiled result shape");
    for (int64_t d = 0; d < rank; ++d) {
      startV[d] = toIndex(rewriter, loc, startV[d]);
      stepV[d] = toIndex(rewriter, loc, stepV[d]);
    }
    rewriter.replaceOp(op, gatherSlice(rewriter, loc, data, resultType, startV, stepV));
    return success();
  }

  /// out[i] = data[start + i * step] per dim.
  static Value gatherSlice(OpBuilder &b, Location loc, Value data, RankedTensorType resultType, ArrayRef<Value> start,
                           ArrayRef<Value> step) {
    auto dataType = tensorType(data);
    return indexedGeneric(b, loc, resultType, {}, {}, [&](OpBuilder &nb, Location l, ArrayRef<Value> ivs, ValueRange) {
      SmallVector<Value> idx;
      for (size_t d = 0; d < ivs.size(); ++d) {
        Value i = arith::AddIOp::create(nb, l, start[d], arith::MulIOp::create(nb, l, ivs[d], step[d]));
        // The size check above rules out reads outside; the clamp keeps that true on its own.
        i = arith::MaxSIOp::create(nb, l, i, indexConst(nb, l, 0));
        i = arith::MinSIOp::create(nb, l, i, indexConst(nb, l, std::max<int64_t>(dataType.getDimSize(d) - 1, 0)));
        idx.push_back(i);
      }
      return tensor::ExtractOp::create(nb, l, data, idx);
    });
  }
};

struct SplitLowering : OpConversionPattern<onnxd::SplitOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::SplitOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inType = tensorType(input);
    int64_t rank = inType.getRank();
    FailureOr<int64_t> resolved = resolveAxis(op, op.getAxis(), rank);
    if (failed(resolved))
      return failure();
    int64_t axis = *resolved;
    // The part sizes are the result types' (shape inference resolved split or the equal parts).
    SmallVector<int64_t> sizes;
    for (Value r : op.getOutputs()) {
      auto t = cast<RankedTensorType>(r.getType());
      if (t.getRank() != rank)
        return op.emitError("output rank differs from the input rank");
      for (int64_t d = 0; d < rank; ++d)
        if (d != axis && t.getDimSize(d) != inType.getDimSize(d))
          return op.emitError("output ") << t << " does not fit the split of " << inType;
      sizes.push_back(t.getDimSize(axis));
    }
    if (!onnxd::isNoValue(op.getSplit()))
      if (auto split = constantInts(op.getSplit(), adaptor.getSplit()); split && *split != ArrayRef(sizes))
        return op.emitError("split sizes do not match the output types");
    int64_t total = 0;
    for (int64_t s : sizes)
      total += s;
    if (total != inType.getDimSize(axis))
      return op.emitError("outputs cover ")
             << total << " of the " << inType.getDimSize(axis) << " entries along axis " << axis;
    SmallVector<Value> results;
    int64_t offset = 0;
    for (auto [i, r] : llvm::enumerate(op.getOutputs())) {
      auto type = loweredType(r.getType());
      if (type.getNumElements() == 0) {
        results.push_back(tensor::EmptyOp::create(rewriter, loc, type.getShape(), type.getElementType()));
        continue;
      }
      SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0)), szs, strides(rank, rewriter.getIndexAttr(1));
      offsets[axis] = rewriter.getIndexAttr(offset);
      for (int64_t s : type.getShape())
        szs.push_back(rewriter.getIndexAttr(s));
      results.push_back(tensor::ExtractSliceOp::create(rewriter, loc, type, input, offsets, szs, strides));
      offset += sizes[i];
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Padding, tiling, broadcasting
//===----------------------------------------------------------------------===//

struct PadLowering : OpConversionPattern<onnxd::PadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::PadOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    Value data = adaptor.getData();
    auto dataType = tensorType(data);
    auto resultType = loweredType(op.getType());
    Type elt = resultType.getElementType();
    int64_t rank = dataType.getRank();
    StringRef mode = op.getMode();
    if (mode != "constant" && mode != "reflect" && mode != "edge")
      return op.emitError("mode '") << mode << "' is not one of constant, reflect, edge";
    if (tensorType(adaptor.getPads()).getNumElements() != 2 * rank)
      return op.emitError("pads must have ") << 2 * rank << " entries for rank " << rank;
    if (resultType.getRank() != rank)
      return op.emitError("result rank differs from the data rank");
    std::optional<SmallVector<int64_t>> pads = constantInts(op.getPads(), adaptor.getPads());
    if (pads)
      for (int64_t d = 0; d < rank; ++d)
        if (dataType.getDimSize(d) + (*pads)[d] + (*pads)[d + rank] != resultType.getDimSize(d))
          return op.emitError("pads do not give the result shape ") << resultType;
    if (mode != "constant")
      for (int64_t d = 0; d < rank; ++d)
        if (dataType.getDimSize(d) == 0 && resultType.getDimSize(d) != 0)
          return op.emitError("mode '") << mode << "' cannot pad an empty dim";
    if (resultType.getNumElements() == 0) {
      rewriter.replaceOpWithNewOp<tensor::EmptyOp>(op, resultType.getShape(), elt);
      return success();
    }

    Value padValue;
    if (mode == "constant") {
      if (!onnxd::isNoValue(op.getConstantValue()) && tensorType(adaptor.getConstantValue()).getNumElements() > 0) {
        if (!(padValue = scalarOf(rewriter, loc, adaptor.getConstantValue())))
          return op.emitError("constant_value must be a scalar");
      } else {
        padValue = zeroOf(rewriter, loc, elt);
      }
    }

    if (pads && mode == "constant" && llvm::all_of(*pads, [](int64_t p) { return p >= 0; })) {
      ArrayRef<int64_t> all(*pads);
      rewriter.replaceOp(op, padTensor(rewriter, loc, data, all.take_front(rank), all.drop_front(rank), padValue));
      return success();
    }

    // out[i] = data[i - pad_begin] per dim, mapped back inside by the mode; negative pads crop.
    SmallVector<Value> begin;
    for (int64_t d = 0; d < rank; ++d)
      begin.push_back(pads ? indexConst(rewriter, loc, (*pads)[d])
                           : toIndex(rewriter, loc, extractAt(rewriter, loc, adaptor.getPads(), {d})));
    Value result = indexedGeneric(
        rewriter, loc, resultType, {}, {}, [&](OpBuilder &b, Location l, ArrayRef<Value> ivs, ValueRange) -> Value {
          SmallVector<Value> src;
          Value inside;
          for (int64_t d = 0; d < rank; ++d) {
            int64_t n = dataType.getDimSize(d);
            Value s = arith::SubIOp::create(b, l, ivs[d], begin[d]);
            Value zero = indexConst(b, l, 0), last = indexConst(b, l, std::max<int64_t>(n - 1, 0));
            if (mode == "reflect" && n > 1) {
              int64_t period = 2 * (n - 1);
              Value m = floorMod(b, l, s, period);
              Value over = arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge, m, indexConst(b, l, n));
              s = arith::SelectOp::create(b, l, over, arith::SubIOp::create(b, l, indexConst(b, l, period), m), m);
            } else {
              if (mode == "constant") {
                Value ge = arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge, s, zero);
                Value lt = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, s, indexConst(b, l, n));
                Value in = arith::AndIOp::create(b, l, ge, lt);
                inside = inside ? arith::AndIOp::create(b, l, inside, in).getResult() : in;
              }
              s = arith::MinSIOp::create(b, l, arith::MaxSIOp::create(b, l, s, zero), last);
            }
            src.push_back(s);
          }
          Value v = tensor::ExtractOp::create(b, l, data, src);
          return inside ? arith::SelectOp::create(b, l, inside, v, padValue).getResult() : v;
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct TileLowering : OpConversionPattern<onnxd::TileOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::TileOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Value input = adaptor.getInput();
    auto inType = tensorType(input);
    auto resultType = loweredType(op.getType());
    int64_t rank = inType.getRank();
    if (resultType.getRank() != rank)
      return op.emitError("result rank differs from the input rank");
    for (int64_t d = 0; d < rank; ++d) {
      int64_t n = inType.getDimSize(d), m = resultType.getDimSize(d);
      if (n == 0 ? m != 0 : m % n != 0)
        return op.emitError("result dim ") << d << " (" << m << ") is not a multiple of the input's (" << n << ")";
    }
    if (auto repeats = constantInts(op.getRepeats(), adaptor.getRepeats()))
      for (int64_t d = 0; d < rank && d < (int64_t)repeats->size(); ++d)
        if (inType.getDimSize(d) * (*repeats)[d] != resultType.getDimSize(d))
          return op.emitError("repeats do not give the result shape ") << resultType;
    if (resultType.getNumElements() == 0) {
      rewriter.replaceOpWithNewOp<tensor::EmptyOp>(op, resultType.getShape(), resultType.getElementType());
      return success();
    }
    Value result = indexedGeneric(
        rewriter, op.getLoc(), resultType, {}, {}, [&](OpBuilder &b, Location l, ArrayRef<Value> ivs, ValueRange) {
          SmallVector<Value> src;
          for (int64_t d = 0; d < rank; ++d)
            src.push_back(
                inType.getDimSize(d) == resultType.getDimSize(d)
                    ? ivs[d]
                    : arith::RemUIOp::create(b, l, ivs[d], indexConst(b, l, inType.getDimSize(d))).getResult());
          return tensor::ExtractOp::create(b, l, input, src);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct ExpandLowering : OpConversionPattern<onnxd::ExpandOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::ExpandOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    auto inType = tensorType(adaptor.getInput());
    auto resultType = loweredType(op.getType());
    SmallVector<int64_t> shape;
    if (!onnxd::broadcastShapes(inType.getShape(), resultType.getShape(), shape) ||
        ArrayRef(shape) != resultType.getShape())
      return op.emitError("input ") << inType << " does not broadcast to " << resultType;
    rewriter.replaceOp(op, elementwise(rewriter, op.getLoc(), resultType, {adaptor.getInput()},
                                       [](OpBuilder &, Location, ValueRange a) { return a[0]; }));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Rearrangements
//===----------------------------------------------------------------------===//

/// Reshape to `expanded`, permute by `perm`, reshape to `resultType`.
Value reshapePermuteReshape(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> expanded, ArrayRef<int64_t> perm,
                            RankedTensorType resultType) {
  Type elt = resultType.getElementType();
  Value x = reshapeTo(b, loc, input, RankedTensorType::get(expanded, elt));
  SmallVector<int64_t> permuted;
  for (int64_t p : perm)
    permuted.push_back(expanded[p]);
  Value init = tensor::EmptyOp::create(b, loc, permuted, elt);
  Value t = linalg::TransposeOp::create(b, loc, x, init, perm).getResult()[0];
  return reshapeTo(b, loc, t, resultType);
}

struct DepthToSpaceLowering : OpConversionPattern<onnxd::DepthToSpaceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::DepthToSpaceOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    auto inType = tensorType(adaptor.getInput());
    auto resultType = loweredType(op.getType());
    int64_t bs = (int64_t)op.getBlocksize();
    if (inType.getRank() != 4 || bs < 1 || inType.getDimSize(1) % (bs * bs) != 0)
      return op.emitError("input must be 4-D with channels divisible by blocksize^2");
    int64_t n = inType.getDimSize(0), c = inType.getDimSize(1) / (bs * bs), h = inType.getDimSize(2),
            w = inType.getDimSize(3);
    if (resultType.getShape() != ArrayRef<int64_t>{n, c, h * bs, w * bs})
      return op.emitError("result type ") << resultType << " does not match";
    StringRef mode = op.getMode();
    Value result;
    if (mode == "DCR")
      result = reshapePermuteReshape(rewriter, op.getLoc(), adaptor.getInput(), {n, bs, bs, c, h, w},
                                     {0, 3, 4, 1, 5, 2}, resultType);
    else if (mode == "CRD")
      result = reshapePermuteReshape(rewriter, op.getLoc(), adaptor.getInput(), {n, c, bs, bs, h, w},
                                     {0, 1, 4, 2, 5, 3}, resultType);
    else
      return op.emitError("mode '") << mode << "' is not DCR or CRD";
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct SpaceToDepthLowering : OpConversionPattern<onnxd::SpaceToDepthOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::SpaceToDepthOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    auto inType = tensorType(adaptor.getInput());
    auto resultType = loweredType(op.getType());
    int64_t bs = (int64_t)op.getBlocksize();
    if (inType.getRank() != 4 || bs < 1 || inType.getDimSize(2) % bs != 0 || inType.getDimSize(3) % bs != 0)
      return op.emitError("input must be 4-D with spatial dims divisible by blocksize");
    int64_t n = inType.getDimSize(0), c = inType.getDimSize(1), h = inType.getDimSize(2) / bs,
            w = inType.getDimSize(3) / bs;
    if (resultType.getShape() != ArrayRef<int64_t>{n, c * bs * bs, h, w})
      return op.emitError("result type ") << resultType << " does not match";
    rewriter.replaceOp(op, reshapePermuteReshape(rewriter, op.getLoc(), adaptor.getInput(), {n, c, h, bs, w, bs},
                                                 {0, 3, 5, 1, 2, 4}, resultType));
    return success();
  }
};

struct ReverseSequenceLowering : OpConversionPattern<onnxd::ReverseSequenceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::ReverseSequenceOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Value input = adaptor.getInput(), lens = adaptor.getSequenceLens();
    auto inType = tensorType(input);
    auto resultType = loweredType(op.getType());
    int64_t rank = inType.getRank(), ba = (int64_t)op.getBatchAxis(), ta = (int64_t)op.getTimeAxis();
    if (rank < 2 || !((ba == 0 && ta == 1) || (ba == 1 && ta == 0)))
      return op.emitError("batch_axis and time_axis must be 0 and 1 in some order, rank 2 or more");
    if (tensorType(lens).getShape() != ArrayRef<int64_t>{inType.getDimSize(ba)})
      return op.emitError("sequence_lens must have one entry per batch entry");
    int64_t steps = inType.getDimSize(ta);
    // A length outside [0, steps] returns MCC_ERR_INVALID_SIZE (ONNX Runtime rejects it); the clamp
    // below keeps even that case inside the tensor.
    if (failed(checkInRange(rewriter, op, op.getSequenceLens(), lens, 0, steps, std::nullopt, RuntimeError::InvalidSize,
                            "sequence_lens value")))
      return failure();
    MLIRContext *ctx = rewriter.getContext();
    AffineMap lensMap = AffineMap::get(rank, 0, {getAffineDimExpr(ba, ctx)}, ctx);
    Value result =
        indexedGeneric(rewriter, op.getLoc(), resultType, {lens}, {lensMap},
                       [&](OpBuilder &b, Location l, ArrayRef<Value> ivs, ValueRange a) {
                         Value len = toIndex(b, l, a[0]);
                         len = arith::MinSIOp::create(b, l, arith::MaxSIOp::create(b, l, len, indexConst(b, l, 0)),
                                                      indexConst(b, l, steps));
                         Value t = ivs[ta];
                         Value rev = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, t, len);
                         Value mirrored =
                             arith::SubIOp::create(b, l, arith::SubIOp::create(b, l, len, indexConst(b, l, 1)), t);
                         SmallVector<Value> src(ivs);
                         src[ta] = arith::SelectOp::create(b, l, rev, mirrored, t);
                         return tensor::ExtractOp::create(b, l, input, src);
                       });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct CompressLowering : OpConversionPattern<onnxd::CompressOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::CompressOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput(), cond = adaptor.getCondition();
    if (!tensorType(input).hasStaticShape() || !tensorType(cond).hasStaticShape())
      return op.emitError("input and condition need static shapes");
    auto resultType = loweredType(op.getType());
    Type elt = resultType.getElementType();
    auto inType = tensorType(input);
    int64_t axis = 0;
    if (std::optional<uint64_t> attr = op.getAxis()) {
      FailureOr<int64_t> resolved = resolveAxis(op, *attr, inType.getRank());
      if (failed(resolved))
        return failure();
      axis = *resolved;
    } else {
      input = reshapeTo(rewriter, loc, input, RankedTensorType::get({inType.getNumElements()}, elt));
      inType = tensorType(input);
    }
    int64_t rank = inType.getRank();
    if (resultType.getRank() != rank)
      return op.emitError("result rank does not match");
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis && resultType.getDimSize(d) != inType.getDimSize(d))
        return op.emitError("result type ") << resultType << " does not match the input outside the axis";
    // The kept count is known at run time only: the result's axis dim is `?` (from the importer).
    bool dynamic = resultType.isDynamicDim(axis);
    auto condType = tensorType(cond);
    if (condType.getRank() != 1)
      return op.emitError("condition must be 1-D");
    int64_t considered = std::min(condType.getDimSize(0), inType.getDimSize(axis));
    int64_t outLen = resultType.getDimSize(axis);

    if (auto c = dynamic ? std::nullopt : constantInts(op.getCondition(), cond)) {
      SmallVector<int64_t> kept;
      for (int64_t i = 0; i < considered; ++i)
        if ((*c)[i])
          kept.push_back(i);
      if ((int64_t)kept.size() != outLen)
        return op.emitError("condition keeps ") << kept.size() << " slices, the result type " << outLen;
      if (resultType.getNumElements() == 0) {
        rewriter.replaceOpWithNewOp<tensor::EmptyOp>(op, resultType.getShape(), elt);
        return success();
      }
      auto tableType = RankedTensorType::get({outLen}, rewriter.getI64Type());
      Value table = arith::ConstantOp::create(rewriter, loc, DenseElementsAttr::get(tableType, ArrayRef(kept)));
      MLIRContext *ctx = rewriter.getContext();
      AffineMap tableMap = AffineMap::get(rank, 0, {getAffineDimExpr(axis, ctx)}, ctx);
      rewriter.replaceOp(op, indexedGeneric(rewriter, loc, resultType, {table}, {tableMap},
                                            [&](OpBuilder &b, Location l, ArrayRef<Value> ivs, ValueRange a) {
                                              SmallVector<Value> src(ivs);
                                              src[axis] = toIndex(b, l, a[0]);
                                              return tensor::ExtractOp::create(b, l, input, src);
                                            }));
      return success();
    }

    // A run-time condition: an scf.for over the condition records the source index of each kept
    // slice, a gather copies the slices into the upper-bound shape (positions past the count read
    // slice 0), and the result is the leading slice of the kept count.
    if (!dynamic)
      return op.emitError("a condition known only at run time needs a result type with a dynamic dim ")
             << axis << ", got " << resultType;
    outLen = std::max<int64_t>(considered, 1);
    SmallVector<int64_t> ubShape(inType.getShape());
    ubShape[axis] = outLen;
    auto ubType = RankedTensorType::get(ubShape, elt);
    auto tableType = RankedTensorType::get({outLen}, rewriter.getIndexType());
    Value table = filledTensor(rewriter, loc, tableType, indexConst(rewriter, loc, 0));
    Value count = indexConst(rewriter, loc, 0);
    if (considered > 0) {
      auto loop = scf::ForOp::create(
          rewriter, loc, indexConst(rewriter, loc, 0), indexConst(rewriter, loc, considered),
          indexConst(rewriter, loc, 1), ValueRange{table, indexConst(rewriter, loc, 0)},
          [&](OpBuilder &b, Location l, Value i, ValueRange iter) {
            Value acc = iter[0], count = iter[1];
            Value c = tensor::ExtractOp::create(b, l, cond, ValueRange{i});
            Value zero = scalarConstant(b, l, c.getType(), 0.0);
            Value take = isa<FloatType>(c.getType())
                             ? arith::CmpFOp::create(b, l, arith::CmpFPredicate::UNE, c, zero).getResult()
                             : arith::CmpIOp::create(b, l, arith::CmpIPredicate::ne, c, zero).getResult();
            auto ifOp = scf::IfOp::create(
                b, l, take,
                [&](OpBuilder &tb, Location tl) {
                  Value next = tensor::InsertOp::create(tb, tl, i, acc, ValueRange{count});
                  Value inc = arith::AddIOp::create(tb, tl, count, indexConst(tb, tl, 1));
                  scf::YieldOp::create(tb, tl, ValueRange{next, inc});
                },
                [&](OpBuilder &eb, Location el) { scf::YieldOp::create(eb, el, ValueRange{acc, count}); });
            scf::YieldOp::create(b, l, ifOp.getResults());
          });
      table = loop.getResult(0);
      count = loop.getResult(1);
    }
    MLIRContext *ctx = rewriter.getContext();
    AffineMap tableMap = AffineMap::get(rank, 0, {getAffineDimExpr(axis, ctx)}, ctx);
    Value ub = considered == 0 ? tensor::EmptyOp::create(rewriter, loc, ubShape, elt).getResult()
                               : indexedGeneric(rewriter, loc, ubType, {table}, {tableMap},
                                                [&](OpBuilder &b, Location l, ArrayRef<Value> ivs, ValueRange a) {
                                                  SmallVector<Value> src(ivs);
                                                  src[axis] = a[0];
                                                  return tensor::ExtractOp::create(b, l, input, src);
                                                });
    SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0)), sizes, strides(rank, rewriter.getIndexAttr(1));
    for (int64_t d = 0; d < rank; ++d)
      sizes.push_back(d == axis ? OpFoldResult(count) : rewriter.getIndexAttr(ubShape[d]));
    rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(op, resultType, ub, offsets, sizes, strides);
    return success();
  }
};

} // namespace

void populateTensorPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<ConstantLowering, ReshapeLikeLowering<onnxd::FlattenOp>, ReshapeLikeLowering<onnxd::ReshapeOp>,
               ReshapeLikeLowering<onnxd::SqueezeOp>, ReshapeLikeLowering<onnxd::UnsqueezeOp>, TransposeLowering,
               ConcatLowering, ShapeLowering, SizeLowering, SliceLowering, SplitLowering, PadLowering, TileLowering,
               ExpandLowering, DepthToSpaceLowering, SpaceToDepthLowering, ReverseSequenceLowering, CompressLowering>(
      converter, patterns.getContext());
}

} // namespace mcc::lowering
