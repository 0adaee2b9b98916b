//===- CompilerOptions.h - command-line options mcc and mcc-run share -*- C++ -*-===//
#ifndef MCC_COMPILER_DRIVER_COMPILEROPTIONS_H
#define MCC_COMPILER_DRIVER_COMPILEROPTIONS_H

#include "compiler/driver/Compiler.h"
#include "llvm/Support/CommandLine.h"

namespace mcc {

/// The category holding every compile option; tools add their own options to it.
llvm::cl::OptionCategory &compilerCategory();

/// Parses argv (hiding LLVM's own options, keeping -time-passes). Returns false after printing an
/// error; never exits, so each tool keeps its own exit codes.
bool parseCommandLine(int argc, char **argv, llvm::StringRef overview);

/// Fills `options` from the shared compile options. Returns an error message or "".
/// Parses a --bind NAME=VALUE (or, with `fileOnly`, --const NAME=FILE) value into `options`, reading a
/// .npy/.pb file; returns an error message or "".
std::string parseBindOption(llvm::StringRef text, bool fileOnly, ImportOptions &options);

std::string compileOptionsFromCommandLine(llvm::StringRef inputPath, CompileOptions &options);

} // namespace mcc

#endif
