//===- mcc-run.cpp - compile, run, compare and time one model -------------===//
//
//   mcc-run MODEL.onnx [mcc options] [INPUT...] [--input NAME=FILE]... [--output-dir DIR]
//           [--reference DIR] [--rtol R --atol A] [--bench N] [--threads T]
//
// Compiles in-process exactly as mcc does, JIT-links the result and calls <name>_run.
// Exit codes: 0 ok, 1 mismatch, 2 compile error, 3 run error.
//
//===----------------------------------------------------------------------===//
#include "compiler/driver/CompilerOptions.h"
#include "compiler/tools/TensorIO.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/ExecutionEngine/Orc/ExecutionUtils.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/TargetSelect.h"

#include "mcc/mcc_rt.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>

using namespace llvm;
using mcc::tools::HostTensor;

namespace {
enum ExitCode { kOk = 0, kMismatch = 1, kCompileError = 2, kRunError = 3 };

cl::list<std::string> positional(cl::Positional, cl::desc("<model.onnx> [input files in graph order...]"),
                                 cl::OneOrMore, cl::cat(mcc::compilerCategory()));
cl::list<std::string> namedInputs("input", cl::desc("Input by name: NAME=FILE (.npy or TensorProto .pb)"),
                                  cl::value_desc("name=file"), cl::cat(mcc::compilerCategory()));
cl::opt<std::string> outputDir("output-dir", cl::desc("Write output_<i>.npy here"), cl::cat(mcc::compilerCategory()));
cl::opt<std::string> referenceDir("reference", cl::desc("Compare with output_<i>.pb or output_<i>.npy in DIR"),
                                  cl::cat(mcc::compilerCategory()));
cl::opt<double> relTol("rtol", cl::desc("Relative tolerance (default 1e-3)"), cl::init(1e-3),
                     cl::cat(mcc::compilerCategory()));
cl::opt<double> absTol("atol", cl::desc("Absolute tolerance (default 1e-7)"), cl::init(1e-7),
                     cl::cat(mcc::compilerCategory()));
cl::opt<unsigned> benchRuns("bench", cl::desc("Time N runs; prints latency_ms median=<m> min=<m> runs=<N>"),
                            cl::init(0), cl::cat(mcc::compilerCategory()));

/// --threads T is taken out of argv before llvm::cl sees it: libLLVM registers its own -threads.
bool extractThreads(std::vector<char *> &args, unsigned &threads, std::string &error) {
  for (size_t i = 1; i < args.size(); ++i) {
    StringRef a(args[i]);
    StringRef value;
    size_t consumed = 1;
    if (a == "--threads" || a == "-threads") {
      if (i + 1 >= args.size())
        return error = "--threads needs a value", false;
      value = args[i + 1];
      consumed = 2;
    } else if (a.consume_front("--threads=") || a.consume_front("-threads=")) {
      value = a;
    } else {
      continue;
    }
    if (value.getAsInteger(10, threads) || threads == 0)
      return error = "--threads expects a positive integer, got '" + value.str() + "'", false;
    args.erase(args.begin() + i, args.begin() + i + consumed);
    --i;
  }
  return true;
}

int fail(ExitCode code, const Twine &message) {
  errs() << "mcc-run: error: " << message << "\n";
  return code;
}

/// Reads the reference for output `i` from `dir`: output_<i>.pb, else output_<i>.npy.
bool readReference(StringRef dir, size_t i, HostTensor &t, std::string &error) {
  for (const char *ext : {".pb", ".npy"}) {
    SmallString<256> path(dir);
    sys::path::append(path, "output_" + std::to_string(i) + ext);
    if (sys::fs::exists(path))
      return mcc::tools::readTensor(std::string(path), t, error);
  }
  error = "no output_" + std::to_string(i) + ".pb or .npy in '" + dir.str() + "'";
  return false;
}
/// The outputs struct `<name>_run` fills (see the generated header): one pointer per output, then an
/// `int64_t dims[rank]` for each output whose shape depends on the data. Pointers and int64 are both
/// 8 bytes on the hosts mcc-run runs on, so the struct is an array of 8-byte slots.
struct OutputsStruct {
  std::vector<uint64_t> slots;
  std::vector<size_t> dimsSlot; ///< per output: index of its first dims slot, or SIZE_MAX
};

OutputsStruct makeOutputsStruct(const mcc::ModelSignature &sig, const std::vector<void *> &pointers) {
  static_assert(sizeof(void *) == sizeof(uint64_t), "mcc-run assumes 64-bit pointers");
  OutputsStruct s;
  s.slots.resize(pointers.size());
  std::memcpy(s.slots.data(), pointers.data(), pointers.size() * sizeof(void *));
  for (const mcc::TensorSignature &t : sig.outputs) {
    s.dimsSlot.push_back(t.isDataDependent() ? s.slots.size() : SIZE_MAX);
    if (t.isDataDependent())
      s.slots.resize(s.slots.size() + t.shape.size(), 0);
  }
  return s;
}

/// Gives each data-dependent output the shape `_run` reported and drops the unused capacity (the
/// elements are written densely from the start of the buffer).
bool applyActualShapes(const mcc::ModelSignature &sig, const OutputsStruct &s, std::vector<HostTensor> &outputs,
                       std::string &error) {
  for (size_t i = 0; i < outputs.size(); ++i) {
    const mcc::TensorSignature &t = sig.outputs[i];
    if (!t.isDataDependent())
      continue;
    std::vector<int64_t> shape(t.shape.size());
    std::memcpy(shape.data(), &s.slots[s.dimsSlot[i]], shape.size() * sizeof(int64_t));
    for (size_t d = 0; d < shape.size(); ++d)
      if (shape[d] < 0 || shape[d] > t.maxShape[d]) {
        error = "output '" + t.name + "': run reported shape " + mcc::tools::shapeToString(shape) +
                ", outside its bound " + mcc::tools::shapeToString(t.maxShape);
        return false;
      }
    outputs[i].shape = shape;
    outputs[i].data.resize(outputs[i].byteSize());
  }
  return true;
}
} // namespace

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  std::vector<char *> args(argv, argv + argc);
  unsigned threads = 1;
  std::string threadError;
  if (!extractThreads(args, threads, threadError))
    return fail(kCompileError, threadError);
  if (!mcc::parseCommandLine((int)args.size(), args.data(),
                             "mcc-run: compile, run, compare and time one ONNX model\n"
                             "  --threads T   threads for the run (generated code is single-threaded: 1)\n"))
    return kCompileError;
  if (threads != 1)
    return fail(kCompileError, "--threads " + Twine(threads) +
                                   ": generated code is single-threaded in this version; use --threads 1");
  std::string modelPath = positional.front();
  mcc::CompileOptions options;
  std::string optionError = mcc::compileOptionsFromCommandLine(modelPath, options);
  if (!optionError.empty())
    return fail(kCompileError, optionError);
  if (!options.target.triple.empty())
    return fail(kCompileError, "--target: mcc-run runs code on this machine; cross-compile with mcc");

  // Compile exactly as mcc does.
  mcc::Compilation compilation(options);
  if (!compilation.import() || !compilation.generate())
    return kCompileError;
  const mcc::ModelSignature &sig = compilation.signature();

  // Inputs: positional in graph order, or by name.
  std::vector<HostTensor> inputs(sig.inputs.size());
  std::vector<bool> given(sig.inputs.size(), false);
  std::string error;
  if (positional.size() - 1 > sig.inputs.size())
    return fail(kRunError, Twine(positional.size() - 1) + " input files for " + Twine(sig.inputs.size()) +
                               " model inputs");
  for (size_t i = 1; i < positional.size(); ++i) {
    if (!mcc::tools::readTensor(positional[i], inputs[i - 1], error))
      return fail(kRunError, error);
    given[i - 1] = true;
  }
  for (const std::string &spec : namedInputs) {
    auto parts = StringRef(spec).split('=');
    StringRef name = parts.first, file = parts.second;
    auto it = std::find_if(sig.inputs.begin(), sig.inputs.end(), [&](const auto &t) { return t.name == name; });
    if (file.empty() || it == sig.inputs.end())
      return fail(kRunError, "--input " + spec + ": expected NAME=FILE with NAME a model input");
    size_t i = it - sig.inputs.begin();
    if (!mcc::tools::readTensor(file.str(), inputs[i], error))
      return fail(kRunError, error);
    given[i] = true;
  }
  for (size_t i = 0; i < sig.inputs.size(); ++i) {
    const auto &expected = sig.inputs[i];
    if (!given[i])
      return fail(kRunError, "no value for input '" + expected.name + "'");
    // ONNX 1.12's test data stores bfloat16 tensors as their uint16 bit patterns.
    if (expected.dtype == mcc::tools::kBFloat16 && inputs[i].dtype == mcc::tools::kUInt16)
      inputs[i].dtype = mcc::tools::kBFloat16;
    if (inputs[i].dtype != expected.dtype || inputs[i].shape != expected.shape)
      return fail(kRunError, "input '" + expected.name + "': the model takes " +
                                 mcc::tools::dtypeName(expected.dtype) + mcc::tools::shapeToString(expected.shape) +
                                 ", got " + mcc::tools::dtypeName(inputs[i].dtype) +
                                 mcc::tools::shapeToString(inputs[i].shape));
  }

  // JIT-link the same LLVM module the object file would hold.
  InitializeNativeTarget();
  InitializeNativeTargetAsmPrinter();
  auto jit = orc::LLJITBuilder().create();
  if (!jit)
    return fail(kRunError, "cannot create the JIT: " + toString(jit.takeError()));
  auto &dylib = (*jit)->getMainJITDylib();
  auto generator = orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
      (*jit)->getDataLayout().getGlobalPrefix());
  if (!generator)
    return fail(kRunError, toString(generator.takeError()));
  dylib.addGenerator(std::move(*generator));
  std::unique_ptr<Module> module = compilation.takeLLVMModule();
  module->setDataLayout((*jit)->getDataLayout());
  if (auto err = (*jit)->addIRModule(orc::ThreadSafeModule(std::move(module), compilation.takeLLVMContext())))
    return fail(kRunError, "JIT: " + toString(std::move(err)));
  auto runSym = (*jit)->lookup(sig.prefix + "_run");
  if (!runSym)
    return fail(kRunError, "JIT: " + toString(runSym.takeError()));
  using RunFn = int (*)(const void *const *, void *const *, void *);
  auto run = runSym->toPtr<RunFn>();

  std::vector<HostTensor> outputs(sig.outputs.size());
  std::vector<const void *> inPtrs;
  std::vector<void *> outPtrs;
  static const uint64_t emptyTensor = 0; // the address given for inputs with no elements
  for (auto &t : inputs)
    inPtrs.push_back(t.data.empty() ? &emptyTensor : static_cast<const void *>(t.data.data()));
  for (size_t i = 0; i < outputs.size(); ++i) {
    outputs[i].dtype = sig.outputs[i].dtype;
    outputs[i].shape = sig.outputs[i].maxShape; // the capacity; data-dependent shapes come after the run
    outputs[i].data.assign(outputs[i].byteSize(), 0);
    static uint64_t emptyOutput; // never written: the output has no elements
    outPtrs.push_back(outputs[i].data.empty() ? &emptyOutput : static_cast<void *>(outputs[i].data.data()));
  }
  size_t wsSize = (sig.workspaceSize + MCC_WORKSPACE_ALIGNMENT - 1) / MCC_WORKSPACE_ALIGNMENT * MCC_WORKSPACE_ALIGNMENT;
  void *workspace = wsSize ? std::aligned_alloc(MCC_WORKSPACE_ALIGNMENT, wsSize) : nullptr;
  if (wsSize && !workspace)
    return fail(kRunError, "cannot allocate a workspace of " + Twine(wsSize) + " bytes");
  scope_exit freeWorkspace([&] { std::free(workspace); });

  OutputsStruct outStruct = makeOutputsStruct(sig, outPtrs);
  auto *outArg = reinterpret_cast<void *const *>(outStruct.slots.data());
  int status = run(inPtrs.data(), outArg, workspace);
  if (status != MCC_OK)
    return fail(kRunError, Twine(sig.prefix) + "_run returned " + Twine(status) + ": " + mcc_strerror(status));

  if (benchRuns > 0) {
    std::vector<double> ms;
    for (unsigned i = 0; i < benchRuns; ++i) {
      auto start = std::chrono::steady_clock::now();
      run(inPtrs.data(), outArg, workspace);
      ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(ms.begin(), ms.end());
    double median = ms.size() % 2 ? ms[ms.size() / 2] : (ms[ms.size() / 2 - 1] + ms[ms.size() / 2]) / 2;
    outs() << format("latency_ms median=%.4f min=%.4f runs=%u\n", median, ms.front(), benchRuns.getValue());
  }

  if (!applyActualShapes(sig, outStruct, outputs, error))
    return fail(kRunError, error);

  if (!outputDir.empty()) {
    if (auto ec = sys::fs::create_directories(outputDir))
      return fail(kRunError, "cannot create '" + outputDir + "': " + ec.message());
    for (size_t i = 0; i < outputs.size(); ++i) {
      SmallString<256> path(outputDir);
      sys::path::append(path, "output_" + std::to_string(i) + ".npy");
      if (!mcc::tools::writeNpy(std::string(path), outputs[i], error))
        return fail(kRunError, error);
    }
  }

  if (!referenceDir.empty()) {
    bool allOk = true;
    for (size_t i = 0; i < outputs.size(); ++i) {
      HostTensor expected;
      if (!readReference(referenceDir, i, expected, error))
        return fail(kRunError, error);
      if (outputs[i].dtype == mcc::tools::kBFloat16 && expected.dtype == mcc::tools::kUInt16)
        expected.dtype = mcc::tools::kBFloat16; // bit patterns, as for inputs

      auto result = mcc::tools::compareTensors(outputs[i], expected, relTol, absTol);
      if (!result.ok) {
        errs() << "mcc-run: mismatch: output " << i << " '" << sig.outputs[i].name << "': " << result.message << "\n";
        allOk = false;
      } else {
        outs() << "output " << i << " '" << sig.outputs[i].name << "': " << result.message << "\n";
      }
    }
    if (!allOk)
      return kMismatch;
    outs() << "match: " << outputs.size() << " output(s) within rtol " << format("%g", relTol.getValue()) << " atol " << format("%g", absTol.getValue()) << "\n";
  }
  return kOk;
}
