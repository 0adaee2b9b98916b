//===- SelectLoweringConfig.cpp - the kernel strategy, and weight packing -===//
//
// The one place with CPU heuristics for the kernel ops: it reads the target, picks the microkernel ISA
// family and writes it with its register tile as #mcc.lowering_config on every mcc.sgemm/mcc.conv2d.
// Then, since the packed layout depends on that tile, it packs constant weights at compile time with
// the very C functions the kernels use (MCCKernelsHost): a constant SGEMM B and every conv filter
// become 1-D packed constants. A constant SGEMM B that is mostly zero is packed for a sparse kernel
// (mcc_spgemm: blocks one vector wide, or single columns) instead, where the measured break-even says
// that it wins.
//
//===----------------------------------------------------------------------===//
#include "codegen/cpu/KernelTarget.h"
#include "codegen/cpu/Passes.h"

#include "mcc/kernels.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/Support/Debug.h"
#include "llvm/Support/Format.h"

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
    bool vnni = mcc::kernelTargetHasVnni(triple, targetCpu, targetFeatures);
    module.walk([&](Operation *op) {
      if (isa<mccd::QgemmOp, mccd::QConv2dOp>(op)) {
        if (!kernelIsa) {
          op->emitError("no microkernels for target '") << triple.str() << "'";
          failed = true;
        } else if (!packQuantWeights(op, *kernelIsa, vnni)) {
          failed = true;
        }
        return;
      }
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
    if (packSparseB(b, g, isa, *data, rsb, csb))
      return;
    std::vector<float> packed(mcc_sgemm_packed_b_floats(isa, k, n));
    mcc_sgemm_pack_b(isa, k, n, data->data(), rsb, csb, packed.data());
    g.getBMutable().assign(packedConstant(b, g.getLoc(), packed));
    g.setBPacked(true);
    g.setTransB(false);
  }

  /// int8 ops: the weights with everything known per channel, packed for the ISA (kernels.h, int8).
  template <typename OpTy>
  bool packQuant(OpTy op, mccd::Isa isa, bool vnni, Value weights, bool packed, int64_t bytes,
                 llvm::function_ref<void(const int8_t *, const int32_t *, const float *, void *)> pack) {
    auto cisa = static_cast<mcc_isa>(isa);
    op.setLoweringConfigAttr(
        mccd::LoweringConfigAttr::get(op->getContext(), isa, mcc_qgemm_mr(cisa), mcc_qgemm_nr(cisa)));
    if (vnni)
      op.setVnni(true);
    if (packed)
      return true;
    auto c = weights.getDefiningOp<arith::ConstantOp>();
    auto dense = c ? dyn_cast<DenseElementsAttr>(c.getValue()) : DenseElementsAttr();
    if (!dense || !dense.getElementType().isInteger(8)) {
      op.emitError("the int8 kernel needs constant s8 weights to pack");
      return false;
    }
    std::vector<int8_t> w;
    for (const APInt &v : dense.getValues<APInt>())
      w.push_back((int8_t)v.getSExtValue());
    std::optional<ArrayRef<int32_t>> bias = op.getBias();
    std::optional<ArrayRef<float>> fbias = op.getFbias();
    std::vector<char> out(bytes);
    pack(w.data(), bias ? bias->data() : nullptr, fbias ? fbias->data() : nullptr, out.data());
    OpBuilder b(op);
    auto type = RankedTensorType::get({bytes}, b.getIntegerType(8));
    Value blob = arith::ConstantOp::create(
        b, op.getLoc(), type, DenseElementsAttr::getFromRawBuffer(type, ArrayRef<char>(out.data(), out.size())));
    op->setOperand(1, blob);
    return true;
  }

  bool packQuantWeights(Operation *op, mccd::Isa isa, bool vnni) {
    auto cisa = static_cast<mcc_isa>(isa);
    if (auto g = dyn_cast<mccd::QgemmOp>(op)) {
      int64_t k = g.getK(), n = g.getN();
      int32_t aZp = g.getASigned() ? g.getAZp() + 128 : g.getAZp();
      bool ok = packQuant(g, isa, vnni, g.getB(), g.getBPacked(), mcc_qgemm_packed_b_bytes(cisa, k, n),
                          [&](const int8_t *w, const int32_t *bias, const float *fbias, void *out) {
                            mcc_qgemm_pack_b(cisa, k, n, w, n, 1, g.getWZp().data(), aZp, bias, g.getScale().data(),
                                             fbias, out);
                          });
      g.setBPacked(true);
      return ok;
    }
    auto c = cast<mccd::QConv2dOp>(op);
    auto x = cast<ShapedType>(c.getInput().getType()), y = cast<ShapedType>(c.getInit().getType());
    int64_t m = y.getDimSize(1), ch = x.getDimSize(1), kh = c.getKernel()[0], kw = c.getKernel()[1];
    int32_t xZp = c.getXSigned() ? c.getXZp() + 128 : c.getXZp();
    bool ok = packQuant(
        c, isa, vnni, c.getFilter(), c.getFilterPacked(), mcc_qconv2d_packed_w_bytes(cisa, m, ch, kh, kw),
        [&](const int8_t *w, const int32_t *bias, const float *fbias, void *out) {
          mcc_qconv2d_pack_w(cisa, m, ch, kh, kw, w, c.getWZp().data(), xZp, bias, c.getScale().data(), fbias, out);
        });
    c.setFilterPacked(true);
    return ok;
  }

  /// Time of the sparse layouts relative to mcc_sgemm on packed B, from the measured break-evens.
  /// Measured on AMD Zen 5 (AVX-512) by alternating the kernels on the same B (one run after the
  /// other, 7 rounds, best of each; K x N = 784 x 512, 768 x 768, 768 x 3072; M = 1 to 128; kernel
  /// A/B ratios, the machine shared):
  ///  - 1 x 16 blocks, kept at random: with one row of A the sparse kernel wins at every density (its
  ///    four accumulators beat the dense kernel's single-row tile: 1.06-1.14x at 100%); from 4 rows
  ///    up the two cross at 72-80% of the blocks (M = 4: 75%, M = 14: 72%, M = 128: 73-84%);
  ///  - single columns, zeros scattered: from M = 16 up the two cross at 20-30% of the weights (10%:
  ///    2.0-5.4x faster, 5%: 2.4-8x); below one vector of rows the column kernel wastes lanes.
  /// The margins below keep dense layers dense: their results then do not depend on this at all.
  static double blockCost(double blockDensity, int64_t m) { return blockDensity / (m == 1 ? 0.85 : 0.65); }
  static double columnCost(double density, int64_t m, int64_t vl) { return m >= vl ? density / 0.2 : 2.0; }

  /// Packs B for mcc_spgemm when one of its layouts beats the dense kernel, and reports what it found
  /// either way (as a remark: `mcc -v` prints them) when B has zero blocks or many zeros at all.
  bool packSparseB(OpBuilder &b, mccd::SgemmOp g, mcc_isa isa, ArrayRef<float> data, int64_t rsb, int64_t csb) {
    int64_t k = g.getK(), n = g.getN(), m = g.getM(), vl = mcc_spgemm_bw(isa);
    if (k == 0 || n == 0 || m == 0)
      return false;
    int64_t blocks = mcc_spgemm_nonzero_blocks(vl, k, n, data.data(), rsb, csb);
    int64_t nonzero = llvm::count_if(data, [](float v) { return v != 0.0f; });
    double density = double(nonzero) / double(k * n);
    double blockDensity = double(blocks) / double(k * ((n + vl - 1) / vl));
    if (blocks == k * ((n + vl - 1) / vl) && density > 0.9)
      return false;
    double blockTime = blockCost(blockDensity, m), columnTime = columnCost(density, m, vl);
    int64_t bw = 0;
    if (sparse && std::min(blockTime, columnTime) < 1.0)
      bw = blockTime <= columnTime ? vl : 1;
    auto cType = cast<ShapedType>(g.getInit().getType());
    double flops = 2.0 * double(cType.getNumElements()) * double(k);
    double kept = bw == vl ? blockDensity : density;
    std::string msg;
    llvm::raw_string_ostream os(msg);
    os << llvm::format("sgemm %lldx%lldx%lld: weights %.1f%% nonzero, 1x%lld blocks %.1f%% nonzero; ", (long long)m,
                       (long long)k, (long long)n, 100 * density, (long long)vl, 100 * blockDensity);
    if (bw)
      os << llvm::format("layout sparse 1x%lld, %.0f of %.0f FLOPs saved (%.0f%%)", (long long)bw, flops * (1 - kept),
                         flops, 100 * (1 - kept));
    else
      os << "layout dense" << (sparse ? "" : " (sparse kernels disabled)");
    g.emitRemark(msg);
    if (!bw)
      return false;
    int64_t packedBlocks = bw == vl ? blocks : nonzero;
    std::vector<float> packed(mcc_spgemm_packed_floats(bw, k, n, packedBlocks));
    mcc_spgemm_pack(bw, k, n, data.data(), rsb, csb, packed.data());
    g.getBMutable().assign(packedConstant(b, g.getLoc(), packed));
    g.setBPacked(true);
    g.setBSparseAttr(b.getI64IntegerAttr(bw));
    g.setTransB(false);
    return true;
  }

  /// A 1x1 convolution (stride 1, no padding, one group) with a mostly-zero filter runs the column
  /// kernel over its positions (mcc_spconv1x1): measured against mcc_conv2d as above (C x M x HW =
  /// 64x256x3136, 256x256x196, 512x512x49, 128x512x784, 960x160x49, zeros scattered): 2.8-4.6x faster
  /// at 10% nonzero, crossing at 30-40%; other convolutions stay dense. Reports like packSparseB.
  bool packSparseConv(OpBuilder &b, mccd::Conv2dOp c, mcc_isa isa, ArrayRef<float> data) {
    auto x = cast<ShapedType>(c.getInput().getType()), y = cast<ShapedType>(c.getInit().getType());
    int64_t m = y.getDimSize(1), ch = x.getDimSize(1);
    int64_t positions = 1;
    for (int64_t d = 2; d < y.getRank(); ++d)
      positions *= y.getDimSize(d);
    bool pointwise = llvm::all_of(c.getKernel(), [](int64_t k) { return k == 1; }) &&
                     llvm::all_of(c.getStrides(), [](int64_t s) { return s == 1; }) &&
                     llvm::all_of(c.getPads(), [](int64_t p) { return p == 0; }) && c.getGroup() == 1 &&
                     x.getShape().drop_front(2) == y.getShape().drop_front(2);
    int64_t nonzero = llvm::count_if(data, [](float v) { return v != 0.0f; });
    double density = data.empty() ? 1.0 : double(nonzero) / double(data.size());
    if (density > 0.9 || m == 0 || ch == 0)
      return false;
    bool chosen = sparse && pointwise && positions >= mcc_spgemm_bw(isa) && density < 0.2;
    double flops = 2.0 * double(y.getNumElements()) * double(data.size()) / double(m);
    std::string msg;
    llvm::raw_string_ostream os(msg);
    os << llvm::format("conv %lldx%lld %lldx%lld: weights %.1f%% nonzero; ", (long long)m, (long long)ch,
                       (long long)c.getKernel()[0], (long long)c.getKernel()[1], 100 * density);
    if (chosen)
      os << llvm::format("layout sparse 1x1, %.0f of %.0f FLOPs saved (%.0f%%)", flops * (1 - density), flops,
                         100 * (1 - density));
    else
      os << "layout dense" << (!sparse ? " (sparse kernels disabled)" : !pointwise ? " (sparse: 1x1 only)" : "");
    c.emitRemark(msg);
    if (!chosen)
      return false;
    std::vector<float> packed(mcc_spgemm_packed_floats(1, ch, m, nonzero));
    mcc_spgemm_pack(1, ch, m, data.data(), 1, ch, packed.data());
    c.getFilterMutable().assign(packedConstant(b, c.getLoc(), packed));
    c.setFilterPacked(true);
    c.setFilterSparseAttr(b.getI64IntegerAttr(1));
    return true;
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
    if (packSparseConv(b, c, isa, *data))
      return true;
    // The layout depends on the output plane's size (small planes run with the pixels as GEMM rows).
    int64_t plane = 1;
    for (int64_t d : y.getShape().drop_front(2))
      plane *= d;
    std::vector<float> packed(mcc_conv2d_packed_w_floats(isa, m, ch, kh, kw, c.getGroup(), plane));
    mcc_conv2d_pack_w(isa, m, ch, kh, kw, c.getGroup(), plane, data->data(), packed.data());
    c.getFilterMutable().assign(packedConstant(b, c.getLoc(), packed));
    c.setFilterPacked(true);
    return true;
  }
};

} // namespace
