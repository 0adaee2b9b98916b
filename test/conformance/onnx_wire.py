"""Reads what run_conformance.py needs from an ONNX model (op types, opsets,
graph inputs) with the standard library only: a minimal protobuf wire reader
for the few onnx.proto fields involved. Used when python3-onnx is missing and
by fake_mcc_run.py (which must start fast)."""


class ModelInfo:
    def __init__(self):
        self.opsets = {}        # domain ('' for the default domain) -> version
        self.ops = set()        # qualified op names: 'Relu', 'ai.onnx.ml.Imputer'
        self.inputs = []        # graph inputs that are not initializers, in order
        self.error = None       # model could not be read


def qualify(domain, op_type):
    return op_type if domain in ("", "ai.onnx") else domain + "." + op_type


# protobuf wire format
def _varint(b, i):
    r = s = 0
    while True:
        c = b[i]
        i += 1
        r |= (c & 0x7F) << s
        if c < 0x80:
            return r, i
        s += 7


def _fields(b):
    """Yield (field, wiretype, value) of one message; length-delimited values as memoryview."""
    i, n = 0, len(b)
    while i < n:
        key, i = _varint(b, i)
        f, wt = key >> 3, key & 7
        if wt == 0:
            v, i = _varint(b, i)
        elif wt == 1:
            v, i = None, i + 8
        elif wt == 2:
            ln, i = _varint(b, i)
            v, i = b[i:i + ln], i + ln
        elif wt == 5:
            v, i = None, i + 4
        else:
            raise ValueError("unsupported protobuf wire type %d" % wt)
        yield f, wt, v


def _str(v):
    return bytes(v).decode("utf-8", "replace")


def read_model_wire(path):
    with open(path, "rb") as fh:
        b = memoryview(fh.read())
    info = ModelInfo()
    graph = None
    for f, wt, v in _fields(b):
        if f == 8 and wt == 2:               # ModelProto.opset_import
            dom, ver = "", 1
            for f2, wt2, v2 in _fields(v):
                if f2 == 1 and wt2 == 2:
                    dom = _str(v2)
                elif f2 == 2 and wt2 == 0:
                    ver = v2
            info.opsets["" if dom == "ai.onnx" else dom] = ver
        elif f == 7 and wt == 2:             # ModelProto.graph
            graph = v

    def walk(g, top):
        inputs, inits = [], set()
        for f, wt, v in _fields(g):
            if f == 1 and wt == 2:           # GraphProto.node
                op, dom = "", ""
                for f2, wt2, v2 in _fields(v):
                    if f2 == 4 and wt2 == 2:
                        op = _str(v2)
                    elif f2 == 7 and wt2 == 2:
                        dom = _str(v2)
                    elif f2 == 5 and wt2 == 2:   # NodeProto.attribute
                        for f3, wt3, v3 in _fields(v2):
                            if f3 in (6, 11) and wt3 == 2:  # g, graphs
                                walk(v3, False)
                info.ops.add(qualify(dom, op))
            elif top and f == 11 and wt == 2:    # GraphProto.input (ValueInfoProto)
                for f2, wt2, v2 in _fields(v):
                    if f2 == 1 and wt2 == 2:
                        inputs.append(_str(v2))
            elif top and f == 5 and wt == 2:     # GraphProto.initializer (TensorProto.name = 8)
                for f2, wt2, v2 in _fields(v):
                    if f2 == 8 and wt2 == 2:
                        inits.add(_str(v2))
        if top:
            info.inputs = [i for i in inputs if i not in inits]
    if graph is not None:
        walk(graph, True)
    return info
