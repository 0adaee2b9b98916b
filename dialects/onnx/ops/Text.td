//===- Text.td - onnx text featurisation ops ----------------*- tablegen -*-===//
#ifndef MCC_ONNX_OPS_TEXT
#define MCC_ONNX_OPS_TEXT

include "dialects/onnx/OnnxBase.td"

def Onnx_TfIdfVectorizerOp : Onnx_Op<"TfIdfVectorizer"> {
  let summary = "n-gram counts of integer token sequences, as TF, IDF or TF-IDF (opset 9)";
  let description = [{
    X is [C] or [N, C] int32/int64 tokens; Y is f32 [J] or [N, J] with J = max(ngram_indexes) + 1.
    The pool holds the n-grams by length: ngram_counts[i] is where the (i+1)-grams start in
    pool_int64s. For every n in [min_gram_length, max_gram_length] and every skip distance
    d in 1..max_skip_count+1 (unigrams only once), each window x[i], x[i+d], ..., x[i+(n-1)d] equal to
    pool n-gram k adds one to column ngram_indexes[k]. TF gives the counts, IDF gives weights[k] (1
    without weights) where the count is positive, TFIDF gives count * weights[k]. String n-grams
    (pool_strings) are rejected: mcc has no string tensors.
  }];
  let arguments = (ins AnyRankedTensor:$X, I64Attr:$max_gram_length, I64Attr:$max_skip_count,
                   I64Attr:$min_gram_length, StrAttr:$mode, DenseI64ArrayAttr:$ngram_counts,
                   DenseI64ArrayAttr:$ngram_indexes, OptionalAttr<DenseI64ArrayAttr>:$pool_int64s,
                   OptionalAttr<StrArrayAttr>:$pool_strings, OptionalAttr<DenseF32ArrayAttr>:$weights);
  let results = (outs AnyRankedTensor:$Y);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

#endif
