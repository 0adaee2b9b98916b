//===- Reduction.cpp - onnx reductions, arg-reductions, CumSum, TopK -> linalg ===//
//
// Every reduction is one linalg.generic whose reduced dims are reduction loops, writing a tensor of the
// kept dims that a reshape turns into the keepdims (or not) result. Axes that are not compile-time
// constants are resolved from the static result shape; where that leaves several candidates (keepdims=0
// over equal dims), each is computed and the runtime axes select one.
//
//===----------------------------------------------------------------------===//
#include "passes/lowering/Reduction.h"
#include "passes/lowering/RuntimeChecks.h"

#include "llvm/ADT/bit.h"

#include <set>

using namespace mlir;
namespace onnxd = mcc::onnx;

namespace mcc::lowering {

SmallVector<int64_t> keptShape(ArrayRef<int64_t> shape, ArrayRef<bool> reduced) {
  SmallVector<int64_t> kept;
  for (size_t i = 0; i < shape.size(); ++i)
    if (!reduced[i])
      kept.push_back(shape[i]);
  return kept;
}

AffineMap keptDimsMap(MLIRContext *ctx, ArrayRef<bool> reduced) {
  SmallVector<AffineExpr> exprs;
  for (size_t i = 0; i < reduced.size(); ++i)
    if (!reduced[i])
      exprs.push_back(getAffineDimExpr(i, ctx));
  return AffineMap::get(reduced.size(), 0, exprs, ctx);
}

Value reduceDims(OpBuilder &b, Location loc, ValueRange inputs, ValueRange keptInputs, ArrayRef<bool> reduced,
                 Value init, BodyFn body) {
  MLIRContext *ctx = b.getContext();
  int64_t rank = reduced.size();
  auto resultType = RankedTensorType::get(keptShape(tensorType(inputs[0]).getShape(), reduced), init.getType());
  AffineMap kept = keptDimsMap(ctx, reduced);
  SmallVector<AffineMap> maps(inputs.size(), b.getMultiDimIdentityMap(rank));
  maps.append(keptInputs.size() + 1, kept);
  SmallVector<utils::IteratorType> iters;
  for (bool r : reduced)
    iters.push_back(r ? utils::IteratorType::reduction : utils::IteratorType::parallel);
  SmallVector<Value> all(inputs);
  all.append(keptInputs.begin(), keptInputs.end());
  return linalg::GenericOp::create(
             b, loc, TypeRange{resultType}, all, ValueRange{filledTensor(b, loc, resultType, init)}, maps, iters,
             [&](OpBuilder &nb, Location l, ValueRange a) { linalg::YieldOp::create(nb, l, body(nb, l, a)); })
      .getResult(0);
}

Value mapWithKept(OpBuilder &b, Location loc, RankedTensorType resultType, ValueRange inputs, ValueRange keptInputs,
                  ArrayRef<bool> reduced, BodyFn body) {
  MLIRContext *ctx = b.getContext();
  int64_t rank = resultType.getRank();
  SmallVector<AffineMap> maps;
  for (Value in : inputs)
    maps.push_back(broadcastMap(ctx, tensorType(in), resultType.getShape()));
  maps.append(keptInputs.size(), keptDimsMap(ctx, reduced));
  maps.push_back(b.getMultiDimIdentityMap(rank));
  SmallVector<Value> all(inputs);
  all.append(keptInputs.begin(), keptInputs.end());
  Value init = tensor::EmptyOp::create(b, loc, resultType.getShape(), resultType.getElementType());
  return linalg::GenericOp::create(b, loc, TypeRange{resultType}, all, ValueRange{init}, maps,
                                   SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
                                   [&](OpBuilder &nb, Location l, ValueRange a) {
                                     linalg::YieldOp::create(nb, l, body(nb, l, a.drop_back()));
                                   })
      .getResult(0);
}

namespace {

/// The largest value of a float (+inf) or integer type: the identity of min.
Value highestValue(OpBuilder &b, Location loc, Type type, bool isUnsigned) {
  if (auto ft = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(ft, APFloat::getInf(ft.getFloatSemantics())));
  unsigned width = type.getIntOrFloatBitWidth();
  return arith::ConstantOp::create(
      b, loc, b.getIntegerAttr(type, isUnsigned ? APInt::getMaxValue(width) : APInt::getSignedMaxValue(width)));
}

/// Element `i` (flat) of a small integer tensor as i64, read at run time.
Value extractInt64(OpBuilder &b, Location loc, Value t, int64_t i) {
  auto type = tensorType(t);
  SmallVector<Value> idx;
  for (int64_t d = type.getRank() - 1; d >= 0; --d) {
    idx.push_back(arith::ConstantIndexOp::create(b, loc, i % std::max<int64_t>(1, type.getDimSize(d))));
    i /= std::max<int64_t>(1, type.getDimSize(d));
  }
  std::reverse(idx.begin(), idx.end());
  Value v = tensor::ExtractOp::create(b, loc, t, idx);
  if (v.getType() != b.getI64Type())
    v = arith::ExtSIOp::create(b, loc, b.getI64Type(), v);
  return v;
}

/// A run-time axis value normalised into [0, rank) (negative values count from the end).
Value normalizedAxis(OpBuilder &b, Location loc, Value axis, int64_t rank) {
  Value zero = arith::ConstantIntOp::create(b, loc, b.getI64Type(), 0);
  Value r = arith::ConstantIntOp::create(b, loc, b.getI64Type(), rank);
  Value neg = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, axis, zero);
  return arith::SelectOp::create(b, loc, neg, arith::AddIOp::create(b, loc, axis, r), axis);
}

/// Picks candidates[i] where conds[i] holds, else the last candidate.
Value selectCandidate(OpBuilder &b, Location loc, ArrayRef<Value> candidates, ArrayRef<Value> conds) {
  Value r = candidates.back();
  for (int64_t i = (int64_t)candidates.size() - 2; i >= 0; --i)
    r = arith::SelectOp::create(b, loc, conds[i], candidates[i], r);
  return r;
}

/// Which dims a Reduce* op reduces: one mask, or (axes known only at run time) every mask that the
/// static result shape allows, with the run-time test that picks it.
struct ReducedDims {
  bool identity = false; // noop_with_empty_axes with empty axes
  SmallVector<SmallVector<bool>> masks;
};

bool maskFitsResult(ArrayRef<bool> mask, ArrayRef<int64_t> in, ArrayRef<int64_t> out, bool keepdims) {
  if (keepdims) {
    if (out.size() != in.size())
      return false;
    for (size_t i = 0; i < in.size(); ++i)
      if (out[i] != (mask[i] ? 1 : in[i]))
        return false;
    return true;
  }
  return ArrayRef<int64_t>(keptShape(in, mask)) == out;
}

FailureOr<ReducedDims> resolveReducedDims(Operation *op, Value axesOrig, Value axes, RankedTensorType in,
                                          RankedTensorType out, bool keepdims, bool noop) {
  int64_t rank = in.getRank();
  ReducedDims r;
  auto all = [&] {
    if (noop)
      r.identity = true;
    else
      r.masks.push_back(SmallVector<bool>(rank, true));
  };
  if (onnxd::isNoValue(axesOrig)) {
    all();
  } else if (auto values = constantInts(axesOrig, axes)) {
    if (values->empty()) {
      all();
    } else {
      SmallVector<bool> mask(rank, false);
      for (int64_t a : *values) {
        FailureOr<int64_t> n = resolveAxis(op, a, rank);
        if (failed(n))
          return failure();
        mask[*n] = true;
      }
      r.masks.push_back(mask);
    }
  } else {
    auto axesType = tensorType(axes);
    if (axesType.getRank() != 1)
      return op->emitError("axes must be a 1-D tensor"), failure();
    int64_t k = axesType.getDimSize(0);
    if (k == 0) {
      all();
    } else {
      if (rank > 16)
        return op->emitError("axes that are not constant need rank <= 16"), failure();
      // Masks differing only in size-1 dims compute the same values in the same layout: keep one.
      std::set<uint64_t> seen;
      for (uint64_t bits = 0; bits < (1ull << rank); ++bits) {
        if (llvm::popcount(bits) != k)
          continue;
        SmallVector<bool> mask;
        uint64_t key = 0;
        for (int64_t i = 0; i < rank; ++i) {
          mask.push_back((bits >> i) & 1);
          if (mask[i] && in.getDimSize(i) != 1)
            key |= 1ull << i;
        }
        if (maskFitsResult(mask, in.getShape(), out.getShape(), keepdims) && seen.insert(key).second)
          r.masks.push_back(mask);
      }
      if (r.masks.empty())
        return op->emitError("no choice of ") << k << " axes reduces " << in << " to " << out, failure();
      if (r.masks.size() > 16)
        return op->emitError("axes that are not constant leave ")
                   << r.masks.size() << " possible reductions of " << in << " to " << out << " (at most 16)",
               failure();
    }
  }
  if (r.identity) {
    if (in.getShape() != out.getShape())
      return op->emitError("an identity reduction must keep the shape ") << in, failure();
    return r;
  }
  if (r.masks.size() == 1 && !maskFitsResult(r.masks[0], in.getShape(), out.getShape(), keepdims))
    return op->emitError("the reduced shape does not match the result type ") << out, failure();
  return r;
}

/// True at run time when the axes tensor names exactly the non-unit dims of `mask`.
Value axesMatchMask(OpBuilder &b, Location loc, Value axes, ArrayRef<bool> mask, ArrayRef<int64_t> shape) {
  int64_t rank = shape.size();
  int64_t k = tensorType(axes).getNumElements();
  SmallVector<Value> values;
  for (int64_t j = 0; j < k; ++j)
    values.push_back(normalizedAxis(b, loc, extractInt64(b, loc, axes, j), rank));
  Value cond;
  for (int64_t d = 0; d < rank; ++d) {
    if (shape[d] == 1)
      continue;
    Value dv = arith::ConstantIntOp::create(b, loc, b.getI64Type(), d);
    Value named;
    for (Value v : values) {
      Value eq = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, v, dv);
      named = named ? arith::OrIOp::create(b, loc, named, eq).getResult() : eq;
    }
    if (!mask[d])
      named = arith::XOrIOp::create(b, loc, named, arith::ConstantIntOp::create(b, loc, b.getI1Type(), 1));
    cond = cond ? arith::AndIOp::create(b, loc, cond, named).getResult() : named;
  }
  return cond ? cond : arith::ConstantIntOp::create(b, loc, b.getI1Type(), 1).getResult();
}

Value isInfinite(OpBuilder &b, Location loc, Value v) {
  auto ft = cast<FloatType>(v.getType());
  Value inf = arith::ConstantOp::create(b, loc, b.getFloatAttr(ft, APFloat::getInf(ft.getFloatSemantics())));
  Value a = math::AbsFOp::create(b, loc, v);
  return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, a, inf);
}

} // namespace

Value reduceFloat(OpBuilder &b, Location loc, ReduceKind kind, Value x, ArrayRef<bool> mask) {
  auto xType = tensorType(x);
  Type elt = xType.getElementType();
  Type acc = accumulatorType(elt);
  int64_t count = 1;
  for (int64_t i = 0; i < xType.getRank(); ++i)
    if (mask[i])
      count *= xType.getDimSize(i);
  auto keptType = RankedTensorType::get(keptShape(xType.getShape(), mask), elt);
  auto finish = [&](Value r, auto post) {
    if (kind != ReduceKind::Mean && kind != ReduceKind::L2 && kind != ReduceKind::LogSum && acc == elt)
      return r; // nothing left to do: no copy
    return elementwise(b, loc, keptType, {r}, [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
      return convertFloat(nb, l, post(nb, l, a[0]), elt);
    });
  };
  auto ident = [](OpBuilder &, Location, Value v) { return v; };
  auto sumOf = [&](auto pre) {
    return reduceDims(b, loc, {x}, {}, mask, scalarConstant(b, loc, acc, 0),
                      [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
                        return arith::AddFOp::create(nb, l, a[1], pre(nb, l, convertFloat(nb, l, a[0], acc)));
                      });
  };
  auto square = [](OpBuilder &nb, Location l, Value v) -> Value { return arith::MulFOp::create(nb, l, v, v); };
  switch (kind) {
  case ReduceKind::Sum:
    return finish(sumOf(ident), ident);
  case ReduceKind::Mean: {
    Value n = scalarConstant(b, loc, acc, (double)count);
    return finish(sumOf(ident),
                  [&](OpBuilder &nb, Location l, Value v) -> Value { return arith::DivFOp::create(nb, l, v, n); });
  }
  case ReduceKind::Max:
  case ReduceKind::Min: {
    // maximumf/minimumf propagate NaN, as numpy's max and min do.
    bool isMax = kind == ReduceKind::Max;
    return reduceDims(b, loc, {x}, {}, mask, isMax ? lowestValue(b, loc, elt) : highestValue(b, loc, elt, false),
                      [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
                        if (isMax)
                          return arith::MaximumFOp::create(nb, l, a[0], a[1]);
                        return arith::MinimumFOp::create(nb, l, a[0], a[1]);
                      });
  }
  case ReduceKind::Prod:
    return finish(reduceDims(b, loc, {x}, {}, mask, scalarConstant(b, loc, acc, 1),
                             [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
                               return arith::MulFOp::create(nb, l, a[1], convertFloat(nb, l, a[0], acc));
                             }),
                  ident);
  case ReduceKind::L1:
    return finish(sumOf([](OpBuilder &nb, Location l, Value v) -> Value { return math::AbsFOp::create(nb, l, v); }),
                  ident);
  case ReduceKind::L2:
    return finish(sumOf(square),
                  [](OpBuilder &nb, Location l, Value v) -> Value { return math::SqrtOp::create(nb, l, v); });
  case ReduceKind::SumSquare:
    return finish(sumOf(square), ident);
  case ReduceKind::LogSum:
    return finish(sumOf(ident),
                  [](OpBuilder &nb, Location l, Value v) -> Value { return math::LogOp::create(nb, l, v); });
  case ReduceKind::LogSumExp: {
    // log(sum(exp(x - m))) + m with m the maximum, or 0 where the maximum is infinite (all -inf, an
    // empty reduction or a +inf): exact there and never inf - inf.
    Value mx = reduceFloat(b, loc, ReduceKind::Max, x, mask);
    auto shiftType = RankedTensorType::get(keptType.getShape(), acc);
    Value zero = scalarConstant(b, loc, acc, 0);
    Value shift = elementwise(b, loc, shiftType, {mx}, [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
      Value m = convertFloat(nb, l, a[0], acc);
      return arith::SelectOp::create(nb, l, isInfinite(nb, l, m), zero, m);
    });
    Value sum = reduceDims(b, loc, {x}, {shift}, mask, zero, [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
      Value d = arith::SubFOp::create(nb, l, convertFloat(nb, l, a[0], acc), a[1]);
      return arith::AddFOp::create(nb, l, a[2], math::ExpOp::create(nb, l, d));
    });
    return elementwise(b, loc, keptType, {sum, shift}, [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
      Value r = arith::AddFOp::create(nb, l, math::LogOp::create(nb, l, a[0]), a[1]);
      return convertFloat(nb, l, r, elt);
    });
  }
  }
  llvm_unreachable("unknown reduction");
}

Value reduceInteger(OpBuilder &b, Location loc, ReduceKind kind, Value x, ArrayRef<bool> mask, bool uns) {
  auto xType = tensorType(x);
  Type elt = xType.getElementType();
  auto keptType = RankedTensorType::get(keptShape(xType.getShape(), mask), elt);
  int64_t count = 1;
  for (int64_t i = 0; i < xType.getRank(); ++i)
    if (mask[i])
      count *= xType.getDimSize(i);
  auto fold = [&](Value init, auto combine) {
    return reduceDims(b, loc, {x}, {}, mask, init,
                      [&](OpBuilder &nb, Location l, ValueRange a) -> Value { return combine(nb, l, a[0], a[1]); });
  };
  Value zero = scalarConstant(b, loc, elt, 0);
  auto add = [](OpBuilder &nb, Location l, Value v, Value acc) -> Value {
    return arith::AddIOp::create(nb, l, acc, v);
  };
  switch (kind) {
  case ReduceKind::Sum:
    return fold(zero, add);
  case ReduceKind::Mean: {
    Value sum = fold(zero, add);
    if (count == 0)
      return sum;
    Value n = scalarConstant(b, loc, elt, (double)count);
    return elementwise(b, loc, keptType, {sum}, [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
      if (uns)
        return arith::DivUIOp::create(nb, l, a[0], n);
      return arith::DivSIOp::create(nb, l, a[0], n);
    });
  }
  case ReduceKind::Max:
    return fold(lowestValue(b, loc, elt, uns), [&](OpBuilder &nb, Location l, Value v, Value acc) -> Value {
      if (uns)
        return arith::MaxUIOp::create(nb, l, acc, v);
      return arith::MaxSIOp::create(nb, l, acc, v);
    });
  case ReduceKind::Min:
    return fold(highestValue(b, loc, elt, uns), [&](OpBuilder &nb, Location l, Value v, Value acc) -> Value {
      if (uns)
        return arith::MinUIOp::create(nb, l, acc, v);
      return arith::MinSIOp::create(nb, l, acc, v);
    });
  case ReduceKind::Prod:
    return fold(scalarConstant(b, loc, elt, 1), [](OpBuilder &nb, Location l, Value v, Value acc) -> Value {
      return arith::MulIOp::create(nb, l, acc, v);
    });
  case ReduceKind::L1:
    return fold(zero, [&](OpBuilder &nb, Location l, Value v, Value acc) -> Value {
      Value a = uns ? v : math::AbsIOp::create(nb, l, v).getResult();
      return arith::AddIOp::create(nb, l, acc, a);
    });
  case ReduceKind::SumSquare:
    return fold(zero, [](OpBuilder &nb, Location l, Value v, Value acc) -> Value {
      return arith::AddIOp::create(nb, l, acc, arith::MulIOp::create(nb, l, v, v));
    });
  case ReduceKind::L2:
  case ReduceKind::LogSum:
  case ReduceKind::LogSumExp: {
    Type f64 = b.getF64Type();
    auto wide = RankedTensorType::get(xType.getShape(), f64);
    Value xf = elementwise(b, loc, wide, {x}, [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
      if (uns)
        return arith::UIToFPOp::create(nb, l, f64, a[0]);
      return arith::SIToFPOp::create(nb, l, f64, a[0]);
    });
    Value r = reduceFloat(b, loc, kind, xf, mask);
    return elementwise(b, loc, keptType, {r}, [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
      if (uns)
        return arith::FPToUIOp::create(nb, l, elt, a[0]);
      return arith::FPToSIOp::create(nb, l, elt, a[0]);
    });
  }
  }
  llvm_unreachable("unknown reduction");
}

namespace {

template <typename OpT, ReduceKind Kind> struct ReduceLowering : OpConversionPattern<OpT> {
  using OpConversionPattern<OpT>::OpConversionPattern;
  LogicalResult matchAndRewrite(OpT op, typename OpT::Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    Value x = adaptor.getData();
    auto inType = tensorType(x);
    auto outType = loweredType(op.getType());
    Type elt = inType.getElementType();
    bool isFloat = isa<FloatType>(elt);
    if (!isFloat && !isa<IntegerType>(elt))
      return op.emitError("element type ") << elt << " is not supported";
    if (!isFloat && elt.getIntOrFloatBitWidth() == 1)
      return op.emitError("bool reductions are not supported");
    if (outType.getElementType() != elt)
      return op.emitError("result element type ") << outType.getElementType() << " differs from the input's";
    auto dims = resolveReducedDims(op, op.getAxes(), adaptor.getAxes(), inType, outType, op.getKeepdims() != 0,
                                   op.getNoopWithEmptyAxes() != 0);
    if (failed(dims))
      return failure();
    if (dims->identity) {
      rewriter.replaceOp(op, x);
      return success();
    }
    bool uns = isUnsignedElement(op.getData().getType());
    SmallVector<Value> candidates, conds;
    for (const SmallVector<bool> &mask : dims->masks) {
      Value r = isFloat ? reduceFloat(rewriter, loc, Kind, x, mask) : reduceInteger(rewriter, loc, Kind, x, mask, uns);
      candidates.push_back(reshapeTo(rewriter, loc, r, outType));
      if (candidates.size() < dims->masks.size())
        conds.push_back(axesMatchMask(rewriter, loc, adaptor.getAxes(), mask, inType.getShape()));
    }
    rewriter.replaceOp(op, selectCandidate(rewriter, loc, candidates, conds));
    return success();
  }
};

/// a is strictly better than c: greater (isMax) or smaller. A NaN beats every number where `nanBest`
/// (ArgMax/ArgMin: numpy's argmax and argmin return the first NaN) and loses to every number otherwise
/// (TopK: the ONNX reference sorts NaN last either way).
Value strictlyBetter(OpBuilder &b, Location loc, Value a, Value c, bool isMax, bool uns, bool nanBest) {
  if (!isa<FloatType>(a.getType())) {
    auto pred = isMax ? (uns ? arith::CmpIPredicate::ugt : arith::CmpIPredicate::sgt)
                      : (uns ? arith::CmpIPredicate::ult : arith::CmpIPredicate::slt);
    return arith::CmpIOp::create(b, loc, pred, a, c);
  }
  Value cmp = arith::CmpFOp::create(b, loc, isMax ? arith::CmpFPredicate::OGT : arith::CmpFPredicate::OLT, a, c);
  Value aNan = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, a, a);
  Value cNum = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::ORD, c, c);
  Value aNum = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::ORD, a, a);
  Value cNan = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, c, c);
  Value nanTerm = nanBest ? arith::AndIOp::create(b, loc, aNan, cNum) : arith::AndIOp::create(b, loc, aNum, cNan);
  return arith::OrIOp::create(b, loc, cmp, nanTerm);
}

/// a and c rank the same (equal, or both NaN).
Value rankEqual(OpBuilder &b, Location loc, Value a, Value c) {
  if (!isa<FloatType>(a.getType()))
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, a, c);
  Value eq = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, a, c);
  Value both = arith::AndIOp::create(b, loc, arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, a, a),
                                     arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, c, c));
  return arith::OrIOp::create(b, loc, eq, both);
}

template <typename OpT, bool IsMax> struct ArgReduceLowering : OpConversionPattern<OpT> {
  using OpConversionPattern<OpT>::OpConversionPattern;
  LogicalResult matchAndRewrite(OpT op, typename OpT::Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    MLIRContext *ctx = this->getContext();
    Value x = adaptor.getData();
    auto inType = tensorType(x);
    auto outType = loweredType(op.getType());
    Type elt = inType.getElementType();
    int64_t rank = inType.getRank();
    if (!isa<FloatType>(elt) && !isa<IntegerType>(elt))
      return op.emitError("element type ") << elt << " is not supported";
    if (!outType.getElementType().isInteger(64))
      return op.emitError("result must be int64");
    FailureOr<int64_t> resolved = resolveAxis(op, op.getAxis(), rank);
    if (failed(resolved))
      return failure();
    int64_t axis = *resolved;
    if (inType.getDimSize(axis) == 0)
      return op.emitError("cannot take the index of an extremum over an empty axis");
    SmallVector<bool> mask(rank, false);
    mask[axis] = true;
    auto keptType = RankedTensorType::get(keptShape(inType.getShape(), mask), elt);
    auto idxType = RankedTensorType::get(keptType.getShape(), rewriter.getI64Type());
    if (outType.getNumElements() != idxType.getNumElements())
      return op.emitError("result type ") << outType << " does not match the reduction";
    bool uns = isUnsignedElement(op.getData().getType());
    bool last = op.getSelectLastIndex() != 0;
    Value init = IsMax ? lowestValue(rewriter, loc, elt, uns) : highestValue(rewriter, loc, elt, uns);
    AffineMap kept = keptDimsMap(ctx, mask);
    SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
    iters[axis] = utils::IteratorType::reduction;
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{keptType, idxType}, ValueRange{x},
        ValueRange{filledTensor(rewriter, loc, keptType, init),
                   filledTensor(rewriter, loc, idxType, scalarConstant(rewriter, loc, rewriter.getI64Type(), 0))},
        SmallVector<AffineMap>{rewriter.getMultiDimIdentityMap(rank), kept, kept}, iters,
        [&](OpBuilder &b, Location l, ValueRange a) {
          Value v = a[0], best = a[1];
          // First extremum wins unless select_last_index: then an equal value replaces it too.
          Value take = strictlyBetter(b, l, v, best, IsMax, uns, /*nanBest=*/true);
          if (last)
            take = arith::OrIOp::create(b, l, take, rankEqual(b, l, v, best));
          Value k = arith::IndexCastOp::create(b, l, b.getI64Type(), linalg::IndexOp::create(b, l, axis));
          linalg::YieldOp::create(
              b, l,
              ValueRange{arith::SelectOp::create(b, l, take, v, best), arith::SelectOp::create(b, l, take, k, a[2])});
        });
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, generic.getResult(1), outType));
    return success();
  }
};

/// CumSum along one axis: out[i] = sum of x[k] over k <= i (k < i exclusive; k >= i, k > i reversed),
/// one generic with the axis read twice. A run-time axis selects among one such scan per dim.
struct CumSumLowering : OpConversionPattern<onnxd::CumSumOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::CumSumOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    auto type = loweredType(op.getType());
    Type elt = type.getElementType();
    int64_t rank = type.getRank();
    if (!isa<FloatType>(elt) && !isa<IntegerType>(elt))
      return op.emitError("element type ") << elt << " is not supported";
    if (rank == 0)
      return op.emitError("input must have rank >= 1");
    if (tensorType(adaptor.getAxis()).getNumElements() != 1)
      return op.emitError("axis must be a scalar");
    SmallVector<int64_t> axes;
    if (auto c = constantInts(op.getAxis(), adaptor.getAxis())) {
      FailureOr<int64_t> a = resolveAxis(op, (*c)[0], rank);
      if (failed(a))
        return failure();
      axes.push_back(*a);
    } else {
      for (int64_t a = 0; a < rank; ++a)
        axes.push_back(a);
    }
    SmallVector<Value> candidates, conds;
    Value runtimeAxis;
    if (axes.size() > 1)
      runtimeAxis = normalizedAxis(rewriter, loc, extractInt64(rewriter, loc, adaptor.getAxis(), 0), rank);
    for (int64_t a : axes) {
      candidates.push_back(scan(rewriter, loc, x, type, a, op.getExclusive() != 0, op.getReverse() != 0));
      if (runtimeAxis)
        conds.push_back(arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::eq, runtimeAxis,
                                              arith::ConstantIntOp::create(rewriter, loc, rewriter.getI64Type(), a)));
    }
    rewriter.replaceOp(op, selectCandidate(rewriter, loc, candidates, conds));
    return success();
  }

  static Value scan(OpBuilder &b, Location loc, Value x, RankedTensorType type, int64_t axis, bool exclusive,
                    bool reverse) {
    MLIRContext *ctx = b.getContext();
    int64_t rank = type.getRank();
    Type elt = type.getElementType();
    Type acc = accumulatorType(elt);
    SmallVector<AffineExpr> xe;
    for (int64_t i = 0; i < rank; ++i)
      xe.push_back(getAffineDimExpr(i == axis ? rank : i, ctx));
    SmallVector<AffineMap> maps{AffineMap::get(rank + 1, 0, xe, ctx),
                                AffineMap::getMultiDimIdentityMap(rank + 1, ctx).getMajorSubMap(rank)};
    SmallVector<utils::IteratorType> iters(rank + 1, utils::IteratorType::parallel);
    iters[rank] = utils::IteratorType::reduction;
    auto accType = RankedTensorType::get(type.getShape(), acc);
    Value zero = scalarConstant(b, loc, acc, 0);
    bool isFloat = isa<FloatType>(elt);
    Value sum =
        linalg::GenericOp::create(
            b, loc, TypeRange{accType}, ValueRange{x}, ValueRange{filledTensor(b, loc, accType, zero)}, maps, iters,
            [&](OpBuilder &nb, Location l, ValueRange a) {
              Value i = linalg::IndexOp::create(nb, l, axis), k = linalg::IndexOp::create(nb, l, rank);
              auto pred = reverse ? (exclusive ? arith::CmpIPredicate::ugt : arith::CmpIPredicate::uge)
                                  : (exclusive ? arith::CmpIPredicate::ult : arith::CmpIPredicate::ule);
              Value in = arith::CmpIOp::create(nb, l, pred, k, i);
              Value r;
              if (isFloat) {
                Value v = arith::SelectOp::create(nb, l, in, convertFloat(nb, l, a[0], acc), zero);
                r = arith::AddFOp::create(nb, l, a[1], v);
              } else {
                r = arith::AddIOp::create(nb, l, a[1], arith::SelectOp::create(nb, l, in, a[0], zero));
              }
              linalg::YieldOp::create(nb, l, r);
            })
            .getResult(0);
    if (acc == elt)
      return sum;
    return elementwise(b, loc, type, {sum}, [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
      return convertFloat(nb, l, a[0], elt);
    });
  }
};

/// TopK by ranking: rank[i] counts the elements along the axis that come before x[i] (better, or equal
/// at a lower index), then output slot j takes the element whose rank is j. Ties go to the lower index
/// and the result is sorted; NaN sorts after every number either way, as in the ONNX reference.
struct TopKLowering : OpConversionPattern<onnxd::TopKOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::TopKOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (!tensorType(adaptor.getX()).hasStaticShape() || !tensorType(adaptor.getK()).hasStaticShape())
      return op.emitError("dynamic shapes are not supported by this op's lowering yet");
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    Value x = adaptor.getX();
    auto inType = tensorType(x);
    Type elt = inType.getElementType();
    int64_t rank = inType.getRank();
    if (!isa<FloatType>(elt) && !isa<IntegerType>(elt))
      return op.emitError("element type ") << elt << " is not supported";
    if (rank == 0)
      return op.emitError("input must have rank >= 1");
    FailureOr<int64_t> resolved = resolveAxis(op, op.getAxis(), rank);
    if (failed(resolved))
      return failure();
    int64_t axis = *resolved;
    auto valType = loweredType(op.getValues().getType());
    auto idxType = loweredType(op.getIndices().getType());
    if (valType.getRank() != rank || idxType.getShape() != valType.getShape() ||
        !idxType.getElementType().isInteger(64))
      return op.emitError("Values and Indices must have the input's rank and the same shape, Indices int64");
    // K known only at run time (a `?` along axis, from the importer): sort the whole axis, then keep
    // the leading K; a K outside [0, axis size] returns MCC_ERR_INVALID_SIZE.
    auto resultTypes = std::make_pair(valType, idxType);
    bool runtimeK = valType.isDynamicDim(axis);
    if (runtimeK) {
      if (tensorType(adaptor.getK()).getNumElements() != 1)
        return op.emitError("K must hold one element");
      SmallVector<int64_t> full(valType.getShape());
      full[axis] = inType.getDimSize(axis);
      valType = RankedTensorType::get(full, valType.getElementType());
      idxType = RankedTensorType::get(full, idxType.getElementType());
    }
    int64_t k = valType.getDimSize(axis);
    for (int64_t i = 0; i < rank; ++i)
      if (i != axis && valType.getDimSize(i) != inType.getDimSize(i))
        return op.emitError("result shape ") << valType << " does not match the input " << inType;
    if (k > inType.getDimSize(axis))
      return op.emitError("K = ") << k << " exceeds the axis size " << inType.getDimSize(axis);
    if (auto c = runtimeK ? std::nullopt : constantInts(op.getK(), adaptor.getK());
        c && (c->size() != 1 || (*c)[0] != k))
      return op.emitError("K input does not match the result size ") << k;
    bool largest = op.getLargest() != 0;
    bool uns = isUnsignedElement(op.getX().getType());
    Type i64 = rewriter.getI64Type();

    // rank[i] over the loops (dims..., m): m walks the axis.
    SmallVector<AffineExpr> alongM;
    for (int64_t i = 0; i < rank; ++i)
      alongM.push_back(getAffineDimExpr(i == axis ? rank : i, ctx));
    AffineMap id = AffineMap::getMultiDimIdentityMap(rank + 1, ctx).getMajorSubMap(rank);
    AffineMap mMap = AffineMap::get(rank + 1, 0, alongM, ctx);
    SmallVector<utils::IteratorType> iters(rank + 1, utils::IteratorType::parallel);
    iters[rank] = utils::IteratorType::reduction;
    auto rankType = RankedTensorType::get(inType.getShape(), i64);
    Value ranks =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{rankType}, ValueRange{x, x},
            ValueRange{filledTensor(rewriter, loc, rankType, scalarConstant(rewriter, loc, i64, 0))},
            SmallVector<AffineMap>{id, mMap, id}, iters,
            [&](OpBuilder &b, Location l, ValueRange a) {
              Value xi = a[0], xm = a[1];
              Value i = linalg::IndexOp::create(b, l, axis), m = linalg::IndexOp::create(b, l, rank);
              Value before = arith::AndIOp::create(b, l, rankEqual(b, l, xm, xi),
                                                   arith::CmpIOp::create(b, l, arith::CmpIPredicate::ult, m, i));
              before =
                  arith::OrIOp::create(b, l, before, strictlyBetter(b, l, xm, xi, largest, uns, /*nanBest=*/false));
              Value one = arith::ExtUIOp::create(b, l, i64, before);
              linalg::YieldOp::create(b, l, arith::AddIOp::create(b, l, a[2], one).getResult());
            })
            .getResult(0);

    // Slot j (loop `axis` of the output) takes x[m] where rank[m] == j.
    auto valOut = filledTensor(rewriter, loc, valType, scalarConstant(rewriter, loc, elt, 0));
    auto idxOut = filledTensor(rewriter, loc, idxType, scalarConstant(rewriter, loc, i64, 0));
    auto gather = linalg::GenericOp::create(
        rewriter, loc, TypeRange{valType, idxType}, ValueRange{x, ranks}, ValueRange{valOut, idxOut},
        SmallVector<AffineMap>{mMap, mMap, id, id}, iters, [&](OpBuilder &b, Location l, ValueRange a) {
          Value j = arith::IndexCastOp::create(b, l, i64, linalg::IndexOp::create(b, l, axis));
          Value m = arith::IndexCastOp::create(b, l, i64, linalg::IndexOp::create(b, l, rank));
          Value hit = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, a[1], j);
          linalg::YieldOp::create(
              b, l,
              ValueRange{arith::SelectOp::create(b, l, hit, a[0], a[2]), arith::SelectOp::create(b, l, hit, m, a[3])});
        });
    if (!runtimeK) {
      rewriter.replaceOp(op, gather.getResults());
      return success();
    }
    Value kIn = adaptor.getK();
    SmallVector<Value> zeros(tensorType(kIn).getRank(), arith::ConstantIndexOp::create(rewriter, loc, 0));
    Value kv = tensor::ExtractOp::create(rewriter, loc, kIn, zeros);
    Value kInRange = arith::AndIOp::create(rewriter, loc,
                                           arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::sge, kv,
                                                                 arith::ConstantIntOp::create(rewriter, loc, 0, 64)),
                                           arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::sle, kv,
                                                                 arith::ConstantIntOp::create(rewriter, loc, k, 64)));
    emitRuntimeCheck(rewriter, loc, kInRange, RuntimeError::InvalidSize, "TopK's K is outside [0, axis size]");
    kv = arith::MaxSIOp::create(
        rewriter, loc, arith::ConstantIntOp::create(rewriter, loc, 0, 64),
        arith::MinSIOp::create(rewriter, loc, kv, arith::ConstantIntOp::create(rewriter, loc, k, 64)));
    kv = arith::IndexCastOp::create(rewriter, loc, rewriter.getIndexType(), kv);
    SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0)), sizes, strides(rank, rewriter.getIndexAttr(1));
    for (int64_t d = 0; d < rank; ++d)
      sizes.push_back(d == axis ? OpFoldResult(kv) : rewriter.getIndexAttr(valType.getDimSize(d)));
    Value values =
        tensor::ExtractSliceOp::create(rewriter, loc, resultTypes.first, gather.getResult(0), offsets, sizes, strides);
    Value indices =
        tensor::ExtractSliceOp::create(rewriter, loc, resultTypes.second, gather.getResult(1), offsets, sizes, strides);
    rewriter.replaceOp(op, ValueRange{values, indices});
    return success();
  }
};

} // namespace

void populateReductionPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns
      .add<ReduceLowering<onnxd::ReduceSumOp, ReduceKind::Sum>, ReduceLowering<onnxd::ReduceMeanOp, ReduceKind::Mean>,
           ReduceLowering<onnxd::ReduceMaxOp, ReduceKind::Max>, ReduceLowering<onnxd::ReduceMinOp, ReduceKind::Min>,
           ReduceLowering<onnxd::ReduceProdOp, ReduceKind::Prod>, ReduceLowering<onnxd::ReduceL1Op, ReduceKind::L1>,
           ReduceLowering<onnxd::ReduceL2Op, ReduceKind::L2>, ReduceLowering<onnxd::ReduceLogSumOp, ReduceKind::LogSum>,
           ReduceLowering<onnxd::ReduceLogSumExpOp, ReduceKind::LogSumExp>,
           ReduceLowering<onnxd::ReduceSumSquareOp, ReduceKind::SumSquare>, ArgReduceLowering<onnxd::ArgMaxOp, true>,
           ArgReduceLowering<onnxd::ArgMinOp, false>, CumSumLowering, TopKLowering>(converter, patterns.getContext());
}

} // namespace mcc::lowering
