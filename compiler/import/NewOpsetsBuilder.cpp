//===- NewOpsetsBuilder.cpp - building expansions of newer ONNX nodes -----===//
#include "compiler/import/NewOpsetsBuilder.h"
#include "compiler/import/DataTypes.h"

#include <cstring>

namespace mcc::import {

using ::onnx::AttributeProto;
using ::onnx::NodeProto;
using ::onnx::TensorProto;

const AttributeProto *findAttribute(const NodeProto &n, const std::string &name) {
  for (const auto &a : n.attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}
int64_t attrInt(const NodeProto &n, const std::string &name, int64_t dflt) {
  const AttributeProto *a = findAttribute(n, name);
  return a ? a->i() : dflt;
}
float attrFloat(const NodeProto &n, const std::string &name, float dflt) {
  const AttributeProto *a = findAttribute(n, name);
  return a ? a->f() : dflt;
}
std::string attrStr(const NodeProto &n, const std::string &name, const std::string &dflt) {
  const AttributeProto *a = findAttribute(n, name);
  return a ? a->s() : dflt;
}
void removeAttr(NodeProto &n, const std::string &name) {
  auto *attrs = n.mutable_attribute();
  for (int i = 0; i < attrs->size(); ++i)
    if (attrs->Get(i).name() == name) {
      attrs->DeleteSubrange(i, 1);
      return;
    }
}
AttributeProto *setAttr(NodeProto &n, const std::string &name, AttributeProto::AttributeType type) {
  removeAttr(n, name);
  AttributeProto *a = n.add_attribute();
  a->set_name(name);
  a->set_type(type);
  return a;
}
void setInt(NodeProto &n, const std::string &name, int64_t v) { setAttr(n, name, AttributeProto::INT)->set_i(v); }
void setStr(NodeProto &n, const std::string &name, const std::string &v) {
  setAttr(n, name, AttributeProto::STRING)->set_s(v);
}
void setInts(NodeProto &n, const std::string &name, const std::vector<int64_t> &v) {
  AttributeProto *a = setAttr(n, name, AttributeProto::INTS);
  for (int64_t x : v)
    a->add_ints(x);
}

bool hasInput(const NodeProto &n, int i) { return n.input_size() > i && !n.input(i).empty(); }

/// The values of an integer tensor (INT64 or INT32; typed fields or raw little-endian data).
bool tensorInts(const TensorProto &t, std::vector<int64_t> &out) {
  out.clear();
  if (t.data_type() == TensorProto::INT64) {
    if (t.has_raw_data()) {
      out.resize(t.raw_data().size() / 8);
      if (!out.empty()) // memcpy from an empty buffer is undefined (UBSan)
        std::memcpy(out.data(), t.raw_data().data(), out.size() * 8);
    } else {
      out.assign(t.int64_data().begin(), t.int64_data().end());
    }
    return true;
  }
  if (t.data_type() == TensorProto::INT32) {
    if (t.has_raw_data()) {
      std::vector<int32_t> v(t.raw_data().size() / 4);
      if (!v.empty())
        std::memcpy(v.data(), t.raw_data().data(), v.size() * 4);
      out.assign(v.begin(), v.end());
    } else {
      out.assign(t.int32_data().begin(), t.int32_data().end());
    }
    return true;
  }
  return false;
}

/// The values of a FLOAT or DOUBLE tensor.
bool tensorFloats(const TensorProto &t, std::vector<double> &out) {
  out.clear();
  if (t.data_type() == TensorProto::FLOAT) {
    if (t.has_raw_data()) {
      std::vector<float> v(t.raw_data().size() / 4);
      if (!v.empty())
        std::memcpy(v.data(), t.raw_data().data(), v.size() * 4);
      out.assign(v.begin(), v.end());
    } else {
      out.assign(t.float_data().begin(), t.float_data().end());
    }
    return true;
  }
  if (t.data_type() == TensorProto::DOUBLE) {
    if (t.has_raw_data()) {
      out.resize(t.raw_data().size() / 8);
      if (!out.empty()) // memcpy from an empty buffer is undefined (UBSan)
        std::memcpy(out.data(), t.raw_data().data(), out.size() * 8);
    } else {
      out.assign(t.double_data().begin(), t.double_data().end());
    }
    return true;
  }
  return false;
}

const char *newElementTypeName(int64_t dtype) {
  switch (dtype) {
  case 17:
    return "float8e4m3fn";
  case 18:
    return "float8e4m3fnuz";
  case 19:
    return "float8e5m2";
  case 20:
    return "float8e5m2fnuz";
  case 21:
    return "uint4";
  case 22:
    return "int4";
  case 23:
    return "float4e2m1";
  case 24:
    return "float8e8m0";
  case 25:
    return "uint2";
  case 26:
    return "int2";
  case 27:
    return "float6e2m3";
  case 28:
    return "float6e3m2";
  default:
    return nullptr;
  }
}

bool isFloat8(int64_t dtype) { return dtype >= kFloat8E4M3FN && dtype <= kFloat8E5M2FNUZ; }
bool isNarrowType(int64_t dtype) {
  return isFloat8(dtype) || dtype == kUInt4 || dtype == kInt4 || dtype == kFloat4E2M1 || dtype == kUInt2 ||
         dtype == kInt2;
}

NodeProto &NodeExpander::emit(const NodeProto &from, const std::string &op, std::vector<std::string> inputs,
                              std::vector<std::string> outputs) {
  out->emplace_back();
  NodeProto &n = out->back();
  n.set_op_type(op);
  n.set_name(from.name().empty() ? "" : from.name() + "/" + op);
  for (auto &i : inputs)
    n.add_input(i);
  for (auto &o : outputs)
    n.add_output(o);
  return n;
}

std::string NodeExpander::emitValue(const NodeProto &from, const std::string &op, std::vector<std::string> inputs,
                                    NodeProto **node) {
  std::string name = fresh(from.output(0));
  NodeProto &n = emit(from, op, std::move(inputs), {name});
  if (node)
    *node = &n;
  return name;
}

std::string NodeExpander::intsConstant(const NodeProto &from, const std::vector<int64_t> &values) {
  std::string name = fresh(from.output(0));
  NodeProto &n = emit(from, "Constant", {}, {name});
  TensorProto *t = setAttr(n, "value", AttributeProto::TENSOR)->mutable_t();
  t->set_data_type(TensorProto::INT64);
  t->add_dims((int64_t)values.size());
  for (int64_t v : values)
    t->add_int64_data(v);
  return name;
}

std::string NodeExpander::floatConstant(const NodeProto &from, float v) {
  std::string name = fresh(from.output(0));
  NodeProto &n = emit(from, "Constant", {}, {name});
  TensorProto *t = setAttr(n, "value", AttributeProto::TENSOR)->mutable_t();
  t->set_data_type(TensorProto::FLOAT);
  t->add_float_data(v);
  return name;
}

std::string NodeExpander::floatLike(const NodeProto &from, float v, const std::string &like) {
  return emitValue(from, "CastLike", {floatConstant(from, v), like});
}

bool NodeExpander::fail(const NodeProto &n, const std::string &what) {
  error = "node " + (n.name().empty() ? "#" + std::to_string(nodeIndex) : "'" + n.name() + "'") + " (" + n.op_type() +
          "): " + what;
  return false;
}

void NodeExpander::recordShapes(const ::onnx::GraphProto &g) {
  for (const auto &t : g.initializer()) {
    shapes[t.name()].assign(t.dims().begin(), t.dims().end());
    elems[t.name()] = t.data_type();
  }
  auto record = [&](const ::onnx::ValueInfoProto &vi) {
    if (!vi.type().has_tensor_type())
      return;
    elems[vi.name()] = vi.type().tensor_type().elem_type();
    if (!vi.type().tensor_type().has_shape())
      return;
    std::vector<int64_t> dims;
    for (const auto &d : vi.type().tensor_type().shape().dim()) {
      if (!d.has_dim_value())
        return;
      dims.push_back(d.dim_value());
    }
    shapes[vi.name()] = dims;
  };
  for (const auto &vi : g.input())
    record(vi);
  for (const auto &vi : g.value_info())
    record(vi);
}

bool NodeExpander::needDims(const NodeProto &n, const std::string &value, std::vector<int64_t> &dims) {
  auto it = shapes.find(value);
  if (it == shapes.end() && inferMoreShapes())
    it = shapes.find(value);
  if (it == shapes.end())
    return fail(n, "the shape of '" + value + "' must be static and declared (a graph input or value_info) to " +
                       "expand this op; pin graph inputs with --shape");
  dims = it->second;
  return true;
}

} // namespace mcc::import
