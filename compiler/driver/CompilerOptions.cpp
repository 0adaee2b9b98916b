//===- CompilerOptions.cpp - command-line options mcc and mcc-run share ---===//
#include "compiler/driver/CompilerOptions.h"

#include "llvm/CodeGen/CommandFlags.h"
#include "llvm/Pass.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>

#include "compiler/tools/TensorIO.h"
#include "mcc/Version.h"

using namespace llvm;

namespace mcc {

cl::OptionCategory &compilerCategory() {
  static cl::OptionCategory category("mcc options");
  return category;
}

std::string parseBindOption(StringRef text, bool fileOnly, ImportOptions &options) {
  const char *flag = fileOnly ? "--const" : "--bind";
  auto [inputName, value] = text.split('=');
  inputName = inputName.trim();
  value = value.trim();
  if (inputName.empty() || value.empty())
    return std::string(flag) + (fileOnly ? " expects NAME=FILE" : " expects NAME=VALUE (a .npy/.pb file or numbers)") +
           ", got '" + text.str() + "'";
  if (options.boundInputs.count(inputName.str()))
    return std::string(flag) + " " + inputName.str() + " is given twice";
  BoundValue bound;
  bound.origin = value.str();
  bound.flag = flag;
  bool isFile = fileOnly || value.ends_with(".npy") || value.ends_with(".pb") || sys::fs::exists(value);
  if (isFile) {
    tools::HostTensor t;
    std::string err;
    if (!tools::readTensor(value.str(), t, err))
      return std::string(flag) + " " + inputName.str() + ": " + err;
    if (t.dtype == tools::kString)
      return std::string(flag) + " " + inputName.str() + ": string tensors cannot be bound";
    bound.dtype = t.dtype;
    bound.shape = t.shape;
    bound.bytes.assign(t.data.begin(), t.data.end());
  } else {
    bound.literal = true;
    StringRef list = value;
    if (list.consume_front("[") && !list.consume_back("]"))
      return std::string(flag) + " " + inputName.str() + ": '" + value.str() + "' has no closing ']'";
    SmallVector<StringRef> parts;
    list.split(parts, ',');
    for (StringRef p : parts) {
      if (p.trim().empty())
        return std::string(flag) + " " + inputName.str() + ": '" + value.str() + "' has an empty element";
      bound.elements.push_back(p.trim().str());
    }
  }
  options.boundInputs.emplace(inputName.str(), std::move(bound));
  return "";
}

namespace {
cl::opt<std::string> name("name", cl::desc("Symbol prefix (default: the model's file name)"),
                          cl::cat(compilerCategory()));
cl::list<std::string> shapes("shape", cl::desc("Pin an input's dimensions: NAME=1x3x224x224"),
                             cl::value_desc("name=dims"), cl::cat(compilerCategory()));
cl::list<std::string> binds("bind",
                            cl::desc("Freeze input NAME to a constant at compile time: a .npy or .pb file, or "
                                     "numbers (5, or 0,2,3) of the input's type and shape; NAME is then no input"),
                            cl::value_desc("name=value"), cl::cat(compilerCategory()));
cl::list<std::string> consts("const", cl::desc("Older spelling of --bind NAME=FILE"), cl::value_desc("name=file"),
                             cl::cat(compilerCategory()));
cl::list<std::string> dims("dim",
                           cl::desc("Take symbolic dimension NAME (an ONNX dim_param) at run time, compiled for "
                                    "each size listed: NAME=1,3,8"),
                           cl::value_desc("name=sizes"), cl::cat(compilerCategory()));
enum class Weights { Embedded, External };
cl::opt<Weights>
    weights("weights", cl::desc("Where the weights go"), cl::init(Weights::Embedded),
            cl::values(clEnumValN(Weights::Embedded, "embedded", "into the object's read-only data (default)"),
                       clEnumValN(Weights::External, "external",
                                  "into <output>.weights, which the caller maps and passes at run time")),
            cl::cat(compilerCategory()));
cl::opt<std::string> targetTriple("target", cl::desc("Target triple (default: the host)"), cl::cat(compilerCategory()));
// -mcpu and -mattr are LLVM's own codegen flags (lld registers them too, so mcc must not).
codegen::RegisterCodeGenFlags codegenFlags;
cl::opt<unsigned> optLevel("O", cl::desc("Optimisation level 0-3 (default 2)"), cl::Prefix, cl::init(2),
                           cl::cat(compilerCategory()));
cl::opt<bool> verbose("v", cl::desc("Print what the compiler decided"), cl::cat(compilerCategory()));
cl::opt<bool> noKernels("no-kernels",
                        cl::desc("Compile MatMul/Gemm/Conv as loops instead of calling the C microkernels"),
                        cl::cat(compilerCategory()));
// Hidden: unchecked code is unsafe on untrusted inputs; the option exists to measure what the checks cost.
cl::opt<bool> noRuntimeChecks("no-runtime-checks",
                              cl::desc("Drop the run-time checks of index and size inputs (to measure their cost)"),
                              cl::Hidden, cl::cat(compilerCategory()));
cl::opt<bool> instrument("instrument",
                         cl::desc("Time each compiled node of a run into the workspace (needs libmcc_rt; "
                                  "mcc-run --profile FILE writes the times as a Chrome trace)"),
                         cl::cat(compilerCategory()));
cl::opt<bool> noSparseKernels("no-sparse-kernels",
                              cl::desc("Keep mostly-zero weights in the dense kernels and zero channels in the "
                                       "model (for A/B comparisons)"),
                              cl::cat(compilerCategory()));
cl::opt<std::string> prune("prune",
                           cl::desc("Prune the weights: magnitude:S (S of each layer's weights zeroed, smallest "
                                    "first), magnitude:S:global (one threshold for all layers), N:M (e.g. 2:4), "
                                    "channels:R (R of each layer's filters removed, smallest L1 norm first)"),
                           cl::value_desc("how"), cl::cat(compilerCategory()));
cl::list<std::string> pruneExclude("prune-exclude", cl::desc("Nodes pruning leaves alone: NODE,..."),
                                   cl::CommaSeparated, cl::value_desc("nodes"), cl::cat(compilerCategory()));
} // namespace

bool parseCommandLine(int argc, char **argv, StringRef overview) {
  // LLVM already owns -time-passes; show it with ours, and let it time the MLIR passes too.
  auto &registered = cl::getRegisteredOptions();
  for (const char *name : {"time-passes", "mcpu", "mattr"})
    if (auto it = registered.find(name); it != registered.end())
      it->second->addCategory(compilerCategory());
  cl::HideUnrelatedOptions(compilerCategory());
  cl::SetVersionPrinter(
      [](raw_ostream &os) { os << "mcc " << MCC_VERSION_STRING << " (LLVM/MLIR " << LLVM_VERSION_STRING << ")\n"; });
  return cl::ParseCommandLineOptions(argc, argv, overview, &errs());
}

std::string compileOptionsFromCommandLine(StringRef inputPath, CompileOptions &options) {
  options.inputPath = inputPath.str();
  options.name = name;
  options.target = {targetTriple, codegen::getMCPU(), join(codegen::getMAttrs(), ","), (int)optLevel};
  options.verbose = verbose;
  options.kernels = !noKernels;
  options.runtimeChecks = !noRuntimeChecks;
  options.profile = instrument;
  options.sparseKernels = !noSparseKernels;
  if (!prune.empty())
    if (std::string err = transform::parsePruneOption(prune, options.prune); !err.empty())
      return err;
  options.prune.exclude.assign(pruneExclude.begin(), pruneExclude.end());
  options.externalWeights = weights == Weights::External;
  options.timePasses = TimePassesIsEnabled;
  if (optLevel > 3)
    return "-O" + std::to_string(optLevel) + " is not one of -O0..-O3";
  if (!options.name.empty() && cIdentifier(options.name) != options.name)
    return "--name '" + options.name + "' is not a C identifier";
  for (const std::string &s : shapes) {
    std::string err = parseShapeOption(s, options.import);
    if (!err.empty())
      return err;
  }
  for (const auto *list : {&binds, &consts})
    for (const std::string &s : *list) {
      std::string err = parseBindOption(s, list == &consts, options.import);
      if (!err.empty())
        return err;
    }
  size_t variants = 1;
  for (const std::string &s : dims) {
    auto [dimName, list] = StringRef(s).split('=');
    if (dimName.empty() || list.empty())
      return "--dim expects NAME=V1,V2,... (sizes the object accepts for symbolic dimension NAME), got '" + s + "'";
    std::vector<int64_t> values;
    SmallVector<StringRef> parts;
    list.split(parts, ',');
    for (StringRef p : parts) {
      int64_t v;
      if (p.trim().getAsInteger(10, v) || v < 0)
        return "--dim " + s + ": '" + p.str() + "' is not a non-negative integer";
      if (std::find(values.begin(), values.end(), v) != values.end())
        return "--dim " + s + ": size " + std::to_string(v) + " is listed twice";
      values.push_back(v);
    }
    for (const auto &d : options.runtimeDims)
      if (d.first == dimName)
        return "--dim " + dimName.str() + " is given twice";
    variants *= values.size();
    options.runtimeDims.emplace_back(dimName.str(), std::move(values));
  }
  if (variants > kMaxShapeVariants)
    return "--dim: " + std::to_string(variants) + " combinations of sizes; at most " +
           std::to_string(kMaxShapeVariants) + " can be compiled into one object";
  return "";
}

} // namespace mcc
