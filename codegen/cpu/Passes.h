//===- Passes.h - CPU code generation passes and pipeline -------*- C++ -*-===//
#ifndef MCC_CODEGEN_CPU_PASSES_H
#define MCC_CODEGEN_CPU_PASSES_H

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"

#include <string>
#include <vector>

namespace mcc {
#define GEN_PASS_DECL
#include "codegen/cpu/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "codegen/cpu/Passes.h.inc"

/// Appends the passes that take linalg-on-tensors to the LLVM dialect: fusion, bufferization into
/// caller buffers and one planned workspace, loops, LLVM.
/// With `externalWeights`, constant buffers of at least 64 bytes go into that blob instead of the
/// object, and the entry function takes it as a trailing argument (see ExternalizeWeights.cpp).
/// With `kernelTarget`, the MatMul/Conv kernel ops get their ISA and packed weights for that target
/// and become microkernel calls; without, the module must have none.
/// With `profile`, each compiled node is timed into a record buffer in the workspace (mcc --profile,
/// see InstrumentNodes.cpp).
struct KernelTarget {
  std::string triple, cpu, features;
  bool sparse = true; ///< mostly-zero constant weights through the sparse kernels (mcc_spgemm)
};
void buildCpuCodegenPipeline(mlir::OpPassManager &pm, std::vector<char> *externalWeights = nullptr,
                             const KernelTarget *kernelTarget = nullptr, bool profile = false);
/// Registers buildCpuCodegenPipeline (no kernels, weights in the object) as `mcc-cpu-codegen`.
void registerCpuCodegenPipeline();

/// Reduction generics on buffers -> scf.for nests with SSA accumulators (see GenericLoops.cpp).
void populateGenericLoopsPatterns(mlir::RewritePatternSet &patterns);

/// f32 transcendental functions -> polynomial approximations; pow by small constants -> multiplies.
void populateExpandMathPatterns(mlir::RewritePatternSet &patterns);

/// mcc-externalize-weights writing into `blob` (header included): constant globals of at least
/// `minBytes` move there (see Passes.td).
std::unique_ptr<mlir::Pass> createExternalizeWeights(std::vector<char> *blob, int64_t minBytes);
} // namespace mcc

#endif
