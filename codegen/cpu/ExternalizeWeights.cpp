//===- ExternalizeWeights.cpp - weights in a separate blob ----------------===//
//
// --weights=external: constant buffers move out of the object into a blob the caller provides at run
// time (a file the application maps). Runs after bufferization and memory planning: every
// `memref.get_global` of a large enough constant global becomes a `memref.view` into a trailing
// `weights` argument of the entry function, and the data is appended to the blob at a 64-byte aligned
// offset. The blob starts with a 64-byte header (see mcc_rt.h: magic, size, model hash) that the
// generated code checks before using it.
//
//===----------------------------------------------------------------------===//
#include "codegen/cpu/Passes.h"

namespace mcc {
#define GEN_PASS_DEF_EXTERNALIZEWEIGHTS
#include "codegen/cpu/Passes.h.inc"
} // namespace mcc

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Debug.h"

#include "mcc/mcc_rt.h"

#include <cstring>

using namespace mlir;

#define DEBUG_TYPE "mcc-externalize-weights"

namespace mcc {
namespace {

constexpr int64_t kAlignment = 64;

struct ExternalizeWeightsPass : impl::ExternalizeWeightsBase<ExternalizeWeightsPass> {
  using ExternalizeWeightsBase::ExternalizeWeightsBase;
  ExternalizeWeightsPass() = default;
  ExternalizeWeightsPass(std::vector<char> *blob, int64_t minBytes) : blob(blob) { this->minBytes = minBytes; }

  /// Bytes of `attr` in memory order, or false for data whose memory form differs from its attribute
  /// storage (i1 is bit-packed in attributes and a byte per element in memory).
  static bool appendData(DenseElementsAttr attr, std::vector<char> &out) {
    Type elt = attr.getElementType();
    unsigned bits = elt.getIntOrFloatBitWidth();
    if (bits % 8 != 0 || !(isa<IntegerType>(elt) || isa<FloatType>(elt)))
      return false;
    ArrayRef<char> raw = attr.getRawData();
    size_t bytes = bits / 8, n = attr.getNumElements();
    if (attr.isSplat()) {
      for (size_t i = 0; i < n; ++i)
        out.insert(out.end(), raw.begin(), raw.begin() + bytes);
    } else {
      out.insert(out.end(), raw.begin(), raw.end());
    }
    return true;
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto func = module.lookupSymbol<func::FuncOp>("main_graph");
    if (!func)
      return;
    std::vector<char> ownBlob; // run by name: the IR is the result, the data is dropped
    std::vector<char> *blob = this->blob ? this->blob : &ownBlob;
    // The header: magic, total size (patched below), the model's SHA-256 (raw), zero padding.
    blob->assign(kAlignment, 0);
    std::memcpy(blob->data(), MCC_WEIGHTS_MAGIC, 8);
    if (auto hash = module->getAttrOfType<StringAttr>("mcc.model_hash")) {
      std::string raw = llvm::fromHex(hash.getValue());
      std::memcpy(blob->data() + 16, raw.data(), std::min<size_t>(raw.size(), 32));
    }
    // Reserve once: the blob of a big model is gigabytes, and regrowing it would copy them again.
    size_t reserve = kAlignment;
    for (auto global : module.getOps<memref::GlobalOp>())
      if (auto init = dyn_cast_or_null<DenseElementsAttr>(global.getInitialValueAttr()))
        reserve += init.getNumElements() * ((init.getElementType().getIntOrFloatBitWidth() + 7) / 8) + kAlignment;
    blob->reserve(reserve);
    llvm::DenseMap<StringAttr, int64_t> offsets;
    SmallVector<memref::GlobalOp> moved;
    for (auto global : module.getOps<memref::GlobalOp>()) {
      auto init = dyn_cast_or_null<DenseElementsAttr>(global.getInitialValueAttr());
      if (!global.getConstant() || !init)
        continue;
      int64_t bytes = init.getNumElements() * ((init.getElementType().getIntOrFloatBitWidth() + 7) / 8);
      if (bytes < minBytes)
        continue;
      size_t offset = llvm::alignTo(blob->size(), kAlignment);
      blob->resize(offset, 0);
      if (!appendData(init, *blob)) {
        blob->resize(offset);
        continue;
      }
      offsets[global.getSymNameAttr()] = offset;
      moved.push_back(global);
    }
    blob->resize(llvm::alignTo(blob->size(), kAlignment), 0);
    uint64_t total = blob->size();
    std::memcpy(blob->data() + 8, &total, 8); // little-endian hosts write little-endian blobs

    Block &entry = func.front();
    auto type = MemRefType::get({(int64_t)total}, IntegerType::get(&getContext(), 8));
    BlockArgument weights = entry.addArgument(type, func.getLoc());
    SmallVector<Type> inputs(func.getFunctionType().getInputs());
    inputs.push_back(type);
    func.setType(FunctionType::get(&getContext(), inputs, func.getFunctionType().getResults()));
    func.walk([&](memref::GetGlobalOp get) {
      auto it = offsets.find(get.getNameAttr().getAttr());
      if (it == offsets.end())
        return;
      OpBuilder b(get);
      Value offset = arith::ConstantIndexOp::create(b, get.getLoc(), it->second);
      Value view = memref::ViewOp::create(b, get.getLoc(), get.getType(), weights, offset, ValueRange{});
      get.replaceAllUsesWith(view);
      get.erase();
    });
    for (memref::GlobalOp g : moved)
      if (SymbolTable::symbolKnownUseEmpty(g, module))
        g.erase();
    module->setAttr("mcc.weights_size", IntegerAttr::get(IntegerType::get(&getContext(), 64), total));
    LLVM_DEBUG(llvm::dbgs() << DEBUG_TYPE << ": " << moved.size() << " constants (>= " << (int64_t)minBytes
                            << " bytes) into a " << total << "-byte weights blob\n");
  }

  std::vector<char> *blob = nullptr;
};

} // namespace

std::unique_ptr<Pass> createExternalizeWeights(std::vector<char> *blob, int64_t minBytes) {
  return std::make_unique<ExternalizeWeightsPass>(blob, minBytes);
}

} // namespace mcc
