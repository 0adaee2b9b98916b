//===- LowerOnnxToLinalg.cpp - the onnx -> linalg conversion pass ---------===//
#include "dialects/mcc/MccDialect.h"
#include "passes/lowering/LoweringUtils.h"
#include "passes/lowering/NarrowTypes.h"
#include "passes/lowering/Passes.h"
#include "passes/lowering/RuntimeChecks.h"

#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "llvm/Support/Debug.h"

namespace mcc {
#define GEN_PASS_DEF_LOWERONNXTOLINALG
#include "passes/lowering/Passes.h.inc"
} // namespace mcc

#define DEBUG_TYPE "mcc-lower-onnx-to-linalg"

using namespace mlir;

namespace {
struct LowerOnnxToLinalgPass : mcc::impl::LowerOnnxToLinalgBase<LowerOnnxToLinalgPass> {
  using LowerOnnxToLinalgBase::LowerOnnxToLinalgBase;

  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    mcc::lowering::OnnxTypeConverter converter;
    mcc::lowering::populateElementwisePatterns(converter, patterns);
    mcc::lowering::populateMatMulPatterns(converter, patterns);
    mcc::lowering::populateConvPatterns(converter, patterns);
    mcc::lowering::populatePoolingPatterns(converter, patterns);
    mcc::lowering::populateNormalizationPatterns(converter, patterns);
    mcc::lowering::populateTensorPatterns(converter, patterns);
    mcc::lowering::populateGatherScatterPatterns(converter, patterns);
    mcc::lowering::populateGeneratorPatterns(converter, patterns);
    mcc::lowering::populateResizePatterns(converter, patterns);
    mcc::lowering::populateDataDependentPatterns(converter, patterns);
    mcc::lowering::populateReductionPatterns(converter, patterns);
    mcc::lowering::populateQuantizationPatterns(converter, patterns);
    mcc::lowering::populateRecurrentPatterns(converter, patterns);
    mcc::lowering::populateControlFlowPatterns(converter, patterns);
    mcc::lowering::populateSignalPatterns(converter, patterns);
    mcc::lowering::populateTextPatterns(converter, patterns);
    mcc::lowering::populateRandomPatterns(converter, patterns);
    mcc::lowering::populateMccTypeConversionPatterns(converter, patterns);
    mcc::lowering::populateNarrowTypePatterns(converter, patterns);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns, converter);
    populateReturnOpTypeConversionPattern(patterns, converter);
    LLVM_DEBUG(llvm::dbgs() << DEBUG_TYPE << ": " << patterns.getNativePatterns().size() << " patterns\n");

    ConversionTarget target(*ctx);
    target.addLegalDialect<linalg::LinalgDialect, tensor::TensorDialect, arith::ArithDialect, math::MathDialect,
                           func::FuncDialect, scf::SCFDialect>();
    target.addLegalOp<cf::AssertOp>(); // run-time checks of input values (RuntimeChecks.h)
    target.addIllegalDialect<mcc::onnx::OnnxDialect>();
    target.addLegalOp<mcc::onnx::NoValueOp>(); // placeholders, erased below once unused
    // Kernel ops formed on the onnx dialect are legal once their types are (int8 ones may carry ui8).
    target.addDynamicallyLegalOp<mcc::dialect::QgemmOp, mcc::dialect::QConv2dOp>(
        [&](Operation *op) { return converter.isLegal(op); });
    // Signatures and returns are legal once no unsigned integer types remain.
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp f) {
      return converter.isSignatureLegal(f.getFunctionType()) && converter.isLegal(&f.getBody());
    });
    target.addDynamicallyLegalOp<func::ReturnOp>(
        [&](func::ReturnOp r) { return converter.isLegal(r.getOperandTypes()); });
    if (failed(applyPartialConversion(getOperation(), target, std::move(patterns)))) {
      signalPassFailure();
      return;
    }
    getOperation().walk([](mcc::onnx::NoValueOp op) {
      if (op->use_empty())
        op->erase();
    });
    if (!runtimeChecks)
      getOperation().walk([](cf::AssertOp op) {
        if (op.getMsg().starts_with(mcc::lowering::kStatusAssertPrefix))
          op->erase();
      });
  }
};
} // namespace
