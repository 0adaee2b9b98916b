#!/usr/bin/env python3
"""Static post-training quantization of a float ONNX model into the QDQ form, for the int8 tests and the
bench (the ONNX Runtime quantizer needs packages the test environment does not have).

Weights of Conv, Gemm and MatMul (constant ones) become per-output-channel symmetric s8; activations u8
per tensor with min/max ranges (always containing 0) measured by ONNX Runtime over the calibration
inputs. QuantizeLinear -> DequantizeLinear pairs go on every activation input of those layers and on
their outputs (after a Relu or Clip that alone consumes the output), and biases become int32 at scale
x_scale * w_scale, as ONNX Runtime's quantizer writes them. Usage (python with onnxruntime):

    qdq_quantize.py model.onnx out.onnx --input-shape 1x3x224x224 [--samples 4] [--seed 0]
"""
import argparse

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

LAYERS = ("Conv", "Gemm", "MatMul")


def weight_axis(node):
    if node.op_type == "Conv":
        return 0
    if node.op_type == "Gemm":
        trans_b = next((a.i for a in node.attribute if a.name == "transB"), 0)
        return 0 if trans_b else 1
    return 1


def calibrate(model, tensors, feeds_list):
    """min/max of every tensor in `tensors` over the inputs, by ONNX Runtime with them as outputs."""
    import onnxruntime as ort
    m = onnx.ModelProto()
    m.CopyFrom(model)
    have = {o.name for o in m.graph.output}
    for t in tensors:
        if t not in have:
            m.graph.output.append(helper.make_empty_tensor_value_info(t))
    sess = ort.InferenceSession(m.SerializeToString(), providers=["CPUExecutionProvider"])
    names = [o.name for o in sess.get_outputs()]
    ranges = {}
    for feeds in feeds_list:
        for name, value in zip(names, sess.run(None, feeds)):
            if name in tensors:
                lo, hi = float(np.min(value)), float(np.max(value))
                old = ranges.get(name, (0.0, 0.0))
                ranges[name] = (min(old[0], lo), max(old[1], hi))
    return ranges


def u8_params(lo, hi):
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    scale = (hi - lo) / 255.0 if hi > lo else 1.0
    zp = int(np.clip(round(-lo / scale), 0, 255))
    return np.float32(scale), np.uint8(zp)


def quantize(model, feeds_list):
    g = model.graph
    inits = {t.name: t for t in g.initializer}
    consumers = {}
    for n in g.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)
    layers = [n for n in g.node if n.op_type in LAYERS and len(n.input) > 1 and n.input[1] in inits]
    acts = set()
    for n in layers:
        acts.add(n.input[0])
        out = n.output[0]
        users = consumers.get(out, [])
        if len(users) == 1 and users[0].op_type in ("Relu", "Clip"):
            out = users[0].output[0]
        acts.add(out)
    acts -= {o.name for o in g.output}  # graph outputs stay float, under their names
    ranges = calibrate(model, acts, feeds_list)
    new_inits, pairs, scales = [], {}, {}
    for t in sorted(ranges):
        s, z = u8_params(*ranges[t])
        scales[t] = s
        new_inits += [numpy_helper.from_array(s, t + "_scale"), numpy_helper.from_array(z, t + "_zp")]
        pairs[t] = [helper.make_node("QuantizeLinear", [t, t + "_scale", t + "_zp"], [t + "_q"]),
                    helper.make_node("DequantizeLinear", [t + "_q", t + "_scale", t + "_zp"], [t + "_dq"])]
    layer_names = {n.name for n in layers}
    nodes = [p for t in pairs for p in pairs[t] if t in {i.name for i in g.input}]
    for n in g.node:
        n2 = onnx.NodeProto()
        n2.CopyFrom(n)
        for i, name in enumerate(n2.input):
            if name in pairs:
                n2.input[i] = name + "_dq"
        if n.name in layer_names and n.input[0] in scales:
            w = numpy_helper.to_array(inits[n.input[1]]).astype(np.float32)
            axis = weight_axis(n)
            wm = np.moveaxis(w, axis, 0).reshape(w.shape[axis], -1)
            ws = (np.maximum(np.abs(wm).max(axis=1), 1e-12) / 127.0).astype(np.float32)
            shape = [1] * w.ndim
            shape[axis] = -1
            wq = np.clip(np.round(w / ws.reshape(shape)), -127, 127).astype(np.int8)
            base = n.input[1]
            new_inits += [numpy_helper.from_array(wq, base + "_q"), numpy_helper.from_array(ws, base + "_scale"),
                          numpy_helper.from_array(np.zeros(len(ws), np.int8), base + "_zp")]
            nodes.append(helper.make_node("DequantizeLinear", [base + "_q", base + "_scale", base + "_zp"],
                                          [base + "_dq"], axis=axis))
            n2.input[1] = base + "_dq"
            if len(n.input) > 2 and n.input[2] in inits and n.op_type in ("Conv", "Gemm"):
                b = numpy_helper.to_array(inits[n.input[2]]).astype(np.float32).reshape(-1)
                if b.size == len(ws):
                    bs = (scales[n.input[0]] * ws).astype(np.float32)
                    bn = n.input[2]
                    new_inits += [numpy_helper.from_array(np.round(b / bs).astype(np.int32), bn + "_q"),
                                  numpy_helper.from_array(bs, bn + "_scale"),
                                  numpy_helper.from_array(np.zeros(len(ws), np.int32), bn + "_zp")]
                    nodes.append(helper.make_node("DequantizeLinear", [bn + "_q", bn + "_scale", bn + "_zp"],
                                                  [bn + "_dq"], axis=0))
                    n2.input[2] = bn + "_dq"
        nodes.append(n2)
        for out in n.output:
            nodes += pairs.get(out, [])
    g.ClearField("node")
    g.node.extend(nodes)
    used = {i for n in nodes for i in n.input}
    keep = [t for t in list(g.initializer) + new_inits if t.name in used]
    g.ClearField("initializer")
    g.initializer.extend(keep)
    return model


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("out")
    ap.add_argument("--input-shape", required=True)
    ap.add_argument("--samples", type=int, default=4)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    model = onnx.load(args.model)
    for i, n in enumerate(model.graph.node):
        if not n.name:
            n.name = "%s_%d" % (n.op_type, i)
    shape = [int(d) for d in args.input_shape.split("x")]
    rng = np.random.default_rng(args.seed)
    name = model.graph.input[0].name
    feeds = [{name: rng.standard_normal(shape).astype(np.float32)} for _ in range(args.samples)]
    onnx.save(quantize(model, feeds), args.out)


if __name__ == "__main__":
    main()
