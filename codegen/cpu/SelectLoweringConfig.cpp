//===- SelectLoweringConfig.cpp - the kernel strategy, and weight packing -===//
//
// The one place with CPU heuristics for the kernel ops: it reads the target, picks the microkernel ISA
// family and writes it with its register tile as #mcc.lowering_config on every mcc.sgemm/mcc.conv2d.
// Then, since the packed layout depends on that tile, it packs constant weights at compile time with
// the very C functions the kernels use (MCCKernelsHost): a constant SGEMM B and every conv filter
// become 1-D packed constants.
//
//===----------------------------------------------------------------------===//
#include "codegen/cpu/KernelTarget.h"
#include "codegen/cpu/Passes.h"

#include "mcc/kernels.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/Support/Debug.h"

namespace mcc {
#define GEN_PASS_DEF_SELECTLOWERINGCONFIG
#include "codegen/cpu/Passes.h.inc"
} // namespace mcc

using namespace mlir;

#define DEBUG_TYPE "mcc-select-lowering-config"
namespace mccd = mcc::dialect;

namespace {

/// The elements of a constant f32 tensor (an arith.constant after lowering), row-major.
std::optional<std::vector<float>> constantData(Value v) {
  auto c = v.getDefiningOp<arith::ConstantOp>();
  auto dense = c ? dyn_cast<DenseElementsAttr>(c.getValue()) : DenseElementsAttr();
  if (!dense || !dense.getElementType().isF32())
    return std::nullopt;
  if (dense.isSplat())
    return std::vector<float>(dense.getNumElements(), dense.getSplatValue<float>());
  ArrayRef<char> raw = dense.getRawData();
  std::vector<float> out(dense.getNumElements());
  std::memcpy(out.data(), raw.data(), out.size() * sizeof(float));
  return out;
}

Value packedConstant(OpBuilder &b, Location loc, ArrayRef<float> packed) {
  auto type = RankedTensorType::get({(int64_t)packed.size()}, b.getF32Type());
  return arith::ConstantOp::create(b, loc, type, DenseElementsAttr::get(type, packed));
}

struct SelectLoweringConfigPass : mcc::impl::SelectLoweringConfigBase<SelectLoweringConfigPass> {
  using SelectLoweringConfigBase::SelectLoweringConfigBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    llvm::Triple triple(llvm::Triple::normalize(targetTriple));
    std::optional<mccd::Isa> kernelIsa = mcc::selectKernelIsa(triple, targetCpu, targetFeatures);
    LLVM_DEBUG(llvm::dbgs() << DEBUG_TYPE << ": " << "kernel ISA for '" << triple.str()
                            << "': " << (kernelIsa ? mccd::stringifyIsa(*kernelIsa) : llvm::StringRef("none")) << "\n");
    bool failed = false;
    module.walk([&](Operation *op) {
      if (!isa<mccd::SgemmOp, mccd::Conv2dOp>(op))
        return;
      // A config already there (a test's, or a previous run's) is kept: the weights may be packed for it.
      if (auto g = dyn_cast<mccd::SgemmOp>(op); g && g.getLoweringConfigAttr())
        return;
      if (auto c = dyn_cast<mccd::Conv2dOp>(op); c && c.getLoweringConfigAttr() && c.getFilterPacked())
        return;
      if (!kernelIsa) {
        op->emitError("no microkernels for target '") << triple.str() << "'";
        failed = true;
        return;
      }
      auto cisa = static_cast<mcc_isa>(*kernelIsa);
      auto config = mccd::LoweringConfigAttr::get(op->getContext(), *kernelIsa, mcc_sgemm_mr(cisa), mcc_sgemm_nr(cisa));
      OpBuilder b(op);
      if (auto g = dyn_cast<mccd::SgemmOp>(op)) {
        g.setLoweringConfigAttr(config);
        packSgemmB(b, g, cisa);
      } else if (!packConvFilter(b, cast<mccd::Conv2dOp>(op), config, cisa)) {
        failed = true;
      }
    });
    if (kernelIsa)
      module->setAttr("mcc.kernel_isa", StringAttr::get(module.getContext(), mccd::stringifyIsa(*kernelIsa)));
    if (failed)
      signalPassFailure();
  }

  /// A constant B shared by the whole batch is packed; any other B is read in place by the kernel.
  void packSgemmB(OpBuilder &b, mccd::SgemmOp g, mcc_isa isa) {
    auto bType = cast<RankedTensorType>(g.getB().getType());
    if (g.getBPacked() || bType.getNumElements() != g.getK() * g.getN())
      return;
    auto data = constantData(g.getB());
    if (!data)
      return;
    int64_t k = g.getK(), n = g.getN();
    int64_t rsb = g.getTransB() ? 1 : n, csb = g.getTransB() ? k : 1;
    std::vector<float> packed(mcc_sgemm_packed_b_floats(isa, k, n));
    mcc_sgemm_pack_b(isa, k, n, data->data(), rsb, csb, packed.data());
    g.getBMutable().assign(packedConstant(b, g.getLoc(), packed));
    g.setBPacked(true);
    g.setTransB(false);
  }

  bool packConvFilter(OpBuilder &b, mccd::Conv2dOp c, mccd::LoweringConfigAttr config, mcc_isa isa) {
    c.setLoweringConfigAttr(config);
    if (c.getFilterPacked())
      return true;
    auto data = constantData(c.getFilter());
    if (!data) {
      c.emitError("the convolution kernel needs constant weights to pack");
      return false;
    }
    auto x = cast<ShapedType>(c.getInput().getType()), y = cast<ShapedType>(c.getInit().getType());
    int64_t m = y.getDimSize(1), ch = x.getDimSize(1), kh = c.getKernel()[0], kw = c.getKernel()[1];
    std::vector<float> packed(mcc_conv2d_packed_w_floats(isa, m, ch, kh, kw, c.getGroup()));
    mcc_conv2d_pack_w(isa, m, ch, kh, kw, c.getGroup(), data->data(), packed.data());
    c.getFilterMutable().assign(packedConstant(b, c.getLoc(), packed));
    c.setFilterPacked(true);
    return true;
  }
};

} // namespace
