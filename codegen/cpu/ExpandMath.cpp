//===- ExpandMath.cpp - math functions as inline arithmetic ---------------===//
//
// A loop that calls libm (expf, erff, tanhf, ...) stays scalar: LLVM's loop
// vectorizer has no vector variant to call. Replacing the f32 functions models
// use with MLIR's polynomial approximations (arithmetic, selects and bit casts
// only) lets the loops around them vectorise. Their error is a few ulp, well
// inside the 1e-3 relative tolerance ONNX and mcc's model tests hold outputs
// to, and they keep the special values (NaN, infinities, overflow to inf,
// underflow to 0).
//
// Pow with a constant exponent becomes multiplies (or a square root), as x^2 in
// exported LayerNorm and x^3 in tanh-GELU: exact or within one rounding of
// powf, and a loop LLVM can vectorise.
//
//===----------------------------------------------------------------------===//
#include "codegen/cpu/Passes.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/Support/Debug.h"

namespace mcc {
#define GEN_PASS_DEF_EXPANDMATH
#include "codegen/cpu/Passes.h.inc"
} // namespace mcc

using namespace mlir;

#define DEBUG_TYPE "mcc-expand-math"

namespace {

/// pow(x, c) for c in {-1, 0.5, 1, 2, 3}.
struct PowByConstant : OpRewritePattern<math::PowFOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(math::PowFOp op, PatternRewriter &rewriter) const override {
    FloatAttr exponent;
    if (!matchPattern(op.getRhs(), m_Constant(&exponent))) {
      // A splat vector exponent counts too.
      DenseFPElementsAttr splat;
      if (!matchPattern(op.getRhs(), m_Constant(&splat)) || !splat.isSplat())
        return failure();
      exponent = FloatAttr::get(splat.getElementType(), splat.getSplatValue<APFloat>());
    }
    double c = exponent.getValueAsDouble();
    Location loc = op.getLoc();
    Value x = op.getLhs();
    Type type = x.getType();
    auto constant = [&](double v) {
      Type elt = getElementTypeOrSelf(type);
      TypedAttr attr = rewriter.getFloatAttr(elt, v);
      if (auto shaped = dyn_cast<ShapedType>(type))
        attr = DenseElementsAttr::get(shaped, attr);
      return arith::ConstantOp::create(rewriter, loc, type, attr);
    };
    Value r;
    if (c == 1) {
      r = x;
    } else if (c == 2) {
      r = arith::MulFOp::create(rewriter, loc, x, x);
    } else if (c == 3) {
      r = arith::MulFOp::create(rewriter, loc, arith::MulFOp::create(rewriter, loc, x, x), x);
    } else if (c == -1) {
      r = arith::DivFOp::create(rewriter, loc, constant(1), x);
    } else if (c == 0.5) {
      // powf(-inf, 0.5) is +inf where sqrt gives NaN; -0 gives +0 against -0,
      // an equal value.
      Value ninf = constant(-std::numeric_limits<double>::infinity());
      Value isNegInf = arith::CmpFOp::create(rewriter, loc, arith::CmpFPredicate::OEQ, x, ninf);
      r = arith::SelectOp::create(rewriter, loc, isNegInf, constant(std::numeric_limits<double>::infinity()),
                                  math::SqrtOp::create(rewriter, loc, x));
    } else {
      return failure();
    }
    rewriter.replaceOp(op, r);
    return success();
  }
};

struct ExpandMathPass : mcc::impl::ExpandMathBase<ExpandMathPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    mcc::populateExpandMathPatterns(patterns);
    LLVM_DEBUG(llvm::dbgs() << DEBUG_TYPE << ": " << "expanding math in " << getOperation().getName() << "\n");
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mcc::populateExpandMathPatterns(RewritePatternSet &patterns) {
  patterns.add<PowByConstant>(patterns.getContext());
  // f32 only (the approximations check the element type); f64 keeps libm's
  // correctly rounded results.
  populateMathPolynomialApproximationPatterns(patterns, [](StringRef name) {
    return llvm::is_contained(
        {"math.exp", "math.expm1", "math.log", "math.log1p", "math.log2", "math.tanh", "math.erf"}, name);
  });
}
