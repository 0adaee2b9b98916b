//===- FuseElementwise.cpp - elementwise fusion with a bounded body -------===//
//
// linalg-fuse-elementwise-ops with one more rule: fusion stops once the fused body would exceed
// `max-body-ops` operations. Each fusion clones the producer's body, so fusing a chain of n
// elementwise ops into one costs O(n^2) (a 20,000-node Relu chain never finished); with the bound
// the chain becomes n / max-body-ops generics and the pass is linear. Real epilogues (bias, norm,
// activation, residual) stay far below the bound and fuse as before.
//
//===----------------------------------------------------------------------===//
#include "codegen/cpu/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/Support/Debug.h"

namespace mcc {
#define GEN_PASS_DEF_FUSEELEMENTWISE
#include "codegen/cpu/Passes.h.inc"
} // namespace mcc

using namespace mlir;

#define DEBUG_TYPE "mcc-fuse-elementwise"

namespace {

/// Operations in the body of `op` (a linalg op), counting up to `limit + 1` only.
int64_t bodySize(Operation *op, int64_t limit) {
  int64_t n = 0;
  for (Region &r : op->getRegions())
    for (Block &b : r)
      for (Operation &inner : b) {
        (void)inner;
        if (++n > limit)
          return n;
      }
  return n;
}

struct FuseElementwisePass : mcc::impl::FuseElementwiseBase<FuseElementwisePass> {
  using FuseElementwiseBase::FuseElementwiseBase;

  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    int64_t limit = maxBodyOps;
    linalg::ControlFusionFn control = [limit](OpOperand *fused) {
      Operation *producer = fused->get().getDefiningOp();
      if (!producer || !producer->hasOneUse())
        return false;
      Operation *consumer = fused->getOwner();
      if (!isa<linalg::LinalgOp>(producer) || !isa<linalg::LinalgOp>(consumer))
        return true; // reshapes and constants: no body grows
      return bodySize(producer, limit) + bodySize(consumer, limit) <= limit;
    };
    RewritePatternSet patterns(ctx);
    LLVM_DEBUG(llvm::dbgs() << DEBUG_TYPE << ": " << "fusing elementwise producers, body limit " << limit << " ops\n");
    linalg::populateElementwiseOpsFusionPatterns(patterns, control);
    linalg::populateFoldReshapeOpsByExpansionPatterns(patterns, control);
    tensor::populateBubbleUpExpandShapePatterns(patterns);
    affine::AffineApplyOp::getCanonicalizationPatterns(patterns, ctx);
    linalg::GenericOp::getCanonicalizationPatterns(patterns, ctx);
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, ctx);
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, ctx);
    ctx->getLoadedDialect<linalg::LinalgDialect>()->getCanonicalizationPatterns(patterns);
    linalg::populateConstantFoldLinalgOperations(patterns, control);
    // Top-down: each producer is final before its consumers look at it, so a chain is walked once.
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns),
                                     GreedyRewriteConfig().setUseTopDownTraversal(true))))
      return; // did not converge within the iteration limit: what was fused is still correct
  }
};

} // namespace
