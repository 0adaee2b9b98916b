//===- MatMul.cpp - onnx MatMul, Gemm, Einsum, Det and the integer matmuls -> linalg ===//
#include "passes/lowering/LoweringUtils.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

#include <map>

using namespace mlir;
namespace onnxd = mcc::onnx;

namespace mcc::lowering {
namespace {

Value addOrMul(OpBuilder &b, Location loc, Value acc, Value x, Value y) {
  if (isa<FloatType>(x.getType()))
    return arith::AddFOp::create(b, loc, acc, arith::MulFOp::create(b, loc, x, y));
  return arith::AddIOp::create(b, loc, acc, arith::MulIOp::create(b, loc, x, y));
}

/// numpy matmul of `lhs` and `rhs` (of `resultType`'s element type): batch dims broadcast, a 1-D A
/// is a row vector and a 1-D B a column vector whose unit dim is then dropped. The plain 2-D case is
/// the named op, which later tiling/vectorisation recognises; the others one linalg.generic over
/// (batch..., [m], [n], k).
Value buildMatMul(OpBuilder &b, Location loc, Value lhs, Value rhs, RankedTensorType resultType) {
  MLIRContext *ctx = b.getContext();
  auto aType = tensorType(lhs), bType = tensorType(rhs);
  Type elt = resultType.getElementType();
  Value init = filledTensor(b, loc, resultType, scalarConstant(b, loc, elt, 0));
  if (aType.getRank() == 2 && bType.getRank() == 2)
    return linalg::MatmulOp::create(b, loc, TypeRange{resultType}, ValueRange{lhs, rhs}, ValueRange{init}).getResult(0);
  bool hasM = aType.getRank() >= 2, hasN = bType.getRank() >= 2;
  int64_t batchRank = resultType.getRank() - (hasM ? 1 : 0) - (hasN ? 1 : 0);
  // Loop dims: batch..., m?, n?, k.
  int64_t mDim = batchRank, nDim = batchRank + (hasM ? 1 : 0), kDim = nDim + (hasN ? 1 : 0);
  int64_t numLoops = kDim + 1;
  ArrayRef<int64_t> outShape = resultType.getShape();
  auto batchExprs = [&](RankedTensorType t, int64_t matRank) {
    SmallVector<AffineExpr> e;
    int64_t tb = t.getRank() - matRank;
    for (int64_t i = 0; i < tb; ++i) {
      int64_t loop = batchRank - tb + i;
      if (t.getDimSize(i) == 1 && outShape[loop] != 1)
        e.push_back(getAffineConstantExpr(0, ctx));
      else
        e.push_back(getAffineDimExpr(loop, ctx));
    }
    return e;
  };
  SmallVector<AffineExpr> aExprs = batchExprs(aType, hasM ? 2 : 1);
  if (hasM)
    aExprs.push_back(getAffineDimExpr(mDim, ctx));
  aExprs.push_back(getAffineDimExpr(kDim, ctx));
  SmallVector<AffineExpr> bExprs = batchExprs(bType, hasN ? 2 : 1);
  bExprs.push_back(getAffineDimExpr(kDim, ctx));
  if (hasN)
    bExprs.push_back(getAffineDimExpr(nDim, ctx));
  SmallVector<AffineExpr> cExprs;
  for (int64_t i = 0; i < kDim; ++i)
    cExprs.push_back(getAffineDimExpr(i, ctx));
  SmallVector<AffineMap> maps{AffineMap::get(numLoops, 0, aExprs, ctx), AffineMap::get(numLoops, 0, bExprs, ctx),
                              AffineMap::get(numLoops, 0, cExprs, ctx)};
  SmallVector<utils::IteratorType> iters(numLoops, utils::IteratorType::parallel);
  iters.back() = utils::IteratorType::reduction;
  return linalg::GenericOp::create(b, loc, TypeRange{resultType}, ValueRange{lhs, rhs}, ValueRange{init}, maps, iters,
                                   [&](OpBuilder &nb, Location l, ValueRange args) {
                                     linalg::YieldOp::create(nb, l, addOrMul(nb, l, args[2], args[0], args[1]));
                                   })
      .getResult(0);
}

struct MatMulLowering : OpConversionPattern<onnxd::MatMulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::MatMulOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    auto resultType = loweredType(op.getType());
    Type elt = resultType.getElementType();
    if (!elt.isIntOrFloat() || elt.isInteger(1))
      return op.emitError("element type ") << elt << " is not supported";
    rewriter.replaceOp(op, buildMatMul(rewriter, op.getLoc(), adaptor.getA(), adaptor.getB(), resultType));
    return success();
  }
};

/// Y = alpha * op(A) op(B) + beta * C: a contraction with the transposes in its indexing maps, then
/// one elementwise epilogue for alpha, beta and the broadcast C.
struct GemmLowering : OpConversionPattern<onnxd::GemmOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::GemmOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    auto resultType = loweredType(op.getType());
    Type elt = resultType.getElementType();
    if (!isa<FloatType>(elt) && !(elt.isIntOrFloat() && !elt.isInteger(1)))
      return op.emitError("element type ") << elt << " is not supported";
    AffineExpr m = getAffineDimExpr(0, ctx), n = getAffineDimExpr(1, ctx), k = getAffineDimExpr(2, ctx);
    AffineMap aMap =
        AffineMap::get(3, 0, op.getTransA() ? ArrayRef<AffineExpr>{k, m} : ArrayRef<AffineExpr>{m, k}, ctx);
    AffineMap bMap =
        AffineMap::get(3, 0, op.getTransB() ? ArrayRef<AffineExpr>{n, k} : ArrayRef<AffineExpr>{k, n}, ctx);
    AffineMap cMap = AffineMap::get(3, 0, {m, n}, ctx);
    SmallVector<utils::IteratorType> iters{utils::IteratorType::parallel, utils::IteratorType::parallel,
                                           utils::IteratorType::reduction};
    Value init = filledTensor(rewriter, loc, resultType, scalarConstant(rewriter, loc, elt, 0));
    Value acc =
        linalg::GenericOp::create(rewriter, loc, TypeRange{resultType}, ValueRange{adaptor.getA(), adaptor.getB()},
                                  ValueRange{init}, SmallVector<AffineMap>{aMap, bMap, cMap}, iters,
                                  [&](OpBuilder &b, Location l, ValueRange args) {
                                    linalg::YieldOp::create(b, l, addOrMul(b, l, args[2], args[0], args[1]));
                                  })
            .getResult(0);

    double alpha = op.getAlpha().convertToDouble(), beta = op.getBeta().convertToDouble();
    bool hasC = !onnxd::isNoValue(op.getC()) && beta != 0.0;
    if (alpha == 1.0 && !hasC) {
      rewriter.replaceOp(op, acc);
      return success();
    }
    SmallVector<Value> ins{acc};
    if (hasC) {
      SmallVector<int64_t> dummy;
      if (!onnxd::broadcastShapes(tensorType(adaptor.getC()).getShape(), resultType.getShape(), dummy) ||
          ArrayRef<int64_t>(dummy) != resultType.getShape())
        return op.emitError("C of shape ") << tensorType(adaptor.getC()) << " does not broadcast to " << resultType;
      ins.push_back(adaptor.getC());
    }
    bool isFloat = isa<FloatType>(elt);
    Value r = elementwise(rewriter, loc, resultType, ins, [&](OpBuilder &b, Location l, ValueRange a) -> Value {
      auto mul = [&](Value x, double s) -> Value {
        if (s == 1.0)
          return x;
        Value c = scalarConstant(b, l, elt, s);
        return isFloat ? arith::MulFOp::create(b, l, x, c).getResult() : arith::MulIOp::create(b, l, x, c).getResult();
      };
      Value v = mul(a[0], alpha);
      if (a.size() > 1) {
        Value cv = mul(a[1], beta);
        v = isFloat ? arith::AddFOp::create(b, l, v, cv).getResult() : arith::AddIOp::create(b, l, v, cv).getResult();
      }
      return v;
    });
    rewriter.replaceOp(op, r);
    return success();
  }
};

/// A zero point or scale shaped to broadcast against `operand`: one element becomes a scalar; a
/// vector along `axisFromEnd` (1: rows of A, 0: columns of B) gets trailing unit dims; anything else
/// must already broadcast. Null when it does not fit.
Value shapeForOperand(OpBuilder &b, Location loc, Value v, RankedTensorType operand, int64_t axisFromEnd) {
  auto type = tensorType(v);
  if (type.getNumElements() == 1)
    return reshapeTo(b, loc, v, RankedTensorType::get({}, type.getElementType()));
  if (type.getRank() == 1 && operand.getRank() >= 2 && axisFromEnd > 0 &&
      type.getDimSize(0) == operand.getDimSize(operand.getRank() - 1 - axisFromEnd)) {
    SmallVector<int64_t> shape{type.getDimSize(0)};
    shape.append(axisFromEnd, 1);
    return reshapeTo(b, loc, v, RankedTensorType::get(shape, type.getElementType()));
  }
  SmallVector<int64_t> out;
  if (!onnxd::broadcastShapes(type.getShape(), operand.getShape(), out) || ArrayRef<int64_t>(out) != operand.getShape())
    return Value();
  return v;
}

/// The i32 product of two 8-bit operands with their zero points subtracted (MatMulInteger's result).
FailureOr<Value> integerMatMul(Operation *op, OpBuilder &b, Value a, Value origA, Value aZp, Value origAZp, Value bm,
                               Value origB, Value bZp, Value origBZp, RankedTensorType accType) {
  Location loc = op->getLoc();
  if (!is8Bit(origA.getType()) || !is8Bit(origB.getType()))
    return op->emitError("A and B must be 8-bit integers"), failure();
  auto aType = tensorType(a), bType = tensorType(bm);
  Value az, bz;
  if (aZp && !(az = shapeForOperand(b, loc, aZp, aType, 1)))
    return op->emitError("a zero point of type ") << tensorType(aZp) << " does not fit A " << aType, failure();
  if (bZp && !(bz = shapeForOperand(b, loc, bZp, bType, 0)))
    return op->emitError("b zero point of type ") << tensorType(bZp) << " does not fit B " << bType, failure();
  Value ai = widenMinusZeroPoint(b, loc, a, isUnsignedElement(origA.getType()), az,
                                 aZp && isUnsignedElement(origAZp.getType()));
  Value bi = widenMinusZeroPoint(b, loc, bm, isUnsignedElement(origB.getType()), bz,
                                 bZp && isUnsignedElement(origBZp.getType()));
  return buildMatMul(b, loc, ai, bi, accType);
}

struct MatMulIntegerLowering : OpConversionPattern<onnxd::MatMulIntegerOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::MatMulIntegerOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    auto resultType = loweredType(op.getType());
    if (!resultType.getElementType().isInteger(32))
      return op.emitError("result must be int32");
    auto opt = [](Value orig, Value conv) { return onnxd::isNoValue(orig) ? Value() : conv; };
    auto y = integerMatMul(op, rewriter, adaptor.getA(), op.getA(), opt(op.getAZeroPoint(), adaptor.getAZeroPoint()),
                           op.getAZeroPoint(), adaptor.getB(), op.getB(),
                           opt(op.getBZeroPoint(), adaptor.getBZeroPoint()), op.getBZeroPoint(), resultType);
    if (failed(y))
      return failure();
    rewriter.replaceOp(op, *y);
    return success();
  }
};

struct QLinearMatMulLowering : OpConversionPattern<onnxd::QLinearMatMulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::QLinearMatMulOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    auto resultType = loweredType(op.getType());
    Type elt = resultType.getElementType();
    if (!elt.isInteger(8))
      return op.emitError("result must be 8-bit");
    for (Value s : {adaptor.getAScale(), adaptor.getBScale(), adaptor.getYScale()})
      if (!tensorType(s).getElementType().isF32())
        return op.emitError("scales must be float32");
    if (tensorType(adaptor.getYScale()).getNumElements() != 1 ||
        tensorType(adaptor.getYZeroPoint()).getNumElements() != 1)
      return op.emitError("y_scale and y_zero_point must be scalars");
    auto accType = RankedTensorType::get(resultType.getShape(), rewriter.getI32Type());
    auto acc = integerMatMul(op, rewriter, adaptor.getA(), op.getA(), adaptor.getAZeroPoint(), op.getAZeroPoint(),
                             adaptor.getB(), op.getB(), adaptor.getBZeroPoint(), op.getBZeroPoint(), accType);
    if (failed(acc))
      return failure();
    // multiplier = a_scale (per row) * b_scale (per column) / y_scale, broadcast over the result.
    Value as = shapeForOperand(rewriter, loc, adaptor.getAScale(), tensorType(adaptor.getA()), 1);
    Value bs = shapeForOperand(rewriter, loc, adaptor.getBScale(), tensorType(adaptor.getB()), 0);
    if (!as || !bs || tensorType(adaptor.getA()).getRank() < 2 || tensorType(adaptor.getB()).getRank() < 2)
      return op.emitError("scales must be scalars, per row of A or per column of B, with 2-D or higher operands");
    Value ys = reshapeTo(rewriter, loc, adaptor.getYScale(), RankedTensorType::get({}, rewriter.getF32Type()));
    Value yz = reshapeTo(rewriter, loc, adaptor.getYZeroPoint(), RankedTensorType::get({}, elt));
    SmallVector<int64_t> multShape;
    if (!onnxd::broadcastShapes(tensorType(as).getShape(), tensorType(bs).getShape(), multShape))
      return op.emitError("a_scale and b_scale do not broadcast");
    rewriter.replaceOp(op, requantizeAccumulators(rewriter, loc, resultType, *acc, as, bs, ys, yz,
                                                  isUnsignedElement(op.getYZeroPoint().getType())));
    return success();
  }
};

/// Einsum as one linalg.generic: a loop per distinct label (and per '...' dim), output labels
/// parallel, the others reductions; a label repeated in one operand reads its diagonal.
struct EinsumLowering : OpConversionPattern<onnxd::EinsumOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::EinsumOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    auto resultType = loweredType(op.getType());
    Type elt = resultType.getElementType();
    if (!elt.isIntOrFloat() || elt.isInteger(1))
      return op.emitError("element type ") << elt << " is not supported";
    std::string eq;
    for (char ch : op.getEquation())
      if (!isspace((unsigned char)ch))
        eq.push_back(ch);
    StringRef eqRef(eq);
    auto [lhs, rhs] = eqRef.split("->");
    bool explicitOut = eqRef.contains("->");
    SmallVector<StringRef> terms;
    lhs.split(terms, ',');
    ValueRange inputs = adaptor.getInputs();
    if (terms.size() != inputs.size())
      return op.emitError("equation '") << op.getEquation() << "' has " << terms.size() << " operands, got "
                                        << inputs.size();

    // Labels: letters are 0..51; the ellipsis dims are -1 - k, numbered right-aligned over all operands.
    auto parseTerm = [&](StringRef term, int64_t rank, SmallVectorImpl<int64_t> &labels,
                         int64_t &ellipsisRank) -> LogicalResult {
      size_t dots = term.find("...");
      StringRef before = dots == StringRef::npos ? term : term.take_front(dots);
      StringRef after = dots == StringRef::npos ? "" : term.drop_front(dots + 3);
      int64_t letters = before.size() + after.size();
      ellipsisRank = dots == StringRef::npos ? 0 : rank - letters;
      if (ellipsisRank < 0 || (dots == StringRef::npos && letters != rank))
        return op.emitError("term '") << term << "' does not match an operand of rank " << rank;
      auto label = [&](char ch) -> int64_t {
        if (ch >= 'a' && ch <= 'z')
          return ch - 'a';
        if (ch >= 'A' && ch <= 'Z')
          return 26 + ch - 'A';
        return -1000;
      };
      for (char ch : before)
        labels.push_back(label(ch));
      for (int64_t k = ellipsisRank; k > 0; --k)
        labels.push_back(-k); // -1 is the last ellipsis dim
      for (char ch : after)
        labels.push_back(label(ch));
      if (llvm::any_of(labels, [](int64_t l) { return l == -1000; }))
        return op.emitError("equation '") << op.getEquation() << "' has a character that is not a letter";
      return success();
    };
    SmallVector<SmallVector<int64_t>> inLabels(inputs.size());
    int64_t ellipsis = 0;
    for (auto [i, term] : llvm::enumerate(terms)) {
      int64_t er;
      if (failed(parseTerm(term, tensorType(inputs[i]).getRank(), inLabels[i], er)))
        return failure();
      ellipsis = std::max(ellipsis, er);
    }
    // Sizes of every label (size-1 dims broadcast).
    std::map<int64_t, int64_t> sizes;
    std::map<int64_t, int> counts;
    for (auto [i, labels] : llvm::enumerate(inLabels))
      for (auto [j, l] : llvm::enumerate(labels)) {
        int64_t size = tensorType(inputs[i]).getDimSize(j);
        auto [it, inserted] = sizes.insert({l, size});
        if (!inserted && it->second != size) {
          if (it->second != 1 && size != 1)
            return op.emitError("label dims of sizes ") << it->second << " and " << size << " do not match";
          it->second = std::max(it->second, size);
        }
        ++counts[l];
      }
    SmallVector<int64_t> outLabels;
    if (explicitOut) {
      int64_t er;
      if (failed(parseTerm(rhs, rhs.contains("...") ? resultType.getRank() : rhs.size(), outLabels, er)))
        return failure();
      if (er != (rhs.contains("...") ? ellipsis : 0))
        return op.emitError("output term '") << rhs << "' does not match the result rank " << resultType.getRank();
      for (int64_t l : outLabels)
        if (!sizes.count(l) || llvm::count(outLabels, l) > 1)
          return op.emitError("output label of '") << rhs << "' is missing from the inputs or repeated";
    } else {
      for (int64_t k = ellipsis; k > 0; --k)
        outLabels.push_back(-k);
      for (auto [l, c] : counts) // std::map: letters in order a..z, A..Z
        if (l >= 0 && c == 1)
          outLabels.push_back(l);
      // ONNX Runtime and numpy order the implicit output by character code: upper case first.
      llvm::sort(outLabels, [](int64_t a, int64_t b) {
        auto key = [](int64_t l) { return l < 0 ? l - 100 : (l >= 26 ? l - 26 : l + 26); };
        return key(a) < key(b);
      });
    }
    // Loops: output labels, then the reduced ones.
    SmallVector<int64_t> loops(outLabels);
    for (auto [l, size] : sizes)
      if (!llvm::is_contained(loops, l))
        loops.push_back(l);
    auto loopOf = [&](int64_t l) { return (unsigned)(llvm::find(loops, l) - loops.begin()); };
    SmallVector<int64_t> outShape;
    for (int64_t l : outLabels)
      outShape.push_back(sizes[l]);
    if (ArrayRef<int64_t>(outShape) != resultType.getShape())
      return op.emitError("computed result shape does not match ") << resultType;
    SmallVector<AffineMap> maps;
    for (auto [i, labels] : llvm::enumerate(inLabels)) {
      SmallVector<AffineExpr> e;
      for (auto [j, l] : llvm::enumerate(labels)) {
        bool stretched = tensorType(inputs[i]).getDimSize(j) == 1 && sizes[l] != 1;
        e.push_back(stretched ? getAffineConstantExpr(0, ctx) : getAffineDimExpr(loopOf(l), ctx));
      }
      maps.push_back(AffineMap::get(loops.size(), 0, e, ctx));
    }
    SmallVector<AffineExpr> oe;
    for (size_t i = 0; i < outLabels.size(); ++i)
      oe.push_back(getAffineDimExpr(i, ctx));
    maps.push_back(AffineMap::get(loops.size(), 0, oe, ctx));
    SmallVector<utils::IteratorType> iters(loops.size(), utils::IteratorType::reduction);
    for (size_t i = 0; i < outLabels.size(); ++i)
      iters[i] = utils::IteratorType::parallel;
    bool isFloat = isa<FloatType>(elt);
    Value init = filledTensor(rewriter, loc, resultType, scalarConstant(rewriter, loc, elt, 0));
    Value r = linalg::GenericOp::create(rewriter, loc, TypeRange{resultType}, inputs, ValueRange{init}, maps, iters,
                                        [&](OpBuilder &b, Location l, ValueRange a) {
                                          Value prod = a[0];
                                          for (size_t i = 1; i + 1 < a.size(); ++i)
                                            prod = isFloat ? arith::MulFOp::create(b, l, prod, a[i]).getResult()
                                                           : arith::MulIOp::create(b, l, prod, a[i]).getResult();
                                          Value sum = isFloat ? arith::AddFOp::create(b, l, a.back(), prod).getResult()
                                                              : arith::AddIOp::create(b, l, a.back(), prod).getResult();
                                          linalg::YieldOp::create(b, l, sum);
                                        })
                  .getResult(0);
    rewriter.replaceOp(op, r);
    return success();
  }
};

/// Det by LU decomposition with partial pivoting, one matrix at a time, on a working copy carried
/// through scf.for loops (no allocation inside them).
struct DetLowering : OpConversionPattern<onnxd::DetOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::DetOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    auto xType = tensorType(adaptor.getX());
    auto resultType = loweredType(op.getType());
    auto elt = dyn_cast<FloatType>(resultType.getElementType());
    if (!elt)
      return op.emitError("element type ") << resultType.getElementType() << " is not supported";
    int64_t n = xType.getShape().back();
    int64_t count = resultType.getNumElements();
    auto workType = RankedTensorType::get({count, n, n}, elt);
    auto flatType = RankedTensorType::get({count}, elt);
    // The copy makes the working tensor writable (X may be a read-only input).
    Value work = linalg::CopyOp::create(rewriter, loc, ValueRange{reshapeTo(rewriter, loc, adaptor.getX(), workType)},
                                        ValueRange{tensor::EmptyOp::create(rewriter, loc, workType.getShape(), elt)})
                     .getResult(0);
    Value dets = filledTensor(rewriter, loc, flatType, scalarConstant(rewriter, loc, elt, 0));
    auto idx = [&](OpBuilder &b, Location l, int64_t v) { return arith::ConstantIndexOp::create(b, l, v).getResult(); };
    Value c0 = idx(rewriter, loc, 0), c1 = idx(rewriter, loc, 1), cn = idx(rewriter, loc, n),
          cCount = idx(rewriter, loc, count);
    auto batchLoop = scf::ForOp::create(
        rewriter, loc, c0, cCount, c1, ValueRange{work, dets},
        [&](OpBuilder &b, Location l, Value bi, ValueRange args) {
          Value one = scalarConstant(b, l, elt, 1), zero = scalarConstant(b, l, elt, 0);
          auto at = [&](OpBuilder &nb, Location nl, Value m, Value i, Value j) {
            return tensor::ExtractOp::create(nb, nl, m, ValueRange{bi, i, j}).getResult();
          };
          auto kLoop = scf::ForOp::create(
              b, l, c0, cn, c1, ValueRange{args[0], one}, [&](OpBuilder &kb, Location kl, Value k, ValueRange kargs) {
                Value m = kargs[0], det = kargs[1];
                Value k1 = arith::AddIOp::create(kb, kl, k, c1);
                // Pivot: the row at or below k with the largest |m[i][k]| (the first one on ties).
                auto piv = scf::ForOp::create(
                    kb, kl, k1, cn, c1, ValueRange{k, math::AbsFOp::create(kb, kl, at(kb, kl, m, k, k)).getResult()},
                    [&](OpBuilder &pb, Location pl, Value i, ValueRange pargs) {
                      Value v = math::AbsFOp::create(pb, pl, at(pb, pl, m, i, k));
                      Value better = arith::CmpFOp::create(pb, pl, arith::CmpFPredicate::OGT, v, pargs[1]);
                      scf::YieldOp::create(
                          pb, pl,
                          ValueRange{arith::SelectOp::create(pb, pl, better, i, pargs[0]).getResult(),
                                     arith::SelectOp::create(pb, pl, better, v, pargs[1]).getResult()});
                    });
                Value p = piv.getResult(0);
                // Swap rows k and p (a no-op when p == k) and flip the sign.
                auto swap = scf::ForOp::create(
                    kb, kl, c0, cn, c1, ValueRange{m}, [&](OpBuilder &sb, Location sl, Value j, ValueRange sargs) {
                      Value a = at(sb, sl, sargs[0], k, j), c = at(sb, sl, sargs[0], p, j);
                      Value m1 = tensor::InsertOp::create(sb, sl, c, sargs[0], ValueRange{bi, k, j});
                      Value m2 = tensor::InsertOp::create(sb, sl, a, m1, ValueRange{bi, p, j});
                      scf::YieldOp::create(sb, sl, m2);
                    });
                m = swap.getResult(0);
                Value swapped = arith::CmpIOp::create(kb, kl, arith::CmpIPredicate::ne, p, k);
                det = arith::SelectOp::create(kb, kl, swapped, arith::NegFOp::create(kb, kl, det), det);
                Value pivot = at(kb, kl, m, k, k);
                det = arith::MulFOp::create(kb, kl, det, pivot);
                // Eliminate below the pivot; a zero pivot leaves a zero determinant and skips the division.
                Value pivotZero = arith::CmpFOp::create(kb, kl, arith::CmpFPredicate::OEQ, pivot, zero);
                auto rows = scf::ForOp::create(
                    kb, kl, k1, cn, c1, ValueRange{m}, [&](OpBuilder &rb, Location rl, Value i, ValueRange rargs) {
                      Value f = arith::DivFOp::create(rb, rl, at(rb, rl, rargs[0], i, k), pivot);
                      f = arith::SelectOp::create(rb, rl, pivotZero, zero, f);
                      auto cols = scf::ForOp::create(
                          rb, rl, k1, cn, c1, ValueRange{rargs[0]},
                          [&](OpBuilder &cb, Location cl, Value j, ValueRange cargs) {
                            Value v =
                                arith::SubFOp::create(cb, cl, at(cb, cl, cargs[0], i, j),
                                                      arith::MulFOp::create(cb, cl, f, at(cb, cl, cargs[0], k, j)));
                            scf::YieldOp::create(
                                cb, cl,
                                tensor::InsertOp::create(cb, cl, v, cargs[0], ValueRange{bi, i, j}).getResult());
                          });
                      scf::YieldOp::create(rb, rl, cols.getResult(0));
                    });
                scf::YieldOp::create(kb, kl, ValueRange{rows.getResult(0), det});
              });
          Value newDets = tensor::InsertOp::create(b, l, kLoop.getResult(1), args[1], ValueRange{bi});
          scf::YieldOp::create(b, l, ValueRange{kLoop.getResult(0), newDets});
        });
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, batchLoop.getResult(1), resultType));
    return success();
  }
};

} // namespace

void populateMatMulPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<MatMulLowering, GemmLowering, EinsumLowering, DetLowering, MatMulIntegerLowering, QLinearMatMulLowering>(
      converter, patterns.getContext());
}

} // namespace mcc::lowering
