//===- KernelBitcode.cpp - the embedded kernel bitcode ----------------------------------------===//
#include "mcc/KernelBitcode.h"

#include "kernels_aarch64_neon.inc"
#include "kernels_riscv64_generic.inc"
#include "kernels_x86_64_avx2.inc"
#include "kernels_x86_64_avx512.inc"
#include "kernels_x86_64_generic.inc"

namespace {
template <size_t N> llvm::StringRef bytes(const unsigned char (&a)[N]) {
  return llvm::StringRef(reinterpret_cast<const char *>(a), N);
}
} // namespace

llvm::StringRef mcc::kernelBitcode(mcc_isa isa) {
  switch (isa) {
  case MCC_ISA_GENERIC:
    return bytes(kernels_x86_64_generic);
  case MCC_ISA_AVX2:
    return bytes(kernels_x86_64_avx2);
  case MCC_ISA_AVX512:
    return bytes(kernels_x86_64_avx512);
  case MCC_ISA_NEON:
    return bytes(kernels_aarch64_neon);
  }
  return {};
}

llvm::StringRef mcc::kernelBitcode(mcc_isa isa, llvm::StringRef archName) {
  if (archName == "x86_64")
    return isa == MCC_ISA_NEON ? llvm::StringRef() : kernelBitcode(isa);
  if (archName == "aarch64")
    return isa == MCC_ISA_NEON ? bytes(kernels_aarch64_neon) : llvm::StringRef();
  if (archName == "riscv64")
    return isa == MCC_ISA_GENERIC ? bytes(kernels_riscv64_generic) : llvm::StringRef();
  return {};
}
