//===- OnnxOps.td - the onnx dialect ---------------------------*- tablegen -*-===//
//
// One op per ONNX operator, with the semantics of the newest opset mcc knows. The importer maps
// older opsets onto these. Operands and results sit at their ONNX positions: an omitted optional
// input or output is a value of type `none` (onnx.NoValue for inputs).
//
//===----------------------------------------------------------------------===//
#ifndef MCC_ONNX_BASE
#define MCC_ONNX_BASE

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

// The result of a random op (and of Dropout) is a fresh draw, so these ops are not Pure: the
// allocation effect on the result keeps CSE from merging two identical nodes, while an unused one is
// still erased as dead. The stream is the op's `seed` attribute, which the importer always sets.
class Onnx_Drawn<Constraint type> : Res<type, "a fresh random draw", [MemAlloc]>;

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

#endif // MCC_ONNX_BASE
