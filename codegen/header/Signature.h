//===- Signature.h - what the generated API exposes of a model --*- C++ -*-===//
#ifndef MCC_CODEGEN_HEADER_SIGNATURE_H
#define MCC_CODEGEN_HEADER_SIGNATURE_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace mcc {

struct TensorSignature {
  std::string name;  ///< the ONNX value name
  std::string field; ///< the C struct field: name made a unique C identifier
  std::string origin; ///< what a flattened sequence/optional tensor was: "element 1 of sequence 'x'"
  int32_t dtype = 0; ///< ONNX TensorProto.DataType
  std::vector<int64_t> shape;
};

struct ModelSignature {
  std::string prefix;   ///< symbol prefix (--name)
  std::string source;   ///< file name of the model
  std::string hash;     ///< SHA-256 of the model bytes
  std::string producer;
  int64_t modelVersion = 0;
  int64_t opset = 0;
  uint64_t workspaceSize = 0;
  std::vector<TensorSignature> inputs, outputs;
};

/// Reads the signature of the imported (onnx-dialect) module's @main_graph.
ModelSignature extractSignature(mlir::ModuleOp module, llvm::StringRef prefix);

/// A C identifier made of `name`: other characters become '_', a leading digit gets a '_'.
std::string cIdentifier(llvm::StringRef name);

/// C type of an element of `dtype` ("float", "int64_t", ...; "uint16_t" for float16/bfloat16).
const char *cElementType(int32_t dtype);

/// Writes the generated C header.
void writeHeader(const ModelSignature &sig, llvm::raw_ostream &os);

} // namespace mcc

#endif
