//===- FoldBatchNorm.cpp - BatchNormalization folded into Conv ------------===//
#include "dialects/onnx/OnnxDialect.h"
#include "passes/graph/Passes.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/Support/Debug.h"

#include <cmath>

namespace mcc {
#define GEN_PASS_DEF_FOLDBATCHNORMINTOCONV
#include "passes/graph/Passes.h.inc"
} // namespace mcc

#define DEBUG_TYPE "mcc-fold-batchnorm"

using namespace mlir;
namespace onnxd = mcc::onnx;

namespace {

/// The values of a constant float tensor, widened to double.
std::optional<SmallVector<double>> constantValues(Value v) {
  auto c = v.getDefiningOp<onnxd::ConstantOp>();
  auto dense = c ? dyn_cast<DenseFPElementsAttr>(c.getValue()) : DenseFPElementsAttr();
  if (!dense)
    return std::nullopt;
  SmallVector<double> out;
  for (APFloat f : dense.getValues<APFloat>())
    out.push_back(f.convertToDouble());
  return out;
}

DenseElementsAttr toAttr(RankedTensorType type, ArrayRef<double> values) {
  auto elt = cast<FloatType>(type.getElementType());
  SmallVector<APFloat> fs;
  for (double d : values) {
    APFloat f(d);
    bool lost;
    f.convert(elt.getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
    fs.push_back(f);
  }
  return DenseElementsAttr::get(type, fs);
}

struct FoldBatchNormIntoConv : OpRewritePattern<onnxd::BatchNormalizationOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(onnxd::BatchNormalizationOp bn, PatternRewriter &rewriter) const override {
    auto conv = bn.getX().getDefiningOp<onnxd::ConvOp>();
    if (!conv || !conv->hasOneUse() || bn.getTrainingMode() != 0 || !onnxd::isNoValue(bn.getRunningMean()) ||
        !onnxd::isNoValue(bn.getRunningVar()))
      return failure();
    auto wType = onnxd::tensorTypeOf(conv.getW());
    if (!wType.hasStaticShape() || !isa<FloatType>(wType.getElementType()))
      return failure();
    auto w = constantValues(conv.getW());
    auto scale = constantValues(bn.getScale()), beta = constantValues(bn.getB()),
         mean = constantValues(bn.getInputMean()), var = constantValues(bn.getInputVar());
    if (!w || !scale || !beta || !mean || !var)
      return failure();
    int64_t m = wType.getDimSize(0);
    if ((int64_t)scale->size() != m || (int64_t)beta->size() != m || (int64_t)mean->size() != m ||
        (int64_t)var->size() != m)
      return failure();
    SmallVector<double> bias(m, 0.0);
    if (!onnxd::isNoValue(conv.getB())) {
      auto b = constantValues(conv.getB());
      if (!b || (int64_t)b->size() != m)
        return failure();
      bias = *b;
    }
    double eps = bn.getEpsilon().convertToDouble();
    int64_t perChannel = wType.getNumElements() / m;
    SmallVector<double> newW(*w), newB(m);
    for (int64_t c = 0; c < m; ++c) {
      double a = (*scale)[c] / std::sqrt((*var)[c] + eps);
      for (int64_t i = 0; i < perChannel; ++i)
        newW[c * perChannel + i] *= a;
      newB[c] = (bias[c] - (*mean)[c]) * a + (*beta)[c];
    }
    Location loc = rewriter.getFusedLoc({conv.getLoc(), bn.getLoc()});
    auto bType = RankedTensorType::get({m}, wType.getElementType());
    Value wConst = onnxd::ConstantOp::create(rewriter, loc, wType, cast<ElementsAttr>(toAttr(wType, newW)));
    Value bConst = onnxd::ConstantOp::create(rewriter, loc, bType, cast<ElementsAttr>(toAttr(bType, newB)));
    auto folded = onnxd::ConvOp::create(rewriter, loc, bn.getY().getType(), conv.getX(), wConst, bConst,
                                        conv.getAutoPadAttr(), conv.getDilationsAttr(), conv.getGroupAttr(),
                                        conv.getKernelShapeAttr(), conv.getPadsAttr(), conv.getStridesAttr());
    Value none = onnxd::NoValueOp::create(rewriter, loc, rewriter.getNoneType());
    LLVM_DEBUG(llvm::dbgs() << DEBUG_TYPE << ": folded " << bn.getLoc() << " into " << conv.getLoc() << "\n");
    rewriter.replaceOp(bn, {folded.getY(), none, none});
    rewriter.eraseOp(conv);
    return success();
  }
};

struct FoldBatchNormIntoConvPass : mcc::impl::FoldBatchNormIntoConvBase<FoldBatchNormIntoConvPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    mcc::populateFoldBatchNormPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mcc::populateFoldBatchNormPatterns(RewritePatternSet &patterns) {
  patterns.add<FoldBatchNormIntoConv>(patterns.getContext());
}
