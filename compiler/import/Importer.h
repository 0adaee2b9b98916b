//===- Importer.h - ONNX ModelProto -> onnx dialect --------------*- C++ -*-===//
//
// The only code in mcc that knows protobuf. It loads a model (with external data), pins symbolic
// dimensions, runs libonnx shape inference, and builds one onnx-dialect op per node, mapping every
// opset version onto the semantics the dialect defines.
//
//===----------------------------------------------------------------------===//
#ifndef MCC_COMPILER_IMPORT_IMPORTER_H
#define MCC_COMPILER_IMPORT_IMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace onnx {
class ModelProto;
} // namespace onnx

namespace mcc {

/// A value given for a graph input at compile time (--bind).
struct BoundValue {
  std::string origin;          ///< as the user wrote it: a file name or the literal, for messages and the header
  std::string flag = "--bind"; ///< the option that gave it (--bind or --const), for messages
  bool literal = false;
  /// A literal: its elements as written ("5", "-1", "0.5", "true"), converted to the input's type.
  std::vector<std::string> elements;
  /// From a file: ONNX TensorProto data type number, dims and raw little-endian row-major bytes.
  int32_t dtype = 0;
  std::vector<int64_t> shape;
  std::string bytes;
};

struct ImportOptions {
  /// --shape NAME=1x3x224x224: pins the dimensions of graph input NAME.
  std::map<std::string, std::vector<int64_t>> inputShapes;
  /// --dim NAME=V,...: the value of symbolic dimension NAME (an ONNX dim_param of a graph input) for this
  /// compilation. The function's arguments and results record such dimensions in `onnx.dims` (an array of
  /// strings, one per dimension: the dim_param, or "" for a fixed dimension), so that the generated API
  /// takes them at run time.
  std::map<std::string, int64_t> dimValues;
  /// --shape 'NAME=[2x3,4,scalar]': pins the length and element shapes of sequence input NAME
  /// (`[]`: empty). The sequence becomes one tensor input per element, NAME_0, NAME_1, ...
  std::map<std::string, std::vector<std::vector<int64_t>>> sequenceShapes;
  /// --shape NAME=none: optional input NAME is pinned absent (it is then no input at all).
  std::set<std::string> absentInputs;
  /// --bind NAME=VALUE (and its older spelling --const NAME=FILE): graph input NAME is compiled as a
  /// constant, so that axes, sizes, trip counts and branch conditions given as inputs fold at compile time.
  /// It is then no input at all. The value comes from a file (read by the driver) or is a literal list of
  /// numbers whose element type and shape are the input's declared ones.
  std::map<std::string, BoundValue> boundInputs;
  /// Runs on the ModelProto as read (external data loaded), before anything else touches it: model-level
  /// transforms such as pruning (compiler/transform). Returns an error message or "".
  std::function<std::string(::onnx::ModelProto &)> rewriteModel;
};

/// What one ONNX graph input or output is, for tools that feed or check sequence and optional
/// values (mcc-run): the kind of value, and for a sequence or optional its element kind.
struct GraphValueKind {
  enum Kind { Tensor, Sequence, Optional };
  std::string name;
  Kind kind = Tensor;
  Kind inner = Tensor; ///< for Optional: Tensor or Sequence
  /// For a Tensor of known rank: its dims, -1 where symbolic or unknown.
  std::optional<std::vector<int64_t>> shape;
};

/// The kinds of the graph inputs (initializers excluded) and outputs of the model at `path`, in graph
/// order. Returns an error message or "".
std::string describeGraphValues(const std::string &path, std::vector<GraphValueKind> &inputs,
                                std::vector<GraphValueKind> &outputs);

/// Parses a --shape value "name=1x3x224x224" into `options`; returns an error message or "".
std::string parseShapeOption(llvm::StringRef text, ImportOptions &options);

/// Imports the model at `path`. Errors are reported as MLIR diagnostics located at the file (and the
/// node, where there is one); returns null on failure.
///
/// The module holds one function, @main_graph, whose arguments and results are the graph inputs and
/// outputs (attribute `onnx.name` on each); module attributes `mcc.*` carry the model metadata.
mlir::OwningOpRef<mlir::ModuleOp> importOnnxModel(mlir::MLIRContext &context, llvm::StringRef path,
                                                  const ImportOptions &options);

} // namespace mcc

#endif
