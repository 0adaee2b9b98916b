//===- Tensor.cpp - onnx shape and data-movement ops -> tensor/linalg -----===//
//
// Constant, Flatten, Reshape, Transpose, Concat. Reshape and Flatten take their static result shape
// from shape inference, which has already resolved 0, -1 and allowzero.
//
//===----------------------------------------------------------------------===//
#include "passes/lowering/LoweringUtils.h"

using namespace mlir;
namespace onnxd = mcc::onnx;

namespace mcc::lowering {
namespace {

struct ConstantLowering : OpConversionPattern<onnxd::ConstantOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::ConstantOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto value = dyn_cast<DenseElementsAttr>(op.getValue());
    if (!value)
      return op.emitError("constant is not a dense tensor");
    if (isUnsignedElement(value.getType()))
      value = value.bitcast(getElementTypeOrSelf(lowerType(value.getType())));
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, value);
    return success();
  }
};

template <typename OnnxOp>
struct ReshapeLikeLowering : OpConversionPattern<OnnxOp> {
  using OpConversionPattern<OnnxOp>::OpConversionPattern;
  LogicalResult matchAndRewrite(OnnxOp op, typename OnnxOp::Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Value input = adaptor.getOperands()[0];
    auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
    if (tensorType(input).getNumElements() != resultType.getNumElements())
      return op.emitError("cannot reshape ") << tensorType(input) << " to " << resultType;
    rewriter.replaceOp(op, reshapeTo(rewriter, op.getLoc(), input, resultType));
    return success();
  }
};

struct TransposeLowering : OpConversionPattern<onnxd::TransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::TransposeOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    auto type = tensorType(adaptor.getData());
    SmallVector<int64_t> perm;
    if (auto p = op.getPerm())
      perm.assign(p->begin(), p->end());
    else
      for (int64_t i = type.getRank() - 1; i >= 0; --i)
        perm.push_back(i);
    auto resultType = loweredType(op.getType());
    Value init = tensor::EmptyOp::create(rewriter, op.getLoc(), resultType.getShape(), resultType.getElementType());
    rewriter.replaceOp(op, linalg::TransposeOp::create(rewriter, op.getLoc(), adaptor.getData(), init, perm)
                               .getResult()[0]);
    return success();
  }
};

struct ConcatLowering : OpConversionPattern<onnxd::ConcatOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::ConcatOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    auto resultType = loweredType(op.getType());
    int64_t rank = resultType.getRank();
    int64_t axis = normalizeAxis(op.getAxis(), rank);
    Value result = tensor::EmptyOp::create(rewriter, loc, resultType.getShape(), resultType.getElementType());
    int64_t offset = 0;
    for (Value in : adaptor.getInputs()) {
      auto t = tensorType(in);
      for (int64_t i = 0; i < rank; ++i)
        if (i != axis && t.getDimSize(i) != resultType.getDimSize(i))
          return op.emitError("input ") << t << " does not fit the concatenation " << resultType;
      if (t.getDimSize(axis) == 0)
        continue;
      SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0)), sizes, strides(rank, rewriter.getIndexAttr(1));
      offsets[axis] = rewriter.getIndexAttr(offset);
      for (int64_t s : t.getShape())
        sizes.push_back(rewriter.getIndexAttr(s));
      result = tensor::InsertSliceOp::create(rewriter, loc, in, result, offsets, sizes, strides);
      offset += t.getDimSize(axis);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void populateTensorPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<ConstantLowering, ReshapeLikeLowering<onnxd::FlattenOp>, ReshapeLikeLowering<onnxd::ReshapeOp>,
               TransposeLowering, ConcatLowering>(converter, patterns.getContext());
}

} // namespace mcc::lowering
