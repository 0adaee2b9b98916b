//===- fuzz_compile.cpp - bytes through import, lowering and codegen ------===//
//
// The libFuzzer entry point: the input is taken as an .onnx file and compiled as `mcc -O0` would
// (import, verification, lowering, LLVM IR, machine code into a null stream). Any crash, sanitizer
// report, hang or leak is a bug; a diagnostic is the expected answer to a bad model.
//
// Built with -DMCC_FUZZ=ON it links libFuzzer; otherwise with replay_main.cpp, a driver that runs the
// regression corpus (test/fuzz/regressions) through the same function for ctest.
//
//===----------------------------------------------------------------------===//
#include "compiler/driver/Compiler.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <cstdlib>
#include <unistd.h>

namespace {

/// A folder of this process's own, holding the model file: external data paths in a fuzzed model
/// resolve next to it, where nothing else lies.
const std::string &modelPath() {
  // Never destroyed: the exit handler below runs after static destructors would have.
  static const std::string &path = *new std::string([] {
    llvm::SmallString<128> dir;
    if (llvm::sys::fs::createUniqueDirectory("mcc-fuzz", dir)) {
      llvm::errs() << "mcc-fuzz: cannot create a temporary folder\n";
      std::abort();
    }
    llvm::SmallString<128> file(dir);
    llvm::sys::path::append(file, "model.onnx");
    std::atexit([] {
      llvm::sys::fs::remove(modelPath());
      llvm::sys::fs::remove(llvm::sys::path::parent_path(modelPath()));
    });
    return std::string(file);
  }());
  return path;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  {
    std::error_code ec;
    llvm::raw_fd_ostream out(modelPath(), ec);
    if (ec)
      std::abort();
    out.write(reinterpret_cast<const char *>(data), size);
  }
  mcc::CompileOptions options;
  options.inputPath = modelPath();
  options.target.optLevel = 0; // the pipeline is the same; -O0 keeps LLVM's share of each run small
  mcc::Compilation compilation(options);
  if (!compilation.import() || !compilation.generate())
    return 0;
  std::string error;
  llvm::raw_null_ostream sink;
  llvm::buffer_ostream buffered(sink);
  mcc::emitMachineCode(compilation.llvmModule(), compilation.targetMachine(), /*assembly=*/false, buffered, error);
  return 0;
}
