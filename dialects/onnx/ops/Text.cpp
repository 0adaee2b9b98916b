//===- Text.cpp - verifiers of the onnx text featurisation ops -------------===//
#include "dialects/onnx/OnnxDialect.h"

using namespace mlir;
using namespace mcc::onnx;

LogicalResult TfIdfVectorizerOp::verify() {
  if (getPoolStrings())
    return emitOpError("pool_strings (string n-grams) is not supported: mcc has no string tensors");
  StringRef mode = getMode();
  if (mode != "TF" && mode != "IDF" && mode != "TFIDF")
    return emitOpError("mode '") << mode << "' is not one of TF, IDF, TFIDF";
  int64_t minN = (int64_t)getMinGramLength(), maxN = (int64_t)getMaxGramLength();
  if (minN < 1 || maxN < minN)
    return emitOpError("min_gram_length ")
           << minN << " and max_gram_length " << maxN << " must satisfy 1 <= min <= max";
  if ((int64_t)getMaxSkipCount() < 0)
    return emitOpError("max_skip_count must be >= 0");
  auto x = tensorTypeOf(getX());
  Type xElt = x.getElementType();
  if (!xElt.isSignlessInteger(32) && !xElt.isSignlessInteger(64))
    return emitOpError("X must hold int32 or int64 tokens, not ") << xElt;
  if (x.getRank() != 1 && x.getRank() != 2)
    return emitOpError("X must have rank 1 or 2");
  ArrayRef<int64_t> pool = getPoolInt64s() ? *getPoolInt64s() : ArrayRef<int64_t>();
  ArrayRef<int64_t> counts = getNgramCounts(), indexes = getNgramIndexes();
  // ngram_counts[i] is where the (i+1)-grams start; each section must hold whole n-grams.
  int64_t numGrams = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    int64_t begin = counts[i], end = i + 1 < counts.size() ? counts[i + 1] : (int64_t)pool.size();
    if (begin < 0 || end < begin || end > (int64_t)pool.size())
      return emitOpError("ngram_counts ")
             << i << " = " << begin << " is not a valid, non-decreasing start in a pool of " << pool.size();
    if ((end - begin) % (int64_t)(i + 1) != 0)
      return emitOpError("pool section of ")
             << i + 1 << "-grams holds " << end - begin << " tokens, not a multiple of " << i + 1;
    numGrams += (end - begin) / (int64_t)(i + 1);
  }
  if ((int64_t)indexes.size() != numGrams)
    return emitOpError("ngram_indexes has ") << indexes.size() << " entries for " << numGrams << " pool n-grams";
  for (int64_t i : indexes)
    if (i < 0)
      return emitOpError("ngram_indexes must be >= 0");
  if (getWeights() && getWeights()->size() != indexes.size())
    return emitOpError("weights has ") << getWeights()->size() << " entries, ngram_indexes " << indexes.size();
  auto y = tensorTypeOf(getY());
  if (!y.getElementType().isF32() || y.getRank() != x.getRank())
    return emitOpError("Y must be f32 with the rank of X");
  return success();
}
