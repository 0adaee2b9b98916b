//===- Normalization.cpp - onnx normalisation, softmax and loss ops -> linalg -----===//
//
// BatchNormalization, InstanceNormalization, LayerNormalization, MeanVarianceNormalization, LRN,
// LpNormalization, Softmax, LogSoftmax, Hardmax, NegativeLogLikelihoodLoss, SoftmaxCrossEntropyLoss.
// Statistics are reductions into kept-dims tensors (passes/lowering/Reduction.h) read back by an
// elementwise generic; f16/bf16 accumulate in f32.
//
//===----------------------------------------------------------------------===//
#include "passes/lowering/Reduction.h"
#include "passes/lowering/RuntimeChecks.h"

using namespace mlir;
namespace onnxd = mcc::onnx;

namespace mcc::lowering {
namespace {

/// y = x * a[c] + b[c] with a = scale / sqrt(var + eps) and b = B - mean * a computed once per channel.
struct BatchNormLowering : OpConversionPattern<onnxd::BatchNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::BatchNormalizationOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (op.getTrainingMode() != 0)
      return failure(); // BatchNormTrainingLowering
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
    Value y = linalg::GenericOp::create(rewriter, loc, TypeRange{xType}, ValueRange{adaptor.getX(), a, shift},
                                        ValueRange{empty}, SmallVector<AffineMap>{id, chanMap, chanMap, id},
                                        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
                                        [](OpBuilder &b, Location l, ValueRange v) {
                                          Value r = arith::AddFOp::create(b, l, arith::MulFOp::create(b, l, v[0], v[1]),
                                                                          v[2]);
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
    FailureOr<int64_t> resolved = resolveAxis(op, op.getAxis(), rank);
    if (failed(resolved))
      return failure();
    int64_t axis = *resolved;
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

    Value mx = linalg::GenericOp::create(
                   rewriter, loc, TypeRange{redType}, ValueRange{adaptor.getInput()},
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
    Value sum = linalg::GenericOp::create(
                    rewriter, loc, TypeRange{redType}, ValueRange{e},
                    ValueRange{filledTensor(rewriter, loc, redType, scalarConstant(rewriter, loc, elt, 0))},
                    SmallVector<AffineMap>{id, redMap}, redIters,
                    [](OpBuilder &b, Location l, ValueRange a) {
                      linalg::YieldOp::create(b, l, arith::AddFOp::create(b, l, a[0], a[1]).getResult());
                    })
                    .getResult(0);
    Value y =
        linalg::GenericOp::create(rewriter, loc, TypeRange{type}, ValueRange{e, sum},
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

/// The float element type of `v`, or an error on `op`.
FailureOr<FloatType> floatElement(Operation *op, Value v) {
  auto ft = dyn_cast<FloatType>(tensorType(v).getElementType());
  if (!ft)
    return op->emitError("element type ") << tensorType(v).getElementType() << " is not supported", failure();
  return ft;
}

/// A mask with only `axis` reduced, after checking it is in range.
FailureOr<SmallVector<bool>> singleAxis(Operation *op, int64_t axis, int64_t rank) {
  if (rank == 0)
    return op->emitError("input must have rank >= 1"), failure();
  FailureOr<int64_t> a = resolveAxis(op, axis, rank);
  if (failed(a))
    return failure();
  SmallVector<bool> mask(rank, false);
  mask[*a] = true;
  return mask;
}

/// Mean and 1/sqrt(variance + eps) over `mask` (kept-dims tensors of the accumulator type), variance
/// taken about the mean (two passes: no cancellation).
std::pair<Value, Value> meanAndInvStd(OpBuilder &b, Location loc, Value x, ArrayRef<bool> mask, double eps,
                                      bool invStd = true) {
  auto type = tensorType(x);
  Type acc = accumulatorType(type.getElementType());
  int64_t count = 1;
  for (int64_t i = 0; i < type.getRank(); ++i)
    if (mask[i])
      count *= type.getDimSize(i);
  Value zero = scalarConstant(b, loc, acc, 0), n = scalarConstant(b, loc, acc, (double)count);
  auto keptType = RankedTensorType::get(keptShape(type.getShape(), mask), acc);
  Value sum = reduceDims(b, loc, {x}, {}, mask, zero, [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
    return arith::AddFOp::create(nb, l, a[1], convertFloat(nb, l, a[0], acc));
  });
  Value mean = elementwise(b, loc, keptType, {sum}, [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
    return arith::DivFOp::create(nb, l, a[0], n);
  });
  Value sq = reduceDims(b, loc, {x}, {mean}, mask, zero, [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
    Value d = arith::SubFOp::create(nb, l, convertFloat(nb, l, a[0], acc), a[1]);
    return arith::AddFOp::create(nb, l, a[2], arith::MulFOp::create(nb, l, d, d));
  });
  Value e = scalarConstant(b, loc, acc, eps), one = scalarConstant(b, loc, acc, 1);
  Value stat = elementwise(b, loc, keptType, {sq}, [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
    Value var = arith::DivFOp::create(nb, l, a[0], n);
    if (!invStd)
      return math::SqrtOp::create(nb, l, var);
    return arith::DivFOp::create(nb, l, one, math::SqrtOp::create(nb, l, arith::AddFOp::create(nb, l, var, e)));
  });
  return {mean, stat};
}

/// log(softmax(x)) over `mask`: x - m - log(sum(exp(x - m))), m the maximum. Returns a tensor of x's
/// type.
Value logSoftmax(OpBuilder &b, Location loc, Value x, ArrayRef<bool> mask) {
  auto type = tensorType(x);
  Type elt = type.getElementType(), acc = accumulatorType(elt);
  Value mx =
      reduceDims(b, loc, {x}, {}, mask, lowestValue(b, loc, elt), [](OpBuilder &nb, Location l, ValueRange a) -> Value {
        return arith::MaximumFOp::create(nb, l, a[0], a[1]);
      });
  Value sum = reduceDims(b, loc, {x}, {mx}, mask, scalarConstant(b, loc, acc, 0),
                         [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
                           Value d = convertFloat(nb, l, arith::SubFOp::create(nb, l, a[0], a[1]), acc);
                           return arith::AddFOp::create(nb, l, a[2], math::ExpOp::create(nb, l, d));
                         });
  return mapWithKept(b, loc, type, {x}, {mx, sum}, mask, [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
    Value d = convertFloat(nb, l, arith::SubFOp::create(nb, l, a[0], a[1]), acc);
    return convertFloat(nb, l, arith::SubFOp::create(nb, l, d, math::LogOp::create(nb, l, a[2])), elt);
  });
}

struct LogSoftmaxLowering : OpConversionPattern<onnxd::LogSoftmaxOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::LogSoftmaxOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)) || failed(floatElement(op, adaptor.getInput())))
      return failure();
    auto mask = singleAxis(op, (int64_t)op.getAxis(), tensorType(adaptor.getInput()).getRank());
    if (failed(mask))
      return failure();
    rewriter.replaceOp(op, logSoftmax(rewriter, op.getLoc(), adaptor.getInput(), *mask));
    return success();
  }
};

/// Hardmax: 1 at the first maximum along the axis (a NaN counts as the maximum, as in numpy's
/// argmax), 0 elsewhere.
struct HardmaxLowering : OpConversionPattern<onnxd::HardmaxOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::HardmaxOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)) || failed(floatElement(op, adaptor.getInput())))
      return failure();
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    auto type = tensorType(x);
    Type elt = type.getElementType();
    int64_t rank = type.getRank();
    auto mask = singleAxis(op, (int64_t)op.getAxis(), rank);
    if (failed(mask))
      return failure();
    int64_t axis = normalizeAxis(op.getAxis(), rank);
    auto keptType = RankedTensorType::get(keptShape(type.getShape(), *mask), elt);
    auto idxType = RankedTensorType::get(keptType.getShape(), rewriter.getIndexType());
    AffineMap kept = keptDimsMap(getContext(), *mask);
    SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
    iters[axis] = utils::IteratorType::reduction;
    auto arg = linalg::GenericOp::create(
        rewriter, loc, TypeRange{keptType, idxType}, ValueRange{x},
        ValueRange{filledTensor(rewriter, loc, keptType, lowestValue(rewriter, loc, elt)),
                   filledTensor(rewriter, loc, idxType, arith::ConstantIndexOp::create(rewriter, loc, 0))},
        SmallVector<AffineMap>{rewriter.getMultiDimIdentityMap(rank), kept, kept}, iters,
        [&](OpBuilder &b, Location l, ValueRange a) {
          Value gt = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, a[0], a[1]);
          Value vNan = arith::CmpFOp::create(b, l, arith::CmpFPredicate::UNO, a[0], a[0]);
          Value bestNum = arith::CmpFOp::create(b, l, arith::CmpFPredicate::ORD, a[1], a[1]);
          Value take = arith::OrIOp::create(b, l, gt, arith::AndIOp::create(b, l, vNan, bestNum));
          linalg::YieldOp::create(
              b, l,
              ValueRange{arith::SelectOp::create(b, l, take, a[0], a[1]),
                         arith::SelectOp::create(b, l, take, linalg::IndexOp::create(b, l, axis), a[2])});
        });
    Value one = scalarConstant(rewriter, loc, elt, 1), zero = scalarConstant(rewriter, loc, elt, 0);
    Value y = mapWithKept(
        rewriter, loc, type, {}, {arg.getResult(1)}, *mask, [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value hit = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, linalg::IndexOp::create(b, l, axis), a[0]);
          return arith::SelectOp::create(b, l, hit, one, zero);
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

/// LayerNormalization: statistics over the dims from axis on, in f32 or wider (stash_type 1).
struct LayerNormLowering : OpConversionPattern<onnxd::LayerNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::LayerNormalizationOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)) || failed(floatElement(op, adaptor.getX())))
      return failure();
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    auto type = tensorType(x);
    Type elt = type.getElementType(), acc = accumulatorType(elt);
    int64_t rank = type.getRank();
    FailureOr<int64_t> resolved = resolveAxis(op, op.getAxis(), rank);
    if (failed(resolved))
      return failure();
    int64_t axis = *resolved;
    if (op.getStashType() != 1)
      return op.emitError("stash_type ") << op.getStashType() << " is not supported (only 1, float32)";
    SmallVector<Value> params{adaptor.getScale()};
    if (!onnxd::isNoValue(adaptor.getB()))
      params.push_back(adaptor.getB());
    SmallVector<int64_t> shape;
    for (Value p : params)
      if (tensorType(p).getElementType() != elt ||
          !onnxd::broadcastShapes(tensorType(p).getShape(), type.getShape(), shape) ||
          ArrayRef<int64_t>(shape) != type.getShape())
        return op.emitError("Scale and B must be ") << elt << " and broadcast to " << type;
    SmallVector<bool> mask(rank, false);
    for (int64_t i = axis; i < rank; ++i)
      mask[i] = true;
    auto [mean, inv] = meanAndInvStd(rewriter, loc, x, mask, op.getEpsilon().convertToDouble());
    bool hasB = params.size() == 2;
    SmallVector<Value> ins{x};
    ins.append(params);
    Value y =
        mapWithKept(rewriter, loc, type, ins, {mean, inv}, mask, [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value m = a[hasB ? 3 : 2], s = a[hasB ? 4 : 3];
          Value d = arith::SubFOp::create(b, l, convertFloat(b, l, a[0], acc), m);
          Value r = arith::MulFOp::create(b, l, arith::MulFOp::create(b, l, d, s), convertFloat(b, l, a[1], acc));
          if (hasB)
            r = arith::AddFOp::create(b, l, r, convertFloat(b, l, a[2], acc));
          return convertFloat(b, l, r, elt);
        });
    SmallVector<Value> results{y};
    for (auto [res, stat] : {std::pair{op.getMean(), mean}, std::pair{op.getInvStdDev(), inv}}) {
      if (onnxd::isNoValue(res)) {
        results.push_back(onnxd::NoValueOp::create(rewriter, loc, rewriter.getNoneType()));
        continue;
      }
      auto statType = loweredType(res.getType());
      auto ft = dyn_cast<FloatType>(statType.getElementType());
      if (!ft || statType.getNumElements() != tensorType(stat).getNumElements())
        return op.emitError("Mean and InvStdDev must be float tensors of ")
               << tensorType(stat).getNumElements() << " elements";
      auto keptType = RankedTensorType::get(tensorType(stat).getShape(), ft);
      Value v = elementwise(rewriter, loc, keptType, {stat}, [&](OpBuilder &b, Location l, ValueRange a) -> Value {
        return convertFloat(b, l, a[0], ft);
      });
      results.push_back(reshapeTo(rewriter, loc, v, statType));
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

/// A [C] per-channel tensor reshaped to [C, 1, ...] so that it broadcasts over dim 1 of rank `rank`.
Value channelParam(OpBuilder &b, Location loc, Value p, int64_t rank) {
  auto t = tensorType(p);
  SmallVector<int64_t> shape{t.getDimSize(0)};
  shape.append(rank - 2, 1);
  return reshapeTo(b, loc, p, RankedTensorType::get(shape, t.getElementType()));
}

/// BatchNormalization-15 with training_mode=1: normalises with the batch statistics (mean and
/// population variance over every axis but the channel axis 1) and updates the running statistics:
/// running = input * momentum + batch * (1 - momentum).
struct BatchNormTrainingLowering : OpConversionPattern<onnxd::BatchNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::BatchNormalizationOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (op.getTrainingMode() == 0)
      return failure();
    if (op.getTrainingMode() != 1)
      return op.emitError("training_mode ") << op.getTrainingMode() << " is not 0 or 1";
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    auto xType = tensorType(adaptor.getX());
    int64_t rank = xType.getRank(), channels = xType.getDimSize(1);
    if (!isa<FloatType>(xType.getElementType()))
      return op.emitError("element type ") << xType.getElementType() << " is not supported";
    for (Value v : {adaptor.getScale(), adaptor.getB(), adaptor.getInputMean(), adaptor.getInputVar()})
      if (tensorType(v).getDimSize(0) != channels || !isa<FloatType>(tensorType(v).getElementType()))
        return op.emitError("scale, B, mean and var must hold ") << channels << " float elements";
    Type acc = accumulatorType(xType.getElementType());
    SmallVector<bool> mask(rank, true);
    mask[1] = false;
    int64_t count = xType.getNumElements() / std::max<int64_t>(channels, 1);
    Value zero = scalarConstant(rewriter, loc, acc, 0), n = scalarConstant(rewriter, loc, acc, (double)count);
    auto chanType = RankedTensorType::get({channels}, acc);
    Value sum = reduceDims(rewriter, loc, {adaptor.getX()}, {}, mask, zero,
                           [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                             return arith::AddFOp::create(b, l, a[1], convertFloat(b, l, a[0], acc));
                           });
    Value mean = elementwise(rewriter, loc, chanType, {sum}, [&](OpBuilder &b, Location l, ValueRange a) -> Value {
      return arith::DivFOp::create(b, l, a[0], n);
    });
    Value sq = reduceDims(rewriter, loc, {adaptor.getX()}, {mean}, mask, zero,
                          [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                            Value d = arith::SubFOp::create(b, l, convertFloat(b, l, a[0], acc), a[1]);
                            return arith::AddFOp::create(b, l, a[2], arith::MulFOp::create(b, l, d, d));
                          });
    Value var = elementwise(rewriter, loc, chanType, {sq}, [&](OpBuilder &b, Location l, ValueRange a) -> Value {
      return arith::DivFOp::create(b, l, a[0], n);
    });
    Value eps = scalarConstant(rewriter, loc, acc, op.getEpsilon().convertToDouble());
    Value y = mapWithKept(rewriter, loc, xType, {adaptor.getX()}, {mean, var, adaptor.getScale(), adaptor.getB()}, mask,
                          [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                            Value x = convertFloat(b, l, a[0], acc);
                            Value d = arith::SubFOp::create(b, l, x, a[1]);
                            Value s = math::SqrtOp::create(b, l, arith::AddFOp::create(b, l, a[2], eps));
                            Value r = arith::MulFOp::create(b, l, arith::DivFOp::create(b, l, d, s),
                                                            convertFloat(b, l, a[3], acc));
                            r = arith::AddFOp::create(b, l, r, convertFloat(b, l, a[4], acc));
                            return convertFloat(b, l, r, xType.getElementType());
                          });
    SmallVector<Value> results{y};
    double momentum = op.getMomentum().convertToDouble();
    for (auto [result, input, batch] : {std::tuple{op.getRunningMean(), adaptor.getInputMean(), mean},
                                        std::tuple{op.getRunningVar(), adaptor.getInputVar(), var}}) {
      if (onnxd::isNoValue(result)) {
        results.push_back(onnxd::NoValueOp::create(rewriter, loc, rewriter.getNoneType()));
        continue;
      }
      auto type = loweredType(result.getType());
      Type elt = type.getElementType();
      Value m = scalarConstant(rewriter, loc, acc, momentum), m1 = scalarConstant(rewriter, loc, acc, 1 - momentum);
      results.push_back(
          elementwise(rewriter, loc, type, {input, batch}, [&](OpBuilder &b, Location l, ValueRange a) -> Value {
            Value r = arith::MulFOp::create(b, l, convertFloat(b, l, a[0], acc), m);
            r = arith::AddFOp::create(b, l, r, arith::MulFOp::create(b, l, a[1], m1));
            return convertFloat(b, l, r, elt);
          }));
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

struct InstanceNormLowering : OpConversionPattern<onnxd::InstanceNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::InstanceNormalizationOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)) || failed(floatElement(op, adaptor.getInput())))
      return failure();
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    auto type = tensorType(x);
    Type elt = type.getElementType(), acc = accumulatorType(elt);
    int64_t rank = type.getRank();
    if (rank < 3)
      return op.emitError("input must have rank >= 3");
    for (Value p : {adaptor.getScale(), adaptor.getB()})
      if (tensorType(p).getRank() != 1 || tensorType(p).getDimSize(0) != type.getDimSize(1) ||
          tensorType(p).getElementType() != elt)
        return op.emitError("scale and B must have ") << type.getDimSize(1) << " elements of " << elt;
    SmallVector<bool> mask(rank, true);
    mask[0] = mask[1] = false;
    auto [mean, inv] = meanAndInvStd(rewriter, loc, x, mask, op.getEpsilon().convertToDouble());
    Value scale = channelParam(rewriter, loc, adaptor.getScale(), rank);
    Value bias = channelParam(rewriter, loc, adaptor.getB(), rank);
    Value y = mapWithKept(
        rewriter, loc, type, {x, scale, bias}, {mean, inv}, mask, [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value d = arith::SubFOp::create(b, l, convertFloat(b, l, a[0], acc), a[3]);
          Value r = arith::MulFOp::create(b, l, arith::MulFOp::create(b, l, d, a[4]), convertFloat(b, l, a[1], acc));
          r = arith::AddFOp::create(b, l, r, convertFloat(b, l, a[2], acc));
          return convertFloat(b, l, r, elt);
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

/// MeanVarianceNormalization: (x - mean) / (std + 1e-9), the epsilon of the ONNX function body.
struct MeanVarianceNormLowering : OpConversionPattern<onnxd::MeanVarianceNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::MeanVarianceNormalizationOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)) || failed(floatElement(op, adaptor.getX())))
      return failure();
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    auto type = tensorType(x);
    Type elt = type.getElementType(), acc = accumulatorType(elt);
    int64_t rank = type.getRank();
    SmallVector<int64_t> axes{0, 2, 3};
    if (auto a = op.getAxes())
      axes.assign(a->begin(), a->end());
    SmallVector<bool> mask(rank, false);
    for (int64_t a : axes) {
      FailureOr<int64_t> n = resolveAxis(op, a, rank);
      if (failed(n))
        return failure();
      mask[*n] = true;
    }
    auto [mean, stddev] = meanAndInvStd(rewriter, loc, x, mask, 0, /*invStd=*/false);
    Value eps = scalarConstant(rewriter, loc, acc, 1e-9);
    Value y = mapWithKept(rewriter, loc, type, {x}, {mean, stddev}, mask,
                          [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                            Value d = arith::SubFOp::create(b, l, convertFloat(b, l, a[0], acc), a[1]);
                            Value r = arith::DivFOp::create(b, l, d, arith::AddFOp::create(b, l, a[2], eps));
                            return convertFloat(b, l, r, elt);
                          });
    rewriter.replaceOp(op, y);
    return success();
  }
};

/// LRN: y = x / (bias + alpha / size * sum of x^2 over the channel window)^beta, the window
/// [c - floor((size-1)/2), c + ceil((size-1)/2)] clipped to the channels (zero padding).
struct LRNLowering : OpConversionPattern<onnxd::LRNOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::LRNOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)) || failed(floatElement(op, adaptor.getX())))
      return failure();
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    Value x = adaptor.getX();
    auto type = tensorType(x);
    Type elt = type.getElementType(), acc = accumulatorType(elt);
    int64_t rank = type.getRank();
    int64_t size = op.getSize();
    if (rank < 2)
      return op.emitError("input must have rank >= 2");
    if (size < 1)
      return op.emitError("size must be positive, got ") << size;
    SmallVector<int64_t> low(rank, 0), high(rank, 0);
    low[1] = (size - 1) / 2;
    high[1] = size - 1 - low[1];
    Value padded = padTensor(rewriter, loc, x, low, high, scalarConstant(rewriter, loc, elt, 0));
    SmallVector<AffineExpr> pe, ye;
    for (int64_t i = 0; i < rank; ++i) {
      pe.push_back(i == 1 ? getAffineDimExpr(1, ctx) + getAffineDimExpr(rank, ctx) : getAffineDimExpr(i, ctx));
      ye.push_back(getAffineDimExpr(i, ctx));
    }
    SmallVector<AffineMap> maps{AffineMap::get(rank + 1, 0, pe, ctx),
                                AffineMap::get(rank + 1, 0, {getAffineDimExpr(rank, ctx)}, ctx),
                                AffineMap::get(rank + 1, 0, ye, ctx)};
    SmallVector<utils::IteratorType> iters(rank + 1, utils::IteratorType::parallel);
    iters[rank] = utils::IteratorType::reduction;
    auto accType = RankedTensorType::get(type.getShape(), acc);
    Value window = tensor::EmptyOp::create(rewriter, loc, ArrayRef<int64_t>{size}, elt);
    Value sq = linalg::GenericOp::create(
                   rewriter, loc, TypeRange{accType}, ValueRange{padded, window},
                   ValueRange{filledTensor(rewriter, loc, accType, scalarConstant(rewriter, loc, acc, 0))}, maps, iters,
                   [&](OpBuilder &b, Location l, ValueRange a) {
                     Value v = convertFloat(b, l, a[0], acc);
                     linalg::YieldOp::create(
                         b, l, arith::AddFOp::create(b, l, a[2], arith::MulFOp::create(b, l, v, v)).getResult());
                   })
                   .getResult(0);
    Value bias = scalarConstant(rewriter, loc, acc, op.getBias().convertToDouble());
    Value scale = scalarConstant(rewriter, loc, acc, op.getAlpha().convertToDouble() / (double)size);
    Value beta = scalarConstant(rewriter, loc, acc, op.getBeta().convertToDouble());
    Value y = elementwise(rewriter, loc, type, {x, sq}, [&](OpBuilder &b, Location l, ValueRange a) -> Value {
      Value base = arith::AddFOp::create(b, l, bias, arith::MulFOp::create(b, l, scale, a[1]));
      Value r = arith::DivFOp::create(b, l, convertFloat(b, l, a[0], acc), math::PowFOp::create(b, l, base, beta));
      return convertFloat(b, l, r, elt);
    });
    rewriter.replaceOp(op, y);
    return success();
  }
};

/// LpNormalization: x / ||x||_p along the axis, p in {1, 2}.
struct LpNormLowering : OpConversionPattern<onnxd::LpNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::LpNormalizationOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)) || failed(floatElement(op, adaptor.getInput())))
      return failure();
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    auto type = tensorType(x);
    Type elt = type.getElementType(), acc = accumulatorType(elt);
    int64_t p = op.getP();
    if (p != 1 && p != 2)
      return op.emitError("p must be 1 or 2, got ") << p;
    auto mask = singleAxis(op, (int64_t)op.getAxis(), type.getRank());
    if (failed(mask))
      return failure();
    Value sum = reduceDims(rewriter, loc, {x}, {}, *mask, scalarConstant(rewriter, loc, acc, 0),
                           [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                             Value v = convertFloat(b, l, a[0], acc);
                             v = p == 1 ? math::AbsFOp::create(b, l, v).getResult()
                                        : arith::MulFOp::create(b, l, v, v).getResult();
                             return arith::AddFOp::create(b, l, a[1], v);
                           });
    Value y = mapWithKept(rewriter, loc, type, {x}, {sum}, *mask, [&](OpBuilder &b, Location l, ValueRange a) -> Value {
      Value norm = p == 1 ? a[1] : math::SqrtOp::create(b, l, a[1]).getResult();
      return convertFloat(b, l, arith::DivFOp::create(b, l, convertFloat(b, l, a[0], acc), norm), elt);
    });
    rewriter.replaceOp(op, y);
    return success();
  }
};

/// The loss shared by NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss on log-probabilities
/// `input` [N, C, d...] and class indices `target` [N, d...]: per element -input[n, t, d...] * w[t],
/// with w = weight (or 1) and both 0 where t == ignore_index; then none, sum, or mean = sum / sum(w).
/// A class outside [0, C) that is not ignore_index returns MCC_ERR_INDEX_OUT_OF_RANGE (`targetOriginal`,
/// the onnx value, when constant: a diagnostic); the clamp keeps the read of an ignored class inside.
FailureOr<Value> nllLoss(Operation *op, OpBuilder &b, Location loc, Value input, Value target, Value targetOriginal,
                         Value weight, std::optional<int64_t> ignoreIndex, StringRef reduction,
                         RankedTensorType resultType) {
  auto inType = tensorType(input), tType = tensorType(target);
  auto elt = dyn_cast<FloatType>(inType.getElementType());
  if (!elt)
    return op->emitError("element type ") << inType.getElementType() << " is not supported", failure();
  Type acc = accumulatorType(elt);
  int64_t rank = inType.getRank();
  if (rank < 2 || tType.getRank() != rank - 1 || !isa<IntegerType>(tType.getElementType()))
    return op->emitError("expects input [N, C, d...] and integer target [N, d...]"), failure();
  for (int64_t i = 0; i < tType.getRank(); ++i)
    if (tType.getDimSize(i) != inType.getDimSize(i == 0 ? 0 : i + 1))
      return op->emitError("target shape ") << tType << " does not match the input " << inType, failure();
  int64_t classes = inType.getDimSize(1);
  if (classes == 0)
    return op->emitError("input has no classes"), failure();
  bool hasWeight = weight && !onnxd::isNoValue(weight);
  if (hasWeight && (tensorType(weight).getRank() != 1 || tensorType(weight).getDimSize(0) != classes ||
                    tensorType(weight).getElementType() != elt))
    return op->emitError("weight must have ") << classes << " elements of " << elt, failure();
  if (reduction != "none" && reduction != "sum" && reduction != "mean")
    return op->emitError("reduction '") << reduction << "' is not one of none, sum, mean", failure();
  if (failed(checkInRange(b, op, targetOriginal, target, 0, classes - 1, ignoreIndex, RuntimeError::IndexOutOfRange,
                          "target class")))
    return failure();
  auto lossType = RankedTensorType::get(tType.getShape(), acc);
  int64_t tRank = tType.getRank();
  SmallVector<AffineMap> maps(3, b.getMultiDimIdentityMap(tRank));
  Value zero = scalarConstant(b, loc, acc, 0), one = scalarConstant(b, loc, acc, 1);
  auto perElement = linalg::GenericOp::create(
      b, loc, TypeRange{lossType, lossType}, ValueRange{target},
      ValueRange{tensor::EmptyOp::create(b, loc, lossType.getShape(), acc),
                 tensor::EmptyOp::create(b, loc, lossType.getShape(), acc)},
      maps, SmallVector<utils::IteratorType>(tRank, utils::IteratorType::parallel),
      [&](OpBuilder &nb, Location l, ValueRange a) {
        Type i64 = nb.getI64Type();
        Value t = a[0].getType() == i64 ? a[0] : arith::ExtSIOp::create(nb, l, i64, a[0]).getResult();
        Value ignored = arith::ConstantIntOp::create(nb, l, nb.getI1Type(), 0);
        if (ignoreIndex)
          ignored = arith::CmpIOp::create(nb, l, arith::CmpIPredicate::eq, t,
                                          arith::ConstantIntOp::create(nb, l, i64, *ignoreIndex));
        Value clamped = arith::MaxSIOp::create(nb, l, t, arith::ConstantIntOp::create(nb, l, i64, 0));
        clamped = arith::MinSIOp::create(nb, l, clamped, arith::ConstantIntOp::create(nb, l, i64, classes - 1));
        Value cls = arith::IndexCastOp::create(nb, l, nb.getIndexType(), clamped);
        SmallVector<Value> idx{linalg::IndexOp::create(nb, l, 0), cls};
        for (int64_t i = 1; i < tRank; ++i)
          idx.push_back(linalg::IndexOp::create(nb, l, i));
        Value x = convertFloat(nb, l, tensor::ExtractOp::create(nb, l, input, idx), acc);
        Value w = hasWeight ? convertFloat(nb, l, tensor::ExtractOp::create(nb, l, weight, ValueRange{cls}), acc) : one;
        w = arith::SelectOp::create(nb, l, ignored, zero, w);
        Value loss = arith::NegFOp::create(nb, l, arith::MulFOp::create(nb, l, x, w));
        linalg::YieldOp::create(nb, l, ValueRange{arith::SelectOp::create(nb, l, ignored, zero, loss), w});
      });
  Value loss = perElement.getResult(0), w = perElement.getResult(1);
  if (reduction == "none") {
    if (resultType.getShape() != tType.getShape() || resultType.getElementType() != elt)
      return op->emitError("result type ") << resultType << " does not match the per-element loss", failure();
    if (acc == elt)
      return loss;
    return elementwise(b, loc, resultType, {loss}, [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
      return convertFloat(nb, l, a[0], elt);
    });
  }
  if (resultType.getNumElements() != 1 || resultType.getElementType() != elt)
    return op->emitError("result type ") << resultType << " must be a scalar of " << elt, failure();
  SmallVector<bool> all(tRank, true);
  auto sumAll = [&](Value v) {
    return reduceDims(b, loc, {v}, {}, all, zero, [](OpBuilder &nb, Location l, ValueRange a) -> Value {
      return arith::AddFOp::create(nb, l, a[1], a[0]);
    });
  };
  Value total = sumAll(loss);
  SmallVector<Value> parts{total};
  if (reduction == "mean")
    parts.push_back(sumAll(w));
  Value r =
      elementwise(b, loc, RankedTensorType::get({}, elt), parts, [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
        Value v = a.size() == 2 ? arith::DivFOp::create(nb, l, a[0], a[1]).getResult() : a[0];
        return convertFloat(nb, l, v, elt);
      });
  return reshapeTo(b, loc, r, resultType);
}

struct NllLossLowering : OpConversionPattern<onnxd::NegativeLogLikelihoodLossOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::NegativeLogLikelihoodLossOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    std::optional<int64_t> ii;
    if (auto a = op.getIgnoreIndex())
      ii = (int64_t)*a;
    auto loss = nllLoss(op, rewriter, op.getLoc(), adaptor.getInput(), adaptor.getTarget(), op.getTarget(),
                        adaptor.getWeight(), ii, op.getReduction(), loweredType(op.getType()));
    if (failed(loss))
      return failure();
    rewriter.replaceOp(op, *loss);
    return success();
  }
};

/// SoftmaxCrossEntropyLoss: the NegativeLogLikelihoodLoss of LogSoftmax over the class dim (1).
struct SoftmaxCrossEntropyLossLowering : OpConversionPattern<onnxd::SoftmaxCrossEntropyLossOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::SoftmaxCrossEntropyLossOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)) || failed(floatElement(op, adaptor.getScores())))
      return failure();
    Location loc = op.getLoc();
    Value scores = adaptor.getScores();
    int64_t rank = tensorType(scores).getRank();
    if (rank < 2)
      return op.emitError("scores must have rank >= 2");
    SmallVector<bool> mask(rank, false);
    mask[1] = true;
    Value logProb = logSoftmax(rewriter, loc, scores, mask);
    std::optional<int64_t> ii;
    if (auto a = op.getIgnoreIndex())
      ii = (int64_t)*a;
    auto loss = nllLoss(op, rewriter, loc, logProb, adaptor.getLabels(), op.getLabels(), adaptor.getWeights(), ii,
                        op.getReduction(), loweredType(op.getOutput().getType()));
    if (failed(loss))
      return failure();
    Value second = onnxd::isNoValue(op.getLogProb())
                       ? onnxd::NoValueOp::create(rewriter, loc, rewriter.getNoneType()).getResult()
                       : logProb;
    if (!onnxd::isNoValue(op.getLogProb()) && op.getLogProb().getType() != logProb.getType())
      return op.emitError("log_prob must have the type of scores");
    rewriter.replaceOp(op, {*loss, second});
    return success();
  }
};

} // namespace

void populateNormalizationPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<BatchNormLowering, BatchNormTrainingLowering, SoftmaxLowering, LogSoftmaxLowering, HardmaxLowering,
               LayerNormLowering, InstanceNormLowering, MeanVarianceNormLowering, LRNLowering, LpNormLowering,
               NllLossLowering, SoftmaxCrossEntropyLossLowering>(converter, patterns.getContext());
}

} // namespace mcc::lowering
