//===- LowerOnnxToLinalg.cpp - the onnx -> linalg conversion pass ---------===//
#include "passes/lowering/LoweringUtils.h"
#include "passes/lowering/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace mcc {
#define GEN_PASS_DEF_LOWERONNXTOLINALG
#include "passes/lowering/Passes.h.inc"
} // namespace mcc

using namespace mlir;

namespace {
struct LowerOnnxToLinalgPass : mcc::impl::LowerOnnxToLinalgBase<LowerOnnxToLinalgPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    mcc::lowering::populateElementwisePatterns(patterns);
    mcc::lowering::populateMatMulPatterns(patterns);
    mcc::lowering::populateConvPatterns(patterns);
    mcc::lowering::populatePoolingPatterns(patterns);
    mcc::lowering::populateNormalizationPatterns(patterns);
    mcc::lowering::populateTensorPatterns(patterns);

    ConversionTarget target(*ctx);
    target.addLegalDialect<linalg::LinalgDialect, tensor::TensorDialect, arith::ArithDialect,
                           math::MathDialect, func::FuncDialect>();
    target.addIllegalDialect<mcc::onnx::OnnxDialect>();
    target.addLegalOp<mcc::onnx::NoValueOp>(); // placeholders, erased below once unused
    if (failed(applyPartialConversion(getOperation(), target, std::move(patterns)))) {
      signalPassFailure();
      return;
    }
    getOperation().walk([](mcc::onnx::NoValueOp op) {
      if (op->use_empty())
        op->erase();
    });
  }
};
} // namespace
