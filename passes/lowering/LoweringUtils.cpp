//===- LoweringUtils.cpp - helpers shared by the onnx -> linalg patterns -===//
#include "passes/lowering/LoweringUtils.h"

#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"

using namespace mlir;

namespace mcc::lowering {

Type lowerType(Type type) {
  auto signless = [](Type t) -> Type {
    if (auto it = dyn_cast<IntegerType>(t); it && !it.isSignless())
      return IntegerType::get(t.getContext(), it.getWidth());
    return t;
  };
  if (auto tt = dyn_cast<RankedTensorType>(type))
    return RankedTensorType::get(tt.getShape(), signless(tt.getElementType()), tt.getEncoding());
  return signless(type);
}

OnnxTypeConverter::OnnxTypeConverter() {
  addConversion([](Type t) { return lowerType(t); });
  auto cast = [](OpBuilder &b, Type type, ValueRange inputs, Location loc) -> Value {
    return UnrealizedConversionCastOp::create(b, loc, type, inputs).getResult(0);
  };
  addSourceMaterialization(cast);
  addTargetMaterialization(cast);
}

Value scalarConstant(OpBuilder &b, Location loc, Type type, double value) {
  if (auto ft = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(ft, value));
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, (int64_t)value));
}

Value filledTensor(OpBuilder &b, Location loc, RankedTensorType type, Value value) {
  Value empty = tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
  return linalg::FillOp::create(b, loc, value, empty).getResult(0);
}

AffineMap broadcastMap(MLIRContext *ctx, RankedTensorType operand, ArrayRef<int64_t> outShape) {
  int64_t outRank = outShape.size(), rank = operand.getRank();
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < rank; ++i) {
    int64_t loop = outRank - rank + i;
    if (operand.getDimSize(i) == 1 && outShape[loop] != 1)
      exprs.push_back(getAffineConstantExpr(0, ctx));
    else
      exprs.push_back(getAffineDimExpr(loop, ctx));
  }
  return AffineMap::get(outRank, 0, exprs, ctx);
}

Value elementwise(OpBuilder &b, Location loc, RankedTensorType resultType, ValueRange inputs, BodyFn body) {
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineMap> maps;
  for (Value in : inputs)
    maps.push_back(broadcastMap(ctx, tensorType(in), resultType.getShape()));
  maps.push_back(b.getMultiDimIdentityMap(resultType.getRank()));
  SmallVector<utils::IteratorType> iters(resultType.getRank(), utils::IteratorType::parallel);
  Value init = tensor::EmptyOp::create(b, loc, resultType.getShape(), resultType.getElementType());
  auto generic = linalg::GenericOp::create(b, loc, TypeRange{resultType}, inputs, ValueRange{init}, maps, iters,
                                           [&](OpBuilder &nb, Location nloc, ValueRange args) {
                                             Value r = body(nb, nloc, args.drop_back());
                                             linalg::YieldOp::create(nb, nloc, r);
                                           });
  return generic.getResult(0);
}

Value reshapeTo(OpBuilder &b, Location loc, Value v, RankedTensorType type) {
  auto src = tensorType(v);
  if (src.getShape() == type.getShape())
    return v;
  if (auto re = getReassociationIndicesForReshape(src, type)) {
    if (src.getRank() > type.getRank())
      return tensor::CollapseShapeOp::create(b, loc, type, v, *re);
    return tensor::ExpandShapeOp::create(b, loc, type, v, *re);
  }
  // General reshape: through the flat 1-D view.
  int64_t n = src.getNumElements();
  auto flatType = RankedTensorType::get({n}, src.getElementType());
  SmallVector<ReassociationIndices> all(1);
  for (int64_t i = 0; i < src.getRank(); ++i)
    all[0].push_back(i);
  Value flat = src.getRank() == 1 ? v : tensor::CollapseShapeOp::create(b, loc, flatType, v, all).getResult();
  SmallVector<ReassociationIndices> out(1);
  for (int64_t i = 0; i < type.getRank(); ++i)
    out[0].push_back(i);
  if (type.getRank() == 1)
    return flat;
  return tensor::ExpandShapeOp::create(b, loc, type, flat, out);
}

Value padTensor(OpBuilder &b, Location loc, Value v, ArrayRef<int64_t> low, ArrayRef<int64_t> high, Value padValue) {
  if (llvm::all_of(low, [](int64_t x) { return x == 0; }) && llvm::all_of(high, [](int64_t x) { return x == 0; }))
    return v;
  auto src = tensorType(v);
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < src.getRank(); ++i)
    shape.push_back(src.getDimSize(i) + low[i] + high[i]);
  auto type = RankedTensorType::get(shape, src.getElementType());
  SmallVector<OpFoldResult> lo, hi;
  for (int64_t i = 0; i < src.getRank(); ++i) {
    lo.push_back(b.getIndexAttr(low[i]));
    hi.push_back(b.getIndexAttr(high[i]));
  }
  return tensor::PadOp::create(b, loc, type, v, lo, hi, padValue);
}

Value lowestValue(OpBuilder &b, Location loc, Type type, bool isUnsigned) {
  if (auto ft = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(b, loc,
                                     b.getFloatAttr(ft, APFloat::getInf(ft.getFloatSemantics(), /*Negative=*/true)));
  unsigned width = type.getIntOrFloatBitWidth();
  if (isUnsigned)
    return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, APInt::getMinValue(width)));
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, APInt::getSignedMinValue(width)));
}

FailureOr<WindowGeometry> resolveWindow(Operation *op, ArrayRef<int64_t> inSpatial, ArrayRef<int64_t> kernel,
                                        std::optional<ArrayRef<int64_t>> strides,
                                        std::optional<ArrayRef<int64_t>> dilations,
                                        std::optional<ArrayRef<int64_t>> pads, StringRef autoPad,
                                        ArrayRef<int64_t> outSpatial, bool ceilMode) {
  size_t n = inSpatial.size();
  WindowGeometry g;
  g.kernel.assign(kernel.begin(), kernel.end());
  g.strides = strides ? SmallVector<int64_t>(*strides) : SmallVector<int64_t>(n, 1);
  g.dilations = dilations ? SmallVector<int64_t>(*dilations) : SmallVector<int64_t>(n, 1);
  if (g.kernel.size() != n || g.strides.size() != n || g.dilations.size() != n || (pads && pads->size() != 2 * n)) {
    op->emitError("kernel_shape, strides, dilations and pads must match the ") << n << " spatial dims";
    return failure();
  }
  for (size_t i = 0; i < n; ++i)
    if (g.strides[i] < 1 || g.dilations[i] < 1 || g.kernel[i] < 1) {
      op->emitError("strides, dilations and kernel sizes must be positive");
      return failure();
    }
  g.padBegin.assign(n, 0);
  g.padEnd.assign(n, 0);
  if (autoPad == "NOTSET") {
    if (pads)
      for (size_t i = 0; i < n; ++i) {
        g.padBegin[i] = (*pads)[i];
        g.padEnd[i] = (*pads)[i + n];
        if (g.padBegin[i] < 0 || g.padEnd[i] < 0) {
          op->emitError("negative pads are not supported");
          return failure();
        }
      }
  } else if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    for (size_t i = 0; i < n; ++i) {
      int64_t out = (inSpatial[i] + g.strides[i] - 1) / g.strides[i];
      int64_t extent = (g.kernel[i] - 1) * g.dilations[i] + 1;
      int64_t total = std::max<int64_t>(0, (out - 1) * g.strides[i] + extent - inSpatial[i]);
      int64_t small = total / 2, big = total - small;
      g.padBegin[i] = autoPad == "SAME_UPPER" ? small : big;
      g.padEnd[i] = autoPad == "SAME_UPPER" ? big : small;
    }
  } else if (autoPad != "VALID") {
    op->emitError("auto_pad '") << autoPad << "' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID";
    return failure();
  }
  for (size_t i = 0; i < n; ++i) {
    int64_t extent = (g.kernel[i] - 1) * g.dilations[i] + 1;
    int64_t span = inSpatial[i] + g.padBegin[i] + g.padEnd[i] - extent;
    if (span < 0) {
      op->emitError("window larger than the padded input in spatial dim ") << i;
      return failure();
    }
    int64_t out = ceilMode ? (span + g.strides[i] - 1) / g.strides[i] + 1 : span / g.strides[i] + 1;
    // In ceil mode a last window that would start in the end padding is dropped (as ONNX Runtime and
    // PyTorch do).
    if (ceilMode && (out - 1) * g.strides[i] >= inSpatial[i] + g.padBegin[i])
      --out;
    if (outSpatial[i] != out) {
      op->emitError("inferred output size ")
          << outSpatial[i] << " in spatial dim " << i << " does not match the computed " << out;
      return failure();
    }
    g.outSize.push_back(out);
  }
  return g;
}

/// The dense value of `v` if it is a constant: an onnx.Constant, or what it was converted to.
DenseElementsAttr constantValue(Value v) {
  while (v) {
    if (auto cast = v.getDefiningOp<UnrealizedConversionCastOp>()) {
      v = cast.getInputs()[0];
      continue;
    }
    if (auto c = v.getDefiningOp<mcc::onnx::ConstantOp>())
      return dyn_cast<DenseElementsAttr>(c.getValue());
    if (auto c = v.getDefiningOp<arith::ConstantOp>())
      return dyn_cast<DenseElementsAttr>(c.getValue());
    return {};
  }
  return {};
}

DenseElementsAttr constantValue(Value original, Value converted) {
  if (DenseElementsAttr a = constantValue(original))
    return a;
  return constantValue(converted);
}

/// The elements of an integer (or float) constant tensor as int64.
std::optional<SmallVector<int64_t>> constantInts(Value original, Value converted) {
  DenseElementsAttr attr = constantValue(original, converted);
  if (!attr)
    return std::nullopt;
  SmallVector<int64_t> out;
  Type elt = attr.getElementType();
  if (auto it = dyn_cast<IntegerType>(elt)) {
    bool zext = it.isUnsigned() || it.getWidth() == 1;
    for (const APInt &x : attr.getValues<APInt>())
      out.push_back(zext ? (int64_t)x.getZExtValue() : x.getSExtValue());
  } else if (isa<FloatType>(elt)) {
    for (const APFloat &x : attr.getValues<APFloat>())
      out.push_back((int64_t)x.convertToDouble());
  } else {
    return std::nullopt;
  }
  return out;
}

/// The elements of a float constant tensor as double.
std::optional<SmallVector<double>> constantFloats(Value original, Value converted) {
  DenseElementsAttr attr = constantValue(original, converted);
  if (!attr || !isa<FloatType>(attr.getElementType()))
    return std::nullopt;
  SmallVector<double> out;
  for (const APFloat &x : attr.getValues<APFloat>())
    out.push_back(x.convertToDouble());
  return out;
}

/// tensor.extract at constant coordinates.
Value extractAt(OpBuilder &b, Location loc, Value t, ArrayRef<int64_t> pos) {
  SmallVector<Value> idx;
  for (int64_t p : pos)
    idx.push_back(arith::ConstantIndexOp::create(b, loc, p));
  return tensor::ExtractOp::create(b, loc, t, idx);
}

/// An all-parallel linalg.generic over the shape of `resultType`; `body` builds each element from the
/// iteration indices and the elements of `inputs` (read through `inputMaps`).
Value indexedGeneric(OpBuilder &b, Location loc, RankedTensorType resultType, ValueRange inputs,
                     ArrayRef<AffineMap> inputMaps, IndexBodyFn body) {
  int64_t rank = resultType.getRank();
  SmallVector<AffineMap> maps(inputMaps.begin(), inputMaps.end());
  maps.push_back(b.getMultiDimIdentityMap(rank));
  SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
  Value init = tensor::EmptyOp::create(b, loc, resultType.getShape(), resultType.getElementType());
  auto generic = linalg::GenericOp::create(b, loc, TypeRange{resultType}, inputs, ValueRange{init}, maps, iters,
                                           [&](OpBuilder &nb, Location nloc, ValueRange args) {
                                             SmallVector<Value> ivs;
                                             for (int64_t d = 0; d < rank; ++d)
                                               ivs.push_back(linalg::IndexOp::create(nb, nloc, d));
                                             Value r = body(nb, nloc, ivs, args.drop_back());
                                             linalg::YieldOp::create(nb, nloc, r);
                                           });
  return generic.getResult(0);
}

Value toI64(OpBuilder &b, Location loc, Value v, bool isUnsigned) {
  Type t = v.getType();
  if (t.isIndex())
    return arith::IndexCastOp::create(b, loc, b.getI64Type(), v);
  if (isa<FloatType>(t))
    return arith::FPToSIOp::create(b, loc, b.getI64Type(), v);
  unsigned w = t.getIntOrFloatBitWidth();
  if (w == 64)
    return v;
  if (w < 64 && (isUnsigned || w == 1))
    return arith::ExtUIOp::create(b, loc, b.getI64Type(), v);
  if (w < 64)
    return arith::ExtSIOp::create(b, loc, b.getI64Type(), v);
  return arith::TruncIOp::create(b, loc, b.getI64Type(), v);
}

Value toIndex(OpBuilder &b, Location loc, Value v, bool isUnsigned) {
  if (v.getType().isIndex())
    return v;
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), toI64(b, loc, v, isUnsigned));
}

Value convertFloat(OpBuilder &b, Location loc, Value v, Type to) {
  unsigned from = v.getType().getIntOrFloatBitWidth(), width = to.getIntOrFloatBitWidth();
  if (v.getType() == to)
    return v;
  if (from < width)
    return arith::ExtFOp::create(b, loc, to, v);
  return arith::TruncFOp::create(b, loc, to, v);
}

Type accumulatorType(Type elt) {
  if (auto ft = dyn_cast<FloatType>(elt); ft && ft.getWidth() < 32)
    return Float32Type::get(elt.getContext());
  return elt;
}

Value firstElement(OpBuilder &b, Location loc, Value t) {
  SmallVector<Value> idx(tensorType(t).getRank(), arith::ConstantIndexOp::create(b, loc, 0));
  return tensor::ExtractOp::create(b, loc, t, idx);
}

Value scalarOf(OpBuilder &b, Location loc, Value t) {
  auto type = tensorType(t);
  if (type.hasStaticShape() && type.getNumElements() != 1)
    return {};
  return firstElement(b, loc, t);
}

FailureOr<int64_t> resolveAxis(Operation *op, int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return op->emitError("axis ") << axis << " out of range for rank " << rank;
  return normalizeAxis(axis, rank);
}

Value widenMinusZeroPoint(OpBuilder &b, Location loc, Value v, bool isUnsigned, Value zp, bool zpUnsigned) {
  Type i32 = b.getI32Type();
  auto widen = [&](OpBuilder &nb, Location l, Value s, bool uns) -> Value {
    if (s.getType() == i32)
      return s;
    if (s.getType().getIntOrFloatBitWidth() > 32)
      return arith::TruncIOp::create(nb, l, i32, s);
    return uns ? arith::ExtUIOp::create(nb, l, i32, s).getResult() : arith::ExtSIOp::create(nb, l, i32, s).getResult();
  };
  SmallVector<Value> ins{v};
  if (zp)
    ins.push_back(zp);
  return elementwise(b, loc, RankedTensorType::get(tensorType(v).getShape(), i32), ins,
                     [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
                       Value r = widen(nb, l, a[0], isUnsigned);
                       if (a.size() > 1)
                         r = arith::SubIOp::create(nb, l, r, widen(nb, l, a[1], zpUnsigned));
                       return r;
                     });
}

LogicalResult requireStaticShapes(Operation *op) {
  for (Type t : llvm::concat<Type>(op->getOperandTypes(), op->getResultTypes()))
    if (auto rt = dyn_cast<RankedTensorType>(t); rt && !rt.hasStaticShape())
      return op->emitError("dynamic shapes are not supported by this op's lowering yet");
  return success();
}

} // namespace mcc::lowering
