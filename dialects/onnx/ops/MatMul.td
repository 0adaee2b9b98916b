//===- MatMul.td - onnx MatMul, Gemm, Einsum and friends -----*- tablegen -*-===//
#ifndef MCC_ONNX_OPS_MATMUL
#define MCC_ONNX_OPS_MATMUL

include "dialects/onnx/OnnxBase.td"

def Onnx_MatMulOp : Onnx_Op<"MatMul"> {
  let summary = "numpy matmul: batched, broadcast, 1-D operands promoted";
  let arguments = (ins AnyRankedTensor:$A, AnyRankedTensor:$B);
  let results = (outs AnyRankedTensor:$Y);
  let assemblyFormat = "$A `,` $B attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Onnx_GemmOp : Onnx_Op<"Gemm"> {
  let summary = "alpha * op(A) * op(B) + beta * C, C unidirectionally broadcast";
  let arguments = (ins AnyRankedTensor:$A, AnyRankedTensor:$B, TensorOrNone:$C,
                   DefaultValuedAttr<F32Attr, "1.0">:$alpha,
                   DefaultValuedAttr<F32Attr, "1.0">:$beta,
                   DefaultValuedAttr<I64Attr, "0">:$transA,
                   DefaultValuedAttr<I64Attr, "0">:$transB);
  let results = (outs AnyRankedTensor:$Y);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Onnx_EinsumOp : Onnx_Op<"Einsum"> {
  let summary = "Einstein summation: diagonals, broadcasting with '...', implicit or explicit output";
  let arguments = (ins Variadic<AnyRankedTensor>:$Inputs, StrAttr:$equation);
  let results = (outs AnyRankedTensor:$Output);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_DetOp : Onnx_Op<"Det"> {
  let summary = "determinant of the trailing square matrices";
  let arguments = (ins AnyRankedTensor:$X);
  let results = (outs AnyRankedTensor:$Y);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Onnx_MatMulIntegerOp : Onnx_Op<"MatMulInteger"> {
  let summary = "8-bit numpy matmul with zero points, accumulated in int32";
  let arguments = (ins AnyRankedTensor:$A, AnyRankedTensor:$B, TensorOrNone:$a_zero_point,
                   TensorOrNone:$b_zero_point);
  let results = (outs AnyRankedTensor:$Y);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_QLinearMatMulOp : Onnx_Op<"QLinearMatMul"> {
  let summary = "quantized numpy matmul: int32 accumulation, requantized to the output scale";
  let arguments = (ins AnyRankedTensor:$a, AnyRankedTensor:$a_scale, AnyRankedTensor:$a_zero_point,
                   AnyRankedTensor:$b, AnyRankedTensor:$b_scale, AnyRankedTensor:$b_zero_point,
                   AnyRankedTensor:$y_scale, AnyRankedTensor:$y_zero_point);
  let results = (outs AnyRankedTensor:$y);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

#endif
