//===- OnnxOps.td - the onnx dialect ---------------------------*- tablegen -*-===//
//
// One op per ONNX operator, with the semantics of the newest opset mcc knows. The importer maps
// older opsets onto these. Operands and results sit at their ONNX positions: an omitted optional
// input or output is a value of type `none` (onnx.NoValue for inputs).
//
//===----------------------------------------------------------------------===//
#ifndef MCC_ONNX_OPS
#define MCC_ONNX_OPS

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Onnx_Dialect : Dialect {
  let name = "onnx";
  let summary = "ONNX operators as imported from a ModelProto";
  let cppNamespace = "::mcc::onnx";
}

class Onnx_Op<string mnemonic, list<Trait> traits = []>
    : Op<Onnx_Dialect, mnemonic, !listconcat(traits, [Pure])>;

def TensorOrNone : AnyTypeOf<[AnyRankedTensor, NoneType]>;

def Onnx_NoValueOp : Onnx_Op<"NoValue"> {
  let summary = "an omitted optional input";
  let results = (outs NoneType:$none);
  let assemblyFormat = "attr-dict";
}

def Onnx_ConstantOp : Onnx_Op<"Constant", [ConstantLike]> {
  let summary = "a constant tensor (ONNX Constant and graph initializers)";
  let arguments = (ins ElementsAttr:$value);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "attr-dict $value `:` type($output)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

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

def Onnx_SoftmaxOp : Onnx_Op<"Softmax"> {
  let summary = "softmax along one axis (opset 13 semantics)";
  let arguments = (ins AnyRankedTensor:$input, DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

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

//===----------------------------------------------------------------------===//
// Convolution and pooling
//===----------------------------------------------------------------------===//

def Onnx_ConvOp : Onnx_Op<"Conv"> {
  let summary = "N-d grouped, strided, dilated convolution";
  let arguments = (ins AnyRankedTensor:$X, AnyRankedTensor:$W, TensorOrNone:$B,
                   DefaultValuedAttr<StrAttr, "\"NOTSET\"">:$auto_pad,
                   OptionalAttr<DenseI64ArrayAttr>:$dilations,
                   DefaultValuedAttr<I64Attr, "1">:$group,
                   OptionalAttr<DenseI64ArrayAttr>:$kernel_shape,
                   OptionalAttr<DenseI64ArrayAttr>:$pads,
                   OptionalAttr<DenseI64ArrayAttr>:$strides);
  let results = (outs AnyRankedTensor:$Y);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Onnx_MaxPoolOp : Onnx_Op<"MaxPool"> {
  let summary = "N-d max pooling, with the optional flat argmax Indices output";
  let arguments = (ins AnyRankedTensor:$X,
                   DefaultValuedAttr<StrAttr, "\"NOTSET\"">:$auto_pad,
                   DefaultValuedAttr<I64Attr, "0">:$ceil_mode,
                   OptionalAttr<DenseI64ArrayAttr>:$dilations,
                   DenseI64ArrayAttr:$kernel_shape,
                   OptionalAttr<DenseI64ArrayAttr>:$pads,
                   DefaultValuedAttr<I64Attr, "0">:$storage_order,
                   OptionalAttr<DenseI64ArrayAttr>:$strides);
  let results = (outs AnyRankedTensor:$Y, TensorOrNone:$Indices);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_AveragePoolOp : Onnx_Op<"AveragePool"> {
  let summary = "N-d average pooling";
  let arguments = (ins AnyRankedTensor:$X,
                   DefaultValuedAttr<StrAttr, "\"NOTSET\"">:$auto_pad,
                   DefaultValuedAttr<I64Attr, "0">:$ceil_mode,
                   DefaultValuedAttr<I64Attr, "0">:$count_include_pad,
                   OptionalAttr<DenseI64ArrayAttr>:$dilations,
                   DenseI64ArrayAttr:$kernel_shape,
                   OptionalAttr<DenseI64ArrayAttr>:$pads,
                   OptionalAttr<DenseI64ArrayAttr>:$strides);
  let results = (outs AnyRankedTensor:$Y);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_GlobalAveragePoolOp : Onnx_Op<"GlobalAveragePool"> {
  let summary = "mean over all spatial dimensions";
  let arguments = (ins AnyRankedTensor:$X);
  let results = (outs AnyRankedTensor:$Y);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_BatchNormalizationOp : Onnx_Op<"BatchNormalization"> {
  let summary = "batch normalization in inference mode (running statistics)";
  let arguments = (ins AnyRankedTensor:$X, AnyRankedTensor:$scale, AnyRankedTensor:$B,
                   AnyRankedTensor:$input_mean, AnyRankedTensor:$input_var,
                   DefaultValuedAttr<F32Attr, "1e-5">:$epsilon,
                   DefaultValuedAttr<F32Attr, "0.9">:$momentum,
                   DefaultValuedAttr<I64Attr, "0">:$training_mode);
  let results = (outs AnyRankedTensor:$Y, TensorOrNone:$running_mean, TensorOrNone:$running_var);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Shape and data movement
//===----------------------------------------------------------------------===//

def Onnx_FlattenOp : Onnx_Op<"Flatten"> {
  let summary = "reshape to 2-D at axis";
  let arguments = (ins AnyRankedTensor:$input, DefaultValuedAttr<I64Attr, "1">:$axis);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_ReshapeOp : Onnx_Op<"Reshape"> {
  let summary = "reshape to the shape input (0 copies, -1 infers; allowzero)";
  let arguments = (ins AnyRankedTensor:$data, AnyRankedTensor:$shape,
                   DefaultValuedAttr<I64Attr, "0">:$allowzero);
  let results = (outs AnyRankedTensor:$reshaped);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def Onnx_TransposeOp : Onnx_Op<"Transpose"> {
  let summary = "permute dimensions (default: reverse them)";
  let arguments = (ins AnyRankedTensor:$data, OptionalAttr<DenseI64ArrayAttr>:$perm);
  let results = (outs AnyRankedTensor:$transposed);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Onnx_ConcatOp : Onnx_Op<"Concat"> {
  let summary = "concatenate along axis";
  let arguments = (ins Variadic<AnyRankedTensor>:$inputs, I64Attr:$axis);
  let results = (outs AnyRankedTensor:$concat_result);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

#endif // MCC_ONNX_OPS
