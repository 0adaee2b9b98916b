//===- Passes.h - CPU code generation passes and pipeline -------*- C++ -*-===//
#ifndef MCC_CODEGEN_CPU_PASSES_H
#define MCC_CODEGEN_CPU_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"

namespace mcc {
#define GEN_PASS_DECL
#include "codegen/cpu/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "codegen/cpu/Passes.h.inc"

/// Appends the passes that take linalg-on-tensors to the LLVM dialect: fusion, bufferization into
/// caller buffers and one planned workspace, loops, LLVM.
void buildCpuCodegenPipeline(mlir::OpPassManager &pm);
} // namespace mcc

#endif
