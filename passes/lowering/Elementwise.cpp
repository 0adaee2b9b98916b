//===- Elementwise.cpp - onnx elementwise ops -> linalg.generic -----------===//
//
// Every elementwise op is one all-parallel linalg.generic (numpy broadcasting of all its inputs)
// whose body computes one element. The scalar semantics of each op are the small functions at the
// end of this file, registered in populateElementwisePatterns with the element kinds they accept.
//
// f16 and bf16 compute in f32 (exact for + - * / sqrt, one rounding for the rest): libm and the
// LLVM math intrinsics have no half-precision forms. bf16 <-> f32 is done on the bits, as libgcc
// has no bf16 conversion helpers.
//
//===----------------------------------------------------------------------===//
#include "passes/lowering/LoweringUtils.h"
#include "passes/lowering/Random.h"

#include <cmath>

using namespace mlir;
namespace onnxd = mcc::onnx;

namespace mcc::lowering {
namespace {

//===----------------------------------------------------------------------===//
// Scalar helpers
//===----------------------------------------------------------------------===//

Value cst(OpBuilder &b, Location l, Type t, double v) { return scalarConstant(b, l, t, v); }
Value select(OpBuilder &b, Location l, Value c, Value x, Value y) { return arith::SelectOp::create(b, l, c, x, y); }
Value fcmp(OpBuilder &b, Location l, arith::CmpFPredicate p, Value x, Value y) {
  return arith::CmpFOp::create(b, l, p, x, y);
}
Value icmp(OpBuilder &b, Location l, arith::CmpIPredicate p, Value x, Value y) {
  return arith::CmpIOp::create(b, l, p, x, y);
}
Value isNaN(OpBuilder &b, Location l, Value x) { return fcmp(b, l, arith::CmpFPredicate::UNO, x, x); }

bool isSmallFloat(Type t) { return t.isF16() || t.isBF16(); }

Value bf16ToF32(OpBuilder &b, Location l, Value v) {
  Value bits = arith::BitcastOp::create(b, l, b.getI16Type(), v);
  Value wide = arith::ExtUIOp::create(b, l, b.getI32Type(), bits);
  Value shifted = arith::ShLIOp::create(b, l, wide, cst(b, l, b.getI32Type(), 16));
  return arith::BitcastOp::create(b, l, b.getF32Type(), shifted);
}

/// f32 -> bf16 rounding to nearest even, or truncating (what ONNX's reference Cast does before
/// opset 19). NaN stays a (quiet) NaN either way.
Value f32ToBF16(OpBuilder &b, Location l, Value v, bool truncate) {
  Type i32 = b.getI32Type();
  Value bits = arith::BitcastOp::create(b, l, i32, v);
  Value rounded = bits;
  if (!truncate) {
    Value lsb = arith::AndIOp::create(b, l, arith::ShRUIOp::create(b, l, bits, cst(b, l, i32, 16)), cst(b, l, i32, 1));
    Value bias = arith::AddIOp::create(b, l, lsb, cst(b, l, i32, 0x7FFF));
    rounded = arith::AddIOp::create(b, l, bits, bias);
  }
  Value quiet = arith::OrIOp::create(b, l, bits, cst(b, l, i32, 0x00400000));
  rounded = select(b, l, isNaN(b, l, v), quiet, rounded);
  Value high = arith::ShRUIOp::create(b, l, rounded, cst(b, l, i32, 16));
  Value narrow = arith::TruncIOp::create(b, l, b.getI16Type(), high);
  return arith::BitcastOp::create(b, l, b.getBF16Type(), narrow);
}

/// A scalar as the op bodies compute on it: f16 and bf16 widen to f32.
Value widen(OpBuilder &b, Location l, Value v) {
  Type t = v.getType();
  if (t.isF16())
    return arith::ExtFOp::create(b, l, b.getF32Type(), v);
  if (t.isBF16())
    return bf16ToF32(b, l, v);
  return v;
}

/// Rounds a computed f32 back to the f16/bf16 `target`; other values pass through.
Value narrowTo(OpBuilder &b, Location l, Value v, Type target, bool truncateBF16 = false) {
  if (v.getType() == target || !v.getType().isF32())
    return v;
  if (target.isF16())
    return arith::TruncFOp::create(b, l, target, v);
  if (target.isBF16())
    return f32ToBF16(b, l, v, truncateBF16);
  return v;
}

//===----------------------------------------------------------------------===//
// The pattern
//===----------------------------------------------------------------------===//

/// Element kinds an op accepts.
enum Accept : unsigned {
  kFloat = 1,
  kSigned = 2,
  kUnsigned = 4,
  kBool = 8,
  kInt = kSigned | kUnsigned,
  kNumeric = kFloat | kInt,
  kAny = kNumeric | kBool,
};

/// What a scalar body needs to know about the element type it computes on.
struct Elt {
  Type type; ///< the computing type: signless integers, f32 for f16/bf16
  bool isFloat = false, isUnsigned = false, isBool = false;
  unsigned width() const { return type.getIntOrFloatBitWidth(); }
};

Elt classify(Type onnxElt) {
  Elt e;
  e.isFloat = isa<FloatType>(onnxElt);
  e.isBool = onnxElt.isInteger(1);
  e.isUnsigned = onnxElt.isUnsignedInteger();
  e.type = isSmallFloat(onnxElt) ? Float32Type::get(onnxElt.getContext()) : lowerType(onnxElt);
  return e;
}

bool accepts(unsigned accept, Type t) {
  if (isa<FloatType>(t))
    return (accept & kFloat) && (t.isF16() || t.isBF16() || t.isF32() || t.isF64());
  if (t.isInteger(1))
    return accept & kBool;
  if (auto it = dyn_cast<IntegerType>(t); it && llvm::is_contained({8u, 16u, 32u, 64u}, it.getWidth()))
    return accept & (it.isUnsigned() ? kUnsigned : kSigned);
  return false;
}

/// Lowers an op whose result element depends only on its input elements at the same (broadcast)
/// position. `fn` gets the widened input scalars; operand `kindOperand` decides the element kind.
template <typename OnnxOp> struct MapLowering : OpConversionPattern<OnnxOp> {
  using Fn = Value (*)(OpBuilder &, Location, OnnxOp, const Elt &, ValueRange);
  MapLowering(const TypeConverter &converter, MLIRContext *ctx, unsigned accept, Fn fn, unsigned kindOperand = 0)
      : OpConversionPattern<OnnxOp>(converter, ctx), accept(accept), kindOperand(kindOperand), fn(fn) {}

  LogicalResult matchAndRewrite(OnnxOp op, typename OnnxOp::Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Type onnxElt = getElementTypeOrSelf(op->getOperand(kindOperand).getType());
    if (!accepts(accept, onnxElt))
      return op.emitError("element type ") << onnxElt << " is not supported";
    Elt e = classify(onnxElt);
    auto resultType = loweredType(op->getResult(0).getType());
    Type outElt = resultType.getElementType();
    Value r = elementwise(rewriter, op.getLoc(), resultType, adaptor.getOperands(),
                          [&](OpBuilder &b, Location l, ValueRange args) -> Value {
                            SmallVector<Value> xs;
                            for (Value a : args)
                              xs.push_back(widen(b, l, a));
                            return narrowTo(b, l, fn(b, l, op, e, xs), outElt);
                          });
    rewriter.replaceOp(op, r);
    return success();
  }

  unsigned accept, kindOperand;
  Fn fn;
};

template <typename OnnxOp>
void addMap(RewritePatternSet &patterns, const TypeConverter &converter, unsigned accept,
            typename MapLowering<OnnxOp>::Fn fn, unsigned kindOperand = 0) {
  patterns.add<MapLowering<OnnxOp>>(converter, patterns.getContext(), accept, fn, kindOperand);
}

//===----------------------------------------------------------------------===//
// Shared scalar semantics
//===----------------------------------------------------------------------===//

Value add(OpBuilder &b, Location l, const Elt &e, Value x, Value y) {
  return e.isFloat ? arith::AddFOp::create(b, l, x, y).getResult() : arith::AddIOp::create(b, l, x, y).getResult();
}
Value mul(OpBuilder &b, Location l, const Elt &e, Value x, Value y) {
  return e.isFloat ? arith::MulFOp::create(b, l, x, y).getResult() : arith::MulIOp::create(b, l, x, y).getResult();
}

/// Integer division and remainder never trap: a zero divisor gives 0 (as numpy does), and the
/// signed overflow INT_MIN / -1 wraps.
Value safeIntDiv(OpBuilder &b, Location l, const Elt &e, Value x, Value y, bool remainder) {
  Value zero = cst(b, l, e.type, 0), one = cst(b, l, e.type, 1);
  Value yZero = icmp(b, l, arith::CmpIPredicate::eq, y, zero);
  Value bad = yZero;
  Value yMinusOne;
  if (!e.isUnsigned) {
    yMinusOne = icmp(b, l, arith::CmpIPredicate::eq, y, cst(b, l, e.type, -1));
    bad = arith::OrIOp::create(b, l, yZero, yMinusOne);
  }
  Value d = select(b, l, bad, one, y);
  if (remainder) // x rem 1 is 0, right for both a zero divisor and -1
    return e.isUnsigned ? arith::RemUIOp::create(b, l, x, d).getResult()
                        : arith::RemSIOp::create(b, l, x, d).getResult();
  if (e.isUnsigned)
    return select(b, l, yZero, zero, arith::DivUIOp::create(b, l, x, d));
  Value q = arith::DivSIOp::create(b, l, x, d);
  q = select(b, l, yMinusOne, arith::SubIOp::create(b, l, zero, x), q);
  return select(b, l, yZero, zero, q);
}

/// numpy maximum/minimum: NaN if either is NaN.
Value minMax(OpBuilder &b, Location l, const Elt &e, Value x, Value y, bool isMax) {
  if (e.isFloat) {
    Value better = fcmp(b, l, isMax ? arith::CmpFPredicate::OGT : arith::CmpFPredicate::OLT, x, y);
    return select(b, l, arith::OrIOp::create(b, l, better, isNaN(b, l, x)), x, y);
  }
  if (isMax)
    return e.isUnsigned ? arith::MaxUIOp::create(b, l, x, y).getResult()
                        : arith::MaxSIOp::create(b, l, x, y).getResult();
  return e.isUnsigned ? arith::MinUIOp::create(b, l, x, y).getResult() : arith::MinSIOp::create(b, l, x, y).getResult();
}

Value compare(OpBuilder &b, Location l, const Elt &e, Value x, Value y, arith::CmpFPredicate fp,
              arith::CmpIPredicate sp, arith::CmpIPredicate up) {
  if (e.isFloat)
    return fcmp(b, l, fp, x, y);
  return icmp(b, l, e.isUnsigned ? up : sp, x, y);
}

/// Converts the scalar `v` (already widened) of onnx element type `from` to onnx type `to`.
Value convertScalar(OpBuilder &b, Location l, Value v, Type from, Type to) {
  Type dst = lowerType(to);
  Type f32 = b.getF32Type();
  // Floats narrower than f32 are reached through f32.
  Type dstCompute = isSmallFloat(to) ? f32 : dst;
  bool fromFloat = isa<FloatType>(from), toFloat = isa<FloatType>(to);
  bool fromBool = from.isInteger(1), toBool = to.isInteger(1);
  Value r;
  if (fromFloat && toBool) {
    r = fcmp(b, l, arith::CmpFPredicate::UNE, v, cst(b, l, v.getType(), 0)); // NaN is true
  } else if (!fromFloat && toBool) {
    r = icmp(b, l, arith::CmpIPredicate::ne, v, cst(b, l, v.getType(), 0));
  } else if (fromFloat && toFloat) {
    unsigned have = v.getType().getIntOrFloatBitWidth();
    if (to.isF16() && v.getType().isF64())
      return arith::TruncFOp::create(b, l, dst, v); // one rounding, not two
    if (to.isBF16() && v.getType().isF64())
      v = arith::TruncFOp::create(b, l, f32, v);
    else if (have < dstCompute.getIntOrFloatBitWidth())
      v = arith::ExtFOp::create(b, l, dstCompute, v);
    else if (have > dstCompute.getIntOrFloatBitWidth())
      v = arith::TruncFOp::create(b, l, dstCompute, v);
    r = v;
  } else if (fromFloat) {
    r = to.isUnsignedInteger() ? arith::FPToUIOp::create(b, l, dst, v).getResult()
                               : arith::FPToSIOp::create(b, l, dst, v).getResult();
  } else if (toFloat) {
    r = (from.isUnsignedInteger() || fromBool) ? arith::UIToFPOp::create(b, l, dstCompute, v).getResult()
                                               : arith::SIToFPOp::create(b, l, dstCompute, v).getResult();
  } else {
    unsigned have = v.getType().getIntOrFloatBitWidth(), want = dst.getIntOrFloatBitWidth();
    if (have < want)
      r = (from.isUnsignedInteger() || fromBool) ? arith::ExtUIOp::create(b, l, dst, v).getResult()
                                                 : arith::ExtSIOp::create(b, l, dst, v).getResult();
    else if (have > want)
      r = arith::TruncIOp::create(b, l, dst, v);
    else
      r = v;
  }
  // ONNX's reference Cast (opset < 19) truncates f32 to bf16.
  return narrowTo(b, l, r, dst, /*truncateBF16=*/true);
}

//===----------------------------------------------------------------------===//
// Ops with their own pattern
//===----------------------------------------------------------------------===//

/// Pow: the exponent may have another element type than the base; the result has the base's.
struct PowLowering : OpConversionPattern<onnxd::PowOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::PowOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Type xt = getElementTypeOrSelf(op.getX().getType()), yt = getElementTypeOrSelf(op.getY().getType());
    if (!accepts(kNumeric, xt) || !accepts(kNumeric, yt))
      return op.emitError("element types ") << xt << " and " << yt << " are not supported";
    auto resultType = loweredType(op.getType());
    Type outElt = resultType.getElementType();
    bool xFloat = isa<FloatType>(xt), yFloat = isa<FloatType>(yt);
    // The real power in f64 for integer bases (as ONNX Runtime computes every integer Pow: exact
    // while the result fits 53 bits), else in the wider float type; then back to X's type.
    Value r = elementwise(rewriter, op.getLoc(), resultType, {adaptor.getX(), adaptor.getY()},
                          [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                            Value x = widen(b, l, a[0]), y = widen(b, l, a[1]);
                            Type xFrom = xFloat ? x.getType() : xt, yFrom = yFloat ? y.getType() : yt;
                            Type ct = (!xFloat || xFrom.isF64() || yFrom.isF64()) ? b.getF64Type() : b.getF32Type();
                            Value p = math::PowFOp::create(b, l, convertScalar(b, l, x, xFrom, ct),
                                                           convertScalar(b, l, y, yFrom, ct));
                            return narrowTo(b, l, convertScalar(b, l, p, ct, xFrom), outElt);
                          });
    rewriter.replaceOp(op, r);
    return success();
  }
};

/// Cast and CastLike: every pair of numeric and bool element types.
template <typename OnnxOp> struct CastLowering : OpConversionPattern<OnnxOp> {
  using OpConversionPattern<OnnxOp>::OpConversionPattern;
  LogicalResult matchAndRewrite(OnnxOp op, typename OnnxOp::Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Type from = getElementTypeOrSelf(op.getInput().getType());
    Type to = getElementTypeOrSelf(op.getType());
    if (!accepts(kAny, from) || !accepts(kAny, to))
      return op.emitError("cast from ") << from << " to " << to << " is not supported";
    if (from == to) {
      rewriter.replaceOp(op, adaptor.getInput());
      return success();
    }
    auto resultType = loweredType(op.getType());
    Value r = elementwise(rewriter, op.getLoc(), resultType, {adaptor.getInput()},
                          [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                            Value v = widen(b, l, a[0]);
                            return convertScalar(b, l, v, isSmallFloat(from) ? b.getF32Type() : from, to);
                          });
    rewriter.replaceOp(op, r);
    return success();
  }
};

struct ClipLowering : OpConversionPattern<onnxd::ClipOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::ClipOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    if (failed(requireStaticShapes(op)))
      return failure();
    Type onnxElt = getElementTypeOrSelf(op.getType());
    if (!accepts(kNumeric, onnxElt))
      return op.emitError("element type ") << onnxElt << " is not supported";
    for (Value bound : {op.getMin(), op.getMax()})
      if (!onnxd::isNoValue(bound) && getElementTypeOrSelf(bound.getType()) != onnxElt)
        return op.emitError("bound of type ")
               << bound.getType() << " does not match the input's element type " << onnxElt;
    auto resultType = loweredType(op.getType());
    Type elt = resultType.getElementType();
    Value lo, hi;
    if (!onnxd::isNoValue(op.getMin()) && !(lo = scalarOf(rewriter, loc, adaptor.getMin())))
      return op.emitError("min must be a scalar");
    if (!onnxd::isNoValue(op.getMax()) && !(hi = scalarOf(rewriter, loc, adaptor.getMax())))
      return op.emitError("max must be a scalar");
    bool isFloat = isa<FloatType>(elt), uns = isUnsignedElement(op.getType());
    Value r = elementwise(
        rewriter, loc, resultType, {adaptor.getInput()}, [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value v = widen(b, l, a[0]);
          Value vlo = lo ? widen(b, l, lo) : Value(), vhi = hi ? widen(b, l, hi) : Value();
          // Compare-and-select keeps NaN inputs NaN, as ONNX requires.
          if (vlo) {
            Value lt = isFloat ? fcmp(b, l, arith::CmpFPredicate::OLT, v, vlo)
                               : icmp(b, l, uns ? arith::CmpIPredicate::ult : arith::CmpIPredicate::slt, v, vlo);
            v = select(b, l, lt, vlo, v);
          }
          if (vhi) {
            Value gt = isFloat ? fcmp(b, l, arith::CmpFPredicate::OGT, v, vhi)
                               : icmp(b, l, uns ? arith::CmpIPredicate::ugt : arith::CmpIPredicate::sgt, v, vhi);
            v = select(b, l, gt, vhi, v);
          }
          return narrowTo(b, l, v, elt);
        });
    rewriter.replaceOp(op, r);
    return success();
  }
};

struct IdentityLowering : OpConversionPattern<onnxd::IdentityOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::IdentityOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, adaptor.getX());
    return success();
  }
};

/// Dropout is the identity with an all-true mask unless training_mode is true. In training mode an
/// element is kept when its uniform draw u in [0, 1) (Random.h, keyed by `seed`) is >= ratio, and a kept
/// element is scaled by 1 / (1 - ratio); ratio 0 keeps everything unchanged. A training_mode known only
/// at run time selects between the two.
struct DropoutLowering : OpConversionPattern<onnxd::DropoutOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::DropoutOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    std::optional<bool> training = false;
    if (!onnxd::isNoValue(op.getTrainingMode())) {
      if (tensorType(adaptor.getTrainingMode()).getNumElements() != 1)
        return op.emitError("training_mode must be a scalar");
      auto c = op.getTrainingMode().getDefiningOp<onnxd::ConstantOp>();
      auto dense = c ? dyn_cast<DenseElementsAttr>(c.getValue()) : DenseElementsAttr();
      training = dense ? std::optional<bool>(dense.getSplatValue<bool>()) : std::nullopt;
    }
    Value data = adaptor.getData();
    auto dataType = tensorType(data);
    bool wantMask = !onnxd::isNoValue(op.getMask());
    auto maskType = wantMask ? loweredType(op.getMask().getType())
                             : RankedTensorType::get(dataType.getShape(), rewriter.getI1Type());
    auto identity = [&]() -> SmallVector<Value> {
      Value t = arith::ConstantOp::create(rewriter, loc, rewriter.getIntegerAttr(maskType.getElementType(), 1));
      return {data, filledTensor(rewriter, loc, maskType, t)};
    };
    SmallVector<Value> results;
    if (training == false) {
      results = identity();
    } else {
      if (failed(requireStaticShapes(op)))
        return failure();
      auto elt = dyn_cast<FloatType>(dataType.getElementType());
      if (!elt)
        return op.emitError("training-mode Dropout needs float data, not ") << dataType.getElementType();
      Type f64 = rewriter.getF64Type();
      Value ratio = scalarConstant(rewriter, loc, f64, 0.5);
      if (!onnxd::isNoValue(op.getRatio())) {
        auto rt = tensorType(adaptor.getRatio());
        if (rt.getNumElements() != 1 || !isa<FloatType>(rt.getElementType()))
          return op.emitError("ratio must be a float scalar");
        SmallVector<Value> zeros(rt.getRank(), arith::ConstantIndexOp::create(rewriter, loc, 0));
        ratio = tensor::ExtractOp::create(rewriter, loc, adaptor.getRatio(), zeros);
        if (ratio.getType() != f64)
          ratio = arith::ExtFOp::create(rewriter, loc, f64, ratio);
      }
      std::optional<uint64_t> seed;
      if (op.getSeed())
        seed = (uint64_t)*op.getSeed();
      uint64_t key = randomKey(op, seed);
      Value one = scalarConstant(rewriter, loc, f64, 1);
      Value scale = arith::DivFOp::create(rewriter, loc, one, arith::SubFOp::create(rewriter, loc, one, ratio));
      Value keep = indexedGeneric(rewriter, loc, maskType.clone(rewriter.getI1Type()), {}, {},
                                  [&](OpBuilder &b, Location l, ArrayRef<Value> ivs, ValueRange) -> Value {
                                    Value bits = randomBits(b, l, key, linearIndex(b, l, ivs, dataType.getShape()));
                                    Value u = unitUniform(b, l, bits, cast<FloatType>(f64));
                                    return arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGE, u, ratio);
                                  });
      Value out =
          elementwise(rewriter, loc, dataType, {data, keep}, [&](OpBuilder &b, Location l, ValueRange v) -> Value {
            Value y;
            if (elt.isF64()) {
              y = arith::MulFOp::create(b, l, v[0], scale);
            } else {
              Value x = arith::ExtFOp::create(b, l, f64, v[0]);
              y = arith::TruncFOp::create(b, l, elt, arith::MulFOp::create(b, l, x, scale));
            }
            return arith::SelectOp::create(b, l, v[1], y, scalarConstant(b, l, elt, 0));
          });
      Value mask = keep;
      if (maskType.getElementType() != cast<RankedTensorType>(keep.getType()).getElementType())
        mask = elementwise(rewriter, loc, maskType, {keep}, [&](OpBuilder &b, Location l, ValueRange v) -> Value {
          return arith::ExtUIOp::create(b, l, maskType.getElementType(), v[0]);
        });
      results = {out, mask};
      if (!training) {
        // training_mode known only at run time.
        SmallVector<Value> plain = identity();
        SmallVector<Value> zeros(tensorType(adaptor.getTrainingMode()).getRank(),
                                 arith::ConstantIndexOp::create(rewriter, loc, 0));
        Value t = tensor::ExtractOp::create(rewriter, loc, adaptor.getTrainingMode(), zeros);
        if (!t.getType().isInteger(1))
          t = arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::ne, t,
                                    arith::ConstantOp::create(rewriter, loc, rewriter.getZeroAttr(t.getType())));
        for (int i = 0; i < 2; ++i)
          results[i] = arith::SelectOp::create(rewriter, loc, t, results[i], plain[i]);
      }
    }
    if (!wantMask)
      results[1] = onnxd::NoValueOp::create(rewriter, loc, rewriter.getNoneType());
    rewriter.replaceOp(op, results);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Scalar semantics of the map ops
//===----------------------------------------------------------------------===//

using B = OpBuilder;
using L = Location;
using V = ValueRange;
using FP = arith::CmpFPredicate;
using IP = arith::CmpIPredicate;

/// A float-only op that is one math dialect op.
template <typename OnnxOp, typename MathOp> void addMath(RewritePatternSet &p, const TypeConverter &c) {
  addMap<OnnxOp>(p, c, kFloat, [](B &b, L l, OnnxOp, const Elt &, V x) -> Value { return MathOp::create(b, l, x[0]); });
}

void addArithmetic(RewritePatternSet &p, const TypeConverter &c) {
  addMap<onnxd::AddOp>(p, c, kNumeric,
                       [](B &b, L l, onnxd::AddOp, const Elt &e, V x) { return add(b, l, e, x[0], x[1]); });
  addMap<onnxd::SubOp>(p, c, kNumeric, [](B &b, L l, onnxd::SubOp, const Elt &e, V x) -> Value {
    return e.isFloat ? arith::SubFOp::create(b, l, x[0], x[1]).getResult()
                     : arith::SubIOp::create(b, l, x[0], x[1]).getResult();
  });
  addMap<onnxd::MulOp>(p, c, kNumeric,
                       [](B &b, L l, onnxd::MulOp, const Elt &e, V x) { return mul(b, l, e, x[0], x[1]); });
  addMap<onnxd::DivOp>(p, c, kNumeric, [](B &b, L l, onnxd::DivOp, const Elt &e, V x) -> Value {
    if (e.isFloat)
      return arith::DivFOp::create(b, l, x[0], x[1]);
    return safeIntDiv(b, l, e, x[0], x[1], /*remainder=*/false); // truncates toward zero
  });
  addMap<onnxd::ModOp>(p, c, kNumeric, [](B &b, L l, onnxd::ModOp op, const Elt &e, V x) -> Value {
    Value a = x[0], d = x[1];
    Value r = e.isFloat ? arith::RemFOp::create(b, l, a, d).getResult() : safeIntDiv(b, l, e, a, d, /*remainder=*/true);
    if (op.getFmod() == 1 || e.isUnsigned)
      return r; // C fmod: the sign of the dividend
    // Python %: a non-zero remainder takes the sign of the divisor.
    Value zero = cst(b, l, e.type, 0);
    Value rNonZero, signsDiffer;
    if (e.isFloat) {
      rNonZero = fcmp(b, l, FP::ONE, r, zero);
      signsDiffer = arith::XOrIOp::create(b, l, fcmp(b, l, FP::OLT, r, zero), fcmp(b, l, FP::OLT, d, zero));
    } else {
      rNonZero = icmp(b, l, IP::ne, r, zero);
      signsDiffer = arith::XOrIOp::create(b, l, icmp(b, l, IP::slt, r, zero), icmp(b, l, IP::slt, d, zero));
    }
    Value fix = arith::AndIOp::create(b, l, rNonZero, signsDiffer);
    return select(b, l, fix, add(b, l, e, r, d), r);
  });
  addMap<onnxd::BitShiftOp>(p, c, kInt, [](B &b, L l, onnxd::BitShiftOp op, const Elt &e, V x) -> Value {
    bool left = op.getDirection() == "LEFT";
    // Signed types (BitShift-28) shift right arithmetically.
    bool arithmetic = !left && !e.isUnsigned;
    Value s = left         ? arith::ShLIOp::create(b, l, x[0], x[1]).getResult()
              : arithmetic ? arith::ShRSIOp::create(b, l, x[0], x[1]).getResult()
                           : arith::ShRUIOp::create(b, l, x[0], x[1]).getResult();
    // Shifting by the width or more (or, signed, by a negative amount: huge as unsigned) leaves only the sign
    // fill: -1 for an arithmetic right shift of a negative value, else 0 (LLVM would make it poison).
    Value tooFar = icmp(b, l, IP::uge, x[1], cst(b, l, e.type, e.width()));
    Value fill = arithmetic ? arith::ShRSIOp::create(b, l, x[0], cst(b, l, e.type, e.width() - 1)).getResult()
                            : cst(b, l, e.type, 0);
    return select(b, l, tooFar, fill, s);
  });

  // Variadic
  addMap<onnxd::MaxOp>(p, c, kNumeric, [](B &b, L l, onnxd::MaxOp, const Elt &e, V x) {
    Value r = x[0];
    for (Value v : x.drop_front())
      r = minMax(b, l, e, r, v, /*isMax=*/true);
    return r;
  });
  addMap<onnxd::MinOp>(p, c, kNumeric, [](B &b, L l, onnxd::MinOp, const Elt &e, V x) {
    Value r = x[0];
    for (Value v : x.drop_front())
      r = minMax(b, l, e, r, v, /*isMax=*/false);
    return r;
  });
  addMap<onnxd::SumOp>(p, c, kNumeric, [](B &b, L l, onnxd::SumOp, const Elt &e, V x) {
    Value r = x[0];
    for (Value v : x.drop_front())
      r = add(b, l, e, r, v);
    return r;
  });
  addMap<onnxd::MeanOp>(p, c, kFloat, [](B &b, L l, onnxd::MeanOp, const Elt &e, V x) -> Value {
    Value r = x[0];
    for (Value v : x.drop_front())
      r = add(b, l, e, r, v);
    return arith::DivFOp::create(b, l, r, cst(b, l, e.type, x.size()));
  });
}

void addLogic(RewritePatternSet &p, const TypeConverter &c) {
  addMap<onnxd::AndOp>(p, c, kBool, [](B &b, L l, onnxd::AndOp, const Elt &, V x) -> Value {
    return arith::AndIOp::create(b, l, x[0], x[1]);
  });
  addMap<onnxd::OrOp>(p, c, kBool, [](B &b, L l, onnxd::OrOp, const Elt &, V x) -> Value {
    return arith::OrIOp::create(b, l, x[0], x[1]);
  });
  addMap<onnxd::XorOp>(p, c, kBool, [](B &b, L l, onnxd::XorOp, const Elt &, V x) -> Value {
    return arith::XOrIOp::create(b, l, x[0], x[1]);
  });
  addMap<onnxd::NotOp>(p, c, kBool, [](B &b, L l, onnxd::NotOp, const Elt &e, V x) -> Value {
    return arith::XOrIOp::create(b, l, x[0], cst(b, l, e.type, 1));
  });
  addMap<onnxd::EqualOp>(p, c, kAny, [](B &b, L l, onnxd::EqualOp, const Elt &e, V x) {
    return compare(b, l, e, x[0], x[1], FP::OEQ, IP::eq, IP::eq);
  });
  addMap<onnxd::LessOp>(p, c, kNumeric, [](B &b, L l, onnxd::LessOp, const Elt &e, V x) {
    return compare(b, l, e, x[0], x[1], FP::OLT, IP::slt, IP::ult);
  });
  addMap<onnxd::LessOrEqualOp>(p, c, kNumeric, [](B &b, L l, onnxd::LessOrEqualOp, const Elt &e, V x) {
    return compare(b, l, e, x[0], x[1], FP::OLE, IP::sle, IP::ule);
  });
  addMap<onnxd::GreaterOp>(p, c, kNumeric, [](B &b, L l, onnxd::GreaterOp, const Elt &e, V x) {
    return compare(b, l, e, x[0], x[1], FP::OGT, IP::sgt, IP::ugt);
  });
  addMap<onnxd::GreaterOrEqualOp>(p, c, kNumeric, [](B &b, L l, onnxd::GreaterOrEqualOp, const Elt &e, V x) {
    return compare(b, l, e, x[0], x[1], FP::OGE, IP::sge, IP::uge);
  });
  addMap<onnxd::IsNaNOp>(p, c, kFloat, [](B &b, L l, onnxd::IsNaNOp, const Elt &, V x) { return isNaN(b, l, x[0]); });
  addMap<onnxd::IsInfOp>(p, c, kFloat, [](B &b, L l, onnxd::IsInfOp op, const Elt &e, V x) -> Value {
    Value pos = fcmp(b, l, FP::OEQ, x[0], cst(b, l, e.type, INFINITY));
    Value neg = fcmp(b, l, FP::OEQ, x[0], cst(b, l, e.type, -INFINITY));
    if (op.getDetectPositive() && op.getDetectNegative())
      return arith::OrIOp::create(b, l, pos, neg);
    if (op.getDetectPositive())
      return pos;
    return op.getDetectNegative() ? neg : cst(b, l, b.getI1Type(), 0);
  });
  // The condition decides nothing about the element kind: X does.
  addMap<onnxd::WhereOp>(
      p, c, kAny, [](B &b, L l, onnxd::WhereOp, const Elt &, V x) { return select(b, l, x[0], x[1], x[2]); },
      /*kindOperand=*/1);
}

void addUnaryMath(RewritePatternSet &p, const TypeConverter &c) {
  addMap<onnxd::AbsOp>(p, c, kNumeric, [](B &b, L l, onnxd::AbsOp, const Elt &e, V x) -> Value {
    if (e.isFloat)
      return math::AbsFOp::create(b, l, x[0]);
    return e.isUnsigned ? x[0] : math::AbsIOp::create(b, l, x[0]).getResult();
  });
  addMap<onnxd::NegOp>(p, c, kFloat | kSigned, [](B &b, L l, onnxd::NegOp, const Elt &e, V x) -> Value {
    if (e.isFloat)
      return arith::NegFOp::create(b, l, x[0]);
    return arith::SubIOp::create(b, l, cst(b, l, e.type, 0), x[0]);
  });
  addMap<onnxd::SignOp>(p, c, kNumeric, [](B &b, L l, onnxd::SignOp, const Elt &e, V x) -> Value {
    Value zero = cst(b, l, e.type, 0), one = cst(b, l, e.type, 1), minusOne = cst(b, l, e.type, -1);
    if (e.isFloat) // 0 and NaN map to themselves
      return select(b, l, fcmp(b, l, FP::OGT, x[0], zero), one,
                    select(b, l, fcmp(b, l, FP::OLT, x[0], zero), minusOne, x[0]));
    if (e.isUnsigned)
      return select(b, l, icmp(b, l, IP::ne, x[0], zero), one, zero);
    return select(b, l, icmp(b, l, IP::sgt, x[0], zero), one,
                  select(b, l, icmp(b, l, IP::slt, x[0], zero), minusOne, zero));
  });
  addMap<onnxd::ReciprocalOp>(p, c, kFloat, [](B &b, L l, onnxd::ReciprocalOp, const Elt &e, V x) -> Value {
    return arith::DivFOp::create(b, l, cst(b, l, e.type, 1), x[0]);
  });
  addMath<onnxd::ExpOp, math::ExpOp>(p, c);
  addMath<onnxd::LogOp, math::LogOp>(p, c);
  addMath<onnxd::SqrtOp, math::SqrtOp>(p, c);
  addMath<onnxd::FloorOp, math::FloorOp>(p, c);
  addMath<onnxd::CeilOp, math::CeilOp>(p, c);
  addMath<onnxd::RoundOp, math::RoundEvenOp>(p, c); // halves to even
  addMath<onnxd::SinOp, math::SinOp>(p, c);
  addMath<onnxd::CosOp, math::CosOp>(p, c);
  addMath<onnxd::TanOp, math::TanOp>(p, c);
  addMath<onnxd::AsinOp, math::AsinOp>(p, c);
  addMath<onnxd::AcosOp, math::AcosOp>(p, c);
  addMath<onnxd::AtanOp, math::AtanOp>(p, c);
  addMath<onnxd::SinhOp, math::SinhOp>(p, c);
  addMath<onnxd::CoshOp, math::CoshOp>(p, c);
  addMath<onnxd::AsinhOp, math::AsinhOp>(p, c);
  addMath<onnxd::AcoshOp, math::AcoshOp>(p, c);
  addMath<onnxd::AtanhOp, math::AtanhOp>(p, c);
  addMath<onnxd::ErfOp, math::ErfOp>(p, c);
  addMath<onnxd::TanhOp, math::TanhOp>(p, c);
}

void addActivations(RewritePatternSet &p, const TypeConverter &c) {
  addMap<onnxd::ReluOp>(p, c, kFloat | kSigned, [](B &b, L l, onnxd::ReluOp, const Elt &e, V x) -> Value {
    Value zero = cst(b, l, e.type, 0);
    if (e.isFloat) // x > 0 ? x : 0, so that NaN stays NaN
      return select(b, l, fcmp(b, l, FP::UGT, x[0], zero), x[0], zero);
    return arith::MaxSIOp::create(b, l, x[0], zero);
  });
  addMap<onnxd::SigmoidOp>(p, c, kFloat, [](B &b, L l, onnxd::SigmoidOp, const Elt &e, V x) -> Value {
    Value one = cst(b, l, e.type, 1);
    Value ex = math::ExpOp::create(b, l, arith::NegFOp::create(b, l, x[0]));
    return arith::DivFOp::create(b, l, one, arith::AddFOp::create(b, l, one, ex));
  });
  addMap<onnxd::SoftplusOp>(p, c, kFloat, [](B &b, L l, onnxd::SoftplusOp, const Elt &e, V x) -> Value {
    // log(1 + exp(x)) without overflow: x + log1p(exp(-x)) for x > 0.
    Value pos = fcmp(b, l, FP::OGT, x[0], cst(b, l, e.type, 0));
    Value ax = math::AbsFOp::create(b, l, x[0]);
    Value tail = math::Log1pOp::create(b, l, math::ExpOp::create(b, l, arith::NegFOp::create(b, l, ax)));
    return select(b, l, pos, arith::AddFOp::create(b, l, x[0], tail), tail);
  });
  addMap<onnxd::SoftsignOp>(p, c, kFloat, [](B &b, L l, onnxd::SoftsignOp, const Elt &e, V x) -> Value {
    Value den = arith::AddFOp::create(b, l, cst(b, l, e.type, 1), math::AbsFOp::create(b, l, x[0]));
    return arith::DivFOp::create(b, l, x[0], den);
  });
  addMap<onnxd::EluOp>(p, c, kFloat, [](B &b, L l, onnxd::EluOp op, const Elt &e, V x) -> Value {
    Value neg = arith::MulFOp::create(b, l, cst(b, l, e.type, op.getAlpha().convertToDouble()),
                                      math::ExpM1Op::create(b, l, x[0]));
    return select(b, l, fcmp(b, l, FP::OLT, x[0], cst(b, l, e.type, 0)), neg, x[0]);
  });
  addMap<onnxd::SeluOp>(p, c, kFloat, [](B &b, L l, onnxd::SeluOp op, const Elt &e, V x) -> Value {
    Value gamma = cst(b, l, e.type, op.getGamma().convertToDouble());
    Value alpha = cst(b, l, e.type, op.getAlpha().convertToDouble());
    Value neg = arith::MulFOp::create(b, l, alpha, math::ExpM1Op::create(b, l, x[0]));
    Value v = select(b, l, fcmp(b, l, FP::OGT, x[0], cst(b, l, e.type, 0)), x[0], neg);
    return arith::MulFOp::create(b, l, gamma, v);
  });
  addMap<onnxd::CeluOp>(p, c, kFloat, [](B &b, L l, onnxd::CeluOp op, const Elt &e, V x) -> Value {
    Value alpha = cst(b, l, e.type, op.getAlpha().convertToDouble());
    Value neg =
        arith::MulFOp::create(b, l, alpha, math::ExpM1Op::create(b, l, arith::DivFOp::create(b, l, x[0], alpha)));
    return select(b, l, fcmp(b, l, FP::OGT, x[0], cst(b, l, e.type, 0)), x[0], neg);
  });
  addMap<onnxd::LeakyReluOp>(p, c, kFloat, [](B &b, L l, onnxd::LeakyReluOp op, const Elt &e, V x) -> Value {
    Value neg = arith::MulFOp::create(b, l, cst(b, l, e.type, op.getAlpha().convertToDouble()), x[0]);
    return select(b, l, fcmp(b, l, FP::OLT, x[0], cst(b, l, e.type, 0)), neg, x[0]);
  });
  addMap<onnxd::ThresholdedReluOp>(p, c, kFloat,
                                   [](B &b, L l, onnxd::ThresholdedReluOp op, const Elt &e, V x) -> Value {
                                     Value alpha = cst(b, l, e.type, op.getAlpha().convertToDouble());
                                     return select(b, l, fcmp(b, l, FP::OGT, x[0], alpha), x[0], cst(b, l, e.type, 0));
                                   });
  addMap<onnxd::HardSigmoidOp>(p, c, kFloat, [](B &b, L l, onnxd::HardSigmoidOp op, const Elt &e, V x) -> Value {
    Value v = arith::AddFOp::create(
        b, l, arith::MulFOp::create(b, l, cst(b, l, e.type, op.getAlpha().convertToDouble()), x[0]),
        cst(b, l, e.type, op.getBeta().convertToDouble()));
    Value zero = cst(b, l, e.type, 0), one = cst(b, l, e.type, 1);
    v = select(b, l, fcmp(b, l, FP::OGT, v, one), one, v);
    return select(b, l, fcmp(b, l, FP::OLT, v, zero), zero, v);
  });
  addMap<onnxd::HardSwishOp>(p, c, kFloat, [](B &b, L l, onnxd::HardSwishOp, const Elt &e, V x) -> Value {
    // x * HardSigmoid(x) with alpha = 1/6, beta = 0.5
    Value v = arith::AddFOp::create(b, l, arith::MulFOp::create(b, l, cst(b, l, e.type, (float)(1.0 / 6)), x[0]),
                                    cst(b, l, e.type, 0.5));
    Value zero = cst(b, l, e.type, 0), one = cst(b, l, e.type, 1);
    v = select(b, l, fcmp(b, l, FP::OGT, v, one), one, v);
    v = select(b, l, fcmp(b, l, FP::OLT, v, zero), zero, v);
    return arith::MulFOp::create(b, l, x[0], v);
  });
  addMap<onnxd::ShrinkOp>(p, c, kNumeric, [](B &b, L l, onnxd::ShrinkOp op, const Elt &e, V x) -> Value {
    // Integers compute in f64, as the reference does (x + bias promotes), then convert back.
    Type ct = e.isFloat ? e.type : b.getF64Type();
    Value v = x[0];
    if (!e.isFloat)
      v = e.isUnsigned ? arith::UIToFPOp::create(b, l, ct, v).getResult()
                       : arith::SIToFPOp::create(b, l, ct, v).getResult();
    Value lambd = cst(b, l, ct, op.getLambd().convertToDouble()), bias = cst(b, l, ct, op.getBias().convertToDouble());
    Value below = fcmp(b, l, FP::OLT, v, arith::NegFOp::create(b, l, lambd));
    Value above = fcmp(b, l, FP::OGT, v, lambd);
    Value r = select(b, l, below, arith::AddFOp::create(b, l, v, bias),
                     select(b, l, above, arith::SubFOp::create(b, l, v, bias), cst(b, l, ct, 0)));
    if (e.isFloat)
      return r;
    return e.isUnsigned ? arith::FPToUIOp::create(b, l, e.type, r).getResult()
                        : arith::FPToSIOp::create(b, l, e.type, r).getResult();
  });
  addMap<onnxd::PReluOp>(p, c, kFloat | kSigned | kUnsigned, [](B &b, L l, onnxd::PReluOp, const Elt &e, V x) -> Value {
    if (e.isUnsigned)
      return x[0];
    Value zero = cst(b, l, e.type, 0);
    Value neg = e.isFloat ? fcmp(b, l, FP::OLT, x[0], zero) : icmp(b, l, IP::slt, x[0], zero);
    return select(b, l, neg, mul(b, l, e, x[1], x[0]), x[0]);
  });
}

/// Opset-18 bitwise logic: the integer's bits, whatever its signedness.
void addBitwise(RewritePatternSet &p, const TypeConverter &c) {
  addMap<onnxd::BitwiseAndOp>(p, c, kInt, [](B &b, L l, onnxd::BitwiseAndOp, const Elt &, V x) -> Value {
    return arith::AndIOp::create(b, l, x[0], x[1]);
  });
  addMap<onnxd::BitwiseOrOp>(p, c, kInt, [](B &b, L l, onnxd::BitwiseOrOp, const Elt &, V x) -> Value {
    return arith::OrIOp::create(b, l, x[0], x[1]);
  });
  addMap<onnxd::BitwiseXorOp>(p, c, kInt, [](B &b, L l, onnxd::BitwiseXorOp, const Elt &, V x) -> Value {
    return arith::XOrIOp::create(b, l, x[0], x[1]);
  });
  addMap<onnxd::BitwiseNotOp>(p, c, kInt, [](B &b, L l, onnxd::BitwiseNotOp, const Elt &e, V x) -> Value {
    Value ones = arith::ConstantOp::create(b, l, b.getIntegerAttr(e.type, APInt::getAllOnes(e.width())));
    return arith::XOrIOp::create(b, l, x[0], ones);
  });
}

} // namespace

void populateElementwisePatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  addArithmetic(patterns, converter);
  addLogic(patterns, converter);
  addUnaryMath(patterns, converter);
  addActivations(patterns, converter);
  addBitwise(patterns, converter);
  patterns.add<PowLowering, CastLowering<onnxd::CastOp>, CastLowering<onnxd::CastLikeOp>, ClipLowering,
               IdentityLowering, DropoutLowering>(converter, patterns.getContext());
}

} // namespace mcc::lowering
