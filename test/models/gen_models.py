#!/usr/bin/python3
"""Generate mcc's whole-model test models, deterministically (fixed seeds, random weights).

Usage (Debian's python3-torch / python3-torchvision / python3-onnx; PyPI is not reachable here):
    /usr/bin/python3 test/models/gen_models.py OUT_DIR [--family F]... [CASE]...
    /usr/bin/python3 test/models/gen_models.py --list

A case is one model at one opset, named `<model>_op<opset>` (e.g. resnet50_op13). For each case the
generator writes OUT_DIR/<case>.onnx and OUT_DIR/<case>.input_<i>.npy (one per graph input, in graph
order). run_models.py runs them with ONNX Runtime (the oracle) and with mcc-run and compares.

Families (one ctest entry each, label `models`):
    resnet       torchvision ResNet-50
    densenet     torchvision DenseNet-121
    mobile       torchvision MobileNetV2, EfficientNet-B0
    small        784-512-512-10 MLP, torchvision SqueezeNet 1.1
    transformer  a BERT-style encoder (embeddings, attention with a padding mask, GELU via Erf, LayerNorm)
    rnn          LSTM (2 layers, bidirectional) and GRU (2 layers) sequence classifiers
    control      If and Loop (onnx.helper, and torch.jit.script exports)
    exporters    onnx.helper graphs in the style of the Keras/TF and PaddlePaddle exporters: Resize with
                 scales or sizes, ConvTranspose, HardSigmoid/HardSwish, Clip with min/max inputs,
                 Shape->Gather->Concat->Reshape chains
    dims         runtime dimensions (--dim): a small CNN with symbolic batch/height/width and the BERT-style
                 encoder with symbolic batch/seq, each compiled once for every listed size and run at each
"""
import collections
import contextlib
import os
import sys
import warnings

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

# torch / torchvision are imported lazily: the helper-only families do not need them (and start fast).
torch = None
torchvision = None


def _need_torch():
    global torch, torchvision
    if torch is None:
        import torch as t
        import torchvision as tv
        torch, torchvision = t, tv
        torch.use_deterministic_algorithms(True)
        torch.set_num_threads(1)


# ---------------------------------------------------------------------------------------------------
# Export helpers


def _summary(path, m):
    counts = collections.Counter(n.op_type for n in m.graph.node)
    params = sum(int(np.prod(t.dims)) for t in m.graph.initializer)
    opset = [o.version for o in m.opset_import if o.domain in ("", "ai.onnx")][0]
    print("%s: %d nodes, %d initializers (%d params), opset %d" %
          (path, len(m.graph.node), len(m.graph.initializer), params, opset))
    print("    " + ", ".join("%s %d" % kv for kv in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))))


def torch_export(model, inputs, input_names, path, opset, output_names=("logits",), dynamic_axes=None):
    """Export `model` (eval mode) on the numpy `inputs` at `opset`; returns the inputs."""
    model.eval()
    with torch.no_grad():
        torch.onnx.export(model, tuple(torch.from_numpy(x) for x in inputs), path, opset_version=opset,
                          input_names=list(input_names), output_names=list(output_names),
                          do_constant_folding=True, dynamic_axes=dynamic_axes)
    m = onnx.load(path)
    onnx.checker.check_model(m)
    _summary(path, m)
    return inputs


def helper_save(graph, path, opset):
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                          producer_name="mcc-test-models")
    m.ir_version = 7 if opset < 16 else 8
    onnx.checker.check_model(m, full_check=True)
    onnx.save(m, path)
    _summary(path, m)


def _randn(seed, shape, scale=1.0):
    return (np.random.default_rng(seed).standard_normal(shape) * scale).astype(np.float32)


def _init(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def _seed_conv_biases(net):
    # torchvision initialises conv/linear biases to 0; identical zero biases would be deduplicated by
    # the exporter and would hide bias bugs, so give them seeded small random values. BatchNorm running
    # statistics are made non-trivial too (eval mode uses them).
    with torch.no_grad():
        for mod in net.modules():
            if isinstance(mod, (torch.nn.Conv2d, torch.nn.Linear)) and mod.bias is not None:
                mod.bias.uniform_(-0.1, 0.1)
            if isinstance(mod, torch.nn.BatchNorm2d):
                mod.running_mean.uniform_(-0.1, 0.1)
                mod.running_var.uniform_(0.5, 1.5)
                mod.weight.uniform_(0.5, 1.5)
                mod.bias.uniform_(-0.1, 0.1)


# ---------------------------------------------------------------------------------------------------
# Torch models


def _mlp_module():
    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = torch.nn.Linear(784, 512)
            self.fc2 = torch.nn.Linear(512, 512)
            self.fc3 = torch.nn.Linear(512, 10)

        def forward(self, x):
            x = torch.relu(self.fc1(x))
            x = torch.relu(self.fc2(x))
            return self.fc3(x)
    return Net()


def build_mlp(path, opset):
    _need_torch()
    torch.manual_seed(0)
    return torch_export(_mlp_module(), [_randn(1, (1, 784))], ["x"], path, opset)


def _vision(ctor, size, seed):
    def build(path, opset):
        _need_torch()
        torch.manual_seed(0)
        net = ctor(weights=None)
        _seed_conv_biases(net)
        return torch_export(net, [_randn(seed, (1, 3, size, size))], ["input"], path, opset)
    return build


def _sequence_module(cell, bidirectional):
    class Net(torch.nn.Module):
        """A recurrent encoder (LSTM or GRU, as exporters emit them) and a linear head on the last step."""

        def __init__(self):
            super().__init__()
            self.rnn = cell(input_size=16, hidden_size=32, num_layers=2, batch_first=True,
                            bidirectional=bidirectional)
            self.head = torch.nn.Linear(32 * (2 if bidirectional else 1), 5)

        def forward(self, x):
            y, _ = self.rnn(x)
            return self.head(y[:, -1])
    return Net()


def build_lstm(path, opset):
    _need_torch()
    torch.manual_seed(0)
    return torch_export(_sequence_module(torch.nn.LSTM, True), [_randn(3, (1, 7, 16))], ["tokens"], path, opset)


def build_gru(path, opset):
    _need_torch()
    torch.manual_seed(0)
    return torch_export(_sequence_module(torch.nn.GRU, False), [_randn(4, (1, 7, 16))], ["tokens"], path, opset)


BERT_VOCAB, BERT_HIDDEN, BERT_HEADS, BERT_LAYERS, BERT_SEQ, BERT_FF = 1000, 64, 4, 2, 16, 256


def _bert_module(max_positions=BERT_SEQ):
    nn = torch.nn
    F = torch.nn.functional

    class Layer(nn.Module):
        def __init__(self):
            super().__init__()
            self.q = nn.Linear(BERT_HIDDEN, BERT_HIDDEN)
            self.k = nn.Linear(BERT_HIDDEN, BERT_HIDDEN)
            self.v = nn.Linear(BERT_HIDDEN, BERT_HIDDEN)
            self.o = nn.Linear(BERT_HIDDEN, BERT_HIDDEN)
            self.ln1 = nn.LayerNorm(BERT_HIDDEN, eps=1e-12)
            self.ff1 = nn.Linear(BERT_HIDDEN, BERT_FF)
            self.ff2 = nn.Linear(BERT_FF, BERT_HIDDEN)
            self.ln2 = nn.LayerNorm(BERT_HIDDEN, eps=1e-12)

        def heads(self, x):
            b, s, _ = x.shape
            return x.view(b, s, BERT_HEADS, BERT_HIDDEN // BERT_HEADS).permute(0, 2, 1, 3)

        def forward(self, x, mask_bias):
            b, s, _ = x.shape
            q, k, v = self.heads(self.q(x)), self.heads(self.k(x)), self.heads(self.v(x))
            scores = torch.matmul(q, k.transpose(-1, -2)) / float(np.sqrt(BERT_HIDDEN // BERT_HEADS))
            probs = torch.softmax(scores + mask_bias, dim=-1)
            ctx = torch.matmul(probs, v).permute(0, 2, 1, 3).reshape(b, s, BERT_HIDDEN)
            x = self.ln1(x + self.o(ctx))
            return self.ln2(x + self.ff2(F.gelu(self.ff1(x))))

    class Encoder(nn.Module):
        def __init__(self):
            super().__init__()
            self.words = nn.Embedding(BERT_VOCAB, BERT_HIDDEN)
            self.positions = nn.Embedding(max_positions, BERT_HIDDEN)
            self.types = nn.Embedding(2, BERT_HIDDEN)
            self.ln = nn.LayerNorm(BERT_HIDDEN, eps=1e-12)
            self.layers = nn.ModuleList([Layer() for _ in range(BERT_LAYERS)])
            self.pool = nn.Linear(BERT_HIDDEN, BERT_HIDDEN)
            self.cls = nn.Linear(BERT_HIDDEN, 3)

        def forward(self, input_ids, attention_mask):
            s = input_ids.shape[1]
            pos = torch.arange(s, dtype=torch.long).unsqueeze(0)
            x = self.words(input_ids) + self.positions(pos) + self.types(torch.zeros_like(input_ids))
            x = self.ln(x)
            mask_bias = (1.0 - attention_mask[:, None, None, :].to(torch.float32)) * -10000.0
            for layer in self.layers:
                x = layer(x, mask_bias)
            pooled = torch.tanh(self.pool(x[:, 0]))
            return self.cls(pooled), x
    return Encoder()


def build_bert(path, opset):
    _need_torch()
    torch.manual_seed(0)
    net = _bert_module()
    with torch.no_grad():
        for mod in net.modules():
            if isinstance(mod, torch.nn.LayerNorm):
                mod.weight.uniform_(0.5, 1.5)
                mod.bias.uniform_(-0.1, 0.1)
    rng = np.random.default_rng(5)
    ids = rng.integers(0, BERT_VOCAB, size=(1, BERT_SEQ), dtype=np.int64)
    mask = np.ones((1, BERT_SEQ), dtype=np.int64)
    mask[:, 11:] = 0  # the last 5 positions are padding
    return torch_export(net, [ids, mask], ["input_ids", "attention_mask"], path, opset,
                        output_names=("logits", "hidden"))


def _scripted_loop_module():
    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = torch.nn.Linear(8, 8)

        def forward(self, x):
            h = self.fc(x)
            acc = torch.zeros_like(h)
            for i in range(4):
                acc = acc * 0.5 + torch.tanh(h + float(i))
            return acc
    return torch.jit.script(Net())


def build_torch_loop(path, opset):
    """A torch.jit.script module with a counted loop (exported as onnx Loop)."""
    _need_torch()
    torch.manual_seed(0)
    return torch_export(_scripted_loop_module(), [_randn(6, (2, 8))], ["x"], path, opset)


def _scripted_if_module():
    @torch.jit.script
    def branchy(x, y):
        if bool(x.sum() > y.sum()):
            z = x * y + 1.0
        else:
            z = x - torch.sigmoid(y)
        return z

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = torch.nn.Linear(8, 8)

        def forward(self, x):
            h = self.fc(x)
            return branchy(h, x) + branchy(x, h)
    return Net()


def build_torch_if(path, opset):
    """torch.jit.script `if` on a data-dependent condition (exported as onnx If)."""
    _need_torch()
    torch.manual_seed(0)
    return torch_export(_scripted_if_module(), [_randn(7, (2, 8))], ["x"], path, opset)


# ---------------------------------------------------------------------------------------------------
# onnx.helper models: control flow


def build_helper_if(path, opset):
    """If on ReduceSum(x) > 0 and on its negation (both branches run), branches using outer-scope
    values (x and an initializer)."""
    f = TensorProto.FLOAT
    w = _randn(11, (4, 4), 0.5)
    then_g = helper.make_graph(
        [helper.make_node("MatMul", ["x", "w"], ["t0"]), helper.make_node("Relu", ["t0"], ["t_out"])],
        "then", [], [helper.make_tensor_value_info("t_out", f, [3, 4])])
    else_g = helper.make_graph(
        [helper.make_node("Mul", ["x", "x"], ["e0"]), helper.make_node("Neg", ["e0"], ["e_out"])],
        "else", [], [helper.make_tensor_value_info("e_out", f, [3, 4])])
    axes_attr = opset < 13
    nodes = []
    inits = [_init("w", w)]
    if axes_attr:
        nodes.append(helper.make_node("ReduceSum", ["x"], ["s"], keepdims=0))
    else:
        inits.append(_init("no_axes", np.array([], dtype=np.int64)))
        nodes.append(helper.make_node("ReduceSum", ["x", ""], ["s"], keepdims=0))
    inits.append(_init("zero", np.array(0.0, dtype=np.float32)))
    nodes += [
        helper.make_node("Greater", ["s", "zero"], ["c"]),
        helper.make_node("If", ["c"], ["r"], then_branch=then_g, else_branch=else_g),
        helper.make_node("Not", ["c"], ["nc"]),
        helper.make_node("If", ["nc"], ["r2"], then_branch=then_g, else_branch=else_g),
        helper.make_node("Add", ["r", "r2"], ["r3"]),
        helper.make_node("Add", ["r3", "x"], ["y"]),
    ]
    g = helper.make_graph(nodes, "helper_if", [helper.make_tensor_value_info("x", f, [3, 4])],
                          [helper.make_tensor_value_info("y", f, [3, 4])], inits)
    helper_save(g, path, opset)
    x = _randn(12, (3, 4))
    x[0, 0] = 5.0  # the sum is positive
    return [x]


def _loop_body(f, with_scan):
    nodes = [
        helper.make_node("Cast", ["iter"], ["iter_f"], to=f),
        helper.make_node("Mul", ["state", "half"], ["s0"]),
        helper.make_node("Add", ["s0", "x"], ["s1"]),
        helper.make_node("Add", ["s1", "iter_f"], ["state_out"]),
    ]
    outputs = [helper.make_tensor_value_info("cond_out", TensorProto.BOOL, []),
               helper.make_tensor_value_info("state_out", f, [4])]
    if with_scan:  # a counted loop: the condition passes through unchanged
        nodes += [helper.make_node("Identity", ["cond_in"], ["cond_out"]),
                  helper.make_node("Tanh", ["state_out"], ["scan_out"])]
        outputs.append(helper.make_tensor_value_info("scan_out", f, [4]))
    else:  # a data-dependent exit: stop once max(state) reaches the limit
        nodes += [helper.make_node("ReduceMax", ["state_out"], ["m"], keepdims=0),
                  helper.make_node("Less", ["m", "limit"], ["cond_out"])]
    return helper.make_graph(
        nodes, "body_scan" if with_scan else "body_exit",
        [helper.make_tensor_value_info("iter", TensorProto.INT64, []),
         helper.make_tensor_value_info("cond_in", TensorProto.BOOL, []),
         helper.make_tensor_value_info("state", f, [4])], outputs)


def build_helper_loop(path, opset):
    """Two Loops reading an outer-scope value: a counted one with a loop-carried state and scan outputs,
    and one with a trip-count bound and a data-dependent exit condition (exits after 3 iterations)."""
    f = TensorProto.FLOAT
    inits = [_init("trip", np.array(6, dtype=np.int64)), _init("cond", np.array(True)),
             _init("half", np.array(0.5, dtype=np.float32)), _init("limit", np.array(4.0, dtype=np.float32)),
             _init("init", np.zeros(4, dtype=np.float32))]
    g = helper.make_graph(
        [helper.make_node("Loop", ["trip", "cond", "init"], ["final", "scans"], body=_loop_body(f, True)),
         helper.make_node("Loop", ["trip", "cond", "init"], ["exited"], body=_loop_body(f, False))],
        "helper_loop", [helper.make_tensor_value_info("x", f, [4])],
        [helper.make_tensor_value_info("final", f, [4]), helper.make_tensor_value_info("scans", f, [6, 4]),
         helper.make_tensor_value_info("exited", f, [4])],
        inits)
    helper_save(g, path, opset)
    return [np.array([0.25, -0.5, 1.0, 0.125], dtype=np.float32)]


# ---------------------------------------------------------------------------------------------------
# onnx.helper models: exporter styles (Keras/TF via tf2onnx, PaddlePaddle via paddle2onnx)


def _conv(name, x, cin, cout, k, seed, nodes, inits, **attrs):
    inits.append(_init(name + "_w", _randn(seed, (cout, cin, k, k), 1.0 / np.sqrt(cin * k * k))))
    inits.append(_init(name + "_b", _randn(seed + 1, (cout,), 0.1)))
    nodes.append(helper.make_node("Conv", [x, name + "_w", name + "_b"], [name], name=name, **attrs))
    return name


def build_resize_scales(path, opset):
    """tf2onnx-style upsampling: nearest (asymmetric, floor) and bilinear (half_pixel) Resize with scales."""
    f = TensorProto.FLOAT
    nodes, inits = [], []
    c = _conv("c0", "x", 3, 8, 3, 20, nodes, inits, pads=[1, 1, 1, 1])
    inits += [_init("roi", np.array([], dtype=np.float32)),
              _init("scales2", np.array([1, 1, 2, 2], dtype=np.float32)),
              _init("scales3", np.array([1, 1, 1.5, 3], dtype=np.float32))]
    nodes += [
        helper.make_node("Resize", [c, "roi", "scales2"], ["up_nearest"], mode="nearest",
                         coordinate_transformation_mode="asymmetric", nearest_mode="floor"),
        helper.make_node("Resize", [c, "roi", "scales3"], ["up_linear"], mode="linear",
                         coordinate_transformation_mode="half_pixel"),
        helper.make_node("Relu", ["up_nearest"], ["y0"]),
        helper.make_node("Sigmoid", ["up_linear"], ["y1"]),
    ]
    g = helper.make_graph(nodes, "resize_scales", [helper.make_tensor_value_info("x", f, [1, 3, 6, 5])],
                          [helper.make_tensor_value_info("y0", f, [1, 8, 12, 10]),
                           helper.make_tensor_value_info("y1", f, [1, 8, 9, 15])], inits)
    helper_save(g, path, opset)
    return [_randn(21, (1, 3, 6, 5))]


def build_resize_sizes(path, opset):
    """paddle2onnx-style Resize with sizes: bilinear align_corners, nearest round_prefer_ceil, cubic."""
    f = TensorProto.FLOAT
    inits = [_init("roi", np.array([], dtype=np.float32)), _init("scales", np.array([], dtype=np.float32)),
             _init("sizes_a", np.array([1, 2, 11, 9], dtype=np.int64)),
             _init("sizes_b", np.array([1, 2, 4, 13], dtype=np.int64)),
             _init("sizes_c", np.array([1, 2, 10, 7], dtype=np.int64))]
    nodes = [
        helper.make_node("Resize", ["x", "roi", "scales", "sizes_a"], ["ya"], mode="linear",
                         coordinate_transformation_mode="align_corners"),
        helper.make_node("Resize", ["x", "roi", "scales", "sizes_b"], ["yb"], mode="nearest",
                         coordinate_transformation_mode="half_pixel", nearest_mode="round_prefer_ceil"),
        helper.make_node("Resize", ["x", "roi", "scales", "sizes_c"], ["yc"], mode="cubic",
                         coordinate_transformation_mode="pytorch_half_pixel", cubic_coeff_a=-0.5),
    ]
    g = helper.make_graph(nodes, "resize_sizes", [helper.make_tensor_value_info("x", f, [1, 2, 5, 6])],
                          [helper.make_tensor_value_info("ya", f, [1, 2, 11, 9]),
                           helper.make_tensor_value_info("yb", f, [1, 2, 4, 13]),
                           helper.make_tensor_value_info("yc", f, [1, 2, 10, 7])], inits)
    helper_save(g, path, opset)
    return [_randn(22, (1, 2, 5, 6))]


def build_conv_transpose(path, opset):
    """Decoder-style ConvTranspose: stride 2 with pads and output_padding, a grouped one, a dilated one,
    and a SAME_UPPER (TF) one."""
    f = TensorProto.FLOAT
    inits = [_init("w1", _randn(30, (4, 6, 3, 3), 0.3)), _init("b1", _randn(31, (6,), 0.1)),
             _init("w2", _randn(32, (6, 2, 3, 3), 0.3)), _init("b2", _randn(33, (6,), 0.1)),
             _init("w3", _randn(34, (6, 3, 2, 2), 0.3)),
             _init("w4", _randn(35, (3, 4, 3, 3), 0.3))]
    nodes = [
        helper.make_node("ConvTranspose", ["x", "w1", "b1"], ["t1"], strides=[2, 2], pads=[1, 1, 1, 1],
                         output_padding=[1, 1]),
        helper.make_node("Relu", ["t1"], ["r1"]),
        helper.make_node("ConvTranspose", ["r1", "w2", "b2"], ["t2"], group=3, pads=[1, 0, 1, 2]),
        helper.make_node("ConvTranspose", ["t2", "w3"], ["t3"], dilations=[2, 1], strides=[1, 2]),
        helper.make_node("ConvTranspose", ["t3", "w4"], ["y"], strides=[2, 2], auto_pad="SAME_UPPER"),
    ]
    g = helper.make_graph(nodes, "conv_transpose", [helper.make_tensor_value_info("x", f, [1, 4, 5, 4])],
                          [helper.make_tensor_value_info("y", f, [1, 4, 24, 32])], inits)
    helper_save(g, path, opset)
    return [_randn(36, (1, 4, 5, 4))]


def build_hard_activations(path, opset):
    """Keras hard_sigmoid (alpha 0.2), paddle hardsigmoid (alpha 1/6) and, from opset 14, HardSwish,
    else HardSwish as paddle2onnx emits it before opset 14 (x * HardSigmoid(x, 1/6, 0.5))."""
    f = TensorProto.FLOAT
    nodes, inits = [], []
    c = _conv("c0", "x", 3, 6, 3, 40, nodes, inits, pads=[1, 1, 1, 1])
    nodes.append(helper.make_node("HardSigmoid", [c], ["hs_keras"], alpha=0.2, beta=0.5))
    if opset >= 14:
        nodes.append(helper.make_node("HardSwish", ["hs_keras"], ["hsw"]))
    else:
        nodes += [helper.make_node("HardSigmoid", ["hs_keras"], ["hsw_gate"], alpha=1.0 / 6, beta=0.5),
                  helper.make_node("Mul", ["hs_keras", "hsw_gate"], ["hsw"])]
    c1 = _conv("c1", "hsw", 6, 6, 1, 42, nodes, inits)
    nodes.append(helper.make_node("HardSigmoid", [c1], ["y0"], alpha=1.0 / 6, beta=0.5))
    if opset >= 14:
        nodes.append(helper.make_node("HardSwish", [c], ["y1"]))
    else:
        nodes.append(helper.make_node("HardSigmoid", [c], ["y1"]))
    g = helper.make_graph(nodes, "hard_activations", [helper.make_tensor_value_info("x", f, [1, 3, 8, 8])],
                          [helper.make_tensor_value_info("y0", f, [1, 6, 8, 8]),
                           helper.make_tensor_value_info("y1", f, [1, 6, 8, 8])], inits)
    helper_save(g, path, opset)
    return [_randn(44, (1, 3, 8, 8), 3.0)]


def build_clip_inputs(path, opset):
    """Clip with min/max as inputs (opset >= 11): relu6 from initializers, a min-only and a max-only Clip
    (omitted optional inputs), and bounds computed at run time from another input."""
    f = TensorProto.FLOAT
    inits = [_init("zero", np.array(0.0, dtype=np.float32)), _init("six", np.array(6.0, dtype=np.float32)),
             _init("lo", np.array(-0.5, dtype=np.float32))]
    nodes = [
        helper.make_node("Clip", ["x", "zero", "six"], ["relu6"]),
        helper.make_node("Clip", ["x", "lo"], ["min_only"]),
        helper.make_node("Clip", ["x", "", "six"], ["max_only"]),
        helper.make_node("ReduceMin", ["b"], ["bmin"], keepdims=0),
        helper.make_node("ReduceMax", ["b"], ["bmax"], keepdims=0),
        helper.make_node("Clip", ["x", "bmin", "bmax"], ["dyn"]),
        helper.make_node("Add", ["relu6", "min_only"], ["s0"]),
        helper.make_node("Add", ["s0", "max_only"], ["s1"]),
        helper.make_node("Add", ["s1", "dyn"], ["y"]),
    ]
    if opset >= 18:
        raise ValueError("ReduceMin/ReduceMax keepdims-only form needs opset < 18")
    g = helper.make_graph(nodes, "clip_inputs", [helper.make_tensor_value_info("x", f, [2, 3, 4]),
                                                 helper.make_tensor_value_info("b", f, [2])],
                          [helper.make_tensor_value_info("y", f, [2, 3, 4])], inits)
    helper_save(g, path, opset)
    return [_randn(50, (2, 3, 4), 5.0), np.array([-1.25, 2.5], dtype=np.float32)]


def build_shape_chain(path, opset, const_nodes=False):
    """The Shape->Gather->Unsqueeze->Concat->Reshape chains exporters emit for `flatten` and for
    reshaping to a computed shape, feeding a MatMul. The indices, axes and -1 are initializers
    (tf2onnx style) or, with const_nodes, Constant nodes (paddle2onnx and torch style)."""
    f = TensorProto.FLOAT
    nodes, inits = [], []
    c = _conv("c0", "x", 3, 4, 3, 60, nodes, inits, pads=[1, 1, 1, 1])
    inits.append(_init("w", _randn(61, (4 * 6 * 6, 10), 0.05)))
    for name, value in [("i0", 0), ("i1", 1), ("minus1", [-1]), ("axes0", [0])]:
        if const_nodes:
            nodes.append(helper.make_node("Constant", [], [name],
                                          value=numpy_helper.from_array(np.array(value, dtype=np.int64))))
        else:
            inits.append(_init(name, np.array(value, dtype=np.int64)))
    unsq = ((lambda i, o: helper.make_node("Unsqueeze", [i], [o], axes=[0])) if opset < 13 else
            (lambda i, o: helper.make_node("Unsqueeze", [i, "axes0"], [o])))
    nodes += [
        helper.make_node("Shape", [c], ["shp"]),
        helper.make_node("Gather", ["shp", "i0"], ["n"], axis=0),
        unsq("n", "n1"),
        helper.make_node("Concat", ["n1", "minus1"], ["flat_shape"], axis=0),
        helper.make_node("Reshape", [c, "flat_shape"], ["flat"]),
        helper.make_node("MatMul", ["flat", "w"], ["logits"]),
        # Reshape back to [N, C, H*W] computed from the shape: Gather(1) and Slice of the tail
        helper.make_node("Gather", ["shp", "i1"], ["ch"], axis=0),
        unsq("ch", "ch1"),
        helper.make_node("Concat", ["n1", "ch1", "minus1"], ["nc_shape"], axis=0),
        helper.make_node("Reshape", [c, "nc_shape"], ["nc"]),
        helper.make_node("ReduceMean", ["nc"], ["pooled"], axes=[2], keepdims=0),
    ]
    g = helper.make_graph(nodes, "shape_chain", [helper.make_tensor_value_info("x", f, [1, 3, 6, 6])],
                          [helper.make_tensor_value_info("logits", f, [1, 10]),
                           helper.make_tensor_value_info("pooled", f, [1, 4])], inits)
    helper_save(g, path, opset)
    return [_randn(62, (1, 3, 6, 6))]


# ---------------------------------------------------------------------------------------------------
# The registry: model -> (family, builder, opsets). Spanning opsets 9..17 where the exporter allows.


# ---------------------------------------------------------------------------------------------------
# Runtime dimensions (family `dims`): one export with symbolic dimensions, compiled once by mcc-run with
# --dim for every listed size, run at several sizes. These builders return a dict instead of a list:
#     {"dims": ["batch=1,3,8", ...],             # mcc-run --dim arguments
#      "sets": [(label, [arrays]), ...],          # input sets, each checked against ONNX Runtime
#      "bad": (label, [arrays])}                  # a size not compiled for: mcc-run must exit 3


def _dims_cnn_module():
    nn = torch.nn

    def block(cin, cout, stride):
        return [nn.Conv2d(cin, cout, 3, stride=stride, padding=1), nn.BatchNorm2d(cout), nn.ReLU()]

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.features = nn.Sequential(*block(3, 16, 2), nn.MaxPool2d(3, 2, ceil_mode=True),
                                          *block(16, 32, 2), *block(32, 32, 1), *block(32, 64, 2))
            self.fc = nn.Linear(64, 10)

        def forward(self, x):
            x = self.features(x)
            x = torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1)
            return self.fc(x)
    return Net()


def build_dims_cnn(path, opset):
    _need_torch()
    torch.manual_seed(0)
    net = _dims_cnn_module()
    _seed_conv_biases(net)
    torch_export(net, [_randn(20, (1, 3, 224, 224))], ["input"], path, opset,
                 dynamic_axes={"input": {0: "batch", 2: "height", 3: "width"}, "logits": {0: "batch"}})
    sets = []
    for n, (h, w) in [(n, hw) for hw in ((224, 224), (320, 256)) for n in (1, 3, 8)]:
        sets.append(("b%d_%dx%d" % (n, h, w), [_randn(21 + n + h, (n, 3, h, w))]))
    return {"dims": ["batch=1,3,8", "height=224,320", "width=224,256"], "sets": sets,
            "bad": ("b2_224x224", [_randn(22, (2, 3, 224, 224))])}


DIMS_BERT_POSITIONS = 128


def build_dims_bert(path, opset):
    _need_torch()
    torch.manual_seed(0)
    net = _bert_module(DIMS_BERT_POSITIONS)
    with torch.no_grad():
        for mod in net.modules():
            if isinstance(mod, torch.nn.LayerNorm):
                mod.weight.uniform_(0.5, 1.5)
                mod.bias.uniform_(-0.1, 0.1)

    def inputs(seed, b, s):
        rng = np.random.default_rng(seed)
        ids = rng.integers(0, BERT_VOCAB, size=(b, s), dtype=np.int64)
        mask = np.ones((b, s), dtype=np.int64)
        for i in range(b):  # row i has i padding positions at the end (at most s-1)
            if i:
                mask[i, max(1, s - i * (s // 8 + 1)):] = 0
        return [ids, mask]

    dyn = {"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"},
           "logits": {0: "batch"}, "hidden": {0: "batch", 1: "seq"}}
    torch_export(net, inputs(30, 2, 16), ["input_ids", "attention_mask"], path, opset,
                 output_names=("logits", "hidden"), dynamic_axes=dyn)
    sets = [("b%d_s%d" % (b, s), inputs(31 + b * s, b, s)) for b in (1, 3, 8) for s in (7, 128)]
    return {"dims": ["batch=1,3,8", "seq=7,128"], "sets": sets, "bad": ("b2_s7", inputs(32, 2, 7))}


def _tv(name):
    return lambda **kw: getattr(torchvision.models, name)(**kw)


MODELS = collections.OrderedDict([
    ("mlp", ("small", build_mlp, [9, 13])),
    ("squeezenet1_1", ("small", _vision(_tv("squeezenet1_1"), 224, 2), [9, 13])),
    ("resnet50", ("resnet", _vision(_tv("resnet50"), 224, 8), [9, 13])),
    ("densenet121", ("densenet", _vision(_tv("densenet121"), 224, 9), [9, 13])),
    ("mobilenet_v2", ("mobile", _vision(_tv("mobilenet_v2"), 224, 10), [9, 13])),
    ("efficientnet_b0", ("mobile", _vision(_tv("efficientnet_b0"), 224, 11), [11, 17])),
    ("bert_encoder", ("transformer", build_bert, [11, 13, 17])),
    ("lstm", ("rnn", build_lstm, [9, 13, 17])),
    ("gru", ("rnn", build_gru, [9, 13, 17])),
    ("if_helper", ("control", build_helper_if, [11, 13, 16])),
    ("loop_helper", ("control", build_helper_loop, [11, 13, 16])),
    ("if_script", ("control", build_torch_if, [11, 13])),
    ("loop_script", ("control", build_torch_loop, [11, 13])),
    ("resize_scales", ("exporters", build_resize_scales, [11, 13])),
    ("resize_sizes", ("exporters", build_resize_sizes, [11, 13])),
    ("conv_transpose", ("exporters", build_conv_transpose, [9, 11])),
    ("hard_activations", ("exporters", build_hard_activations, [9, 14])),
    ("clip_inputs", ("exporters", build_clip_inputs, [11, 13])),
    ("shape_chain", ("exporters", build_shape_chain, [11, 13])),
    ("shape_chain_const", ("exporters", lambda path, opset: build_shape_chain(path, opset, True), [11, 13])),
    ("dims_cnn", ("dims", build_dims_cnn, [13])),
    ("dims_bert", ("dims", build_dims_bert, [13])),
])


def cases(families=(), names=()):
    """[(case, model, opset, family)] selected by family and/or case/model name (all when both empty)."""
    out = []
    for model, (family, _, opsets) in MODELS.items():
        for opset in opsets:
            case = "%s_op%d" % (model, opset)
            if (not families and not names) or family in families or case in names or model in names:
                out.append((case, model, opset, family))
    return out


def generate(out_dir, case, model, opset, log=None):
    """Write OUT_DIR/<case>.onnx and its inputs; returns the list of input .npy paths. The model summary
    and exporter warnings go to `log` (a file object) when given."""
    path = os.path.join(out_dir, case + ".onnx")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # exporter advice about dynamic batch sizes etc.
        if log is None:
            inputs = MODELS[model][1](path, opset)
        else:
            with contextlib.redirect_stdout(log):
                inputs = MODELS[model][1](path, opset)
    if isinstance(inputs, dict):  # runtime dimensions: several input sets
        def save(label, arrays):
            return [_save(os.path.join(out_dir, "%s.%s.input_%d.npy" % (case, label, i)), x)
                    for i, x in enumerate(arrays)]
        return {"dims": inputs["dims"], "sets": [(label, save(label, a)) for label, a in inputs["sets"]],
                "bad": (inputs["bad"][0], save(*inputs["bad"]))}
    return [_save(os.path.join(out_dir, "%s.input_%d.npy" % (case, i)), x) for i, x in enumerate(inputs)]


def _save(path, x):
    np.save(path, x)
    return path


def main(argv):
    if argv[1:] == ["--list"]:
        for case, _, _, family in cases():
            print("%-12s %s" % (family, case))
        return 0
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 1
    out_dir, families, names, args = argv[1], [], [], argv[2:]
    while args:
        if args[0] == "--family" and len(args) > 1:
            families.append(args[1])
            args = args[2:]
        else:
            names.append(args[0])
            args = args[1:]
    os.makedirs(out_dir, exist_ok=True)
    for case, model, opset, _ in cases(families, names):
        generate(out_dir, case, model, opset)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
