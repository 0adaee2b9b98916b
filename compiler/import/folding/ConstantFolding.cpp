//===- ConstantFolding.cpp - fold shape computations on the ModelProto ----===//
//
// Exporters (and the ONNX function expansions) compute shapes at run time: Shape -> Gather -> Concat ->
// Reshape, Size -> Sub -> ConstantOfShape, and so on. libonnx's data propagation follows only some of
// these chains, and the importer needs every value's shape to be static. This evaluates, on the
// protobuf before the import, every node whose inputs are all known at compile time (initializers,
// Constant nodes, and Shape/Size of a value whose inferred shape is static), replaces it by a Constant
// node, and re-runs shape inference until nothing changes. The evaluator follows the exact ONNX
// semantics of each op; where an op's input is outside its domain (division by zero, an index out of
// range, a cast that overflows) the node is left alone, so the import reports the problem as before.
//
//===----------------------------------------------------------------------===//
#include "compiler/import/ImportInternal.h"
#include "compiler/import/folding/Folding.h"

#include "onnx/defs/schema.h"
#include "onnx/shape_inference/implementation.h"

#include <algorithm>

namespace mcc::import {
namespace fold {

std::optional<TensorValue> Folder::constantNodeValue(const NodeProto &node) {
  if (node.attribute_size() != 1)
    return std::nullopt;
  const AttributeProto &a = node.attribute(0);
  TensorValue c;
  if (a.name() == "value")
    return decodeTensor(a.t(), kMaxElements);
  if (a.name() == "value_float" || a.name() == "value_int") {
    c.dtype = a.name() == "value_float" ? TensorProto::FLOAT : TensorProto::INT64;
    if (c.isReal())
      c.reals.push_back(a.f());
    else
      c.ints.push_back(a.i());
    return c;
  }
  if (a.name() == "value_floats" && a.floats_size() <= kMaxElements) {
    c.dtype = TensorProto::FLOAT;
    c.reals.assign(a.floats().begin(), a.floats().end());
    c.shape = {(int64_t)c.reals.size()};
    return c;
  }
  if (a.name() == "value_ints" && a.ints_size() <= kMaxElements) {
    c.dtype = TensorProto::INT64;
    c.ints.assign(a.ints().begin(), a.ints().end());
    c.shape = {(int64_t)c.ints.size()};
    return c;
  }
  return std::nullopt;
}

std::optional<TensorValue> Folder::evaluate(const NodeProto &node, Scope &scope) {
  const std::string &op = node.op_type();
  NodeAttrs attrs(node);

  // Shape and Size need only the input's static shape.
  if (op == "Shape" || op == "Size") {
    if (node.input_size() != 1)
      return std::nullopt;
    std::optional<std::vector<int64_t>> shape = scope.staticShape(node.input(0));
    if (!shape)
      if (const TensorValue *c = scope.value(node.input(0)))
        shape = c->shape;
    if (!shape)
      return std::nullopt;
    TensorValue out;
    out.dtype = TensorProto::INT64;
    if (op == "Size") {
      std::optional<int64_t> n = numElements(*shape);
      if (!n)
        return std::nullopt;
      out.ints = {*n};
      return out;
    }
    int64_t r = (int64_t)shape->size();
    auto clampIndex = [&](int64_t v) { return std::clamp(v < 0 ? v + r : v, (int64_t)0, r); };
    int64_t start = clampIndex(attrs.i("start", 0)), end = clampIndex(attrs.i("end", r));
    for (int64_t i = start; i < end; ++i)
      out.ints.push_back((*shape)[i]);
    out.shape = {(int64_t)out.ints.size()};
    return out;
  }

  std::vector<const TensorValue *> in;
  for (const std::string &name : node.input()) {
    if (name.empty()) {
      in.push_back(nullptr);
      continue;
    }
    const TensorValue *c = scope.value(name);
    if (!c)
      return std::nullopt;
    in.push_back(c);
  }
  auto input = [&](size_t i) -> const TensorValue * { return i < in.size() ? in[i] : nullptr; };
  const TensorValue *x = input(0);

  if (op == "Identity")
    return x ? std::optional<TensorValue>(*x) : std::nullopt;
  if (op == "Cast") {
    if (!x || !attrs.get("to"))
      return std::nullopt;
    return castTo(*x, (int32_t)attrs.i("to", 0));
  }
  if (op == "ConstantOfShape") {
    std::optional<std::vector<int64_t>> dims = intList(x);
    if (!dims || (x && x->rank() != 1))
      return std::nullopt;
    TensorValue fill;
    fill.dtype = TensorProto::FLOAT;
    fill.reals = {0.0};
    if (const AttributeProto *v = attrs.get("value")) {
      std::optional<TensorValue> c = decodeTensor(v->t(), kMaxElements);
      if (!c || c->size() != 1)
        return std::nullopt;
      fill = *c;
    }
    std::optional<int64_t> n = numElements(*dims);
    if (!n || *n > kMaxElements)
      return std::nullopt;
    TensorValue out = makeConst(fill.dtype, *dims);
    for (int64_t e = 0; e < *n; ++e)
      copyElement(fill, 0, out, e);
    return out;
  }

  for (auto family : {foldElementwise, foldDataMovement, foldReduction})
    if (std::optional<TensorValue> c = family(node, attrs, in))
      return c;
  return std::nullopt;
}

/// Replaces `node` by a Constant node producing the same output with `value`.
void replaceWithConstant(NodeProto &node, const TensorValue &value) {
  makeConstantNode(node, encodeTensor(value, node.output(0)));
}

bool Folder::foldGraph(GraphProto &graph, Scope *parent, bool isMain) {
  Scope scope(parent);
  for (const auto &t : graph.initializer())
    scope.addProto(t.name(), &t);
  // A graph input that is also an initializer stays a constant, as the importer treats it; the
  // inputs of a subgraph are never constants.
  for (const auto &vi : graph.input()) {
    if (!isMain)
      scope.addUnknown(vi.name());
    scope.addType(vi.name(), &vi.type());
  }
  for (const auto &vi : graph.value_info())
    scope.addType(vi.name(), &vi.type());
  for (const auto &vi : graph.output())
    scope.addType(vi.name(), &vi.type());
  for (const auto *list : {&graph.input(), &graph.value_info(), &graph.output()})
    for (const auto &vi : *list)
      if (vi.type().has_tensor_type() && vi.type().tensor_type().elem_type())
        elemTypes[vi.name()] = vi.type().tensor_type().elem_type();

  bool changed = false;
  for (NodeProto &node : *graph.mutable_node()) {
    bool standard = node.domain().empty() || node.domain() == "ai.onnx";
    if (standard && node.op_type() == "Constant" && node.output_size() == 1) {
      if (std::optional<TensorValue> c = constantNodeValue(node))
        scope.addConst(node.output(0), std::move(*c));
      else
        scope.addUnknown(node.output(0));
      continue;
    }
    for (auto &a : *node.mutable_attribute())
      if (a.type() == AttributeProto::GRAPH)
        changed |= foldGraph(*a.mutable_g(), &scope, /*isMain=*/false);
    if (standard && node.op_type() == "Loop")
      changed |= pinLoopShapes(node, graph, scope);

    std::optional<TensorValue> value;
    if (standard && node.output_size() == 1 && !node.output(0).empty())
      value = evaluate(node, scope);
    if (!value || value->size() > kMaxElements) {
      for (const std::string &out : node.output())
        scope.addUnknown(out);
      if (standard && node.op_type() == "Slice")
        changed |= pinSliceShape(node, graph, scope);
      continue;
    }
    replaceWithConstant(node, *value);
    scope.addConst(node.output(0), std::move(*value));
    changed = true;
  }
  return changed;
}

} // namespace fold

bool foldConstants(::onnx::ModelProto &model, std::string &error) {
  fold::Folder folder;
  // Ends on a fold pass, so what it records (the Loop scan lengths) is what the importer reads.
  for (int round = 0;; ++round) {
    if (!folder.foldGraph(*model.mutable_graph(), nullptr, /*isMain=*/true) || round + 1 == fold::kMaxRounds)
      return true;
    try {
      ::onnx::ShapeInferenceOptions options(/*check_type=*/false, /*error_mode=*/0, /*data_prop=*/true);
      ::onnx::shape_inference::InferShapes(model, ::onnx::OpSchemaRegistry::Instance(), options);
    } catch (const std::exception &e) {
      error = std::string("shape inference failed after constant folding: ") + e.what();
      return false;
    }
  }
}

} // namespace mcc::import
