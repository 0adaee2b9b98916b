//===- KernelBitcode.h - the microkernels as LLVM bitcode, per ISA family ---------------------===//
//
// The C kernels of kernels/, compiled by clang-22 -O3 at build time and embedded in mcc. The
// compiler parses the bitcode of the model's ISA into the model's LLVM context, links the functions
// it calls with internal linkage and lets the inliner take them.
//
//===----------------------------------------------------------------------===//
#ifndef MCC_KERNELS_KERNELBITCODE_H
#define MCC_KERNELS_KERNELBITCODE_H

#include "mcc/kernels.h"

#include "llvm/ADT/StringRef.h"

namespace mcc {

/// The kernels built for `isa` on its architecture: GENERIC, AVX2 and AVX512 for x86_64
/// (x86-64, x86-64-v3, x86-64-v4), NEON for aarch64. Empty when the build has none.
llvm::StringRef kernelBitcode(mcc_isa isa);

/// The same for a given architecture (llvm::Triple::getArchName(): "x86_64", "aarch64", "riscv64"):
/// adds MCC_ISA_GENERIC for riscv64 (rv64gc, scalar code). Empty when there is none, and the compiler
/// keeps its own loops. Weights must be packed (mcc_sgemm_pack_b, mcc_conv2d_pack_w) for the same
/// isa as the bitcode that runs on them.
llvm::StringRef kernelBitcode(mcc_isa isa, llvm::StringRef archName);

} // namespace mcc

#endif // MCC_KERNELS_KERNELBITCODE_H
