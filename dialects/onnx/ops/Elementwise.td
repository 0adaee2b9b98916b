//===- Elementwise.td - onnx elementwise math, logic, comparison and cast ops -----*- tablegen -*-===//
#ifndef MCC_ONNX_OPS_ELEMENTWISE
#define MCC_ONNX_OPS_ELEMENTWISE

include "dialects/onnx/OnnxBase.td"

class Onnx_BinaryOp<string mnemonic> : Onnx_Op<mnemonic> {
  let summary = "elementwise " # mnemonic # " with numpy broadcasting";
  let arguments = (ins AnyRankedTensor:$A, AnyRankedTensor:$B);
  let results = (outs AnyRankedTensor:$C);
  let assemblyFormat = "$A `,` $B attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}
def Onnx_AddOp : Onnx_BinaryOp<"Add">;
def Onnx_SubOp : Onnx_BinaryOp<"Sub">;
def Onnx_MulOp : Onnx_BinaryOp<"Mul">;
def Onnx_DivOp : Onnx_BinaryOp<"Div">;

class Onnx_UnaryOp<string mnemonic> : Onnx_Op<mnemonic> {
  let summary = "elementwise " # mnemonic;
  let arguments = (ins AnyRankedTensor:$X);
  let results = (outs AnyRankedTensor:$Y);
  let assemblyFormat = "$X attr-dict `:` functional-type(operands, results)";
}
def Onnx_ReluOp : Onnx_UnaryOp<"Relu">;
def Onnx_SigmoidOp : Onnx_UnaryOp<"Sigmoid">;
def Onnx_TanhOp : Onnx_UnaryOp<"Tanh">;
def Onnx_IdentityOp : Onnx_UnaryOp<"Identity"> { let hasFolder = 1; }

def Onnx_ClipOp : Onnx_Op<"Clip"> {
  let summary = "clamp to [min, max] (opset 11+: bounds are optional scalar inputs)";
  let arguments = (ins AnyRankedTensor:$input, TensorOrNone:$min, TensorOrNone:$max);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_DropoutOp : Onnx_Op<"Dropout"> {
  let summary = "dropout; identity unless training_mode is true";
  let arguments = (ins AnyRankedTensor:$data, TensorOrNone:$ratio, TensorOrNone:$training_mode,
                   OptionalAttr<I64Attr>:$seed);
  let results = (outs AnyRankedTensor:$output, TensorOrNone:$mask);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

#endif
