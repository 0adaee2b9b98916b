//===- SharedLibrary.cpp - link an object into a shared library -----------===//
#include "codegen/cpu/SharedLibrary.h"

#include "lld/Common/Driver.h"
#include "llvm/Support/raw_ostream.h"

LLD_HAS_DRIVER(elf)

namespace mcc {

bool linkSharedLibrary(llvm::StringRef objectPath, llvm::StringRef outputPath, const llvm::Triple &triple,
                       std::string &error) {
  if (!triple.isOSBinFormatELF()) {
    error = "--emit=shared supports ELF targets only, not '" + triple.str() + "'";
    return false;
  }
  std::string object = objectPath.str(), output = outputPath.str();
  // --build-id=none and no timestamps: the same object links to the same bytes.
  std::vector<const char *> args = {"ld.lld",      "-shared", "--build-id=none", "-z",
                                    "noexecstack", "-o",      output.c_str(),    object.c_str()};
  std::string messages;
  llvm::raw_string_ostream os(messages);
  lld::Result result = lld::lldMain(args, os, os, {{lld::Gnu, &lld::elf::link}});
  if (result.retCode != 0) {
    error = "linking the shared library failed: " + messages;
    return false;
  }
  return true;
}

} // namespace mcc
