//===- Quantization.cpp - onnx QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear -> linalg ===//
//
// Arithmetic as ONNX Runtime does it: quantize divides by the scale in f32, rounds half to even, adds
// the zero point and saturates; dequantize subtracts the zero point in i32 and multiplies in f32.
//
//===----------------------------------------------------------------------===//
#include "passes/lowering/NarrowTypes.h"

#include <cmath>

using namespace mlir;
namespace onnxd = mcc::onnx;

namespace mcc::lowering {
namespace {

/// A scale or zero point shaped to broadcast against a tensor of rank `rank`: one element becomes a
/// scalar, a vector of `x`'s size at `axis` becomes [C, 1, ...]. Null when it is neither.
Value quantParamFor(OpBuilder &b, Location loc, Value v, RankedTensorType xType, int64_t axis) {
  auto type = tensorType(v);
  if (type.getNumElements() == 1 && type.getRank() <= 1)
    return reshapeTo(b, loc, v, RankedTensorType::get({}, type.getElementType()));
  if (type.getRank() != 1 || axis < 0 || axis >= xType.getRank() || type.getDimSize(0) != xType.getDimSize(axis))
    return Value();
  SmallVector<int64_t> shape{type.getDimSize(0)};
  shape.append(xType.getRank() - axis - 1, 1);
  return reshapeTo(b, loc, v, RankedTensorType::get(shape, type.getElementType()));
}

/// The f32 value of an integer or float scalar.
Value toF32(OpBuilder &b, Location loc, Value v, bool isUnsigned) {
  Type f32 = b.getF32Type();
  Type t = v.getType();
  if (t == f32)
    return v;
  if (auto ft = dyn_cast<FloatType>(t))
    return ft.getWidth() < 32 ? arith::ExtFOp::create(b, loc, f32, v).getResult()
                              : arith::TruncFOp::create(b, loc, f32, v).getResult();
  return isUnsigned ? arith::UIToFPOp::create(b, loc, f32, v).getResult()
                    : arith::SIToFPOp::create(b, loc, f32, v).getResult();
}

/// An f32 already rounded, saturated into the integer type `elt`.
Value saturateToInt(OpBuilder &b, Location loc, Value v, bool isUnsigned, Type elt) {
  Type f32 = b.getF32Type();
  unsigned width = elt.getIntOrFloatBitWidth();
  double lo = isUnsigned ? 0 : -std::ldexp(1.0, width - 1);
  double hi = isUnsigned ? std::ldexp(1.0, width) - 1 : std::ldexp(1.0, width - 1) - 1;
  v = arith::MaxNumFOp::create(b, loc, v, scalarConstant(b, loc, f32, lo));
  v = arith::MinNumFOp::create(b, loc, v, scalarConstant(b, loc, f32, hi));
  return isUnsigned ? arith::FPToUIOp::create(b, loc, elt, v).getResult()
                    : arith::FPToSIOp::create(b, loc, elt, v).getResult();
}

/// saturate(round_half_even(x / scale) + zp) as an 8-bit integer; `zp` may be null (zero).
Value quantize(OpBuilder &b, Location loc, Value x, Value scale, Value zpF32, bool isUnsigned, Type elt) {
  Value v = math::RoundEvenOp::create(b, loc, arith::DivFOp::create(b, loc, x, scale));
  if (zpF32)
    v = arith::AddFOp::create(b, loc, v, zpF32);
  return saturateToInt(b, loc, v, isUnsigned, elt);
}

/// Per-tensor parameters (rank-0 scale): x as one flat run of elements, so that the loop is one
/// contiguous stream the vectorizer takes whole (a 7- or 14-wide innermost dim would stay scalar).
/// `flat` is then the 1-D type of `resultType`; with per-axis parameters nothing changes.
Value flattenForPerTensor(OpBuilder &b, Location loc, Value x, Value scale, RankedTensorType &resultType) {
  auto xType = tensorType(x);
  if (tensorType(scale).getRank() != 0 || xType.getRank() <= 1)
    return x;
  resultType = RankedTensorType::get({xType.getNumElements()}, resultType.getElementType());
  return reshapeTo(b, loc, x, RankedTensorType::get({xType.getNumElements()}, xType.getElementType()));
}

struct QuantizeLinearLowering : OpConversionPattern<onnxd::QuantizeLinearOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::QuantizeLinearOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    auto xType = tensorType(adaptor.getX());
    auto resultType = loweredType(op.getType());
    Type elt = resultType.getElementType();
    bool float8 = isNarrowFloat(elt);
    if (!elt.isInteger(8) && !elt.isInteger(4) && !elt.isInteger(2) && !float8)
      return op.emitError("result element type must be an 8-, 4- or 2-bit integer, float8 or float4, got ")
             << op.getType();
    Type xElt = xType.getElementType();
    if (!isa<FloatType>(xElt) && !xElt.isInteger(32))
      return op.emitError("x must be float or int32");
    if (!tensorType(adaptor.getYScale()).getElementType().isF32())
      return op.emitError("y_scale must be float32");
    int64_t axis = normalizeAxis(op.getAxis(), xType.getRank());
    Value scale = quantParamFor(rewriter, loc, adaptor.getYScale(), xType, axis);
    if (!scale)
      return op.emitError("y_scale must be a scalar or a vector of the size of x's axis ") << op.getAxis();
    SmallVector<Value> ins{adaptor.getX(), scale};
    bool zpUnsigned = isUnsignedElement(op.getType());
    if (!onnxd::isNoValue(op.getYZeroPoint())) {
      Value zp = quantParamFor(rewriter, loc, adaptor.getYZeroPoint(), xType, axis);
      if (!zp || tensorType(zp).getShape() != tensorType(scale).getShape())
        return op.emitError("y_zero_point must have the shape of y_scale");
      ins.push_back(zp);
    }
    bool xUnsigned = isUnsignedElement(op.getX().getType());
    const bool saturate = true; // saturate = 0 is rejected at import
    auto loopType = resultType;
    ins[0] = flattenForPerTensor(rewriter, loc, ins[0], scale, loopType);
    Value y = elementwise(rewriter, loc, loopType, ins, [&](OpBuilder &b, Location l, ValueRange a) -> Value {
      if (float8) { // x / scale + zp, rounded once into the float8 type (the zero point is 0 by the spec)
        Value v = arith::DivFOp::create(b, l, toF32(b, l, a[0], xUnsigned), a[1]);
        if (a.size() > 2)
          v = arith::AddFOp::create(b, l, v, float8ToF32(b, l, a[2]));
        return f32ToFloat8(b, l, v, elt, saturate);
      }
      Value zp = a.size() > 2 ? toF32(b, l, a[2], zpUnsigned) : Value();
      return quantize(b, l, toF32(b, l, a[0], xUnsigned), a[1], zp, zpUnsigned, elt);
    });
    rewriter.replaceOp(op, loopType == resultType ? y : reshapeTo(rewriter, loc, y, resultType));
    return success();
  }
};

struct DequantizeLinearLowering : OpConversionPattern<onnxd::DequantizeLinearOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::DequantizeLinearOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    auto xType = tensorType(adaptor.getX());
    auto resultType = loweredType(op.getType());
    Type elt = resultType.getElementType();
    Type xElt = xType.getElementType();
    bool float8 = isNarrowFloat(xElt);
    if (!xElt.isInteger(8) && !xElt.isInteger(4) && !xElt.isInteger(2) && !xElt.isInteger(32) && !float8)
      return op.emitError("x must be an 8-, 4- or 2-bit integer, int32, float8 or float4");
    Type scaleElt = tensorType(adaptor.getXScale()).getElementType();
    bool halfScale = float8 && elt.isF16() && scaleElt.isF16(); // computed in f32, rounded once
    if (!halfScale && (!elt.isF32() || !scaleElt.isF32()))
      return op.emitError("x_scale and y must be float32") << (float8 ? " (or both float16)" : "");
    int64_t axis = normalizeAxis(op.getAxis(), xType.getRank());
    Value scale = quantParamFor(rewriter, loc, adaptor.getXScale(), xType, axis);
    if (!scale)
      return op.emitError("x_scale must be a scalar or a vector of the size of x's axis ") << op.getAxis();
    SmallVector<Value> ins{adaptor.getX(), scale};
    if (!onnxd::isNoValue(op.getXZeroPoint())) {
      Value zp = quantParamFor(rewriter, loc, adaptor.getXZeroPoint(), xType, axis);
      if (!zp || tensorType(zp).getShape() != tensorType(scale).getShape())
        return op.emitError("x_zero_point must have the shape of x_scale");
      ins.push_back(zp);
    }
    bool xUnsigned = isUnsignedElement(op.getX().getType());
    Type i32 = rewriter.getI32Type();
    auto loopType = resultType;
    ins[0] = flattenForPerTensor(rewriter, loc, ins[0], scale, loopType);
    Value y = elementwise(rewriter, loc, loopType, ins, [&](OpBuilder &b, Location l, ValueRange a) -> Value {
      auto widen = [&](Value v) -> Value {
        if (v.getType() == i32)
          return v;
        return xUnsigned ? arith::ExtUIOp::create(b, l, i32, v).getResult()
                         : arith::ExtSIOp::create(b, l, i32, v).getResult();
      };
      if (float8) {
        Value v = float8ToF32(b, l, a[0]);
        if (a.size() > 2)
          v = arith::SubFOp::create(b, l, v, float8ToF32(b, l, a[2]));
        if (!halfScale)
          return arith::MulFOp::create(b, l, v, a[1]);
        Value scale = arith::ExtFOp::create(b, l, b.getF32Type(), a[1]);
        return arith::TruncFOp::create(b, l, elt, arith::MulFOp::create(b, l, v, scale));
      }
      Value v = widen(a[0]);
      if (a.size() > 2)
        v = arith::SubIOp::create(b, l, v, widen(a[2]));
      return arith::MulFOp::create(b, l, arith::SIToFPOp::create(b, l, elt, v), a[1]);
    });
    rewriter.replaceOp(op, loopType == resultType ? y : reshapeTo(rewriter, loc, y, resultType));
    return success();
  }
};

/// uint8 quantization whose range [min(x, 0), max(x, 0)] maps onto [0, 255].
struct DynamicQuantizeLinearLowering : OpConversionPattern<onnxd::DynamicQuantizeLinearOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::DynamicQuantizeLinearOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    auto xType = tensorType(adaptor.getX());
    Type f32 = rewriter.getF32Type();
    if (xType.getElementType() != f32)
      return op.emitError("x must be float32");
    auto yType = loweredType(op.getY().getType());
    auto scaleType = loweredType(op.getYScale().getType());
    auto zpType = loweredType(op.getYZeroPoint().getType());
    if (!isUnsignedElement(op.getY().getType()) || !yType.getElementType().isInteger(8) ||
        scaleType.getNumElements() != 1 || zpType.getNumElements() != 1)
      return op.emitError("expects a uint8 y and scalar y_scale and y_zero_point");
    Type u8 = yType.getElementType();

    // min(x, 0) and max(x, 0) in one reduction (NaNs ignored).
    int64_t rank = xType.getRank();
    auto scalarType = RankedTensorType::get({}, f32);
    Value zero = scalarConstant(rewriter, loc, f32, 0);
    SmallVector<AffineMap> maps{rewriter.getMultiDimIdentityMap(rank), AffineMap::get(rank, 0, {}, ctx),
                                AffineMap::get(rank, 0, {}, ctx)};
    auto range = linalg::GenericOp::create(
        rewriter, loc, TypeRange{scalarType, scalarType}, ValueRange{adaptor.getX()},
        ValueRange{filledTensor(rewriter, loc, scalarType, zero), filledTensor(rewriter, loc, scalarType, zero)}, maps,
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::reduction),
        [](OpBuilder &b, Location l, ValueRange a) {
          linalg::YieldOp::create(b, l,
                                  ValueRange{arith::MinNumFOp::create(b, l, a[1], a[0]).getResult(),
                                             arith::MaxNumFOp::create(b, l, a[2], a[0]).getResult()});
        });
    // scale = (max - min) / 255 (1 when the range is empty, as ONNX Runtime);
    // zp = round_half_even(clamp(0 - min / scale, 0, 255)).
    auto params = linalg::GenericOp::create(
        rewriter, loc, TypeRange{scalarType, RankedTensorType::get({}, u8)},
        ValueRange{range.getResult(0), range.getResult(1)},
        ValueRange{tensor::EmptyOp::create(rewriter, loc, ArrayRef<int64_t>{}, f32),
                   tensor::EmptyOp::create(rewriter, loc, ArrayRef<int64_t>{}, u8)},
        SmallVector<AffineMap>(4, AffineMap::get(0, 0, {}, ctx)), SmallVector<utils::IteratorType>{},
        [&](OpBuilder &b, Location l, ValueRange a) {
          Value lo = a[0], hi = a[1];
          Value scale =
              arith::DivFOp::create(b, l, arith::SubFOp::create(b, l, hi, lo), scalarConstant(b, l, f32, 255));
          Value empty = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ, hi, lo);
          scale = arith::SelectOp::create(b, l, empty, scalarConstant(b, l, f32, 1), scale);
          Value zp = arith::NegFOp::create(b, l, arith::DivFOp::create(b, l, lo, scale));
          zp = arith::MinNumFOp::create(b, l, arith::MaxNumFOp::create(b, l, zp, scalarConstant(b, l, f32, 0)),
                                        scalarConstant(b, l, f32, 255));
          zp = math::RoundEvenOp::create(b, l, zp);
          linalg::YieldOp::create(b, l, ValueRange{scale, arith::FPToUIOp::create(b, l, u8, zp).getResult()});
        });
    Value scale = params.getResult(0), zp = params.getResult(1);
    Value y = elementwise(rewriter, loc, yType, {adaptor.getX(), scale, zp},
                          [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                            return quantize(b, l, a[0], a[1], toF32(b, l, a[2], true), true, u8);
                          });
    rewriter.replaceOp(op, {y, reshapeTo(rewriter, loc, scale, scaleType), reshapeTo(rewriter, loc, zp, zpType)});
    return success();
  }
};

} // namespace

Value requantize(OpBuilder &b, Location loc, Value acc, Value multiplier, Value zp, bool zpUnsigned, Type elt) {
  Type f32 = b.getF32Type();
  Value v = arith::SIToFPOp::create(b, loc, f32, acc);
  v = math::RoundEvenOp::create(b, loc, arith::MulFOp::create(b, loc, v, multiplier));
  v = arith::AddFOp::create(b, loc, v, toF32(b, loc, zp, zpUnsigned));
  return saturateToInt(b, loc, v, zpUnsigned, elt);
}

Value requantizeAccumulators(OpBuilder &b, Location loc, RankedTensorType resultType, Value acc, Value aScale,
                             Value bScale, Value yScale, Value yZeroPoint, bool zpUnsigned) {
  SmallVector<int64_t> multShape;
  bool ok = onnx::broadcastShapes(tensorType(aScale).getShape(), tensorType(bScale).getShape(), multShape);
  assert(ok && "the caller checks that the scales broadcast");
  (void)ok;
  auto multType = RankedTensorType::get(multShape, b.getF32Type());
  Value mult = elementwise(b, loc, multType, {aScale, bScale, yScale}, [](OpBuilder &nb, Location l, ValueRange a) {
    return arith::DivFOp::create(nb, l, arith::MulFOp::create(nb, l, a[0], a[1]), a[2]).getResult();
  });
  Type elt = resultType.getElementType();
  return elementwise(b, loc, resultType, {acc, mult, yZeroPoint}, [&](OpBuilder &nb, Location l, ValueRange a) {
    return requantize(nb, l, a[0], a[1], a[2], zpUnsigned, elt);
  });
}

void populateQuantizationPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<QuantizeLinearLowering, DequantizeLinearLowering, DynamicQuantizeLinearLowering>(converter,
                                                                                                patterns.getContext());
}

} // namespace mcc::lowering
