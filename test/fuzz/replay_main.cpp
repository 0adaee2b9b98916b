//===- replay_main.cpp - run saved fuzzer inputs without libFuzzer --------===//
//
// mcc-fuzz-replay FILE|DIR...: every file (every file in each folder) through LLVMFuzzerTestOneInput,
// as the fuzzer would. ctest runs it on test/fuzz/regressions: each input there once crashed mcc.
//
//===----------------------------------------------------------------------===//
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv) {
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    if (!llvm::sys::fs::is_directory(argv[i])) {
      files.push_back(argv[i]);
      continue;
    }
    std::error_code ec;
    for (llvm::sys::fs::directory_iterator it(argv[i], ec), end; it != end && !ec; it.increment(ec))
      if (llvm::sys::fs::is_regular_file(it->path()))
        files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  for (const std::string &f : files) {
    auto buf = llvm::MemoryBuffer::getFile(f, /*IsText=*/false, /*RequiresNullTerminator=*/false);
    if (!buf) {
      llvm::errs() << "mcc-fuzz-replay: cannot read '" << f << "'\n";
      return 1;
    }
    llvm::outs() << "replay " << f << "\n";
    llvm::outs().flush();
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>((*buf)->getBufferStart()), (*buf)->getBufferSize());
  }
  llvm::outs() << files.size() << " inputs replayed\n";
  return 0;
}
