// RUN: %mcc-opt --mcc-lower-onnx-to-linalg %s -split-input-file | FileCheck %s

// TfIdfVectorizer: the pool becomes constant tables sorted by output column (CSR starts, n-gram
// lengths, tokens padded to max_gram_length, per-column weights); one generic over [rows, columns]
// loops over the column's n-grams, the skip distances (unigrams once) and the start positions.
// Pool n-grams: 8 -> column 2, 7 -> column 0 (weight 2), (7, 8) -> column 1 (weight 4).
// CHECK-LABEL: func.func @tfidf
// CHECK-DAG: %[[STARTS:.*]] = arith.constant dense<[0, 1, 2, 3]> : tensor<4xi64>
// CHECK-DAG: %[[LENS:.*]] = arith.constant dense<[1, 2, 1]> : tensor<3xi64>
// CHECK-DAG: %[[TOKS:.*]] = arith.constant dense<{{\[}}[7, 0], [7, 8], [8, 0]]> : tensor<3x2xi64>
// CHECK-DAG: %[[W:.*]] = arith.constant dense<[2.000000e+00, 4.000000e+00, 5.000000e-01]> : tensor<3xf32>
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<2x3xf32>)
// CHECK: %[[COL:.*]] = linalg.index 1 : index
// CHECK: tensor.extract %[[STARTS]][%[[COL]]]
// CHECK: scf.for
// CHECK: tensor.extract %[[LENS]]
// CHECK: scf.for
// CHECK: scf.for
// CHECK: scf.for
// CHECK: tensor.extract %{{.*}}[%{{.*}}, %{{.*}}] : tensor<2x6xi32>
// CHECK: arith.extsi %{{.*}} : i32 to i64
// CHECK: tensor.extract %[[TOKS]]
// CHECK: arith.cmpi eq
// CHECK: %[[F:.*]] = arith.sitofp %{{.*}} : i64 to f32
// CHECK: %[[WC:.*]] = tensor.extract %[[W]][%[[COL]]]
// CHECK: %[[R:.*]] = arith.mulf %[[F]], %[[WC]]
// CHECK: linalg.yield %[[R]]
func.func @tfidf(%x: tensor<2x6xi32>) -> tensor<2x3xf32> {
  %0 = onnx.TfIdfVectorizer %x {max_gram_length = 2 : i64, max_skip_count = 1 : i64, min_gram_length = 1 : i64, mode = "TFIDF", ngram_counts = array<i64: 0, 2>, ngram_indexes = array<i64: 2, 0, 1>, pool_int64s = array<i64: 8, 7, 7, 8>, weights = array<f32: 0.5, 2.0, 4.0>} : (tensor<2x6xi32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// IDF: the column's weight (1 without weights) where the count is positive, else 0.
// CHECK-LABEL: func.func @idf
// CHECK: %[[C:.*]] = scf.for
// CHECK: %[[WC:.*]] = tensor.extract %{{.*}}[%{{.*}}] : tensor<2xf32>
// CHECK: %[[POS:.*]] = arith.cmpi sgt, %[[C]], %{{.*}} : i64
// CHECK: %[[R:.*]] = arith.select %[[POS]], %[[WC]], %{{.*}} : f32
// CHECK: linalg.yield %[[R]]
func.func @idf(%x: tensor<5xi64>) -> tensor<2xf32> {
  %0 = onnx.TfIdfVectorizer %x {max_gram_length = 1 : i64, max_skip_count = 0 : i64, min_gram_length = 1 : i64, mode = "IDF", ngram_counts = array<i64: 0>, ngram_indexes = array<i64: 0, 1>, pool_int64s = array<i64: 3, 4>} : (tensor<5xi64>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}
