//===- KernelOps.cpp - onnx MatMul, Gemm, Conv -> mcc kernel ops ----------===//
//
// The f32 cases the C microkernels cover become mcc.sgemm / mcc.conv2d on tensors, ahead of the
// generic linalg lowering; every other case (integers, f64/f16, dynamic shapes, 3-D convolutions,
// batch broadcasts the kernel's single batch stride cannot express, non-constant convolution weights)
// is left untouched for MatMul.cpp and Conv.cpp. A pattern that does not apply fails quietly: the
// linalg lowering reports real errors.
//
//===----------------------------------------------------------------------===//
#include "dialects/mcc/MccDialect.h"
#include "passes/lowering/LoweringUtils.h"
#include "passes/lowering/Passes.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mcc {
#define GEN_PASS_DEF_LOWERTOKERNELOPS
#include "passes/lowering/Passes.h.inc"
} // namespace mcc

using namespace mlir;
namespace onnxd = mcc::onnx;
namespace mccd = mcc::dialect;

namespace mcc::lowering {
namespace {

bool isStaticF32(Value v) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  return t && t.hasStaticShape() && t.getElementType().isF32();
}

/// The batch dimensions of `operand` ([batch..., r, c]) can be read with one batch stride against the
/// result's: equal to the result's trailing batch dims (the rest of the result's being 1) or all 1.
bool batchCompatible(RankedTensorType operand, ArrayRef<int64_t> resultBatch) {
  ArrayRef<int64_t> own = operand.getShape().drop_back(2);
  if (llvm::all_of(own, [](int64_t d) { return d == 1; }))
    return true;
  if (own.size() > resultBatch.size() || own != resultBatch.take_back(own.size()))
    return false;
  return llvm::all_of(resultBatch.drop_back(own.size()), [](int64_t d) { return d == 1; });
}

DenseElementsAttr denseOf(Value v) {
  auto c = v.getDefiningOp<onnxd::ConstantOp>();
  return c ? dyn_cast<DenseElementsAttr>(c.getValue()) : DenseElementsAttr();
}

/// A new f32 constant of `type` holding `values`.
Value f32Constant(PatternRewriter &rewriter, Location loc, ArrayRef<int64_t> shape, ArrayRef<float> values) {
  auto type = RankedTensorType::get(shape, rewriter.getF32Type());
  return onnxd::ConstantOp::create(rewriter, loc, type, cast<ElementsAttr>(DenseElementsAttr::get(type, values)));
}

SmallVector<float> floatsOf(DenseElementsAttr attr, float scale = 1.0f) {
  SmallVector<float> out;
  for (float f : attr.getValues<float>())
    out.push_back(f * scale);
  return out;
}

/// `v` (all elements in a row, any static shape) as a 1-D tensor.
Value flatten(PatternRewriter &rewriter, Location loc, Value v) {
  auto t = tensorType(v);
  if (t.getRank() == 1)
    return v;
  return reshapeTo(rewriter, loc, v, RankedTensorType::get({t.getNumElements()}, t.getElementType()));
}

Value emptyLike(PatternRewriter &rewriter, Location loc, Type type) {
  auto t = cast<RankedTensorType>(type);
  return tensor::EmptyOp::create(rewriter, loc, t.getShape(), t.getElementType());
}

struct MatMulToSgemm : OpRewritePattern<onnxd::MatMulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(onnxd::MatMulOp op, PatternRewriter &rewriter) const override {
    if (!isStaticF32(op.getA()) || !isStaticF32(op.getB()) || !isStaticF32(op.getY()))
      return failure();
    auto a = tensorType(op.getA()), b = tensorType(op.getB()), y = tensorType(op.getY());
    // 1-D operands (numpy's promotion) keep the generic lowering.
    if (a.getRank() < 2 || b.getRank() < 2 || y.getRank() < 2)
      return failure();
    ArrayRef<int64_t> batch = y.getShape().drop_back(2);
    if (!batchCompatible(a, batch) || !batchCompatible(b, batch))
      return failure();
    Location loc = op.getLoc();
    auto sgemm = mccd::SgemmOp::create(rewriter, loc, TypeRange{y}, op.getA(), op.getB(), Value(), Value(),
                                       emptyLike(rewriter, loc, y));
    rewriter.replaceOp(op, sgemm.getResult());
    return success();
  }
};

/// alpha * op(A) op(B) + beta * C: alpha folds into a constant B, beta into a constant C; C becomes
/// the bias (per column or per row) or the residual, by its shape.
struct GemmToSgemm : OpRewritePattern<onnxd::GemmOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(onnxd::GemmOp op, PatternRewriter &rewriter) const override {
    if (!isStaticF32(op.getA()) || !isStaticF32(op.getB()) || !isStaticF32(op.getY()))
      return failure();
    auto y = tensorType(op.getY());
    if (tensorType(op.getA()).getRank() != 2 || tensorType(op.getB()).getRank() != 2 || y.getRank() != 2)
      return failure();
    int64_t m = y.getDimSize(0), n = y.getDimSize(1);
    float alpha = op.getAlpha().convertToFloat(), beta = op.getBeta().convertToFloat();
    Location loc = op.getLoc();
    Value bValue = op.getB();
    if (alpha != 1.0f) {
      DenseElementsAttr bConst = denseOf(bValue);
      if (!bConst)
        return failure();
      bValue = f32Constant(rewriter, loc, tensorType(bValue).getShape(), floatsOf(bConst, alpha));
    }
    Value bias, residual;
    bool perM = false;
    if (!onnxd::isNoValue(op.getC()) && beta != 0.0f) {
      if (!isStaticF32(op.getC()))
        return failure();
      auto cType = tensorType(op.getC());
      DenseElementsAttr cConst = denseOf(op.getC());
      if (beta != 1.0f && !cConst)
        return failure();
      ArrayRef<int64_t> cs = cType.getShape();
      int64_t rows = cs.size() == 2 ? cs[0] : 1, cols = cs.empty() ? 1 : cs.back();
      Value c = op.getC();
      if (rows == m && cols == n && cs.size() == 2) {
        c = beta == 1.0f ? c : f32Constant(rewriter, loc, cs, floatsOf(cConst, beta));
        residual = c;
      } else if (rows == 1 && cols == n) {
        bias = beta == 1.0f ? flatten(rewriter, loc, c) : f32Constant(rewriter, loc, {n}, floatsOf(cConst, beta));
      } else if (cols == 1 && rows == m) {
        perM = true;
        bias = beta == 1.0f ? flatten(rewriter, loc, c) : f32Constant(rewriter, loc, {m}, floatsOf(cConst, beta));
      } else if (rows == 1 && cols == 1 && cConst) {
        bias = f32Constant(rewriter, loc, {n}, SmallVector<float>(n, floatsOf(cConst, beta)[0]));
      } else {
        return failure();
      }
    }
    auto sgemm = mccd::SgemmOp::create(rewriter, loc, TypeRange{y}, op.getA(), bValue, bias, residual,
                                       emptyLike(rewriter, loc, y));
    if (op.getTransA())
      sgemm.setTransA(true);
    if (op.getTransB())
      sgemm.setTransB(true);
    if (perM)
      sgemm.setBiasPerM(true);
    rewriter.replaceOp(op, sgemm.getResult());
    return success();
  }
};

/// ONNX's pads/auto_pad resolved to the padding before each spatial dim; nullopt if malformed (the
/// linalg lowering reports it).
std::optional<SmallVector<int64_t>> padsBefore(onnxd::ConvOp op, ArrayRef<int64_t> in, ArrayRef<int64_t> kernel,
                                               ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations) {
  size_t n = in.size();
  SmallVector<int64_t> before(n, 0);
  StringRef autoPad = op.getAutoPad();
  if (autoPad == "NOTSET") {
    if (auto pads = op.getPads()) {
      if (pads->size() != 2 * n || llvm::any_of(*pads, [](int64_t p) { return p < 0; }))
        return std::nullopt;
      before.assign(pads->begin(), pads->begin() + n);
    }
    return before;
  }
  if (autoPad == "VALID")
    return before;
  if (autoPad != "SAME_UPPER" && autoPad != "SAME_LOWER")
    return std::nullopt;
  for (size_t i = 0; i < n; ++i) {
    int64_t out = (in[i] + strides[i] - 1) / strides[i];
    int64_t total = std::max<int64_t>(0, (out - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - in[i]);
    before[i] = autoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
  }
  return before;
}

struct ConvToConv2d : OpRewritePattern<onnxd::ConvOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(onnxd::ConvOp op, PatternRewriter &rewriter) const override {
    if (!isStaticF32(op.getX()) || !isStaticF32(op.getW()) || !isStaticF32(op.getY()))
      return failure();
    // The kernel reads weights packed at compile time: they must be constants.
    if (!denseOf(op.getW()))
      return failure();
    auto x = tensorType(op.getX()), w = tensorType(op.getW()), y = tensorType(op.getY());
    int64_t rank = x.getRank();
    if ((rank != 3 && rank != 4) || w.getRank() != rank || y.getRank() != rank)
      return failure();
    int64_t g = op.getGroup(), c = x.getDimSize(1), m = w.getDimSize(0);
    if (g < 1 || c != w.getDimSize(1) * g || m % g || y.getDimSize(1) != m || y.getDimSize(0) != x.getDimSize(0))
      return failure();
    size_t spatial = rank - 2;
    ArrayRef<int64_t> kernel = w.getShape().drop_front(2);
    if (auto ks = op.getKernelShape(); ks && *ks != kernel)
      return failure();
    SmallVector<int64_t> strides(spatial, 1), dilations(spatial, 1);
    if (auto s = op.getStrides())
      strides.assign(s->begin(), s->end());
    if (auto d = op.getDilations())
      dilations.assign(d->begin(), d->end());
    if (strides.size() != spatial || dilations.size() != spatial ||
        llvm::any_of(strides, [](int64_t s) { return s < 1; }) ||
        llvm::any_of(dilations, [](int64_t d) { return d < 1; }))
      return failure();
    auto before = padsBefore(op, x.getShape().drop_front(2), kernel, strides, dilations);
    if (!before)
      return failure();
    Value bias;
    if (!onnxd::isNoValue(op.getB())) {
      if (!isStaticF32(op.getB()) || tensorType(op.getB()).getNumElements() != m)
        return failure();
      bias = flatten(rewriter, op.getLoc(), op.getB());
    }
    // A 1-D convolution is the 2-D one with H = KH = 1.
    auto pair = [&](ArrayRef<int64_t> v, int64_t h) {
      return spatial == 2 ? SmallVector<int64_t>{v[0], v[1]} : SmallVector<int64_t>{h, v[0]};
    };
    Location loc = op.getLoc();
    auto conv = mccd::Conv2dOp::create(rewriter, loc, TypeRange{y}, op.getX(), op.getW(), bias, Value(),
                                       emptyLike(rewriter, loc, y), pair(kernel, 1), pair(strides, 1),
                                       pair(dilations, 1), pair(*before, 0), g);
    rewriter.replaceOp(op, conv.getResult());
    return success();
  }
};

} // namespace

void populateKernelOpPatterns(RewritePatternSet &patterns) {
  patterns.add<MatMulToSgemm, GemmToSgemm, ConvToConv2d>(patterns.getContext());
}

} // namespace mcc::lowering

namespace {
struct LowerToKernelOpsPass : mcc::impl::LowerToKernelOpsBase<LowerToKernelOpsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    mcc::lowering::populateKernelOpPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
