//===- SharedLibrary.h - link an object into a shared library ---*- C++ -*-===//
#ifndef MCC_CODEGEN_CPU_SHAREDLIBRARY_H
#define MCC_CODEGEN_CPU_SHAREDLIBRARY_H

#include "llvm/ADT/StringRef.h"
#include "llvm/TargetParser/Triple.h"

#include <string>

namespace mcc {

/// Links `objectPath` into the ELF shared library `outputPath` with lld, in-process. libc/libm
/// symbols stay undefined and bind when the library is loaded. Returns false with `error` set.
bool linkSharedLibrary(llvm::StringRef objectPath, llvm::StringRef outputPath, const llvm::Triple &triple,
                       std::string &error);

} // namespace mcc

#endif
