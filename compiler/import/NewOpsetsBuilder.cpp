//===- NewOpsetsBuilder.cpp - building expansions of newer ONNX nodes -----===//
#include "compiler/import/NewOpsetsBuilder.h"

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
static AttributeProto *newAttr(NodeProto &n, const std::string &name, AttributeProto::AttributeType type) {
  removeAttr(n, name);
  AttributeProto *a = n.add_attribute();
  a->set_name(name);
  a->set_type(type);
  return a;
}
void setInt(NodeProto &n, const std::string &name, int64_t v) { newAttr(n, name, AttributeProto::INT)->set_i(v); }
void setInts(NodeProto &n, const std::string &name, const std::vector<int64_t> &v) {
  AttributeProto *a = newAttr(n, name, AttributeProto::INTS);
  for (int64_t x : v)
    a->add_ints(x);
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
  TensorProto *t = newAttr(n, "value", AttributeProto::TENSOR)->mutable_t();
  t->set_data_type(TensorProto::INT64);
  t->add_dims((int64_t)values.size());
  for (int64_t v : values)
    t->add_int64_data(v);
  return name;
}

std::string NodeExpander::floatConstant(const NodeProto &from, float v) {
  std::string name = fresh(from.output(0));
  NodeProto &n = emit(from, "Constant", {}, {name});
  TensorProto *t = newAttr(n, "value", AttributeProto::TENSOR)->mutable_t();
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
