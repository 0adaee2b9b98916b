"""Floating-point work of one run of an ONNX model: 2 x the multiply-accumulates of its Conv, ConvTranspose,
MatMul, Gemm, LSTM and GRU nodes (everything else is memory-bound and left out, as papers and vendors
count). Shapes come from ONNX shape inference, so the graph's inputs must be static."""
import numpy as np
import onnx
from onnx import shape_inference


def _shapes(model):
    inferred = shape_inference.infer_shapes(model)
    shapes = {}
    for vi in list(inferred.graph.value_info) + list(inferred.graph.input) + list(inferred.graph.output):
        dims = vi.type.tensor_type.shape.dim
        if all(d.HasField("dim_value") for d in dims):
            shapes[vi.name] = [d.dim_value for d in dims]
    for t in inferred.graph.initializer:
        shapes[t.name] = list(t.dims)
    for n in inferred.graph.node:  # Constant nodes carry weights in some exports
        if n.op_type == "Constant":
            for a in n.attribute:
                if a.name == "value":
                    shapes[n.output[0]] = list(a.t.dims)
    return shapes


def _attr(node, name, default):
    for a in node.attribute:
        if a.name == name:
            return onnx.helper.get_attribute_value(a)
    return default


def _node_macs(node, shapes):
    s = lambda i: shapes.get(node.input[i]) if i < len(node.input) and node.input[i] else None
    out = shapes.get(node.output[0]) if node.output else None
    op = node.op_type
    if op == "Conv" and out and s(1):
        return int(np.prod(out)) * int(np.prod(s(1)[1:]))  # each output: Cin/group x kernel
    if op == "ConvTranspose" and s(0) and s(1):
        return int(np.prod(s(0))) * int(np.prod(s(1)[1:]))  # each input scatters Cout/group x kernel
    if op == "MatMul" and out and s(0):
        return int(np.prod(out)) * s(0)[-1]
    if op == "Gemm" and out and s(0):
        return int(np.prod(out)) * s(0)[0 if _attr(node, "transA", 0) else 1]
    if op in ("LSTM", "GRU") and s(0) and s(1) and s(2):
        seq, batch = s(0)[0], s(0)[1]
        if _attr(node, "layout", 0):
            seq, batch = batch, seq
        dirs, gates_h, inp = s(1)
        hidden = s(2)[2]
        return seq * batch * dirs * gates_h * (inp + hidden)
    return 0


def gflop(path):
    """GFLOP of one run, or None when a counted node's shapes are not static."""
    model = onnx.load(path)
    shapes = _shapes(model)
    total = 0
    for node in model.graph.node:
        if node.op_type in ("Conv", "ConvTranspose", "MatMul", "Gemm", "LSTM", "GRU"):
            macs = _node_macs(node, shapes)
            if not macs:
                return None
            total += macs
    return 2.0 * total / 1e9
