//===- FuseKernelEpilogues.cpp - bias, residual, activation into kernel ops ===//
//
// An mcc.sgemm / mcc.conv2d whose only user is an onnx Add of a constant bias, an Add of a tensor of
// its own shape (residual) or an activation takes that user into its epilogue, in kernels.h's order:
// acc + bias + residual, then the activation. Each step needs the previous ones to be empty (a bias
// after an activation is not an epilogue), so a chain Conv -> Add(bias) -> Add(x) -> Relu folds whole.
//
//===----------------------------------------------------------------------===//
#include "dialects/mcc/MccDialect.h"
#include "dialects/onnx/OnnxDialect.h"
#include "passes/graph/Passes.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/Support/Debug.h"

#include <limits>

namespace mcc {
#define GEN_PASS_DEF_FUSEKERNELEPILOGUES
#include "passes/graph/Passes.h.inc"
} // namespace mcc

using namespace mlir;
namespace onnxd = mcc::onnx;
namespace mccd = mcc::dialect;

#define DEBUG_TYPE "mcc-fuse-kernel-epilogues"

namespace {

/// The epilogue of a kernel op, read and rebuilt alike for both ops.
struct Epilogue {
  Value bias, residual;
  mccd::Activation act = mccd::Activation::none;
  float alpha = 0.0f, beta = 0.0f;
};

Epilogue epilogueOf(Operation *op) {
  if (auto g = dyn_cast<mccd::SgemmOp>(op))
    return {g.getBias(), g.getResidual(), g.getAct(), g.getAlpha().convertToFloat(), g.getBeta().convertToFloat()};
  auto c = cast<mccd::Conv2dOp>(op);
  return {c.getBias(), c.getResidual(), c.getAct(), c.getAlpha().convertToFloat(), c.getBeta().convertToFloat()};
}

/// The kernel op that produces `v` and has no other user, or null.
Operation *soleKernelProducer(Value v) {
  Operation *op = v.getDefiningOp();
  if (!op || !isa<mccd::SgemmOp, mccd::Conv2dOp>(op) || !v.hasOneUse())
    return nullptr;
  return op;
}

/// Replaces `consumer` by a copy of `kernel` with epilogue `e`, built where `consumer` is (every operand
/// of both dominates it), and erases `kernel`.
void rebuild(PatternRewriter &rewriter, Operation *kernel, Operation *consumer, const Epilogue &e) {
  rewriter.setInsertionPoint(consumer);
  Location loc = rewriter.getFusedLoc({kernel->getLoc(), consumer->getLoc()});
  auto actAttr = mccd::ActivationAttr::get(rewriter.getContext(), e.act);
  Operation *fused;
  if (auto g = dyn_cast<mccd::SgemmOp>(kernel)) {
    auto op =
        mccd::SgemmOp::create(rewriter, loc, g.getResultTypes(), g.getA(), g.getB(), e.bias, e.residual, g.getInit());
    op.setTransA(g.getTransA());
    op.setTransB(g.getTransB());
    op.setBPacked(g.getBPacked());
    if (auto bw = g.getBSparseAttr())
      op.setBSparseAttr(bw);
    op.setBiasPerM(g.getBiasPerM());
    op.setActAttr(actAttr);
    op.setAlphaAttr(rewriter.getF32FloatAttr(e.alpha));
    op.setBetaAttr(rewriter.getF32FloatAttr(e.beta));
    if (auto config = g.getLoweringConfigAttr())
      op.setLoweringConfigAttr(config);
    fused = op;
  } else {
    auto c = cast<mccd::Conv2dOp>(kernel);
    auto op =
        mccd::Conv2dOp::create(rewriter, loc, c.getResultTypes(), c.getInput(), c.getFilter(), e.bias, e.residual,
                               c.getInit(), c.getKernel(), c.getStrides(), c.getDilations(), c.getPads(), c.getGroup());
    op.setFilterPacked(c.getFilterPacked());
    if (auto bw = c.getFilterSparseAttr())
      op.setFilterSparseAttr(bw);
    op.setActAttr(actAttr);
    op.setAlphaAttr(rewriter.getF32FloatAttr(e.alpha));
    op.setBetaAttr(rewriter.getF32FloatAttr(e.beta));
    if (auto config = c.getLoweringConfigAttr())
      op.setLoweringConfigAttr(config);
    fused = op;
  }
  // tensor.empty inits sit before the kernel op already; the new op is later still.
  rewriter.replaceOp(consumer, fused->getResults());
  rewriter.eraseOp(kernel);
}

/// The values of a constant f32 tensor.
std::optional<SmallVector<float>> constantFloats(Value v) {
  auto c = v.getDefiningOp<onnxd::ConstantOp>();
  auto dense = c ? dyn_cast<DenseElementsAttr>(c.getValue()) : DenseElementsAttr();
  if (!dense || !dense.getElementType().isF32())
    return std::nullopt;
  return SmallVector<float>(dense.getValues<float>());
}

/// The bias `c` (a constant broadcast into `result`) as one value per bias element (per column of an
/// sgemm, per row with bias_per_m, per channel of a conv), or nullopt if it varies along another axis.
std::optional<SmallVector<float>> biasValues(Operation *kernel, RankedTensorType result, Value c) {
  auto values = constantFloats(c);
  auto cType = cast<RankedTensorType>(c.getType());
  if (!values || cType.getRank() > result.getRank())
    return std::nullopt;
  int64_t rank = result.getRank();
  int64_t axis = rank - 1;
  if (isa<mccd::Conv2dOp>(kernel))
    axis = 1;
  else if (cast<mccd::SgemmOp>(kernel).getBiasPerM())
    axis = rank - 2;
  int64_t size = result.getDimSize(axis);
  // Right-aligned, every dim of c but `axis` must be 1; `axis` is 1 (a splat) or the full size.
  int64_t offset = rank - cType.getRank();
  for (int64_t i = 0; i < cType.getRank(); ++i)
    if (i + offset != axis && cType.getDimSize(i) != 1)
      return std::nullopt;
  if (values->size() == 1)
    return SmallVector<float>(size, (*values)[0]);
  if ((int64_t)values->size() != size)
    return std::nullopt;
  return values;
}

struct FuseBiasAdd : OpRewritePattern<onnxd::AddOp> {
  FuseBiasAdd(MLIRContext *ctx) : OpRewritePattern(ctx, /*benefit=*/2) {}
  LogicalResult matchAndRewrite(onnxd::AddOp add, PatternRewriter &rewriter) const override {
    for (auto [x, c] : {std::pair{add.getA(), add.getB()}, {add.getB(), add.getA()}}) {
      Operation *kernel = soleKernelProducer(x);
      if (!kernel || add.getType() != x.getType())
        continue;
      Epilogue e = epilogueOf(kernel);
      if (e.residual || e.act != mccd::Activation::none)
        continue;
      auto values = biasValues(kernel, cast<RankedTensorType>(x.getType()), c);
      if (!values)
        continue;
      if (e.bias) {
        auto old = constantFloats(e.bias);
        if (!old || old->size() != values->size())
          continue;
        for (size_t i = 0; i < values->size(); ++i)
          (*values)[i] += (*old)[i];
      }
      rewriter.setInsertionPoint(add);
      auto type = RankedTensorType::get({(int64_t)values->size()}, rewriter.getF32Type());
      e.bias = onnxd::ConstantOp::create(rewriter, add.getLoc(), type,
                                         cast<ElementsAttr>(DenseElementsAttr::get(type, ArrayRef<float>(*values))));
      rebuild(rewriter, kernel, add, e);
      return success();
    }
    return failure();
  }
};

struct FuseResidualAdd : OpRewritePattern<onnxd::AddOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(onnxd::AddOp add, PatternRewriter &rewriter) const override {
    for (auto [x, r] : {std::pair{add.getA(), add.getB()}, {add.getB(), add.getA()}}) {
      Operation *kernel = soleKernelProducer(x);
      if (!kernel || add.getType() != x.getType() || r.getType() != x.getType())
        continue;
      Epilogue e = epilogueOf(kernel);
      if (e.residual || e.act != mccd::Activation::none)
        continue;
      e.residual = r;
      rebuild(rewriter, kernel, add, e);
      return success();
    }
    return failure();
  }
};

/// A scalar bound of Clip: its constant value, `dflt` when omitted, nullopt when not constant.
std::optional<float> clipBound(Value v, float dflt) {
  if (onnxd::isNoValue(v))
    return dflt;
  auto values = constantFloats(v);
  if (!values || values->size() != 1)
    return std::nullopt;
  return (*values)[0];
}

/// Unary activations: the op's input must be a kernel result with no other user.
struct FuseActivation : RewritePattern {
  FuseActivation(MLIRContext *ctx) : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, ctx) {}
  LogicalResult matchAndRewrite(Operation *op, PatternRewriter &rewriter) const override {
    if (!isa<onnxd::ReluOp, onnxd::ClipOp, onnxd::LeakyReluOp, onnxd::SigmoidOp, onnxd::HardSigmoidOp,
             onnxd::HardSwishOp, onnxd::TanhOp>(op) ||
        op->getNumResults() != 1 || op->getOperand(0).getType() != op->getResult(0).getType())
      return failure();
    Operation *kernel = soleKernelProducer(op->getOperand(0));
    if (!kernel)
      return failure();
    Epilogue e = epilogueOf(kernel);
    if (e.act != mccd::Activation::none)
      return failure();
    using A = mccd::Activation;
    if (isa<onnxd::ReluOp>(op)) {
      e.act = A::relu;
    } else if (auto clip = dyn_cast<onnxd::ClipOp>(op)) {
      auto lo = clipBound(clip.getMin(), -std::numeric_limits<float>::infinity());
      auto hi = clipBound(clip.getMax(), std::numeric_limits<float>::infinity());
      if (!lo || !hi)
        return failure();
      e.act = A::clip;
      e.alpha = *lo;
      e.beta = *hi;
    } else if (auto leaky = dyn_cast<onnxd::LeakyReluOp>(op)) {
      e.act = A::leaky_relu;
      e.alpha = leaky.getAlpha().convertToFloat();
    } else if (isa<onnxd::SigmoidOp>(op)) {
      e.act = A::sigmoid;
    } else if (auto hs = dyn_cast<onnxd::HardSigmoidOp>(op)) {
      e.act = A::hard_sigmoid;
      e.alpha = hs.getAlpha().convertToFloat();
      e.beta = hs.getBeta().convertToFloat();
    } else if (isa<onnxd::HardSwishOp>(op)) {
      e.act = A::hard_swish;
    } else {
      e.act = A::tanh;
    }
    rebuild(rewriter, kernel, op, e);
    return success();
  }
};

/// x * Sigmoid(x) (SiLU / Swish) with x a kernel result used by exactly those two ops.
struct FuseSilu : OpRewritePattern<onnxd::MulOp> {
  FuseSilu(MLIRContext *ctx) : OpRewritePattern(ctx, /*benefit=*/2) {}
  LogicalResult matchAndRewrite(onnxd::MulOp mul, PatternRewriter &rewriter) const override {
    for (auto [x, s] : {std::pair{mul.getA(), mul.getB()}, {mul.getB(), mul.getA()}}) {
      auto sigmoid = s.getDefiningOp<onnxd::SigmoidOp>();
      Operation *kernel = x.getDefiningOp();
      if (!sigmoid || sigmoid.getX() != x || !s.hasOneUse() || !kernel || !isa<mccd::SgemmOp, mccd::Conv2dOp>(kernel) ||
          mul.getType() != x.getType() ||
          llvm::any_of(x.getUsers(), [&](Operation *u) { return u != mul && u != sigmoid; }))
        continue;
      Epilogue e = epilogueOf(kernel);
      if (e.act != mccd::Activation::none)
        continue;
      e.act = mccd::Activation::silu;
      rebuild(rewriter, kernel, mul, e);
      rewriter.eraseOp(sigmoid);
      return success();
    }
    return failure();
  }
};

struct FuseKernelEpiloguesPass : mcc::impl::FuseKernelEpiloguesBase<FuseKernelEpiloguesPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    mcc::populateFuseKernelEpiloguePatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
    LLVM_DEBUG({
      unsigned kernels = 0;
      getOperation()->walk([&](Operation *op) { kernels += isa<mccd::SgemmOp, mccd::Conv2dOp>(op); });
      llvm::dbgs() << DEBUG_TYPE << ": " << kernels << " kernel ops after epilogue fusion\n";
    });
  }
};

} // namespace

void mcc::populateFuseKernelEpiloguePatterns(RewritePatternSet &patterns) {
  patterns.add<FuseBiasAdd, FuseResidualAdd, FuseActivation, FuseSilu>(patterns.getContext());
}
