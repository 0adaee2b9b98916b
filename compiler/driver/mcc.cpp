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
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Signals.h"

#include <chrono>

#include <sys/resource.h>

using namespace llvm;

namespace {
enum class Emit { Obj, Asm, LLVM, MLIR, Header, Shared, Onnx };

cl::opt<std::string> inputPath(cl::Positional, cl::desc("<model.onnx>"), cl::Required,
                               cl::cat(mcc::compilerCategory()));
cl::opt<std::string> outputPath("o", cl::desc("Output file (default: <model>.o; the header goes next to it)"),
                                cl::value_desc("file"), cl::cat(mcc::compilerCategory()));
cl::opt<Emit> emit("emit", cl::desc("What to write"), cl::init(Emit::Obj),
                   cl::values(clEnumValN(Emit::Obj, "obj", "object file and C header (default)"),
                              clEnumValN(Emit::Asm, "asm", "assembly"), clEnumValN(Emit::LLVM, "llvm", "LLVM IR"),
                              clEnumValN(Emit::MLIR, "mlir", "the imported model in the onnx dialect"),
                              clEnumValN(Emit::Header, "header", "the C header only"),
                              clEnumValN(Emit::Shared, "shared", "an ELF shared library and the C header"),
                              clEnumValN(Emit::Onnx, "onnx", "the model after --prune, as ONNX")),
                   cl::cat(mcc::compilerCategory()));
// mcc-run's --profile takes the trace file; mcc's only instruments.
cl::opt<bool> profile("profile", cl::desc("Same as --instrument: time each compiled node (mcc_profile_info)"),
                      cl::cat(mcc::compilerCategory()));

/// The files one compilation writes, replaced together or not at all: each is written to a temporary
/// file next to its final path (removed on failure or on a signal), and renamed only once every one
/// is complete. On failure the previous outputs at those paths are removed too, so a build system
/// never picks up a partial file, nor an old object next to a failed compile of a changed model.
class Outputs {
public:
  ~Outputs() {
    for (auto &f : files)
      if (!f.temp.empty()) {
        sys::fs::remove(f.temp);
        sys::DontRemoveFileOnSignal(f.temp);
      }
    if (!committed)
      for (auto &f : files)
        sys::fs::remove(f.path);
  }
  /// Claims `path` as an output; its temporary file's name goes into `temp`.
  bool create(StringRef path, std::string &temp) {
    SmallString<128> model(path);
    model += ".tmp-%%%%%%%%";
    SmallString<128> name;
    int fd;
    if (auto ec = sys::fs::createUniqueFile(model, fd, name)) {
      errs() << "mcc: error: cannot write '" << path << "': " << ec.message() << "\n";
      return false;
    }
    sys::Process::SafelyCloseFileDescriptor(fd);
    sys::RemoveFileOnSignal(name);
    files.push_back({path.str(), std::string(name)});
    temp = std::string(name);
    return true;
  }
  bool write(StringRef path, function_ref<void(raw_pwrite_stream &)> writer) {
    if (path == "-") {
      writer(outs());
      return true;
    }
    std::string temp;
    if (!create(path, temp))
      return false;
    std::error_code ec;
    raw_fd_ostream os(temp, ec, sys::fs::OF_None);
    if (!ec) {
      writer(os);
      os.close();
      ec = os.error();
    }
    if (ec)
      errs() << "mcc: error: cannot write '" << path << "': " << ec.message() << "\n";
    return !ec;
  }
  /// Renames every temporary file onto its output.
  bool commit() {
    for (auto &f : files) {
      if (auto ec = sys::fs::rename(f.temp, f.path)) {
        errs() << "mcc: error: cannot write '" << f.path << "': " << ec.message() << "\n";
        return false;
      }
      sys::DontRemoveFileOnSignal(f.temp);
      f.temp.clear();
    }
    committed = true;
    return true;
  }

private:
  struct File {
    std::string path, temp;
  };
  std::vector<File> files;
  bool committed = false;
};

/// --weights=external: the blob goes next to the object as <output>.weights.
bool writeWeights(Outputs &outputs, const mcc::Compilation &c, StringRef out) {
  if (c.weightsBlob().empty())
    return true;
  SmallString<128> path(out);
  sys::path::replace_extension(path, ".weights");
  return outputs.write(path, [&](raw_pwrite_stream &os) { os.write(c.weightsBlob().data(), c.weightsBlob().size()); });
}
} // namespace

int main(int argc, char **argv) {
  auto start = std::chrono::steady_clock::now();
  InitLLVM init(argc, argv);
  if (!mcc::parseCommandLine(argc, argv, "mcc: ahead-of-time ONNX model compiler\n"))
    return 2;
  mcc::CompileOptions options;
  std::string optionError = mcc::compileOptionsFromCommandLine(inputPath, options);
  options.profile |= profile;
  if (!optionError.empty()) {
    errs() << "mcc: error: " << optionError << "\n";
    return 2;
  }

  std::string out = outputPath;
  auto defaultOut = [&](StringRef ext) {
    SmallString<128> p(sys::path::filename(inputPath.getValue()));
    sys::path::replace_extension(p, ext);
    return std::string(p);
  };
  auto sibling = [&](StringRef ext) {
    SmallString<128> p(out);
    sys::path::replace_extension(p, ext);
    return std::string(p);
  };
  Outputs outputs;
  // Claimed before compiling: a failed compile removes what an earlier one left at these paths.
  auto claimOld = [&](StringRef path) {
    if (path != "-" && sys::fs::exists(path))
      sys::fs::remove(path);
  };
  switch (emit) {
  case Emit::Obj:
    out = out.empty() ? defaultOut(".o") : out;
    claimOld(out), claimOld(sibling(".h")), claimOld(sibling(".weights"));
    break;
  case Emit::Shared:
    out = out.empty() ? defaultOut(".so") : out;
    claimOld(out), claimOld(sibling(".h")), claimOld(sibling(".weights"));
    break;
  case Emit::Asm:
    out = out.empty() ? defaultOut(".s") : out;
    claimOld(out), claimOld(sibling(".weights"));
    break;
  case Emit::Header:
    out = out.empty() ? defaultOut(".h") : out;
    claimOld(out);
    break;
  case Emit::LLVM:
  case Emit::MLIR:
    out = out.empty() ? "-" : out;
    claimOld(out);
    break;
  case Emit::Onnx:
    out = out.empty() ? defaultOut(".pruned.onnx") : out;
    claimOld(out);
    options.keepPrunedModel = true;
    break;
  }

  mcc::Compilation c(options);
  if (!c.import())
    return 1;
  if (emit == Emit::Onnx)
    return outputs.write(out, [&](raw_pwrite_stream &os) { os << c.prunedModel(); }) && outputs.commit() ? 0 : 1;
  if (emit == Emit::MLIR)
    return outputs.write(out, [&](raw_pwrite_stream &os) { c.onnxModule()->print(os); }) && outputs.commit() ? 0 : 1;
  if (!c.generate())
    return 1;
  std::string err;
  bool ok = true;
  switch (emit) {
  case Emit::Header:
    ok = outputs.write(out, [&](raw_pwrite_stream &os) { mcc::writeHeader(c.signature(), os); });
    break;
  case Emit::LLVM:
    ok = outputs.write(out, [&](raw_pwrite_stream &os) { c.llvmModule().print(os, nullptr); });
    break;
  case Emit::Shared: {
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
    std::string library;
    if (!outputs.create(out, library))
      return 1;
    if (!mcc::linkSharedLibrary(object, library, c.targetMachine().getTargetTriple(), err)) {
      errs() << "mcc: error: " << err << "\n";
      return 1;
    }
    ok = writeWeights(outputs, c, out) &&
         outputs.write(sibling(".h"), [&](raw_pwrite_stream &os) { mcc::writeHeader(c.signature(), os); });
    break;
  }
  case Emit::Asm:
  case Emit::Obj: {
    bool assembly = emit == Emit::Asm;
    ok = outputs.write(out, [&](raw_pwrite_stream &os) {
      if (!mcc::emitMachineCode(c.llvmModule(), c.targetMachine(), assembly, os, err))
        errs() << "mcc: error: " << err << "\n";
    });
    ok = ok && err.empty();
    if (ok && !assembly)
      ok = outputs.write(sibling(".h"), [&](raw_pwrite_stream &os) { mcc::writeHeader(c.signature(), os); });
    ok = ok && writeWeights(outputs, c, out);
    break;
  }
  case Emit::MLIR:
  case Emit::Onnx:
    break;
  }
  ok = ok && outputs.commit();
  // The whole compile as a build system sees it: import, pipeline, machine code, files.
  if (ok && options.verbose) {
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    double cpu =
        usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    errs() << "mcc: " << c.signature().prefix << ": compiled in "
           << format("%.2f", std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()) << " s ("
           << format("%.2f", cpu) << " s CPU), peak memory " << usage.ru_maxrss / 1024 << " MiB\n";
  }
  return ok ? 0 : 1;
}
