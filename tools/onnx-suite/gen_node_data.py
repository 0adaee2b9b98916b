"""Writes the node cases of the ONNX backend suite from the pinned `onnx` wheel as test data.

The wheel ships the data of the simple, pytorch-converted and pytorch-operator folders but not of
node: it ships the Python that defines those cases instead (onnx.backend.test.case.node, each case a
model plus inputs and the expected outputs computed by numpy). This writes them in the layout the
conformance runner reads: <out>/<case>/model.onnx, <out>/<case>/test_data_set_0/{input,output}_<i>.pb.
Run with the suite's own interpreter (build/onnx-suite/venv), never Debian's onnx 1.12.

    gen_node_data.py OUT_DIR
"""

import os
import shutil
import sys

import numpy as np


def _proto(value, type_proto, name):
    """The serialized TensorProto/SequenceProto/OptionalProto/MapProto for one input or output."""
    from onnx import TensorProto, numpy_helper

    if isinstance(value, TensorProto):
        return value.SerializeToString()
    if type_proto.HasField("sequence_type"):
        return numpy_helper.from_list(value, name).SerializeToString()
    if type_proto.HasField("optional_type"):
        return numpy_helper.from_optional(value, name).SerializeToString()
    if type_proto.HasField("map_type"):
        return numpy_helper.from_dict(value, name).SerializeToString()
    return numpy_helper.from_array(value, name).SerializeToString()


def main(argv):
    if len(argv) != 2:
        sys.exit(__doc__)
    out = argv[1]
    # The case definitions draw their inputs from numpy's global generator: a fixed seed makes the
    # written data the same on every install.
    np.random.seed(0)
    from onnx.backend.test.case import node

    if os.path.isdir(out):
        shutil.rmtree(out)
    cases = node.collect_testcases()
    for case in cases:
        d = os.path.join(out, case.name)
        os.makedirs(d)
        with open(os.path.join(d, "model.onnx"), "wb") as f:
            f.write(case.model.SerializeToString())
        graph = case.model.graph
        for i, (inputs, outputs) in enumerate(case.data_sets):
            ds = os.path.join(d, "test_data_set_%d" % i)
            os.makedirs(ds)
            for kind, values, infos in (("input", inputs, graph.input), ("output", outputs, graph.output)):
                for j, v in enumerate(values):
                    with open(os.path.join(ds, "%s_%d.pb" % (kind, j)), "wb") as f:
                        f.write(_proto(v, infos[j].type, infos[j].name))
    print("wrote %d node cases to %s" % (len(cases), out))


if __name__ == "__main__":
    main(sys.argv)
