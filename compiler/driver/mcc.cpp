//===- mcc.cpp - the mcc command ------------------------------------------===//
//
//   mcc model.onnx -o model.o        writes model.o and model.h
//
//===----------------------------------------------------------------------===//
#include "compiler/driver/Compiler.h"

#include "mlir/IR/AsmState.h"
#include "llvm/Pass.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"

#include "mcc/Version.h"

using namespace llvm;

namespace {
cl::OptionCategory category("mcc options");

enum class Emit { Obj, Asm, LLVM, MLIR, Header };

cl::opt<std::string> inputPath(cl::Positional, cl::desc("<model.onnx>"), cl::Required, cl::cat(category));
cl::opt<std::string> outputPath("o", cl::desc("Output file (default: <model>.o; the header goes next to it)"),
                                cl::value_desc("file"), cl::cat(category));
cl::opt<Emit> emit("emit", cl::desc("What to write"), cl::init(Emit::Obj),
                   cl::values(clEnumValN(Emit::Obj, "obj", "object file and C header (default)"),
                              clEnumValN(Emit::Asm, "asm", "assembly"),
                              clEnumValN(Emit::LLVM, "llvm", "LLVM IR"),
                              clEnumValN(Emit::MLIR, "mlir", "the imported model in the onnx dialect"),
                              clEnumValN(Emit::Header, "header", "the C header only")),
                   cl::cat(category));
cl::opt<std::string> name("name", cl::desc("Symbol prefix (default: the model's file name)"), cl::cat(category));
cl::list<std::string> shapes("shape", cl::desc("Pin an input's dimensions: NAME=1x3x224x224"),
                             cl::value_desc("name=dims"), cl::cat(category));
cl::opt<std::string> targetTriple("target", cl::desc("Target triple (default: the host)"), cl::cat(category));
cl::opt<std::string> mcpu("mcpu", cl::desc("Target CPU (default: the host's for host builds, else generic)"),
                          cl::cat(category));
cl::opt<std::string> mattr("mattr", cl::desc("Target features, e.g. +avx2,-avx512f"), cl::cat(category));
cl::opt<unsigned> optLevel("O", cl::desc("Optimisation level 0-3 (default 2)"), cl::Prefix, cl::init(2),
                           cl::cat(category));
cl::opt<bool> verbose("v", cl::desc("Print what the compiler decided"), cl::cat(category));

bool writeFile(StringRef path, function_ref<void(raw_pwrite_stream &)> write) {
  std::error_code ec;
  ToolOutputFile out(path, ec, sys::fs::OF_None);
  if (ec) {
    errs() << "mcc: error: cannot write '" << path << "': " << ec.message() << "\n";
    return false;
  }
  write(out.os());
  out.keep();
  return true;
}
} // namespace

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  // LLVM already owns -time-passes; show it with ours, and let it time the MLIR passes too.
  auto &registered = cl::getRegisteredOptions();
  if (auto it = registered.find("time-passes"); it != registered.end())
    it->second->addCategory(category);
  cl::HideUnrelatedOptions(category);
  cl::SetVersionPrinter([](raw_ostream &os) { os << "mcc " << MCC_VERSION_STRING << " (LLVM/MLIR " << LLVM_VERSION_STRING << ")\n"; });
  if (!cl::ParseCommandLineOptions(argc, argv, "mcc: ahead-of-time ONNX model compiler\n"))
    return 2;

  mcc::CompileOptions options;
  options.inputPath = inputPath;
  options.name = name;
  options.target = {targetTriple, mcpu, mattr, (int)optLevel};
  options.verbose = verbose;
  options.timePasses = TimePassesIsEnabled;
  if (optLevel > 3) {
    errs() << "mcc: error: -O" << optLevel << " is not one of -O0..-O3\n";
    return 2;
  }
  if (!options.name.empty() && mcc::cIdentifier(options.name) != options.name) {
    errs() << "mcc: error: --name '" << options.name << "' is not a C identifier\n";
    return 2;
  }
  for (const std::string &s : shapes) {
    std::string err = mcc::parseShapeOption(s, options.import);
    if (!err.empty()) {
      errs() << "mcc: error: " << err << "\n";
      return 2;
    }
  }

  mcc::Compilation c(options);
  if (!c.import())
    return 1;
  std::string out = outputPath;
  auto defaultOut = [&](StringRef ext) {
    SmallString<128> p(sys::path::filename(inputPath.getValue()));
    sys::path::replace_extension(p, ext);
    return std::string(p);
  };
  if (emit == Emit::MLIR) {
    return writeFile(out.empty() ? "-" : out, [&](raw_pwrite_stream &os) { c.onnxModule()->print(os); }) ? 0 : 1;
  }
  if (!c.generate())
    return 1;
  std::string err;
  switch (emit) {
  case Emit::Header:
    return writeFile(out.empty() ? defaultOut(".h") : out,
                     [&](raw_pwrite_stream &os) { mcc::writeHeader(c.signature(), os); })
               ? 0
               : 1;
  case Emit::LLVM:
    return writeFile(out.empty() ? "-" : out, [&](raw_pwrite_stream &os) { c.llvmModule().print(os, nullptr); }) ? 0 : 1;
  case Emit::Asm:
  case Emit::Obj: {
    bool assembly = emit == Emit::Asm;
    if (out.empty())
      out = defaultOut(assembly ? ".s" : ".o");
    bool ok = writeFile(out, [&](raw_pwrite_stream &os) {
      if (!mcc::emitMachineCode(c.llvmModule(), c.targetMachine(), assembly, os, err))
        errs() << "mcc: error: " << err << "\n";
    });
    if (!ok || !err.empty())
      return 1;
    if (!assembly) {
      SmallString<128> header(out);
      sys::path::replace_extension(header, ".h");
      if (!writeFile(header, [&](raw_pwrite_stream &os) { mcc::writeHeader(c.signature(), os); }))
        return 1;
    }
    return 0;
  }
  case Emit::MLIR:
    break;
  }
  return 0;
}
