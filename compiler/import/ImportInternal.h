//===- ImportInternal.h - pieces shared inside compiler/import ----*- C++ -*-===//
#ifndef MCC_COMPILER_IMPORT_IMPORTINTERNAL_H
#define MCC_COMPILER_IMPORT_IMPORTINTERNAL_H

#include "compiler/import/Importer.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "onnx/onnx_pb.h"

#include <string>

namespace mcc::import {

/// The MLIR element type of an ONNX TensorProto.DataType; null for unsupported ones.
mlir::Type elementTypeFor(mlir::MLIRContext *ctx, int32_t dtype);

/// The name of an ONNX TensorProto.DataType, the ones newer than libonnx 1.12 included ("FLOAT8E4M3FN").
std::string elementTypeName(int32_t dtype);

/// No tensor may hold more than 2^kMaxTensorBytesLog2 bytes: more than any machine addresses today, and
/// small enough that element counts, byte sizes and a workspace plan summing many of them cannot
/// overflow int64.
constexpr int kMaxTensorBytesLog2 = 48;
/// Whether a tensor of `dims` (all >= 0) and `elt` stays within that bound; its element count goes to
/// `numel` when given. Computed with overflow checks.
bool isAddressable(llvm::ArrayRef<int64_t> dims, mlir::Type elt, int64_t *numel = nullptr);

/// Converts a tensor (raw_data or typed fields; external data must already be loaded) into a dense
/// attribute. Returns null and sets `error` when the tensor is malformed.
mlir::DenseElementsAttr tensorToAttr(mlir::MLIRContext *ctx, const ::onnx::TensorProto &t, std::string &error);

/// Loads the external data of `t` from files next to the model in `modelDir`, rejecting locations
/// that leave that folder.
bool loadExternalData(::onnx::TensorProto &t, llvm::StringRef modelDir, std::string &error);

/// Rewrites sequence and optional values out of `model` (compiler/import/sequences/): sequences of
/// compile-time length become lists of tensors, sequence graph inputs/outputs one tensor per element.
/// `origins` maps each flattened graph input/output to what it was ("element 1 of sequence 'x'").
/// Returns false with `error` set (naming the node) when a length, position or presence is not known.
bool eliminateSequences(::onnx::ModelProto &model, const ImportOptions &options,
                        std::map<std::string, std::string> &origins, std::string &error);
/// Parses the `[2x3,4,scalar]` of --shape NAME=[...] into options.sequenceShapes; returns an error or "".
std::string parseSequenceShapes(llvm::StringRef name, llvm::StringRef text, ImportOptions &options);

/// What the importer knows about the node being imported, for the opset adapters.
struct NodeContext {
  const ::onnx::NodeProto &node;
  int version; ///< since_version of the schema the model's opset selects
  mlir::Location loc;
};

/// Rewrites a node written for an older opset into the form the onnx dialect uses (the newest).
/// It may change `operands` and `attrs`, fill result types shape inference left null, or build the
/// replacement itself and set `replaced`.
/// Returns false with `error` set when a legacy form has no equivalent.
bool adaptLegacyNode(mlir::OpBuilder &b, const NodeContext &nc, llvm::SmallVectorImpl<mlir::Value> &operands,
                     mlir::NamedAttrList &attrs, llvm::SmallVectorImpl<mlir::Value> &replaced,
                     llvm::SmallVectorImpl<mlir::Type> &resultTypes, std::string &error);

// One adapter per op family, in compiler/import/adapters/<Family>.cpp; adaptLegacyNode tries each.
// An adapter returns false with `error` set on failure, and leaves unknown ops alone.
/// The signature every adapter shares (that of adaptLegacyNode).
using LegacyAdapter = bool(mlir::OpBuilder &b, const NodeContext &nc, llvm::SmallVectorImpl<mlir::Value> &operands,
                           mlir::NamedAttrList &attrs, llvm::SmallVectorImpl<mlir::Value> &replaced,
                           llvm::SmallVectorImpl<mlir::Type> &resultTypes, std::string &error);
LegacyAdapter adaptLegacyElementwiseNode;
LegacyAdapter adaptLegacyMatMulNode;
LegacyAdapter adaptLegacyConvNode;
LegacyAdapter adaptLegacyPoolingNode;
LegacyAdapter adaptLegacyNormalizationNode;
LegacyAdapter adaptLegacyTensorNode;
LegacyAdapter adaptLegacyGatherScatterNode;
LegacyAdapter adaptLegacyResizeNode;
LegacyAdapter adaptLegacyReductionNode;
LegacyAdapter adaptLegacyQuantizationNode;
LegacyAdapter adaptLegacyRecurrentNode;
LegacyAdapter adaptLegacyControlFlowNode;

/// Constants the adapters build: a 0-d scalar of `elt`, and a 1-D i64 tensor.
mlir::Value scalarConstant(mlir::OpBuilder &b, mlir::Location loc, mlir::Type elt, double v);
mlir::Value i64Constant(mlir::OpBuilder &b, mlir::Location loc, llvm::ArrayRef<int64_t> values);

/// Folds every node whose inputs are known at compile time (initializers, Constant nodes, Shape/Size
/// of a value with a static inferred shape) into a Constant node, in the graph and its subgraphs, and
/// re-runs shape inference until nothing changes, so shape computations end in static shapes. Expects
/// shape inference to have run once. Returns false with `error` set when shape inference throws.
bool foldConstants(::onnx::ModelProto &model, std::string &error);

/// Rewrites the nodes of a model at opset 18-21 whose schema changed after opset 17 (the newest libonnx 1.12
/// knows) into equivalent opset-17 forms or expansions, before shape inference. Fails with `error` naming the
/// node for a form with no exact equivalent, and for opsets newer than 21.
bool rewriteNewOpsets(::onnx::ModelProto &model, int64_t opset, std::string &error);

/// Rewrites the nodes of a model at opset 22-28 whose schema changed after opset 21 into opset-21 forms or
/// expansions (compiler/import/NewOpsets22.cpp); rewriteNewOpsets runs it first.
bool rewriteOpsets22To28(::onnx::ModelProto &model, int64_t opset, std::string &error);

/// Attributes of legacy opsets that have no meaning for inference and are dropped silently.
bool isIgnorableLegacyAttribute(llvm::StringRef op, llvm::StringRef attr);

} // namespace mcc::import

#endif
