//===- KernelTarget.h - which microkernel ISA a target gets -----*- C++ -*-===//
#ifndef MCC_CODEGEN_CPU_KERNELTARGET_H
#define MCC_CODEGEN_CPU_KERNELTARGET_H

#include "dialects/mcc/MccDialect.h"

#include "llvm/TargetParser/Triple.h"

#include <optional>

namespace mcc {

/// The ISA family of kernels.h whose bitcode runs on `triple` with `cpu` and `features` (as given to
/// the TargetMachine: "+avx2,-avx512f,..."): AVX-512 for x86-64-v4 CPUs, AVX2 for x86-64-v3, the generic
/// x86-64 build otherwise, NEON on aarch64, generic on riscv64. nullopt when mcc has no kernel bitcode for
/// the triple: MatMul and Conv then keep the compiler's own loops.
std::optional<dialect::Isa> selectKernelIsa(const llvm::Triple &triple, llvm::StringRef cpu, llvm::StringRef features);

/// Whether the int8 kernels may use AVX-512 VNNI (vpdpbusd) on `triple` with `cpu` and `features`.
bool kernelTargetHasVnni(const llvm::Triple &triple, llvm::StringRef cpu, llvm::StringRef features);

} // namespace mcc

#endif
