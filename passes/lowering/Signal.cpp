//===- Signal.cpp - onnx DFT, STFT, windows, MelWeightMatrix -> linalg ------===//
//
// Complex tensors carry [real, imaginary] in their last dim. DFT and STFT are a direct O(n^2) sum: one
// linalg.generic with a reduction dim over the samples, whose twiddle index k*n mod N is reduced in
// integers before it becomes an angle (a constant table when N is known at compile time).
//
// Scalar inputs that fix a result shape (window size, dft_length, frame_length, frame_step,
// num_mel_bins) may be runtime values: the result type is static, so a constant is checked at compile
// time and a runtime value that disagrees with the result shape returns MCC_ERR_INVALID_SIZE before
// the node writes its result (RuntimeChecks.h).
//
//===----------------------------------------------------------------------===//
#include "passes/lowering/LoweringUtils.h"
#include "passes/lowering/RuntimeChecks.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

#include "llvm/Support/MathExtras.h"
#include <cmath>

using namespace mlir;
namespace onnxd = mcc::onnx;

namespace mcc::lowering {
namespace {

/// A scalar integer input: its value if it is a compile-time constant, and always an i64 Value.
struct ScalarInt {
  std::optional<int64_t> constant;
  Value value;
};

FailureOr<ScalarInt> readScalarInt(OpBuilder &b, Location loc, Operation *op, Value original, Value converted,
                                   StringRef name) {
  auto type = tensorType(converted);
  if (!type.hasStaticShape() || type.getNumElements() != 1 || type.getRank() > 1 ||
      !isa<IntegerType>(type.getElementType()) || type.getElementType().getIntOrFloatBitWidth() == 1)
    return op->emitError(name) << " must be a scalar integer, not " << original.getType();
  ScalarInt s;
  if (auto c = constantInts(original, converted)) {
    s.constant = (*c)[0];
    s.value = arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(*s.constant));
    return s;
  }
  SmallVector<int64_t> pos(type.getRank(), 0);
  Value v = extractAt(b, loc, converted, pos);
  if (v.getType().getIntOrFloatBitWidth() < 64)
    v = isUnsignedElement(original.getType()) ? arith::ExtUIOp::create(b, loc, b.getI64Type(), v).getResult()
                                              : arith::ExtSIOp::create(b, loc, b.getI64Type(), v).getResult();
  s.value = v;
  return s;
}

/// A scalar float input read as f64 (at run time unless constant).
FailureOr<Value> readScalarFloat(OpBuilder &b, Location loc, Operation *op, Value converted, StringRef name) {
  auto type = tensorType(converted);
  if (!type.hasStaticShape() || type.getNumElements() != 1 || type.getRank() > 1 ||
      !isa<FloatType>(type.getElementType()))
    return op->emitError(name) << " must be a scalar float, not " << converted.getType();
  SmallVector<int64_t> pos(type.getRank(), 0);
  Value v = extractAt(b, loc, converted, pos);
  if (v.getType().getIntOrFloatBitWidth() < 64)
    return arith::ExtFOp::create(b, loc, b.getF64Type(), v).getResult();
  return v;
}

Value f64Const(OpBuilder &b, Location loc, double v) { return arith::ConstantOp::create(b, loc, b.getF64FloatAttr(v)); }
Value eqI64(OpBuilder &b, Location loc, Value x, int64_t v) {
  return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, x, i64Const(b, loc, v));
}
Value andI1(OpBuilder &b, Location loc, Value x, Value y) {
  if (!x)
    return y;
  return arith::AndIOp::create(b, loc, x, y);
}

/// f64 -> the result element type: float rounding, or C-style truncation for integers.
Value fromF64(OpBuilder &b, Location loc, Value v, Type elt, bool isUnsigned) {
  if (elt.isF64())
    return v;
  if (isa<FloatType>(elt))
    return arith::TruncFOp::create(b, loc, elt, v);
  if (isUnsigned)
    return arith::FPToUIOp::create(b, loc, elt, v);
  return arith::FPToSIOp::create(b, loc, elt, v);
}

/// The element type TensorProto.DataType `dt` names, or null.
Type dataTypeElement(MLIRContext *ctx, int64_t dt) {
  Builder b(ctx);
  auto u = [&](unsigned w) { return IntegerType::get(ctx, w, IntegerType::Unsigned); };
  switch (dt) {
  case 1:
    return b.getF32Type();
  case 2:
    return u(8);
  case 3:
    return b.getIntegerType(8);
  case 4:
    return u(16);
  case 5:
    return b.getIntegerType(16);
  case 6:
    return b.getIntegerType(32);
  case 7:
    return b.getIntegerType(64);
  case 10:
    return b.getF16Type();
  case 11:
    return b.getF64Type();
  case 12:
    return u(32);
  case 13:
    return u(64);
  case 16:
    return b.getBF16Type();
  default:
    return {};
  }
}

LogicalResult checkOutputDatatype(Operation *op, int64_t dt, Type resultType) {
  Type want = dataTypeElement(op->getContext(), dt);
  if (!want)
    return op->emitError("output_datatype ") << dt << " is not a numeric type this op can produce";
  if (want != getElementTypeOrSelf(resultType))
    return op->emitError("output_datatype ") << dt << " names " << want << ", but the result is " << resultType;
  return success();
}

/// Checks `valid` (an i1 or null: the runtime sizes fit the result shape), then scales and converts to
/// `resultType`.
Value finish(OpBuilder &b, Location loc, Value acc, RankedTensorType resultType, Value scale, Value valid,
             bool isUnsigned = false) {
  if (valid)
    emitRuntimeCheck(b, loc, valid, RuntimeError::InvalidSize, "a size input does not match the result shape");
  valid = Value();
  Type elt = resultType.getElementType();
  if (!scale && !valid && tensorType(acc).getElementType() == elt)
    return acc;
  return indexedGeneric(b, loc, resultType, {acc}, {b.getMultiDimIdentityMap(resultType.getRank())},
                        [&](OpBuilder &nb, Location l, ArrayRef<Value>, ValueRange args) -> Value {
                          Value v = args[0];
                          if (scale)
                            v = arith::MulFOp::create(nb, l, v, scale);
                          if (v.getType() == elt)
                            return v;
                          if (v.getType().isF64())
                            return fromF64(nb, l, v, elt, isUnsigned);
                          if (elt.getIntOrFloatBitWidth() < v.getType().getIntOrFloatBitWidth())
                            return arith::TruncFOp::create(nb, l, elt, v);
                          return arith::ExtFOp::create(nb, l, elt, v);
                        });
}

//===----------------------------------------------------------------------===//
// The DFT sum shared by DFT and STFT
//===----------------------------------------------------------------------===//

/// out[..., k, ..., c] = component c of sum_{n < min(reduceLen, N)} x(n) * exp(-+2 pi i k n / N).
struct DftPlan {
  SmallVector<int64_t> shape; // the result shape, last dim 2
  Type acc;                   // accumulation element type
  int64_t freqDim;            // the result dim that holds k
  int64_t reduceLen;          // static bound of n
  std::optional<int64_t> nConst;
  Value n; // N as i64 (runtime or constant)
  bool inverse;
};

/// (real, imaginary or null for 0) of the sample at `n` for the result element at `ivs`.
using SampleFn = llvm::function_ref<std::pair<Value, Value>(OpBuilder &, Location, ArrayRef<Value> ivs, Value n)>;

Value dftSum(OpBuilder &b, Location loc, const DftPlan &p, SampleFn sample) {
  int64_t rank = p.shape.size();
  // A table of cos and sin of 2 pi m / N when N is known: twiddles exact to the last bit of acc.
  Value table;
  if (p.nConst) {
    int64_t nv = *p.nConst;
    SmallVector<Attribute> vals;
    for (int64_t m = 0; m < nv; ++m) {
      double angle = 2.0 * llvm::numbers::pi * (double)m / (double)nv;
      double cosv = std::cos(angle), sinv = std::sin(angle);
      if ((4 * m) % nv == 0) { // quarter turns: exact 0 and +-1, not 6e-17
        int64_t quarter = 4 * m / nv;
        cosv = quarter == 0 ? 1.0 : quarter == 2 ? -1.0 : 0.0;
        sinv = quarter == 1 ? 1.0 : quarter == 3 ? -1.0 : 0.0;
      }
      vals.push_back(b.getFloatAttr(p.acc, cosv));
      vals.push_back(b.getFloatAttr(p.acc, sinv));
    }
    auto tableType = RankedTensorType::get({nv, 2}, p.acc);
    table = arith::ConstantOp::create(b, loc, DenseElementsAttr::get(tableType, vals));
  }
  bool mask = !p.nConst || p.reduceLen > *p.nConst;
  Value nIdx = arith::IndexCastOp::create(
      b, loc, b.getIndexType(),
      arith::MaxSIOp::create(b, loc, p.n, i64Const(b, loc, 1))); // N < 1 is reported as invalid by the caller

  // The sum over n is an scf.for inside an all-parallel generic: n indexes the input through k*n
  // and strided frames, which no indexing map of a reduction dim could say.
  auto resultType = RankedTensorType::get(p.shape, p.acc);
  return indexedGeneric(
      b, loc, resultType, {}, {}, [&](OpBuilder &gb, Location gl, ArrayRef<Value> outIvs, ValueRange) -> Value {
        Value zero = scalarConstant(gb, gl, p.acc, 0.0);
        Value isReal = arith::CmpIOp::create(gb, gl, arith::CmpIPredicate::eq, outIvs[rank - 1],
                                             arith::ConstantIndexOp::create(gb, gl, 0));
        auto loop = scf::ForOp::create(
            gb, gl, arith::ConstantIndexOp::create(gb, gl, 0), arith::ConstantIndexOp::create(gb, gl, p.reduceLen),
            arith::ConstantIndexOp::create(gb, gl, 1), ValueRange{zero},
            [&](OpBuilder &nb, Location l, Value n, ValueRange iter) {
              Value m = arith::RemUIOp::create(nb, l, arith::MulIOp::create(nb, l, outIvs[p.freqDim], n), nIdx);
              Value cosv, sinv;
              if (table) {
                cosv = tensor::ExtractOp::create(nb, l, table, ValueRange{m, arith::ConstantIndexOp::create(nb, l, 0)});
                sinv = tensor::ExtractOp::create(nb, l, table, ValueRange{m, arith::ConstantIndexOp::create(nb, l, 1)});
              } else {
                auto toF64 = [&](Value idx) {
                  return arith::SIToFPOp::create(nb, l, nb.getF64Type(),
                                                 arith::IndexCastOp::create(nb, l, nb.getI64Type(), idx));
                };
                Value angle = arith::DivFOp::create(
                    nb, l, arith::MulFOp::create(nb, l, f64Const(nb, l, 2.0 * llvm::numbers::pi), toF64(m)),
                    toF64(nIdx));
                cosv = math::CosOp::create(nb, l, angle);
                sinv = math::SinOp::create(nb, l, angle);
                if (!p.acc.isF64()) {
                  cosv = arith::TruncFOp::create(nb, l, p.acc, cosv);
                  sinv = arith::TruncFOp::create(nb, l, p.acc, sinv);
                }
              }
              auto [xr, xi] = sample(nb, l, outIvs, n);
              auto mul = [&](Value x, Value y) { return arith::MulFOp::create(nb, l, x, y).getResult(); };
              // forward: (xr cos + xi sin, xi cos - xr sin); inverse: (xr cos - xi sin, xi cos + xr sin).
              Value re = mul(xr, cosv), im = arith::NegFOp::create(nb, l, mul(xr, sinv));
              if (p.inverse)
                im = mul(xr, sinv);
              if (xi) {
                Value xis = mul(xi, sinv), xic = mul(xi, cosv);
                re = p.inverse ? arith::SubFOp::create(nb, l, re, xis).getResult()
                               : arith::AddFOp::create(nb, l, re, xis).getResult();
                im = arith::AddFOp::create(nb, l, xic, im);
              }
              Value term = arith::SelectOp::create(nb, l, isReal, re, im);
              if (mask) {
                Value inside = arith::CmpIOp::create(nb, l, arith::CmpIPredicate::ult, n, nIdx);
                term = arith::SelectOp::create(nb, l, inside, term, scalarConstant(nb, l, p.acc, 0.0));
              }
              scf::YieldOp::create(nb, l, ValueRange{arith::AddFOp::create(nb, l, iter[0], term)});
            });
        return loop.getResult(0);
      });
}

//===----------------------------------------------------------------------===//
// DFT (opset 17)
//===----------------------------------------------------------------------===//

struct DFTLowering : OpConversionPattern<onnxd::DFTOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::DFTOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    auto inType = tensorType(x);
    auto resultType = loweredType(op.getType());
    Type elt = inType.getElementType();
    int64_t rank = inType.getRank();
    if (!isa<FloatType>(elt) || resultType.getElementType() != elt)
      return op.emitError("input and result must have one float element type");
    if (rank < 3 || resultType.getRank() != rank)
      return op.emitError("input must be [batch, signal dims..., 1 or 2] (rank >= 3), got ") << inType;
    int64_t comps = inType.getDimSize(rank - 1);
    if (comps != 1 && comps != 2)
      return op.emitError("the last input dim must be 1 (real) or 2 (complex), not ") << comps;
    int64_t axis = op.getAxis();
    int64_t a = normalizeAxis(axis, rank);
    if (a < 1 || a > rank - 2)
      return op.emitError("axis ") << axis << " is not a signal dim of a rank-" << rank << " input";
    bool inverse = op.getInverse() != 0, onesided = op.getOnesided() != 0;
    if (op.getInverse() != 0 && op.getInverse() != 1)
      return op.emitError("inverse must be 0 or 1");
    if (op.getOnesided() != 0 && op.getOnesided() != 1)
      return op.emitError("onesided must be 0 or 1");
    if (onesided && comps == 2)
      return op.emitError("onesided needs a real input ([..., 1]), the input is complex");
    if (onesided && inverse)
      return op.emitError("onesided with inverse is not supported");
    int64_t inLen = inType.getDimSize(a), outLen = resultType.getDimSize(a);
    for (int64_t d = 0; d < rank - 1; ++d)
      if (d != a && inType.getDimSize(d) != resultType.getDimSize(d))
        return op.emitError("result shape ") << resultType << " does not match the input " << inType;
    if (resultType.getDimSize(rank - 1) != 2)
      return op.emitError("the last result dim must be 2 (complex)");

    auto expectedLen = [&](int64_t n) { return onesided ? n / 2 + 1 : n; };
    DftPlan p;
    p.shape = SmallVector<int64_t>(resultType.getShape());
    p.acc = accumulatorType(elt);
    p.freqDim = a;
    p.inverse = inverse;
    Value valid;
    if (onnxd::isNoValue(op.getDftLength())) {
      p.nConst = inLen;
      p.n = i64Const(rewriter, loc, inLen);
    } else {
      auto n = readScalarInt(rewriter, loc, op, op.getDftLength(), adaptor.getDftLength(), "dft_length");
      if (failed(n))
        return failure();
      p.nConst = n->constant;
      p.n = n->value;
      if (!p.nConst) {
        Value positive =
            arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::sge, p.n, i64Const(rewriter, loc, 1));
        Value len = onesided
                        ? arith::AddIOp::create(rewriter, loc,
                                                arith::DivSIOp::create(rewriter, loc, p.n, i64Const(rewriter, loc, 2)),
                                                i64Const(rewriter, loc, 1))
                              .getResult()
                        : p.n;
        valid = andI1(rewriter, loc, positive, eqI64(rewriter, loc, len, outLen));
      }
    }
    if (p.nConst && (*p.nConst < 1 || expectedLen(*p.nConst) != outLen))
      return op.emitError("dft_length ") << *p.nConst << " gives " << (*p.nConst < 1 ? 0 : expectedLen(*p.nConst))
                                         << " frequencies, the result has " << outLen;
    p.reduceLen = p.nConst ? std::min(inLen, *p.nConst) : inLen;

    Value sum = dftSum(rewriter, loc, p, [&](OpBuilder &b, Location l, ArrayRef<Value> ivs, Value n) {
      SmallVector<Value> idx(ivs);
      idx[a] = n;
      idx[rank - 1] = arith::ConstantIndexOp::create(b, l, 0);
      auto toAcc = [&](Value v) -> Value { return v.getType() == p.acc ? v : arith::ExtFOp::create(b, l, p.acc, v); };
      Value re = toAcc(tensor::ExtractOp::create(b, l, x, idx));
      Value im;
      if (comps == 2) {
        idx[rank - 1] = arith::ConstantIndexOp::create(b, l, 1);
        im = toAcc(tensor::ExtractOp::create(b, l, x, idx));
      }
      return std::make_pair(re, im);
    });
    Value scale;
    if (inverse) {
      Value nf = arith::SIToFPOp::create(rewriter, loc, rewriter.getF64Type(), p.n);
      scale = arith::DivFOp::create(rewriter, loc, f64Const(rewriter, loc, 1.0), nf);
      if (!p.acc.isF64())
        scale = arith::TruncFOp::create(rewriter, loc, p.acc, scale);
    }
    rewriter.replaceOp(op, finish(rewriter, loc, sum, resultType, scale, valid));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// STFT (opset 17)
//===----------------------------------------------------------------------===//

struct STFTLowering : OpConversionPattern<onnxd::STFTOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::STFTOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    Value signal = adaptor.getSignal();
    auto inType = tensorType(signal);
    auto resultType = loweredType(op.getType());
    Type elt = inType.getElementType();
    if (!isa<FloatType>(elt) || resultType.getElementType() != elt)
      return op.emitError("signal and result must have one float element type");
    if (inType.getRank() != 3 || (inType.getDimSize(2) != 1 && inType.getDimSize(2) != 2))
      return op.emitError("signal must be [batch, length, 1 or 2], got ") << inType;
    if (resultType.getRank() != 4 || resultType.getDimSize(0) != inType.getDimSize(0) || resultType.getDimSize(3) != 2)
      return op.emitError("result must be [batch, frames, frequencies, 2], got ") << resultType;
    bool complex = inType.getDimSize(2) == 2;
    int64_t onesidedAttr = op.getOnesided();
    if (onesidedAttr != 0 && onesidedAttr != 1)
      return op.emitError("onesided must be 0 or 1");
    bool onesided = onesidedAttr == 1;
    if (onesided && complex)
      return op.emitError("onesided needs a real signal ([batch, length, 1]), the signal is complex");
    int64_t len = inType.getDimSize(1), frames = resultType.getDimSize(1), freqs = resultType.getDimSize(2);

    bool hasWindow = !onnxd::isNoValue(op.getWindow());
    bool hasLength = !onnxd::isNoValue(op.getFrameLength());
    if (!hasWindow && !hasLength)
      return op.emitError("needs a window or a frame_length");
    Value window = adaptor.getWindow();
    int64_t windowLen = 0;
    if (hasWindow) {
      auto wt = tensorType(window);
      if (wt.getRank() != 1 || wt.getElementType() != elt)
        return op.emitError("window must be rank 1 with the signal's element type, got ") << wt;
      windowLen = wt.getDimSize(0);
    }
    Value valid;
    std::optional<int64_t> nConst;
    Value n;
    if (hasLength) {
      auto fl = readScalarInt(rewriter, loc, op, op.getFrameLength(), adaptor.getFrameLength(), "frame_length");
      if (failed(fl))
        return failure();
      nConst = fl->constant;
      n = fl->value;
      if (nConst && hasWindow && *nConst != windowLen)
        return op.emitError("frame_length ") << *nConst << " differs from the window length " << windowLen;
      if (!nConst && hasWindow)
        valid = eqI64(rewriter, loc, n, windowLen);
    } else {
      nConst = windowLen;
      n = i64Const(rewriter, loc, windowLen);
    }
    if (nConst) {
      if (*nConst < 1 || *nConst > len)
        return op.emitError("frame length ") << *nConst << " must be in [1, " << len << "]";
      if ((onesided ? *nConst / 2 + 1 : *nConst) != freqs)
        return op.emitError("frame length ") << *nConst << " gives " << (onesided ? *nConst / 2 + 1 : *nConst)
                                             << " frequencies, the result has " << freqs;
    } else {
      Value ok = andI1(
          rewriter, loc, arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::sge, n, i64Const(rewriter, loc, 1)),
          arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::sle, n, i64Const(rewriter, loc, len)));
      Value f = onesided ? arith::AddIOp::create(rewriter, loc,
                                                 arith::DivSIOp::create(rewriter, loc, n, i64Const(rewriter, loc, 2)),
                                                 i64Const(rewriter, loc, 1))
                               .getResult()
                         : n;
      valid = andI1(rewriter, loc, valid, andI1(rewriter, loc, ok, eqI64(rewriter, loc, f, freqs)));
    }

    auto step = readScalarInt(rewriter, loc, op, op.getFrameStep(), adaptor.getFrameStep(), "frame_step");
    if (failed(step))
      return failure();
    if (step->constant) {
      if (*step->constant < 1)
        return op.emitError("frame_step must be positive, not ") << *step->constant;
      if (nConst && (len - *nConst) / *step->constant + 1 != frames)
        return op.emitError("frame_step ") << *step->constant << " gives " << (len - *nConst) / *step->constant + 1
                                           << " frames, the result has " << frames;
    }
    if (!step->constant || !nConst) {
      Value s = arith::MaxSIOp::create(rewriter, loc, step->value, i64Const(rewriter, loc, 1));
      Value count = arith::AddIOp::create(
          rewriter, loc,
          arith::DivSIOp::create(rewriter, loc, arith::SubIOp::create(rewriter, loc, i64Const(rewriter, loc, len), n),
                                 s),
          i64Const(rewriter, loc, 1));
      Value ok =
          arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::sge, step->value, i64Const(rewriter, loc, 1));
      valid = andI1(rewriter, loc, valid, andI1(rewriter, loc, ok, eqI64(rewriter, loc, count, frames)));
    }
    Value stepIdx = arith::IndexCastOp::create(rewriter, loc, rewriter.getIndexType(), step->value);

    DftPlan p;
    p.shape = SmallVector<int64_t>(resultType.getShape());
    p.acc = accumulatorType(elt);
    p.freqDim = 2;
    p.inverse = false;
    p.nConst = nConst;
    p.n = n;
    p.reduceLen = nConst ? *nConst : (hasWindow ? windowLen : len);
    Value sum = dftSum(rewriter, loc, p, [&](OpBuilder &b, Location l, ArrayRef<Value> ivs, Value k) {
      // Sample f * step + k of the signal; an inconsistent runtime step is clamped (and the result NaN).
      Value t = arith::AddIOp::create(b, l, arith::MulIOp::create(b, l, ivs[1], stepIdx), k);
      t = arith::MinUIOp::create(b, l, t, arith::ConstantIndexOp::create(b, l, len - 1));
      auto toAcc = [&](Value v) -> Value { return v.getType() == p.acc ? v : arith::ExtFOp::create(b, l, p.acc, v); };
      Value w;
      if (hasWindow)
        w = toAcc(tensor::ExtractOp::create(b, l, window, ValueRange{k}));
      auto read = [&](int64_t c) {
        Value v = toAcc(
            tensor::ExtractOp::create(b, l, signal, ValueRange{ivs[0], t, arith::ConstantIndexOp::create(b, l, c)}));
        return w ? arith::MulFOp::create(b, l, v, w).getResult() : v;
      };
      return std::make_pair(read(0), complex ? read(1) : Value());
    });
    rewriter.replaceOp(op, finish(rewriter, loc, sum, resultType, Value(), valid));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// HannWindow, HammingWindow, BlackmanWindow (opset 17)
//===----------------------------------------------------------------------===//

/// Generalised cosine window: a0 - a1 cos(2 pi n / D) + a2 cos(4 pi n / D), D = size (periodic) or
/// size - 1 (symmetric), evaluated in f64.
template <typename OnnxOp> struct WindowLowering : OpConversionPattern<OnnxOp> {
  WindowLowering(const TypeConverter &converter, MLIRContext *ctx, double a0, double a1, double a2)
      : OpConversionPattern<OnnxOp>(converter, ctx), a0(a0), a1(a1), a2(a2) {}
  double a0, a1, a2;

  LogicalResult matchAndRewrite(OnnxOp op, typename OnnxOp::Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    auto resultType = loweredType(op.getType());
    if (failed(checkOutputDatatype(op, op.getOutputDatatype(), op.getType())))
      return failure();
    if (resultType.getRank() != 1)
      return op.emitError("result must be rank 1, got ") << resultType;
    if (op.getPeriodic() != 0 && op.getPeriodic() != 1)
      return op.emitError("periodic must be 0 or 1");
    bool periodic = op.getPeriodic() == 1;
    int64_t len = resultType.getDimSize(0);
    auto size = readScalarInt(rewriter, loc, op, op.getSize(), adaptor.getSize(), "size");
    if (failed(size))
      return failure();
    Type elt = resultType.getElementType();
    Value valid;
    if (size->constant) {
      if (*size->constant != len)
        return op.emitError("size ") << *size->constant << " differs from the result length " << len;
    } else {
      valid = eqI64(rewriter, loc, size->value, len);
    }
    Value denom = periodic ? size->value
                           : arith::SubIOp::create(rewriter, loc, size->value, i64Const(rewriter, loc, 1)).getResult();
    Value denomF = arith::SIToFPOp::create(rewriter, loc, rewriter.getF64Type(), denom);
    bool isUnsigned = isUnsignedElement(op.getType());
    if (valid)
      emitRuntimeCheck(rewriter, loc, valid, RuntimeError::InvalidSize,
                       "the window size differs from the compiled one");
    Value result = indexedGeneric(
        rewriter, loc, resultType, {}, {}, [&](OpBuilder &b, Location l, ArrayRef<Value> ivs, ValueRange) -> Value {
          Value nF =
              arith::SIToFPOp::create(b, l, b.getF64Type(), arith::IndexCastOp::create(b, l, b.getI64Type(), ivs[0]));
          Value angle = arith::DivFOp::create(
              b, l, arith::MulFOp::create(b, l, f64Const(b, l, 2.0 * llvm::numbers::pi), nF), denomF);
          Value v =
              arith::SubFOp::create(b, l, f64Const(b, l, a0),
                                    arith::MulFOp::create(b, l, f64Const(b, l, a1), math::CosOp::create(b, l, angle)));
          if (a2 != 0.0) {
            Value twice = arith::MulFOp::create(b, l, f64Const(b, l, 2.0), angle);
            v = arith::AddFOp::create(
                b, l, v, arith::MulFOp::create(b, l, f64Const(b, l, a2), math::CosOp::create(b, l, twice)));
          }
          return fromF64(b, l, v, elt, isUnsigned);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// MelWeightMatrix (opset 17)
//===----------------------------------------------------------------------===//

/// The reference's filterbank: num_mel_bins + 2 edges evenly spaced in mel between the two edge
/// frequencies, each mapped to the spectrogram bin floor((dft_length + 1) * hz / sample_rate); band i
/// rises linearly from edge i to edge i+1 and falls to edge i+2 (a zero-width rise is a single 1).
struct MelWeightMatrixLowering : OpConversionPattern<onnxd::MelWeightMatrixOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::MelWeightMatrixOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    auto resultType = loweredType(op.getType());
    if (failed(checkOutputDatatype(op, op.getOutputDatatype(), op.getType())))
      return failure();
    if (resultType.getRank() != 2)
      return op.emitError("result must be rank 2, got ") << resultType;
    Type elt = resultType.getElementType();
    int64_t bins = resultType.getDimSize(0), mels = resultType.getDimSize(1);
    auto numMel = readScalarInt(rewriter, loc, op, op.getNumMelBins(), adaptor.getNumMelBins(), "num_mel_bins");
    if (failed(numMel))
      return failure();
    auto dftLen = readScalarInt(rewriter, loc, op, op.getDftLength(), adaptor.getDftLength(), "dft_length");
    if (failed(dftLen))
      return failure();
    auto rate = readScalarInt(rewriter, loc, op, op.getSampleRate(), adaptor.getSampleRate(), "sample_rate");
    if (failed(rate))
      return failure();
    auto lower = readScalarFloat(rewriter, loc, op, adaptor.getLowerEdgeHertz(), "lower_edge_hertz");
    if (failed(lower))
      return failure();
    auto upper = readScalarFloat(rewriter, loc, op, adaptor.getUpperEdgeHertz(), "upper_edge_hertz");
    if (failed(upper))
      return failure();
    if (numMel->constant && *numMel->constant != mels)
      return op.emitError("num_mel_bins ") << *numMel->constant << " differs from the result's " << mels;
    if (dftLen->constant && (*dftLen->constant < 1 || *dftLen->constant / 2 + 1 != bins))
      return op.emitError("dft_length ") << *dftLen->constant << " does not give the result's " << bins
                                         << " spectrogram bins";
    if (rate->constant && *rate->constant < 1)
      return op.emitError("sample_rate must be positive, not ") << *rate->constant;
    Value valid;
    if (!numMel->constant || !dftLen->constant) {
      valid = eqI64(rewriter, loc, numMel->value, mels);
      Value half = arith::AddIOp::create(
          rewriter, loc, arith::DivSIOp::create(rewriter, loc, dftLen->value, i64Const(rewriter, loc, 2)),
          i64Const(rewriter, loc, 1));
      valid = andI1(rewriter, loc, valid, eqI64(rewriter, loc, half, bins));
    }

    OpBuilder &b0 = rewriter;
    auto toF = [&](Value i64v) { return arith::SIToFPOp::create(b0, loc, b0.getF64Type(), i64v).getResult(); };
    auto hzToMel = [&](Value hz) {
      Value r = arith::AddFOp::create(b0, loc, f64Const(b0, loc, 1.0),
                                      arith::DivFOp::create(b0, loc, hz, f64Const(b0, loc, 700.0)));
      return arith::MulFOp::create(b0, loc, f64Const(b0, loc, 2595.0), math::Log10Op::create(b0, loc, r)).getResult();
    };
    Value lowMel = hzToMel(*lower), highMel = hzToMel(*upper);
    Value edges = arith::AddIOp::create(rewriter, loc, numMel->value, i64Const(rewriter, loc, 2));
    Value melStep =
        arith::DivFOp::create(rewriter, loc, arith::SubFOp::create(rewriter, loc, highMel, lowMel), toF(edges));
    Value dftPlus1 = toF(arith::AddIOp::create(rewriter, loc, dftLen->value, i64Const(rewriter, loc, 1)));
    Value rateF = toF(rate->value);
    bool isUnsigned = isUnsignedElement(op.getType());

    if (valid)
      emitRuntimeCheck(rewriter, loc, valid, RuntimeError::InvalidSize, "a size input differs from the compiled one");
    Value result = indexedGeneric(
        rewriter, loc, resultType, {}, {}, [&](OpBuilder &b, Location l, ArrayRef<Value> ivs, ValueRange) -> Value {
          auto c = [&](double v) { return f64Const(b, l, v); };
          Value j =
              arith::SIToFPOp::create(b, l, b.getF64Type(), arith::IndexCastOp::create(b, l, b.getI64Type(), ivs[0]));
          Value i =
              arith::SIToFPOp::create(b, l, b.getF64Type(), arith::IndexCastOp::create(b, l, b.getI64Type(), ivs[1]));
          // Edges are whole bins (floored), kept as f64.
          auto edge = [&](double offset) -> Value {
            Value mel = arith::AddFOp::create(
                b, l, arith::MulFOp::create(b, l, arith::AddFOp::create(b, l, i, c(offset)), melStep), lowMel);
            Value hz = arith::MulFOp::create(
                b, l, c(700.0),
                arith::SubFOp::create(
                    b, l, math::PowFOp::create(b, l, c(10.0), arith::DivFOp::create(b, l, mel, c(2595.0))), c(1.0)));
            return math::FloorOp::create(b, l,
                                         arith::DivFOp::create(b, l, arith::MulFOp::create(b, l, dftPlus1, hz), rateF));
          };
          Value left = edge(0), center = edge(1), right = edge(2);
          auto cmp = [&](arith::CmpFPredicate pr, Value x, Value y) {
            return arith::CmpFOp::create(b, l, pr, x, y).getResult();
          };
          auto both = [&](Value x, Value y) { return arith::AndIOp::create(b, l, x, y).getResult(); };
          auto sel = [&](Value cond, Value x, Value y) {
            return arith::SelectOp::create(b, l, cond, x, y).getResult();
          };
          Value riseW = arith::SubFOp::create(b, l, center, left);
          Value fallW = arith::SubFOp::create(b, l, right, center);
          Value rise = arith::DivFOp::create(b, l, arith::SubFOp::create(b, l, j, left), riseW);
          Value fall = arith::DivFOp::create(b, l, arith::SubFOp::create(b, l, right, j), fallW);
          Value inRise = both(cmp(arith::CmpFPredicate::OGE, j, left), cmp(arith::CmpFPredicate::OLE, j, center));
          Value inFall =
              both(both(cmp(arith::CmpFPredicate::OGT, fallW, c(0.0)), cmp(arith::CmpFPredicate::OGE, j, center)),
                   cmp(arith::CmpFPredicate::OLT, j, right));
          Value atCenter =
              both(cmp(arith::CmpFPredicate::OEQ, riseW, c(0.0)), cmp(arith::CmpFPredicate::OEQ, j, center));
          Value v = sel(inRise, rise, c(0.0));
          v = sel(atCenter, c(1.0), v);
          v = sel(inFall, fall, v);
          return fromF64(b, l, v, elt, isUnsigned);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void populateSignalPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<DFTLowering, STFTLowering, MelWeightMatrixLowering>(converter, ctx);
  patterns.add<WindowLowering<onnxd::HannWindowOp>>(converter, ctx, 0.5, 0.5, 0.0);
  patterns.add<WindowLowering<onnxd::HammingWindowOp>>(converter, ctx, 25.0 / 46.0, 21.0 / 46.0, 0.0);
  patterns.add<WindowLowering<onnxd::BlackmanWindowOp>>(converter, ctx, 0.42, 0.5, 0.08);
}

} // namespace mcc::lowering
