#!/usr/bin/python3
"""Train a small CNN on sklearn's 8x8 digits and export it for mcc.

Run from anywhere:  /usr/bin/python3 train.py
Writes, next to this file:
  digits.onnx        the model (opset 13, input "input" [1,1,8,8] f32, output "logits" [1,10] f32)
  test_images.f32    held-out test images, raw little-endian float32, N*64 (values x/16 in [0,1])
  test_labels.u8     their labels, N bytes
  torch_logits.f32   PyTorch's eval-mode logits for each test image (batch 1), raw float32, N*10
The run is deterministic (fixed seeds, one thread, deterministic algorithms) and takes a few seconds.
"""
import os
import random
import warnings

import numpy as np
import onnx
import torch
import torch.nn as nn
from sklearn.datasets import load_digits

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 0
EPOCHS = 15
BATCH = 32

random.seed(SEED)
np.random.seed(SEED)
torch.manual_seed(SEED)
torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)


class DigitsNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(  # -> 16x4x4
            nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2))
        self.res = nn.Sequential(  # residual branch, 16x4x4
            nn.Conv2d(16, 16, 3, padding=1), nn.BatchNorm2d(16))
        self.relu = nn.ReLU()
        self.head = nn.Sequential(  # -> 32x2x2
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2))
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(32 * 2 * 2, 10)

    def forward(self, x):
        x = self.stem(x)
        x = self.relu(x + self.res(x))  # ONNX Add
        return self.fc(self.flatten(self.head(x)))


def run_onnx_numpy(model, image):
    """A tiny float64 NumPy interpreter for exactly the ops this model uses (onnx 1.12 has no reference
    evaluator): an independent check of the exported file against PyTorch."""
    from onnx import numpy_helper
    env = {t.name: numpy_helper.to_array(t).astype(np.float64) for t in model.graph.initializer}
    env["input"] = image.astype(np.float64)
    for node in model.graph.node:
        a = {at.name: onnx.helper.get_attribute_value(at) for at in node.attribute}
        x = [env[name] for name in node.input]
        op = node.op_type
        if op == "Conv":
            assert a["strides"] == [1, 1] and a["dilations"] == [1, 1] and a["group"] == 1
            p = a["pads"]
            xp = np.pad(x[0], ((0, 0), (0, 0), (p[0], p[2]), (p[1], p[3])))
            w = x[1]
            kh, kw = w.shape[2:]
            oh, ow = xp.shape[2] - kh + 1, xp.shape[3] - kw + 1
            y = np.zeros((1, w.shape[0], oh, ow))
            for i in range(kh):
                for j in range(kw):
                    y += np.einsum("nchw,oc->nohw", xp[:, :, i:i + oh, j:j + ow], w[:, :, i, j])
            y += x[2].reshape(1, -1, 1, 1)
        elif op == "BatchNormalization":
            scale, bias, mean, var = (t.reshape(1, -1, 1, 1) for t in x[1:5])
            y = (x[0] - mean) / np.sqrt(var + a["epsilon"]) * scale + bias
        elif op == "Relu":
            y = np.maximum(x[0], 0)
        elif op == "MaxPool":
            assert a["kernel_shape"] == [2, 2] and a["strides"] == [2, 2] and not any(a.get("pads", []))
            n, c, h, w = x[0].shape
            y = x[0][:, :, :h // 2 * 2, :w // 2 * 2].reshape(n, c, h // 2, 2, w // 2, 2).max(axis=(3, 5))
        elif op == "Add":
            y = x[0] + x[1]
        elif op == "Flatten":
            y = x[0].reshape(x[0].shape[0], -1)
        elif op == "Gemm":
            assert a.get("transB") == 1 and a.get("alpha", 1.0) == 1.0 and a.get("beta", 1.0) == 1.0
            y = x[0] @ x[1].T + x[2]
        else:
            raise NotImplementedError(op)
        env[node.output[0]] = y
    return env[model.graph.output[0].name]


def main():
    digits = load_digits()
    x = (digits.data.astype(np.float32) / 16.0).reshape(-1, 1, 8, 8)
    y = digits.target.astype(np.int64)
    perm = np.random.RandomState(SEED).permutation(len(x))
    n_test = len(x) // 5  # 20% held out: 359 of 1797
    test_idx, train_idx = perm[:n_test], perm[n_test:]
    x_train, y_train = torch.from_numpy(x[train_idx]), torch.from_numpy(y[train_idx])
    x_test, y_test = x[test_idx], y[test_idx]

    model = DigitsNet()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    loss_fn = nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(SEED)
    for epoch in range(EPOCHS):
        model.train()
        order = torch.randperm(len(x_train), generator=gen)
        total = 0.0
        for i in range(0, len(order), BATCH):
            idx = order[i:i + BATCH]
            opt.zero_grad()
            loss = loss_fn(model(x_train[idx]), y_train[idx])
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        print(f"epoch {epoch + 1:2d}: train loss {total / len(x_train):.4f}")

    # Reference logits: eval mode, one sample at a time with batch 1 (exactly how mcc's code is called).
    model.eval()
    with torch.no_grad():
        logits = np.stack([model(torch.from_numpy(x_test[i:i + 1]))[0].numpy() for i in range(n_test)])
    logits = logits.astype(np.float32)
    correct = int((logits.argmax(axis=1) == y_test).sum())
    print(f"pytorch test accuracy: {correct}/{n_test} = {100.0 * correct / n_test:.2f}%")

    onnx_path = os.path.join(HERE, "digits.onnx")
    # training=PRESERVE with the model in eval mode exports inference-mode BatchNormalization nodes
    # (running statistics) instead of letting the exporter fold them into the Conv weights: folding
    # BatchNorm is mcc's job, and this example exercises it.
    with warnings.catch_warnings():  # its constant-folding warning is for models in training mode
        warnings.simplefilter("ignore", UserWarning)
        torch.onnx.export(model, torch.zeros(1, 1, 8, 8), onnx_path, opset_version=13,
                          input_names=["input"], output_names=["logits"], do_constant_folding=True,
                          training=torch.onnx.TrainingMode.PRESERVE)
    m = onnx.load(onnx_path)
    onnx.checker.check_model(m)
    print("onnx ops:", [n.op_type for n in m.graph.node],
          "opset:", [(o.domain or "ai.onnx", o.version) for o in m.opset_import])
    ref = np.concatenate([run_onnx_numpy(m, x_test[i:i + 1]) for i in range(n_test)])
    max_diff = float(np.abs(ref - logits).max())
    same_argmax = int((ref.argmax(axis=1) == logits.argmax(axis=1)).sum())
    print(f"onnx (numpy float64) vs pytorch: max |diff| {max_diff:.3g}, same argmax {same_argmax}/{n_test}")
    assert max_diff < 1e-4 and same_argmax == n_test, "exported ONNX does not match PyTorch"

    x_test.astype("<f4").tofile(os.path.join(HERE, "test_images.f32"))
    y_test.astype(np.uint8).tofile(os.path.join(HERE, "test_labels.u8"))
    logits.astype("<f4").tofile(os.path.join(HERE, "torch_logits.f32"))
    print(f"wrote digits.onnx, test_images.f32, test_labels.u8, torch_logits.f32 (N={n_test})")


if __name__ == "__main__":
    main()
