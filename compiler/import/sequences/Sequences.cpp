//===- Sequences.cpp - sequence and optional values out of the ModelProto -===//
//
// mcc's ABI is a fixed list of static tensors, so sequence and optional values never reach the onnx
// dialect: this rewrite runs on the ModelProto before shape inference and leaves tensors only.
//
//  * A sequence whose length is known at compile time is a list of tensor names. The sequence ops
//    become tensor ops (Identity, Concat, Unsqueeze, Slice, Squeeze, Constant); their positions must be
//    compile-time constants (initializers, Constant nodes, loop counters of unrolled loops).
//  * An optional value's presence is known at compile time: it is its tensor or sequence, or "none".
//  * SequenceMap bodies are inlined once per element. A Loop that carries a sequence or optional is
//    unrolled (constant trip count, conditions that fold to constants, at most kMaxUnroll iterations).
//    An If whose condition is a constant is replaced by the branch it takes; otherwise an If may
//    yield sequences of the same length from both branches, which become one tensor output each.
//  * Graph inputs and outputs of sequence type are flattened: sequence `x` pinned to length n is the
//    tensors `x_0` ... `x_<n-1>` (`x_0__1`, `x_0__2` ... where a name is already taken),
//    with doc_string "element i of sequence 'x'". Optional inputs are present unless pinned absent.
//
//===----------------------------------------------------------------------===//
#include "compiler/import/sequences/Sequences.h"

#include "onnx/defs/schema.h"
#include "onnx/shape_inference/implementation.h"

namespace mcc::import {
namespace seq {

const llvm::StringSet<> &structuredOps() {
  static const llvm::StringSet<> ops = {"SequenceEmpty",      "SequenceConstruct",  "SequenceInsert",
                                        "SequenceErase",      "SequenceAt",         "SequenceLength",
                                        "ConcatFromSequence", "SplitToSequence",    "SequenceMap",
                                        "Optional",           "OptionalHasElement", "OptionalGetElement"};
  return ops;
}

bool isTensorType(const TypeProto &t) { return t.has_tensor_type(); }

bool usesStructuredValues(const GraphProto &g) {
  for (const auto &vi : g.input())
    if (vi.has_type() && !isTensorType(vi.type()))
      return true;
  for (const auto &vi : g.output())
    if (vi.has_type() && !isTensorType(vi.type()))
      return true;
  for (const auto &n : g.node()) {
    if ((n.domain().empty() || n.domain() == "ai.onnx") && structuredOps().contains(n.op_type()))
      return true;
    for (const auto &a : n.attribute()) {
      if (a.has_g() && usesStructuredValues(a.g()))
        return true;
      for (const auto &sg : a.graphs())
        if (usesStructuredValues(sg))
          return true;
    }
  }
  return false;
}

void collectNames(const GraphProto &g, llvm::StringSet<> &names) {
  for (const auto &vi : g.input())
    names.insert(vi.name());
  for (const auto &vi : g.output())
    names.insert(vi.name());
  for (const auto &vi : g.value_info())
    names.insert(vi.name());
  for (const auto &t : g.initializer())
    names.insert(t.name());
  for (const auto &n : g.node()) {
    for (const auto &o : n.output())
      names.insert(o);
    for (const auto &a : n.attribute()) {
      if (a.has_g())
        collectNames(a.g(), names);
      for (const auto &sg : a.graphs())
        collectNames(sg, names);
    }
  }
}

bool decodeInts(const TensorProto &t, Known &out) {
  if (t.data_type() != TensorProto::INT64 && t.data_type() != TensorProto::INT32 && t.data_type() != TensorProto::BOOL)
    return false;
  std::optional<TensorValue> v = decodeTensor(t, /*maxElements=*/4096);
  if (!v)
    return false;
  out.dims = std::move(v->shape);
  out.values = std::move(v->ints);
  return true;
}

const char *kindName(const Structured &s) {
  if (s.optional)
    return s.present ? "an optional value" : "an empty optional";
  return "a sequence";
}

std::string SequenceEliminator::fresh(const std::string &base) {
  std::string name = base;
  for (int i = 1; used.contains(name); ++i)
    name = base + "__" + std::to_string(i);
  used.insert(name);
  return name;
}

NodeProto *SequenceEliminator::emit(GraphProto &g, StringRef op, std::vector<std::string> inputs,
                                    std::vector<std::string> outputs) {
  NodeProto *n = g.add_node();
  n->set_op_type(op.str());
  for (auto &i : inputs)
    n->add_input(i);
  for (auto &o : outputs)
    n->add_output(o);
  return n;
}

std::string SequenceEliminator::emitInts(GraphProto &g, Scope &scope, const std::string &base, int32_t dtype,
                                         std::vector<int64_t> dims, std::vector<int64_t> values) {
  std::string name = fresh(base);
  TensorValue value;
  value.dtype = dtype;
  value.shape = dims;
  value.ints = values;
  makeConstantNode(*emit(g, "Constant", {}, {name}), encodeTensor(value, ""));
  scope.known[name] = Known{dims, values};
  return name;
}

std::string SequenceEliminator::emitUnsqueeze(GraphProto &g, Scope &scope, const std::string &x, int64_t axis) {
  std::string out = fresh(x + "_unsqueezed");
  if (opset >= 13) {
    std::string axes = emitInts(g, scope, x + "_axes", TensorProto::INT64, {1}, {axis});
    emit(g, "Unsqueeze", {x, axes}, {out});
  } else {
    auto *a = emit(g, "Unsqueeze", {x}, {out})->add_attribute();
    a->set_name("axes");
    a->set_type(::onnx::AttributeProto::INTS);
    a->add_ints(axis);
  }
  return out;
}

std::string SequenceEliminator::emitSqueeze(GraphProto &g, Scope &scope, const std::string &x, int64_t axis) {
  std::string out = fresh(x + "_squeezed");
  if (opset >= 13) {
    std::string axes = emitInts(g, scope, x + "_axes", TensorProto::INT64, {1}, {axis});
    emit(g, "Squeeze", {x, axes}, {out});
  } else {
    auto *a = emit(g, "Squeeze", {x}, {out})->add_attribute();
    a->set_name("axes");
    a->set_type(::onnx::AttributeProto::INTS);
    a->add_ints(axis);
  }
  return out;
}

std::string SequenceEliminator::emitSlice(GraphProto &g, Scope &scope, const std::string &x, int64_t start, int64_t end,
                                          int64_t axis) {
  std::string starts = emitInts(g, scope, x + "_starts", TensorProto::INT64, {1}, {start});
  std::string ends = emitInts(g, scope, x + "_ends", TensorProto::INT64, {1}, {end});
  std::string axes = emitInts(g, scope, x + "_axes", TensorProto::INT64, {1}, {axis});
  std::string out = fresh(x + "_part");
  emit(g, "Slice", {x, starts, ends, axes}, {out});
  return out;
}

void SequenceEliminator::bind(GraphProto &g, Scope &scope, const std::string &name, const std::string &value) {
  if (name.empty())
    return;
  if (const Structured *s = scope.find(value)) {
    Structured copy = *s;
    scope.structured[name] = copy;
    return;
  }
  if (const Known *k = scope.constant(value)) {
    Known copy = *k;
    scope.known[name] = copy;
  }
  emit(g, "Identity", {value}, {name});
}

const Structured *SequenceEliminator::sequenceOperand(const NodeProto &node, int i, Scope &scope) {
  if (i >= node.input_size() || node.input(i).empty()) {
    fail("input #" + Twine(i) + " is missing");
    return nullptr;
  }
  const Structured *s = scope.find(node.input(i));
  if (!s || !s->sequence || (s->optional && !s->present)) {
    fail("input '" + node.input(i) + "' is not a sequence " +
         (s ? Twine("(it is ") + kindName(*s) + ")" : Twine("(it is a tensor)")));
    return nullptr;
  }
  return s;
}

bool SequenceEliminator::elementsOf(const Structured &s, const std::string &name) {
  if (!s.unavailable.empty())
    return fail("the elements of sequence '" + name + "' are not available: " + s.unavailable);
  return true;
}

bool SequenceEliminator::position(const NodeProto &node, int i, Scope &scope, int64_t length, bool allowEnd,
                                  int64_t fallback, int64_t &pos) {
  if (i >= node.input_size() || node.input(i).empty()) {
    pos = fallback;
    return true;
  }
  const Known *k = scope.constant(node.input(i));
  if (!k || k->values.size() != 1)
    return fail("position '" + node.input(i) +
                "' must be a compile-time constant (an initializer or a Constant): sequences are "
                "resolved at compile time");
  pos = k->values[0];
  int64_t hi = allowEnd ? length : length - 1;
  if (pos < -length || pos > hi)
    return fail("position " + Twine(pos) + " is out of range for a sequence of length " + Twine(length));
  if (pos < 0)
    pos += length;
  return true;
}

bool SequenceEliminator::staticShape(const std::string &name, GraphProto &current, Scope &scope,
                                     std::vector<int64_t> &dims) {
  auto fromType = [&](const TypeProto &t) {
    std::optional<std::vector<int64_t>> shape = staticShapeOf(t);
    if (shape)
      dims = std::move(*shape);
    return shape.has_value();
  };
  if (const Known *k = scope.constant(name)) {
    dims = k->dims;
    return true;
  }
  if (&current == model.mutable_graph()) {
    ModelProto probe = model;
    GraphProto *g = probe.mutable_graph();
    g->clear_output();
    for (auto &in : *g->mutable_input()) {
      auto it = options.inputShapes.find(in.name());
      if (it == options.inputShapes.end() || !in.type().has_tensor_type())
        continue;
      auto *shape = in.mutable_type()->mutable_tensor_type()->mutable_shape();
      shape->clear_dim();
      for (int64_t d : it->second)
        shape->add_dim()->set_dim_value(d);
    }
    try {
      ::onnx::ShapeInferenceOptions siOptions(false, 0, true);
      ::onnx::shape_inference::InferShapes(probe, ::onnx::OpSchemaRegistry::Instance(), siOptions);
    } catch (const std::exception &) {
    }
    for (const auto &vi : g->input())
      if (vi.name() == name && fromType(vi.type()))
        return true;
    for (const auto &vi : g->value_info())
      if (vi.name() == name && fromType(vi.type()))
        return true;
    for (const auto &t : g->initializer())
      if (t.name() == name) {
        dims.assign(t.dims().begin(), t.dims().end());
        return true;
      }
  }
  return fail("needs the static shape of '" + name + "', which is not known at compile time");
}

bool SequenceEliminator::flattenInputs(Scope &root) {
  GraphProto &g = *model.mutable_graph();
  llvm::StringSet<> initializers;
  for (const auto &t : g.initializer())
    initializers.insert(t.name());
  google::protobuf::RepeatedPtrField<ValueInfoProto> inputs;
  inputs.Swap(g.mutable_input());
  llvm::StringSet<> sequenceInputs, optionalInputs;
  auto flattenSequence = [&](const ValueInfoProto &in, const TypeProto &seqType, Structured &s) {
    auto pin = options.sequenceShapes.find(in.name());
    if (pin == options.sequenceShapes.end())
      return fail("graph input '" + in.name() + "' is a sequence: pin its length and element shapes with --shape '" +
                  in.name() + "=[D0xD1,D0xD1,...]' (`[]` for an empty sequence)");
    const TypeProto &elem = seqType.sequence_type().elem_type();
    if (!elem.has_tensor_type())
      return fail("graph input '" + in.name() + "' is a sequence of non-tensor values (not supported)");
    const auto &tt = elem.tensor_type();
    s.sequence = true;
    for (size_t i = 0; i < pin->second.size(); ++i) {
      const std::vector<int64_t> &dims = pin->second[i];
      if (tt.has_shape()) {
        if (tt.shape().dim_size() != (int)dims.size())
          return fail("--shape " + in.name() + ": element " + Twine(i) + " has rank " + Twine(dims.size()) +
                      ", the model's sequence elements have rank " + Twine(tt.shape().dim_size()));
        for (size_t d = 0; d < dims.size(); ++d)
          if (tt.shape().dim(d).has_dim_value() && tt.shape().dim(d).dim_value() != dims[d])
            return fail("--shape " + in.name() + ": element " + Twine(i) + " dimension " + Twine(d) + " is fixed to " +
                        Twine(tt.shape().dim(d).dim_value()) + " by the model, got " + Twine(dims[d]));
      }
      ValueInfoProto *vi = g.add_input();
      vi->set_name(fresh(in.name() + "_" + std::to_string(i)));
      vi->set_doc_string("element " + std::to_string(i) + " of sequence '" + in.name() + "'");
      origins[vi->name()] = vi->doc_string();
      auto *t = vi->mutable_type()->mutable_tensor_type();
      t->set_elem_type(tt.elem_type());
      auto *shape = t->mutable_shape();
      for (int64_t d : dims)
        shape->add_dim()->set_dim_value(d);
      s.elems.push_back(vi->name());
    }
    return true;
  };
  for (const ValueInfoProto &in : inputs) {
    const TypeProto &type = in.type();
    if (initializers.contains(in.name()) || !in.has_type() || type.has_tensor_type()) {
      *g.add_input() = in;
      continue;
    }
    Structured s;
    if (type.has_sequence_type()) {
      sequenceInputs.insert(in.name());
      if (!flattenSequence(in, type, s))
        return false;
    } else if (type.has_optional_type()) {
      optionalInputs.insert(in.name());
      const TypeProto &inner = type.optional_type().elem_type();
      s.optional = true;
      if (options.absentInputs.count(in.name())) {
        s.present = false;
        if (options.inputShapes.count(in.name()) || options.sequenceShapes.count(in.name()))
          return fail("--shape pins optional input '" + in.name() + "' both absent and present");
      } else if (inner.has_tensor_type()) {
        ValueInfoProto *vi = g.add_input();
        vi->set_name(in.name());
        vi->set_doc_string("optional '" + in.name() + "', present");
        origins[vi->name()] = vi->doc_string();
        *vi->mutable_type() = inner;
        s.tensor = in.name();
      } else if (inner.has_sequence_type()) {
        sequenceInputs.insert(in.name());
        if (!flattenSequence(in, inner, s))
          return false;
      } else {
        return fail("graph input '" + in.name() + "' is an optional of an unsupported kind");
      }
    } else {
      return fail("graph input '" + in.name() + "' is a map or sparse tensor (not supported)");
    }
    root.structured[in.name()] = s;
  }
  for (const auto &kv : options.sequenceShapes)
    if (!sequenceInputs.contains(kv.first))
      return fail("--shape '" + kv.first + "=[...]' pins a sequence, but '" + kv.first +
                  "' is not a sequence graph input");
  for (const auto &name : options.absentInputs)
    if (!optionalInputs.contains(name))
      return fail("--shape '" + name + "=none' pins an optional input absent, but '" + name +
                  "' is not an optional graph input");
  return true;
}

bool SequenceEliminator::flattenOutputs(Scope &root) {
  GraphProto &g = *model.mutable_graph();
  google::protobuf::RepeatedPtrField<ValueInfoProto> outputs;
  outputs.Swap(g.mutable_output());
  for (const ValueInfoProto &out : outputs) {
    const Structured *s = root.find(out.name());
    if (!s) {
      *g.add_output() = out;
      continue;
    }
    if (s->optional && !s->present)
      continue; // an empty optional output has no tensor in the ABI
    const TypeProto *elemType = &out.type();
    if (elemType->has_optional_type())
      elemType = &elemType->optional_type().elem_type();
    if (elemType->has_sequence_type())
      elemType = &elemType->sequence_type().elem_type();
    auto addOutput = [&](const std::string &value, const std::string &name, const std::string &doc) {
      emit(g, "Identity", {value}, {name});
      ValueInfoProto *vi = g.add_output();
      vi->set_name(name);
      vi->set_doc_string(doc);
      origins[name] = doc;
      if (elemType->has_tensor_type())
        vi->mutable_type()->mutable_tensor_type()->set_elem_type(elemType->tensor_type().elem_type());
    };
    if (!s->sequence) {
      bool defined = llvm::any_of(g.input(), [&](const auto &vi) { return vi.name() == out.name(); });
      for (const auto &n : g.node())
        defined |= llvm::is_contained(n.output(), out.name());
      std::string name = defined ? fresh(out.name() + "_value") : out.name();
      addOutput(s->tensor, name, "optional '" + out.name() + "', present");
      continue;
    }
    where = "graph output '" + out.name() + "'";
    if (!elementsOf(*s, out.name()))
      return false;
    for (size_t i = 0; i < s->elems.size(); ++i)
      addOutput(s->elems[i], fresh(out.name() + "_" + std::to_string(i)),
                "element " + std::to_string(i) + " of sequence '" + out.name() + "'");
  }
  return true;
}

bool SequenceEliminator::rewriteGraph(GraphProto &g, Scope &scope) {
  for (const auto &t : g.initializer()) {
    Known k;
    if (decodeInts(t, k))
      scope.known[t.name()] = k;
  }
  google::protobuf::RepeatedPtrField<NodeProto> nodes;
  nodes.Swap(g.mutable_node());
  for (int i = 0; i < nodes.size(); ++i) {
    const NodeProto &node = nodes.Get(i);
    where = "node " + (node.name().empty() ? "#" + std::to_string(i) : "'" + node.name() + "'") + " (" +
            node.op_type() + ")";
    if (!processNode(node, g, scope))
      return false;
  }
  // Types of values that are now gone (sequences, optionals) would only confuse shape inference.
  auto *vis = g.mutable_value_info();
  for (int i = vis->size() - 1; i >= 0; --i)
    if (!vis->Get(i).type().has_tensor_type())
      vis->DeleteSubrange(i, 1);
  return true;
}

bool SequenceEliminator::processNode(NodeProto node, GraphProto &out, Scope &scope) {
  const std::string &op = node.op_type();
  bool onnxDomain = node.domain().empty() || node.domain() == "ai.onnx";
  if (onnxDomain && op == "SequenceMap")
    return rewriteSequenceMap(node, out, scope);
  if (onnxDomain && structuredOps().contains(op))
    return rewriteSequenceOp(node, out, scope);
  if (onnxDomain && op == "If")
    return rewriteIf(node, out, scope);
  if (onnxDomain && op == "Loop")
    return rewriteLoop(node, out, scope);
  if (onnxDomain && op == "Identity" && node.input_size() == 1 && scope.find(node.input(0))) {
    bind(out, scope, node.output(0), node.input(0));
    return true;
  }
  for (const auto &in : node.input())
    if (const Structured *s = scope.find(in))
      return fail("input '" + in + "' is " + kindName(*s) + ", which " + op + " does not take");
  // Subgraphs of other ops (Scan) may use sequences inside; they must yield tensors.
  for (auto &a : *node.mutable_attribute()) {
    std::vector<GraphProto *> graphs;
    if (a.has_g())
      graphs.push_back(a.mutable_g());
    for (auto &sg : *a.mutable_graphs())
      graphs.push_back(&sg);
    for (GraphProto *sg : graphs) {
      Scope child;
      child.parent = &scope;
      std::string saved = where;
      if (!rewriteGraph(*sg, child))
        return false;
      where = saved;
      for (const auto &o : sg->output())
        if (child.find(o.name()))
          return fail("subgraph output '" + o.name() + "' is a sequence or optional value (not supported here)");
    }
  }
  // Constants the sequence ops may need as positions, trip counts or conditions.
  if (onnxDomain && op == "Constant" && node.attribute_size() == 1 && node.output_size() == 1) {
    const auto &a = node.attribute(0);
    Known k;
    if (a.name() == "value" && decodeInts(a.t(), k))
      scope.known[node.output(0)] = k;
    else if (a.name() == "value_int")
      scope.known[node.output(0)] = Known{{}, {a.i()}};
    else if (a.name() == "value_ints")
      scope.known[node.output(0)] =
          Known{{(int64_t)a.ints_size()}, std::vector<int64_t>(a.ints().begin(), a.ints().end())};
  } else if (onnxDomain && (op == "Identity" || op == "Not") && node.input_size() == 1 && node.output_size() == 1) {
    if (const Known *k = scope.constant(node.input(0))) {
      Known copy = *k;
      if (op == "Not")
        for (int64_t &v : copy.values)
          v = !v;
      scope.known[node.output(0)] = copy;
    }
  }
  *out.add_node() = std::move(node);
  return true;
}

bool SequenceEliminator::run() {
  if (!usesStructuredValues(model.graph())) {
    if (!options.sequenceShapes.empty())
      return fail("--shape '" + options.sequenceShapes.begin()->first +
                  "=[...]' pins a sequence, but the model has no sequence inputs");
    if (!options.absentInputs.empty())
      return fail("--shape '" + *options.absentInputs.begin() +
                  "=none' pins an optional input absent, but the model has no optional inputs");
    return true;
  }
  for (const auto &imp : model.opset_import())
    if (imp.domain().empty() || imp.domain() == "ai.onnx")
      opset = imp.version();
  collectNames(model.graph(), used);
  Scope root;
  return flattenInputs(root) && rewriteGraph(*model.mutable_graph(), root) && flattenOutputs(root);
}

} // namespace seq

bool eliminateSequences(::onnx::ModelProto &model, const ImportOptions &options,
                        std::map<std::string, std::string> &origins, std::string &error) {
  return seq::SequenceEliminator(model, options, origins, error).run();
}

} // namespace mcc::import
