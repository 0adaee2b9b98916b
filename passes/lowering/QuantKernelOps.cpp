//===- QuantKernelOps.cpp - int8 MatMul/Conv forms and QDQ patterns -> mcc.qgemm / mcc.qconv2d ===//
//
// QLinearMatMul, MatMulInteger, QLinearConv, ConvInteger and the QDQ pattern that ONNX Runtime's
// quantizer writes, Q([Relu|Clip](Conv|MatMul|Gemm(DQ(x), DQ(w) [, DQ(b)]))), become the int8 kernel ops
// when their weights, scales and zero points are constants: the weights are shifted to s8, the
// scales combined per output channel, a Relu or a Clip with constant bounds folded into the output
// range (Q(Relu(v)) clamps at the zero point, exactly). Anything else (per-row activation scales, groups, dynamic
// shapes) is left to the generic lowering in Conv.cpp / MatMul.cpp / Quantization.cpp, which stays correct, only
// slower.
//
//===----------------------------------------------------------------------===//
#include "dialects/mcc/MccDialect.h"
#include "passes/lowering/LoweringUtils.h"
#include "passes/lowering/Passes.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <algorithm>
#include <cmath>

namespace mcc {
#define GEN_PASS_DEF_LOWERTOQUANTKERNELOPS
#include "passes/lowering/Passes.h.inc"
} // namespace mcc

using namespace mlir;
namespace onnxd = mcc::onnx;
namespace mccd = mcc::dialect;

namespace mcc::lowering {
namespace {

DenseElementsAttr constOf(Value v) {
  auto c = v.getDefiningOp<onnxd::ConstantOp>();
  return c ? dyn_cast<DenseElementsAttr>(c.getValue()) : DenseElementsAttr();
}

/// The values of a constant integer tensor (unsigned types read as unsigned); none = {0}.
std::optional<SmallVector<int64_t>> intsOf(Value v) {
  if (onnxd::isNoValue(v))
    return SmallVector<int64_t>{0};
  DenseElementsAttr d = constOf(v);
  if (!d || !d.getElementType().isInteger())
    return std::nullopt;
  bool u = d.getElementType().isUnsignedInteger();
  SmallVector<int64_t> out;
  for (const APInt &x : d.getValues<APInt>())
    out.push_back(u ? (int64_t)x.getZExtValue() : x.getSExtValue());
  return out;
}

std::optional<SmallVector<float>> floatsOf(Value v) {
  DenseElementsAttr d = constOf(v);
  if (!d || !d.getElementType().isF32())
    return std::nullopt;
  return SmallVector<float>(d.getValues<float>());
}

bool is8(Type t) { return getElementTypeOrSelf(t).isInteger(8); }
bool isStatic(Value v) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  return t && t.hasStaticShape();
}

/// One value, or `n` (per channel), broadcast to n entries; nullopt otherwise.
template <typename T> std::optional<SmallVector<T>> perChannel(const SmallVector<T> &v, int64_t n) {
  if (v.size() == 1)
    return SmallVector<T>(n, v[0]);
  if ((int64_t)v.size() == n)
    return v;
  return std::nullopt;
}

/// Everything the kernel ops carry besides their operands.
struct QuantParams {
  bool aSigned = false;
  int32_t aZp = 0;
  SmallVector<int8_t> weights; // s8, [K, N] for a GEMM, [M, C, KH, KW] for a convolution
  SmallVector<int32_t> wZp;
  SmallVector<float> scale;
  std::optional<SmallVector<int32_t>> bias;
  int32_t yZp = 0, lo = 0, hi = 255;
  bool ySigned = false;
};

/// Weights of any 8-bit type as s8 (u8 values and zero points shifted by 128), with per-channel zero
/// points. `values` is in the layout the op wants; nullopt if not constant.
bool readWeights(Value w, Value wZp, int64_t channels, QuantParams &q) {
  auto values = intsOf(w);
  auto zp = intsOf(wZp);
  if (!values || !zp || !is8(w.getType()))
    return false;
  auto zps = perChannel(*zp, channels);
  if (!zps)
    return false;
  int64_t shift = isUnsignedElement(w.getType()) ? 128 : 0;
  for (int64_t v : *values)
    q.weights.push_back((int8_t)(v - shift));
  for (int64_t z : *zps)
    q.wZp.push_back((int32_t)(z - shift));
  return true;
}

/// Scalar activation zero point and signedness from `x` (its type) and `zp`.
bool readActivation(Value x, Value zp, QuantParams &q) {
  auto z = intsOf(zp);
  if (!z || z->size() != 1 || !is8(x.getType()))
    return false;
  q.aSigned = !isUnsignedElement(x.getType());
  q.aZp = (int32_t)(*z)[0];
  return true;
}

/// The output: an 8-bit type with scalar zero point `zp`, or i32/f32 (no requantisation).
bool readOutput(Type y, Value zp, QuantParams &q) {
  if (!is8(y)) {
    q.lo = 0, q.hi = 0;
    return true;
  }
  auto z = intsOf(zp);
  if (!z || z->size() != 1)
    return false;
  q.ySigned = !isUnsignedElement(y);
  q.yZp = (int32_t)(*z)[0];
  q.lo = q.ySigned ? -128 : 0;
  q.hi = q.ySigned ? 127 : 255;
  return true;
}

/// scale[ch] = x_scale * w_scale[ch] / y_scale, in f32 and in that order (as ONNX Runtime).
bool combineScales(Value xs, Value ws, Value ys, int64_t channels, QuantParams &q) {
  auto x = floatsOf(xs), w = floatsOf(ws);
  std::optional<SmallVector<float>> y = ys ? floatsOf(ys) : SmallVector<float>{1.0f};
  if (!x || !w || !y || x->size() != 1 || y->size() != 1)
    return false;
  auto wc = perChannel(*w, channels);
  if (!wc)
    return false;
  for (float s : *wc)
    q.scale.push_back((*x)[0] * s / (*y)[0]);
  return true;
}

Value s8Constant(PatternRewriter &rewriter, Location loc, ArrayRef<int64_t> shape, ArrayRef<int8_t> values) {
  auto type = RankedTensorType::get(shape, rewriter.getIntegerType(8));
  auto attr = DenseElementsAttr::get(type, values);
  return onnxd::ConstantOp::create(rewriter, loc, type, cast<ElementsAttr>(attr));
}

Value emptyOf(PatternRewriter &rewriter, Location loc, Type type) {
  auto t = cast<RankedTensorType>(type);
  return tensor::EmptyOp::create(rewriter, loc, t.getShape(), t.getElementType());
}

template <typename OpTy> void setQuantAttrs(OpTy op, const QuantParams &q) {
  op.setWZp(q.wZp);
  op.setScale(q.scale);
  if (q.bias)
    op.setBias(*q.bias);
  op.setYZp(q.yZp);
  op.setLo(q.lo);
  op.setHi(q.hi);
  if (q.ySigned)
    op.setYSigned(true);
}

/// mcc.qgemm for y = a [batch..., M, K] x weights [K, N].
Value buildQgemm(PatternRewriter &rewriter, Location loc, Value a, Type yType, int64_t k, int64_t n,
                 const QuantParams &q) {
  Value w = s8Constant(rewriter, loc, {k, n}, q.weights);
  auto op = mccd::QgemmOp::create(rewriter, loc, TypeRange{yType}, a, w, emptyOf(rewriter, loc, yType), q.aSigned,
                                  q.aZp, false, q.wZp, q.scale, nullptr, nullptr, q.yZp, q.ySigned, q.lo, q.hi,
                                  mccd::Activation::none, APFloat(0.0f), APFloat(0.0f), false, nullptr);
  setQuantAttrs(op, q);
  return op.getResult()[0];
}

/// A GEMM the kernel takes: a static [batch..., M, K] activation, a constant 2-D weight.
bool gemmShapes(Value a, Value b, Value y, int64_t &k, int64_t &n) {
  if (!isStatic(a) || !isStatic(b) || !isStatic(y))
    return false;
  auto at = tensorType(a), bt = tensorType(b), yt = tensorType(y);
  if (at.getRank() < 2 || bt.getRank() != 2 || yt.getRank() != at.getRank())
    return false;
  k = bt.getDimSize(0), n = bt.getDimSize(1);
  return at.getDimSize(at.getRank() - 1) == k && yt.getDimSize(yt.getRank() - 1) == n;
}

/// Conv geometry for the kernel (4-D, group 1): kernel, strides, dilations, pads before (H, W).
struct ConvGeo {
  SmallVector<int64_t> kernel, strides, dilations, pads;
};
template <typename OpTy> std::optional<ConvGeo> convGeometry(OpTy op, Value x, Value w, Value y) {
  if (!isStatic(x) || !isStatic(w) || !isStatic(y) || op.getGroup() != 1)
    return std::nullopt;
  auto xt = tensorType(x), wt = tensorType(w);
  if (xt.getRank() != 4 || wt.getRank() != 4 || tensorType(y).getRank() != 4 || wt.getDimSize(1) != xt.getDimSize(1))
    return std::nullopt;
  ConvGeo g;
  g.kernel = {wt.getDimSize(2), wt.getDimSize(3)};
  if (auto ks = op.getKernelShape(); ks && ArrayRef<int64_t>(*ks) != ArrayRef<int64_t>(g.kernel))
    return std::nullopt;
  g.strides = {1, 1}, g.dilations = {1, 1}, g.pads = {0, 0};
  if (auto s = op.getStrides())
    g.strides.assign(s->begin(), s->end());
  if (auto d = op.getDilations())
    g.dilations.assign(d->begin(), d->end());
  if (g.strides.size() != 2 || g.dilations.size() != 2)
    return std::nullopt;
  StringRef autoPad = op.getAutoPad();
  if (autoPad == "NOTSET") {
    if (auto p = op.getPads()) {
      if (p->size() != 4)
        return std::nullopt;
      g.pads = {(*p)[0], (*p)[1]};
    }
  } else if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    for (int i = 0; i < 2; ++i) {
      int64_t in = xt.getDimSize(2 + i), out = (in + g.strides[i] - 1) / g.strides[i];
      int64_t total = std::max<int64_t>(0, (out - 1) * g.strides[i] + (g.kernel[i] - 1) * g.dilations[i] + 1 - in);
      g.pads[i] = autoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
    }
  } else if (autoPad != "VALID") {
    return std::nullopt;
  }
  return g;
}

Value buildQConv(PatternRewriter &rewriter, Location loc, Value x, Type yType, ArrayRef<int64_t> wShape,
                 const ConvGeo &g, const QuantParams &q) {
  Value w = s8Constant(rewriter, loc, wShape, q.weights);
  auto op = mccd::QConv2dOp::create(rewriter, loc, TypeRange{yType}, x, w, emptyOf(rewriter, loc, yType), g.kernel,
                                    g.strides, g.dilations, g.pads, q.aSigned, q.aZp, false, q.wZp, q.scale, nullptr,
                                    nullptr, q.yZp, q.ySigned, q.lo, q.hi, mccd::Activation::none, APFloat(0.0f),
                                    APFloat(0.0f), false, nullptr);
  setQuantAttrs(op, q);
  return op.getResult()[0];
}

struct QLinearMatMulToQgemm : OpRewritePattern<onnxd::QLinearMatMulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(onnxd::QLinearMatMulOp op, PatternRewriter &rewriter) const override {
    int64_t k, n;
    QuantParams q;
    if (!gemmShapes(op.getA(), op.getB(), op.getY(), k, n) || !readActivation(op.getA(), op.getAZeroPoint(), q) ||
        !readWeights(op.getB(), op.getBZeroPoint(), n, q) ||
        !combineScales(op.getAScale(), op.getBScale(), op.getYScale(), n, q) ||
        !readOutput(op.getY().getType(), op.getYZeroPoint(), q) || !is8(op.getY().getType()))
      return failure();
    rewriter.replaceOp(op, buildQgemm(rewriter, op.getLoc(), op.getA(), op.getY().getType(), k, n, q));
    return success();
  }
};

struct MatMulIntegerToQgemm : OpRewritePattern<onnxd::MatMulIntegerOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(onnxd::MatMulIntegerOp op, PatternRewriter &rewriter) const override {
    int64_t k, n;
    QuantParams q;
    if (!gemmShapes(op.getA(), op.getB(), op.getY(), k, n) || !readActivation(op.getA(), op.getAZeroPoint(), q) ||
        !readWeights(op.getB(), op.getBZeroPoint(), n, q) || !getElementTypeOrSelf(op.getY()).isInteger(32))
      return failure();
    q.scale.assign(n, 1.0f);
    readOutput(op.getY().getType(), Value(), q);
    rewriter.replaceOp(op, buildQgemm(rewriter, op.getLoc(), op.getA(), op.getY().getType(), k, n, q));
    return success();
  }
};

struct QLinearConvToQConv : OpRewritePattern<onnxd::QLinearConvOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(onnxd::QLinearConvOp op, PatternRewriter &rewriter) const override {
    auto g = convGeometry(op, op.getX(), op.getW(), op.getY());
    if (!g)
      return failure();
    int64_t m = tensorType(op.getW()).getDimSize(0);
    QuantParams q;
    if (!readActivation(op.getX(), op.getXZeroPoint(), q) || !readWeights(op.getW(), op.getWZeroPoint(), m, q) ||
        !combineScales(op.getXScale(), op.getWScale(), op.getYScale(), m, q) ||
        !readOutput(op.getY().getType(), op.getYZeroPoint(), q) || !is8(op.getY().getType()))
      return failure();
    if (!onnxd::isNoValue(op.getB())) {
      auto b = intsOf(op.getB());
      if (!b || (int64_t)b->size() != m)
        return failure();
      q.bias = SmallVector<int32_t>(b->begin(), b->end());
    }
    rewriter.replaceOp(
        op, buildQConv(rewriter, op.getLoc(), op.getX(), op.getY().getType(), tensorType(op.getW()).getShape(), *g, q));
    return success();
  }
};

struct ConvIntegerToQConv : OpRewritePattern<onnxd::ConvIntegerOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(onnxd::ConvIntegerOp op, PatternRewriter &rewriter) const override {
    auto g = convGeometry(op, op.getX(), op.getW(), op.getY());
    if (!g || !getElementTypeOrSelf(op.getY()).isInteger(32))
      return failure();
    int64_t m = tensorType(op.getW()).getDimSize(0);
    QuantParams q;
    if (!readActivation(op.getX(), op.getXZeroPoint(), q) || !readWeights(op.getW(), op.getWZeroPoint(), m, q))
      return failure();
    q.scale.assign(m, 1.0f);
    readOutput(op.getY().getType(), Value(), q);
    rewriter.replaceOp(
        op, buildQConv(rewriter, op.getLoc(), op.getX(), op.getY().getType(), tensorType(op.getW()).getShape(), *g, q));
    return success();
  }
};

/// DequantizeLinear with constant scale and zero point: its input, scale, zero point and axis.
struct Dq {
  Value x, scale, zp;
  int64_t axis;
};
std::optional<Dq> dqOf(Value v) {
  auto dq = v.getDefiningOp<onnxd::DequantizeLinearOp>();
  if (!dq || !floatsOf(dq.getXScale()) || !intsOf(dq.getXZeroPoint()))
    return std::nullopt;
  return Dq{dq.getX(), dq.getXScale(), dq.getXZeroPoint(),
            normalizeAxis(dq.getAxis(), tensorType(dq.getX()).getRank())};
}

/// An int32 bias from DequantizeLinear(int32 b, scale = x_scale * w_scale) or a float constant,
/// rounded to the accumulator's scale x_scale * w_scale[ch].
std::optional<SmallVector<int32_t>> biasOf(Value b, float xs, ArrayRef<float> ws, int64_t channels) {
  if (!b || onnxd::isNoValue(b))
    return std::nullopt;
  SmallVector<float> f;
  if (auto dq = dqOf(b); dq && getElementTypeOrSelf(dq->x.getType()).isInteger(32)) {
    auto vals = intsOf(dq->x);
    auto scales = floatsOf(dq->scale);
    if (!vals || !scales)
      return std::nullopt;
    auto sc = perChannel(*scales, channels);
    auto vc = perChannel(*vals, channels);
    if (!sc || !vc)
      return std::nullopt;
    for (int64_t c = 0; c < channels; ++c)
      f.push_back((float)(*vc)[c] * (*sc)[c]);
  } else if (auto fl = floatsOf(b)) {
    auto fc = perChannel(*fl, channels);
    if (!fc)
      return std::nullopt;
    f.assign(fc->begin(), fc->end());
  } else {
    return std::nullopt;
  }
  SmallVector<int32_t> out;
  for (int64_t c = 0; c < channels; ++c)
    out.push_back((int32_t)std::nearbyint((double)f[c] / ((double)xs * ws[c])));
  return out;
}

/// Q([Relu](Conv | MatMul | Gemm of DQ operands)): the QDQ form of an int8 layer.
struct QdqToKernel : OpRewritePattern<onnxd::QuantizeLinearOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(onnxd::QuantizeLinearOp op, PatternRewriter &rewriter) const override {
    Value v = op.getX();
    bool relu = false;
    std::optional<float> clipLo, clipHi; // a Clip with constant bounds (Relu6)
    if (auto r = v.getDefiningOp<onnxd::ReluOp>()) {
      relu = true;
      v = r.getX();
    } else if (auto c = v.getDefiningOp<onnxd::ClipOp>()) {
      auto bound = [](Value b, std::optional<float> &out) {
        if (onnxd::isNoValue(b))
          return true;
        auto f = floatsOf(b);
        if (!f || f->size() != 1)
          return false;
        out = (*f)[0];
        return true;
      };
      if (!bound(c.getMin(), clipLo) || !bound(c.getMax(), clipHi))
        return failure();
      v = c.getInput();
    }
    Operation *layer = v.getDefiningOp();
    if (!layer || !is8(op.getY().getType()) || !isStatic(op.getY()))
      return failure();
    QuantParams q;
    auto ys = floatsOf(op.getYScale());
    if (!ys || ys->size() != 1 || !readOutput(op.getY().getType(), op.getYZeroPoint(), q))
      return failure();
    Value x, w, bias;
    int64_t wAxis = 0;
    bool isConv = false, transB = false;
    if (auto conv = dyn_cast<onnxd::ConvOp>(layer)) {
      x = conv.getX(), w = conv.getW(), bias = conv.getB(), isConv = true;
    } else if (auto mm = dyn_cast<onnxd::MatMulOp>(layer)) {
      x = mm.getA(), w = mm.getB(), wAxis = 1;
    } else if (auto gemm = dyn_cast<onnxd::GemmOp>(layer)) {
      if (gemm.getTransA() || gemm.getAlpha().convertToFloat() != 1.0f || gemm.getBeta().convertToFloat() != 1.0f)
        return failure();
      x = gemm.getA(), w = gemm.getB(), bias = gemm.getC(), transB = gemm.getTransB();
      wAxis = transB ? 0 : 1;
    } else {
      return failure();
    }
    auto dx = dqOf(x), dw = dqOf(w);
    if (!dx || !dw || !is8(dx->x.getType()) || !is8(dw->x.getType()) || !readActivation(dx->x, dx->zp, q))
      return failure();
    auto wt = tensorType(dw->x);
    auto xsv = floatsOf(dx->scale), wsv = floatsOf(dw->scale);
    if (xsv->size() != 1)
      return failure();
    int64_t channels = isConv ? wt.getDimSize(0) : wt.getRank() == 2 ? wt.getDimSize(wAxis) : -1;
    if (channels < 0 || (wsv->size() != 1 && dw->axis != wAxis))
      return failure();
    if (!readWeights(dw->x, dw->zp, channels, q) || !combineScales(dx->scale, dw->scale, op.getYScale(), channels, q))
      return failure();
    auto wsc = perChannel(*wsv, channels);
    if (bias && !onnxd::isNoValue(bias)) {
      q.bias = biasOf(bias, (*xsv)[0], *wsc, channels);
      if (!q.bias)
        return failure();
    }
    // Q(Relu(v)) = max(Q(v), zp) and Q(Clip(v, a, b)) = min(max(Q(v), Q(a)), Q(b)): rounding is monotonic.
    if (relu)
      q.lo = std::max(q.lo, q.yZp);
    auto quantized = [&](float bound) {
      return (int32_t)std::clamp<double>(std::nearbyint(bound / (*ys)[0]) + q.yZp, -1e9, 1e9);
    };
    if (clipLo)
      q.lo = std::max(q.lo, quantized(*clipLo));
    if (clipHi)
      q.hi = std::min(q.hi, quantized(*clipHi));
    if (q.lo > q.hi)
      return failure();
    Location loc = op.getLoc();
    if (isConv) {
      auto g = convGeometry(cast<onnxd::ConvOp>(layer), dx->x, dw->x, op.getY());
      if (!g)
        return failure();
      rewriter.replaceOp(op, buildQConv(rewriter, loc, dx->x, op.getY().getType(), wt.getShape(), *g, q));
      return success();
    }
    int64_t k = wt.getDimSize(transB ? 1 : 0), n = channels;
    if (!isStatic(dx->x) || tensorType(dx->x).getRank() != tensorType(op.getY()).getRank() ||
        tensorType(dx->x).getShape().back() != k)
      return failure();
    if (transB) { // [N, K] -> [K, N]
      SmallVector<int8_t> t(q.weights.size());
      for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < k; ++j)
          t[j * n + i] = q.weights[i * k + j];
      q.weights = std::move(t);
    }
    rewriter.replaceOp(op, buildQgemm(rewriter, loc, dx->x, op.getY().getType(), k, n, q));
    return success();
  }
};

/// DequantizeLinear of constant weights that no int8 kernel took (a grouped or depthwise convolution,
/// a layer without QuantizeLinear after it) becomes the f32 constant it computes, with the same f32
/// arithmetic, so that the float kernels (which want constant weights) run the layer.
struct FoldConstantDequantize : OpRewritePattern<onnxd::DequantizeLinearOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(onnxd::DequantizeLinearOp op, PatternRewriter &rewriter) const override {
    auto x = intsOf(op.getX());
    auto scale = floatsOf(op.getXScale());
    auto zp = intsOf(op.getXZeroPoint());
    auto type = dyn_cast<RankedTensorType>(op.getY().getType());
    if (!x || !scale || !zp || !type || !type.hasStaticShape() || !type.getElementType().isF32() ||
        onnxd::isNoValue(op.getX()))
      return failure();
    auto xt = tensorType(op.getX());
    int64_t axis = normalizeAxis(op.getAxis(), xt.getRank());
    int64_t channels = scale->size() == 1 ? 1 : xt.getDimSize(axis);
    auto sc = perChannel(*scale, channels);
    auto zc = perChannel(*zp, channels);
    if (!sc || !zc)
      return failure();
    int64_t inner = 1;
    for (int64_t d = axis + 1; d < xt.getRank() && channels > 1; ++d)
      inner *= xt.getDimSize(d);
    SmallVector<float> values;
    values.reserve(x->size());
    for (size_t i = 0; i < x->size(); ++i) {
      int64_t c = channels == 1 ? 0 : (int64_t)(i / inner) % channels;
      values.push_back((float)((*x)[i] - (*zc)[c]) * (*sc)[c]);
    }
    auto attr = DenseElementsAttr::get(type, ArrayRef<float>(values));
    rewriter.replaceOpWithNewOp<onnxd::ConstantOp>(op, type, cast<ElementsAttr>(attr));
    return success();
  }
};

/// mcc kernel ops built on onnx types (ui8) get the lowered types with the rest of the function.
struct ConvertMccOpTypes : ConversionPattern {
  ConvertMccOpTypes(const TypeConverter &converter, MLIRContext *ctx)
      : ConversionPattern(converter, MatchAnyOpTypeTag(), 1, ctx) {}
  LogicalResult matchAndRewrite(Operation *op, ArrayRef<Value> operands,
                                ConversionPatternRewriter &rewriter) const override {
    if (!isa<mccd::QgemmOp, mccd::QConv2dOp>(op))
      return failure();
    SmallVector<Type> results;
    if (failed(getTypeConverter()->convertTypes(op->getResultTypes(), results)))
      return failure();
    OperationState state(op->getLoc(), op->getName(), operands, results, op->getAttrs());
    rewriter.replaceOp(op, rewriter.create(state)->getResults());
    return success();
  }
};

} // namespace

void populateQuantKernelOpPatterns(RewritePatternSet &patterns) {
  patterns.add<QLinearMatMulToQgemm, MatMulIntegerToQgemm, QLinearConvToQConv, ConvIntegerToQConv, QdqToKernel>(
      patterns.getContext());
}

void populateConstantDequantizePatterns(RewritePatternSet &patterns) {
  patterns.add<FoldConstantDequantize>(patterns.getContext());
}

void populateMccTypeConversionPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<ConvertMccOpTypes>(converter, patterns.getContext());
}

} // namespace mcc::lowering

namespace {
struct LowerToQuantKernelOpsPass : mcc::impl::LowerToQuantKernelOpsBase<LowerToQuantKernelOpsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    mcc::lowering::populateQuantKernelOpPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    // Only after the int8 layers took theirs: what remains runs in float on constant weights.
    RewritePatternSet folds(&getContext());
    mcc::lowering::populateConstantDequantizePatterns(folds);
    if (failed(applyPatternsGreedily(getOperation(), std::move(folds))))
      signalPassFailure();
  }
};
} // namespace
