//===- Elementwise.cpp - onnx elementwise ops -> linalg.generic -----------===//
//
// Add, Sub, Mul, Div (numpy broadcasting), Relu, Sigmoid, Tanh, Clip, Identity, Dropout.
//
//===----------------------------------------------------------------------===//
#include "passes/lowering/LoweringUtils.h"

using namespace mlir;
namespace onnxd = mcc::onnx;

namespace mcc::lowering {
namespace {


template <typename OnnxOp>
struct BinaryLowering : OpConversionPattern<OnnxOp> {
  using OpConversionPattern<OnnxOp>::OpConversionPattern;
  LogicalResult matchAndRewrite(OnnxOp op, typename OnnxOp::Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto resultType = loweredType(op.getType());
    // The onnx element type: it still says whether integers are unsigned.
    Type elt = getElementTypeOrSelf(op.getType());
    if (!elt.isIntOrFloat() || elt.isInteger(1))
      return op.emitError("element type ") << elt << " is not supported";
    Value r = elementwise(rewriter, op.getLoc(), resultType, {adaptor.getA(), adaptor.getB()},
                          [&](OpBuilder &b, Location loc, ValueRange a) -> Value {
                            return compute(b, loc, elt, a[0], a[1]);
                          });
    rewriter.replaceOp(op, r);
    return success();
  }
  static Value compute(OpBuilder &b, Location loc, Type elt, Value x, Value y);
};

template <>
Value BinaryLowering<onnxd::AddOp>::compute(OpBuilder &b, Location loc, Type elt, Value x, Value y) {
  return isa<FloatType>(elt) ? arith::AddFOp::create(b, loc, x, y).getResult()
                             : arith::AddIOp::create(b, loc, x, y).getResult();
}
template <>
Value BinaryLowering<onnxd::SubOp>::compute(OpBuilder &b, Location loc, Type elt, Value x, Value y) {
  return isa<FloatType>(elt) ? arith::SubFOp::create(b, loc, x, y).getResult()
                             : arith::SubIOp::create(b, loc, x, y).getResult();
}
template <>
Value BinaryLowering<onnxd::MulOp>::compute(OpBuilder &b, Location loc, Type elt, Value x, Value y) {
  return isa<FloatType>(elt) ? arith::MulFOp::create(b, loc, x, y).getResult()
                             : arith::MulIOp::create(b, loc, x, y).getResult();
}
template <>
Value BinaryLowering<onnxd::DivOp>::compute(OpBuilder &b, Location loc, Type elt, Value x, Value y) {
  if (isa<FloatType>(elt))
    return arith::DivFOp::create(b, loc, x, y);
  // Integer division truncates toward zero, as ONNX Runtime does.
  return elt.isUnsignedInteger() ? arith::DivUIOp::create(b, loc, x, y).getResult()
                         : arith::DivSIOp::create(b, loc, x, y).getResult();
}

template <typename OnnxOp>
struct UnaryLowering : OpConversionPattern<OnnxOp> {
  using OpConversionPattern<OnnxOp>::OpConversionPattern;
  LogicalResult matchAndRewrite(OnnxOp op, typename OnnxOp::Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto resultType = loweredType(op.getType());
    Type elt = resultType.getElementType();
    if (!isa<FloatType>(elt) && !std::is_same_v<OnnxOp, onnxd::ReluOp>)
      return op.emitError("element type ") << elt << " is not supported";
    Value r = elementwise(rewriter, op.getLoc(), resultType, {adaptor.getX()},
                          [&](OpBuilder &b, Location loc, ValueRange a) -> Value {
                            return compute(b, loc, elt, a[0]);
                          });
    rewriter.replaceOp(op, r);
    return success();
  }
  static Value compute(OpBuilder &b, Location loc, Type elt, Value x);
};

template <>
Value UnaryLowering<onnxd::ReluOp>::compute(OpBuilder &b, Location loc, Type elt, Value x) {
  Value zero = scalarConstant(b, loc, elt, 0);
  if (isa<FloatType>(elt)) {
    // x > 0 ? x : 0, so that NaN stays NaN.
    Value gt = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UGT, x, zero);
    return arith::SelectOp::create(b, loc, gt, x, zero);
  }
  return arith::MaxSIOp::create(b, loc, x, zero);
}
template <>
Value UnaryLowering<onnxd::SigmoidOp>::compute(OpBuilder &b, Location loc, Type elt, Value x) {
  Value one = scalarConstant(b, loc, elt, 1);
  Value neg = arith::NegFOp::create(b, loc, x);
  Value e = math::ExpOp::create(b, loc, neg);
  Value den = arith::AddFOp::create(b, loc, one, e);
  return arith::DivFOp::create(b, loc, one, den);
}
template <>
Value UnaryLowering<onnxd::TanhOp>::compute(OpBuilder &b, Location loc, Type elt, Value x) {
  return math::TanhOp::create(b, loc, x);
}

/// Reads the single element of a 0-d or 1-element bound tensor.
Value extractScalar(OpBuilder &b, Location loc, Value t) {
  auto type = tensorType(t);
  if (type.getNumElements() != 1)
    return {};
  SmallVector<Value> idx(type.getRank(), arith::ConstantIndexOp::create(b, loc, 0));
  return tensor::ExtractOp::create(b, loc, t, idx);
}

struct ClipLowering : OpConversionPattern<onnxd::ClipOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::ClipOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = loweredType(op.getType());
    Type elt = resultType.getElementType();
    if (!elt.isIntOrFloat() || elt.isInteger(1))
      return op.emitError("element type ") << elt << " is not supported";
    Value lo, hi;
    if (!onnxd::isNoValue(op.getMin()) && !(lo = extractScalar(rewriter, loc, adaptor.getMin())))
      return op.emitError("min must be a scalar");
    if (!onnxd::isNoValue(op.getMax()) && !(hi = extractScalar(rewriter, loc, adaptor.getMax())))
      return op.emitError("max must be a scalar");
    bool isFloat = isa<FloatType>(elt), uns = isUnsignedElement(op.getType());
    Value r = elementwise(rewriter, loc, resultType, {adaptor.getInput()},
                          [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                            Value v = a[0];
                            // Compare-and-select keeps NaN inputs NaN, as ONNX requires.
                            if (lo) {
                              Value lt = isFloat ? arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, v, lo).getResult()
                                                 : arith::CmpIOp::create(b, l, uns ? arith::CmpIPredicate::ult : arith::CmpIPredicate::slt, v, lo).getResult();
                              v = arith::SelectOp::create(b, l, lt, lo, v);
                            }
                            if (hi) {
                              Value gt = isFloat ? arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, v, hi).getResult()
                                                 : arith::CmpIOp::create(b, l, uns ? arith::CmpIPredicate::ugt : arith::CmpIPredicate::sgt, v, hi).getResult();
                              v = arith::SelectOp::create(b, l, gt, hi, v);
                            }
                            return v;
                          });
    rewriter.replaceOp(op, r);
    return success();
  }
};

struct IdentityLowering : OpConversionPattern<onnxd::IdentityOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::IdentityOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, adaptor.getX());
    return success();
  }
};

/// Dropout at inference is the identity, and its mask is all true. A training_mode input that is not
/// a constant false would need random numbers: rejected.
struct DropoutLowering : OpConversionPattern<onnxd::DropoutOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::DropoutOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (!onnxd::isNoValue(op.getTrainingMode())) {
      auto c = op.getTrainingMode().getDefiningOp<onnxd::ConstantOp>();
      auto dense = c ? dyn_cast<DenseElementsAttr>(c.getValue()) : DenseElementsAttr();
      if (!dense || !dense.isSplat() || dense.getSplatValue<bool>())
        return op.emitError("Dropout with training_mode not a constant false is not supported");
    }
    SmallVector<Value> results{adaptor.getData()};
    if (!onnxd::isNoValue(op.getMask())) {
      auto maskType = loweredType(op.getMask().getType());
      Value t = arith::ConstantOp::create(rewriter, op.getLoc(), rewriter.getIntegerAttr(maskType.getElementType(), 1));
      results.push_back(filledTensor(rewriter, op.getLoc(), maskType, t));
    } else {
      results.push_back(onnxd::NoValueOp::create(rewriter, op.getLoc(), rewriter.getNoneType()));
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

} // namespace

void populateElementwisePatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<BinaryLowering<onnxd::AddOp>, BinaryLowering<onnxd::SubOp>, BinaryLowering<onnxd::MulOp>,
               BinaryLowering<onnxd::DivOp>, UnaryLowering<onnxd::ReluOp>, UnaryLowering<onnxd::SigmoidOp>,
               UnaryLowering<onnxd::TanhOp>, ClipLowering, IdentityLowering, DropoutLowering>(converter, patterns.getContext());
}

} // namespace mcc::lowering
