//===- ShapePinning.cpp - shapes libonnx leaves unknown --------------------===//
#include "compiler/import/folding/Folding.h"

#include <algorithm>

namespace mcc::import::fold {
namespace {

/// Gives value `name` of `graph` the static `dims` (and `elemType`) in every record of it (graph
/// output, value_info), adding one when there is none. Returns whether anything changed.
bool recordShape(GraphProto &graph, const std::string &name, int32_t elemType, const std::vector<int64_t> &dims) {
  std::vector<::onnx::ValueInfoProto *> records;
  for (auto &o : *graph.mutable_output())
    if (o.name() == name)
      records.push_back(&o);
  for (auto &v : *graph.mutable_value_info())
    if (v.name() == name)
      records.push_back(&v);
  if (records.empty()) {
    records.push_back(graph.add_value_info());
    records.back()->set_name(name);
  }
  bool changed = false;
  for (::onnx::ValueInfoProto *vi : records) {
    auto *tt = vi->mutable_type()->mutable_tensor_type();
    if (!tt->has_elem_type() || tt->elem_type() == 0) {
      tt->set_elem_type(elemType);
      changed = true;
    }
    auto *shape = tt->mutable_shape();
    if (shape->dim_size() != (int)dims.size()) {
      shape->clear_dim();
      for (int64_t d : dims)
        shape->add_dim()->set_dim_value(d);
      changed = true;
      continue;
    }
    for (size_t i = 0; i < dims.size(); ++i)
      if (!shape->dim(i).has_dim_value()) {
        shape->mutable_dim(i)->set_dim_value(dims[i]);
        changed = true;
      }
  }
  return changed;
}

} // namespace

/// libonnx leaves two things about a Loop's results unknown that mcc can prove:
/// - a loop-carried value whose body output has the static shape of its initial value keeps that
///   shape on every iteration (by induction: the body was inferred with that input shape), and so
///   has it after the loop;
/// - with a constant trip count M and a condition that provably stays true (the form the Range
///   expansion and most exporters build), every scan output has exactly M rows.
/// Records both so the importer gets static shapes.
bool Folder::pinLoopShapes(const NodeProto &node, GraphProto &graph, Scope &scope) {
  const AttributeProto *bodyAttr = NodeAttrs(node).get("body");
  if (!bodyAttr || node.input_size() < 2)
    return false;
  const GraphProto &body = bodyAttr->g();
  int numCarried = node.input_size() - 2;
  if (body.input_size() != 2 + numCarried || body.output_size() < 1 + numCarried)
    return false;
  bool changed = false, carriedStable = true;
  for (int k = 0; k < numCarried; ++k) {
    std::optional<std::vector<int64_t>> initial = scope.staticShape(node.input(2 + k));
    if (!initial)
      if (const TensorValue *c = scope.value(node.input(2 + k)))
        initial = c->shape;
    std::optional<std::vector<int64_t>> next = staticShapeOf(body.output(1 + k).type());
    if (!initial || !next || *initial != *next) {
      carriedStable = false;
      continue;
    }
    if (k < node.output_size() && !node.output(k).empty())
      changed |= recordShape(graph, node.output(k), body.output(1 + k).type().tensor_type().elem_type(), *next);
  }

  // The rows' shape was inferred for the first iteration: it holds for all only when the carried
  // values keep their shapes.
  if (node.input(0).empty() || !carriedStable)
    return changed;
  const TensorValue *m = scope.value(node.input(0));
  if (!m || m->isReal() || m->size() != 1 || m->ints[0] < 0)
    return changed;
  if (!node.input(1).empty()) {
    const TensorValue *cond = scope.value(node.input(1));
    if (!cond || cond->isReal() || cond->size() != 1 || cond->ints[0] == 0)
      return changed;
  }
  // The body's condition output must be its condition input, directly or through Identity, or the
  // constant true.
  std::string condOut = body.output(0).name();
  for (bool progress = true; progress;) {
    progress = false;
    for (const auto &n : body.node())
      if (n.op_type() == "Identity" && n.output_size() == 1 && n.output(0) == condOut && n.input_size() == 1) {
        condOut = n.input(0);
        progress = true;
      }
  }
  bool staysTrue = condOut == body.input(1).name();
  if (!staysTrue)
    for (const auto &n : body.node())
      if (n.op_type() == "Constant" && n.output_size() == 1 && n.output(0) == condOut) {
        std::optional<TensorValue> c = constantNodeValue(n);
        staysTrue = c && !c->isReal() && c->size() == 1 && c->ints[0] != 0;
      }
  if (!staysTrue)
    return changed;
  for (int k = numCarried; k < node.output_size() && 1 + k < body.output_size(); ++k) {
    std::optional<std::vector<int64_t>> row = staticShapeOf(body.output(1 + k).type());
    if (node.output(k).empty() || !row)
      continue;
    std::vector<int64_t> dims{m->ints[0]};
    dims.insert(dims.end(), row->begin(), row->end());
    changed |= recordShape(graph, node.output(k), body.output(1 + k).type().tensor_type().elem_type(), dims);
  }
  return changed;
}

/// libonnx 1.12 leaves the output shape of some Slices unknown (Slice-1 with negative starts, for one,
/// as torch exports `x[:, -1]` at opset 9) although the data's shape is static and the bounds are
/// constants. Computes it by the ONNX clamping rules and records it.
bool Folder::pinSliceShape(const NodeProto &node, GraphProto &graph, Scope &scope) {
  if (node.input_size() < 1 || node.output_size() != 1 || node.output(0).empty())
    return false;
  std::optional<std::vector<int64_t>> data = scope.staticShape(node.input(0));
  if (!data || scope.staticShape(node.output(0)))
    return false;
  NodeAttrs attrs(node);
  std::optional<std::vector<int64_t>> starts, ends, axes, steps;
  auto input = [&](int i) -> std::optional<std::vector<int64_t>> {
    if (node.input_size() <= i || node.input(i).empty())
      return std::nullopt;
    const TensorValue *c = scope.value(node.input(i));
    return c ? intList(c) : std::nullopt;
  };
  if (attrs.get("starts")) { // Slice-1: bounds are attributes
    starts = attrs.ints("starts");
    ends = attrs.ints("ends");
    axes = attrs.ints("axes");
  } else {
    starts = input(1);
    ends = input(2);
    if (!starts || !ends)
      return false;
    if (node.input_size() > 3 && !node.input(3).empty() && !(axes = input(3)))
      return false;
    if (node.input_size() > 4 && !node.input(4).empty() && !(steps = input(4)))
      return false;
  }
  if (!starts || !ends || starts->size() != ends->size())
    return false;
  int64_t rank = data->size();
  if (!axes) {
    axes.emplace();
    for (size_t i = 0; i < starts->size(); ++i)
      axes->push_back(i);
  }
  if (!steps)
    steps = std::vector<int64_t>(starts->size(), 1);
  if (axes->size() != starts->size() || steps->size() != starts->size())
    return false;
  std::vector<int64_t> out = *data;
  std::vector<bool> seen(rank, false);
  for (size_t i = 0; i < starts->size(); ++i) {
    std::optional<int64_t> axis = normAxis((*axes)[i], rank);
    int64_t step = (*steps)[i];
    if (!axis || seen[*axis] || step == 0)
      return false;
    seen[*axis] = true;
    out[*axis] = sliceAxis((*data)[*axis], (*starts)[i], (*ends)[i], step).second;
  }
  auto it = elemTypes.find(node.input(0));
  return recordShape(graph, node.output(0), it == elemTypes.end() ? 0 : it->second, out);
}

} // namespace mcc::import::fold
