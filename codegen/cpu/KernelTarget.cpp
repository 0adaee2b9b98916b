//===- KernelTarget.cpp - which microkernel ISA a target gets -------------===//
#include "codegen/cpu/KernelTarget.h"

#include "mcc/KernelBitcode.h"

#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"

namespace mcc {

std::optional<dialect::Isa> selectKernelIsa(const llvm::Triple &triple, llvm::StringRef cpu, llvm::StringRef features) {
  static bool initialized = [] {
    llvm::InitializeAllTargetInfos();
    llvm::InitializeAllTargetMCs();
    return true;
  }();
  (void)initialized;
  std::optional<dialect::Isa> isa;
  if (triple.getArch() == llvm::Triple::x86_64) {
    std::string error;
    const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
    if (!target)
      return std::nullopt;
    std::unique_ptr<llvm::MCSubtargetInfo> sti(
        target->createMCSubtargetInfo(triple, cpu.empty() || cpu == "native" ? "generic" : cpu, features));
    if (!sti)
      return std::nullopt;
    // The bitcode is built for the x86-64 micro-architecture levels: a CPU gets the highest it has all of.
    if (sti->checkFeatures("+avx512f,+avx512bw,+avx512dq,+avx512vl,+avx512cd,+avx2,+fma"))
      isa = dialect::Isa::avx512;
    else if (sti->checkFeatures("+avx2,+fma,+f16c,+bmi,+bmi2"))
      isa = dialect::Isa::avx2;
    else
      isa = dialect::Isa::generic;
  } else if (triple.getArch() == llvm::Triple::aarch64) {
    isa = dialect::Isa::neon;
  } else if (triple.getArch() == llvm::Triple::riscv64) {
    isa = dialect::Isa::generic;
  }
  if (!isa || kernelBitcode(static_cast<mcc_isa>(*isa), triple.getArchName()).empty())
    return std::nullopt;
  return isa;
}

bool kernelTargetHasVnni(const llvm::Triple &triple, llvm::StringRef cpu, llvm::StringRef features) {
  if (selectKernelIsa(triple, cpu, features) != dialect::Isa::avx512)
    return false;
  std::string error;
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return false;
  std::unique_ptr<llvm::MCSubtargetInfo> sti(
      target->createMCSubtargetInfo(triple, cpu.empty() || cpu == "native" ? "generic" : cpu, features));
  return sti && sti->checkFeatures("+avx512vnni");
}

} // namespace mcc
