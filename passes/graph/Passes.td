#ifndef MCC_PASSES_GRAPH_PASSES
#define MCC_PASSES_GRAPH_PASSES

include "mlir/Pass/PassBase.td"

def FoldBatchNormIntoConv : Pass<"mcc-fold-batchnorm", "mlir::ModuleOp"> {
  let summary = "Fold inference BatchNormalization into the Conv that feeds it";
  let description = [{
    y = (conv(x, W) + B - mean) * scale / sqrt(var + eps) + beta becomes conv(x, W') + B' with
    W'[m] = W[m] * a[m] and B' = (B - mean) * a + beta, a = scale / sqrt(var + eps), computed at
    compile time when W, B and the statistics are constants and the Conv has no other user.
  }];
}

#endif
