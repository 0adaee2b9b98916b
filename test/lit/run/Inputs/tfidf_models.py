"""TfIdfVectorizer models with a numpy reference written from the ONNX spec, for compile-and-run tests
of what the backend suite leaves out (IDF and TFIDF, weights, permuted ngram_indexes, int32, 1-D).

usage: tfidf_models.py NAME DIR   writes DIR/model.onnx, DIR/input_0.npy, DIR/ref/output_0.npy
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper


def reference(x, min_n, max_n, max_skip, mode, counts, indexes, pool, weights):
    grams = []  # (tokens, n-gram number)
    k = 0
    for i, start in enumerate(counts):
        n = i + 1
        end = counts[i + 1] if i + 1 < len(counts) else len(pool)
        for at in range(start, end, n):
            grams.append((tuple(pool[at:at + n]), k))
            k += 1
    cols = max(indexes) + 1
    rows = x.reshape(-1, x.shape[-1])
    y = np.zeros((rows.shape[0], cols), np.float32)
    for r, row in enumerate(rows):
        count = np.zeros(cols, np.int64)
        for tokens, k in grams:
            n = len(tokens)
            if not min_n <= n <= max_n:
                continue
            for d in range(1, (1 if n == 1 else max_skip + 1) + 1):
                for i in range(len(row) - (n - 1) * d):
                    if tuple(int(row[i + t * d]) for t in range(n)) == tokens:
                        count[indexes[k]] += 1
        w = np.ones(cols, np.float32)
        if weights is not None:
            for _, k in grams:
                w[indexes[k]] = weights[k]
        y[r] = {"TF": count, "IDF": np.where(count > 0, w, 0), "TFIDF": count * w}[mode]
    return y.reshape(x.shape[:-1] + (cols,))


CASES = {
    # uni- and bigrams, skips up to 2, permuted columns, TF-IDF weights, int32 tokens in rows
    "tfidf": (np.array([[1, 2, 3, 1, 2, 2], [3, 3, 1, 4, 2, 1]], np.int32), 1, 2, 2, "TFIDF",
              [0, 3], [4, 0, 2, 1, 3], [1, 2, 3, 1, 2, 3, 1], [0.5, 2.0, 1.5, 3.0, 0.25]),
    # IDF without weights on a 1-D int64 sequence; only bigrams and trigrams count
    "idf": (np.array([5, 6, 5, 6, 7, 5, 6, 7], np.int64), 2, 3, 1, "IDF",
            [0, 2, 6], [0, 1, 2, 3, 4], [5, 6, 5, 6, 6, 9, 5, 6, 7], None),
    # IDF with weights; column 3 counts nothing
    "idf_weights": (np.array([[1, 1, 2], [2, 2, 2]], np.int64), 1, 1, 0, "IDF", [0], [0, 2, 1], [1, 2, 9],
                    [0.1, 0.2, 0.3]),
}


def main(argv):
    name, d = argv[1], argv[2]
    x, min_n, max_n, skip, mode, counts, indexes, pool, weights = CASES[name]
    attrs = dict(min_gram_length=min_n, max_gram_length=max_n, max_skip_count=skip, mode=mode,
                 ngram_counts=counts, ngram_indexes=indexes, pool_int64s=pool)
    if weights is not None:
        attrs["weights"] = weights
    y = reference(x, min_n, max_n, skip, mode, counts, indexes, pool, weights)
    xt = TensorProto.INT32 if x.dtype == np.int32 else TensorProto.INT64
    graph = helper.make_graph([helper.make_node("TfIdfVectorizer", ["x"], ["y"], **attrs)], name,
                              [helper.make_tensor_value_info("x", xt, list(x.shape))],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, list(y.shape))])
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 9)])
    onnx.checker.check_model(m)
    os.makedirs(os.path.join(d, "ref"), exist_ok=True)
    onnx.save(m, os.path.join(d, "model.onnx"))
    np.save(os.path.join(d, "input_0.npy"), x)
    np.save(os.path.join(d, "ref", "output_0.npy"), y)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
