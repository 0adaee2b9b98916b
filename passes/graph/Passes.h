//===- Passes.h - graph rewrites on the onnx dialect -------------*- C++ -*-===//
#ifndef MCC_PASSES_GRAPH_PASSES_H
#define MCC_PASSES_GRAPH_PASSES_H

#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/Pass.h"

namespace mcc {
#define GEN_PASS_DECL
#include "passes/graph/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "passes/graph/Passes.h.inc"

/// Conv followed by inference BatchNormalization -> one Conv with folded constants.
void populateFoldBatchNormPatterns(mlir::RewritePatternSet &patterns);
/// mcc kernel op followed by a bias Add, a residual Add and/or an activation -> one kernel op with
/// that epilogue.
void populateFuseKernelEpiloguePatterns(mlir::RewritePatternSet &patterns);
} // namespace mcc

#endif
