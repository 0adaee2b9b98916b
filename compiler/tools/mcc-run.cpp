//===- mcc-run.cpp - compile, run, compare and time one model -------------===//
//
//   mcc-run MODEL.onnx [mcc options] [INPUT...] [--input NAME=FILE]... [--output-dir DIR]
//           [--reference DIR] [--rtol R --atol A] [--bench N] [--threads T]
//
// Compiles in-process exactly as mcc does, JIT-links the result and calls <name>_run_parallel (on a
// default pool of T workers with --threads T, else on this thread alone).
// Exit codes: 0 ok, 1 mismatch, 2 compile error, 3 run error.
//
//===----------------------------------------------------------------------===//
#include "compiler/driver/CompilerOptions.h"
#include "compiler/tools/SequenceIO.h"
#include "compiler/tools/TensorIO.h"

#include "llvm/ADT/STLExtras.h"
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
/// Pins each tensor input with symbolic dims to the shape of the file given for it (positional in
/// graph order, or --input NAME=FILE). Files that do not fit the declared rank and fixed dims are left
/// for the input check after compiling, which names both shapes.
void pinShapesFromInputs(const std::vector<mcc::GraphValueKind> &modelInputs,
                         const std::vector<std::string> &positional, const std::vector<std::string> &namedInputs,
                         mcc::ImportOptions &options) {
  std::map<std::string, std::string> files;
  for (size_t i = 1; i < positional.size() && i - 1 < modelInputs.size(); ++i)
    files[modelInputs[i - 1].name] = positional[i];
  for (const std::string &spec : namedInputs) {
    auto parts = StringRef(spec).split('=');
    files[parts.first.str()] = parts.second.str();
  }
  for (const mcc::GraphValueKind &in : modelInputs) {
    auto file = files.find(in.name);
    if (in.kind != mcc::GraphValueKind::Tensor || !in.shape || !llvm::is_contained(*in.shape, -1) ||
        file == files.end())
      continue;
    HostTensor t;
    std::string ignored; // an unreadable file is reported when the inputs are read
    if (!mcc::tools::readTensor(file->second, t, ignored) || t.shape.size() != in.shape->size())
      continue;
    bool fits = true;
    for (size_t d = 0; d < t.shape.size(); ++d)
      fits &= (*in.shape)[d] < 0 || (*in.shape)[d] == t.shape[d];
    if (fits)
      options.inputShapes[in.name] = t.shape;
  }
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
                             "  --threads T   workers for the run: libmcc_rt's default pool (default 1)\n"))
    return kCompileError;
  if (threads > 1024)
    return fail(kCompileError, "--threads " + Twine(threads) + ": at most 1024");
  std::string modelPath = positional.front();
  mcc::CompileOptions options;
  std::string optionError = mcc::compileOptionsFromCommandLine(modelPath, options);
  if (!optionError.empty())
    return fail(kCompileError, optionError);
  if (!options.target.triple.empty())
    return fail(kCompileError, "--target: mcc-run runs code on this machine; cross-compile with mcc");

  // Sequence and optional inputs are pinned from their data before compiling, then flattened.
  std::vector<mcc::GraphValueKind> modelInputs, modelOutputs;
  std::vector<HostTensor> flatInputs;
  // A model that cannot be read is left to the compiler, whose diagnostics say why.
  bool structured = mcc::describeGraphValues(modelPath, modelInputs, modelOutputs).empty() &&
                    mcc::tools::hasStructuredValues(modelInputs, modelOutputs);
  // Inputs compiled as constants (--const) take no value at run time.
  llvm::erase_if(modelInputs,
                 [&](const mcc::GraphValueKind &v) { return options.import.constantInputs.count(v.name) != 0; });
  if (structured) {
    std::string err;
    std::vector<std::string> files(positional.begin() + 1, positional.end());
    if (!mcc::tools::expandInputs(modelInputs, files, namedInputs, options.import, flatInputs, err))
      return fail(kRunError, err);
  }

  // Neither --shape nor --dim: symbolic dims of tensor inputs are pinned from the data given, as ONNX
  // Runtime takes them (the sequence inputs above already were).
  if (!structured && options.import.inputShapes.empty() && options.runtimeDims.empty())
    pinShapesFromInputs(modelInputs, positional, namedInputs, options.import);

  // Compile exactly as mcc does.
  mcc::Compilation compilation(options);
  if (!compilation.import() || !compilation.generate())
    return kCompileError;
  const mcc::ModelSignature &sig = compilation.signature();

  // Inputs: positional in graph order, or by name.
  std::vector<HostTensor> inputs(sig.inputs.size());
  std::vector<bool> given(sig.inputs.size(), false);
  std::string error;
  if (structured) {
    if (flatInputs.size() != sig.inputs.size())
      return fail(kRunError, Twine(flatInputs.size()) + " input tensors for " + Twine(sig.inputs.size()) +
                                 " flattened model inputs");
    inputs = std::move(flatInputs);
    given.assign(inputs.size(), true);
  } else if (positional.size() - 1 > sig.inputs.size())
    return fail(kRunError,
                Twine(positional.size() - 1) + " input files for " + Twine(sig.inputs.size()) + " model inputs");
  for (size_t i = 1; i < positional.size() && !structured; ++i) {
    if (!mcc::tools::readTensor(positional[i], inputs[i - 1], error))
      return fail(kRunError, error);
    given[i - 1] = true;
  }
  for (const std::string &spec : structured ? std::vector<std::string>() : namedInputs) {
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
    bool shapeFits = inputs[i].shape.size() == expected.shape.size();
    for (size_t d = 0; shapeFits && d < expected.shape.size(); ++d)
      shapeFits = expected.shape[d] < 0 || expected.shape[d] == inputs[i].shape[d];
    if (inputs[i].dtype != expected.dtype || !shapeFits)
      return fail(kRunError, "input '" + expected.name + "': the model takes " + mcc::tools::dtypeName(expected.dtype) +
                                 mcc::tools::shapeToString(expected.shape) + ", got " +
                                 mcc::tools::dtypeName(inputs[i].dtype) + mcc::tools::shapeToString(inputs[i].shape));
  }

  // JIT-link the same LLVM module the object file would hold.
  InitializeNativeTarget();
  InitializeNativeTargetAsmPrinter();
  auto jit = orc::LLJITBuilder().create();
  if (!jit)
    return fail(kRunError, "cannot create the JIT: " + toString(jit.takeError()));
  auto &dylib = (*jit)->getMainJITDylib();
  auto generator = orc::DynamicLibrarySearchGenerator::GetForCurrentProcess((*jit)->getDataLayout().getGlobalPrefix());
  if (!generator)
    return fail(kRunError, toString(generator.takeError()));
  dylib.addGenerator(std::move(*generator));
  std::unique_ptr<Module> module = compilation.takeLLVMModule();
  module->setDataLayout((*jit)->getDataLayout());
  if (auto err = (*jit)->addIRModule(orc::ThreadSafeModule(std::move(module), compilation.takeLLVMContext())))
    return fail(kRunError, "JIT: " + toString(std::move(err)));
  auto runSym = (*jit)->lookup(sig.prefix + "_run_parallel");
  if (!runSym)
    return fail(kRunError, "JIT: " + toString(runSym.takeError()));
  using RunFn = int (*)(const void *, void *, void *, const mcc_parallel *);
  auto runParallel = runSym->toPtr<RunFn>();
  // --threads T: the default pool, as an application would use it (1: no pool, the serial path).
  std::unique_ptr<mcc_pool, void (*)(mcc_pool *)> pool(threads > 1 ? mcc_pool_create((int32_t)threads) : nullptr,
                                                       mcc_pool_destroy);
  if (threads > 1 && !pool)
    return fail(kRunError, "cannot start a pool of " + Twine(threads) + " workers");
  mcc_parallel par = mcc_pool_parallel(pool.get());
  auto run = [&](const void *in, void *out, void *ws) { return runParallel(in, out, ws, pool ? &par : nullptr); };

  uint64_t wsNeeded = sig.workspaceSize;
  // The structs as the header lays them out (on this 64-bit host every field is 8 bytes): the tensor
  // pointers, then the runtime dimensions (inputs) or the runtime shapes (outputs).
  std::vector<HostTensor> outputs(sig.outputs.size());
  std::vector<uint64_t> inStruct, outStruct;
  static const uint64_t emptyTensor = 0; // the address given for inputs with no elements
  for (auto &t : inputs)
    inStruct.push_back(
        reinterpret_cast<uintptr_t>(t.data.empty() ? &emptyTensor : static_cast<const void *>(t.data.data())));
  if (inStruct.empty())
    inStruct.push_back(0);
  // --weights=external: the blob the compiler wrote, as an application would map it (64-byte aligned).
  const std::vector<char> &blob = compilation.weightsBlob();
  void *weights = nullptr;
  if (!blob.empty()) {
    weights = std::aligned_alloc(MCC_WORKSPACE_ALIGNMENT, (blob.size() + 63) / 64 * 64);
    if (!weights)
      return fail(kRunError, "cannot allocate " + Twine(blob.size()) + " bytes for the weights");
    std::memcpy(weights, blob.data(), blob.size());
    inStruct.push_back(reinterpret_cast<uintptr_t>(weights));
  }
  scope_exit freeWeights([&] { std::free(weights); });
  std::vector<int64_t> dimValues;
  for (const std::string &dim : sig.runtimeDims) {
    int64_t value = -1;
    for (size_t i = 0; i < sig.inputs.size() && value < 0; ++i)
      for (size_t d = 0; d < sig.inputs[i].dimNames.size() && value < 0; ++d)
        if (sig.inputs[i].dimNames[d] == dim)
          value = inputs[i].shape[d];
    dimValues.push_back(value);
    inStruct.push_back(static_cast<uint64_t>(value));
  }
  size_t variant = 0;
  if (!sig.variants.empty()) {
    while (variant < sig.variants.size() && sig.variants[variant].dimValues != dimValues)
      ++variant;
    if (variant == sig.variants.size()) {
      std::string given;
      for (size_t d = 0; d < dimValues.size(); ++d)
        given += (d ? ", " : "") + sig.runtimeDims[d] + "=" + std::to_string(dimValues[d]);
      return fail(kRunError, "the inputs have " + given + ", which the model was not compiled for (--dim)");
    }
  }
  for (size_t i = 0; i < outputs.size(); ++i) {
    outputs[i].dtype = sig.outputs[i].dtype;
    // The capacity: the shape at these runtime dimensions, or the upper bound of a data-dependent one.
    outputs[i].shape = sig.outputs[i].isDynamic() && !sig.variants.empty() ? sig.variants[variant].outputShapes[i]
                                                                           : sig.outputs[i].maxShape;
    outputs[i].data.assign(outputs[i].byteSize(), 0);
    static uint64_t emptyOutput; // never written: the output has no elements
    outStruct.push_back(reinterpret_cast<uintptr_t>(
        outputs[i].data.empty() ? &emptyOutput : static_cast<void *>(outputs[i].data.data())));
  }
  std::vector<size_t> shapeFields(outputs.size(), 0);
  for (size_t i = 0; i < outputs.size(); ++i)
    if (!sig.outputs[i].dimsField.empty()) {
      shapeFields[i] = outStruct.size();
      outStruct.insert(outStruct.end(), sig.outputs[i].shape.size(), ~0ull);
    }
  if (!sig.variants.empty())
    wsNeeded = sig.variants[variant].workspaceSize;
  wsNeeded += (threads - 1) * sig.workspacePerWorker; // the slices of workers 1..T-1 follow
  size_t wsSize = (wsNeeded + MCC_WORKSPACE_ALIGNMENT - 1) / MCC_WORKSPACE_ALIGNMENT * MCC_WORKSPACE_ALIGNMENT;
  void *workspace = wsSize ? std::aligned_alloc(MCC_WORKSPACE_ALIGNMENT, wsSize) : nullptr;
  if (wsSize && !workspace)
    return fail(kRunError, "cannot allocate a workspace of " + Twine(wsSize) + " bytes");
  scope_exit freeWorkspace([&] { std::free(workspace); });

  int status = run(inStruct.data(), outStruct.data(), workspace);
  if (status != MCC_OK)
    return fail(kRunError, Twine(sig.prefix) + "_run returned " + Twine(status) + ": " + mcc_strerror(status));

  // Outputs with a runtime shape: the one _run reported, within the capacity (data-dependent shapes),
  // or exactly the one compiled for these runtime dimensions. Elements are dense from the start.
  for (size_t i = 0; i < outputs.size(); ++i) {
    if (!shapeFields[i])
      continue;
    const mcc::TensorSignature &t = sig.outputs[i];
    std::vector<int64_t> shape(t.shape.size());
    std::memcpy(shape.data(), &outStruct[shapeFields[i]], shape.size() * sizeof(int64_t));
    bool fits = true;
    for (size_t d = 0; d < shape.size(); ++d)
      fits &= t.isDataDependent() ? shape[d] >= 0 && shape[d] <= outputs[i].shape[d] : shape[d] == outputs[i].shape[d];
    if (!fits)
      return fail(kRunError, "output '" + t.name + "': " + sig.prefix + "_run reported shape " +
                                 mcc::tools::shapeToString(shape) + ", outside " +
                                 mcc::tools::shapeToString(outputs[i].shape));
    outputs[i].shape = shape;
    outputs[i].data.resize(outputs[i].byteSize());
  }

  if (benchRuns > 0) {
    std::vector<double> ms;
    for (unsigned i = 0; i < benchRuns; ++i) {
      auto start = std::chrono::steady_clock::now();
      run(inStruct.data(), outStruct.data(), workspace);
      ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(ms.begin(), ms.end());
    double median = ms.size() % 2 ? ms[ms.size() / 2] : (ms[ms.size() / 2 - 1] + ms[ms.size() / 2]) / 2;
    outs() << format("latency_ms median=%.4f min=%.4f runs=%u\n", median, ms.front(), benchRuns.getValue());
  }

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
    std::vector<HostTensor> flatReferences;
    if (structured) {
      if (!mcc::tools::expandReferences(modelOutputs, referenceDir, flatReferences, error))
        return fail(kRunError, error);
      if (flatReferences.size() != outputs.size()) {
        errs() << "mcc-run: mismatch: the model produces " << outputs.size() << " tensor(s), the reference "
               << "sequences and optionals hold " << flatReferences.size() << "\n";
        return kMismatch;
      }
    }
    for (size_t i = 0; i < outputs.size(); ++i) {
      HostTensor expected;
      if (structured)
        expected = std::move(flatReferences[i]);
      else if (!readReference(referenceDir, i, expected, error))
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
    outs() << "match: " << outputs.size() << " output(s) within rtol " << format("%g", relTol.getValue()) << " atol "
           << format("%g", absTol.getValue()) << "\n";
  }
  return kOk;
}
