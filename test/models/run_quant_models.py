#!/usr/bin/env python3
"""int8 models against ONNX Runtime: QOperator forms (QLinearMatMul, MatMulInteger, QLinearConv,
ConvInteger) and QDQ layers (DequantizeLinear -> Conv/MatMul/Gemm [-> Relu] -> QuantizeLinear), made with
onnx.helper at test time with fixed seeds, zero points at the types' edges, u8 and s8, per-tensor and
per-channel weights. mcc compiles them through its int8 kernels (mcc.qgemm / mcc.qconv2d; the lit test
test/lit/lowering/quant-kernel-ops.mlir pins the recognition).

Integer outputs must equal ONNX Runtime's within one quantisation step (ONNX Runtime's float QDQ path and
its fused QLinear kernels may round a tie differently); int32 outputs exactly; dequantized float outputs
within one step of their scale. Run with the python of the virtual environment that holds ONNX Runtime:

    build/venv/bin/python3 test/models/run_quant_models.py --mcc-run build/bin/mcc-run --work DIR

Prints `PASS|FAIL <case> max_steps <d>` per case and `N passed, N failed`; exit 0 when all passed.
"""
import argparse
import os
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 13


def const(name, arr):
    return numpy_helper.from_array(np.asarray(arr), name)


def model(name, nodes, inputs, outputs, inits):
    g = helper.make_graph(nodes, name, inputs, outputs, inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", OPSET)])
    m.ir_version = 8
    onnx.checker.check_model(m)
    return m


def vi(name, elem, shape):
    return helper.make_tensor_value_info(name, elem, shape)


def rand8(rng, shape, signed):
    lo, hi = (-128, 128) if signed else (0, 256)
    return rng.integers(lo, hi, size=shape).astype(np.int8 if signed else np.uint8)


def qlinear_matmul(rng, a_signed, b_signed, y_signed, per_column):
    M, K, N = 5, 37, 70
    at, bt, yt = [np.int8 if s else np.uint8 for s in (a_signed, b_signed, y_signed)]
    edge = lambda s: -128 if s else 255
    b = rand8(rng, (K, N), b_signed)
    bs = (rng.uniform(0.5, 2, N) * 0.01).astype(np.float32) if per_column else np.float32(0.013)
    bz = rand8(rng, (N,), b_signed) if per_column else np.array(edge(b_signed), bt)
    inits = [const("as", np.float32(0.02)), const("az", np.array(edge(a_signed), at)), const("b", b),
             const("bs", bs), const("bz", bz), const("ys", np.float32(0.9)),
             const("yz", np.array(3 if y_signed else 120, yt))]
    node = helper.make_node("QLinearMatMul", ["a", "as", "az", "b", "bs", "bz", "ys", "yz"], ["y"])
    m = model("qmm", [node], [vi("a", TensorProto.INT8 if a_signed else TensorProto.UINT8, [M, K])],
              [vi("y", TensorProto.INT8 if y_signed else TensorProto.UINT8, [M, N])], inits)
    return m, {"a": rand8(rng, (M, K), a_signed)}, None


def matmul_integer(rng):
    B, M, K, N = 3, 4, 29, 20
    inits = [const("b", rand8(rng, (K, N), True)), const("az", np.array(255, np.uint8)),
             const("bz", rand8(rng, (N,), True))]
    node = helper.make_node("MatMulInteger", ["a", "b", "az", "bz"], ["y"])
    m = model("mmi", [node], [vi("a", TensorProto.UINT8, [B, M, K])], [vi("y", TensorProto.INT32, [B, M, N])],
              inits)
    return m, {"a": rand8(rng, (B, M, K), False)}, None


def qlinear_conv(rng, x_signed, w_signed, per_channel, stride, pads):
    N, C, H, W, M, KH, KW = 1, 5, 11, 9, 19, 3, 3
    xt = np.int8 if x_signed else np.uint8
    ws = (rng.uniform(0.5, 2, M) * 0.004).astype(np.float32) if per_channel else np.float32(0.005)
    wz = np.zeros(M, np.int8 if w_signed else np.uint8) if per_channel else \
        np.array(0 if w_signed else 128, np.int8 if w_signed else np.uint8)
    inits = [const("xs", np.float32(0.03)), const("xz", np.array(-128 if x_signed else 255, xt)),
             const("w", rand8(rng, (M, C, KH, KW), w_signed)), const("ws", ws), const("wz", wz),
             const("ys", np.float32(0.05)), const("yz", np.array(7, xt)),
             const("bias", rng.integers(-2000, 2000, M).astype(np.int32))]
    node = helper.make_node("QLinearConv", ["x", "xs", "xz", "w", "ws", "wz", "ys", "yz", "bias"], ["y"],
                            strides=[stride, stride], pads=pads)
    OH = (H + pads[0] + pads[2] - KH) // stride + 1
    OW = (W + pads[1] + pads[3] - KW) // stride + 1
    m = model("qconv", [node], [vi("x", TensorProto.INT8 if x_signed else TensorProto.UINT8, [N, C, H, W])],
              [vi("y", TensorProto.INT8 if x_signed else TensorProto.UINT8, [N, M, OH, OW])], inits)
    return m, {"x": rand8(rng, (N, C, H, W), x_signed)}, None


def conv_integer(rng):
    N, C, H, W, M = 2, 3, 8, 8, 6
    inits = [const("w", rand8(rng, (M, C, 3, 3), False)), const("xz", np.array(17, np.uint8)),
             const("wz", np.array(200, np.uint8))]
    node = helper.make_node("ConvInteger", ["x", "w", "xz", "wz"], ["y"], pads=[1, 1, 1, 1])
    m = model("convint", [node], [vi("x", TensorProto.UINT8, [N, C, H, W])], [vi("y", TensorProto.INT32,
                                                                                     [N, M, H, W])], inits)
    return m, {"x": rand8(rng, (N, C, H, W), False)}, None


def qdq_layer(rng, kind, relu, act_signed):
    """float x -> Q -> DQ -> layer(DQ(w s8 per channel), bias) [-> Relu] -> Q -> DQ -> float y."""
    at = np.int8 if act_signed else np.uint8
    atp = TensorProto.INT8 if act_signed else TensorProto.UINT8
    xs, xz = np.float32(0.02), np.array(-10 if act_signed else 128, at)
    ys, yz = np.float32(0.04), np.array(0 if act_signed else 100, at)
    if kind == "conv":
        C, M, H, W = 8, 16, 10, 10
        xshape, wshape, channels, axis = [1, C, H, W], (M, C, 3, 3), M, 0
        yshape = [1, M, H, W]
    elif kind == "matmul":
        K, N = 40, 24
        xshape, wshape, channels, axis = [3, K], (K, N), N, 1
        yshape = [3, N]
    else:  # gemm, transB
        K, N = 40, 24
        xshape, wshape, channels, axis = [3, K], (N, K), N, 0
        yshape = [3, N]
    wsc = (rng.uniform(0.5, 2, channels) * 0.003).astype(np.float32)
    bias = rng.integers(-3000, 3000, channels).astype(np.int32)
    inits = [const("xs", xs), const("xz", xz), const("ys", ys), const("yz", yz),
             const("w", rand8(rng, wshape, True)), const("ws", wsc), const("wz", np.zeros(channels, np.int8))]
    if kind != "matmul":
        inits += [const("b", bias), const("bs", (xs * wsc).astype(np.float32)),
                  const("bz", np.zeros(channels, np.int32))]
    nodes = [helper.make_node("QuantizeLinear", ["x", "xs", "xz"], ["xq"]),
             helper.make_node("DequantizeLinear", ["xq", "xs", "xz"], ["xd"]),
             helper.make_node("DequantizeLinear", ["w", "ws", "wz"], ["wd"], axis=axis)]
    if kind != "matmul":
        nodes.append(helper.make_node("DequantizeLinear", ["b", "bs", "bz"], ["bd"], axis=0))
    if kind == "conv":
        nodes.append(helper.make_node("Conv", ["xd", "wd", "bd"], ["v"], pads=[1, 1, 1, 1]))
    elif kind == "matmul":
        nodes.append(helper.make_node("MatMul", ["xd", "wd"], ["v"]))
    else:
        nodes.append(helper.make_node("Gemm", ["xd", "wd", "bd"], ["v"], transB=1))
    last = "v"
    if relu == "clip":  # Relu6, its bounds folded into the output range
        inits += [const("c0", np.float32(0)), const("c6", np.float32(1.5))]
        nodes.append(helper.make_node("Clip", ["v", "c0", "c6"], ["r"]))
        last = "r"
    elif relu:
        nodes.append(helper.make_node("Relu", ["v"], ["r"]))
        last = "r"
    nodes += [helper.make_node("QuantizeLinear", [last, "ys", "yz"], ["yq"]),
              helper.make_node("DequantizeLinear", ["yq", "ys", "yz"], ["y"])]
    m = model("qdq_" + kind, nodes, [vi("x", TensorProto.FLOAT, xshape)], [vi("y", TensorProto.FLOAT, yshape)],
              inits)
    x = rng.uniform(-2, 3, xshape).astype(np.float32)
    return m, {"x": x}, float(ys)


def small_cnn(rng):
    """A float CNN (stem, Conv-Relu pairs, a residual Add, pooling, a classifier) quantized to QDQ by
    qdq_quantize.py: the whole-model case. Its float logits are compared within the spread between ONNX
    Runtime's two ways of running the same QDQ model (fused int8 kernels, and plain float semantics)."""
    import qdq_quantize
    C = 16
    w = lambda *s: (rng.standard_normal(s) * (2.0 / np.prod(s[1:])) ** 0.5).astype(np.float32)
    inits = [const("w0", w(C, 3, 3, 3)), const("b0", rng.standard_normal(C).astype(np.float32) * 0.1),
             const("w1", w(C, C, 3, 3)), const("b1", np.zeros(C, np.float32)), const("w2", w(C, C, 1, 1)),
             const("b2", rng.standard_normal(C).astype(np.float32) * 0.1), const("fc", w(10, C)),
             const("fcb", np.zeros(10, np.float32))]
    nodes = [helper.make_node("Conv", ["x", "w0", "b0"], ["c0"], pads=[1, 1, 1, 1], strides=[2, 2], name="stem"),
             helper.make_node("Relu", ["c0"], ["r0"]),
             helper.make_node("Conv", ["r0", "w1", "b1"], ["c1"], pads=[1, 1, 1, 1], name="conv1"),
             helper.make_node("Relu", ["c1"], ["r1"]),
             helper.make_node("Conv", ["r1", "w2", "b2"], ["c2"], name="conv2"),
             helper.make_node("Add", ["c2", "r0"], ["s"]),
             helper.make_node("Relu", ["s"], ["r2"]),
             helper.make_node("GlobalAveragePool", ["r2"], ["p"]),
             helper.make_node("Flatten", ["p"], ["f"]),
             helper.make_node("Gemm", ["f", "fc", "fcb"], ["y"], transB=1, name="fc")]
    m = model("cnn", nodes, [vi("x", TensorProto.FLOAT, [1, 3, 32, 32])], [vi("y", TensorProto.FLOAT, [1, 10])],
              inits)
    feeds = [{"x": rng.standard_normal((1, 3, 32, 32)).astype(np.float32)} for _ in range(4)]
    q = qdq_quantize.quantize(m, feeds)
    return q, {"x": rng.standard_normal((1, 3, 32, 32)).astype(np.float32)}, "spread"


def cases():
    rng = np.random.default_rng(1234)
    yield "qlinear_matmul_u8", qlinear_matmul(rng, False, False, False, False)
    yield "qlinear_matmul_s8_per_column", qlinear_matmul(rng, True, True, True, True)
    yield "qlinear_matmul_u8_s8", qlinear_matmul(rng, False, True, False, True)
    yield "matmul_integer", matmul_integer(rng)
    yield "qlinear_conv_u8_s8", qlinear_conv(rng, False, True, True, 1, [1, 1, 1, 1])
    yield "qlinear_conv_u8_u8_stride2", qlinear_conv(rng, False, False, False, 2, [0, 1, 2, 0])
    yield "qlinear_conv_s8_s8", qlinear_conv(rng, True, True, True, 1, [0, 0, 0, 0])
    yield "conv_integer", conv_integer(rng)
    for kind in ("conv", "matmul", "gemm"):
        for relu in (False, True):
            for signed in (False, True):
                yield "qdq_%s%s_%s" % (kind, "_relu" if relu else "", "s8" if signed else "u8"), \
                    qdq_layer(rng, kind, relu, signed)
    yield "qdq_conv_clip_u8", qdq_layer(rng, "conv", "clip", False)
    yield "qdq_matmul_clip_s8", qdq_layer(rng, "matmul", "clip", True)
    yield "qdq_small_cnn", small_cnn(rng)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mcc-run", required=True)
    ap.add_argument("--work", required=True)
    args = ap.parse_args()
    import onnxruntime as ort
    os.makedirs(args.work, exist_ok=True)
    passed = failed = 0
    for name, (m, inputs, step) in cases():
        d = os.path.join(args.work, name)
        os.makedirs(d, exist_ok=True)
        path = os.path.join(d, "model.onnx")
        onnx.save(m, path)
        want = ort.InferenceSession(path, providers=["CPUExecutionProvider"]).run(None, inputs)[0]
        if step == "spread":
            plain = ort.SessionOptions()
            plain.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
            other = ort.InferenceSession(path, plain, providers=["CPUExecutionProvider"]).run(None, inputs)[0]
            spread = float(np.abs(want - other).max())
        cmd = [args.mcc_run, path, "--output-dir", d]
        for k, v in inputs.items():
            np.save(os.path.join(d, k + ".npy"), v)
            cmd += ["--input", "%s=%s" % (k, os.path.join(d, k + ".npy"))]
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if r.returncode != 0:
            print("FAIL %s mcc-run exit %d: %s" % (name, r.returncode, r.stdout.strip()[-300:]))
            failed += 1
            continue
        got = np.load(os.path.join(d, "output_0.npy"))
        if got.shape != want.shape or got.dtype != want.dtype:
            print("FAIL %s: got %s %s, want %s %s" % (name, got.dtype, got.shape, want.dtype, want.shape))
            failed += 1
            continue
        diff = np.abs(got.astype(np.float64) - want.astype(np.float64))
        if step == "spread":
            # Twice ONNX Runtime's own spread, and at least 1% of the logits' range.
            step = max(2 * spread, 0.01 * float(np.abs(want).max()))
        steps = diff / step if step else diff
        limit = 0 if want.dtype == np.int32 else 1.0001
        ok = float(steps.max()) <= limit
        print("%s %s max_steps %g (%.1f%% of outputs differ)%s" % (
            "PASS" if ok else "FAIL", name, steps.max(), 100.0 * np.count_nonzero(diff) / diff.size,
            "; top-1 %s" % ("agrees" if got.argmax() == want.argmax() else "DIFFERS") if want.dtype == np.float32
            else ""))
        ok = ok and (want.dtype != np.float32 or got.argmax() == want.argmax())
        passed += ok
        failed += not ok
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
