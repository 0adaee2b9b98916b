//===- ObjectEmitter.cpp - LLVM dialect -> object code --------------------===//
#include "codegen/cpu/ObjectEmitter.h"

#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Verifier.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"

#include "mcc/Version.h"
#include "mcc/mcc_rt.h"

namespace mcc {

std::unique_ptr<llvm::TargetMachine> createTargetMachine(const TargetOptions &options, std::string &error) {
  static bool initialized = [] {
    llvm::InitializeAllTargetInfos();
    llvm::InitializeAllTargets();
    llvm::InitializeAllTargetMCs();
    llvm::InitializeAllAsmPrinters();
    llvm::InitializeAllAsmParsers();
    return true;
  }();
  (void)initialized;
  bool host = options.triple.empty();
  llvm::Triple triple(host ? llvm::sys::getDefaultTargetTriple() : llvm::Triple::normalize(options.triple));
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target) {
    error = "unknown target '" + triple.str() + "': " + error;
    return nullptr;
  }
  std::string cpu = options.cpu, features = options.features;
  if (cpu.empty() || cpu == "native") {
    if (host || cpu == "native") {
      cpu = llvm::sys::getHostCPUName().str();
      if (features.empty()) {
        llvm::SubtargetFeatures f;
        for (const auto &kv : llvm::sys::getHostCPUFeatures())
          f.AddFeature(kv.first(), kv.second);
        features = f.getString();
      }
    } else {
      cpu = "generic";
    }
  }
  std::unique_ptr<llvm::MCSubtargetInfo> sti(target->createMCSubtargetInfo(triple, "", ""));
  if (sti && cpu != "generic" && !sti->isCPUStringValid(cpu)) {
    error = "unknown CPU '" + cpu + "' for target '" + triple.str() + "' (try --mcpu=help with llc for a list)";
    return nullptr;
  }
  llvm::TargetOptions to;
  auto level = options.optLevel <= 0 ? llvm::CodeGenOptLevel::None
               : options.optLevel == 1 ? llvm::CodeGenOptLevel::Less
               : options.optLevel == 2 ? llvm::CodeGenOptLevel::Default
                                       : llvm::CodeGenOptLevel::Aggressive;
  std::unique_ptr<llvm::TargetMachine> tm(
      target->createTargetMachine(triple, cpu, features, to, llvm::Reloc::PIC_, std::nullopt, level));
  if (!tm)
    error = "cannot create a target machine for '" + triple.str() + "' cpu '" + cpu + "'";
  return tm;
}

namespace {

/// Builds `<prefix>_info()` and its constant tables.
void addInfoFunction(llvm::Module &m, const ModelSignature &sig) {
  llvm::LLVMContext &ctx = m.getContext();
  llvm::IRBuilder<> b(ctx);
  auto *i32 = b.getInt32Ty(), *i64 = b.getInt64Ty();
  auto *ptr = b.getPtrTy();
  auto cstr = [&](llvm::StringRef s, llvm::StringRef name) -> llvm::Constant * {
    auto *init = llvm::ConstantDataArray::getString(ctx, s);
    auto *gv = new llvm::GlobalVariable(m, init->getType(), true, llvm::GlobalValue::PrivateLinkage, init,
                                        sig.prefix + "." + name);
    gv->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
    return gv;
  };
  auto *tensorInfoTy = llvm::StructType::get(ctx, {ptr, i32, i32, ptr, ptr});
  auto tensorTable = [&](const std::vector<TensorSignature> &ts, llvm::StringRef kind) -> llvm::Constant * {
    std::vector<llvm::Constant *> entries;
    auto shapeTable = [&](const std::vector<int64_t> &shape, const std::string &name) {
      std::vector<llvm::Constant *> dims;
      for (int64_t d : shape)
        dims.push_back(llvm::ConstantInt::get(i64, d));
      auto *arrTy = llvm::ArrayType::get(i64, dims.size());
      return new llvm::GlobalVariable(m, arrTy, true, llvm::GlobalValue::PrivateLinkage,
                                      llvm::ConstantArray::get(arrTy, dims), sig.prefix + "." + name);
    };
    for (size_t i = 0; i < ts.size(); ++i) {
      std::string n = std::to_string(i);
      llvm::Constant *shape = shapeTable(ts[i].shape, kind.str() + "_shape" + n);
      llvm::Constant *maxShape =
          ts[i].maxShape == ts[i].shape ? shape : shapeTable(ts[i].maxShape, kind.str() + "_max_shape" + n);
      entries.push_back(llvm::ConstantStruct::get(
          tensorInfoTy, {cstr(ts[i].name, kind.str() + "_name" + n), llvm::ConstantInt::get(i32, ts[i].dtype),
                         llvm::ConstantInt::get(i32, ts[i].shape.size()), shape, maxShape}));
    }
    auto *arrTy = llvm::ArrayType::get(tensorInfoTy, entries.size());
    return new llvm::GlobalVariable(m, arrTy, true, llvm::GlobalValue::PrivateLinkage,
                                    llvm::ConstantArray::get(arrTy, entries), sig.prefix + "." + kind.str());
  };
  // Field order and types follow mcc_model_info in mcc_rt.h.
  auto *infoTy = llvm::StructType::get(ctx, {i32, ptr, ptr, ptr, ptr, i64, i64, i64, i32, i32, ptr, ptr});
  auto *info = llvm::ConstantStruct::get(
      infoTy, {llvm::ConstantInt::get(i32, MCC_ABI_VERSION), cstr(sig.prefix, "name"),
               cstr(MCC_VERSION_STRING, "version"), cstr(sig.hash, "hash"), cstr(sig.producer, "producer"),
               llvm::ConstantInt::get(i64, sig.modelVersion), llvm::ConstantInt::get(i64, sig.opset),
               llvm::ConstantInt::get(i64, sig.workspaceSize), llvm::ConstantInt::get(i32, sig.inputs.size()),
               llvm::ConstantInt::get(i32, sig.outputs.size()), tensorTable(sig.inputs, "inputs"),
               tensorTable(sig.outputs, "outputs")});
  auto *infoGv = new llvm::GlobalVariable(m, infoTy, true, llvm::GlobalValue::PrivateLinkage, info,
                                          sig.prefix + ".info");
  auto *fn = llvm::Function::Create(llvm::FunctionType::get(ptr, false), llvm::GlobalValue::ExternalLinkage,
                                    sig.prefix + "_info", m);
  b.SetInsertPoint(llvm::BasicBlock::Create(ctx, "entry", fn));
  b.CreateRet(infoGv);
}

/// Builds `int <prefix>_run(const inputs *, outputs *, void *workspace)`: argument checks, then the
/// call of the compiled graph with one pointer per tensor and the workspace.
bool addRunFunction(llvm::Module &m, const ModelSignature &sig, llvm::Function *impl, std::string &error) {
  llvm::LLVMContext &ctx = m.getContext();
  llvm::IRBuilder<> b(ctx);
  auto *ptr = b.getPtrTy();
  auto *i32 = b.getInt32Ty();
  size_t nIn = sig.inputs.size(), nOut = sig.outputs.size();
  // The outputs struct: one pointer per output, then the shape array of each data-dependent output.
  std::vector<llvm::Type *> outFields(nOut, ptr);
  std::vector<unsigned> dimsFields;
  for (const TensorSignature &t : sig.outputs)
    if (t.isDataDependent()) {
      dimsFields.push_back(outFields.size());
      outFields.push_back(llvm::ArrayType::get(b.getInt64Ty(), t.shape.size()));
    }
  auto *outputsTy = llvm::StructType::get(ctx, outFields);
  if (impl->arg_size() != nIn + nOut + dimsFields.size() + 1) {
    error = "internal: compiled graph takes " + std::to_string(impl->arg_size()) + " arguments, expected " +
            std::to_string(nIn + nOut + dimsFields.size() + 1);
    return false;
  }
  auto *fn = llvm::Function::Create(llvm::FunctionType::get(i32, {ptr, ptr, ptr}, false),
                                    llvm::GlobalValue::ExternalLinkage, sig.prefix + "_run", m);
  llvm::Value *in = fn->getArg(0), *out = fn->getArg(1), *ws = fn->getArg(2);
  auto *entry = llvm::BasicBlock::Create(ctx, "entry", fn);
  auto *nullArg = llvm::BasicBlock::Create(ctx, "null_argument", fn);
  auto *misaligned = llvm::BasicBlock::Create(ctx, "misaligned", fn);
  b.SetInsertPoint(nullArg);
  b.CreateRet(b.getInt32(MCC_ERR_NULL_ARGUMENT));
  b.SetInsertPoint(misaligned);
  b.CreateRet(b.getInt32(MCC_ERR_MISALIGNED));

  b.SetInsertPoint(entry);
  auto check = [&](llvm::Value *isBad, llvm::BasicBlock *onBad) {
    auto *next = llvm::BasicBlock::Create(ctx, "ok", fn);
    b.CreateCondBr(isBad, onBad, next);
    b.SetInsertPoint(next);
  };
  if (nIn)
    check(b.CreateIsNull(in), nullArg);
  check(b.CreateIsNull(out), nullArg);
  std::vector<llvm::Value *> args;
  auto loadPointers = [&](llvm::Value *base, size_t n) {
    for (size_t i = 0; i < n; ++i) {
      llvm::Value *slot = b.CreateConstInBoundsGEP1_64(ptr, base, i);
      llvm::Value *p = b.CreateLoad(ptr, slot);
      check(b.CreateIsNull(p), nullArg);
      args.push_back(p);
    }
  };
  loadPointers(in, nIn);
  loadPointers(out, nOut);
  for (unsigned field : dimsFields)
    args.push_back(b.CreateStructGEP(outputsTy, out, field));
  if (sig.workspaceSize > 0) {
    check(b.CreateIsNull(ws), nullArg);
    llvm::Value *addr = b.CreatePtrToInt(ws, b.getInt64Ty());
    check(b.CreateICmpNE(b.CreateAnd(addr, MCC_WORKSPACE_ALIGNMENT - 1), b.getInt64(0)), misaligned);
  }
  args.push_back(ws);
  b.CreateCall(impl, args);
  b.CreateRet(b.getInt32(MCC_OK));
  return true;
}

} // namespace

std::unique_ptr<llvm::Module> buildLLVMModule(mlir::ModuleOp module, const ModelSignature &sig,
                                              llvm::TargetMachine &tm, int optLevel, llvm::LLVMContext &ctx,
                                              std::string &error) {
  mlir::registerBuiltinDialectTranslation(*module->getContext());
  mlir::registerLLVMDialectTranslation(*module->getContext());
  std::unique_ptr<llvm::Module> m = mlir::translateModuleToLLVMIR(module, ctx, sig.prefix);
  if (!m) {
    error = "translation to LLVM IR failed";
    return nullptr;
  }
  m->setTargetTriple(tm.getTargetTriple());
  m->setDataLayout(tm.createDataLayout());
  m->setSourceFileName(sig.source);

  llvm::Function *impl = m->getFunction("main_graph");
  if (!impl) {
    error = "internal: no compiled graph function";
    return nullptr;
  }
  // Everything the MLIR pipeline produced is internal; only the two entry points are exported.
  for (llvm::Function &f : *m)
    if (!f.isDeclaration())
      f.setLinkage(llvm::GlobalValue::InternalLinkage);
  for (llvm::GlobalVariable &g : m->globals())
    if (!g.isDeclaration())
      g.setLinkage(llvm::GlobalValue::InternalLinkage);
  impl->setName(sig.prefix + ".graph");
  impl->addFnAttr(llvm::Attribute::NoUnwind);
  if (!addRunFunction(*m, sig, impl, error))
    return nullptr;
  addInfoFunction(*m, sig);
  for (llvm::Function &f : *m)
    if (!f.isDeclaration()) {
      f.addFnAttr("target-cpu", tm.getTargetCPU());
      if (!tm.getTargetFeatureString().empty())
        f.addFnAttr("target-features", tm.getTargetFeatureString());
    }

  if (llvm::verifyModule(*m, &llvm::errs())) {
    error = "internal: generated LLVM IR does not verify";
    return nullptr;
  }
  if (optLevel > 0) {
    llvm::LoopAnalysisManager lam;
    llvm::FunctionAnalysisManager fam;
    llvm::CGSCCAnalysisManager cgam;
    llvm::ModuleAnalysisManager mam;
    llvm::PipelineTuningOptions pto;
    pto.LoopVectorization = true;
    pto.SLPVectorization = true;
    llvm::PassBuilder pb(&tm, pto);
    pb.registerModuleAnalyses(mam);
    pb.registerCGSCCAnalyses(cgam);
    pb.registerFunctionAnalyses(fam);
    pb.registerLoopAnalyses(lam);
    pb.crossRegisterProxies(lam, fam, cgam, mam);
    llvm::OptimizationLevel level = optLevel == 1 ? llvm::OptimizationLevel::O1
                                    : optLevel == 2 ? llvm::OptimizationLevel::O2
                                                    : llvm::OptimizationLevel::O3;
    llvm::ModulePassManager mpm = pb.buildPerModuleDefaultPipeline(level);
    mpm.run(*m, mam);
  }
  return m;
}

bool emitMachineCode(llvm::Module &module, llvm::TargetMachine &tm, bool assembly, llvm::raw_pwrite_stream &os,
                     std::string &error) {
  llvm::legacy::PassManager pm;
  auto type = assembly ? llvm::CodeGenFileType::AssemblyFile : llvm::CodeGenFileType::ObjectFile;
  if (tm.addPassesToEmitFile(pm, os, nullptr, type)) {
    error = "the target cannot emit this file type";
    return false;
  }
  pm.run(module);
  return true;
}

} // namespace mcc
