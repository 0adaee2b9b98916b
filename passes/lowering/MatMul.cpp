//===- MatMul.cpp - onnx MatMul and Gemm -> linalg ------------------------===//
#include "passes/lowering/LoweringUtils.h"

using namespace mlir;
namespace onnxd = mcc::onnx;

namespace mcc::lowering {
namespace {

Value addOrMul(OpBuilder &b, Location loc, Value acc, Value x, Value y) {
  if (isa<FloatType>(x.getType()))
    return arith::AddFOp::create(b, loc, acc, arith::MulFOp::create(b, loc, x, y));
  return arith::AddIOp::create(b, loc, acc, arith::MulIOp::create(b, loc, x, y));
}

/// numpy matmul: batch dims broadcast, a 1-D A is a row vector and a 1-D B a column vector whose
/// unit dim is then dropped. One linalg.generic over (batch..., [m], [n], k).
struct MatMulLowering : OpConversionPattern<onnxd::MatMulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::MatMulOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    auto aType = tensorType(adaptor.getA()), bType = tensorType(adaptor.getB());
    auto resultType = loweredType(op.getType());
    Type elt = resultType.getElementType();
    if (!elt.isIntOrFloat() || elt.isInteger(1))
      return op.emitError("element type ") << elt << " is not supported";

    // Plain 2-D case: the named op, which later tiling/vectorisation recognises.
    if (aType.getRank() == 2 && bType.getRank() == 2) {
      Value init = filledTensor(rewriter, loc, resultType, scalarConstant(rewriter, loc, elt, 0));
      rewriter.replaceOp(op, linalg::MatmulOp::create(rewriter, loc, TypeRange{resultType},
                                                      ValueRange{adaptor.getA(), adaptor.getB()}, ValueRange{init})
                                 .getResult(0));
      return success();
    }
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
    SmallVector<AffineMap> maps{AffineMap::get(numLoops, 0, aExprs, ctx),
                                AffineMap::get(numLoops, 0, bExprs, ctx),
                                AffineMap::get(numLoops, 0, cExprs, ctx)};
    SmallVector<utils::IteratorType> iters(numLoops, utils::IteratorType::parallel);
    iters.back() = utils::IteratorType::reduction;
    Value init = filledTensor(rewriter, loc, resultType, scalarConstant(rewriter, loc, elt, 0));
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, ValueRange{adaptor.getA(), adaptor.getB()}, ValueRange{init}, maps,
        iters, [&](OpBuilder &b, Location l, ValueRange args) {
          linalg::YieldOp::create(b, l, addOrMul(b, l, args[2], args[0], args[1]));
        });
    rewriter.replaceOp(op, generic.getResult(0));
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
    AffineMap aMap = AffineMap::get(3, 0, op.getTransA() ? ArrayRef<AffineExpr>{k, m} : ArrayRef<AffineExpr>{m, k}, ctx);
    AffineMap bMap = AffineMap::get(3, 0, op.getTransB() ? ArrayRef<AffineExpr>{n, k} : ArrayRef<AffineExpr>{k, n}, ctx);
    AffineMap cMap = AffineMap::get(3, 0, {m, n}, ctx);
    SmallVector<utils::IteratorType> iters{utils::IteratorType::parallel, utils::IteratorType::parallel,
                                           utils::IteratorType::reduction};
    Value init = filledTensor(rewriter, loc, resultType, scalarConstant(rewriter, loc, elt, 0));
    Value acc = linalg::GenericOp::create(
                    rewriter, loc, TypeRange{resultType}, ValueRange{adaptor.getA(), adaptor.getB()},
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

} // namespace

void populateMatMulPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<MatMulLowering, GemmLowering>(converter, patterns.getContext());
}

} // namespace mcc::lowering
