//===- Conv.cpp - onnx Conv, ConvTranspose, ConvInteger, QLinearConv -> linalg ===//
//
// Every convolution (1-D to 3-D and beyond, any group, stride, dilation, padding) is one
// linalg.generic over (n, g, m, out..., c, k...) on views [N, G, C/G, in...] and [G, M/G, C/G, k...],
// so grouped and depthwise convolutions share the code of the dense one. The integer forms subtract
// their zero points up front and accumulate in i32; ConvTranspose is the same contraction over the
// zero-inserted input with the kernel flipped.
//
//===----------------------------------------------------------------------===//
#include "passes/lowering/LoweringUtils.h"

using namespace mlir;
namespace onnxd = mcc::onnx;

namespace mcc::lowering {
namespace {

Value multiplyAdd(OpBuilder &b, Location loc, Value acc, Value x, Value y) {
  if (isa<FloatType>(x.getType()))
    return arith::AddFOp::create(b, loc, acc, arith::MulFOp::create(b, loc, x, y));
  return arith::AddIOp::create(b, loc, acc, arith::MulIOp::create(b, loc, x, y));
}

/// The accumulator [N, G, M/G, out...]: the bias [M] broadcast over it, or zero.
Value convInit(OpBuilder &b, Location loc, Value bias, RankedTensorType ygType) {
  MLIRContext *ctx = b.getContext();
  Type elt = ygType.getElementType();
  if (!bias)
    return filledTensor(b, loc, ygType, scalarConstant(b, loc, elt, 0));
  int64_t g = ygType.getDimSize(1), mg = ygType.getDimSize(2);
  Value bg = reshapeTo(b, loc, bias, RankedTensorType::get({g, mg}, elt));
  auto bmap = AffineMap::get(ygType.getRank(), 0, {getAffineDimExpr(1, ctx), getAffineDimExpr(2, ctx)}, ctx);
  Value empty = tensor::EmptyOp::create(b, loc, ygType.getShape(), elt);
  return linalg::GenericOp::create(
             b, loc, TypeRange{ygType}, ValueRange{bg}, ValueRange{empty},
             SmallVector<AffineMap>{bmap, b.getMultiDimIdentityMap(ygType.getRank())},
             SmallVector<utils::IteratorType>(ygType.getRank(), utils::IteratorType::parallel),
             [](OpBuilder &nb, Location l, ValueRange a) { linalg::YieldOp::create(nb, l, a[0]); })
      .getResult(0);
}

/// Checks the channel counts and the kernel of a forward convolution and resolves its window.
template <typename ConvOpT>
FailureOr<WindowGeometry> forwardGeometry(ConvOpT op, RankedTensorType xType, RankedTensorType wType,
                                          RankedTensorType yType, Value bias) {
  if (xType.getRank() < 3 || wType.getRank() != xType.getRank())
    return op.emitError("X and W must have the same rank >= 3, got ") << xType << " and " << wType, failure();
  int64_t c = xType.getDimSize(1), m = wType.getDimSize(0), g = op.getGroup();
  if (g < 1 || c != wType.getDimSize(1) * g || m % g != 0)
    return op.emitError("channels do not match: X has ") << c << ", W is " << wType << ", group " << g, failure();
  if (yType.getRank() != xType.getRank() || yType.getDimSize(0) != xType.getDimSize(0) || yType.getDimSize(1) != m)
    return op.emitError("result type ") << yType << " does not match X and W", failure();
  if (bias && (tensorType(bias).getRank() != 1 || tensorType(bias).getDimSize(0) != m))
    return op.emitError("B must have ") << m << " elements, got " << tensorType(bias), failure();
  ArrayRef<int64_t> kernel = wType.getShape().drop_front(2);
  if (auto ks = op.getKernelShape(); ks && *ks != kernel)
    return op.emitError("kernel_shape does not match the weight shape"), failure();
  return resolveWindow(op, xType.getShape().drop_front(2), kernel, op.getStrides(), op.getDilations(), op.getPads(),
                       op.getAutoPad(), yType.getShape().drop_front(2), false);
}

/// The grouped convolution of `x` [N, C, in...] with `w` [M, C/G, k...] plus the optional `bias` [M],
/// all of element type `resultType`'s (floats or i32).
Value groupedConv(OpBuilder &b, Location loc, Value x, Value w, Value bias, int64_t g, const WindowGeometry &geo,
                  RankedTensorType resultType) {
  MLIRContext *ctx = b.getContext();
  Type elt = resultType.getElementType();
  auto xType = tensorType(x), wType = tensorType(w);
  int64_t spatial = xType.getRank() - 2;
  int64_t n = xType.getDimSize(0), c = xType.getDimSize(1), m = wType.getDimSize(0);
  int64_t cg = c / g, mg = m / g;
  ArrayRef<int64_t> kernel = wType.getShape().drop_front(2);

  SmallVector<int64_t> low{0, 0}, high{0, 0};
  low.append(geo.padBegin);
  high.append(geo.padEnd);
  x = padTensor(b, loc, x, low, high, scalarConstant(b, loc, elt, 0));
  auto paddedType = tensorType(x);

  // Grouped views.
  SmallVector<int64_t> xgShape{n, g, cg};
  xgShape.append(paddedType.getShape().begin() + 2, paddedType.getShape().end());
  SmallVector<int64_t> wgShape{g, mg, cg};
  wgShape.append(kernel.begin(), kernel.end());
  SmallVector<int64_t> ygShape{n, g, mg};
  ygShape.append(geo.outSize);
  Value xg = reshapeTo(b, loc, x, RankedTensorType::get(xgShape, elt));
  Value wg = reshapeTo(b, loc, w, RankedTensorType::get(wgShape, elt));
  auto ygType = RankedTensorType::get(ygShape, elt);
  Value init = convInit(b, loc, bias, ygType);

  // Loops: n, g, m, o_0..o_{s-1} (parallel), c, k_0..k_{s-1} (reduction).
  int64_t numLoops = 3 + spatial + 1 + spatial;
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  int64_t cLoop = 3 + spatial;
  SmallVector<AffineExpr> xe{d(0), d(1), d(cLoop)}, we{d(1), d(2), d(cLoop)}, ye{d(0), d(1), d(2)};
  for (int64_t i = 0; i < spatial; ++i) {
    AffineExpr o = d(3 + i), k = d(cLoop + 1 + i);
    xe.push_back(o * geo.strides[i] + k * geo.dilations[i]);
    we.push_back(k);
    ye.push_back(o);
  }
  SmallVector<AffineMap> maps{AffineMap::get(numLoops, 0, xe, ctx), AffineMap::get(numLoops, 0, we, ctx),
                              AffineMap::get(numLoops, 0, ye, ctx)};
  SmallVector<utils::IteratorType> iters(numLoops, utils::IteratorType::parallel);
  for (int64_t i = cLoop; i < numLoops; ++i)
    iters[i] = utils::IteratorType::reduction;
  Value yg = linalg::GenericOp::create(b, loc, TypeRange{ygType}, ValueRange{xg, wg}, ValueRange{init}, maps, iters,
                                       [](OpBuilder &nb, Location l, ValueRange a) {
                                         linalg::YieldOp::create(nb, l, multiplyAdd(nb, l, a[2], a[0], a[1]));
                                       })
                 .getResult(0);
  return reshapeTo(b, loc, yg, resultType);
}

struct ConvLowering : OpConversionPattern<onnxd::ConvOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::ConvOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    auto xType = tensorType(adaptor.getX()), wType = tensorType(adaptor.getW());
    auto resultType = loweredType(op.getType());
    Type elt = resultType.getElementType();
    if (!isa<FloatType>(elt))
      return op.emitError("element type ") << elt << " is not supported (use ConvInteger for integers)";
    Value bias = onnxd::isNoValue(op.getB()) ? Value() : adaptor.getB();
    auto geo = forwardGeometry(op, xType, wType, resultType, bias);
    if (failed(geo))
      return failure();
    rewriter.replaceOp(
        op, groupedConv(rewriter, op.getLoc(), adaptor.getX(), adaptor.getW(), bias, op.getGroup(), *geo, resultType));
    return success();
  }
};

/// An 8-bit tensor widened to i32 minus its zero point. `zp` (or none) is a scalar, or for W a
/// per-output-channel vector along dim 0.
FailureOr<Value> widenMinusConvZeroPoint(OpBuilder &b, Location loc, Operation *op, Value v, bool isUnsigned, Value zp,
                                         Value origZp, bool perChannel, StringRef what) {
  bool zpUnsigned = zp && isUnsignedElement(origZp.getType());
  auto type = tensorType(v);
  Value shaped;
  if (zp) {
    auto zpType = tensorType(zp);
    int64_t count = zpType.getNumElements();
    if (count == 1) {
      shaped = reshapeTo(b, loc, zp, RankedTensorType::get({}, zpType.getElementType()));
    } else if (perChannel && zpType.getRank() == 1 && count == type.getDimSize(0)) {
      SmallVector<int64_t> shape(type.getRank(), 1);
      shape[0] = count;
      shaped = reshapeTo(b, loc, zp, RankedTensorType::get(shape, zpType.getElementType()));
    } else {
      return op->emitError(what) << " must be a scalar" << (perChannel ? " or one value per output channel" : "")
                                 << ", got " << origZp.getType(),
             failure();
    }
  }
  return widenMinusZeroPoint(b, loc, v, isUnsigned, shaped, zpUnsigned);
}

/// The i32 accumulators of an integer convolution: zero points subtracted, then the plain grouped
/// convolution (padding with zero is padding with the zero point).
template <typename ConvOpT>
FailureOr<Value> integerConv(ConvOpT op, OpBuilder &b, Value x, Value xZp, Value w, Value wZp, Value bias,
                             RankedTensorType accType) {
  Location loc = op.getLoc();
  Value origX = op.getX(), origW = op.getW();
  if (!is8Bit(origX.getType()) || !is8Bit(origW.getType()))
    return op.emitError("x and w must be 8-bit integers"), failure();
  auto xi = widenMinusConvZeroPoint(b, loc, op, x, isUnsignedElement(origX.getType()), xZp, op.getXZeroPoint(), false,
                                    "x_zero_point");
  if (failed(xi))
    return failure();
  auto wi = widenMinusConvZeroPoint(b, loc, op, w, isUnsignedElement(origW.getType()), wZp, op.getWZeroPoint(), true,
                                    "w_zero_point");
  if (failed(wi))
    return failure();
  auto geo = forwardGeometry(op, tensorType(*xi), tensorType(*wi), accType, bias);
  if (failed(geo))
    return failure();
  return groupedConv(b, loc, *xi, *wi, bias, op.getGroup(), *geo, accType);
}

struct ConvIntegerLowering : OpConversionPattern<onnxd::ConvIntegerOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::ConvIntegerOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    auto resultType = loweredType(op.getType());
    if (!resultType.getElementType().isInteger(32))
      return op.emitError("result must be int32");
    Value xZp = onnxd::isNoValue(op.getXZeroPoint()) ? Value() : adaptor.getXZeroPoint();
    Value wZp = onnxd::isNoValue(op.getWZeroPoint()) ? Value() : adaptor.getWZeroPoint();
    auto y = integerConv(op, rewriter, adaptor.getX(), xZp, adaptor.getW(), wZp, Value(), resultType);
    if (failed(y))
      return failure();
    rewriter.replaceOp(op, *y);
    return success();
  }
};

/// A scalar tensor (any shape with one element) as a rank-0 tensor.
Value asScalarTensor(OpBuilder &b, Location loc, Value v) {
  auto t = tensorType(v);
  return reshapeTo(b, loc, v, RankedTensorType::get({}, t.getElementType()));
}

struct QLinearConvLowering : OpConversionPattern<onnxd::QLinearConvOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::QLinearConvOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    auto resultType = loweredType(op.getType());
    Type elt = resultType.getElementType();
    if (!elt.isInteger(8))
      return op.emitError("result must be 8-bit");
    auto scalarOk = [](Value v) { return tensorType(v).getNumElements() == 1; };
    if (!scalarOk(adaptor.getXScale()) || !scalarOk(adaptor.getYScale()) || !scalarOk(adaptor.getYZeroPoint()))
      return op.emitError("x_scale, y_scale and y_zero_point must be scalars");
    int64_t m = tensorType(adaptor.getW()).getDimSize(0);
    auto wScaleType = tensorType(adaptor.getWScale());
    if (!wScaleType.getElementType().isF32() || !tensorType(adaptor.getXScale()).getElementType().isF32() ||
        !tensorType(adaptor.getYScale()).getElementType().isF32())
      return op.emitError("scales must be float32");
    if (wScaleType.getNumElements() != 1 && !(wScaleType.getRank() == 1 && wScaleType.getDimSize(0) == m))
      return op.emitError("w_scale must be a scalar or have one value per output channel, got ") << wScaleType;
    Value bias;
    if (!onnxd::isNoValue(op.getB())) {
      bias = adaptor.getB();
      if (!tensorType(bias).getElementType().isInteger(32))
        return op.emitError("B must be int32");
    }
    auto accType = RankedTensorType::get(resultType.getShape(), rewriter.getI32Type());
    auto acc = integerConv(op, rewriter, adaptor.getX(), adaptor.getXZeroPoint(), adaptor.getW(),
                           adaptor.getWZeroPoint(), bias, accType);
    if (failed(acc))
      return failure();

    // Per-channel multiplier x_scale * w_scale / y_scale as [M, 1, ...] (broadcast over the spatial dims).
    SmallVector<int64_t> chanShape(resultType.getRank() - 1, 1);
    chanShape[0] = m;
    Type f32 = rewriter.getF32Type();
    Value wScale = wScaleType.getNumElements() == 1
                       ? asScalarTensor(rewriter, loc, adaptor.getWScale())
                       : reshapeTo(rewriter, loc, adaptor.getWScale(), RankedTensorType::get(chanShape, f32));
    Value xScale = asScalarTensor(rewriter, loc, adaptor.getXScale());
    Value yScale = asScalarTensor(rewriter, loc, adaptor.getYScale());
    Value yZeroPoint = asScalarTensor(rewriter, loc, adaptor.getYZeroPoint());
    rewriter.replaceOp(op, requantizeAccumulators(rewriter, loc, resultType, *acc, xScale, wScale, yScale, yZeroPoint,
                                                  isUnsignedElement(op.getYZeroPoint().getType())));
    return success();
  }
};

/// ConvTranspose: Y[n, m, o] = sum over (c, k) of X[n, c, i] W[c, m, k] where o = i*s + k*d - pad_begin.
/// X is spread into a zero tensor Z at i*s + (K-1)*d - pad_begin, so that Y is a stride-1 convolution
/// of Z with the flipped kernel: Y[o] = sum Z[o + (K-1-k)*d] W[k].
struct ConvTransposeLowering : OpConversionPattern<onnxd::ConvTransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::ConvTransposeOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    auto xType = tensorType(adaptor.getX()), wType = tensorType(adaptor.getW());
    auto resultType = loweredType(op.getType());
    Type elt = resultType.getElementType();
    if (!isa<FloatType>(elt))
      return op.emitError("element type ") << elt << " is not supported";
    int64_t spatial = xType.getRank() - 2;
    int64_t n = xType.getDimSize(0), c = xType.getDimSize(1), g = op.getGroup();
    int64_t cg = c / g, mg = wType.getDimSize(1), m = mg * g;
    if (resultType.getRank() != xType.getRank() || resultType.getDimSize(0) != n || resultType.getDimSize(1) != m)
      return op.emitError("result type ") << resultType << " does not match X and W";
    Value bias = onnxd::isNoValue(op.getB()) ? Value() : adaptor.getB();
    if (bias && tensorType(bias).getDimSize(0) != m)
      return op.emitError("B must have ") << m << " elements, got " << tensorType(bias);
    ArrayRef<int64_t> kernel = wType.getShape().drop_front(2);
    if (auto ks = op.getKernelShape(); ks && *ks != kernel)
      return op.emitError("kernel_shape does not match the weight shape");
    auto attrOr = [&](std::optional<ArrayRef<int64_t>> a, int64_t def) {
      return a ? SmallVector<int64_t>(*a) : SmallVector<int64_t>(spatial, def);
    };
    SmallVector<int64_t> strides = attrOr(op.getStrides(), 1), dilations = attrOr(op.getDilations(), 1),
                         outPad = attrOr(op.getOutputPadding(), 0);
    for (int64_t i = 0; i < spatial; ++i)
      if (strides[i] < 1 || dilations[i] < 1 || outPad[i] < 0)
        return op.emitError("strides and dilations must be positive, output_padding non-negative");
    StringRef autoPad = op.getAutoPad();
    if (autoPad != "NOTSET" && autoPad != "SAME_UPPER" && autoPad != "SAME_LOWER" && autoPad != "VALID")
      return op.emitError("auto_pad '") << autoPad << "' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID";

    // Padding at the start of each spatial dim and the output size (ONNX's equations; a negative total
    // padding, an output_shape larger than the full result, pads nothing, as ONNX Runtime).
    ArrayRef<int64_t> inSpatial = xType.getShape().drop_front(2);
    SmallVector<int64_t> padBegin(spatial, 0), outSize(spatial);
    std::optional<ArrayRef<int64_t>> outputShape = op.getOutputShape();
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t full = strides[i] * (inSpatial[i] - 1) + outPad[i] + (kernel[i] - 1) * dilations[i] + 1;
      if (outputShape || autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
        outSize[i] = outputShape ? outputShape->take_back(spatial)[i] : inSpatial[i] * strides[i];
        int64_t total = std::max<int64_t>(0, full - outSize[i]);
        padBegin[i] = autoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
      } else if (autoPad == "VALID" || !op.getPads()) {
        outSize[i] = full;
      } else {
        padBegin[i] = (*op.getPads())[i];
        outSize[i] = full - padBegin[i] - (*op.getPads())[i + spatial];
      }
      if (outSize[i] != resultType.getDimSize(2 + i))
        return op.emitError("inferred output size ") << resultType.getDimSize(2 + i) << " in spatial dim " << i
                                                     << " does not match the computed " << outSize[i];
    }

    // Z [N, G, C/G, L...] with L = out + (K-1)*d: X's element i lands at i*s + (K-1)*d - padBegin; the
    // elements that land outside Z feed no output.
    SmallVector<int64_t> xgShape{n, g, cg}, zShape{n, g, cg};
    xgShape.append(inSpatial.begin(), inSpatial.end());
    Value xg = reshapeTo(rewriter, loc, adaptor.getX(), RankedTensorType::get(xgShape, elt));
    SmallVector<int64_t> sliceOff{0, 0, 0}, sliceSize{n, g, cg}, zOff{0, 0, 0}, zStride{1, 1, 1};
    bool empty = false;
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t len = outSize[i] + (kernel[i] - 1) * dilations[i];
      zShape.push_back(len);
      int64_t shift = (kernel[i] - 1) * dilations[i] - padBegin[i];
      // First and last i with 0 <= i*s + shift < len.
      int64_t lo = shift >= 0 ? 0 : (-shift + strides[i] - 1) / strides[i];
      int64_t hiPos = len - 1 - shift;
      int64_t hi = hiPos < 0 ? -1 : std::min(inSpatial[i] - 1, hiPos / strides[i]);
      if (hi < lo) {
        empty = true;
        break;
      }
      sliceOff.push_back(lo);
      sliceSize.push_back(hi - lo + 1);
      zOff.push_back(lo * strides[i] + shift);
      zStride.push_back(strides[i]);
    }
    auto zType = RankedTensorType::get(zShape, elt);
    Value z = filledTensor(rewriter, loc, zType, scalarConstant(rewriter, loc, elt, 0));
    if (!empty) {
      SmallVector<int64_t> ones(zShape.size(), 1);
      auto fold = [&](ArrayRef<int64_t> v) { return getAsIndexOpFoldResult(ctx, v); };
      Value slice = tensor::ExtractSliceOp::create(rewriter, loc, RankedTensorType::get(sliceSize, elt), xg,
                                                   fold(sliceOff), fold(sliceSize), fold(ones));
      z = tensor::InsertSliceOp::create(rewriter, loc, slice, z, fold(zOff), fold(sliceSize), fold(zStride));
    }

    SmallVector<int64_t> wgShape{g, cg, mg}, ygShape{n, g, mg};
    wgShape.append(kernel.begin(), kernel.end());
    ygShape.append(outSize);
    Value wg = reshapeTo(rewriter, loc, adaptor.getW(), RankedTensorType::get(wgShape, elt));
    auto ygType = RankedTensorType::get(ygShape, elt);
    Value init = convInit(rewriter, loc, bias, ygType);

    // Loops: n, g, m, o... (parallel), c, k... (reduction).
    int64_t numLoops = 3 + spatial + 1 + spatial, cLoop = 3 + spatial;
    auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
    SmallVector<AffineExpr> ze{d(0), d(1), d(cLoop)}, we{d(1), d(cLoop), d(2)}, ye{d(0), d(1), d(2)};
    for (int64_t i = 0; i < spatial; ++i) {
      AffineExpr o = d(3 + i), k = d(cLoop + 1 + i);
      // The flip is on Z's side, so that every loop is a plain dim of some operand.
      ze.push_back(o + (getAffineConstantExpr(kernel[i] - 1, ctx) - k) * dilations[i]);
      we.push_back(k);
      ye.push_back(o);
    }
    SmallVector<AffineMap> maps{AffineMap::get(numLoops, 0, ze, ctx), AffineMap::get(numLoops, 0, we, ctx),
                                AffineMap::get(numLoops, 0, ye, ctx)};
    SmallVector<utils::IteratorType> iters(numLoops, utils::IteratorType::parallel);
    for (int64_t i = cLoop; i < numLoops; ++i)
      iters[i] = utils::IteratorType::reduction;
    Value yg =
        linalg::GenericOp::create(rewriter, loc, TypeRange{ygType}, ValueRange{z, wg}, ValueRange{init}, maps, iters,
                                  [](OpBuilder &b, Location l, ValueRange a) {
                                    linalg::YieldOp::create(b, l, multiplyAdd(b, l, a[2], a[0], a[1]));
                                  })
            .getResult(0);
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, yg, resultType));
    return success();
  }
};

} // namespace

void populateConvPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<ConvLowering, ConvTransposeLowering, ConvIntegerLowering, QLinearConvLowering>(converter,
                                                                                              patterns.getContext());
}

} // namespace mcc::lowering
