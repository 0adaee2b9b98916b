"""Signal-processing and GridSample models with numpy/torch references, for compile-and-run tests.

usage: signal_models.py NAME DIR   writes DIR/model.onnx, DIR/input_<i>.npy, DIR/ref/output_<i>.npy
Each model puts several attribute combinations side by side, one output each, so one compile covers them.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

F32, F64, I64, I32 = TensorProto.FLOAT, TensorProto.DOUBLE, TensorProto.INT64, TensorProto.INT32


def info(name, dtype, shape):
    return helper.make_tensor_value_info(name, dtype, shape)


def const(name, value):
    return numpy_helper.from_array(np.asarray(value), name)


def cplx(y):
    return np.stack((y.real, y.imag), axis=-1)


def dft(d):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 5, 3, 1)).astype(np.float32)
    xc = rng.standard_normal((2, 5, 3, 2)).astype(np.float32)
    x64 = rng.standard_normal((1, 7, 1)).astype(np.float64)
    r, c = x[..., 0].astype(np.float64), xc[..., 0] + 1j * xc[..., 1].astype(np.float64)
    nodes = [
        helper.make_node("DFT", ["x", "eight"], ["zero_padded"], axis=1),
        helper.make_node("DFT", ["x", "two"], ["truncated_onesided"], axis=2, onesided=1),
        helper.make_node("DFT", ["xc"], ["inverse_neg_axis"], axis=-2, inverse=1),
        helper.make_node("DFT", ["x"], ["onesided"], axis=1, onesided=1),
        helper.make_node("DFT", ["xc", "four"], ["complex_truncated"], axis=1),
        helper.make_node("DFT", ["x64"], ["double"], axis=1),
    ]
    outs = [
        (np.fft.fft(r, n=8, axis=1), (2, 8, 3, 2)),
        (np.fft.rfft(r[:, :, :2], axis=2), (2, 5, 2, 2)),
        (np.fft.ifft(c, axis=2), (2, 5, 3, 2)),
        (np.fft.rfft(r, axis=1), (2, 3, 3, 2)),
        (np.fft.fft(c[:, :4], axis=1), (2, 4, 3, 2)),
        (np.fft.fft(x64[..., 0], axis=1), (1, 7, 2)),
    ]
    names = [n.output[0] for n in nodes]
    graph = helper.make_graph(
        nodes, "dft", [info("x", F32, x.shape), info("xc", F32, xc.shape), info("x64", F64, x64.shape)],
        [info(n, F64 if n == "double" else F32, s) for n, (_, s) in zip(names, outs)],
        [const("eight", np.int64(8)), const("two", np.int32(2)), const("four", np.int64(4))])
    refs = [cplx(y).astype(np.float64 if n == "double" else np.float32) for n, (y, _) in zip(names, outs)]
    return graph, [x, xc, x64], refs


def stft_ref(sig, step, n, window, onesided):
    frames = (sig.shape[1] - n) // step + 1
    out = []
    for f in range(frames):
        seg = sig[:, f * step:f * step + n] * window
        y = np.fft.fft(seg, axis=1)
        out.append(y[:, :n // 2 + 1] if onesided else y)
    return np.stack(out, axis=1)


def stft(d):
    rng = np.random.default_rng(2)
    sc = rng.standard_normal((2, 20, 2)).astype(np.float32)
    s = rng.standard_normal((1, 20, 1)).astype(np.float32)
    window = (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(6) / 6)).astype(np.float32)
    c = sc[..., 0].astype(np.float64) + 1j * sc[..., 1]
    r = s[..., 0].astype(np.float64)
    nodes = [
        helper.make_node("STFT", ["sc", "four", "window", "six"], ["complex_two_sided"], onesided=0),
        helper.make_node("STFT", ["s", "step", "", "length"], ["runtime_length"]),
        helper.make_node("STFT", ["s", "step", "window"], ["runtime_step"]),
    ]
    graph = helper.make_graph(
        nodes, "stft",
        [info("sc", F32, sc.shape), info("s", F32, s.shape), info("step", I64, []), info("length", I32, [])],
        [info("complex_two_sided", F32, [2, 4, 6, 2]), info("runtime_length", F32, [1, 5, 4, 2]),
         info("runtime_step", F32, [1, 5, 4, 2])],
        [const("four", np.int64(4)), const("six", np.int64(6)), const("window", window)])
    refs = [stft_ref(c, 4, 6, window, False), stft_ref(r, 3, 6, 1.0, True), stft_ref(r, 3, 6, window, True)]
    return graph, [sc, s, np.array(3, np.int64), np.array(6, np.int32)], [cplx(y).astype(np.float32) for y in refs]


def windows(d):
    def win(n, periodic, a0, a1, a2):
        k = np.arange(n)
        den = n if periodic else n - 1
        return a0 - a1 * np.cos(2 * np.pi * k / den) + a2 * np.cos(4 * np.pi * k / den)
    nodes = [
        helper.make_node("HannWindow", ["seven"], ["hann_sym_double"], periodic=0, output_datatype=TensorProto.DOUBLE),
        helper.make_node("HammingWindow", ["size"], ["hamming_runtime"]),
        helper.make_node("BlackmanWindow", ["size"], ["blackman_sym_runtime"], periodic=0),
        helper.make_node("MelWeightMatrix", ["mels", "dft_length", "rate", "lower", "upper"], ["mel_double"],
                         output_datatype=TensorProto.DOUBLE),
        helper.make_node("MelWeightMatrix", ["rt_mels", "rt_dft_length", "rt_rate", "rt_lower", "rt_upper"],
                         ["mel_runtime"]),
    ]
    graph = helper.make_graph(
        nodes, "windows",
        [info("size", I64, []), info("rt_mels", I32, []), info("rt_dft_length", I32, []), info("rt_rate", I32, []),
         info("rt_lower", F32, []), info("rt_upper", F32, [])],
        [info("hann_sym_double", F64, [7]), info("hamming_runtime", F32, [9]), info("blackman_sym_runtime", F32, [9]),
         info("mel_double", F64, [17, 5]), info("mel_runtime", F32, [9, 8])],
        [const("seven", np.int32(7)), const("mels", np.int64(5)), const("dft_length", np.int64(32)),
         const("rate", np.int64(16000)), const("lower", np.float32(100.0)), const("upper", np.float32(6000.0))])
    refs = [win(7, False, 0.5, 0.5, 0.0), win(9, True, 25 / 46, 21 / 46, 0.0).astype(np.float32),
            win(9, False, 0.42, 0.5, 0.08).astype(np.float32), mel(5, 32, 16000, 100.0, 6000.0),
            mel(8, 16, 8192, 0.0, 4096.0).astype(np.float32)]
    inputs = [np.array(9, np.int64), np.array(8, np.int32), np.array(16, np.int32), np.array(8192, np.int32),
              np.array(0.0, np.float32), np.array(4096.0, np.float32)]
    return graph, inputs, refs


def mel(num_mel_bins, dft_length, sample_rate, lower, upper):
    # The ONNX reference's construction (onnx/backend/test/case/node/melweightmatrix.py), in float64.
    bins = dft_length // 2 + 1
    low = 2595 * np.log10(1 + lower / 700)
    high = 2595 * np.log10(1 + upper / 700)
    step = (high - low) / (num_mel_bins + 2)
    edges = np.arange(num_mel_bins + 2) * step + low
    edges = 700 * (np.power(10, edges / 2595) - 1)
    edges = (((dft_length + 1) * edges) // sample_rate).astype(int)
    out = np.zeros((bins, num_mel_bins))
    for i in range(num_mel_bins):
        left, center, right = edges[i], edges[i + 1], edges[i + 2]
        if center == left:
            out[center, i] = 1
        else:
            for j in range(left, center + 1):
                out[j, i] = (j - left) / (center - left)
        if right > center:
            for j in range(center, right):
                out[j, i] = (right - j) / (right - center)
    return out


def gridsample(d):
    import torch
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 2, 3, 4)).astype(np.float32)
    grid = rng.uniform(-1.8, 1.8, (2, 3, 5, 2)).astype(np.float32)
    grid[0, 0, 0] = [-1.0, 1.0]
    grid[1, 2, 4] = [-7.3, 5.1]
    nodes, outs, refs = [], [], []
    for mode in ["bilinear", "nearest", "bicubic"]:
        for padding in ["zeros", "border", "reflection"]:
            for align in [0, 1]:
                name = "%s_%s_%d" % (mode, padding, align)
                nodes.append(helper.make_node("GridSample", ["x", "grid"], [name], mode=mode, padding_mode=padding,
                                              align_corners=align))
                outs.append(info(name, F32, [2, 2, 3, 5]))
                y = torch.nn.functional.grid_sample(torch.from_numpy(x).double(), torch.from_numpy(grid).double(),
                                                    mode=mode, padding_mode=padding, align_corners=bool(align))
                refs.append(y.numpy().astype(np.float32))
    graph = helper.make_graph(nodes, "gridsample", [info("x", F32, x.shape), info("grid", F32, grid.shape)], outs)
    return graph, [x, grid], refs


def mismatch(d):
    # Runtime lengths that disagree with the declared result shapes fail the run (status 8), not garbage.
    nodes = [helper.make_node("HannWindow", ["size"], ["window"]),
             helper.make_node("DFT", ["x", "dft_length"], ["spectrum"]),
             helper.make_node("STFT", ["s", "step", "", "length"], ["frames"])]
    graph = helper.make_graph(
        nodes, "mismatch",
        [info("size", I64, []), info("x", F32, [1, 5, 1]), info("dft_length", I64, []), info("s", F32, [1, 20, 1]),
         info("step", I64, []), info("length", I64, [])],
        [info("window", F32, [9]), info("spectrum", F32, [1, 5, 2]), info("frames", F32, [1, 5, 4, 2])])
    inputs = [np.array(8, np.int64), np.ones((1, 5, 1), np.float32), np.array(6, np.int64),
              np.ones((1, 20, 1), np.float32), np.array(4, np.int64), np.array(6, np.int64)]
    nan = np.float32(np.nan)
    return graph, inputs, [np.full([9], nan), np.full([1, 5, 2], nan), np.full([1, 5, 4, 2], nan)]


MODELS = {f.__name__: f for f in [dft, stft, windows, gridsample, mismatch]}

if __name__ == "__main__":
    name, out = sys.argv[1], sys.argv[2]
    graph, inputs, outputs = MODELS[name](out)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    onnx.checker.check_model(model)
    os.makedirs(os.path.join(out, "ref"), exist_ok=True)
    onnx.save(model, os.path.join(out, "model.onnx"))
    for i, a in enumerate(inputs):
        np.save(os.path.join(out, "input_%d.npy" % i), a)
    for i, a in enumerate(outputs):
        np.save(os.path.join(out, "ref", "output_%d.npy" % i), a)
