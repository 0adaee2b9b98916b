"""Models with mcc's random ops, and checks of what they produce: shape, dtype, range, statistics,
reproducibility (two runs give the same values) and seeds (different seeds, different values).
mcc's generator is its own (Random.h), so values are never compared with numpy's.

usage: random_models.py make NAME DIR    writes DIR/model.onnx and DIR/input_<i>.npy
       random_models.py check NAME DIR   reads DIR/run1/output_<i>.npy and DIR/run2/output_<i>.npy
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

F, D, I64 = TensorProto.FLOAT, TensorProto.DOUBLE, TensorProto.INT64


def vi(name, dtype, shape):
    return helper.make_tensor_value_info(name, dtype, shape)


def uniform():
    nodes = [helper.make_node("RandomUniform", [], ["a"], low=-2.0, high=3.0, seed=1.5, shape=[64, 64]),
             helper.make_node("RandomUniform", [], ["b"], low=-2.0, high=3.0, seed=2.5, shape=[64, 64]),
             helper.make_node("RandomUniformLike", ["x"], ["c"], dtype=D),
             helper.make_node("RandomUniform", [], ["d"], shape=[3])]
    outs = [vi("a", F, [64, 64]), vi("b", F, [64, 64]), vi("c", D, [64, 64]), vi("d", F, [3])]
    return nodes, [vi("x", TensorProto.INT32, [64, 64])], outs, [np.zeros((64, 64), np.int32)], 15


def check_uniform(o):
    a, b, c, d = o
    assert a.dtype == np.float32 and a.shape == (64, 64) and c.dtype == np.float64 and d.shape == (3,)
    assert a.min() >= -2 and a.max() <= 3 and abs(a.mean() - 0.5) < 0.1, (a.min(), a.max(), a.mean())
    assert c.min() >= 0 and c.max() < 1 and abs(c.mean() - 0.5) < 0.02, c.mean()
    assert (a != b).mean() > 0.99, "seeds 1.5 and 2.5 gave the same stream"
    assert len(np.unique(c)) > 4000


def normal():
    nodes = [helper.make_node("RandomNormal", [], ["a"], mean=1.0, scale=2.0, seed=7.0, shape=[8192]),
             helper.make_node("RandomNormalLike", ["x"], ["b"], dtype=D)]
    return nodes, [vi("x", F, [100, 100])], [vi("a", F, [8192]), vi("b", D, [100, 100])], \
        [np.zeros((100, 100), np.float32)], 15


def check_normal(o):
    a, b = o
    assert a.dtype == np.float32 and b.dtype == np.float64 and np.isfinite(a).all() and np.isfinite(b).all()
    assert abs(a.mean() - 1) < 0.1 and abs(a.std() - 2) < 0.1, (a.mean(), a.std())
    assert abs(b.mean()) < 0.05 and abs(b.std() - 1) < 0.05, (b.mean(), b.std())
    assert abs((np.abs(b) < 1).mean() - 0.6827) < 0.02


def bernoulli():
    p = np.concatenate([np.zeros(16), np.ones(16), np.full(8192, 0.25)]).astype(np.float32)
    nodes = [helper.make_node("Bernoulli", ["p"], ["y"], seed=0.0),
             helper.make_node("Bernoulli", ["p"], ["z"], dtype=TensorProto.BOOL)]
    return nodes, [vi("p", F, [p.size])], [vi("y", F, [p.size]), vi("z", TensorProto.BOOL, [p.size])], [p], 15


def check_bernoulli(o):
    y, z = o
    assert y.dtype == np.float32 and z.dtype == np.bool_
    assert set(np.unique(y)) <= {0.0, 1.0}
    for v in (y, z.astype(np.float32)):
        assert (v[:16] == 0).all() and (v[16:32] == 1).all()
        assert abs(v[32:].mean() - 0.25) < 0.02, v[32:].mean()


def multinomial():
    logits = np.log(np.array([[0.2, 0.3, 0.5], [1.0, 1e-30, 1e-30]], np.float32))
    nodes = [helper.make_node("Multinomial", ["x"], ["y"], sample_size=4000, dtype=I64, seed=1.0)]
    return nodes, [vi("x", F, [2, 3])], [vi("y", I64, [2, 4000])], [logits], 15


def check_multinomial(o):
    (y,) = o
    assert y.dtype == np.int64 and y.shape == (2, 4000) and y.min() >= 0 and y.max() <= 2
    freq = np.bincount(y[0], minlength=3) / 4000.0
    assert np.abs(freq - [0.2, 0.3, 0.5]).max() < 0.03, freq
    assert (y[1] == 0).all()


def dropout():
    nodes = [helper.make_node("Dropout", ["x", "r", "t"], ["y", "mask"], seed=3)]
    init = [numpy_helper.from_array(np.array(0.3, np.float32), "r"), numpy_helper.from_array(np.array(True), "t")]
    return nodes, [vi("x", F, [8192])], [vi("y", F, [8192]), vi("mask", TensorProto.BOOL, [8192])], \
        [np.full(8192, 2.0, np.float32)], 13, init


def check_dropout(o):
    y, mask = o
    assert mask.dtype == np.bool_ and abs(mask.mean() - 0.7) < 0.02, mask.mean()
    assert np.allclose(y[mask], 2.0 / 0.7) and (y[~mask] == 0).all()


MODELS = {f.__name__: f for f in [uniform, normal, bernoulli, multinomial, dropout]}


def main(argv):
    mode, name, d = argv[1], argv[2], argv[3]
    if mode == "make":
        spec = MODELS[name]()
        nodes, inputs, outputs, values, opset = spec[:5]
        init = spec[5] if len(spec) > 5 else []
        graph = helper.make_graph(nodes, name, inputs, outputs, initializer=init)
        m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
        onnx.checker.check_model(m)
        os.makedirs(d, exist_ok=True)
        onnx.save(m, os.path.join(d, "model.onnx"))
        for i, v in enumerate(values):
            np.save(os.path.join(d, "input_%d.npy" % i), v)
        return 0
    runs = []
    for run in ("run1", "run2"):
        files = sorted(f for f in os.listdir(os.path.join(d, run)) if f.startswith("output_"))
        runs.append([np.load(os.path.join(d, run, f)) for f in files])
    for a, b in zip(*runs):
        assert a.dtype == b.dtype and np.array_equal(a, b), "two runs differ"
    globals()["check_" + name](runs[0])
    print("random ok:", name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
