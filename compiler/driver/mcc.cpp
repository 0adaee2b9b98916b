//===- mcc.cpp - the mcc command ------------------------------------------===//
//
//   mcc model.onnx -o model.o        writes model.o and model.h
//
//===----------------------------------------------------------------------===//
#include "codegen/cpu/SharedLibrary.h"
#include "compiler/driver/CompilerOptions.h"

#include "mlir/IR/AsmState.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/ToolOutputFile.h"


using namespace llvm;

namespace {
enum class Emit { Obj, Asm, LLVM, MLIR, Header, Shared };

cl::opt<std::string> inputPath(cl::Positional, cl::desc("<model.onnx>"), cl::Required,
                               cl::cat(mcc::compilerCategory()));
cl::opt<std::string> outputPath("o", cl::desc("Output file (default: <model>.o; the header goes next to it)"),
                                cl::value_desc("file"), cl::cat(mcc::compilerCategory()));
cl::opt<Emit> emit("emit", cl::desc("What to write"), cl::init(Emit::Obj),
                   cl::values(clEnumValN(Emit::Obj, "obj", "object file and C header (default)"),
                              clEnumValN(Emit::Asm, "asm", "assembly"),
                              clEnumValN(Emit::LLVM, "llvm", "LLVM IR"),
                              clEnumValN(Emit::MLIR, "mlir", "the imported model in the onnx dialect"),
                              clEnumValN(Emit::Header, "header", "the C header only"),
                              clEnumValN(Emit::Shared, "shared", "an ELF shared library and the C header")),
                   cl::cat(mcc::compilerCategory()));

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
/// --weights=external: the blob goes next to the object as <output>.weights.
bool writeWeights(const mcc::Compilation &c, StringRef out) {
  if (c.weightsBlob().empty())
    return true;
  SmallString<128> path(out);
  sys::path::replace_extension(path, ".weights");
  return writeFile(path, [&](raw_pwrite_stream &os) { os.write(c.weightsBlob().data(), c.weightsBlob().size()); });
}
} // namespace

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  if (!mcc::parseCommandLine(argc, argv, "mcc: ahead-of-time ONNX model compiler\n"))
    return 2;
  mcc::CompileOptions options;
  std::string optionError = mcc::compileOptionsFromCommandLine(inputPath, options);
  if (!optionError.empty()) {
    errs() << "mcc: error: " << optionError << "\n";
    return 2;
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
  case Emit::Shared: {
    if (out.empty())
      out = defaultOut(".so");
    SmallString<128> object;
    int fd;
    if (auto ec = sys::fs::createTemporaryFile("mcc", "o", fd, object)) {
      errs() << "mcc: error: cannot create a temporary file: " << ec.message() << "\n";
      return 1;
    }
    FileRemover removeObject(object);
    {
      raw_fd_ostream os(fd, /*shouldClose=*/true);
      if (!mcc::emitMachineCode(c.llvmModule(), c.targetMachine(), false, os, err)) {
        errs() << "mcc: error: " << err << "\n";
        return 1;
      }
    }
    if (!mcc::linkSharedLibrary(object, out, c.targetMachine().getTargetTriple(), err)) {
      errs() << "mcc: error: " << err << "\n";
      return 1;
    }
    SmallString<128> header(out);
    sys::path::replace_extension(header, ".h");
    if (!writeWeights(c, out))
      return 1;
    return writeFile(header, [&](raw_pwrite_stream &os) { mcc::writeHeader(c.signature(), os); }) ? 0 : 1;
  }
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
    if (!writeWeights(c, out))
      return 1;
    return 0;
  }
  case Emit::MLIR:
    break;
  }
  return 0;
}
