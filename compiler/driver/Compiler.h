//===- Compiler.h - the whole pipeline, shared by mcc and mcc-run --*- C++ -*-===//
#ifndef MCC_COMPILER_DRIVER_COMPILER_H
#define MCC_COMPILER_DRIVER_COMPILER_H

#include "codegen/cpu/ObjectEmitter.h"
#include "codegen/header/Signature.h"
#include "compiler/import/Importer.h"
#include "compiler/transform/Prune.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"

#include <chrono>

namespace mcc {

/// The most shape specialisations (combinations of --dim sizes) one object may hold.
constexpr size_t kMaxShapeVariants = 64;

struct CompileOptions {
  std::string inputPath;
  std::string name; ///< symbol prefix; empty: from the file name
  ImportOptions import;
  /// --dim NAME=V1,V2,...: symbolic dimensions the generated code takes at run time, and the sizes it is
  /// compiled for. The object holds one specialisation per combination of sizes and picks one per run.
  std::vector<std::pair<std::string, std::vector<int64_t>>> runtimeDims;
  TargetOptions target;
  /// --weights=external: constants go into a separate blob (weightsBlob()) instead of the object.
  bool externalWeights = false;
  bool timePasses = false;
  bool kernels = true;       ///< MatMul/Gemm/Conv through the C microkernels where the target has them
  bool sparseKernels = true; ///< mostly-zero constant weights through the sparse kernels where they win
  /// Index and size inputs checked at run time (MCC_ERR_INDEX_OUT_OF_RANGE, MCC_ERR_INVALID_SIZE). Off
  /// only to measure what the checks cost (the hidden --no-runtime-checks).
  bool runtimeChecks = true;
  bool verbose = false;
  /// --profile: time each compiled node into the workspace (see mcc_profile_info in mcc_rt.h).
  bool profile = false;
  /// --prune / --prune-exclude: pruning of the ModelProto before the import.
  transform::PruneOptions prune;
  /// --emit=onnx: keep the model as pruned (prunedModel()).
  bool keepPrunedModel = false;
};

/// One compilation. Diagnostics go to stderr as `mcc: error: <file>: <node>: <message>`.
class Compilation {
public:
  explicit Compilation(CompileOptions options);
  ~Compilation();

  /// Imports the model (the onnx-dialect module stays available through onnxModule()).
  bool import();
  /// Lowers the imported module down to LLVM IR for the target.
  bool generate();

  mlir::ModuleOp onnxModule() { return *imported; }
  const ModelSignature &signature() const { return sig; }
  llvm::Module &llvmModule() { return *llModule; }
  llvm::TargetMachine &targetMachine() { return *tm; }
  /// Hands the LLVM module over (for the JIT); the Compilation keeps nothing.
  std::unique_ptr<llvm::Module> takeLLVMModule() { return std::move(llModule); }
  std::unique_ptr<llvm::LLVMContext> takeLLVMContext() { return std::move(llContext); }

  /// --weights=external: the blob to write next to the object (empty otherwise).
  const std::vector<char> &weightsBlob() const { return weights; }

  /// What pruning (lossy and lossless) did per layer, and with keepPrunedModel the pruned model's bytes.
  const std::vector<transform::LayerFigures> &pruneFigures() const { return figures; }
  const std::string &prunedModel() const { return pruned; }

  /// Reports a driver-level error in the same style as pipeline diagnostics.
  void error(const llvm::Twine &message) const;

private:
  bool fitsAddressSpace() const;

  CompileOptions options;
  bool reportedError = false;
  std::chrono::steady_clock::time_point startTime;
  std::unique_ptr<mlir::MLIRContext> context;
  mlir::OwningOpRef<mlir::ModuleOp> imported;
  /// One imported module per combination of --dim sizes after the first (which is `imported`).
  std::vector<mlir::OwningOpRef<mlir::ModuleOp>> moreVariants;
  ModelSignature sig;
  std::unique_ptr<llvm::TargetMachine> tm;
  std::unique_ptr<llvm::LLVMContext> llContext;
  std::unique_ptr<llvm::Module> llModule;
  std::vector<char> weights;
  std::vector<transform::LayerFigures> figures;
  std::string pruned;
};

/// The default symbol prefix for a model path: its file stem as a C identifier.
std::string defaultModelName(llvm::StringRef path);

} // namespace mcc

#endif
