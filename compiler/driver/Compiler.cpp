//===- Compiler.cpp - the whole pipeline, shared by mcc and mcc-run -------===//
#include "compiler/driver/Compiler.h"

#include "codegen/cpu/Passes.h"
#include "dialects/onnx/OnnxDialect.h"
#include "passes/graph/Passes.h"
#include "passes/lowering/Passes.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/Timing.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Format.h"

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
  registry.insert<onnx::OnnxDialect>();
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

bool Compilation::import() {
  startTime = std::chrono::steady_clock::now();
  imported = importOnnxModel(*context, options.inputPath, options.import);
  if (!imported)
    return false;
  sig = extractSignature(*imported, options.name);
  for (const auto *list : {&sig.inputs, &sig.outputs})
    for (const auto &t : *list)
      if (t.dtype == 0) {
        error("tensor '" + t.name + "' has an element type the generated API cannot express");
        return false;
      }
  return true;
}

bool Compilation::generate() {
  std::string err;
  tm = createTargetMachine(options.target, err);
  if (!tm) {
    error(err);
    return false;
  }
  OwningOpRef<ModuleOp> module(cast<ModuleOp>((*imported)->clone()));
  PassManager pm(context.get());
  DefaultTimingManager timing;
  TimingScope rootTiming;
  if (options.timePasses) {
    timing.setEnabled(true);
    rootTiming = timing.getRootScope();
    pm.enableTiming(rootTiming);
  }
  // Graph rewrites on the onnx dialect, then lowering.
  pm.addPass(createFoldBatchNormIntoConv());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createLowerOnnxToLinalg());
  buildCpuCodegenPipeline(pm);
  if (failed(pm.run(*module)))
    return false;
  if (auto ws = (*module)->getAttrOfType<IntegerAttr>("mcc.workspace_size"))
    sig.workspaceSize = ws.getInt();

  llContext = std::make_unique<llvm::LLVMContext>();
  llModule = buildLLVMModule(*module, sig, *tm, options.target.optLevel, *llContext, err);
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
