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
  let options = [
    Option<"runtimeChecks", "runtime-checks", "bool", /*default=*/"true",
           "Keep the run-time checks of index and size inputs (false only to measure what they cost: "
           "the checks' asserts are dropped and their computation is left dead)">
  ];
}

def LowerToKernelOps : Pass<"mcc-lower-to-kernel-ops", "mlir::ModuleOp"> {
  let summary = "Turn f32 MatMul, Gemm and Conv that the C microkernels cover into mcc kernel ops";
  let description = [{
    MatMul (2-D and batched, batch dims equal or broadcast from all-ones), Gemm (transA/transB; alpha
    folded into a constant B, beta into a constant C; C as column or row bias or as residual) and Conv
    (1-D and 2-D, any group, stride, dilation, padding; constant weights) with static f32 shapes become
    mcc.sgemm / mcc.conv2d on tensors. Everything else is left to mcc-lower-onnx-to-linalg. Runs only
    for targets with a kernel ISA (the driver decides).
  }];
  let dependentDialects = ["mcc::dialect::MccDialect", "mlir::tensor::TensorDialect"];
}

def LowerToQuantKernelOps : Pass<"mcc-lower-to-quant-kernel-ops", "mlir::ModuleOp"> {
  let summary = "Turn int8 MatMul and Conv forms (QOperator and QDQ) into mcc int8 kernel ops";
  let description = [{
    QLinearMatMul, MatMulInteger, QLinearConv, ConvInteger (4-D, group 1) and the QDQ pattern
    QuantizeLinear([Relu](Conv|MatMul|Gemm(DequantizeLinear(x), DequantizeLinear(w) [, bias]))) with
    constant weights, scales and zero points become mcc.qgemm / mcc.qconv2d on tensors, the weights
    shifted to s8 and the scales combined per output channel. Then DequantizeLinear of constants that
    no int8 kernel took becomes an f32 constant, so the float kernels take those layers (depthwise
    convolutions). Runs before mcc-lower-to-kernel-ops, only for targets with a kernel ISA; what it
    leaves runs through the float lowering.
  }];
  let dependentDialects = ["mcc::dialect::MccDialect", "mlir::tensor::TensorDialect"];
}

#endif
