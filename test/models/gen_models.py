#!/usr/bin/python3
"""Generate the whole-model test models for mcc, deterministically (fixed seeds).

Usage (Debian's python3-torch / python3-torchvision / python3-onnx; PyPI is not reachable here):
    /usr/bin/python3 test/models/gen_models.py OUT_DIR

Writes into OUT_DIR:
    mlp.onnx                   784-512-512-10 MLP with ReLU, input "x" [1,784] f32, output "logits" [1,10]
    mlp.input_0.npy            seeded random normal float32 [1,784]
    squeezenet1_1.onnx         torchvision squeezenet1_1(weights=None), random init (seeded), eval mode,
                               conv biases seeded uniform(-0.1,0.1) (torchvision zero-inits them),
                               input "input" [1,3,224,224] f32, output "logits" [1,1000], opset 13
    squeezenet1_1.input_0.npy  seeded random normal float32 [1,3,224,224]
    lstm.onnx, gru.onnx        2-layer LSTM (bidirectional) / GRU over [1,7,16] tokens, linear head, opset 13

Reference outputs with ONNX Runtime (see tools/ort/ort_run.js):
    node tools/ort/ort_run.js OUT_DIR/mlp.onnx OUT_DIR/mlp.ref OUT_DIR/mlp.input_0.npy
    node tools/ort/ort_run.js OUT_DIR/squeezenet1_1.onnx OUT_DIR/squeezenet1_1.ref \
        OUT_DIR/squeezenet1_1.input_0.npy
and then e.g.
    mcc-run OUT_DIR/mlp.onnx --input x=OUT_DIR/mlp.input_0.npy --reference OUT_DIR/mlp.ref
"""
import collections
import os
import sys

import numpy as np
import onnx
import torch
import torchvision

OPSET = 13


class MLP(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = torch.nn.Linear(784, 512)
        self.fc2 = torch.nn.Linear(512, 512)
        self.fc3 = torch.nn.Linear(512, 10)

    def forward(self, x):
        x = torch.relu(self.fc1(x))
        x = torch.relu(self.fc2(x))
        return self.fc3(x)


class SequenceClassifier(torch.nn.Module):
    """A recurrent encoder (LSTM or GRU, as exporters emit them) and a linear head on the last step."""

    def __init__(self, cell, bidirectional):
        super().__init__()
        self.rnn = cell(input_size=16, hidden_size=32, num_layers=2, batch_first=True,
                        bidirectional=bidirectional)
        self.head = torch.nn.Linear(32 * (2 if bidirectional else 1), 5)

    def forward(self, x):
        y, _ = self.rnn(x)
        return self.head(y[:, -1])


def export(model, shape, in_name, out_dir, name, seed):
    model.eval()
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape, dtype=np.float32)
    path = os.path.join(out_dir, name + ".onnx")
    with torch.no_grad():
        torch.onnx.export(model, (torch.from_numpy(x),), path, opset_version=OPSET,
                          input_names=[in_name], output_names=["logits"],
                          do_constant_folding=True)
    np.save(os.path.join(out_dir, name + ".input_0.npy"), x)
    m = onnx.load(path)
    onnx.checker.check_model(m)
    counts = collections.Counter(n.op_type for n in m.graph.node)
    params = sum(int(np.prod(t.dims)) for t in m.graph.initializer)
    print("%s: %d nodes, %d initializers (%d params), opset %d" %
          (path, len(m.graph.node), len(m.graph.initializer), params, OPSET))
    for op, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        print("    %-20s %d" % (op, c))


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: %s OUT_DIR\n" % sys.argv[0])
        return 1
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    torch.use_deterministic_algorithms(True)

    torch.manual_seed(0)
    export(MLP(), (1, 784), "x", out_dir, "mlp", seed=1)

    torch.manual_seed(0)
    net = torchvision.models.squeezenet1_1(weights=None)
    # torchvision initialises every conv bias to 0; identical zero biases would be deduplicated by the
    # exporter (18 Identity nodes) and would hide bias bugs, so give them seeded small random values.
    with torch.no_grad():
        for mod in net.modules():
            if isinstance(mod, torch.nn.Conv2d) and mod.bias is not None:
                mod.bias.uniform_(-0.1, 0.1)
    export(net, (1, 3, 224, 224), "input", out_dir, "squeezenet1_1", seed=2)

    torch.manual_seed(0)
    export(SequenceClassifier(torch.nn.LSTM, bidirectional=True), (1, 7, 16), "tokens", out_dir, "lstm", seed=3)
    torch.manual_seed(0)
    export(SequenceClassifier(torch.nn.GRU, bidirectional=False), (1, 7, 16), "tokens", out_dir, "gru", seed=4)
    return 0


if __name__ == "__main__":
    sys.exit(main())
