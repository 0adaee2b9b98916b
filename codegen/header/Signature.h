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
  std::string name;           ///< the ONNX value name
  std::string field;          ///< the C struct field: name made a unique C identifier
  std::string origin;         ///< what a flattened sequence/optional tensor was: "element 1 of sequence 'x'"
  int32_t dtype = 0;          ///< ONNX TensorProto.DataType
  std::vector<int64_t> shape; ///< -1 for a dimension known only at run time
  /// Per dimension: the runtime dimension (ONNX dim_param, see ModelSignature::runtimeDims) it equals,
  /// or "". Empty when the tensor has none.
  std::vector<std::string> dimNames;
  /// Upper bound of every dim for an output whose shape depends on the data (the buffer's capacity);
  /// equal to `shape` otherwise.
  std::vector<int64_t> maxShape;
  /// For an output whose shape is known only at run time (runtime dimensions, or data-dependent): the
  /// `int64_t NAME[rank]` field of the outputs struct that <prefix>_run fills with its actual shape.
  std::string dimsField;
  bool dataDependent = false; ///< the shape depends on the data (NonZero, Unique, ...)

  bool isDynamic() const;
  bool isDataDependent() const { return dataDependent; }
};

/// One specialisation of a model with runtime dimensions: the sizes it was compiled for.
struct ShapeVariant {
  std::vector<int64_t> dimValues; ///< one per ModelSignature::runtimeDims
  uint64_t workspaceSize = 0;
  /// Shapes at these sizes (for a data-dependent output: its upper bound at these sizes).
  std::vector<std::vector<int64_t>> inputShapes, outputShapes;
};

struct ModelSignature {
  std::string prefix; ///< symbol prefix (--name)
  std::string source; ///< file name of the model
  std::string hash;   ///< SHA-256 of the model bytes
  std::string producer;
  int64_t modelVersion = 0;
  int64_t opset = 0;
  uint64_t workspaceSize = 0; ///< the largest over the variants
  /// Bytes of workspace each worker after the first adds (its kernels' scratch slice), the largest
  /// over the variants.
  uint64_t workspacePerWorker = 0;
  std::vector<TensorSignature> inputs, outputs;
  /// Symbolic dimensions (ONNX dim_params) the caller passes at run time, in the order of their
  /// `int64_t` fields in the inputs struct (after the tensor pointers), and those fields' names.
  std::vector<std::string> runtimeDims, runtimeDimFields;
  /// The compiled specialisations; empty when the model has no runtime dimensions.
  std::vector<ShapeVariant> variants;
  /// --weights=external: bytes of the weights blob (0: weights are in the object), and the name of the
  /// `const void *` inputs-struct field (after the tensor pointers) that takes it.
  uint64_t weightsSize = 0;
  std::string weightsField;

  /// Elements of the largest tensor an input/output can be (its shape, or over the variants).
  int64_t capacity(bool output, size_t index) const;
};

/// Combines the signatures of one model compiled for each combination of runtime-dimension sizes
/// (`variantSigs[k]` compiled for `values[k]`, with workspace sizes already set) into one.
ModelSignature combineVariants(const std::vector<ModelSignature> &variantSigs,
                               const std::vector<std::vector<int64_t>> &values);

/// Records that the weights live in a blob of `size` bytes the caller passes (names its field).
void setExternalWeights(ModelSignature &sig, uint64_t size);

/// Index of the first runtime-dimension field of the inputs struct.
size_t firstDimField(const ModelSignature &sig);

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
