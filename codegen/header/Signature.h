//===- Signature.h - what the generated API exposes of a model --*- C++ -*-===//
#ifndef MCC_CODEGEN_HEADER_SIGNATURE_H
#define MCC_CODEGEN_HEADER_SIGNATURE_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace mcc {

/// Result attribute of @main_graph on an output whose shape depends on the data (NonZero, Unique, ...):
/// the upper bound of its shape (DenseI64ArrayAttr). The importer sets it; the header, the info table
/// and the entry's output buffers read it.
inline constexpr llvm::StringLiteral kUpperBoundAttr = "mcc.upper_bound";

struct TensorSignature {
  std::string name;  ///< the ONNX value name
  std::string field; ///< the C struct field: name made a unique C identifier
  int32_t dtype = 0; ///< ONNX TensorProto.DataType
  std::vector<int64_t> shape; ///< -1 for a dim that depends on the data
  /// Upper bound of every dim (the buffer's capacity); equal to `shape` where that is static.
  std::vector<int64_t> maxShape;
  /// The `int64_t <dimsField>[rank]` outputs-struct field `_run` writes the actual shape into; empty
  /// when the shape is static.
  std::string dimsField;

  bool isDataDependent() const { return !dimsField.empty(); }
  /// Elements of the buffer the caller provides: the product of maxShape.
  int64_t capacity() const {
    int64_t n = 1;
    for (int64_t d : maxShape)
      n *= d;
    return n;
  }
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
