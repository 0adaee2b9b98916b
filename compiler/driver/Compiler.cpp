//===- Compiler.cpp - the whole pipeline, shared by mcc and mcc-run -------===//
#include "compiler/driver/Compiler.h"

#include "codegen/cpu/KernelTarget.h"
#include "codegen/cpu/Passes.h"
#include "dialects/mcc/MccDialect.h"
#include "dialects/onnx/OnnxDialect.h"
#include "passes/graph/Passes.h"
#include "passes/lowering/Passes.h"

#include "mcc/mcc_rt.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/Timing.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"

#include <sys/resource.h>

using namespace mlir;

namespace mcc {

std::string defaultModelName(llvm::StringRef path) { return cIdentifier(llvm::sys::path::stem(path)); }

/// Renders a location as "file: node 'x' (Op)".
static std::string describe(Location loc) {
  if (auto name = dyn_cast<NameLoc>(loc)) {
    std::string inner = describe(name.getChildLoc());
    return (inner.empty() ? "" : inner + ": ") + name.getName().str();
  }
  if (auto file = dyn_cast<FileLineColLoc>(loc))
    return file.getFilename().str();
  if (auto fused = dyn_cast<FusedLoc>(loc)) {
    for (Location l : fused.getLocations())
      if (isa<NameLoc>(l))
        return describe(l);
    return fused.getLocations().empty() ? "" : describe(fused.getLocations().front());
  }
  if (auto callsite = dyn_cast<CallSiteLoc>(loc))
    return describe(callsite.getCallee());
  return "";
}

static void registerEverything(MLIRContext &ctx) {
  static bool passesRegistered = [] {
    registerAllPasses();
    registerGraphPasses();
    registerLoweringPasses();
    registerCpuCodegenPasses();
    return true;
  }();
  (void)passesRegistered;
  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registry.insert<onnx::OnnxDialect, dialect::MccDialect>();
  dialect::registerBufferizableOpInterfaceExternalModels(registry);
  ctx.appendDialectRegistry(registry);
  ctx.loadAllAvailableDialects();
}

Compilation::Compilation(CompileOptions opts) : options(std::move(opts)) {
  if (options.name.empty())
    options.name = defaultModelName(options.inputPath);
  context = std::make_unique<MLIRContext>(MLIRContext::Threading::DISABLED);
  registerEverything(*context);
  context->getDiagEngine().registerHandler([this](Diagnostic &diag) {
    if (diag.getSeverity() == DiagnosticSeverity::Note || diag.getSeverity() == DiagnosticSeverity::Remark)
      return success();
    // A pattern that rejects an op has already said why; the conversion's summary adds nothing.
    if (reportedError && StringRef(diag.str()).starts_with("failed to legalize operation"))
      return success();
    if (diag.getSeverity() == DiagnosticSeverity::Error)
      reportedError = true;
    std::string where = describe(diag.getLocation());
    llvm::errs() << "mcc: " << (diag.getSeverity() == DiagnosticSeverity::Warning ? "warning" : "error") << ": "
                 << (where.empty() ? "" : where + ": ") << diag.str() << "\n";
    return success();
  });
}

Compilation::~Compilation() = default;

void Compilation::error(const llvm::Twine &message) const {
  llvm::errs() << "mcc: error: " << llvm::sys::path::filename(options.inputPath) << ": " << message << "\n";
}

/// Every combination of the --dim sizes, the first dimension varying slowest.
static std::vector<std::vector<int64_t>>
sizeCombinations(const std::vector<std::pair<std::string, std::vector<int64_t>>> &dims) {
  std::vector<std::vector<int64_t>> combos(1);
  for (const auto &d : dims) {
    std::vector<std::vector<int64_t>> next;
    for (const auto &c : combos)
      for (int64_t v : d.second) {
        next.push_back(c);
        next.back().push_back(v);
      }
    combos = std::move(next);
  }
  return combos;
}

bool Compilation::import() {
  startTime = std::chrono::steady_clock::now();
  std::vector<std::vector<int64_t>> combos = sizeCombinations(options.runtimeDims);
  for (size_t k = 0; k < combos.size(); ++k) {
    ImportOptions variant = options.import;
    for (size_t d = 0; d < options.runtimeDims.size(); ++d)
      variant.dimValues[options.runtimeDims[d].first] = combos[k][d];
    OwningOpRef<ModuleOp> module = importOnnxModel(*context, options.inputPath, variant);
    if (!module) {
      if (!options.runtimeDims.empty()) {
        std::string sizes;
        for (size_t d = 0; d < options.runtimeDims.size(); ++d)
          sizes += (d ? ", " : "") + options.runtimeDims[d].first + "=" + std::to_string(combos[k][d]);
        error("while compiling for " + sizes);
      }
      return false;
    }
    (k == 0 ? imported : moreVariants.emplace_back()) = std::move(module);
  }
  sig = extractSignature(*imported, options.name);
  for (const auto *list : {&sig.inputs, &sig.outputs})
    for (const auto &t : *list)
      if (t.dtype == 0) {
        error("tensor '" + t.name + "' has an element type the generated API cannot express");
        return false;
      }
  return true;
}

/// Tensors and the workspace must be addressable with the target's pointers (the importer already
/// bounds every tensor for 64-bit ones).
bool Compilation::fitsAddressSpace() const {
  unsigned bits = tm->getPointerSizeInBits(0);
  uint64_t limit = bits >= 64 ? uint64_t(1) << 62 : uint64_t(1) << (bits - 1);
  std::string triple = tm->getTargetTriple().str();
  if (sig.workspaceSize > limit) {
    error("the workspace of " + std::to_string(sig.workspaceSize) + " bytes cannot be addressed on " + triple);
    return false;
  }
  for (const auto *list : {&sig.inputs, &sig.outputs})
    for (const TensorSignature &t : *list) {
      uint64_t bytes = mcc_dtype_size(t.dtype);
      for (int64_t d : t.maxShape)
        if (d > 0 && (bytes > limit / (uint64_t)d || (bytes *= (uint64_t)d) > limit)) {
          error("tensor '" + t.name + "' cannot be addressed on " + triple);
          return false;
        }
    }
  return true;
}

bool Compilation::generate() {
  std::string err;
  if (options.externalWeights && !moreVariants.empty()) {
    error("--weights=external with --dim sizes giving more than one specialisation is not supported yet");
    return false;
  }
  tm = createTargetMachine(options.target, err);
  if (!tm) {
    error(err);
    return false;
  }
  // MatMul and Conv run as C microkernels where mcc has them for the target, else as compiled loops.
  std::optional<KernelTarget> kernelTarget;
  if (options.kernels && selectKernelIsa(tm->getTargetTriple(), tm->getTargetCPU(), tm->getTargetFeatureString()))
    kernelTarget =
        KernelTarget{tm->getTargetTriple().str(), tm->getTargetCPU().str(), tm->getTargetFeatureString().str()};
  std::vector<ModuleOp> sources{*imported};
  for (auto &m : moreVariants)
    sources.push_back(*m);
  std::vector<OwningOpRef<ModuleOp>> compiled;
  std::vector<ModelSignature> variantSigs;
  DefaultTimingManager timing;
  TimingScope rootTiming;
  if (options.timePasses) {
    timing.setEnabled(true);
    rootTiming = timing.getRootScope();
  }
  for (ModuleOp source : sources) {
    if (!options.runtimeDims.empty())
      variantSigs.push_back(extractSignature(source, options.name));
    OwningOpRef<ModuleOp> module(cast<ModuleOp>(source->clone()));
    PassManager pm(context.get());
    if (options.timePasses)
      pm.enableTiming(rootTiming);
    // Graph rewrites on the onnx dialect, then lowering.
    pm.addPass(createFoldBatchNormIntoConv());
    pm.addPass(createCanonicalizerPass());
    if (kernelTarget) {
      pm.addPass(createLowerToKernelOps());
      pm.addPass(createFuseKernelEpilogues());
    }
    pm.addPass(createLowerOnnxToLinalg());
    buildCpuCodegenPipeline(pm, options.externalWeights ? &weights : nullptr, kernelTarget ? &*kernelTarget : nullptr);
    if (failed(pm.run(*module)))
      return false;
    uint64_t workspace = 0;
    if (auto ws = (*module)->getAttrOfType<IntegerAttr>("mcc.workspace_size"))
      workspace = ws.getInt();
    uint64_t perWorker = 0;
    if (auto ws = (*module)->getAttrOfType<IntegerAttr>("mcc.worker_scratch_size"))
      perWorker = ws.getInt();
    ModelSignature &target = options.runtimeDims.empty() ? sig : variantSigs.back();
    target.workspaceSize = workspace;
    target.workspacePerWorker = perWorker;
    compiled.push_back(std::move(module));
  }
  if (!options.runtimeDims.empty())
    sig = combineVariants(variantSigs, sizeCombinations(options.runtimeDims));
  if (!fitsAddressSpace())
    return false;
  if (options.externalWeights)
    setExternalWeights(sig, weights.size());

  llContext = std::make_unique<llvm::LLVMContext>();
  std::vector<ModuleOp> graphs;
  for (auto &m : compiled)
    graphs.push_back(*m);
  llModule = buildLLVMModule(graphs, sig, *tm, options.target.optLevel, *llContext, err);
  if (!llModule) {
    error(err);
    return false;
  }
  if (options.verbose) {
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - startTime).count();
    llvm::errs() << "mcc: " << sig.prefix << ": workspace " << sig.workspaceSize << " bytes, target "
                 << tm->getTargetTriple().str() << " cpu " << tm->getTargetCPU() << "; compiled in "
                 << llvm::format("%.2f", seconds) << " s, peak memory " << usage.ru_maxrss / 1024 << " MiB\n";
  }
  return true;
}

} // namespace mcc
