//===- NarrowTypes.cpp - float8/float4/int4/int2 conversions, Cast/CastLike ===//
//
// A float8 or float4 value is decoded by placing its exponent and mantissa bits into an f32 (subnormals
// by one exact multiplication); an f32 is encoded by rounding its mantissa bits to nearest even with the
// carry running into the exponent (normal range), or by rounding its scaled magnitude to an integer
// (subnormal range). Overflow, NaN and the sign of zero follow each format (see NarrowTypes.h). The 4- and
// 2-bit integers are LLVM's i4/i2: the conversions from float are the reference's (ml_dtypes).
//
//===----------------------------------------------------------------------===//
#include "passes/lowering/NarrowTypes.h"

#include <cmath>
#include <cstring>

using namespace mlir;
namespace onnxd = mcc::onnx;

namespace mcc::lowering {
namespace {

/// The layout of one float8 or float4 format.
struct Float8Format {
  unsigned bits; ///< 8 or 4
  unsigned mantissaBits;
  int bias;
  bool unsignedZero;     ///< FNUZ: no -0, 0x80 is the only NaN, no infinity
  bool hasInfinity;      ///< E5M2: IEEE-style infinities and NaNs in the top exponent
  uint32_t maxFinite;    ///< the code of the largest finite value
  uint32_t overflowCode; ///< what a value past it becomes without saturation (before the sign)
  uint32_t nanCode;
};

std::optional<Float8Format> formatOf(Type t) {
  if (isa<Float8E4M3FNType>(t))
    return Float8Format{8, 3, 7, false, false, 0x7E, 0x7F, 0x7F};
  if (isa<Float8E4M3FNUZType>(t))
    return Float8Format{8, 3, 8, true, false, 0x7F, 0x80, 0x80};
  if (isa<Float8E5M2Type>(t))
    return Float8Format{8, 2, 15, false, true, 0x7B, 0x7C, 0x7E};
  if (isa<Float8E5M2FNUZType>(t))
    return Float8Format{8, 2, 16, true, false, 0x7F, 0x80, 0x80};
  // E2M1: no infinity and no NaN; conversions always saturate and NaN becomes 0, as the reference does.
  if (isa<Float4E2M1FNType>(t))
    return Float8Format{4, 1, 1, false, false, 0x7, 0x7, 0x0};
  return std::nullopt;
}

Value i32Const(OpBuilder &b, Location l, int64_t v) { return scalarConstant(b, l, b.getI32Type(), (double)v); }
Value f32Const(OpBuilder &b, Location l, double v) { return scalarConstant(b, l, b.getF32Type(), v); }
Value ucmp(OpBuilder &b, Location l, arith::CmpIPredicate p, Value x, Value y) {
  return arith::CmpIOp::create(b, l, p, x, y);
}
Value select(OpBuilder &b, Location l, Value c, Value x, Value y) { return arith::SelectOp::create(b, l, c, x, y); }

/// The f32 bit pattern of the code `code` (exponent and mantissa fields, no sign) of `f`.
uint32_t f32BitsOf(const Float8Format &f, uint32_t code) {
  uint32_t e = code >> f.mantissaBits, m = code & ((1u << f.mantissaBits) - 1);
  double v = e == 0 ? std::ldexp((double)m, 1 - f.bias - (int)f.mantissaBits)
                    : std::ldexp((double)((1u << f.mantissaBits) | m), (int)e - f.bias - (int)f.mantissaBits);
  float fv = (float)v;
  uint32_t bits;
  std::memcpy(&bits, &fv, 4);
  return bits;
}

/// A scalar of float, integer or bool type as f32 (`isUnsigned` for unsigned integers and bool).
Value scalarToF32(OpBuilder &b, Location l, Value v, bool isUnsigned) {
  Type t = v.getType(), f32 = b.getF32Type();
  if (t.isF32())
    return v;
  if (isNarrowFloat(t))
    return float8ToF32(b, l, v);
  if (t.isBF16()) {
    Value wide = arith::ExtUIOp::create(b, l, b.getI32Type(), arith::BitcastOp::create(b, l, b.getI16Type(), v));
    return arith::BitcastOp::create(b, l, f32, arith::ShLIOp::create(b, l, wide, i32Const(b, l, 16)));
  }
  if (t.isF16())
    return arith::ExtFOp::create(b, l, f32, v);
  if (t.isF64()) // one more rounding than a direct conversion: the ONNX reference also goes through f32
    return arith::TruncFOp::create(b, l, f32, v);
  if (isUnsigned || t.isInteger(1))
    return arith::UIToFPOp::create(b, l, f32, v);
  return arith::SIToFPOp::create(b, l, f32, v);
}

/// The f32 `v`, exactly a float8 value, as the type `to` (onnx element type; integers signless).
Value f32ToScalar(OpBuilder &b, Location l, Value v, Type to) {
  if (to.isF32())
    return v;
  if (isOnnxFloat8(to))
    return v;        // handled by the caller
  if (to.isBF16()) { // exact: a float8 mantissa has at most 3 bits
    Value bits = arith::BitcastOp::create(b, l, b.getI32Type(), v);
    Value high = arith::ShRUIOp::create(b, l, bits, i32Const(b, l, 16));
    return arith::BitcastOp::create(b, l, to, arith::TruncIOp::create(b, l, b.getI16Type(), high));
  }
  if (to.isF16())
    return arith::TruncFOp::create(b, l, to, v);
  if (to.isF64())
    return arith::ExtFOp::create(b, l, to, v);
  if (to.isInteger(1))
    return arith::CmpFOp::create(b, l, arith::CmpFPredicate::UNE, v, f32Const(b, l, 0)); // NaN is true
  Type dst = lowerType(to);
  return to.isUnsignedInteger() ? arith::FPToUIOp::create(b, l, dst, v).getResult()
                                : arith::FPToSIOp::create(b, l, dst, v).getResult();
}

bool castable(Type t) {
  if (isNarrowFloat(t) || t.isF16() || t.isBF16() || t.isF32() || t.isF64())
    return true;
  auto it = dyn_cast<IntegerType>(t);
  return it && llvm::is_contained({1u, 2u, 4u, 8u, 16u, 32u, 64u}, it.getWidth());
}

bool isNarrowInt(Type t) { return t.isInteger(4) || t.isInteger(2); }
bool isWideInt(Type t) { return isa<IntegerType>(t) && !t.isInteger(1); }

/// An f32 as the 4- or 2-bit integer `to` as the reference converts: truncated toward zero, and 0 when
/// that is out of range (NaN and infinities included).
Value f32ToNarrowInt(OpBuilder &b, Location l, Value v, Type to) {
  unsigned w = to.getIntOrFloatBitWidth();
  bool isUnsigned = to.isUnsignedInteger();
  double lo = isUnsigned ? 0 : -std::ldexp(1.0, w - 1),
         hi = isUnsigned ? std::ldexp(1.0, w) - 1 : std::ldexp(1.0, w - 1) - 1;
  Value above = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, v, f32Const(b, l, lo - 1));
  Value below = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, v, f32Const(b, l, hi + 1));
  Value safe = select(b, l, arith::AndIOp::create(b, l, above, below), v, f32Const(b, l, 0));
  Type i32 = b.getI32Type();
  Value i = isUnsigned ? arith::FPToUIOp::create(b, l, i32, safe).getResult()
                       : arith::FPToSIOp::create(b, l, i32, safe).getResult();
  return arith::TruncIOp::create(b, l, lowerType(to), i);
}

/// Integer to integer: sign- or zero-extended by the source's signedness, or wrapped.
Value intToInt(OpBuilder &b, Location l, Value v, Type from, Type to) {
  unsigned have = from.getIntOrFloatBitWidth(), want = to.getIntOrFloatBitWidth();
  Type dst = lowerType(to);
  if (have < want)
    return from.isUnsignedInteger() ? arith::ExtUIOp::create(b, l, dst, v).getResult()
                                    : arith::ExtSIOp::create(b, l, dst, v).getResult();
  if (have > want)
    return arith::TruncIOp::create(b, l, dst, v);
  return v;
}

/// Cast and CastLike with a float8, float4, 4-bit or 2-bit type on either side; tried before the general
/// Cast lowering.
template <typename OnnxOp> struct Float8CastLowering : OpConversionPattern<OnnxOp> {
  Float8CastLowering(const TypeConverter &converter, MLIRContext *ctx)
      : OpConversionPattern<OnnxOp>(converter, ctx, /*benefit=*/2) {}

  LogicalResult matchAndRewrite(OnnxOp op, typename OnnxOp::Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Type from = getElementTypeOrSelf(op.getInput().getType());
    Type to = getElementTypeOrSelf(op.getType());
    if (!isNarrowType(from) && !isNarrowType(to))
      return failure();
    if (failed(requireStaticShapes(op)))
      return failure();
    if (!castable(from) || !castable(to))
      return op.emitError("cast from ") << from << " to " << to << " is not supported";
    if (from == to) {
      rewriter.replaceOp(op, adaptor.getInput());
      return success();
    }
    bool saturate = op.getSaturate().value_or(1) != 0;
    bool fromUnsigned = from.isUnsignedInteger();
    Value r = elementwise(rewriter, op.getLoc(), loweredType(op.getType()), {adaptor.getInput()},
                          [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                            if (isWideInt(from) && isWideInt(to))
                              return intToInt(b, l, a[0], from, to);
                            Value v = scalarToF32(b, l, a[0], fromUnsigned);
                            if (isNarrowFloat(to))
                              return f32ToFloat8(b, l, v, to, saturate);
                            if (isNarrowInt(to))
                              return f32ToNarrowInt(b, l, v, to);
                            return f32ToScalar(b, l, v, to);
                          });
    rewriter.replaceOp(op, r);
    return success();
  }
};

} // namespace

bool isOnnxFloat8(Type t) { return formatOf(t).has_value() && t.getIntOrFloatBitWidth() == 8; }
bool isNarrowFloat(Type t) { return formatOf(t).has_value(); }
bool isNarrowType(Type t) { return isNarrowFloat(t) || isNarrowInt(t); }

Value float8ToF32(OpBuilder &b, Location l, Value v) {
  Float8Format f = *formatOf(v.getType());
  Type i32 = b.getI32Type(), f32 = b.getF32Type();
  unsigned m = f.mantissaBits;
  Value code = arith::ExtUIOp::create(b, l, i32, arith::BitcastOp::create(b, l, b.getIntegerType(f.bits), v));
  Value mag = arith::AndIOp::create(b, l, code, i32Const(b, l, (1 << (f.bits - 1)) - 1));
  Value sign =
      arith::ShLIOp::create(b, l, arith::ShRUIOp::create(b, l, code, i32Const(b, l, f.bits - 1)), i32Const(b, l, 31));
  // Normal: the fields shifted into place, the exponent rebiased. Subnormal: mantissa * 2^(1-bias-m).
  Value normal = arith::AddIOp::create(b, l, arith::ShLIOp::create(b, l, mag, i32Const(b, l, 23 - m)),
                                       i32Const(b, l, (int64_t)(127 - f.bias) << 23));
  Value mantissa = arith::AndIOp::create(b, l, mag, i32Const(b, l, (1 << m) - 1));
  Value sub = arith::MulFOp::create(b, l, arith::UIToFPOp::create(b, l, f32, mantissa),
                                    f32Const(b, l, std::ldexp(1.0, 1 - f.bias - (int)m)));
  Value isSub = ucmp(b, l, arith::CmpIPredicate::ult, mag, i32Const(b, l, 1 << m));
  Value bits = select(b, l, isSub, arith::BitcastOp::create(b, l, i32, sub), normal);
  Value topExponent = i32Const(b, l, 0x7F & ~((1 << m) - 1));
  if (f.hasInfinity) {
    Value top = ucmp(b, l, arith::CmpIPredicate::uge, mag, topExponent);
    Value inf = ucmp(b, l, arith::CmpIPredicate::eq, mag, topExponent);
    bits = select(b, l, top, select(b, l, inf, i32Const(b, l, 0x7F800000), i32Const(b, l, 0x7FC00000)), bits);
  } else if (!f.unsignedZero && f.bits == 8) {
    Value nan = ucmp(b, l, arith::CmpIPredicate::eq, mag, i32Const(b, l, 0x7F));
    bits = select(b, l, nan, i32Const(b, l, 0x7FC00000), bits);
  } else if (f.unsignedZero) {
    Value nan = ucmp(b, l, arith::CmpIPredicate::eq, code, i32Const(b, l, 0x80));
    bits = select(b, l, nan, i32Const(b, l, 0x7FC00000), bits);
  }
  return arith::BitcastOp::create(b, l, f32, arith::OrIOp::create(b, l, bits, sign));
}

Value f32ToFloat8(OpBuilder &b, Location l, Value v, Type to, bool saturate) {
  Float8Format f = *formatOf(to);
  Type i32 = b.getI32Type(), f32 = b.getF32Type();
  unsigned m = f.mantissaBits, shift = 23 - m;
  Value bits = arith::BitcastOp::create(b, l, i32, v);
  if (f.bits == 4)
    saturate = true;
  Value sign =
      arith::ShLIOp::create(b, l, arith::ShRUIOp::create(b, l, bits, i32Const(b, l, 31)), i32Const(b, l, f.bits - 1));
  Value mag = arith::AndIOp::create(b, l, bits, i32Const(b, l, 0x7FFFFFFF));
  Value isNaN = ucmp(b, l, arith::CmpIPredicate::ugt, mag, i32Const(b, l, 0x7F800000));
  // Saturation clamps the magnitude first (infinities too), as the reference clips before converting.
  if (saturate)
    mag = arith::MinUIOp::create(b, l, mag, i32Const(b, l, f32BitsOf(f, f.maxFinite)));
  // Normal range: round the mantissa to m bits, nearest even; a carry moves into the exponent.
  Value lsb = arith::AndIOp::create(b, l, arith::ShRUIOp::create(b, l, mag, i32Const(b, l, shift)), i32Const(b, l, 1));
  Value rounded =
      arith::AddIOp::create(b, l, mag, arith::AddIOp::create(b, l, lsb, i32Const(b, l, (1 << (shift - 1)) - 1)));
  Value normal = arith::SubIOp::create(b, l, arith::ShRUIOp::create(b, l, rounded, i32Const(b, l, shift)),
                                       i32Const(b, l, (int64_t)(127 - f.bias) << m));
  // Subnormal range: the magnitude in units of the smallest subnormal, rounded to nearest even (a result of
  // 2^m is the smallest normal's code, as it should be).
  Value absValue = arith::BitcastOp::create(b, l, f32, mag);
  Value scaled = arith::MulFOp::create(b, l, absValue, f32Const(b, l, std::ldexp(1.0, f.bias - 1 + (int)m)));
  scaled = arith::MinimumFOp::create(b, l, scaled, f32Const(b, l, (double)(1 << (m + 1))));
  Value sub = arith::FPToUIOp::create(b, l, i32, math::RoundEvenOp::create(b, l, scaled));
  Value isNormal = ucmp(b, l, arith::CmpIPredicate::uge, mag, i32Const(b, l, (int64_t)(128 - f.bias) << 23));
  Value code = select(b, l, isNormal, normal, sub);
  Value result = arith::OrIOp::create(b, l, code, sign);
  if (f.unsignedZero) // FNUZ has no -0
    result = select(b, l, ucmp(b, l, arith::CmpIPredicate::eq, code, i32Const(b, l, 0)), code, result);
  if (!saturate) {
    Value over = ucmp(b, l, arith::CmpIPredicate::ugt, code, i32Const(b, l, f.maxFinite));
    Value overflow = f.unsignedZero ? i32Const(b, l, f.overflowCode)
                                    : arith::OrIOp::create(b, l, i32Const(b, l, f.overflowCode), sign).getResult();
    result = select(b, l, over, overflow, result);
  }
  result = select(b, l, isNaN, i32Const(b, l, f.nanCode), result);
  Value byte = arith::TruncIOp::create(b, l, b.getIntegerType(f.bits), result);
  return arith::BitcastOp::create(b, l, to, byte);
}

void populateNarrowTypePatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<Float8CastLowering<onnxd::CastOp>, Float8CastLowering<onnxd::CastLikeOp>>(converter,
                                                                                         patterns.getContext());
}

} // namespace mcc::lowering
