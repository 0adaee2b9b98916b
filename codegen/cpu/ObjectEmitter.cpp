//===- ObjectEmitter.cpp - LLVM dialect -> object code --------------------===//
#include "codegen/cpu/ObjectEmitter.h"

#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Linker/Linker.h"

#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"
#include <cstring>

#include "llvm/Bitcode/BitcodeReader.h"

#include "mcc/KernelBitcode.h"
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
  // A cross target with no --mcpu/--mattr gets what clang gives that triple, so that the object
  // links with the distribution's toolchain (a soft-float riscv64 object does not).
  if (!host && options.cpu.empty()) {
    switch (triple.getArch()) {
    case llvm::Triple::x86_64:
      cpu = "x86-64";
      break;
    case llvm::Triple::riscv64:
    case llvm::Triple::riscv32:
      cpu = triple.isRISCV64() ? "generic-rv64" : "generic-rv32";
      if (features.empty())
        features = "+m,+a,+f,+d,+c,+zicsr,+zifencei"; // rv64gc / rv32gc
      break;
    default:
      break;
    }
  }
  std::unique_ptr<llvm::MCSubtargetInfo> sti(target->createMCSubtargetInfo(triple, "", ""));
  if (sti && cpu != "generic" && !sti->isCPUStringValid(cpu)) {
    error = "unknown CPU '" + cpu + "' for target '" + triple.str() + "' (try --mcpu=help with llc for a list)";
    return nullptr;
  }
  llvm::TargetOptions to;
  if (triple.isRISCV()) {
    // The hard-float ABI the features allow, as clang picks it (lp64d for rv64gc).
    llvm::SubtargetFeatures f(features);
    auto has = [&](llvm::StringRef feature) { return llvm::is_contained(f.getFeatures(), "+" + feature.str()); };
    to.MCOptions.ABIName = (triple.isRISCV64() ? "lp64" : "ilp32") + std::string(has("d") ? "d" : has("f") ? "f" : "");
  }
  auto level = options.optLevel <= 0   ? llvm::CodeGenOptLevel::None
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
  auto *infoTy = llvm::StructType::get(ctx, {i32, ptr, ptr, ptr, ptr, i64, i64, i64, i32, i32, ptr, ptr, i64});
  auto *info = llvm::ConstantStruct::get(
      infoTy, {llvm::ConstantInt::get(i32, MCC_ABI_VERSION), cstr(sig.prefix, "name"),
               cstr(MCC_VERSION_STRING, "version"), cstr(sig.hash, "hash"), cstr(sig.producer, "producer"),
               llvm::ConstantInt::get(i64, sig.modelVersion), llvm::ConstantInt::get(i64, sig.opset),
               llvm::ConstantInt::get(i64, sig.workspaceSize), llvm::ConstantInt::get(i32, sig.inputs.size()),
               llvm::ConstantInt::get(i32, sig.outputs.size()), tensorTable(sig.inputs, "inputs"),
               tensorTable(sig.outputs, "outputs"), llvm::ConstantInt::get(i64, sig.workspacePerWorker)});
  auto *infoGv =
      new llvm::GlobalVariable(m, infoTy, true, llvm::GlobalValue::PrivateLinkage, info, sig.prefix + ".info");
  auto *fn = llvm::Function::Create(llvm::FunctionType::get(ptr, false), llvm::GlobalValue::ExternalLinkage,
                                    sig.prefix + "_info", m);
  b.SetInsertPoint(llvm::BasicBlock::Create(ctx, "entry", fn));
  b.CreateRet(infoGv);
}

/// The inputs struct: one pointer per input (a placeholder pointer when there are none), then one
/// int64_t per runtime dimension; the outputs struct: one pointer per output, then an int64_t[rank] shape
/// per output with a runtime shape. Laid out by the target's C rules through the DataLayout.
llvm::StructType *inputsStructType(llvm::LLVMContext &ctx, const ModelSignature &sig) {
  std::vector<llvm::Type *> fields(std::max<size_t>(sig.inputs.size(), 1), llvm::PointerType::get(ctx, 0));
  if (sig.weightsSize)
    fields.push_back(llvm::PointerType::get(ctx, 0));
  fields.insert(fields.end(), sig.runtimeDims.size(), llvm::Type::getInt64Ty(ctx));
  return llvm::StructType::get(ctx, fields);
}

llvm::StructType *outputsStructType(llvm::LLVMContext &ctx, const ModelSignature &sig) {
  std::vector<llvm::Type *> fields(sig.outputs.size(), llvm::PointerType::get(ctx, 0));
  for (const auto &t : sig.outputs)
    if (!t.dimsField.empty())
      fields.push_back(llvm::ArrayType::get(llvm::Type::getInt64Ty(ctx), t.shape.size()));
  return llvm::StructType::get(ctx, fields);
}

/// Emits the test "the runtime dimensions in `in` are those of variant k" for each variant and calls
/// `onMatch(k)` in the block where it holds; falls through (insertion point left) where none matches.
void dispatchOnDims(llvm::IRBuilder<> &b, llvm::Function *fn, llvm::Value *in, const ModelSignature &sig,
                    llvm::function_ref<void(size_t)> onMatch) {
  llvm::LLVMContext &ctx = b.getContext();
  llvm::StructType *inTy = inputsStructType(ctx, sig);
  size_t firstDim = firstDimField(sig);
  std::vector<llvm::Value *> dims;
  for (size_t d = 0; d < sig.runtimeDims.size(); ++d)
    dims.push_back(b.CreateLoad(b.getInt64Ty(), b.CreateStructGEP(inTy, in, firstDim + d), sig.runtimeDims[d]));
  for (size_t k = 0; k < sig.variants.size(); ++k) {
    llvm::Value *match = b.getTrue();
    for (size_t d = 0; d < dims.size(); ++d)
      match = b.CreateAnd(match, b.CreateICmpEQ(dims[d], b.getInt64(sig.variants[k].dimValues[d])));
    auto *yes = llvm::BasicBlock::Create(ctx, "variant" + std::to_string(k), fn);
    auto *no = llvm::BasicBlock::Create(ctx, "not_variant" + std::to_string(k), fn);
    b.CreateCondBr(match, yes, no);
    b.SetInsertPoint(yes);
    onMatch(k);
    b.SetInsertPoint(no);
  }
}

/// Builds `int <prefix>_run_parallel(const inputs *, outputs *, void *workspace, const mcc_parallel *)`:
/// argument checks, then the call of the compiled graph (the one compiled for the runtime dimensions
/// given, if the model has some) with one pointer per tensor, the parallel context and the workers'
/// scratch (when the graph takes them: `parallelArgs`), and the workspace. Then
/// `int <prefix>_run(const inputs *, outputs *, void *workspace)`, the same with no parallel context.
bool addRunFunction(llvm::Module &m, const ModelSignature &sig, llvm::ArrayRef<llvm::Function *> impls,
                    bool parallelArgs, std::string &error) {
  llvm::LLVMContext &ctx = m.getContext();
  llvm::IRBuilder<> b(ctx);
  auto *ptr = b.getPtrTy();
  auto *i32 = b.getInt32Ty();
  size_t nIn = sig.inputs.size(), nOut = sig.outputs.size();
  // The shapes of data-dependent outputs are written by the compiled graph, through trailing arguments.
  std::vector<unsigned> dataDependentFields;
  unsigned shapeField = nOut;
  for (const TensorSignature &t : sig.outputs)
    if (!t.dimsField.empty()) {
      if (t.isDataDependent())
        dataDependentFields.push_back(shapeField);
      ++shapeField;
    }
  size_t nArgs = nIn + nOut + dataDependentFields.size() + 1 + (sig.weightsSize ? 1 : 0) + (parallelArgs ? 2 : 0);
  for (llvm::Function *impl : impls)
    if (!impl->getReturnType()->isIntegerTy(32)) {
      error = "internal: compiled graph does not return a status";
      return false;
    } else if (impl->arg_size() != nArgs) {
      error = "internal: compiled graph takes " + std::to_string(impl->arg_size()) + " arguments, expected " +
              std::to_string(nArgs);
      return false;
    }
  llvm::StructType *inTy = inputsStructType(ctx, sig), *outTy = outputsStructType(ctx, sig);
  auto *fn = llvm::Function::Create(llvm::FunctionType::get(i32, {ptr, ptr, ptr, ptr}, false),
                                    llvm::GlobalValue::ExternalLinkage, sig.prefix + "_run_parallel", m);
  llvm::Value *in = fn->getArg(0), *out = fn->getArg(1), *ws = fn->getArg(2), *par = fn->getArg(3);
  {
    // _run is _run_parallel on the calling thread alone.
    auto *serial = llvm::Function::Create(llvm::FunctionType::get(i32, {ptr, ptr, ptr}, false),
                                          llvm::GlobalValue::ExternalLinkage, sig.prefix + "_run", m);
    llvm::IRBuilder<> sb(llvm::BasicBlock::Create(ctx, "entry", serial));
    sb.CreateRet(sb.CreateCall(
        fn, {serial->getArg(0), serial->getArg(1), serial->getArg(2), llvm::ConstantPointerNull::get(ptr)}));
  }
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
  if (nIn || !sig.runtimeDims.empty() || sig.weightsSize)
    check(b.CreateIsNull(in), nullArg);
  check(b.CreateIsNull(out), nullArg);
  std::vector<llvm::Value *> args;
  auto loadPointers = [&](llvm::StructType *ty, llvm::Value *base, size_t n) {
    for (size_t i = 0; i < n; ++i) {
      llvm::Value *p = b.CreateLoad(ptr, b.CreateStructGEP(ty, base, i));
      check(b.CreateIsNull(p), nullArg);
      args.push_back(p);
    }
  };
  loadPointers(inTy, in, nIn);
  loadPointers(outTy, out, nOut);
  for (unsigned field : dataDependentFields)
    args.push_back(b.CreateStructGEP(outTy, out, field));
  if (sig.workspaceSize > 0) {
    check(b.CreateIsNull(ws), nullArg);
    llvm::Value *addr = b.CreatePtrToInt(ws, b.getInt64Ty());
    check(b.CreateICmpNE(b.CreateAnd(addr, MCC_WORKSPACE_ALIGNMENT - 1), b.getInt64(0)), misaligned);
  }
  // The graph's parallel context and the slices of workers 1.. after the planned workspace (worker 0
  // uses the scratch planned inside it); pushed per variant below, whose workspace sizes differ.
  size_t parallelAt = args.size();
  args.push_back(ws);
  if (sig.weightsSize) {
    // The blob: not NULL, 64-byte aligned, and the header written for this model.
    auto *badWeights = llvm::BasicBlock::Create(ctx, "bad_weights", fn);
    llvm::Value *weights = b.CreateLoad(ptr, b.CreateStructGEP(inTy, in, std::max<size_t>(nIn, 1)));
    check(b.CreateIsNull(weights), badWeights);
    llvm::Value *addr = b.CreatePtrToInt(weights, b.getInt64Ty());
    check(b.CreateICmpNE(b.CreateAnd(addr, MCC_WORKSPACE_ALIGNMENT - 1), b.getInt64(0)), badWeights);
    uint64_t magic = 0, hash = 0;
    std::memcpy(&magic, MCC_WEIGHTS_MAGIC, 8);
    std::string rawHash = llvm::fromHex(sig.hash);
    std::memcpy(&hash, rawHash.data(), std::min<size_t>(rawHash.size(), 8));
    auto word = [&](unsigned i) {
      return b.CreateLoad(b.getInt64Ty(), b.CreateConstInBoundsGEP1_64(b.getInt64Ty(), weights, i));
    };
    check(b.CreateICmpNE(word(0), b.getInt64(magic)), badWeights);
    check(b.CreateICmpNE(word(1), b.getInt64(sig.weightsSize)), badWeights);
    check(b.CreateICmpNE(word(2), b.getInt64(hash)), badWeights);
    args.push_back(weights);
    llvm::IRBuilderBase::InsertPointGuard guard(b);
    b.SetInsertPoint(badWeights);
    b.CreateRet(b.getInt32(MCC_ERR_WEIGHTS));
  }
  // The graph returns MCC_OK or the status of a failed run-time check (RuntimeChecks.cpp), passed on.
  auto callGraph = [&](llvm::Function *impl, uint64_t workspaceSize) {
    std::vector<llvm::Value *> callArgs = args;
    if (parallelArgs) {
      llvm::Value *workerScratch = b.CreateGEP(b.getInt8Ty(), ws, b.getInt64(workspaceSize));
      callArgs.insert(callArgs.begin() + parallelAt, {par, workerScratch});
    }
    llvm::Value *status = b.CreateCall(impl, callArgs);
    auto *failed = llvm::BasicBlock::Create(ctx, "check_failed", fn);
    auto *next = llvm::BasicBlock::Create(ctx, "ran", fn);
    b.CreateCondBr(b.CreateICmpNE(status, b.getInt32(MCC_OK)), failed, next);
    b.SetInsertPoint(failed);
    b.CreateRet(status);
    b.SetInsertPoint(next);
  };
  if (sig.variants.empty()) {
    callGraph(impls.front(), sig.workspaceSize);
    b.CreateRet(b.getInt32(MCC_OK));
    return true;
  }
  dispatchOnDims(b, fn, in, sig, [&](size_t k) {
    callGraph(impls[k], sig.variants[k].workspaceSize);
    // The shapes of the outputs whose shape depends on the runtime dimensions.
    unsigned field = nOut;
    for (size_t o = 0; o < nOut; ++o) {
      if (sig.outputs[o].dimsField.empty())
        continue;
      llvm::Value *dims = b.CreateStructGEP(outTy, out, field++);
      if (sig.outputs[o].isDataDependent())
        continue; // the graph wrote it
      const auto &shape = sig.variants[k].outputShapes[o];
      for (size_t d = 0; d < shape.size(); ++d)
        b.CreateStore(b.getInt64(shape[d]),
                      b.CreateConstInBoundsGEP2_64(llvm::ArrayType::get(b.getInt64Ty(), shape.size()), dims, 0, d));
    }
    b.CreateRet(b.getInt32(MCC_OK));
  });
  b.CreateRet(b.getInt32(MCC_ERR_BAD_DIMENSION));
  return true;
}

/// Builds `int64_t <prefix>_workspace_size(const inputs *)` for a model with runtime dimensions.
void addWorkspaceSizeFunction(llvm::Module &m, const ModelSignature &sig) {
  llvm::LLVMContext &ctx = m.getContext();
  llvm::IRBuilder<> b(ctx);
  auto *fn = llvm::Function::Create(llvm::FunctionType::get(b.getInt64Ty(), {b.getPtrTy()}, false),
                                    llvm::GlobalValue::ExternalLinkage, sig.prefix + "_workspace_size", m);
  llvm::Value *in = fn->getArg(0);
  b.SetInsertPoint(llvm::BasicBlock::Create(ctx, "entry", fn));
  auto *isNull = llvm::BasicBlock::Create(ctx, "null_argument", fn);
  auto *notNull = llvm::BasicBlock::Create(ctx, "dims", fn);
  b.CreateCondBr(b.CreateIsNull(in), isNull, notNull);
  b.SetInsertPoint(isNull);
  b.CreateRet(b.getInt64(-1));
  b.SetInsertPoint(notNull);
  dispatchOnDims(b, fn, in, sig, [&](size_t k) { b.CreateRet(b.getInt64(sig.variants[k].workspaceSize)); });
  b.CreateRet(b.getInt64(-1));
}

/// Defines `void mcc_parallel_loop(const mcc_parallel *par, mcc_task body, void *captures, int64_t n)`
/// when the module calls it (mcc-outline-parallel-loops): par's parallel_for over [0, n), or body on
/// all of it when there is no pool or a single worker.
void addParallelLoopFunction(llvm::Module &m) {
  llvm::Function *fn = m.getFunction("mcc_parallel_loop");
  if (!fn || !fn->isDeclaration())
    return;
  llvm::LLVMContext &ctx = m.getContext();
  llvm::IRBuilder<> b(ctx);
  auto *ptr = b.getPtrTy();
  // Field order and types follow mcc_parallel in mcc_rt.h.
  auto *parTy = llvm::StructType::get(ctx, {ptr, ptr, b.getInt32Ty()});
  auto *taskTy = llvm::FunctionType::get(b.getVoidTy(), {ptr, b.getInt64Ty(), b.getInt64Ty(), b.getInt32Ty()}, false);
  auto *forTy = llvm::FunctionType::get(b.getVoidTy(), {ptr, ptr, ptr, b.getInt64Ty()}, false);
  fn->setLinkage(llvm::GlobalValue::InternalLinkage);
  fn->addFnAttr(llvm::Attribute::NoUnwind);
  llvm::Value *par = fn->getArg(0), *body = fn->getArg(1), *captures = fn->getArg(2), *n = fn->getArg(3);
  auto *entry = llvm::BasicBlock::Create(ctx, "entry", fn);
  auto *check = llvm::BasicBlock::Create(ctx, "check_workers", fn);
  auto *parallel = llvm::BasicBlock::Create(ctx, "parallel", fn);
  auto *serial = llvm::BasicBlock::Create(ctx, "serial", fn);
  b.SetInsertPoint(entry);
  b.CreateCondBr(b.CreateIsNull(par), serial, check);
  b.SetInsertPoint(check);
  llvm::Value *parallelFor = b.CreateLoad(ptr, b.CreateStructGEP(parTy, par, 0));
  llvm::Value *workers = b.CreateLoad(b.getInt32Ty(), b.CreateStructGEP(parTy, par, 2));
  b.CreateCondBr(b.CreateOr(b.CreateIsNull(parallelFor), b.CreateICmpSLE(workers, b.getInt32(1))), serial, parallel);
  b.SetInsertPoint(parallel);
  llvm::Value *poolCtx = b.CreateLoad(ptr, b.CreateStructGEP(parTy, par, 1));
  b.CreateCall(forTy, parallelFor, {poolCtx, body, captures, n});
  b.CreateRetVoid();
  b.SetInsertPoint(serial);
  b.CreateCall(taskTy, body, {captures, b.getInt64(0), n, b.getInt32(0)});
  b.CreateRetVoid();
}

/// Links the microkernels the module calls (mcc_sgemm, mcc_conv2d and their parallel wrappers) from the bitcode of
/// `isaName`'s ISA family, made internal and stripped of their own CPU attributes so that they take the model's and the
/// inliner may take them into the graph.
bool linkKernels(llvm::Module &m, llvm::StringRef isaName, std::string &error) {
  bool needed = llvm::any_of(m, [](llvm::Function &f) {
    static constexpr llvm::StringLiteral kernels[] = {"mcc_sgemm", "mcc_conv2d", "mcc_sgemm_parallel",
                                                      "mcc_conv2d_parallel"};
    return f.isDeclaration() && llvm::is_contained(kernels, f.getName());
  });
  if (!needed)
    return true;
  std::optional<mcc_isa> isa = llvm::StringSwitch<std::optional<mcc_isa>>(isaName)
                                   .Case("generic", MCC_ISA_GENERIC)
                                   .Case("avx2", MCC_ISA_AVX2)
                                   .Case("avx512", MCC_ISA_AVX512)
                                   .Case("neon", MCC_ISA_NEON)
                                   .Default(std::nullopt);
  llvm::StringRef bitcode = isa ? kernelBitcode(*isa, m.getTargetTriple().getArchName()) : llvm::StringRef();
  if (bitcode.empty()) {
    error = "internal: the model calls microkernels but there are none for ISA '" + isaName.str() + "' on " +
            m.getTargetTriple().str();
    return false;
  }
  auto kernels = llvm::parseBitcodeFile(llvm::MemoryBufferRef(bitcode, "mcc_kernels"), m.getContext());
  if (!kernels) {
    error = "internal: cannot read the kernel bitcode: " + llvm::toString(kernels.takeError());
    return false;
  }
  (*kernels)->setTargetTriple(m.getTargetTriple());
  (*kernels)->setDataLayout(m.getDataLayout());
  // The bitcode carries the platform's default ABI (riscv64: lp64d); the model's own ABI (e.g. a soft-float
  // lp64 asked for with --mattr) governs once the kernels are internal and inlined, so their flag goes.
  if (llvm::NamedMDNode *flags = (*kernels)->getModuleFlagsMetadata()) {
    llvm::SmallVector<llvm::MDNode *> keep;
    for (llvm::MDNode *flag : flags->operands()) {
      auto *key = flag->getNumOperands() >= 2 ? llvm::dyn_cast<llvm::MDString>(flag->getOperand(1)) : nullptr;
      if (!key || key->getString() != "target-abi")
        keep.push_back(flag);
    }
    flags->clearOperands();
    for (llvm::MDNode *flag : keep)
      flags->addOperand(flag);
  }
  std::vector<std::string> defined;
  for (llvm::Function &f : **kernels) {
    if (f.isDeclaration())
      continue;
    defined.push_back(f.getName().str());
    for (const char *attr : {"target-cpu", "target-features", "tune-cpu", "no-builtins"})
      f.removeFnAttr(attr);
  }
  for (llvm::GlobalVariable &g : (*kernels)->globals())
    if (!g.isDeclaration())
      defined.push_back(g.getName().str());
  if (llvm::Linker::linkModules(m, std::move(*kernels), llvm::Linker::Flags::LinkOnlyNeeded)) {
    error = "internal: cannot link the kernel bitcode";
    return false;
  }
  for (const std::string &name : defined)
    if (llvm::GlobalValue *gv = m.getNamedValue(name); gv && !gv->isDeclaration())
      gv->setLinkage(llvm::GlobalValue::InternalLinkage);
  return true;
}

} // namespace

std::unique_ptr<llvm::Module> buildLLVMModule(llvm::ArrayRef<mlir::ModuleOp> graphs, const ModelSignature &sig,
                                              llvm::TargetMachine &tm, int optLevel, llvm::LLVMContext &ctx,
                                              std::string &error) {
  if (graphs.empty() || (!sig.variants.empty() && graphs.size() != sig.variants.size())) {
    error = "internal: " + std::to_string(graphs.size()) + " compiled graphs for " +
            std::to_string(sig.variants.size()) + " shape variants";
    return nullptr;
  }
  mlir::registerBuiltinDialectTranslation(*graphs.front()->getContext());
  mlir::registerLLVMDialectTranslation(*graphs.front()->getContext());
  std::unique_ptr<llvm::Module> m;
  std::vector<std::string> implNames;
  for (size_t k = 0; k < graphs.size(); ++k) {
    std::unique_ptr<llvm::Module> part = mlir::translateModuleToLLVMIR(graphs[k], ctx, sig.prefix);
    if (!part) {
      error = "translation to LLVM IR failed";
      return nullptr;
    }
    llvm::Function *impl = part->getFunction("main_graph");
    if (!impl) {
      error = "internal: no compiled graph function";
      return nullptr;
    }
    // Everything the MLIR pipeline produced is internal; only the entry points are exported.
    for (llvm::Function &f : *part)
      if (!f.isDeclaration())
        f.setLinkage(llvm::GlobalValue::InternalLinkage);
    for (llvm::GlobalVariable &g : part->globals())
      if (!g.isDeclaration())
        g.setLinkage(llvm::GlobalValue::InternalLinkage);
    impl->setName(sig.prefix + ".graph" + (graphs.size() > 1 ? "." + std::to_string(k) : std::string()));
    // External until linked: the linker brings over what external definitions need, nothing else.
    impl->setLinkage(llvm::GlobalValue::ExternalLinkage);
    impl->addFnAttr(llvm::Attribute::NoUnwind);
    implNames.push_back(impl->getName().str());
    if (!m) {
      m = std::move(part);
      continue;
    }
    // Internal symbols of the same name (weights, helpers) are renamed by the linker.
    part->setDataLayout(m->getDataLayout());
    part->setTargetTriple(m->getTargetTriple());
    if (llvm::Linker::linkModules(*m, std::move(part))) {
      error = "internal: cannot link the shape variants";
      return nullptr;
    }
  }
  m->setTargetTriple(tm.getTargetTriple());
  if (!tm.Options.MCOptions.ABIName.empty()) // as clang records it: the linker checks the float ABI
    m->addModuleFlag(llvm::Module::Error, "target-abi", llvm::MDString::get(ctx, tm.Options.MCOptions.ABIName));
  m->setDataLayout(tm.createDataLayout());
  m->setSourceFileName(sig.source);
  llvm::StringRef kernelIsa;
  if (auto attr = graphs.front()->getAttrOfType<mlir::StringAttr>("mcc.kernel_isa"))
    kernelIsa = attr.getValue();
  if (!linkKernels(*m, kernelIsa, error))
    return nullptr;
  addParallelLoopFunction(*m);
  std::vector<llvm::Function *> impls;
  for (const auto &n : implNames) {
    impls.push_back(m->getFunction(n));
    if (!impls.back()) {
      error = "internal: compiled graph '" + n + "' lost when linking the shape variants";
      return nullptr;
    }
    impls.back()->setLinkage(llvm::GlobalValue::InternalLinkage);
  }
  bool parallelArgs = graphs.front()->hasAttr("mcc.parallel_arg");
  if (!addRunFunction(*m, sig, impls, parallelArgs, error))
    return nullptr;
  if (!sig.variants.empty())
    addWorkspaceSizeFunction(*m, sig);
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
    llvm::OptimizationLevel level = optLevel == 1   ? llvm::OptimizationLevel::O1
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
