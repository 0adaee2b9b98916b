"""A model casting to and from the 4- and 2-bit ONNX types (int4, uint4, int2, uint2, float4e2m1), with
packed inputs and expected outputs from a reference written here: float -> integer truncates toward zero
and gives 0 when that is out of range (the ONNX reference, ml_dtypes); integer -> integer wraps; float4 is
the nearest value, ties to the even code, saturating, NaN -> 0. Also QuantizeLinear/DequantizeLinear int4.

usage: narrow_int_models.py DIR   writes DIR/model.onnx and DIR/test_data_set_0/{input,output}_<i>.pb
(Debian's onnx 1.12 has no names for these types: their numbers are used directly.)
"""
import math
import os
import sys

import numpy as np
from onnx import TensorProto, helper

UINT4, INT4, FLOAT4, UINT2, INT2 = 21, 22, 23, 25, 26
INTS = [(UINT4, 4, False), (INT4, 4, True), (UINT2, 2, False), (INT2, 2, True)]
F4_VALUES = [0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0]  # codes 0..7; code | 8 is the negative


def to_int(x, bits, signed):
    lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
    if not math.isfinite(x):
        return 0
    t = math.trunc(x)
    return t if lo <= t <= hi else 0


def wrap(v, bits, signed):
    v &= (1 << bits) - 1
    return v - (1 << bits) if signed and v >> (bits - 1) else v


def to_f4(x):
    if math.isnan(x):
        return 0
    sign = 8 if math.copysign(1.0, x) < 0 else 0
    a = min(abs(x), 6.0)
    for c in range(7):
        v0, v1 = F4_VALUES[c], F4_VALUES[c + 1]
        if v0 <= a <= v1:
            code = c if a - v0 < v1 - a else c + 1 if a - v0 > v1 - a else (c if c % 2 == 0 else c + 1)
            return code | sign
    return 7 | sign


def packed(values, bits):
    per = 8 // bits
    out = bytearray((len(values) + per - 1) // per)
    for i, v in enumerate(values):
        out[i // per] |= (v & ((1 << bits) - 1)) << ((i % per) * bits)
    return bytes(out)


def tensor(name, dtype, dims, raw):
    t = TensorProto()
    t.name, t.data_type, t.raw_data = name, dtype, raw
    t.dims.extend(dims)
    return t


def main(out_dir):
    x = np.array([-9, -8.5, -8, -7.5, -4.2, -2.5, -2, -1.5, -0.5, -0.0, 0, 0.25, 0.5, 0.75, 1.25, 1.5, 2.5,
                  3.5, 5, 7.4, 7.9, 8, 15.5, 16, 1e6, math.inf, -math.inf, math.nan], np.float32)
    i8 = np.arange(-20, 21, dtype=np.int8)
    nodes = []
    inputs = [helper.make_tensor_value_info("x", TensorProto.FLOAT, [x.size]),
              helper.make_tensor_value_info("i8", TensorProto.INT8, [i8.size])]
    input_pbs = [tensor("x", TensorProto.FLOAT, [x.size], x.tobytes()),
                 tensor("i8", TensorProto.INT8, [i8.size], i8.tobytes())]
    outputs, output_pbs = [], []

    def out(name, dtype, raw, n):
        outputs.append(helper.make_tensor_value_info(name, dtype, [n]))
        output_pbs.append(tensor(name, dtype, [n], raw))

    for dtype, bits, signed in INTS:
        codes = list(range(1 << bits))
        values = [wrap(c, bits, signed) for c in codes]
        c = "codes_%d" % dtype
        inputs.append(helper.make_tensor_value_info(c, dtype, [len(codes)]))
        input_pbs.append(tensor(c, dtype, [len(codes)], packed(codes, bits)))
        nodes.append(helper.make_node("Cast", [c], ["f_%d" % dtype], to=TensorProto.FLOAT))
        out("f_%d" % dtype, TensorProto.FLOAT, np.array(values, np.float32).tobytes(), len(codes))
        nodes.append(helper.make_node("Cast", [c], ["w_%d" % dtype], to=TensorProto.INT8))
        out("w_%d" % dtype, TensorProto.INT8, np.array(values, np.int8).tobytes(), len(codes))
        nodes.append(helper.make_node("Cast", ["x"], ["n_%d" % dtype], to=dtype))
        out("n_%d" % dtype, dtype, packed([to_int(float(v), bits, signed) for v in x], bits), x.size)
        nodes.append(helper.make_node("Cast", ["i8"], ["t_%d" % dtype], to=dtype))
        out("t_%d" % dtype, dtype, packed([wrap(int(v), bits, signed) for v in i8], bits), i8.size)
    # float4 E2M1: all 16 codes decoded, and x encoded.
    inputs.append(helper.make_tensor_value_info("codes_f4", FLOAT4, [16]))
    input_pbs.append(tensor("codes_f4", FLOAT4, [16], packed(list(range(16)), 4)))
    nodes.append(helper.make_node("Cast", ["codes_f4"], ["f_f4"], to=TensorProto.FLOAT))
    out("f_f4", TensorProto.FLOAT, np.array([(-1 if c & 8 else 1) * F4_VALUES[c & 7] for c in range(16)],
                                            np.float32).tobytes(), 16)
    nodes.append(helper.make_node("Cast", ["x"], ["n_f4"], to=FLOAT4))
    out("n_f4", FLOAT4, packed([to_f4(float(v)) for v in x], 4), x.size)
    # QuantizeLinear to int4 (round half to even, + zero point, saturate) and back.
    scale = helper.make_tensor("scale", TensorProto.FLOAT, [], [2.0])
    zp = tensor("zp", INT4, [], packed([1], 4))
    xq = np.array([-20, -17, -15, -3, -2.5, -1, 0, 0.5, 1, 1.5, 3, 4.9, 5, 11, 12.5, 13, 40], np.float32)
    inputs.append(helper.make_tensor_value_info("xq", TensorProto.FLOAT, [xq.size]))
    input_pbs.append(tensor("xq", TensorProto.FLOAT, [xq.size], xq.tobytes()))
    nodes.append(helper.make_node("QuantizeLinear", ["xq", "scale", "zp"], ["q"]))
    q = [int(min(max(round(float(v) / 2.0) + 1, -8), 7)) for v in xq]  # round(): half to even
    out("q", INT4, packed(q, 4), xq.size)
    nodes.append(helper.make_node("DequantizeLinear", ["q", "scale", "zp"], ["dq"]))
    out("dq", TensorProto.FLOAT, np.array([(v - 1) * 2.0 for v in q], np.float32).tobytes(), xq.size)

    graph = helper.make_graph(nodes, "narrow", inputs, outputs, initializer=[scale, zp])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 21)])
    model.ir_version = 10
    data = os.path.join(out_dir, "test_data_set_0")
    os.makedirs(data, exist_ok=True)
    with open(os.path.join(out_dir, "model.onnx"), "wb") as f:
        f.write(model.SerializeToString())
    for kind, pbs in (("input", input_pbs), ("output", output_pbs)):
        for i, t in enumerate(pbs):
            with open(os.path.join(data, "%s_%d.pb" % (kind, i)), "wb") as f:
                f.write(t.SerializeToString())
    print("narrow cases:", len(inputs), "inputs,", len(outputs), "outputs")


if __name__ == "__main__":
    main(sys.argv[1])
