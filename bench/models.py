#!/usr/bin/python3
"""The benchmark's models, made deterministically (fixed seeds, random weights) and cached.

Usage (Debian's python3-torch / python3-torchvision / python3-onnx, so run it as /usr/bin/python3):
    /usr/bin/python3 bench/models.py OUT_DIR [MODEL]...     make the models (all when none is named)
    /usr/bin/python3 bench/models.py --list                 name and description of each model

For each model it writes OUT_DIR/<model>.onnx and OUT_DIR/<model>.input_<i>.npy (one per graph input,
in graph order) and prints them. A model is made again only when its builder changed: OUT_DIR/<model>.stamp
holds a hash of this file and of test/models/gen_models.py, whose builders it reuses.
"""
import contextlib
import hashlib
import os
import sys
import warnings

import numpy as np
from onnx import TensorProto, helper

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "test", "models"))
import gen_models as gm  # noqa: E402  (the test suite's builders: same seeds, same export settings)

# Opset 17 for every model: IREE's importer works at 17 and converts older models up to it, and
# mcc, ONNX Runtime and OpenVINO all take 17; one opset keeps the peers on the same graph.
OPSET = 17


@contextlib.contextmanager
def _bert_config(**sizes):
    """gen_models' BERT builder reads its sizes from module globals at construction and at export;
    set them for one build and put them back."""
    saved = {k: getattr(gm, k) for k in sizes}
    for k, v in sizes.items():
        setattr(gm, k, v)
    try:
        yield
    finally:
        for k, v in saved.items():
            setattr(gm, k, v)


def _bert(seq, seed, **sizes):
    def build(path, opset):
        with _bert_config(BERT_SEQ=seq, **sizes):
            gm._need_torch()
            gm.torch.manual_seed(0)
            net = gm._bert_module(seq)
            with gm.torch.no_grad():
                for mod in net.modules():
                    if isinstance(mod, gm.torch.nn.LayerNorm):
                        mod.weight.uniform_(0.5, 1.5)
                        mod.bias.uniform_(-0.1, 0.1)
            rng = np.random.default_rng(seed)
            ids = rng.integers(0, gm.BERT_VOCAB, size=(1, seq), dtype=np.int64)
            mask = np.ones((1, seq), dtype=np.int64)
            mask[:, seq - seq // 8:] = 0  # the last eighth is padding, as in a real batch
            return gm.torch_export(net, [ids, mask], ["input_ids", "attention_mask"], path, opset,
                                   output_names=("logits", "hidden"))
    return build


BERT_BASE_LAYERS = 12


def build_matmul(path, opset):
    """Y = A x B, 2048^3, B a constant: the single-kernel ceiling check."""
    n = 2048
    f = TensorProto.FLOAT
    b = gm._init("B", gm._randn(70, (n, n), 1.0 / np.sqrt(n)))
    g = helper.make_graph([helper.make_node("MatMul", ["A", "B"], ["Y"])], "matmul2048",
                          [helper.make_tensor_value_info("A", f, [n, n])],
                          [helper.make_tensor_value_info("Y", f, [n, n])], [b])
    gm.helper_save(g, path, opset)
    return [gm._randn(71, (n, n))]


def _m5_module():
    """An M5-style raw-audio classifier (Dai et al. 2017): Conv1d stack on 1 s of 16 kHz samples."""
    nn = gm.torch.nn

    def block(cin, cout, k, stride=1):
        return [nn.Conv1d(cin, cout, k, stride=stride, padding=k // 2 if stride == 1 else 0),
                nn.BatchNorm1d(cout), nn.ReLU(), nn.MaxPool1d(4)]

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.features = nn.Sequential(*block(1, 128, 80, 4), *block(128, 128, 3), *block(128, 256, 3),
                                          *block(256, 512, 3))
            self.fc = nn.Linear(512, 35)

        def forward(self, x):
            x = self.features(x)
            return self.fc(x.mean(dim=2))
    return Net()


def build_audio(path, opset):
    gm._need_torch()
    gm.torch.manual_seed(0)
    net = _m5_module()
    with gm.torch.no_grad():  # non-trivial BatchNorm statistics, as gen_models does for Conv2d models
        for mod in net.modules():
            if isinstance(mod, gm.torch.nn.BatchNorm1d):
                mod.running_mean.uniform_(-0.1, 0.1)
                mod.running_var.uniform_(0.5, 1.5)
            if isinstance(mod, (gm.torch.nn.Conv1d, gm.torch.nn.Linear)):
                mod.bias.uniform_(-0.1, 0.1)
    return gm.torch_export(net, [gm._randn(72, (1, 1, 16000))], ["waveform"], path, opset)


# name -> (builder, description). The order is the table's.
MODELS = {
    "mlp": (gm.build_mlp, "MLP 784-512-512-10, batch 1"),
    "squeezenet1_1": (gm._vision(gm._tv("squeezenet1_1"), 224, 2), "SqueezeNet 1.1, 1x3x224x224"),
    "mobilenet_v2": (gm._vision(gm._tv("mobilenet_v2"), 224, 10), "MobileNetV2, 1x3x224x224"),
    "mobilenet_v3_small": (gm._vision(gm._tv("mobilenet_v3_small"), 224, 12),
                           "MobileNetV3-small (depthwise-heavy, HardSwish, squeeze-excite), 1x3x224x224"),
    "efficientnet_b0": (gm._vision(gm._tv("efficientnet_b0"), 224, 11), "EfficientNet-B0, 1x3x224x224"),
    "resnet18": (gm._vision(gm._tv("resnet18"), 224, 13), "ResNet-18, 1x3x224x224"),
    "resnet50": (gm._vision(gm._tv("resnet50"), 224, 8), "ResNet-50, 1x3x224x224"),
    "densenet121": (gm._vision(gm._tv("densenet121"), 224, 9), "DenseNet-121, 1x3x224x224"),
    "bert_encoder": (_bert(128, 5), "the test suite's BERT-style encoder (hidden 64, 4 heads, 2 layers), "
                     "seq 128"),
    "bert_base": (_bert(128, 6, BERT_VOCAB=30522, BERT_HIDDEN=768, BERT_HEADS=12, BERT_FF=3072,
                        BERT_LAYERS=BERT_BASE_LAYERS),
                  "BERT-base-sized encoder: %d layers, hidden 768, 12 heads, FFN 3072, vocab 30522, seq 128"
                  % BERT_BASE_LAYERS),
    "lstm": (gm.build_lstm, "the test suite's LSTM: 2 layers, bidirectional, hidden 32, 7 steps"),
    "audio_m5": (build_audio, "M5-style Conv1d audio classifier, 1x1x16000 samples"),
    "matmul2048": (build_matmul, "one 2048x2048x2048 MatMul, B constant"),
}


def _stamp():
    h = hashlib.sha256()
    for path in (os.path.abspath(__file__), gm.__file__):
        with open(path, "rb") as f:
            h.update(f.read())
    return h.hexdigest()[:16]


def make(out_dir, name):
    """Make OUT_DIR/<name>.onnx and its inputs unless cached; returns the input .npy paths."""
    stamp_path = os.path.join(out_dir, name + ".stamp")
    stamp = _stamp()
    inputs = sorted(p for p in os.listdir(out_dir) if p.startswith(name + ".input_") and p.endswith(".npy"))
    if os.path.exists(stamp_path) and open(stamp_path).read() == stamp and inputs:
        return [os.path.join(out_dir, p) for p in inputs]
    for p in inputs:
        os.remove(os.path.join(out_dir, p))
    path = os.path.join(out_dir, name + ".onnx")
    with warnings.catch_warnings(), open(os.path.join(out_dir, name + ".log"), "w") as log, \
            contextlib.redirect_stdout(log):
        warnings.simplefilter("ignore")  # exporter advice about dynamic batch sizes etc.
        arrays = MODELS[name][0](path, OPSET)
    paths = []
    for i, x in enumerate(arrays):
        paths.append(os.path.join(out_dir, "%s.input_%d.npy" % (name, i)))
        np.save(paths[-1], x)
    with open(stamp_path, "w") as f:
        f.write(stamp)
    return paths


def main(argv):
    if argv[1:] == ["--list"]:
        for name, (_, what) in MODELS.items():
            print("%s\t%s" % (name, what))
        return 0
    if len(argv) < 2 or argv[1].startswith("-"):
        sys.stderr.write(__doc__)
        return 1
    out_dir, names = argv[1], argv[2:] or list(MODELS)
    unknown = [n for n in names if n not in MODELS]
    if unknown:
        sys.stderr.write("models.py: unknown model(s) %s; known: %s\n" % (", ".join(unknown), ", ".join(MODELS)))
        return 1
    os.makedirs(out_dir, exist_ok=True)
    for name in names:
        print("%s %s" % (name, " ".join(make(out_dir, name))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
