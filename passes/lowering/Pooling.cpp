//===- Pooling.cpp - onnx pooling (window, global, Lp), MaxUnpool and RoiAlign -> linalg ===//
#include "passes/lowering/LoweringUtils.h"
#include "passes/lowering/Reduction.h"
#include "passes/lowering/RuntimeChecks.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

#include <limits>

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

/// Adds, after the input's map, the map of the window operand: an empty tensor of the kernel's shape that
/// gives the window loops (k...) their bounds.
void addKernelMap(WindowMaps &w, MLIRContext *ctx, int64_t spatial) {
  SmallVector<AffineExpr> ke;
  for (int64_t i = 0; i < spatial; ++i)
    ke.push_back(getAffineDimExpr(2 + spatial + i, ctx));
  w.maps.insert(w.maps.begin() + 1, AffineMap::get(2 + 2 * spatial, 0, ke, ctx));
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
  return resolveWindow(op, xType.getShape().drop_front(2), op.getKernelShape(), op.getStrides(), op.getDilations(),
                       op.getPads(), op.getAutoPad(), yType.getShape().drop_front(2), op.getCeilMode() != 0);
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
    addKernelMap(wm, getContext(), spatial);

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
          Value gt =
              isFloat ? arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, v, acc).getResult()
                      : arith::CmpIOp::create(b, l, uns ? arith::CmpIPredicate::ugt : arith::CmpIPredicate::sgt, v, acc)
                            .getResult();
          SmallVector<Value> yields{arith::SelectOp::create(b, l, gt, v, acc)};
          if (withIndices) {
            // Flat index into the unpadded input: ((n*C + c) * plane) + position in the plane.
            Value idx = arith::AddIOp::create(b, l,
                                              arith::MulIOp::create(b, l, linalg::IndexOp::create(b, l, 0),
                                                                    arith::ConstantIndexOp::create(b, l, channels)),
                                              linalg::IndexOp::create(b, l, 1));
            Value pos = arith::ConstantIndexOp::create(b, l, 0);
            for (int64_t j = 0; j < spatial; ++j) {
              int64_t i = colMajor ? spatial - 1 - j : j;
              Value o = linalg::IndexOp::create(b, l, 2 + i), k = linalg::IndexOp::create(b, l, 2 + spatial + i);
              Value h = arith::AddIOp::create(
                  b, l, arith::MulIOp::create(b, l, o, arith::ConstantIndexOp::create(b, l, geo->strides[i])),
                  arith::MulIOp::create(b, l, k, arith::ConstantIndexOp::create(b, l, geo->dilations[i])));
              h = arith::SubIOp::create(b, l, h, arith::ConstantIndexOp::create(b, l, geo->padBegin[i]));
              pos = arith::AddIOp::create(
                  b, l, arith::MulIOp::create(b, l, pos, arith::ConstantIndexOp::create(b, l, inSpatial[i])), h);
            }
            int64_t plane = 1;
            for (int64_t s : inSpatial)
              plane *= s;
            idx = arith::AddIOp::create(
                b, l, arith::MulIOp::create(b, l, idx, arith::ConstantIndexOp::create(b, l, plane)), pos);
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
    addKernelMap(wm, getContext(), spatial);
    Value sum =
        linalg::GenericOp::create(rewriter, loc, TypeRange{yType}, ValueRange{x, window},
                                  ValueRange{filledTensor(rewriter, loc, yType, zero)}, wm.maps, wm.iters,
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
    Value sum =
        linalg::GenericOp::create(rewriter, loc, TypeRange{reducedType}, ValueRange{adaptor.getX()},
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

/// MaxUnpool: a zero output with every X element stored at its index from I: a flat index over the
/// whole unpooled tensor of the shape MaxPool inverts (kernel, strides, pads), as MaxPool's Indices.
/// An output_shape other than that shape keeps each element at its coordinates (the ONNX example;
/// ONNX Runtime instead reads the index as flat in output_shape). Indices out of range are skipped,
/// and a later element wins over an earlier one at the same index.
struct MaxUnpoolLowering : OpConversionPattern<onnxd::MaxUnpoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::MaxUnpoolOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    auto xType = tensorType(adaptor.getX()), iType = tensorType(adaptor.getI());
    auto yType = loweredType(op.getType());
    Type elt = yType.getElementType();
    int64_t rank = xType.getRank(), spatial = rank - 2;
    if (rank < 3 || iType.getShape() != xType.getShape() || !iType.getElementType().isInteger(64))
      return op.emitError("X must have rank >= 3 and I be int64 of the same shape");
    if ((int64_t)op.getKernelShape().size() != spatial || yType.getRank() != rank ||
        yType.getDimSize(0) != xType.getDimSize(0) || yType.getDimSize(1) != xType.getDimSize(1))
      return op.emitError("kernel_shape or the result shape does not match X");
    // The shape MaxPool inverts, in which the indices are flat.
    SmallVector<int64_t> unpooled{xType.getDimSize(0), xType.getDimSize(1)};
    ArrayRef<int64_t> k = op.getKernelShape();
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t s = op.getStrides() ? (*op.getStrides())[i] : 1;
      int64_t pb = op.getPads() ? (*op.getPads())[i] : 0, pe = op.getPads() ? (*op.getPads())[i + spatial] : 0;
      unpooled.push_back((xType.getDimSize(2 + i) - 1) * s + k[i] - pb - pe);
      if (onnxd::isNoValue(op.getOutputShape()) && unpooled.back() != yType.getDimSize(2 + i))
        return op.emitError("inferred output size ") << yType.getDimSize(2 + i) << " in spatial dim " << i
                                                     << " does not match the computed " << unpooled.back();
    }
    bool sameShape = ArrayRef<int64_t>(unpooled) == yType.getShape();
    int64_t inCount = xType.getNumElements(), outCount = yType.getNumElements();
    Value x = reshapeTo(rewriter, loc, adaptor.getX(), RankedTensorType::get({inCount}, elt));
    Value idx = reshapeTo(rewriter, loc, adaptor.getI(), RankedTensorType::get({inCount}, iType.getElementType()));
    auto flatType = RankedTensorType::get({outCount}, elt);
    Value out = filledTensor(rewriter, loc, flatType, scalarConstant(rewriter, loc, elt, 0));
    Value c0 = arith::ConstantIndexOp::create(rewriter, loc, 0), c1 = arith::ConstantIndexOp::create(rewriter, loc, 1),
          cn = arith::ConstantIndexOp::create(rewriter, loc, inCount);
    auto loop = scf::ForOp::create(
        rewriter, loc, c0, cn, c1, ValueRange{out}, [&](OpBuilder &b, Location l, Value i, ValueRange args) {
          Type i64 = b.getI64Type();
          auto cst = [&](int64_t v) { return scalarConstant(b, l, i64, (double)v); };
          Value flat = tensor::ExtractOp::create(b, l, idx, ValueRange{i});
          int64_t unpooledCount = 1;
          for (int64_t d : unpooled)
            unpooledCount *= d;
          Value inRange =
              arith::AndIOp::create(b, l, arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge, flat, cst(0)),
                                    arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, flat, cst(unpooledCount)));
          Value target = flat;
          if (!sameShape) {
            // Coordinates in the unpooled shape, re-flattened in the output shape.
            Value rem = flat;
            SmallVector<Value> coords(rank);
            for (int64_t d = rank - 1; d >= 0; --d) {
              coords[d] = arith::RemSIOp::create(b, l, rem, cst(unpooled[d]));
              rem = arith::DivSIOp::create(b, l, rem, cst(unpooled[d]));
            }
            target = cst(0);
            for (int64_t d = 0; d < rank; ++d) {
              inRange = arith::AndIOp::create(
                  b, l, inRange,
                  arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, coords[d], cst(yType.getDimSize(d))));
              target =
                  arith::AddIOp::create(b, l, arith::MulIOp::create(b, l, target, cst(yType.getDimSize(d))), coords[d]);
            }
          }
          auto ifOp = scf::IfOp::create(
              b, l, inRange,
              [&](OpBuilder &tb, Location tl) {
                Value v = tensor::ExtractOp::create(tb, tl, x, ValueRange{i});
                Value at = arith::IndexCastOp::create(tb, tl, tb.getIndexType(), target);
                scf::YieldOp::create(tb, tl, tensor::InsertOp::create(tb, tl, v, args[0], ValueRange{at}).getResult());
              },
              [&](OpBuilder &eb, Location el) { scf::YieldOp::create(eb, el, args[0]); });
          scf::YieldOp::create(b, l, ifOp.getResult(0));
        });
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, loop.getResult(0), yType));
    return success();
  }
};

/// RoiAlign as one linalg.generic over (roi, c, ph, pw) whose body averages (or maxes) the bilinear
/// samples of its bin in an scf.for nest; the sampling grid may depend on the roi (sampling_ratio 0).
/// The arithmetic follows ONNX Runtime, max mode included (the max of the weighted corner values).
struct RoiAlignLowering : OpConversionPattern<onnxd::RoiAlignOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::RoiAlignOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    auto xType = tensorType(adaptor.getX()), rType = tensorType(adaptor.getRois());
    auto bType = tensorType(adaptor.getBatchIndices());
    auto yType = loweredType(op.getType());
    auto elt = dyn_cast<FloatType>(yType.getElementType());
    if (!elt || xType.getRank() != 4 || rType.getRank() != 2 || rType.getDimSize(1) != 4 || bType.getRank() != 1 ||
        !bType.getElementType().isInteger() || rType.getElementType() != elt)
      return op.emitError("expects X [N, C, H, W] and rois [R, 4] of one float type and integer batch_indices [R]");
    StringRef mode = op.getMode(), ctm = op.getCoordinateTransformationMode();
    if (mode != "avg" && mode != "max")
      return op.emitError("mode must be avg or max, got '") << mode << "'";
    if (ctm != "half_pixel" && ctm != "output_half_pixel")
      return op.emitError("coordinate_transformation_mode must be half_pixel or output_half_pixel, got '")
             << ctm << "'";
    int64_t numRois = rType.getDimSize(0), n = xType.getDimSize(0), c = xType.getDimSize(1);
    int64_t height = xType.getDimSize(2), width = xType.getDimSize(3);
    int64_t oh = op.getOutputHeight(), ow = op.getOutputWidth(), ratio = op.getSamplingRatio();
    if (yType.getShape() != ArrayRef<int64_t>{numRois, c, oh, ow} || bType.getDimSize(0) != numRois)
      return op.emitError("result type ") << yType << " does not match the inputs";
    if (oh < 1 || ow < 1 || ratio < 0)
      return op.emitError("output sizes must be positive and sampling_ratio non-negative");
    bool halfPixel = ctm == "half_pixel", isMax = mode == "max";
    double spatialScale = op.getSpatialScale().convertToDouble();
    Value x = adaptor.getX(), rois = adaptor.getRois(), batchIdx = adaptor.getBatchIndices();
    // A batch index outside [0, N) returns MCC_ERR_INDEX_OUT_OF_RANGE; the clamp in the body keeps
    // even that case inside X.
    if (failed(checkInRange(rewriter, op, op.getBatchIndices(), batchIdx, 0, n - 1, std::nullopt,
                            RuntimeError::IndexOutOfRange, "batch index")))
      return failure();
    Value init = tensor::EmptyOp::create(rewriter, loc, yType.getShape(), elt);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{yType}, ValueRange{}, ValueRange{init},
        SmallVector<AffineMap>{rewriter.getMultiDimIdentityMap(4)},
        SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel), [&](OpBuilder &b, Location l, ValueRange) {
          Type idxT = b.getIndexType(), i64 = b.getI64Type();
          auto cst = [&](double v) { return scalarConstant(b, l, elt, v); };
          auto cidx = [&](int64_t v) { return arith::ConstantIndexOp::create(b, l, v).getResult(); };
          auto add = [&](Value p, Value q) { return arith::AddFOp::create(b, l, p, q).getResult(); };
          auto sub = [&](Value p, Value q) { return arith::SubFOp::create(b, l, p, q).getResult(); };
          auto mul = [&](Value p, Value q) { return arith::MulFOp::create(b, l, p, q).getResult(); };
          auto div = [&](Value p, Value q) { return arith::DivFOp::create(b, l, p, q).getResult(); };
          Value r = linalg::IndexOp::create(b, l, 0), ch = linalg::IndexOp::create(b, l, 1);
          Value ph = linalg::IndexOp::create(b, l, 2), pw = linalg::IndexOp::create(b, l, 3);
          auto toF = [&](Value index) {
            return arith::SIToFPOp::create(b, l, elt, arith::IndexCastOp::create(b, l, i64, index)).getResult();
          };
          Value offset = cst(halfPixel ? 0.5 : 0.0), scale = cst(spatialScale);
          auto coord = [&](int64_t k) {
            return sub(mul(tensor::ExtractOp::create(b, l, rois, ValueRange{r, cidx(k)}), scale), offset);
          };
          Value startW = coord(0), startH = coord(1), endW = coord(2), endH = coord(3);
          Value roiW = sub(endW, startW), roiH = sub(endH, startH);
          if (!halfPixel) { // malformed rois forced to 1x1
            roiW = arith::MaxNumFOp::create(b, l, roiW, cst(1));
            roiH = arith::MaxNumFOp::create(b, l, roiH, cst(1));
          }
          Value binH = div(roiH, cst((double)oh)), binW = div(roiW, cst((double)ow));
          auto grid = [&](Value roiSize, int64_t pooled) -> Value {
            if (ratio > 0)
              return scalarConstant(b, l, i64, (double)ratio);
            return arith::FPToSIOp::create(b, l, i64, math::CeilOp::create(b, l, div(roiSize, cst((double)pooled))));
          };
          Value gridH = grid(roiH, oh), gridW = grid(roiW, ow);
          Value count =
              arith::MaxSIOp::create(b, l, arith::MulIOp::create(b, l, gridH, gridW), scalarConstant(b, l, i64, 1));
          Value gridHF = arith::SIToFPOp::create(b, l, elt, gridH), gridWF = arith::SIToFPOp::create(b, l, elt, gridW);
          Value bIdx = tensor::ExtractOp::create(b, l, batchIdx, ValueRange{r});
          if (bIdx.getType() != i64)
            bIdx = arith::ExtSIOp::create(b, l, i64, bIdx);
          bIdx = arith::MinSIOp::create(b, l, arith::MaxSIOp::create(b, l, bIdx, scalarConstant(b, l, i64, 0)),
                                        scalarConstant(b, l, i64, (double)(n - 1)));
          Value bI = arith::IndexCastOp::create(b, l, idxT, bIdx);
          Value baseH = add(startH, mul(toF(ph), binH)), baseW = add(startW, mul(toF(pw), binW));
          Value hiH =
              arith::IndexCastOp::create(b, l, idxT, arith::MaxSIOp::create(b, l, gridH, scalarConstant(b, l, i64, 0)));
          Value hiW =
              arith::IndexCastOp::create(b, l, idxT, arith::MaxSIOp::create(b, l, gridW, scalarConstant(b, l, i64, 0)));
          Value initAcc = isMax ? cst(-std::numeric_limits<double>::infinity()) : cst(0);
          auto yLoop = scf::ForOp::create(
              b, l, cidx(0), hiH, cidx(1), ValueRange{initAcc},
              [&](OpBuilder &yb, Location yl, Value iy, ValueRange ya) {
                auto xLoop = scf::ForOp::create(
                    yb, yl, cidx(0), hiW, cidx(1), ValueRange{ya[0]},
                    [&](OpBuilder &xb, Location xl, Value ix, ValueRange xa) {
                      // The helpers above build with `b`: point it into this loop body.
                      OpBuilder::InsertionGuard guard(b);
                      b.setInsertionPointToEnd(xb.getInsertionBlock());
                      Value half = cst(0.5);
                      Value yy = add(baseH, div(mul(add(toF(iy), half), binH), gridHF));
                      Value xx = add(baseW, div(mul(add(toF(ix), half), binW), gridWF));
                      auto lt = [&](Value p, Value q) {
                        return arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, p, q).getResult();
                      };
                      Value outside = arith::OrIOp::create(
                          b, l, arith::OrIOp::create(b, l, lt(yy, cst(-1)), lt(cst((double)height), yy)),
                          arith::OrIOp::create(b, l, lt(xx, cst(-1)), lt(cst((double)width), xx)));
                      // Clamp into the map; the last row/column samples itself.
                      auto corner = [&](Value v, int64_t size, Value &lowI, Value &highI) -> Value {
                        v = arith::MaxNumFOp::create(b, l, v, cst(0));
                        Value low = arith::FPToSIOp::create(b, l, i64, v);
                        Value atEdge = arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge, low,
                                                             scalarConstant(b, l, i64, (double)(size - 1)));
                        Value last = scalarConstant(b, l, i64, (double)(size - 1));
                        low = arith::SelectOp::create(b, l, atEdge, last, low);
                        Value high = arith::SelectOp::create(
                            b, l, atEdge, last, arith::AddIOp::create(b, l, low, scalarConstant(b, l, i64, 1)));
                        v = arith::SelectOp::create(b, l, atEdge, arith::SIToFPOp::create(b, l, elt, low), v);
                        lowI = arith::IndexCastOp::create(b, l, idxT, low);
                        highI = arith::IndexCastOp::create(b, l, idxT, high);
                        return sub(v, arith::SIToFPOp::create(b, l, elt, low)); // the fraction
                      };
                      Value yLow, yHigh, xLow, xHigh;
                      Value ly = corner(yy, height, yLow, yHigh), lx = corner(xx, width, xLow, xHigh);
                      Value hy = sub(cst(1), ly), hx = sub(cst(1), lx);
                      auto at = [&](Value yi, Value xi) {
                        return tensor::ExtractOp::create(b, l, x, ValueRange{bI, ch, yi, xi}).getResult();
                      };
                      Value t1 = mul(mul(hy, hx), at(yLow, xLow)), t2 = mul(mul(hy, lx), at(yLow, xHigh));
                      Value t3 = mul(mul(ly, hx), at(yHigh, xLow)), t4 = mul(mul(ly, lx), at(yHigh, xHigh));
                      Value acc;
                      if (isMax) {
                        Value v = arith::MaximumFOp::create(
                            b, l, arith::MaximumFOp::create(b, l, arith::MaximumFOp::create(b, l, t1, t2), t3), t4);
                        v = arith::SelectOp::create(b, l, outside, cst(0), v);
                        acc = arith::MaximumFOp::create(b, l, xa[0], v);
                      } else {
                        Value v = add(add(add(t1, t2), t3), t4);
                        acc = add(xa[0], arith::SelectOp::create(b, l, outside, cst(0), v));
                      }
                      scf::YieldOp::create(b, l, acc);
                    });
                scf::YieldOp::create(yb, yl, xLoop.getResult(0));
              });
          Value acc = yLoop.getResult(0);
          if (isMax) {
            Value none = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq,
                                               arith::MulIOp::create(b, l, arith::IndexCastOp::create(b, l, i64, hiH),
                                                                     arith::IndexCastOp::create(b, l, i64, hiW)),
                                               scalarConstant(b, l, i64, 0));
            acc = arith::SelectOp::create(b, l, none, cst(0), acc);
          } else {
            acc = div(acc, arith::SIToFPOp::create(b, l, elt, count));
          }
          linalg::YieldOp::create(b, l, acc);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

/// |x|^p for p = 1, 2 or any other positive integer, in the float type of x.
Value absPow(OpBuilder &b, Location loc, Value v, int64_t p) {
  if (p == 2)
    return arith::MulFOp::create(b, loc, v, v);
  Value a = math::AbsFOp::create(b, loc, v);
  if (p == 1)
    return a;
  return math::PowFOp::create(b, loc, a, scalarConstant(b, loc, v.getType(), (double)p));
}

/// s^(1/p), the inverse of absPow on sums.
Value rootP(OpBuilder &b, Location loc, Value s, int64_t p) {
  if (p == 1)
    return s;
  if (p == 2)
    return math::SqrtOp::create(b, loc, s);
  return math::PowFOp::create(b, loc, s, scalarConstant(b, loc, s.getType(), 1.0 / (double)p));
}

/// GlobalMaxPool and GlobalLpPool: a reduction over every spatial dim, kept as size 1.
template <typename OpT> struct GlobalPoolLowering : OpConversionPattern<OpT> {
  using OpConversionPattern<OpT>::OpConversionPattern;
  LogicalResult matchAndRewrite(OpT op, typename OpT::Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    auto inType = tensorType(x);
    auto outType = loweredType(op.getType());
    Type elt = inType.getElementType();
    int64_t rank = inType.getRank();
    if (rank < 2)
      return op.emitError("input must have rank >= 2");
    SmallVector<bool> mask(rank, true);
    mask[0] = mask[1] = false;
    Value r;
    if constexpr (std::is_same_v<OpT, onnxd::GlobalMaxPoolOp>) {
      if (isa<FloatType>(elt))
        r = reduceFloat(rewriter, loc, ReduceKind::Max, x, mask);
      else if (isa<IntegerType>(elt))
        r = reduceInteger(rewriter, loc, ReduceKind::Max, x, mask, isUnsignedElement(op.getX().getType()));
      else
        return op.emitError("element type ") << elt << " is not supported";
    } else {
      auto ft = dyn_cast<FloatType>(elt);
      if (!ft)
        return op.emitError("element type ") << elt << " is not supported";
      int64_t p = op.getP();
      if (p < 1)
        return op.emitError("p must be a positive integer, got ") << p;
      Type acc = accumulatorType(elt);
      Value sum = reduceDims(rewriter, loc, {x}, {}, mask, scalarConstant(rewriter, loc, acc, 0),
                             [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                               return arith::AddFOp::create(b, l, a[1], absPow(b, l, convertFloat(b, l, a[0], acc), p));
                             });
      auto keptType = RankedTensorType::get(keptShape(inType.getShape(), mask), elt);
      r = elementwise(rewriter, loc, keptType, {sum}, [&](OpBuilder &b, Location l, ValueRange a) -> Value {
        return convertFloat(b, l, rootP(b, l, a[0], p), elt);
      });
    }
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, r, outType));
    return success();
  }
};

/// LpPool: (sum of |x|^p over each window)^(1/p); the padding adds zeros. Loops (n, c, out..., k...).
struct LpPoolLowering : OpConversionPattern<onnxd::LpPoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::LpPoolOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    auto xType = tensorType(adaptor.getX());
    auto yType = loweredType(op.getType());
    auto elt = dyn_cast<FloatType>(yType.getElementType());
    if (!elt)
      return op.emitError("element type ") << yType.getElementType() << " is not supported";
    if (xType.getRank() < 3)
      return op.emitError("input must have rank >= 3");
    int64_t p = op.getP();
    if (p < 1)
      return op.emitError("p must be a positive integer, got ") << p;
    auto geo = poolGeometry(op, xType, yType);
    if (failed(geo))
      return failure();
    int64_t spatial = xType.getRank() - 2;
    Type acc = accumulatorType(elt);
    Value x = padForWindows(rewriter, loc, adaptor.getX(), *geo, scalarConstant(rewriter, loc, elt, 0));
    WindowMaps wm = windowMaps(ctx, spatial, *geo, 1);
    addKernelMap(wm, ctx, spatial);
    // The window is an extra input whose shape gives the window loops their bounds.
    Value window = tensor::EmptyOp::create(rewriter, loc, geo->kernel, elt);
    auto accType = RankedTensorType::get(yType.getShape(), acc);
    Value sum =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{accType}, ValueRange{x, window},
            ValueRange{filledTensor(rewriter, loc, accType, scalarConstant(rewriter, loc, acc, 0))}, wm.maps, wm.iters,
            [&](OpBuilder &b, Location l, ValueRange a) {
              Value v = absPow(b, l, convertFloat(b, l, a[0], acc), p);
              linalg::YieldOp::create(b, l, arith::AddFOp::create(b, l, a[2], v).getResult());
            })
            .getResult(0);
    Value y = elementwise(rewriter, loc, yType, {sum}, [&](OpBuilder &b, Location l, ValueRange a) -> Value {
      return convertFloat(b, l, rootP(b, l, a[0], p), elt);
    });
    rewriter.replaceOp(op, y);
    return success();
  }
};

} // namespace

void populatePoolingPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns
      .add<MaxPoolLowering, AveragePoolLowering, GlobalAveragePoolLowering, GlobalPoolLowering<onnxd::GlobalMaxPoolOp>,
           GlobalPoolLowering<onnxd::GlobalLpPoolOp>, LpPoolLowering, MaxUnpoolLowering, RoiAlignLowering>(
          converter, patterns.getContext());
}

} // namespace mcc::lowering
