//===- Normalization.cpp - onnx BatchNormalization, Softmax -> linalg -----===//
#include "passes/lowering/LoweringUtils.h"

using namespace mlir;
namespace onnxd = mcc::onnx;

namespace mcc::lowering {
namespace {

/// y = x * a[c] + b[c] with a = scale / sqrt(var + eps) and b = B - mean * a computed once per channel.
struct BatchNormLowering : OpConversionPattern<onnxd::BatchNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::BatchNormalizationOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    if (!onnxd::isNoValue(op.getRunningMean()) || !onnxd::isNoValue(op.getRunningVar()))
      return op.emitError("running_mean/running_var outputs exist only in training mode");
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    auto xType = tensorType(adaptor.getX());
    auto elt = dyn_cast<FloatType>(xType.getElementType());
    if (!elt)
      return op.emitError("element type ") << xType.getElementType() << " is not supported";
    int64_t channels = xType.getDimSize(1);
    for (Value v : {adaptor.getScale(), adaptor.getB(), adaptor.getInputMean(), adaptor.getInputVar()})
      if (tensorType(v).getDimSize(0) != channels || tensorType(v).getElementType() != elt)
        return op.emitError("scale, B, mean and var must have ") << channels << " elements of " << elt;
    auto chanType = RankedTensorType::get({channels}, elt);
    Value eps = scalarConstant(rewriter, loc, elt, op.getEpsilon().convertToDouble());
    Value a = elementwise(rewriter, loc, chanType, {adaptor.getScale(), adaptor.getInputVar()},
                          [&](OpBuilder &b, Location l, ValueRange v) -> Value {
                            Value s = math::SqrtOp::create(b, l, arith::AddFOp::create(b, l, v[1], eps));
                            return arith::DivFOp::create(b, l, v[0], s);
                          });
    Value shift = elementwise(rewriter, loc, chanType, {adaptor.getB(), adaptor.getInputMean(), a},
                              [&](OpBuilder &b, Location l, ValueRange v) -> Value {
                                return arith::SubFOp::create(b, l, v[0], arith::MulFOp::create(b, l, v[1], v[2]));
                              });
    int64_t rank = xType.getRank();
    auto chanMap = AffineMap::get(rank, 0, {getAffineDimExpr(1, ctx)}, ctx);
    auto id = rewriter.getMultiDimIdentityMap(rank);
    Value empty = tensor::EmptyOp::create(rewriter, loc, xType.getShape(), elt);
    Value y = linalg::GenericOp::create(
                  rewriter, loc, TypeRange{xType}, ValueRange{adaptor.getX(), a, shift}, ValueRange{empty},
                  SmallVector<AffineMap>{id, chanMap, chanMap, id},
                  SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
                  [](OpBuilder &b, Location l, ValueRange v) {
                    Value r = arith::AddFOp::create(b, l, arith::MulFOp::create(b, l, v[0], v[1]), v[2]);
                    linalg::YieldOp::create(b, l, r);
                  })
                  .getResult(0);
    Value none = onnxd::NoValueOp::create(rewriter, loc, rewriter.getNoneType());
    rewriter.replaceOp(op, {y, none, none});
    return success();
  }
};

/// Softmax along one axis: max, exp(x - max), sum, divide.
struct SoftmaxLowering : OpConversionPattern<onnxd::SoftmaxOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::SoftmaxOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    auto type = tensorType(adaptor.getInput());
    auto elt = dyn_cast<FloatType>(type.getElementType());
    if (!elt)
      return op.emitError("element type ") << type.getElementType() << " is not supported";
    int64_t rank = type.getRank();
    if (rank == 0)
      return op.emitError("input must have rank >= 1");
    int64_t axis = normalizeAxis(op.getAxis(), rank);
    if (axis < 0 || axis >= rank)
      return op.emitError("axis ") << op.getAxis() << " out of range for rank " << rank;
    SmallVector<int64_t> redShape;
    SmallVector<AffineExpr> redExprs;
    for (int64_t i = 0; i < rank; ++i)
      if (i != axis) {
        redShape.push_back(type.getDimSize(i));
        redExprs.push_back(getAffineDimExpr(i, ctx));
      }
    auto redType = RankedTensorType::get(redShape, elt);
    auto id = rewriter.getMultiDimIdentityMap(rank);
    auto redMap = AffineMap::get(rank, 0, redExprs, ctx);
    SmallVector<utils::IteratorType> redIters(rank, utils::IteratorType::parallel);
    redIters[axis] = utils::IteratorType::reduction;
    SmallVector<utils::IteratorType> parIters(rank, utils::IteratorType::parallel);

    Value mx = linalg::GenericOp::create(rewriter, loc, TypeRange{redType}, ValueRange{adaptor.getInput()},
                                         ValueRange{filledTensor(rewriter, loc, redType, lowestValue(rewriter, loc, elt))},
                                         SmallVector<AffineMap>{id, redMap}, redIters,
                                         [](OpBuilder &b, Location l, ValueRange a) {
                                           linalg::YieldOp::create(b, l, arith::MaximumFOp::create(b, l, a[0], a[1]).getResult());
                                         })
                   .getResult(0);
    Value e = linalg::GenericOp::create(rewriter, loc, TypeRange{type}, ValueRange{adaptor.getInput(), mx},
                                        ValueRange{tensor::EmptyOp::create(rewriter, loc, type.getShape(), elt)},
                                        SmallVector<AffineMap>{id, redMap, id}, parIters,
                                        [](OpBuilder &b, Location l, ValueRange a) {
                                          Value d = arith::SubFOp::create(b, l, a[0], a[1]);
                                          linalg::YieldOp::create(b, l, math::ExpOp::create(b, l, d).getResult());
                                        })
                  .getResult(0);
    Value sum = linalg::GenericOp::create(rewriter, loc, TypeRange{redType}, ValueRange{e},
                                          ValueRange{filledTensor(rewriter, loc, redType, scalarConstant(rewriter, loc, elt, 0))},
                                          SmallVector<AffineMap>{id, redMap}, redIters,
                                          [](OpBuilder &b, Location l, ValueRange a) {
                                            linalg::YieldOp::create(b, l, arith::AddFOp::create(b, l, a[0], a[1]).getResult());
                                          })
                    .getResult(0);
    Value y = linalg::GenericOp::create(rewriter, loc, TypeRange{type}, ValueRange{e, sum},
                                        ValueRange{tensor::EmptyOp::create(rewriter, loc, type.getShape(), elt)},
                                        SmallVector<AffineMap>{id, redMap, id}, parIters,
                                        [](OpBuilder &b, Location l, ValueRange a) {
                                          linalg::YieldOp::create(b, l, arith::DivFOp::create(b, l, a[0], a[1]).getResult());
                                        })
                  .getResult(0);
    rewriter.replaceOp(op, y);
    return success();
  }
};

} // namespace

void populateNormalizationPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<BatchNormLowering, SoftmaxLowering>(converter, patterns.getContext());
}

} // namespace mcc::lowering
