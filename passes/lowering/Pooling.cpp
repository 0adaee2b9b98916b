//===- Pooling.cpp - onnx MaxPool, AveragePool, GlobalAveragePool -> linalg ===//
#include "passes/lowering/LoweringUtils.h"

using namespace mlir;
namespace onnxd = mcc::onnx;

namespace mcc::lowering {
namespace {

/// The iteration space shared by the window ops: (n, c, out..., k...), input read at
/// out*stride + k*dilation of the padded input.
struct WindowMaps {
  SmallVector<AffineMap> maps; // input, then one per output
  SmallVector<utils::IteratorType> iters;
};

WindowMaps windowMaps(MLIRContext *ctx, int64_t spatial, const WindowGeometry &geo, int64_t numOutputs) {
  int64_t numLoops = 2 + 2 * spatial;
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineExpr> xe{d(0), d(1)}, ye{d(0), d(1)};
  for (int64_t i = 0; i < spatial; ++i) {
    xe.push_back(d(2 + i) * geo.strides[i] + d(2 + spatial + i) * geo.dilations[i]);
    ye.push_back(d(2 + i));
  }
  WindowMaps w;
  w.maps.push_back(AffineMap::get(numLoops, 0, xe, ctx));
  for (int64_t i = 0; i < numOutputs; ++i)
    w.maps.push_back(AffineMap::get(numLoops, 0, ye, ctx));
  w.iters.assign(numLoops, utils::IteratorType::parallel);
  for (int64_t i = 2 + spatial; i < numLoops; ++i)
    w.iters[i] = utils::IteratorType::reduction;
  return w;
}

/// Pads the input so that every window, ceil-mode ones included, reads in bounds.
Value padForWindows(OpBuilder &b, Location loc, Value x, const WindowGeometry &geo, Value padValue) {
  auto type = tensorType(x);
  int64_t spatial = type.getRank() - 2;
  SmallVector<int64_t> low{0, 0}, high{0, 0};
  for (int64_t i = 0; i < spatial; ++i) {
    int64_t need = (geo.outSize[i] - 1) * geo.strides[i] + (geo.kernel[i] - 1) * geo.dilations[i] + 1;
    int64_t have = type.getDimSize(2 + i) + geo.padBegin[i] + geo.padEnd[i];
    low.push_back(geo.padBegin[i]);
    high.push_back(geo.padEnd[i] + std::max<int64_t>(0, need - have));
  }
  return padTensor(b, loc, x, low, high, padValue);
}

template <typename PoolOp>
FailureOr<WindowGeometry> poolGeometry(PoolOp op, RankedTensorType xType, RankedTensorType yType) {
  if (xType.getRank() < 3)
    return op.emitError("input must have rank >= 3"), failure();
  return resolveWindow(op, xType.getShape().drop_front(2), op.getKernelShape(), op.getStrides(),
                       op.getDilations(), op.getPads(), op.getAutoPad(), yType.getShape().drop_front(2),
                       op.getCeilMode() != 0);
}

struct MaxPoolLowering : OpConversionPattern<onnxd::MaxPoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::MaxPoolOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    auto xType = tensorType(adaptor.getX());
    auto yType = loweredType(op.getY().getType());
    Type elt = yType.getElementType();
    auto geo = poolGeometry(op, xType, yType);
    if (failed(geo))
      return failure();
    int64_t spatial = xType.getRank() - 2;
    bool withIndices = !onnxd::isNoValue(op.getIndices());
    if (withIndices && op.getStorageOrder() != 0 && op.getStorageOrder() != 1)
      return op.emitError("storage_order must be 0 or 1");
    bool uns = isUnsignedElement(op.getX().getType());
    Value lowest = lowestValue(rewriter, loc, elt, uns);
    Value x = padForWindows(rewriter, loc, adaptor.getX(), *geo, lowest);
    WindowMaps wm = windowMaps(getContext(), spatial, *geo, withIndices ? 2 : 1);

    // The window is an extra input whose shape gives the reduction loops their bounds.
    SmallVector<Value> inputs{x};
    Value window = tensor::EmptyOp::create(rewriter, loc, geo->kernel, elt);
    inputs.push_back(window);
    SmallVector<AffineExpr> ke;
    for (int64_t i = 0; i < spatial; ++i)
      ke.push_back(getAffineDimExpr(2 + spatial + i, getContext()));
    wm.maps.insert(wm.maps.begin() + 1, AffineMap::get(2 + 2 * spatial, 0, ke, getContext()));

    SmallVector<Value> inits{filledTensor(rewriter, loc, yType, lowest)};
    SmallVector<Type> types{yType};
    RankedTensorType iType;
    if (withIndices) {
      iType = loweredType(op.getIndices().getType());
      inits.push_back(filledTensor(rewriter, loc, iType, scalarConstant(rewriter, loc, iType.getElementType(), 0)));
      types.push_back(iType);
    }
    bool isFloat = isa<FloatType>(elt);
    int64_t channels = xType.getDimSize(1);
    ArrayRef<int64_t> inSpatial = xType.getShape().drop_front(2);
    bool colMajor = op.getStorageOrder() == 1;
    auto generic = linalg::GenericOp::create(
        rewriter, loc, types, inputs, inits, wm.maps, wm.iters, [&](OpBuilder &b, Location l, ValueRange a) {
          Value v = a[0], acc = a[2];
          // Strictly greater: the first maximum wins, and NaN never replaces a number (as ONNX Runtime).
          Value gt = isFloat ? arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, v, acc).getResult()
                             : arith::CmpIOp::create(b, l, uns ? arith::CmpIPredicate::ugt : arith::CmpIPredicate::sgt, v, acc).getResult();
          SmallVector<Value> yields{arith::SelectOp::create(b, l, gt, v, acc)};
          if (withIndices) {
            // Flat index into the unpadded input: ((n*C + c) * plane) + position in the plane.
            Value idx = arith::AddIOp::create(
                b, l, arith::MulIOp::create(b, l, linalg::IndexOp::create(b, l, 0), arith::ConstantIndexOp::create(b, l, channels)),
                linalg::IndexOp::create(b, l, 1));
            Value pos = arith::ConstantIndexOp::create(b, l, 0);
            for (int64_t j = 0; j < spatial; ++j) {
              int64_t i = colMajor ? spatial - 1 - j : j;
              Value o = linalg::IndexOp::create(b, l, 2 + i), k = linalg::IndexOp::create(b, l, 2 + spatial + i);
              Value h = arith::AddIOp::create(
                  b, l, arith::MulIOp::create(b, l, o, arith::ConstantIndexOp::create(b, l, geo->strides[i])),
                  arith::MulIOp::create(b, l, k, arith::ConstantIndexOp::create(b, l, geo->dilations[i])));
              h = arith::SubIOp::create(b, l, h, arith::ConstantIndexOp::create(b, l, geo->padBegin[i]));
              pos = arith::AddIOp::create(b, l, arith::MulIOp::create(b, l, pos, arith::ConstantIndexOp::create(b, l, inSpatial[i])), h);
            }
            int64_t plane = 1;
            for (int64_t s : inSpatial)
              plane *= s;
            idx = arith::AddIOp::create(b, l, arith::MulIOp::create(b, l, idx, arith::ConstantIndexOp::create(b, l, plane)), pos);
            Value idx64 = arith::IndexCastOp::create(b, l, iType.getElementType(), idx);
            yields.push_back(arith::SelectOp::create(b, l, gt, idx64, a[3]));
          }
          linalg::YieldOp::create(b, l, yields);
        });
    SmallVector<Value> results{generic.getResult(0)};
    results.push_back(withIndices ? generic.getResult(1)
                                  : onnxd::NoValueOp::create(rewriter, loc, rewriter.getNoneType()).getResult());
    rewriter.replaceOp(op, results);
    return success();
  }
};

struct AveragePoolLowering : OpConversionPattern<onnxd::AveragePoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::AveragePoolOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    auto xType = tensorType(adaptor.getX());
    auto yType = loweredType(op.getType());
    auto elt = dyn_cast<FloatType>(yType.getElementType());
    if (!elt)
      return op.emitError("element type ") << yType.getElementType() << " is not supported";
    auto geo = poolGeometry(op, xType, yType);
    if (failed(geo))
      return failure();
    int64_t spatial = xType.getRank() - 2;
    Value zero = scalarConstant(rewriter, loc, elt, 0);
    Value x = padForWindows(rewriter, loc, adaptor.getX(), *geo, zero);
    WindowMaps wm = windowMaps(getContext(), spatial, *geo, 1);
    Value window = tensor::EmptyOp::create(rewriter, loc, geo->kernel, elt);
    SmallVector<AffineExpr> ke;
    for (int64_t i = 0; i < spatial; ++i)
      ke.push_back(getAffineDimExpr(2 + spatial + i, getContext()));
    wm.maps.insert(wm.maps.begin() + 1, AffineMap::get(2 + 2 * spatial, 0, ke, getContext()));
    Value sum = linalg::GenericOp::create(
                    rewriter, loc, TypeRange{yType}, ValueRange{x, window}, ValueRange{filledTensor(rewriter, loc, yType, zero)},
                    wm.maps, wm.iters,
                    [](OpBuilder &b, Location l, ValueRange a) {
                      linalg::YieldOp::create(b, l, arith::AddFOp::create(b, l, a[2], a[0]).getResult());
                    })
                    .getResult(0);

    // The divisor of each output position, known at compile time: the window's taps that fall in the
    // input (count_include_pad=0) or in the input plus its explicit padding (count_include_pad=1).
    ArrayRef<int64_t> inSpatial = xType.getShape().drop_front(2);
    bool includePad = op.getCountIncludePad() != 0;
    int64_t numOut = 1;
    for (int64_t o : geo->outSize)
      numOut *= o;
    SmallVector<APFloat> divisors;
    SmallVector<int64_t> pos(spatial, 0);
    for (int64_t flat = 0; flat < numOut; ++flat) {
      int64_t rem = flat;
      for (int64_t i = spatial - 1; i >= 0; --i) {
        pos[i] = rem % geo->outSize[i];
        rem /= geo->outSize[i];
      }
      double count = 1;
      for (int64_t i = 0; i < spatial; ++i) {
        int64_t lo = includePad ? -geo->padBegin[i] : 0;
        int64_t hi = includePad ? inSpatial[i] + geo->padEnd[i] : inSpatial[i];
        int64_t taps = 0;
        for (int64_t k = 0; k < geo->kernel[i]; ++k) {
          int64_t h = pos[i] * geo->strides[i] + k * geo->dilations[i] - geo->padBegin[i];
          taps += (h >= lo && h < hi);
        }
        count *= taps;
      }
      APFloat f(count);
      bool lost;
      f.convert(elt.getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
      divisors.push_back(f);
    }
    auto divType = RankedTensorType::get(geo->outSize, elt);
    Value div = arith::ConstantOp::create(rewriter, loc, DenseElementsAttr::get(divType, divisors));
    Value r = elementwise(rewriter, loc, yType, {sum, div}, [](OpBuilder &b, Location l, ValueRange a) -> Value {
      return arith::DivFOp::create(b, l, a[0], a[1]);
    });
    rewriter.replaceOp(op, r);
    return success();
  }
};

struct GlobalAveragePoolLowering : OpConversionPattern<onnxd::GlobalAveragePoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::GlobalAveragePoolOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    auto xType = tensorType(adaptor.getX());
    auto yType = loweredType(op.getType());
    auto elt = dyn_cast<FloatType>(yType.getElementType());
    if (!elt || xType.getRank() < 2)
      return op.emitError("expects a float input of rank >= 2");
    int64_t rank = xType.getRank();
    auto reducedType = RankedTensorType::get({xType.getDimSize(0), xType.getDimSize(1)}, elt);
    Value zero = scalarConstant(rewriter, loc, elt, 0);
    SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::reduction);
    iters[0] = iters[1] = utils::IteratorType::parallel;
    SmallVector<AffineMap> maps{rewriter.getMultiDimIdentityMap(rank),
                                AffineMap::get(rank, 0, {getAffineDimExpr(0, ctx), getAffineDimExpr(1, ctx)}, ctx)};
    Value sum = linalg::GenericOp::create(rewriter, loc, TypeRange{reducedType}, ValueRange{adaptor.getX()},
                                          ValueRange{filledTensor(rewriter, loc, reducedType, zero)}, maps, iters,
                                          [](OpBuilder &b, Location l, ValueRange a) {
                                            linalg::YieldOp::create(b, l, arith::AddFOp::create(b, l, a[1], a[0]).getResult());
                                          })
                    .getResult(0);
    int64_t count = 1;
    for (int64_t i = 2; i < rank; ++i)
      count *= xType.getDimSize(i);
    Value n = scalarConstant(rewriter, loc, elt, (double)count);
    Value mean = elementwise(rewriter, loc, reducedType, {sum}, [&](OpBuilder &b, Location l, ValueRange a) -> Value {
      return arith::DivFOp::create(b, l, a[0], n);
    });
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, mean, yType));
    return success();
  }
};

} // namespace

void populatePoolingPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<MaxPoolLowering, AveragePoolLowering, GlobalAveragePoolLowering>(converter, patterns.getContext());
}

} // namespace mcc::lowering
