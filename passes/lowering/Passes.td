#ifndef MCC_PASSES_LOWERING_PASSES
#define MCC_PASSES_LOWERING_PASSES

include "mlir/Pass/PassBase.td"

def LowerOnnxToLinalg : Pass<"mcc-lower-onnx-to-linalg", "mlir::ModuleOp"> {
  let summary = "Lower the onnx dialect to linalg, tensor, arith, math and scf on tensors";
  let description = [{
    Every onnx op becomes upstream ops on tensors; an op or attribute combination that has no
    lowering is an error located at its node, never a silent fallback.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect", "mlir::tensor::TensorDialect",
                           "mlir::arith::ArithDialect", "mlir::math::MathDialect",
                           "mlir::scf::SCFDialect", "mlir::cf::ControlFlowDialect"];
}

#endif
