//===- ModelImporter.h - the ModelProto -> onnx dialect importer -*- C++ -*-===//
//
// The importer's state and steps, split over three files: Importer.cpp (the model: loading, inputs,
// initializers, the main graph), ImportNode.cpp (one node: attributes, the op, subgraph regions) and
// DataDependentTypes.cpp (result types of ops whose shapes depend on values).
//
//===----------------------------------------------------------------------===//
#ifndef MCC_COMPILER_IMPORT_MODELIMPORTER_H
#define MCC_COMPILER_IMPORT_MODELIMPORTER_H

#include "compiler/import/ImportInternal.h"
#include "compiler/import/Importer.h"
#include "dialects/onnx/OnnxDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Path.h"

#include "onnx/onnx_pb.h"

#include <map>
#include <string>

namespace mcc::import {

using namespace mlir;
namespace onnxd = mcc::onnx;

class ModelImporter {
public:
  ModelImporter(MLIRContext &ctx, StringRef path, const ImportOptions &options)
      : ctx(ctx), path(path.str()), options(options), b(&ctx),
        fileLoc(FileLineColLoc::get(&ctx, llvm::sys::path::filename(path), 0, 0)) {}

  OwningOpRef<ModuleOp> run();

private:
  InFlightDiagnostic error(Location loc) { return emitError(loc); }
  InFlightDiagnostic error() { return emitError(fileLoc); }
  Location nodeLoc(const ::onnx::NodeProto &node, size_t index);
  bool loadModel();
  bool pinInputShapes();
  bool pinInputValues();
  Type typeFor(const ::onnx::TypeProto &type, StringRef what, Location loc);
  bool importInitializers();
  bool checkNodes(const ::onnx::GraphProto &graph);
  bool importNode(const ::onnx::NodeProto &node, size_t index);
  bool importSubgraph(const ::onnx::GraphProto &graph, Region &region, ArrayRef<Type> argTypes, Location loc);
  bool subgraphArgTypes(const ::onnx::NodeProto &node, ArrayRef<Value> operands, SmallVectorImpl<Type> &types,
                        Location loc, bool batchedScan);
  bool convertAttribute(const ::onnx::AttributeProto &a, NamedAttrList &attrs, Location loc, StringRef opName);
  Value lookup(const std::string &name, Location loc, StringRef nodeDesc);
  bool rejectDataDependentOperands(const ::onnx::NodeProto &node, ArrayRef<Value> operands, Location loc);
  bool dataDependentTypes(const ::onnx::NodeProto &node, ArrayRef<Value> operands, SmallVectorImpl<Type> &types,
                          SmallVectorImpl<SmallVector<int64_t>> &bounds, Location loc);

  MLIRContext &ctx;
  std::string path;
  const ImportOptions &options;
  OpBuilder b;
  Location fileLoc;
  ::onnx::ModelProto model;
  std::string modelHash;
  /// "name = value (type [dims])" for each input bound at compile time (--bind), for the header.
  mlir::ArrayAttr boundInputRecords;
  int64_t defaultOpset = 0;
  llvm::StringMap<Value> values;
  llvm::StringMap<const ::onnx::TypeProto *> inferredTypes;
  /// Per graph input / output: the dim_param of each dimension set by ImportOptions::dimValues, or "".
  llvm::StringMap<std::vector<std::string>> runtimeDims;
  std::map<std::string, std::string> valueOrigins; ///< flattened sequence/optional inputs and outputs
  /// Upper bound of the shape of each value whose shape depends on the data.
  llvm::DenseMap<Value, SmallVector<int64_t>> upperBounds;
};

/// Ops whose output shape depends on input values, not only on input shapes (DataDependentTypes.cpp).
bool hasDataDependentShape(StringRef opType, ArrayRef<Value> operands);
/// What produced `v` ("node 'x' (NonZero)"), for diagnostics.
std::string describeProducer(Value v);

} // namespace mcc::import

#endif
