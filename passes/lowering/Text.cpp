//===- Text.cpp - onnx text featurisation ops -> linalg -------------------===//
//
// TfIdfVectorizer: the pool is known at compile time, so it becomes constant tables grouped by output
// column (CSR: the n-grams of column j are entries colStart[j] .. colStart[j+1]); one generic over
// the output counts, for each of its n-grams, every skip distance and start position, the windows that
// match.
//
//===----------------------------------------------------------------------===//
#include "passes/lowering/LoweringUtils.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
namespace onnxd = mcc::onnx;

namespace mcc::lowering {
namespace {

struct TfIdfVectorizerLowering : OpConversionPattern<onnxd::TfIdfVectorizerOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnxd::TfIdfVectorizerOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    auto xType = tensorType(x);
    auto yType = loweredType(op.getY().getType());
    int64_t rank = xType.getRank(), length = xType.getDimSize(rank - 1), columns = yType.getDimSize(rank - 1);
    if (rank == 2 && yType.getDimSize(0) != xType.getDimSize(0))
      return op.emitError("Y must have as many rows as X");
    ArrayRef<int64_t> pool = op.getPoolInt64s() ? *op.getPoolInt64s() : ArrayRef<int64_t>();
    ArrayRef<int64_t> counts = op.getNgramCounts(), indexes = op.getNgramIndexes();
    std::optional<ArrayRef<float>> weights = op.getWeights();
    int64_t minN = op.getMinGramLength(), maxN = op.getMaxGramLength();

    // The n-grams each column counts, and each column's weight.
    struct Gram {
      int64_t column;
      ArrayRef<int64_t> tokens;
    };
    SmallVector<Gram> grams;
    SmallVector<float> columnWeight(columns, 1.0f);
    SmallVector<bool> weighted(columns, false);
    int64_t k = 0;
    for (size_t i = 0; i < counts.size(); ++i) {
      int64_t n = i + 1, begin = counts[i], end = i + 1 < counts.size() ? counts[i + 1] : (int64_t)pool.size();
      for (int64_t at = begin; at + n <= end; at += n, ++k) {
        int64_t col = indexes[k];
        if (col >= columns)
          return op.emitError("ngram_indexes entry ") << col << " is outside the " << columns << " output columns";
        if (weights) {
          float w = (*weights)[k];
          if (weighted[col] && columnWeight[col] != w && op.getMode() != "TF")
            return op.emitError("ngram_indexes maps n-grams of different weights to column ") << col;
          columnWeight[col] = w;
          weighted[col] = true;
        }
        if (n >= minN && n <= maxN)
          grams.push_back({col, pool.slice(at, n)});
      }
    }
    llvm::sort(grams, [](const Gram &a, const Gram &b) { return a.column < b.column; });
    int64_t width = std::max<int64_t>(1, maxN), numGrams = grams.size();
    SmallVector<int64_t> colStart(columns + 1, 0), lens, tokens;
    for (const Gram &g : grams) {
      ++colStart[g.column + 1];
      lens.push_back(g.tokens.size());
      for (int64_t t = 0; t < width; ++t)
        tokens.push_back(t < (int64_t)g.tokens.size() ? g.tokens[t] : 0);
    }
    for (int64_t j = 0; j < columns; ++j)
      colStart[j + 1] += colStart[j];

    auto i64 = rewriter.getI64Type();
    auto table = [&](ArrayRef<int64_t> shape, ArrayRef<int64_t> values) -> Value {
      auto type = RankedTensorType::get(shape, i64);
      return arith::ConstantOp::create(rewriter, loc, type, DenseElementsAttr::get(type, values));
    };
    Value starts = table({columns + 1}, colStart), lenTable = table({numGrams}, lens),
          tokTable = table({numGrams, width}, tokens);
    auto wType = RankedTensorType::get({columns}, rewriter.getF32Type());
    Value wTable =
        arith::ConstantOp::create(rewriter, loc, wType, DenseElementsAttr::get(wType, ArrayRef<float>(columnWeight)));
    int64_t maxDistance = (int64_t)op.getMaxSkipCount() + 1;
    StringRef mode = op.getMode();

    Value y =
        indexedGeneric(rewriter, loc, yType, {}, {}, [&](OpBuilder &b, Location l, ArrayRef<Value> ivs, ValueRange) {
          auto idx = [&](int64_t v) { return arith::ConstantIndexOp::create(b, l, v); };
          auto toIndex = [&](Value v) { return arith::IndexCastOp::create(b, l, b.getIndexType(), v); };
          Value col = ivs.back();
          Value zero = arith::ConstantOp::create(b, l, b.getI64IntegerAttr(0));
          Value one = idx(1);
          Value first = toIndex(tensor::ExtractOp::create(b, l, starts, ValueRange{col}));
          Value last =
              toIndex(tensor::ExtractOp::create(b, l, starts, ValueRange{arith::AddIOp::create(b, l, col, one)}));
          auto count = scf::ForOp::create(
              b, l, first, last, one, ValueRange{zero}, [&](OpBuilder &b1, Location l1, Value e, ValueRange acc1) {
                Value n = arith::IndexCastOp::create(b1, l1, b1.getIndexType(),
                                                     tensor::ExtractOp::create(b1, l1, lenTable, ValueRange{e}));
                Value isUni = arith::CmpIOp::create(b1, l1, arith::CmpIPredicate::eq, n, one);
                // Unigrams do not depend on the skip distance: counted once.
                Value dEnd = arith::SelectOp::create(b1, l1, isUni, arith::ConstantIndexOp::create(b1, l1, 2),
                                                     arith::ConstantIndexOp::create(b1, l1, maxDistance + 1));
                auto perDistance = scf::ForOp::create(
                    b1, l1, one, dEnd, one, acc1, [&](OpBuilder &b2, Location l2, Value d, ValueRange acc2) {
                      Value span = arith::MulIOp::create(b2, l2, arith::SubIOp::create(b2, l2, n, one), d);
                      Value len = arith::ConstantIndexOp::create(b2, l2, length);
                      Value fits = arith::CmpIOp::create(b2, l2, arith::CmpIPredicate::sgt, len, span);
                      Value iEnd = arith::SelectOp::create(b2, l2, fits, arith::SubIOp::create(b2, l2, len, span),
                                                           arith::ConstantIndexOp::create(b2, l2, 0));
                      auto perStart = scf::ForOp::create(
                          b2, l2, arith::ConstantIndexOp::create(b2, l2, 0), iEnd, one, acc2,
                          [&](OpBuilder &b3, Location l3, Value i, ValueRange acc3) {
                            Value yes = arith::ConstantOp::create(b3, l3, b3.getBoolAttr(true));
                            auto match = scf::ForOp::create(
                                b3, l3, arith::ConstantIndexOp::create(b3, l3, 0), n, one, ValueRange{yes},
                                [&](OpBuilder &b4, Location l4, Value t, ValueRange m) {
                                  Value pos = arith::AddIOp::create(b4, l4, i, arith::MulIOp::create(b4, l4, t, d));
                                  SmallVector<Value> at(ivs.begin(), ivs.end() - 1);
                                  at.push_back(pos);
                                  Value tok = tensor::ExtractOp::create(b4, l4, x, at);
                                  if (tok.getType() != i64)
                                    tok = arith::ExtSIOp::create(b4, l4, i64, tok);
                                  Value want = tensor::ExtractOp::create(b4, l4, tokTable, ValueRange{e, t});
                                  Value same = arith::CmpIOp::create(b4, l4, arith::CmpIPredicate::eq, tok, want);
                                  scf::YieldOp::create(b4, l4, ValueRange{arith::AndIOp::create(b4, l4, m[0], same)});
                                });
                            Value inc = arith::ExtUIOp::create(b3, l3, i64, match.getResult(0));
                            scf::YieldOp::create(b3, l3, ValueRange{arith::AddIOp::create(b3, l3, acc3[0], inc)});
                          });
                      scf::YieldOp::create(b2, l2, perStart.getResults());
                    });
                scf::YieldOp::create(b1, l1, perDistance.getResults());
              });
          Value c = count.getResult(0);
          Value f = arith::SIToFPOp::create(b, l, b.getF32Type(), c);
          if (mode == "TF")
            return f;
          Value w = tensor::ExtractOp::create(b, l, wTable, ValueRange{col});
          if (mode == "TFIDF")
            return Value(arith::MulFOp::create(b, l, f, w));
          Value seen = arith::CmpIOp::create(b, l, arith::CmpIPredicate::sgt, c, zero);
          return Value(arith::SelectOp::create(b, l, seen, w, scalarConstant(b, l, b.getF32Type(), 0)));
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

} // namespace

void populateTextPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<TfIdfVectorizerLowering>(converter, patterns.getContext());
}

} // namespace mcc::lowering
