//===- Generators.cpp - onnx ConstantOfShape, Range, OneHot, Trilu, EyeLike -> linalg ===//
//
// Ops that build a tensor from a shape, a range or indices: each is one linalg.generic (or a fill) over
// the static result shape; values that are inputs (Range's start and delta, OneHot's values) are read
// at run time.
//
//===----------------------------------------------------------------------===//
#include "passes/lowering/LoweringUtils.h"
#include "passes/lowering/RuntimeChecks.h"

using namespace mlir;
namespace onnxd = mcc::onnx;

namespace mcc::lowering {
namespace {

//===----------------------------------------------------------------------===//
// Generators
//===----------------------------------------------------------------------===//

struct ConstantOfShapeLowering : OpConversionPattern<onnxd::ConstantOfShapeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::ConstantOfShapeOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    auto resultType = loweredType(op.getType());
    Type elt = resultType.getElementType();
    DenseElementsAttr value;
    if (auto v = op.getValue()) {
      value = dyn_cast<DenseElementsAttr>(*v);
      if (!value || value.getNumElements() != 1)
        return op.emitError("value must be a one-element tensor");
      if (lowerType(value.getElementType()) != elt)
        return op.emitError("value type ") << value.getElementType() << " differs from the result's";
    }
    DenseElementsAttr splat;
    if (!value)
      splat = cast<DenseElementsAttr>(rewriter.getZeroAttr(resultType));
    else if (isa<FloatType>(elt))
      splat = DenseElementsAttr::get(resultType, ArrayRef<APFloat>(*value.getValues<APFloat>().begin()));
    else
      splat = DenseElementsAttr::get(resultType, ArrayRef<APInt>(*value.getValues<APInt>().begin()));
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, splat);
    return success();
  }
};

struct RangeLowering : OpConversionPattern<onnxd::RangeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::RangeOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    auto resultType = loweredType(op.getType());
    Type elt = resultType.getElementType();
    if (resultType.getRank() != 1)
      return op.emitError("result must be 1-D");
    Value start = scalarOf(rewriter, loc, adaptor.getStart()), delta = scalarOf(rewriter, loc, adaptor.getDelta());
    if (!start || !delta || !scalarOf(rewriter, loc, adaptor.getLimit()))
      return op.emitError("start, limit and delta must be scalars");
    if (auto s = constantFloats(op.getStart(), adaptor.getStart()))
      if (auto lim = constantFloats(op.getLimit(), adaptor.getLimit()))
        if (auto d = constantFloats(op.getDelta(), adaptor.getDelta())) {
          int64_t n = std::max<int64_t>(0, (int64_t)std::ceil(((*lim)[0] - (*s)[0]) / (*d)[0]));
          if (n != resultType.getDimSize(0))
            return op.emitError("range has ") << n << " elements, the result type " << resultType.getDimSize(0);
        }
    Value result = indexedGeneric(rewriter, loc, resultType, {}, {},
                                  [&](OpBuilder &b, Location l, ArrayRef<Value> ivs, ValueRange) -> Value {
                                    Value i = arith::IndexCastOp::create(b, l, b.getI64Type(), ivs[0]);
                                    if (isa<FloatType>(elt)) {
                                      Value f = arith::SIToFPOp::create(b, l, elt, i);
                                      return arith::AddFOp::create(b, l, start, arith::MulFOp::create(b, l, f, delta));
                                    }
                                    if (elt.getIntOrFloatBitWidth() != 64)
                                      i = arith::TruncIOp::create(b, l, elt, i);
                                    return arith::AddIOp::create(b, l, start, arith::MulIOp::create(b, l, i, delta));
                                  });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct OneHotLowering : OpConversionPattern<onnxd::OneHotOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::OneHotOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    Value indices = adaptor.getIndices();
    auto indType = tensorType(indices);
    auto resultType = loweredType(op.getType());
    int64_t q = indType.getRank();
    FailureOr<int64_t> resolved = resolveAxis(op, op.getAxis(), q + 1);
    if (failed(resolved))
      return failure();
    int64_t axis = *resolved;
    if (resultType.getRank() != q + 1)
      return op.emitError("result rank must be the indices' rank + 1");
    for (int64_t d = 0, j = 0; d <= q; ++d)
      if (d != axis && resultType.getDimSize(d) != indType.getDimSize(j++))
        return op.emitError("result type ") << resultType << " does not extend the indices' shape";
    int64_t depth = resultType.getDimSize(axis);
    if (auto dv = constantFloats(op.getDepth(), adaptor.getDepth()); dv && (int64_t)(*dv)[0] != depth)
      return op.emitError("depth ") << (int64_t)(*dv)[0] << " differs from the result dim " << depth;
    if (auto dv = constantInts(op.getDepth(), adaptor.getDepth()); dv && (*dv)[0] != depth)
      return op.emitError("depth ") << (*dv)[0] << " differs from the result dim " << depth;
    if (tensorType(adaptor.getValues()).getNumElements() != 2)
      return op.emitError("values must hold [off_value, on_value]");
    if (!constantValue(op.getDepth(), adaptor.getDepth())) {
      // The result was shaped for `depth` at compile time: a run-time depth must be that one.
      Value dv = scalarOf(rewriter, loc, adaptor.getDepth());
      if (!dv)
        return op.emitError("depth must hold one element");
      Value same = isa<FloatType>(dv.getType())
                       ? arith::CmpFOp::create(rewriter, loc, arith::CmpFPredicate::OEQ, dv,
                                               scalarConstant(rewriter, loc, dv.getType(), (double)depth))
                             .getResult()
                       : arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::eq,
                                               toI64(rewriter, loc, dv, isUnsignedElement(op.getDepth().getType())),
                                               i64Const(rewriter, loc, depth))
                             .getResult();
      emitRuntimeCheck(rewriter, loc, same, RuntimeError::InvalidSize, "OneHot depth differs from the compiled one");
    }
    Value off = extractAt(rewriter, loc, adaptor.getValues(), {0});
    Value on = extractAt(rewriter, loc, adaptor.getValues(), {1});
    MLIRContext *ctx = rewriter.getContext();
    SmallVector<AffineExpr> exprs;
    for (int64_t d = 0; d <= q; ++d)
      if (d != axis)
        exprs.push_back(getAffineDimExpr(d, ctx));
    AffineMap indMap = AffineMap::get(q + 1, 0, exprs, ctx);
    Type indElt = indType.getElementType();
    bool uns = isUnsignedElement(op.getIndices().getType());
    // Indices in [-depth, depth) select one position (negative ones count from the end); others none.
    Value result = indexedGeneric(
        rewriter, loc, resultType, {indices}, {indMap},
        [&](OpBuilder &b, Location l, ArrayRef<Value> ivs, ValueRange a) {
          Value hit;
          Value pos = arith::IndexCastOp::create(b, l, b.getI64Type(), ivs[axis]);
          if (isa<FloatType>(indElt)) {
            Value v = a[0];
            Value zero = scalarConstant(b, l, indElt, 0.0), d = scalarConstant(b, l, indElt, (double)depth);
            Value neg = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, v, zero);
            v = arith::SelectOp::create(b, l, neg, arith::AddFOp::create(b, l, v, d), v);
            Value p = arith::SIToFPOp::create(b, l, indElt, pos);
            hit = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ, v, p);
          } else {
            Value v = toI64(b, l, a[0], uns);
            Value neg = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, v, i64Const(b, l, 0));
            v = arith::SelectOp::create(b, l, neg, arith::AddIOp::create(b, l, v, i64Const(b, l, depth)), v);
            hit = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, v, pos);
          }
          return arith::SelectOp::create(b, l, hit, on, off);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct TriluLowering : OpConversionPattern<onnxd::TriluOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::TriluOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto resultType = loweredType(op.getType());
    int64_t rank = resultType.getRank();
    if (rank < 2)
      return op.emitError("input must have rank 2 or more");
    Value k = i64Const(rewriter, loc, 0);
    if (!onnxd::isNoValue(op.getK())) {
      Value kv = scalarOf(rewriter, loc, adaptor.getK());
      if (!kv)
        return op.emitError("k must be a scalar");
      k = toI64(rewriter, loc, kv);
    }
    bool upper = op.getUpper() != 0;
    Value zero = zeroOf(rewriter, loc, resultType.getElementType());
    Value result = elementwise(rewriter, loc, resultType, {input}, [&](OpBuilder &b, Location l, ValueRange a) {
      Value i = linalg::IndexOp::create(b, l, rank - 2), j = linalg::IndexOp::create(b, l, rank - 1);
      Value diff = arith::IndexCastOp::create(b, l, b.getI64Type(), arith::SubIOp::create(b, l, j, i));
      Value keep = arith::CmpIOp::create(b, l, upper ? arith::CmpIPredicate::sge : arith::CmpIPredicate::sle, diff, k);
      return arith::SelectOp::create(b, l, keep, a[0], zero);
    });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct EyeLikeLowering : OpConversionPattern<onnxd::EyeLikeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::EyeLikeOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    auto resultType = loweredType(op.getType());
    if (resultType.getRank() != 2 || resultType.getShape() != tensorType(op.getInput()).getShape())
      return op.emitError("input and result must be 2-D of one shape");
    Type elt = resultType.getElementType();
    int64_t k = (int64_t)op.getK();
    Value result = indexedGeneric(
        rewriter, op.getLoc(), resultType, {}, {}, [&](OpBuilder &b, Location l, ArrayRef<Value> ivs, ValueRange) {
          Value diff = arith::SubIOp::create(b, l, ivs[1], ivs[0]);
          Value on = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, diff, indexConst(b, l, k));
          return arith::SelectOp::create(b, l, on, scalarConstant(b, l, elt, 1.0), zeroOf(b, l, elt));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void populateGeneratorPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<ConstantOfShapeLowering, RangeLowering, OneHotLowering, TriluLowering, EyeLikeLowering>(
      converter, patterns.getContext());
}

} // namespace mcc::lowering
