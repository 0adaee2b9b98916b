//===- NewOpsets.cpp - opset 18-21 rewriter: the graph walk and node building ===//
//
// See NewOpsetRewriter.h. Here: where values come from (constants, declared and inferred types), building
// nodes into the rewritten list, errors naming the node, the walk over graphs and subgraphs, and the entry
// point that runs the opset 22-28 step and then this one.
//
//===----------------------------------------------------------------------===//
#include "compiler/import/ImportInternal.h"
#include "compiler/import/NewOpsetRewriter.h"

#include "onnx/defs/schema.h"
#include "onnx/shape_inference/implementation.h"

namespace mcc::import {

using ::onnx::AttributeProto;
using ::onnx::GraphProto;
using ::onnx::ModelProto;
using ::onnx::NodeProto;
using ::onnx::TensorProto;

namespace {
constexpr int64_t kNewestOpset = 28;
} // namespace

bool NewOpsetRewriter::run() {
  GraphProto &g = *model.mutable_graph();
  for (const auto &t : g.initializer())
    constants[t.name()] = t;
  for (const auto &vi : g.input())
    recordValueInfo(vi);
  return rewriteGraph(g, /*top=*/true);
}

void NewOpsetRewriter::recordValueInfo(const ::onnx::ValueInfoProto &vi) {
  if (!vi.type().has_tensor_type() || !vi.type().tensor_type().has_shape())
    return;
  ValueType t;
  t.elem = vi.type().tensor_type().elem_type();
  for (const auto &d : vi.type().tensor_type().shape().dim()) {
    if (!d.has_dim_value())
      return;
    t.dims.push_back(d.dim_value());
  }
  types[vi.name()] = t;
}

const TensorProto *NewOpsetRewriter::constant(const std::string &name) {
  auto it = constants.find(name);
  return it == constants.end() ? nullptr : &it->second;
}

/// The type of `name`, running shape inference on the rewritten top-level nodes so far when needed.
std::optional<ValueType> NewOpsetRewriter::typeOf(const std::string &name) {
  if (const TensorProto *t = constant(name)) {
    ValueType v;
    v.elem = t->data_type();
    v.dims.assign(t->dims().begin(), t->dims().end());
    return v;
  }
  auto it = types.find(name);
  if (it == types.end() && topNodes && (int)topNodes->size() != inferredUpTo) {
    inferPrefix();
    it = types.find(name);
  }
  if (it == types.end())
    return std::nullopt;
  return it->second;
}

/// Shape inference over a copy of the model holding the top-level nodes rewritten so far (large
/// initializers become typed inputs: only their shapes matter here).
void NewOpsetRewriter::inferPrefix() {
  inferredUpTo = (int)topNodes->size();
  const GraphProto &src = model.graph();
  ModelProto m;
  m.set_ir_version(model.ir_version());
  *m.mutable_opset_import() = model.opset_import();
  GraphProto &g = *m.mutable_graph();
  *g.mutable_input() = src.input();
  std::map<std::string, bool> isInput;
  for (const auto &vi : src.input())
    isInput[vi.name()] = true;
  for (const auto &t : src.initializer()) {
    int64_t numel = 1;
    for (int64_t d : t.dims())
      numel *= d;
    if (numel <= 4096) {
      *g.add_initializer() = t;
      continue;
    }
    if (isInput.count(t.name()))
      continue;
    auto *vi = g.add_input();
    vi->set_name(t.name());
    auto *tt = vi->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(t.data_type());
    for (int64_t d : t.dims())
      tt->mutable_shape()->add_dim()->set_dim_value(d);
  }
  for (const NodeProto &n : *topNodes)
    *g.add_node() = n;
  try {
    ::onnx::ShapeInferenceOptions options(/*check_type=*/false, /*error_mode=*/0, /*data_prop=*/true);
    ::onnx::shape_inference::InferShapes(m, ::onnx::OpSchemaRegistry::Instance(), options);
  } catch (const std::exception &) {
    return; // the importer's own shape inference reports it
  }
  for (const auto &vi : m.graph().value_info())
    recordValueInfo(vi);
}

std::string NewOpsetRewriter::intsConstant(const NodeProto &from, const std::vector<int64_t> &values) {
  std::string name = fresh(from.output(0));
  TensorProto t;
  t.set_name(name);
  t.set_data_type(TensorProto::INT64);
  t.add_dims((int64_t)values.size());
  for (int64_t v : values)
    t.add_int64_data(v);
  NodeProto &n = emit(from, "Constant", {}, {name});
  AttributeProto *a = setAttr(n, "value", AttributeProto::TENSOR);
  *a->mutable_t() = t;
  constants[name] = t;
  return name;
}

/// A 0-d constant `v` with the element type of `like` (a FLOAT constant cast like it when needed).
std::string NewOpsetRewriter::scalarLike(const NodeProto &from, double v, int32_t elem, const std::string &like) {
  std::string name = fresh(from.output(0));
  TensorProto t;
  t.set_name(name);
  t.set_data_type(TensorProto::FLOAT);
  t.add_float_data((float)v);
  if (elem == TensorProto::DOUBLE) {
    t.set_data_type(TensorProto::DOUBLE);
    t.clear_float_data();
    t.add_double_data(v);
  }
  NodeProto &n = emit(from, "Constant", {}, {name});
  *setAttr(n, "value", AttributeProto::TENSOR)->mutable_t() = t;
  constants[name] = t;
  if (elem == TensorProto::FLOAT || elem == TensorProto::DOUBLE)
    return name;
  return emitValue(from, "CastLike", {name, like});
}

bool NewOpsetRewriter::needConstInts(const NodeProto &n, int input, const std::string &what, std::vector<int64_t> &v) {
  const TensorProto *t = constant(n.input(input));
  if (!t || !tensorInts(*t, v))
    return fail(n, what + " (input '" + n.input(input) +
                       "') must be a constant integer tensor (an initializer or a Constant)");
  return true;
}

bool NewOpsetRewriter::needType(const NodeProto &n, const std::string &value, ValueType &t) {
  auto v = typeOf(value);
  if (!v)
    return fail(n, "the shape of '" + value + "' must be static to rewrite this opset-" + std::to_string(opset) +
                       " form (pin graph inputs with --shape)");
  t = *v;
  return true;
}

bool NewOpsetRewriter::normalizeAxes(const NodeProto &n, std::vector<int64_t> &axes, int64_t rank) {
  for (int64_t &a : axes) {
    if (a < -rank || a >= rank)
      return fail(n, "axis " + std::to_string(a) + " is out of range for rank " + std::to_string(rank));
    if (a < 0)
      a += rank;
  }
  return true;
}

bool NewOpsetRewriter::rewriteGraph(GraphProto &g, bool top) {
  std::vector<NodeProto> rewritten;
  std::vector<NodeProto> *savedOut = out;
  int savedIndex = nodeIndex;
  if (top)
    topNodes = &rewritten;
  for (int i = 0; i < g.node_size(); ++i) {
    NodeProto node = g.node(i);
    for (auto &a : *node.mutable_attribute())
      if (a.type() == AttributeProto::GRAPH) {
        for (const auto &vi : a.g().input())
          recordValueInfo(vi);
        for (const auto &t : a.g().initializer())
          constants[t.name()] = t;
        if (!rewriteGraph(*a.mutable_g(), false))
          return false;
      }
    out = &rewritten;
    nodeIndex = i;
    if (!rewriteNode(node))
      return false;
  }
  g.clear_node();
  for (NodeProto &n : rewritten)
    *g.add_node() = std::move(n);
  out = savedOut;
  nodeIndex = savedIndex;
  if (top)
    topNodes = nullptr;
  return true;
}

bool NewOpsetRewriter::rewriteNode(NodeProto &n) {
  if (!n.domain().empty() && n.domain() != "ai.onnx") {
    out->push_back(n);
    return true;
  }
  const std::string &op = n.op_type();
  bool ok = true, keep = true;
  if (op == "Constant") {
    recordConstant(n);
  } else if (isReduce(op)) {
    ok = reduce(n, keep);
  } else if (op == "Split") {
    ok = split(n);
  } else if (op == "Pad") {
    ok = pad(n, keep);
  } else if (op == "Resize") {
    ok = resize(n);
  } else if (op == "LpPool") {
    ok = lpPool(n, keep);
  } else if (op == "AveragePool") {
    ok = averagePool(n, keep);
  } else if (op == "Cast" || op == "CastLike") {
    ok = cast(n);
  } else if (op == "QuantizeLinear" || op == "DequantizeLinear") {
    ok = quantize(n);
  } else if (op == "DFT") {
    ok = dft(n);
  } else if (op == "GridSample") {
    ok = gridSample(n);
  } else if (op == "Mish") {
    ok = mish(n), keep = false;
  } else if (op == "Gelu") {
    ok = gelu(n), keep = false;
  } else if (op == "GroupNormalization") {
    ok = groupNorm(n), keep = false;
  } else if (op == "CenterCropPad") {
    ok = centerCropPad(n), keep = false;
  } else if (op == "Col2Im") {
    ok = col2Im(n), keep = false;
  } else if (op == "AffineGrid") {
    ok = affineGrid(n), keep = false;
  } else if (const char *since = unsupportedNewOp(op)) {
    return fail(n, "op " + op + " (new in opset " + since + ") is not supported");
  }
  if (!ok)
    return false;
  if (keep)
    out->push_back(n);
  return true;
}

void NewOpsetRewriter::recordConstant(const NodeProto &n) {
  if (n.output_size() != 1 || n.attribute_size() != 1)
    return;
  const AttributeProto &a = n.attribute(0);
  TensorProto t;
  if (a.name() == "value") {
    t = a.t();
  } else if (a.name() == "value_int" || a.name() == "value_ints") {
    t.set_data_type(TensorProto::INT64);
    if (a.name() == "value_int")
      t.add_int64_data(a.i());
    else {
      t.add_dims(a.ints_size());
      for (int64_t v : a.ints())
        t.add_int64_data(v);
    }
  } else if (a.name() == "value_float" || a.name() == "value_floats") {
    t.set_data_type(TensorProto::FLOAT);
    if (a.name() == "value_float")
      t.add_float_data(a.f());
    else {
      t.add_dims(a.floats_size());
      for (float v : a.floats())
        t.add_float_data(v);
    }
  } else {
    return;
  }
  t.set_name(n.output(0));
  constants[n.output(0)] = t;
}

const char *NewOpsetRewriter::unsupportedNewOp(const std::string &op) {
  static const std::map<std::string, const char *> ops = {{"Col2Im", "18"},       {"DeformConv", "19"},
                                                          {"ImageDecoder", "20"}, {"RegexFullMatch", "20"},
                                                          {"StringConcat", "20"}, {"StringSplit", "20"}};
  auto it = ops.find(op);
  return it == ops.end() ? nullptr : it->second;
}

bool rewriteNewOpsets(::onnx::ModelProto &model, int64_t opset, std::string &error) {
  if (opset > kNewestOpset) {
    error = "opset " + std::to_string(opset) + " is newer than the newest mcc imports (" +
            std::to_string(kNewestOpset) + ")";
    return false;
  }
  registerNewOpSchemas();
  if (opset <= 17)
    return true;
  // The opset 22-28 forms first: their expansions may use opset 18-21 forms, which the second step lowers.
  if (!rewriteOpsets22To28(model, opset, error))
    return false;
  return NewOpsetRewriter(model, opset, error).run();
}

} // namespace mcc::import
