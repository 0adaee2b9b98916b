//===- Conv.cpp - onnx Conv -> linalg -------------------------------------===//
//
// Every Conv (1-D to 3-D and beyond, any group, stride, dilation, padding) is one linalg.generic over
// (n, g, m, out..., c, k...) on views [N, G, C/G, in...] and [G, M/G, C/G, k...], so grouped and
// depthwise convolutions share the code of the dense one.
//
//===----------------------------------------------------------------------===//
#include "passes/lowering/LoweringUtils.h"

using namespace mlir;
namespace onnxd = mcc::onnx;

namespace mcc::lowering {
namespace {

struct ConvLowering : OpConversionPattern<onnxd::ConvOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::ConvOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    auto xType = tensorType(adaptor.getX()), wType = tensorType(adaptor.getW());
    auto resultType = loweredType(op.getType());
    Type elt = resultType.getElementType();
    if (!isa<FloatType>(elt))
      return op.emitError("element type ") << elt << " is not supported (use ConvInteger for integers)";
    int64_t spatial = xType.getRank() - 2;
    int64_t n = xType.getDimSize(0), c = xType.getDimSize(1), m = wType.getDimSize(0);
    int64_t g = op.getGroup(), cg = c / g, mg = m / g;
    ArrayRef<int64_t> kernel = wType.getShape().drop_front(2);
    if (auto ks = op.getKernelShape(); ks && *ks != kernel)
      return op.emitError("kernel_shape does not match the weight shape");
    auto geo = resolveWindow(op, xType.getShape().drop_front(2), kernel, op.getStrides(), op.getDilations(),
                             op.getPads(), op.getAutoPad(), resultType.getShape().drop_front(2), false);
    if (failed(geo))
      return failure();

    SmallVector<int64_t> low{0, 0}, high{0, 0};
    low.append(geo->padBegin);
    high.append(geo->padEnd);
    Value x = padTensor(rewriter, loc, adaptor.getX(), low, high, scalarConstant(rewriter, loc, elt, 0));
    auto paddedType = tensorType(x);

    // Grouped views.
    SmallVector<int64_t> xgShape{n, g, cg};
    xgShape.append(paddedType.getShape().begin() + 2, paddedType.getShape().end());
    SmallVector<int64_t> wgShape{g, mg, cg};
    wgShape.append(kernel.begin(), kernel.end());
    SmallVector<int64_t> ygShape{n, g, mg};
    ygShape.append(geo->outSize);
    Value xg = reshapeTo(rewriter, loc, x, RankedTensorType::get(xgShape, elt));
    Value wg = reshapeTo(rewriter, loc, adaptor.getW(), RankedTensorType::get(wgShape, elt));
    auto ygType = RankedTensorType::get(ygShape, elt);

    // Initial value: the bias broadcast over (n, g, m, out...), or zero.
    Value init;
    if (!onnxd::isNoValue(op.getB())) {
      Value bias = reshapeTo(rewriter, loc, adaptor.getB(), RankedTensorType::get({g, mg}, elt));
      SmallVector<AffineExpr> be{getAffineDimExpr(1, ctx), getAffineDimExpr(2, ctx)};
      auto bmap = AffineMap::get(ygType.getRank(), 0, be, ctx);
      Value empty = tensor::EmptyOp::create(rewriter, loc, ygShape, elt);
      init = linalg::GenericOp::create(
                 rewriter, loc, TypeRange{ygType}, ValueRange{bias}, ValueRange{empty},
                 SmallVector<AffineMap>{bmap, rewriter.getMultiDimIdentityMap(ygType.getRank())},
                 SmallVector<utils::IteratorType>(ygType.getRank(), utils::IteratorType::parallel),
                 [](OpBuilder &b, Location l, ValueRange a) { linalg::YieldOp::create(b, l, a[0]); })
                 .getResult(0);
    } else {
      init = filledTensor(rewriter, loc, ygType, scalarConstant(rewriter, loc, elt, 0));
    }

    // Loops: n, g, m, o_0..o_{s-1} (parallel), c, k_0..k_{s-1} (reduction).
    int64_t numLoops = 3 + spatial + 1 + spatial;
    auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
    int64_t cLoop = 3 + spatial;
    SmallVector<AffineExpr> xe{d(0), d(1), d(cLoop)}, we{d(1), d(2), d(cLoop)}, ye{d(0), d(1), d(2)};
    for (int64_t i = 0; i < spatial; ++i) {
      AffineExpr o = d(3 + i), k = d(cLoop + 1 + i);
      xe.push_back(o * geo->strides[i] + k * geo->dilations[i]);
      we.push_back(k);
      ye.push_back(o);
    }
    SmallVector<AffineMap> maps{AffineMap::get(numLoops, 0, xe, ctx), AffineMap::get(numLoops, 0, we, ctx),
                                AffineMap::get(numLoops, 0, ye, ctx)};
    SmallVector<utils::IteratorType> iters(numLoops, utils::IteratorType::parallel);
    for (int64_t i = cLoop; i < numLoops; ++i)
      iters[i] = utils::IteratorType::reduction;
    Value yg = linalg::GenericOp::create(
                   rewriter, loc, TypeRange{ygType}, ValueRange{xg, wg}, ValueRange{init}, maps, iters,
                   [](OpBuilder &b, Location l, ValueRange a) {
                     Value p = arith::MulFOp::create(b, l, a[0], a[1]);
                     linalg::YieldOp::create(b, l, arith::AddFOp::create(b, l, a[2], p).getResult());
                   })
                   .getResult(0);
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, yg, resultType));
    return success();
  }
};

} // namespace

void populateConvPatterns(const TypeConverter &converter, RewritePatternSet &patterns) { patterns.add<ConvLowering>(converter, patterns.getContext()); }

} // namespace mcc::lowering
