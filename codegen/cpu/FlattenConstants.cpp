//===- FlattenConstants.cpp - weights as flat arrays ----------------------===//
//
// A constant global of type memref<2048x512x1x1xf32> becomes an LLVM array of arrays of arrays, one
// uniqued LLVM constant per innermost row: for a 1x1 convolution's weights that is a million constants,
// and their creation dominated compile time (ResNet-50: ~100 s of ~110 s). Every constant global of rank
// > 1 is made 1-D here, and each use reads it through a memref.expand_shape to its original shape: the
// same bytes, one LLVM constant.
//
//===----------------------------------------------------------------------===//
#include "codegen/cpu/Passes.h"

namespace mcc {
#define GEN_PASS_DEF_FLATTENCONSTANTGLOBALS
#include "codegen/cpu/Passes.h.inc"
} // namespace mcc

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/Support/Debug.h"

using namespace mlir;

#define DEBUG_TYPE "mcc-flatten-constant-globals"

namespace mcc {
namespace {

struct FlattenConstantGlobalsPass : impl::FlattenConstantGlobalsBase<FlattenConstantGlobalsPass> {
  void getDependentDialects(DialectRegistry &registry) const override { registry.insert<memref::MemRefDialect>(); }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    llvm::DenseMap<StringAttr, MemRefType> original;
    for (auto global : module.getOps<memref::GlobalOp>()) {
      MemRefType type = global.getType();
      auto init = dyn_cast_or_null<DenseElementsAttr>(global.getInitialValueAttr());
      if (!global.getConstant() || !init || type.getRank() < 2 || !type.hasStaticShape() ||
          !type.getLayout().isIdentity())
        continue;
      auto flatType =
          MemRefType::get({type.getNumElements()}, type.getElementType(), AffineMap(), type.getMemorySpace());
      global.setType(flatType);
      global.setInitialValueAttr(init.reshape(RankedTensorType::get({type.getNumElements()}, init.getElementType())));
      original[global.getSymNameAttr()] = type;
    }
    LLVM_DEBUG(llvm::dbgs() << DEBUG_TYPE << ": " << original.size() << " constant globals flattened\n");
    if (original.empty())
      return;
    module.walk([&](memref::GetGlobalOp get) {
      auto it = original.find(get.getNameAttr().getAttr());
      if (it == original.end())
        return;
      MemRefType type = it->second;
      OpBuilder b(get);
      auto flat = memref::GetGlobalOp::create(
          b, get.getLoc(),
          MemRefType::get({type.getNumElements()}, type.getElementType(), AffineMap(), type.getMemorySpace()),
          get.getName());
      SmallVector<ReassociationIndices> all(1);
      for (int64_t d = 0; d < type.getRank(); ++d)
        all[0].push_back(d);
      Value view = memref::ExpandShapeOp::create(b, get.getLoc(), type, flat, all);
      get.replaceAllUsesWith(view);
      get.erase();
    });
  }
};

} // namespace

} // namespace mcc
