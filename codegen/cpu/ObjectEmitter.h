//===- ObjectEmitter.h - LLVM dialect -> object code ------------*- C++ -*-===//
#ifndef MCC_CODEGEN_CPU_OBJECTEMITTER_H
#define MCC_CODEGEN_CPU_OBJECTEMITTER_H

#include "codegen/header/Signature.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Target/TargetMachine.h"

#include <memory>
#include <string>

namespace mcc {

struct TargetOptions {
  std::string triple; ///< empty: the host
  std::string cpu;    ///< empty: the host CPU for the host triple, "generic" otherwise
  std::string features;
  int optLevel = 2;
};

/// Creates the TargetMachine for `options`; on failure returns null and sets `error`.
std::unique_ptr<llvm::TargetMachine> createTargetMachine(const TargetOptions &options, std::string &error);

/// Translates the LLVM-dialect modules (one compiled graph each: one per shape variant of `sig`, or a
/// single one) into one LLVM module and adds the public entry points the header declares
/// (`<prefix>_run`, `<prefix>_run_parallel`, `<prefix>_info`, and `<prefix>_workspace_size` with runtime dimensions);
/// every other symbol becomes internal. Then runs the LLVM optimisation pipeline at `optLevel`.
std::unique_ptr<llvm::Module> buildLLVMModule(llvm::ArrayRef<mlir::ModuleOp> graphs, const ModelSignature &sig,
                                              llvm::TargetMachine &tm, int optLevel, llvm::LLVMContext &ctx,
                                              std::string &error);

/// Writes an object file (or assembly) for `module`.
bool emitMachineCode(llvm::Module &module, llvm::TargetMachine &tm, bool assembly, llvm::raw_pwrite_stream &os,
                     std::string &error);

} // namespace mcc

#endif
