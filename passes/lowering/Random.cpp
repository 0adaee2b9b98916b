//===- Random.cpp - onnx random number generators -> linalg ---------------===//
//
// RandomUniform(Like), RandomNormal(Like), Bernoulli and Multinomial, all drawn from the counter-based
// generator of Random.h: one all-parallel linalg.generic whose body hashes the element's linear index.
// Normal samples use Box-Muller on the two uniforms of counters 2i and 2i+1.
//
//===----------------------------------------------------------------------===//
#include "passes/lowering/Random.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "llvm/Support/MathExtras.h"

#include <cmath>
#include <cstring>

using namespace mlir;
namespace onnxd = mcc::onnx;

namespace mcc::lowering {

static uint64_t splitmix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

uint64_t randomKey(Operation *, std::optional<uint64_t> seedBits) {
  if (seedBits)
    return splitmix64(*seedBits);
  // The importer always sets a seed; hand-written IR without one draws the stream of seed 0.
  return splitmix64(0x6D63632D72616E64ull); // "mcc-rand"
}

Value randomBits(OpBuilder &b, Location loc, uint64_t key, Value counter) {
  Type i64 = b.getI64Type();
  auto c = [&](uint64_t v) { return arith::ConstantOp::create(b, loc, b.getIntegerAttr(i64, (int64_t)v)); };
  Value one = c(1);
  Value x = arith::AddIOp::create(
      b, loc, c(key),
      arith::MulIOp::create(b, loc, arith::AddIOp::create(b, loc, counter, one), c(0x9E3779B97F4A7C15ull)));
  auto mix = [&](Value v, uint64_t shift, uint64_t mul) -> Value {
    Value s = arith::XOrIOp::create(b, loc, v, arith::ShRUIOp::create(b, loc, v, c(shift)));
    return mul ? Value(arith::MulIOp::create(b, loc, s, c(mul))) : s;
  };
  x = mix(x, 30, 0xBF58476D1CE4E5B9ull);
  x = mix(x, 27, 0x94D049BB133111EBull);
  return mix(x, 31, 0);
}

Value unitUniform(OpBuilder &b, Location loc, Value bits, FloatType type) {
  unsigned digits = type.getFPMantissaWidth(); // including the implicit bit
  Value top = arith::ShRUIOp::create(b, loc, bits, arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(64 - digits)));
  Value f = arith::UIToFPOp::create(b, loc, type, top);
  return arith::MulFOp::create(b, loc, f, scalarConstant(b, loc, type, std::ldexp(1.0, -(int)digits)));
}

Value linearIndex(OpBuilder &b, Location loc, ArrayRef<Value> ivs, ArrayRef<int64_t> shape) {
  Value idx = arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(0));
  for (auto [iv, size] : llvm::zip(ivs, shape)) {
    idx = arith::MulIOp::create(b, loc, idx, arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(size)));
    idx = arith::AddIOp::create(b, loc, idx, arith::IndexCastOp::create(b, loc, b.getI64Type(), iv));
  }
  return idx;
}

namespace {

std::optional<uint64_t> floatSeedBits(std::optional<llvm::APFloat> seed) {
  if (!seed)
    return std::nullopt;
  double d = seed->convertToDouble();
  uint64_t bits;
  std::memcpy(&bits, &d, sizeof bits);
  return bits;
}

/// low + (high - low) * u over the whole output.
Value uniformTensor(OpBuilder &b, Location loc, RankedTensorType type, uint64_t key, double low, double high) {
  FloatType ct = cast<FloatType>(accumulatorType(type.getElementType()));
  return indexedGeneric(b, loc, type, {}, {}, [&](OpBuilder &nb, Location l, ArrayRef<Value> ivs, ValueRange) {
    Value u = unitUniform(nb, l, randomBits(nb, l, key, linearIndex(nb, l, ivs, type.getShape())), ct);
    Value r = arith::AddFOp::create(nb, l, scalarConstant(nb, l, ct, low),
                                    arith::MulFOp::create(nb, l, u, scalarConstant(nb, l, ct, high - low)));
    return convertFloat(nb, l, r, type.getElementType());
  });
}

/// mean + scale * sqrt(-2 ln(1 - u1)) * cos(2 pi u2), u1 and u2 from counters 2i and 2i + 1.
Value normalTensor(OpBuilder &b, Location loc, RankedTensorType type, uint64_t key, double mean, double scale) {
  FloatType ct = cast<FloatType>(accumulatorType(type.getElementType()));
  return indexedGeneric(b, loc, type, {}, {}, [&](OpBuilder &nb, Location l, ArrayRef<Value> ivs, ValueRange) {
    Value i = linearIndex(nb, l, ivs, type.getShape());
    Value two = arith::ConstantOp::create(nb, l, nb.getI64IntegerAttr(2));
    Value c1 = arith::MulIOp::create(nb, l, i, two);
    Value c2 = arith::AddIOp::create(nb, l, c1, arith::ConstantOp::create(nb, l, nb.getI64IntegerAttr(1)));
    Value one = scalarConstant(nb, l, ct, 1);
    Value u1 = arith::SubFOp::create(nb, l, one, unitUniform(nb, l, randomBits(nb, l, key, c1), ct)); // (0, 1]
    Value u2 = unitUniform(nb, l, randomBits(nb, l, key, c2), ct);
    Value rad = math::SqrtOp::create(
        nb, l, arith::MulFOp::create(nb, l, scalarConstant(nb, l, ct, -2), math::LogOp::create(nb, l, u1)));
    Value ang = arith::MulFOp::create(nb, l, u2, scalarConstant(nb, l, ct, 2 * llvm::numbers::pi));
    Value z = arith::MulFOp::create(nb, l, rad, math::CosOp::create(nb, l, ang));
    Value r = arith::AddFOp::create(nb, l, scalarConstant(nb, l, ct, mean),
                                    arith::MulFOp::create(nb, l, z, scalarConstant(nb, l, ct, scale)));
    return convertFloat(nb, l, r, type.getElementType());
  });
}

/// RandomUniform(Like) fill [low, high); RandomNormal(Like) draw mean + scale * N(0, 1). The Like forms
/// take their shape (and, by default, dtype) from the input, which the result type already carries.
template <typename OpT, bool normal> struct RandomFillLowering : OpConversionPattern<OpT> {
  using OpConversionPattern<OpT>::OpConversionPattern;
  LogicalResult matchAndRewrite(OpT op, typename OpT::Adaptor, ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    uint64_t key = randomKey(op, floatSeedBits(op.getSeed()));
    auto type = loweredType(op.getType());
    Value result;
    if constexpr (normal)
      result = normalTensor(rewriter, op.getLoc(), type, key, op.getMean().convertToDouble(),
                            op.getScale().convertToDouble());
    else
      result = uniformTensor(rewriter, op.getLoc(), type, key, op.getLow().convertToDouble(),
                             op.getHigh().convertToDouble());
    rewriter.replaceOp(op, result);
    return success();
  }
};
using RandomUniformLowering = RandomFillLowering<onnxd::RandomUniformOp, false>;
using RandomUniformLikeLowering = RandomFillLowering<onnxd::RandomUniformLikeOp, false>;
using RandomNormalLowering = RandomFillLowering<onnxd::RandomNormalOp, true>;
using RandomNormalLikeLowering = RandomFillLowering<onnxd::RandomNormalLikeOp, true>;

/// output[i] = u < input[i] ? 1 : 0, u uniform in [0, 1) with 53 bits.
struct BernoulliLowering : OpConversionPattern<onnxd::BernoulliOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::BernoulliOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    auto type = loweredType(op.getType());
    Type elt = type.getElementType();
    uint64_t key = randomKey(op, floatSeedBits(op.getSeed()));
    auto f64 = rewriter.getF64Type();
    auto map = rewriter.getMultiDimIdentityMap(type.getRank());
    Value r = indexedGeneric(
        rewriter, loc, type, {adaptor.getInput()}, {map},
        [&](OpBuilder &b, Location l, ArrayRef<Value> ivs, ValueRange args) -> Value {
          Value u =
              unitUniform(b, l, randomBits(b, l, key, linearIndex(b, l, ivs, type.getShape())), cast<FloatType>(f64));
          Value p = convertFloat(b, l, args[0], f64);
          Value hit = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, u, p);
          if (elt.isInteger(1))
            return hit;
          return arith::SelectOp::create(b, l, hit, scalarConstant(b, l, elt, 1), scalarConstant(b, l, elt, 0));
        });
    rewriter.replaceOp(op, r);
    return success();
  }
};

/// Each (row, sample) draws u in [0, 1) and picks the first class whose cumulative probability
/// (softmax of the row's log-probabilities) exceeds u; rounding leftovers pick the last class.
struct MultinomialLowering : OpConversionPattern<onnxd::MultinomialOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::MultinomialOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    auto type = loweredType(op.getType());
    Value in = adaptor.getInput();
    auto inType = tensorType(in);
    int64_t classes = inType.getDimSize(1);
    if (classes < 1)
      return op.emitError("class_size must be >= 1");
    FloatType ct = cast<FloatType>(accumulatorType(inType.getElementType()));
    uint64_t key = randomKey(op, floatSeedBits(op.getSeed()));
    Value r = indexedGeneric(
        rewriter, loc, type, {}, {}, [&](OpBuilder &b, Location l, ArrayRef<Value> ivs, ValueRange) -> Value {
          Value lb = arith::ConstantIndexOp::create(b, l, 0), ub = arith::ConstantIndexOp::create(b, l, classes),
                step = arith::ConstantIndexOp::create(b, l, 1);
          auto logit = [&](OpBuilder &nb, Location nl, Value c) {
            return convertFloat(nb, nl, tensor::ExtractOp::create(nb, nl, in, ValueRange{ivs[0], c}), ct);
          };
          Value lowest = arith::ConstantOp::create(
              b, l, b.getFloatAttr(ct, llvm::APFloat::getInf(ct.getFloatSemantics(), /*Negative=*/true)));
          Value mx = scf::ForOp::create(b, l, lb, ub, step, ValueRange{lowest},
                                        [&](OpBuilder &nb, Location nl, Value c, ValueRange acc) {
                                          Value m = arith::MaximumFOp::create(nb, nl, acc[0], logit(nb, nl, c));
                                          scf::YieldOp::create(nb, nl, m);
                                        })
                         .getResult(0);
          auto prob = [&](OpBuilder &nb, Location nl, Value c) -> Value {
            return math::ExpOp::create(nb, nl, arith::SubFOp::create(nb, nl, logit(nb, nl, c), mx));
          };
          Value zero = scalarConstant(b, l, ct, 0);
          Value total =
              scf::ForOp::create(b, l, lb, ub, step, ValueRange{zero},
                                 [&](OpBuilder &nb, Location nl, Value c, ValueRange acc) {
                                   scf::YieldOp::create(
                                       nb, nl, ValueRange{arith::AddFOp::create(nb, nl, acc[0], prob(nb, nl, c))});
                                 })
                  .getResult(0);
          Value u = unitUniform(b, l, randomBits(b, l, key, linearIndex(b, l, ivs, type.getShape())), ct);
          Value target = arith::MulFOp::create(b, l, u, total);
          Value last = arith::ConstantIndexOp::create(b, l, classes - 1);
          Value notFound = arith::ConstantOp::create(b, l, b.getBoolAttr(false));
          auto pick = scf::ForOp::create(b, l, lb, ub, step, ValueRange{zero, last, notFound},
                                         [&](OpBuilder &nb, Location nl, Value c, ValueRange acc) {
                                           Value cum = arith::AddFOp::create(nb, nl, acc[0], prob(nb, nl, c));
                                           Value over =
                                               arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::OGT, cum, target);
                                           Value fresh = arith::XOrIOp::create(
                                               nb, nl, acc[2], arith::ConstantOp::create(nb, nl, nb.getBoolAttr(true)));
                                           Value hit = arith::AndIOp::create(nb, nl, over, fresh);
                                           Value idx = arith::SelectOp::create(nb, nl, hit, c, acc[1]);
                                           Value found = arith::OrIOp::create(nb, nl, acc[2], hit);
                                           scf::YieldOp::create(nb, nl, ValueRange{cum, idx, found});
                                         });
          return arith::IndexCastOp::create(b, l, type.getElementType(), pick.getResult(1));
        });
    rewriter.replaceOp(op, r);
    return success();
  }
};

} // namespace

void populateRandomPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<RandomUniformLowering, RandomUniformLikeLowering, RandomNormalLowering, RandomNormalLikeLowering,
               BernoulliLowering, MultinomialLowering>(converter, patterns.getContext());
}

} // namespace mcc::lowering
