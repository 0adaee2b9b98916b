#!/usr/bin/python3
"""Writes a model whose weights exceed 2 GB, saved with external data: an embedding table
float32[ROWS, 256] (2.2 GB) in table.bin, looked up by Gather, plus a small MatMul on the rows.

usage: big_model.py OUT_DIR   (writes model.onnx, table.bin, ids.npy, ref/output_0.npy)"""
import os
import sys

import numpy as np
from onnx import TensorProto, helper

ROWS, COLS = 2_150_000, 256  # 2,201,600,000 bytes of float32


def main(out):
    os.makedirs(os.path.join(out, "ref"), exist_ok=True)
    cols = np.arange(COLS, dtype=np.float32) / COLS

    def rows_of(ids):
        return ((ids % 9973).astype(np.float32) / 9973)[:, None] + cols[None, :]

    # The raw little-endian bytes, as ONNX external data stores them.
    chunk = 100_000
    with open(os.path.join(out, "table.bin"), "wb") as f:
        for start in range(0, ROWS, chunk):
            f.write(rows_of(np.arange(start, min(start + chunk, ROWS), dtype=np.int64)).tobytes())
    ids = np.array([0, 1, ROWS // 2, ROWS - 1], dtype=np.int64)
    proj = (np.arange(COLS * 8, dtype=np.float32).reshape(COLS, 8) % 5 - 2) / 8
    expected = rows_of(ids) @ proj

    tensor = TensorProto(name="table", data_type=TensorProto.FLOAT, dims=[ROWS, COLS])
    tensor.data_location = TensorProto.EXTERNAL
    for k, v in (("location", "table.bin"), ("offset", "0"), ("length", str(ROWS * COLS * 4))):
        e = tensor.external_data.add()
        e.key, e.value = k, v
    nodes = [helper.make_node("Gather", ["table", "ids"], ["rows"], axis=0),
             helper.make_node("MatMul", ["rows", "proj"], ["y"])]
    graph = helper.make_graph(nodes, "big", [helper.make_tensor_value_info("ids", TensorProto.INT64, [4])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [4, 8])],
                              initializer=[tensor, helper.make_tensor("proj", TensorProto.FLOAT, [COLS, 8],
                                                                      proj.flatten().tolist())])
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="big_model")
    m.ir_version = 7
    with open(os.path.join(out, "model.onnx"), "wb") as f:
        f.write(m.SerializeToString())
    np.save(os.path.join(out, "ids.npy"), ids)
    np.save(os.path.join(out, "ref", "output_0.npy"), expected.astype(np.float32))


if __name__ == "__main__":
    main(sys.argv[1])
