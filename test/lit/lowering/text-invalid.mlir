// RUN: %mcc-opt --mcc-lower-onnx-to-linalg %s -split-input-file -verify-diagnostics

// String n-grams need string tensors, which mcc does not have.
func.func @tfidf_strings(%x: tensor<4xi64>) -> tensor<2xf32> {
  // expected-error @+1 {{pool_strings (string n-grams) is not supported: mcc has no string tensors}}
  %0 = onnx.TfIdfVectorizer %x {max_gram_length = 1 : i64, max_skip_count = 0 : i64, min_gram_length = 1 : i64, mode = "TF", ngram_counts = array<i64: 0>, ngram_indexes = array<i64: 0, 1>, pool_strings = ["a", "b"]} : (tensor<4xi64>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @tfidf_mode(%x: tensor<4xi64>) -> tensor<2xf32> {
  // expected-error @+1 {{mode 'BM25' is not one of TF, IDF, TFIDF}}
  %0 = onnx.TfIdfVectorizer %x {max_gram_length = 1 : i64, max_skip_count = 0 : i64, min_gram_length = 1 : i64, mode = "BM25", ngram_counts = array<i64: 0>, ngram_indexes = array<i64: 0, 1>, pool_int64s = array<i64: 1, 2>} : (tensor<4xi64>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// The bigram section holds 3 tokens: not whole bigrams.
func.func @tfidf_ragged_pool(%x: tensor<4xi64>) -> tensor<3xf32> {
  // expected-error @+1 {{pool section of 2-grams holds 3 tokens, not a multiple of 2}}
  %0 = onnx.TfIdfVectorizer %x {max_gram_length = 2 : i64, max_skip_count = 0 : i64, min_gram_length = 1 : i64, mode = "TF", ngram_counts = array<i64: 0, 1>, ngram_indexes = array<i64: 0, 1, 2>, pool_int64s = array<i64: 1, 2, 3, 4>} : (tensor<4xi64>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @tfidf_index_count(%x: tensor<4xi64>) -> tensor<3xf32> {
  // expected-error @+1 {{ngram_indexes has 3 entries for 2 pool n-grams}}
  %0 = onnx.TfIdfVectorizer %x {max_gram_length = 1 : i64, max_skip_count = 0 : i64, min_gram_length = 1 : i64, mode = "TF", ngram_counts = array<i64: 0>, ngram_indexes = array<i64: 0, 1, 2>, pool_int64s = array<i64: 1, 2>} : (tensor<4xi64>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @tfidf_float_tokens(%x: tensor<4xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{X must hold int32 or int64 tokens, not 'f32'}}
  %0 = onnx.TfIdfVectorizer %x {max_gram_length = 1 : i64, max_skip_count = 0 : i64, min_gram_length = 1 : i64, mode = "TF", ngram_counts = array<i64: 0>, ngram_indexes = array<i64: 0, 1>, pool_int64s = array<i64: 1, 2>} : (tensor<4xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// Two n-grams counted in column 0 with different weights: which weight applies is undefined.
func.func @tfidf_conflicting_weights(%x: tensor<4xi64>) -> tensor<1xf32> {
  // expected-error @+2 {{ngram_indexes maps n-grams of different weights to column 0}}
  // expected-error @+1 {{failed to legalize operation 'onnx.TfIdfVectorizer'}}
  %0 = onnx.TfIdfVectorizer %x {max_gram_length = 1 : i64, max_skip_count = 0 : i64, min_gram_length = 1 : i64, mode = "TFIDF", ngram_counts = array<i64: 0>, ngram_indexes = array<i64: 0, 0>, pool_int64s = array<i64: 1, 2>, weights = array<f32: 1.0, 2.0>} : (tensor<4xi64>) -> tensor<1xf32>
  return %0 : tensor<1xf32>
}

// -----

func.func @tfidf_negative_skip(%x: tensor<4xi64>) -> tensor<2xf32> {
  // expected-error @+1 {{max_skip_count must be >= 0}}
  %0 = onnx.TfIdfVectorizer %x {max_gram_length = 1 : i64, max_skip_count = -1 : i64, min_gram_length = 1 : i64, mode = "TF", ngram_counts = array<i64: 0>, ngram_indexes = array<i64: 0, 1>, pool_int64s = array<i64: 1, 2>} : (tensor<4xi64>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}
