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

def FuseKernelEpilogues : Pass<"mcc-fuse-kernel-epilogues", "mlir::ModuleOp"> {
  let summary = "Fold bias Adds, residual Adds and activations into mcc.sgemm / mcc.conv2d";
  let description = [{
    A kernel op whose result has one user takes that user into its epilogue (kernels.h's order:
    acc + bias + residual, then act): an Add of a constant broadcast along the output channels (conv),
    the columns (sgemm) or the rows (sgemm with bias_per_m), summed into an existing constant bias; an
    Add of another tensor of the result's shape (residual); Relu, Clip with constant bounds (Relu6),
    LeakyRelu, Sigmoid, HardSigmoid, HardSwish, Tanh, and x * Sigmoid(x) (SiLU, where x's two users are
    that Mul and that Sigmoid). Runs after mcc-lower-to-kernel-ops, before the linalg lowering.
  }];
  let dependentDialects = ["mcc::dialect::MccDialect"];
}

#endif
