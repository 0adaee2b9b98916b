#!/usr/bin/env python3
"""Writes one small ONNX model with a legacy form of an elementwise op, for elementwise_legacy.test.

    elementwise_models.py NAME OUTPUT.onnx
"""
import sys

from onnx import TensorProto, helper

from make_model import model, vi

F, I32 = TensorProto.FLOAT, TensorProto.INT32


def cast_v1_string(out):
    return model([helper.make_node("Cast", ["X"], ["Y"], to="INT32")], [vi("X", [2, 3])],
                 [vi("Y", [2, 3], I32)], opset=1)


def cast_v1_unknown(out):
    return model([helper.make_node("Cast", ["X"], ["Y"], to="FLOAT7")], [vi("X", [2, 3])],
                 [vi("Y", [2, 3], I32)], opset=1)


def equal_v1_broadcast_axis(out):
    node = helper.make_node("Equal", ["A", "B"], ["C"], broadcast=1, axis=0)
    return model([node], [vi("A", [2, 3], I32), vi("B", [2], I32)], [vi("C", [2, 3], TensorProto.BOOL)], opset=1)


def pow_v1_broadcast(out):
    node = helper.make_node("Pow", ["X", "Y"], ["Z"], broadcast=1)
    return model([node], [vi("X", [2, 3]), vi("Y", [3])], [vi("Z", [2, 3])], opset=1)


def prelu_v6_channels(out):
    node = helper.make_node("PRelu", ["X", "S"], ["Y"])
    return model([node], [vi("X", [2, 3, 4]), vi("S", [3])], [vi("Y", [2, 3, 4])], opset=6)


def max_v6(out):
    node = helper.make_node("Max", ["A", "B", "C"], ["Y"])
    return model([node], [vi("A", [3]), vi("B", [3]), vi("C", [3])], [vi("Y", [3])], opset=6)


MODELS = {f.__name__: f for f in (cast_v1_string, cast_v1_unknown, equal_v1_broadcast_axis, pow_v1_broadcast,
                                  prelu_v6_channels, max_v6)}


def main(argv):
    if len(argv) != 3 or argv[1] not in MODELS:
        sys.stderr.write("usage: elementwise_models.py NAME OUTPUT.onnx\nmodels: %s\n" % " ".join(sorted(MODELS)))
        return 2
    with open(argv[2], "wb") as f:
        f.write(MODELS[argv[1]](argv[2]).SerializeToString())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
