//===- Elementwise.td - onnx elementwise math, logic, comparison and cast ops -----*- tablegen -*-===//
#ifndef MCC_ONNX_OPS_ELEMENTWISE
#define MCC_ONNX_OPS_ELEMENTWISE

include "dialects/onnx/OnnxBase.td"

// Binary ops with numpy broadcasting whose operands share one element type.
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
def Onnx_AndOp : Onnx_BinaryOp<"And">;
def Onnx_OrOp : Onnx_BinaryOp<"Or">;
def Onnx_XorOp : Onnx_BinaryOp<"Xor">;
// Comparisons: the result is a bool (i1) tensor.
def Onnx_EqualOp : Onnx_BinaryOp<"Equal">;
def Onnx_LessOp : Onnx_BinaryOp<"Less">;
def Onnx_GreaterOp : Onnx_BinaryOp<"Greater">;
def Onnx_LessOrEqualOp : Onnx_BinaryOp<"LessOrEqual">;
def Onnx_GreaterOrEqualOp : Onnx_BinaryOp<"GreaterOrEqual">;

def Onnx_BitShiftOp : Onnx_BinaryOp<"BitShift"> {
  let summary = "elementwise unsigned shift of X by Y bits, direction LEFT or RIGHT";
  let arguments = (ins AnyRankedTensor:$A, AnyRankedTensor:$B, StrAttr:$direction);
}

def Onnx_ModOp : Onnx_BinaryOp<"Mod"> {
  let summary = "elementwise remainder: sign of the divisor (fmod=0) or of the dividend (fmod=1)";
  let arguments = (ins AnyRankedTensor:$A, AnyRankedTensor:$B,
                   DefaultValuedAttr<I64Attr, "0">:$fmod);
}

def Onnx_PowOp : Onnx_Op<"Pow"> {
  let summary = "elementwise X to the power Y; Y may have another element type than X";
  let arguments = (ins AnyRankedTensor:$X, AnyRankedTensor:$Y);
  let results = (outs AnyRankedTensor:$Z);
  let assemblyFormat = "$X `,` $Y attr-dict `:` functional-type(operands, results)";
}

def Onnx_PReluOp : Onnx_Op<"PRelu"> {
  let summary = "x < 0 ? slope * x : x, slope broadcast unidirectionally to X";
  let arguments = (ins AnyRankedTensor:$X, AnyRankedTensor:$slope);
  let results = (outs AnyRankedTensor:$Y);
  let assemblyFormat = "$X `,` $slope attr-dict `:` functional-type(operands, results)";
}

def Onnx_WhereOp : Onnx_Op<"Where"> {
  let summary = "condition ? X : Y with numpy broadcasting of all three";
  let arguments = (ins AnyRankedTensor:$condition, AnyRankedTensor:$X, AnyRankedTensor:$Y);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

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
def Onnx_AbsOp : Onnx_UnaryOp<"Abs">;
def Onnx_NegOp : Onnx_UnaryOp<"Neg">;
def Onnx_ExpOp : Onnx_UnaryOp<"Exp">;
def Onnx_LogOp : Onnx_UnaryOp<"Log">;
def Onnx_SqrtOp : Onnx_UnaryOp<"Sqrt">;
def Onnx_ReciprocalOp : Onnx_UnaryOp<"Reciprocal">;
def Onnx_FloorOp : Onnx_UnaryOp<"Floor">;
def Onnx_CeilOp : Onnx_UnaryOp<"Ceil">;
def Onnx_RoundOp : Onnx_UnaryOp<"Round">;
def Onnx_SignOp : Onnx_UnaryOp<"Sign">;
def Onnx_SinOp : Onnx_UnaryOp<"Sin">;
def Onnx_CosOp : Onnx_UnaryOp<"Cos">;
def Onnx_TanOp : Onnx_UnaryOp<"Tan">;
def Onnx_AsinOp : Onnx_UnaryOp<"Asin">;
def Onnx_AcosOp : Onnx_UnaryOp<"Acos">;
def Onnx_AtanOp : Onnx_UnaryOp<"Atan">;
def Onnx_SinhOp : Onnx_UnaryOp<"Sinh">;
def Onnx_CoshOp : Onnx_UnaryOp<"Cosh">;
def Onnx_AsinhOp : Onnx_UnaryOp<"Asinh">;
def Onnx_AcoshOp : Onnx_UnaryOp<"Acosh">;
def Onnx_AtanhOp : Onnx_UnaryOp<"Atanh">;
def Onnx_ErfOp : Onnx_UnaryOp<"Erf">;
def Onnx_IsNaNOp : Onnx_UnaryOp<"IsNaN">;
def Onnx_NotOp : Onnx_UnaryOp<"Not">;
def Onnx_SoftplusOp : Onnx_UnaryOp<"Softplus">;
def Onnx_SoftsignOp : Onnx_UnaryOp<"Softsign">;
def Onnx_HardSwishOp : Onnx_UnaryOp<"HardSwish">;

def Onnx_IsInfOp : Onnx_UnaryOp<"IsInf"> {
  let arguments = (ins AnyRankedTensor:$X, DefaultValuedAttr<I64Attr, "1">:$detect_negative,
                   DefaultValuedAttr<I64Attr, "1">:$detect_positive);
}
def Onnx_EluOp : Onnx_UnaryOp<"Elu"> {
  let arguments = (ins AnyRankedTensor:$X, DefaultValuedAttr<F32Attr, "1.0">:$alpha);
}
def Onnx_CeluOp : Onnx_UnaryOp<"Celu"> {
  let arguments = (ins AnyRankedTensor:$X, DefaultValuedAttr<F32Attr, "1.0">:$alpha);
}
def Onnx_SeluOp : Onnx_UnaryOp<"Selu"> {
  let arguments = (ins AnyRankedTensor:$X,
                   DefaultValuedAttr<F32Attr, "1.67326319217681884765625">:$alpha,
                   DefaultValuedAttr<F32Attr, "1.05070102214813232421875">:$gamma);
}
def Onnx_LeakyReluOp : Onnx_UnaryOp<"LeakyRelu"> {
  let arguments = (ins AnyRankedTensor:$X, DefaultValuedAttr<F32Attr, "0.01">:$alpha);
}
def Onnx_ThresholdedReluOp : Onnx_UnaryOp<"ThresholdedRelu"> {
  let arguments = (ins AnyRankedTensor:$X, DefaultValuedAttr<F32Attr, "1.0">:$alpha);
}
def Onnx_HardSigmoidOp : Onnx_UnaryOp<"HardSigmoid"> {
  let arguments = (ins AnyRankedTensor:$X, DefaultValuedAttr<F32Attr, "0.2">:$alpha,
                   DefaultValuedAttr<F32Attr, "0.5">:$beta);
}
def Onnx_ShrinkOp : Onnx_UnaryOp<"Shrink"> {
  let arguments = (ins AnyRankedTensor:$X, DefaultValuedAttr<F32Attr, "0.0">:$bias,
                   DefaultValuedAttr<F32Attr, "0.5">:$lambd);
}

def Onnx_CastOp : Onnx_Op<"Cast"> {
  let summary = "element type conversion to the TensorProto.DataType `to`";
  // `saturate` (opset 19) only matters for float8 targets, which mcc does not have.
  let arguments = (ins AnyRankedTensor:$input, I64Attr:$to, OptionalAttr<I64Attr>:$saturate);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def Onnx_CastLikeOp : Onnx_Op<"CastLike"> {
  let summary = "element type conversion to the element type of target_type";
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$target_type,
                   OptionalAttr<I64Attr>:$saturate);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

// Variadic ops with numpy broadcasting of all their inputs.
class Onnx_VariadicOp<string mnemonic> : Onnx_Op<mnemonic> {
  let summary = "elementwise " # mnemonic # " of one or more inputs, numpy broadcasting";
  let arguments = (ins Variadic<AnyRankedTensor>:$data_0);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$data_0 attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}
def Onnx_MaxOp : Onnx_VariadicOp<"Max">;
def Onnx_MinOp : Onnx_VariadicOp<"Min">;
def Onnx_SumOp : Onnx_VariadicOp<"Sum">;
def Onnx_MeanOp : Onnx_VariadicOp<"Mean">;

def Onnx_ClipOp : Onnx_Op<"Clip"> {
  let summary = "clamp to [min, max] (opset 11+: bounds are optional scalar inputs)";
  let arguments = (ins AnyRankedTensor:$input, TensorOrNone:$min, TensorOrNone:$max);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_DropoutOp : Op<Onnx_Dialect, "Dropout"> {
  let summary = "dropout; identity unless training_mode is true";
  let description = [{
    In training mode an element is kept (and scaled by 1 / (1 - ratio), ratio 0.5 by default) when its
    uniform draw from mcc's counter-based generator is >= ratio; `seed` picks the stream. The importer
    sets a seedless node's seed from a hash of its name, so runs are reproducible and distinct nodes
    draw distinct streams (values differ from numpy's). Not Pure: see Onnx_Drawn.
  }];
  let arguments = (ins AnyRankedTensor:$data, TensorOrNone:$ratio, TensorOrNone:$training_mode,
                   OptionalAttr<I64Attr>:$seed);
  let results = (outs Onnx_Drawn<AnyRankedTensor>:$output, TensorOrNone:$mask);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

// Opset 18: bitwise logic on integer tensors (BitwiseAnd/Or/Xor broadcast like And/Or/Xor).
def Onnx_BitwiseAndOp : Onnx_BinaryOp<"BitwiseAnd">;
def Onnx_BitwiseOrOp : Onnx_BinaryOp<"BitwiseOr">;
def Onnx_BitwiseXorOp : Onnx_BinaryOp<"BitwiseXor">;
def Onnx_BitwiseNotOp : Onnx_UnaryOp<"BitwiseNot">;

#endif
