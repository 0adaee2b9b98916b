"""The malformed-model corpus: models a compiler in a build system meets from buggy exporters,
truncated downloads or crafted files. Each case is written to WORK/<case>/model.onnx (with whatever
files it references), together with the text its one diagnostic must contain.

usage: malformed_models.py WORK        writes the corpus and WORK/expected.txt (case<TAB>substring)
"""
import os
import random
import shutil
import sys

import onnx
from onnx import TensorProto, helper, numpy_helper
import numpy as np

F32, I64 = TensorProto.FLOAT, TensorProto.INT64


def info(name, dtype, shape):
    return helper.make_tensor_value_info(name, dtype, shape)


def model(nodes, inputs, outputs, initializers=(), opset=13, domain_opsets=()):
    graph = helper.make_graph(nodes, "g", inputs, outputs, initializer=list(initializers))
    opsets = [helper.make_opsetid("", opset)] + [helper.make_opsetid(d, v) for d, v in domain_opsets]
    return helper.make_model(graph, opset_imports=opsets)


def conv_relu():
    w = numpy_helper.from_array(np.ones((2, 1, 3, 3), np.float32), "w")
    return model([helper.make_node("Conv", ["x", "w"], ["c"], name="conv"),
                  helper.make_node("Relu", ["c"], ["y"], name="relu")],
                 [info("x", F32, [1, 1, 8, 8])], [info("y", F32, [1, 2, 6, 6])], [w])


CASES = {}


def case(expect):
    def register(fn):
        CASES[fn.__name__] = (fn, expect)
        return fn
    return register


def write(d, m):
    with open(os.path.join(d, "model.onnx"), "wb") as f:
        f.write(m if isinstance(m, bytes) else m.SerializeToString())


@case("not a valid ONNX model")
def truncated_half(d):
    b = conv_relu().SerializeToString()
    write(d, b[: len(b) // 2])


@case("not a valid ONNX model")
def truncated_tail(d):
    b = conv_relu().SerializeToString()
    write(d, b[:-7])


@case("not a valid ONNX model")
def random_bytes(d):
    write(d, bytes(random.Random(13).getrandbits(8) for _ in range(4096)))


@case("not a valid ONNX model")
def empty_file(d):
    write(d, b"")


@case("node 'a' (Relu): input 'b_out'")
def cyclic_graph(d):
    write(d, model([helper.make_node("Relu", ["b_out"], ["a_out"], name="a"),
                    helper.make_node("Relu", ["a_out"], ["b_out"], name="b")],
                   [info("x", F32, [2])], [info("b_out", F32, [2])]))


@case("node 'second' (Neg): output 'y' is already defined by node 'first'")
def duplicate_output_name(d):
    write(d, model([helper.make_node("Relu", ["x"], ["y"], name="first"),
                    helper.make_node("Neg", ["x"], ["y"], name="second")],
                   [info("x", F32, [2])], [info("y", F32, [2])]))


@case("node 'uses_ghost' (Add)")
def missing_value(d):
    write(d, model([helper.make_node("Add", ["x", "ghost"], ["y"], name="uses_ghost")],
                   [info("x", F32, [2])], [info("y", F32, [2])]))


@case("graph input 'x' of shape [1099511627776, 1099511627776] is too large to address")
def dims_overflow(d):
    write(d, model([helper.make_node("Relu", ["x"], ["y"], name="r")],
                   [info("x", F32, [2**40, 2**40])], [info("y", F32, [2**40, 2**40])]))


@case("negative dimension")
def negative_dim(d):
    write(d, model([helper.make_node("Relu", ["x"], ["y"], name="r")],
                   [info("x", F32, [-3, 4])], [info("y", F32, [-3, 4])]))


@case("node 'pool' (MaxPool): shape inference failed")
def zero_kernel(d):
    write(d, model([helper.make_node("MaxPool", ["x"], ["y"], name="pool", kernel_shape=[0, 0])],
                   [info("x", F32, [1, 1, 4, 4])], [info("y", F32, [1, 1, 4, 4])]))


@case("node 'reshape' (Reshape): shape [-2, 8] is invalid")
def reshape_bad_dim(d):
    shape = numpy_helper.from_array(np.array([-2, 8], np.int64), "shape")
    write(d, model([helper.make_node("Reshape", ["x", "shape"], ["y"], name="reshape")],
                   [info("x", F32, [2, 8])], [info("y", F32, [2, 8])], [shape]))


@case("tensor 'w' has 8 bytes of raw data, expected 72")
def initializer_short_raw(d):
    m = conv_relu()
    m.graph.initializer[0].raw_data = b"\0" * 8
    write(d, m)


@case("tensor 'w' has 3 values, expected 18")
def initializer_wrong_count(d):
    m = conv_relu()
    w = m.graph.initializer[0]
    w.ClearField("raw_data")
    w.float_data[:] = [1.0, 2.0, 3.0]
    write(d, m)


@case("tensor 'w' has unsupported data type 999")
def initializer_bad_dtype(d):
    m = conv_relu()
    m.graph.initializer[0].data_type = 999
    write(d, m)


@case("tensor 'w' of shape [4294967296, 4294967296] is negative or too large to address")
def initializer_dims_overflow(d):
    m = conv_relu()
    w = m.graph.initializer[0]
    w.ClearField("raw_data")
    del w.dims[:]
    w.dims.extend([2**32, 2**32])
    write(d, m)


@case("domain 'com.example'")
def unknown_domain(d):
    n = helper.make_node("Frobnicate", ["x"], ["y"], name="frob", domain="com.example")
    write(d, model([n], [info("x", F32, [2])], [info("y", F32, [2])], domain_opsets=[("com.example", 1)]))


@case("opset")
def unknown_opset(d):
    write(d, model([helper.make_node("Relu", ["x"], ["y"], name="r")], [info("x", F32, [2])],
                   [info("y", F32, [2])], opset=99))


@case("unknown op 'FooBar'")
def unknown_op(d):
    write(d, model([helper.make_node("FooBar", ["x"], ["y"], name="foo")], [info("x", F32, [2])],
                   [info("y", F32, [2])]))


def external(d, location, length=None):
    m = conv_relu()
    w = m.graph.initializer[0]
    w.ClearField("raw_data")
    w.data_location = TensorProto.EXTERNAL
    entry = w.external_data.add()
    entry.key, entry.value = "location", location
    if length is not None:
        entry = w.external_data.add()
        entry.key, entry.value = "length", str(length)
    write(d, m)


@case("external data location '../secret.bin' leaves the model's folder")
def external_parent_dir(d):
    with open(os.path.join(os.path.dirname(d), "secret.bin"), "wb") as f:
        f.write(b"\0" * 72)
    external(d, "../secret.bin")


@case("external data location '/etc/passwd' is absolute")
def external_absolute(d):
    external(d, "/etc/passwd")


@case("external data location 'w.bin' leaves the model's folder")
def external_symlink(d):
    target = os.path.abspath(os.path.join(os.path.dirname(d), "outside.bin"))
    with open(target, "wb") as f:
        f.write(b"\0" * 72)
    os.symlink(target, os.path.join(d, "w.bin"))
    external(d, "w.bin")


@case("tensor 'w' has 40 bytes of raw data, expected 72")
def external_short(d):
    with open(os.path.join(d, "w.bin"), "wb") as f:
        f.write(b"\0" * 40)
    external(d, "w.bin")


@case("external data range is past the end of 'w.bin'")
def external_length_past_end(d):
    with open(os.path.join(d, "w.bin"), "wb") as f:
        f.write(b"\0" * 72)
    external(d, "w.bin", length=1 << 40)


@case("'ghost'")
def subgraph_undefined_capture(d):
    then_g = helper.make_graph([helper.make_node("Add", ["x", "ghost"], ["t"], name="then_add")], "then", [],
                               [info("t", F32, [2])])
    else_g = helper.make_graph([helper.make_node("Neg", ["x"], ["e"], name="else_neg")], "else", [],
                               [info("e", F32, [2])])
    write(d, model([helper.make_node("If", ["c"], ["y"], name="branch", then_branch=then_g, else_branch=else_g)],
                   [info("c", TensorProto.BOOL, []), info("x", F32, [2])], [info("y", F32, [2])]))


@case("node 'last' (Add)")
def chain_100k(d):
    # 100,000 nodes, the last one reading a name nothing defines: every stage walks the whole chain
    # before the error, and none may recurse once per node.
    n = 100000
    nodes = [helper.make_node("Relu", ["x" if i == 0 else "t%d" % (i - 1)], ["t%d" % i], name="r%d" % i)
             for i in range(n)]
    nodes.append(helper.make_node("Add", ["t%d" % (n - 1), "ghost"], ["y"], name="last"))
    write(d, model(nodes, [info("x", F32, [4])], [info("y", F32, [4])]))


@case("node 'conv' (Conv): attribute 'strides' is FLOAT, Conv takes INTS")
def attribute_wrong_type(d):
    m = conv_relu()
    m.graph.node[0].attribute.append(helper.make_attribute("strides", 1.5))
    write(d, m)


@case("node 'gather' (Gather): attribute 'axis' is STRING, Gather takes INT")
def attribute_string_for_int(d):
    idx = numpy_helper.from_array(np.array([0], np.int64), "i")
    n = helper.make_node("Gather", ["x", "i"], ["y"], name="gather")
    n.attribute.append(helper.make_attribute("axis", "zero"))
    write(d, model([n], [info("x", F32, [2, 2])], [info("y", F32, [1, 2])], [idx]))


@case("node 'gather' (Gather): index 7 is out of range")
def constant_index_out_of_range(d):
    idx = numpy_helper.from_array(np.array([7], np.int64), "i")
    write(d, model([helper.make_node("Gather", ["x", "i"], ["y"], name="gather", axis=0)],
                   [info("x", F32, [4, 2])], [info("y", F32, [1, 2])], [idx]))


def main():
    work = sys.argv[1]
    os.makedirs(work, exist_ok=True)
    with open(os.path.join(work, "expected.txt"), "w") as out:
        for name, (fn, expect) in CASES.items():
            shutil.rmtree(os.path.join(work, name), ignore_errors=True)  # reruns start clean
            d = os.path.join(work, name, "model")
            os.makedirs(d)
            fn(d)
            out.write("%s\t%s\n" % (name, expect))


if __name__ == "__main__":
    main()
