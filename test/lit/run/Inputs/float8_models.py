"""A model casting to and from the four ONNX float8 types, with inputs and expected outputs whose values
come from a reference written here by search, not on the bits: decoding by the format's formula, encoding
by the nearest representable value (ties to the even code). Inputs: every finite float8 value of each
format and its negative, the midpoints between neighbours (exact ties) and the f32 values next to them,
values past the largest finite one, the smallest subnormal's half, infinities and NaN; and all 256 codes.

usage: float8_models.py DIR   writes DIR/model.onnx and DIR/test_data_set_0/{input,output}_<i>.pb
(Debian's onnx 1.12 has no float8 names: the numbers of the types are used directly.)
"""
import math
import os
import sys

import numpy as np
from onnx import TensorProto, helper

# name, TensorProto number, mantissa bits, exponent bias, kind: "fn" (no infinity, S.1111.111 is NaN),
# "ieee" (E5M2: infinities and NaNs in the top exponent), "fnuz" (0x80 the only NaN, no -0, no infinity)
FORMATS = [("e4m3fn", 17, 3, 7, "fn"), ("e4m3fnuz", 18, 3, 8, "fnuz"), ("e5m2", 19, 2, 15, "ieee"),
           ("e5m2fnuz", 20, 2, 16, "fnuz")]


def decode(code, m, bias, kind):
    sign = -1.0 if code & 0x80 else 1.0
    mag = code & 0x7F
    e, f = mag >> m, mag & ((1 << m) - 1)
    if kind == "fnuz" and code == 0x80:
        return math.nan
    if kind == "fn" and mag == 0x7F:
        return math.nan
    if kind == "ieee" and e == (0x7F >> m):
        return sign * math.inf if f == 0 else math.nan
    v = math.ldexp(f, 1 - bias - m) if e == 0 else math.ldexp((1 << m) | f, e - bias - m)
    return sign * v


def positive_codes(m, bias, kind):
    """(code, value) of the finite non-negative values, ascending."""
    out = [(c, decode(c, m, bias, kind)) for c in range(0x80)]
    return [(c, v) for c, v in out if math.isfinite(v)]


def encode(x, m, bias, kind, saturate):
    pos = positive_codes(m, bias, kind)
    max_code, max_value = pos[-1]
    nan = 0x80 if kind == "fnuz" else 0x7F
    if math.isnan(x):
        return nan
    sign = 0x80 if math.copysign(1.0, x) < 0 else 0
    a = abs(x)
    if saturate:
        a = min(a, max_value)
    # The value one step past the largest finite one: where rounding overflows.
    step = max_value - pos[-2][1]
    candidates = pos + [(max_code + 1, max_value + step)]
    if a > candidates[-1][1]:
        code = max_code + 1
    else:
        code = None
        for (c0, v0), (c1, v1) in zip(candidates, candidates[1:]):
            if v0 <= a <= v1:
                if a - v0 < v1 - a:
                    code = c0
                elif a - v0 > v1 - a:
                    code = c1
                else:
                    code = c0 if c0 % 2 == 0 else c1
                break
    if code > max_code:  # only without saturation
        return {"fn": 0x7F | sign, "ieee": 0x7C | sign, "fnuz": 0x80}[kind]
    if kind == "fnuz" and code == 0:
        return 0
    return code | sign


def probe_values():
    vals = [0.0, -0.0, math.inf, -math.inf, math.nan, 1e30, -1e30, 1e-30, -1e-30]
    for _, _, m, bias, kind in FORMATS:
        pos = [v for _, v in positive_codes(m, bias, kind)]
        vals += pos + [-v for v in pos]
        step = pos[-1] - pos[-2]
        vals += [pos[-1] + step / 2, pos[-1] + step / 4, pos[-1] + 3 * step / 4, pos[-1] + 2 * step, pos[1] / 2]
        for v0, v1 in zip(pos, pos[1:]):
            mid = np.float32((v0 + v1) / 2)
            vals += [float(mid), -float(mid), float(np.nextafter(mid, np.float32(0))),
                     float(np.nextafter(mid, np.float32(np.inf)))]
    out = []
    for v in vals:  # f32 values, each once (NaN once)
        f = float(np.float32(v))
        if not any((math.isnan(f) and math.isnan(g)) or (f == g and math.copysign(1, f) == math.copysign(1, g))
                   for g in out):
            out.append(f)
    return np.array(out, np.float32)


def tensor(name, dtype, dims, raw):
    t = TensorProto()
    t.name, t.data_type, t.raw_data = name, dtype, raw
    t.dims.extend(dims)
    return t


def main(out_dir):
    x = probe_values()
    codes = bytes(range(256))
    nodes, inputs, outputs, input_pbs, output_pbs = [], [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                                                                        [x.size])], [], [], []
    input_pbs.append(tensor("x", TensorProto.FLOAT, [x.size], x.tobytes()))
    for name, num, m, bias, kind in FORMATS:
        for saturate in (1, 0):
            y = "%s_%s" % (name, "sat" if saturate else "nosat")
            nodes.append(helper.make_node("Cast", ["x"], [y], to=num, saturate=saturate))
            outputs.append(helper.make_tensor_value_info(y, num, [x.size]))
            expected = bytes(encode(float(v), m, bias, kind, saturate) for v in x)
            output_pbs.append(tensor(y, num, [x.size], expected))
        c, d = "codes_" + name, "decoded_" + name
        inputs.append(helper.make_tensor_value_info(c, num, [256]))
        input_pbs.append(tensor(c, num, [256], codes))
        nodes.append(helper.make_node("Cast", [c], [d], to=TensorProto.FLOAT))
        outputs.append(helper.make_tensor_value_info(d, TensorProto.FLOAT, [256]))
        decoded = np.array([decode(i, m, bias, kind) for i in range(256)], np.float32)
        output_pbs.append(tensor(d, TensorProto.FLOAT, [256], decoded.tobytes()))
    graph = helper.make_graph(nodes, "float8", inputs, outputs)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 19)])
    model.ir_version = 9
    data = os.path.join(out_dir, "test_data_set_0")
    os.makedirs(data, exist_ok=True)
    with open(os.path.join(out_dir, "model.onnx"), "wb") as f:
        f.write(model.SerializeToString())
    for kind, pbs in (("input", input_pbs), ("output", output_pbs)):
        for i, t in enumerate(pbs):
            with open(os.path.join(data, "%s_%d.pb" % (kind, i)), "wb") as f:
                f.write(t.SerializeToString())
    print("float8 cases:", x.size, "values x", len(FORMATS), "formats")


if __name__ == "__main__":
    main(sys.argv[1])
