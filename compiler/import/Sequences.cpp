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
#include "compiler/import/ImportInternal.h"
#include "compiler/import/Importer.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MemoryBuffer.h"

#include "onnx/defs/schema.h"
#include "onnx/shape_inference/implementation.h"
#include <google/protobuf/io/coded_stream.h>

#include <climits>
#include <cstring>
#include <map>

using llvm::StringRef;
using llvm::Twine;

namespace mcc::import {
namespace {

using ::onnx::GraphProto;
using ::onnx::ModelProto;
using ::onnx::NodeProto;
using ::onnx::TensorProto;
using ::onnx::TypeProto;
using ::onnx::ValueInfoProto;

/// Loops are unrolled at import; more iterations than this is an error rather than a huge program.
constexpr int64_t kMaxUnroll = 1024;

/// What a name denotes when it is not a plain tensor.
struct Structured {
  bool optional = false;
  bool present = true;           ///< optional only
  bool sequence = false;         ///< the (inner) value is a sequence
  std::string tensor;            ///< the (inner) tensor when not a sequence
  std::vector<std::string> elems; ///< sequence elements, in order
  std::string unavailable;       ///< non-empty: why the elements cannot be used (only the length)
};

/// An integer or bool tensor known at compile time.
struct Known {
  std::vector<int64_t> dims;
  std::vector<int64_t> values;
};

struct Scope {
  Scope *parent = nullptr;
  std::map<std::string, Structured> structured;
  std::map<std::string, Known> known;

  const Structured *find(const std::string &name) const {
    for (const Scope *s = this; s; s = s->parent)
      if (auto it = s->structured.find(name); it != s->structured.end())
        return &it->second;
    return nullptr;
  }
  const Known *constant(const std::string &name) const {
    for (const Scope *s = this; s; s = s->parent)
      if (auto it = s->known.find(name); it != s->known.end())
        return &it->second;
    return nullptr;
  }
};

const llvm::StringSet<> &structuredOps() {
  static const llvm::StringSet<> ops = {
      "SequenceEmpty", "SequenceConstruct", "SequenceInsert", "SequenceErase", "SequenceAt",
      "SequenceLength", "ConcatFromSequence", "SplitToSequence", "SequenceMap", "Optional",
      "OptionalHasElement", "OptionalGetElement"};
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

/// Integer and bool tensors (small ones) as int64 values; false for other types.
bool decodeInts(const TensorProto &t, Known &out) {
  out.dims.assign(t.dims().begin(), t.dims().end());
  int64_t n = 1;
  for (int64_t d : out.dims)
    n *= d;
  if (n > 4096 || t.data_location() == TensorProto::EXTERNAL)
    return false;
  const std::string &raw = t.raw_data();
  out.values.clear();
  switch (t.data_type()) {
  case TensorProto::INT64:
    if (t.has_raw_data()) {
      if ((int64_t)raw.size() != n * 8)
        return false;
      out.values.resize(n);
      if (!raw.empty()) // memcpy from an empty buffer is undefined (UBSan)
        std::memcpy(out.values.data(), raw.data(), raw.size());
    } else {
      out.values.assign(t.int64_data().begin(), t.int64_data().end());
    }
    break;
  case TensorProto::INT32:
    if (t.has_raw_data()) {
      if ((int64_t)raw.size() != n * 4)
        return false;
      for (int64_t i = 0; i < n; ++i) {
        int32_t v;
        std::memcpy(&v, raw.data() + 4 * i, 4);
        out.values.push_back(v);
      }
    } else {
      out.values.assign(t.int32_data().begin(), t.int32_data().end());
    }
    break;
  case TensorProto::BOOL:
    if (t.has_raw_data()) {
      if ((int64_t)raw.size() != n)
        return false;
      for (char c : raw)
        out.values.push_back(c != 0);
    } else {
      for (int32_t v : t.int32_data())
        out.values.push_back(v != 0);
    }
    break;
  default:
    return false;
  }
  return (int64_t)out.values.size() == n;
}

const char *kindName(const Structured &s) {
  if (s.optional)
    return s.present ? "an optional value" : "an empty optional";
  return "a sequence";
}

class SequenceEliminator {
public:
  SequenceEliminator(ModelProto &model, const ImportOptions &options,
                     std::map<std::string, std::string> &origins, std::string &error)
      : model(model), options(options), origins(origins), error(error) {}
  bool run();

private:
  bool fail(const Twine &message) {
    error = (where.empty() ? "" : where + ": ") + message.str();
    return false;
  }
  std::string fresh(const std::string &base);
  NodeProto *emit(GraphProto &g, StringRef op, std::vector<std::string> inputs,
                  std::vector<std::string> outputs);
  std::string emitInts(GraphProto &g, Scope &scope, const std::string &base, int32_t dtype,
                       std::vector<int64_t> dims, std::vector<int64_t> values);
  std::string emitUnsqueeze(GraphProto &g, Scope &scope, const std::string &x, int64_t axis);
  std::string emitSqueeze(GraphProto &g, Scope &scope, const std::string &x, int64_t axis);
  std::string emitSlice(GraphProto &g, Scope &scope, const std::string &x, int64_t start, int64_t end,
                        int64_t axis);
  /// Binds `name` to what `value` denotes: an alias for structured values, an Identity for tensors.
  void bind(GraphProto &g, Scope &scope, const std::string &name, const std::string &value);

  bool flattenInputs(Scope &root);
  bool flattenOutputs(Scope &root);
  bool rewriteGraph(GraphProto &g, Scope &scope);
  bool processNode(NodeProto node, GraphProto &out, Scope &scope);
  bool inlineGraph(const GraphProto &body, std::map<std::string, std::string> names, GraphProto &out,
                   Scope &scope, std::vector<std::string> &results);
  bool rewriteSequenceOp(const NodeProto &node, GraphProto &out, Scope &scope);
  bool rewriteIf(NodeProto node, GraphProto &out, Scope &scope);
  bool rewriteLoop(NodeProto node, GraphProto &out, Scope &scope);
  bool rewriteSequenceMap(const NodeProto &node, GraphProto &out, Scope &scope);

  const Structured *sequenceOperand(const NodeProto &node, int i, Scope &scope);
  bool position(const NodeProto &node, int i, Scope &scope, int64_t length, bool allowEnd,
                int64_t fallback, int64_t &pos);
  bool elementsOf(const Structured &s, const std::string &name);
  bool staticShape(const std::string &name, GraphProto &current, Scope &scope, std::vector<int64_t> &dims);
  int64_t intAttr(const NodeProto &node, StringRef name, int64_t fallback);
  const ::onnx::AttributeProto *attr(const NodeProto &node, StringRef name);

  ModelProto &model;
  const ImportOptions &options;
  std::map<std::string, std::string> &origins;
  std::string &error;
  std::string where;
  llvm::StringSet<> used;
  int64_t opset = 0;
};

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

std::string SequenceEliminator::emitInts(GraphProto &g, Scope &scope, const std::string &base,
                                         int32_t dtype, std::vector<int64_t> dims,
                                         std::vector<int64_t> values) {
  std::string name = fresh(base);
  NodeProto *n = emit(g, "Constant", {}, {name});
  auto *a = n->add_attribute();
  a->set_name("value");
  a->set_type(::onnx::AttributeProto::TENSOR);
  TensorProto *t = a->mutable_t();
  t->set_data_type(dtype);
  for (int64_t d : dims)
    t->add_dims(d);
  for (int64_t v : values) {
    if (dtype == TensorProto::INT64)
      t->add_int64_data(v);
    else
      t->add_int32_data((int32_t)v);
  }
  scope.known[name] = Known{dims, values};
  return name;
}

std::string SequenceEliminator::emitUnsqueeze(GraphProto &g, Scope &scope, const std::string &x,
                                              int64_t axis) {
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

std::string SequenceEliminator::emitSqueeze(GraphProto &g, Scope &scope, const std::string &x,
                                            int64_t axis) {
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

std::string SequenceEliminator::emitSlice(GraphProto &g, Scope &scope, const std::string &x, int64_t start,
                                          int64_t end, int64_t axis) {
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

const ::onnx::AttributeProto *SequenceEliminator::attr(const NodeProto &node, StringRef name) {
  for (const auto &a : node.attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}

int64_t SequenceEliminator::intAttr(const NodeProto &node, StringRef name, int64_t fallback) {
  const auto *a = attr(node, name);
  return a ? a->i() : fallback;
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
    if (!t.has_tensor_type() || !t.tensor_type().has_shape())
      return false;
    dims.clear();
    for (const auto &d : t.tensor_type().shape().dim()) {
      if (!d.has_dim_value())
        return false;
      dims.push_back(d.dim_value());
    }
    return true;
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
      return fail("graph input '" + in.name() +
                  "' is a sequence: pin its length and element shapes with --shape '" + in.name() +
                  "=[D0xD1,D0xD1,...]' (`[]` for an empty sequence)");
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
            return fail("--shape " + in.name() + ": element " + Twine(i) + " dimension " + Twine(d) +
                        " is fixed to " + Twine(tt.shape().dim(d).dim_value()) + " by the model, got " +
                        Twine(dims[d]));
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
  } else if (onnxDomain && (op == "Identity" || op == "Not") && node.input_size() == 1 &&
             node.output_size() == 1) {
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

bool SequenceEliminator::rewriteSequenceOp(const NodeProto &node, GraphProto &out, Scope &scope) {
  const std::string &op = node.op_type();
  auto result = [&]() -> std::string { return node.output_size() ? node.output(0) : std::string(); };
  auto tensorOperand = [&](int i, std::string &name) {
    if (i >= node.input_size() || node.input(i).empty())
      return fail("input #" + Twine(i) + " is missing");
    name = node.input(i);
    if (const Structured *s = scope.find(name))
      return fail("input '" + name + "' is " + kindName(*s) + "; sequences of sequences are not supported");
    return true;
  };

  if (op == "SequenceEmpty") {
    Structured s;
    s.sequence = true;
    scope.structured[result()] = s;
    return true;
  }
  if (op == "SequenceConstruct") {
    Structured s;
    s.sequence = true;
    for (int i = 0; i < node.input_size(); ++i) {
      std::string t;
      if (!tensorOperand(i, t))
        return false;
      s.elems.push_back(t);
    }
    scope.structured[result()] = s;
    return true;
  }
  if (op == "SequenceInsert" || op == "SequenceErase") {
    const Structured *in = sequenceOperand(node, 0, scope);
    if (!in || !elementsOf(*in, node.input(0)))
      return false;
    Structured s = *in;
    s.optional = false;
    s.present = true;
    int64_t n = s.elems.size(), pos;
    if (op == "SequenceInsert") {
      std::string t;
      if (!tensorOperand(1, t) || !position(node, 2, scope, n, /*allowEnd=*/true, n, pos))
        return false;
      s.elems.insert(s.elems.begin() + pos, t);
    } else {
      if (n == 0)
        return fail("erasing from an empty sequence");
      if (!position(node, 1, scope, n, /*allowEnd=*/false, n - 1, pos))
        return false;
      s.elems.erase(s.elems.begin() + pos);
    }
    scope.structured[result()] = s;
    return true;
  }
  if (op == "SequenceAt") {
    const Structured *in = sequenceOperand(node, 0, scope);
    int64_t pos;
    if (!in || !elementsOf(*in, node.input(0)))
      return false;
    int64_t n = in->elems.size();
    if (node.input_size() < 2 || node.input(1).empty())
      return fail("the position input is missing");
    if (!position(node, 1, scope, n, /*allowEnd=*/false, 0, pos))
      return false;
    bind(out, scope, result(), in->elems[pos]);
    return true;
  }
  if (op == "SequenceLength") {
    const Structured *in = sequenceOperand(node, 0, scope);
    if (!in)
      return false;
    std::string c = emitInts(out, scope, result() + "_length", TensorProto::INT64, {},
                             {(int64_t)in->elems.size()});
    bind(out, scope, result(), c);
    return true;
  }
  if (op == "ConcatFromSequence") {
    const Structured *in = sequenceOperand(node, 0, scope);
    if (!in || !elementsOf(*in, node.input(0)))
      return false;
    const auto *axisAttr = attr(node, "axis");
    if (!axisAttr)
      return fail("attribute 'axis' is required");
    int64_t axis = axisAttr->i();
    int64_t newAxis = intAttr(node, "new_axis", 0);
    if (newAxis != 0 && newAxis != 1)
      return fail("attribute 'new_axis' must be 0 or 1, got " + Twine(newAxis));
    if (in->elems.empty())
      return fail("concatenating an empty sequence (the result's shape is undefined)");
    std::vector<std::string> parts;
    for (const std::string &e : in->elems)
      parts.push_back(newAxis ? emitUnsqueeze(out, scope, e, axis) : e);
    NodeProto *concat = emit(out, "Concat", parts, {result()});
    auto *a = concat->add_attribute();
    a->set_name("axis");
    a->set_type(::onnx::AttributeProto::INT);
    a->set_i(axis);
    return true;
  }
  if (op == "SplitToSequence") {
    std::string x;
    if (!tensorOperand(0, x))
      return false;
    int64_t axis = intAttr(node, "axis", 0);
    int64_t keepdims = intAttr(node, "keepdims", 1);
    std::vector<int64_t> shape;
    Structured s;
    s.sequence = true;
    std::vector<std::pair<int64_t, int64_t>> ranges; // [start, end) along the axis
    bool squeeze = false;
    std::string split = node.input_size() > 1 ? node.input(1) : std::string();
    if (!split.empty() && scope.find(split))
      return fail("input 'split' must be a tensor");
    const Known *splitValues = split.empty() ? nullptr : scope.constant(split);
    std::vector<int64_t> splitShape;
    if (!split.empty() && !splitValues) {
      if (!staticShape(split, out, scope, splitShape))
        return false;
      if (splitShape.size() == 1) {
        // Data-dependent element shapes: the length is known, the elements are not.
        s.elems.assign(splitShape[0], std::string());
        s.unavailable = "SplitToSequence's 'split' input '" + split +
                        "' is not a compile-time constant, so the element shapes depend on the data";
        scope.structured[result()] = s;
        return true;
      }
      return fail("input 'split' ('" + split + "') must be a compile-time constant");
    }
    if (!staticShape(x, out, scope, shape))
      return false;
    int64_t rank = shape.size();
    if (axis < -rank || axis >= rank)
      return fail("axis " + Twine(axis) + " is out of range for rank " + Twine(rank));
    if (axis < 0)
      axis += rank;
    int64_t dim = shape[axis];
    if (!splitValues) {
      for (int64_t i = 0; i < dim; ++i)
        ranges.push_back({i, i + 1});
      squeeze = keepdims == 0;
    } else if (splitValues->dims.empty()) {
      int64_t chunk = splitValues->values[0];
      if (chunk <= 0)
        return fail("split " + Twine(chunk) + " must be positive");
      for (int64_t i = 0; i < dim; i += chunk)
        ranges.push_back({i, std::min(dim, i + chunk)});
    } else {
      if (splitValues->dims.size() != 1)
        return fail("input 'split' must be a scalar or a 1-D tensor");
      int64_t start = 0;
      for (int64_t len : splitValues->values) {
        if (len < 0)
          return fail("split length " + Twine(len) + " is negative");
        ranges.push_back({start, start + len});
        start += len;
      }
      if (start != dim)
        return fail("split lengths sum to " + Twine(start) + ", but the axis has " + Twine(dim) + " elements");
    }
    for (auto [b, e] : ranges) {
      std::string part = emitSlice(out, scope, x, b, e, axis);
      s.elems.push_back(squeeze ? emitSqueeze(out, scope, part, axis) : part);
    }
    scope.structured[result()] = s;
    return true;
  }
  if (op == "Optional") {
    Structured s;
    s.optional = true;
    if (node.input_size() == 0 || node.input(0).empty()) {
      s.present = false;
    } else if (const Structured *in = scope.find(node.input(0))) {
      if (in->optional)
        return fail("an optional of an optional is not allowed");
      s.sequence = true;
      s.elems = in->elems;
      s.unavailable = in->unavailable;
    } else {
      s.tensor = node.input(0);
    }
    scope.structured[result()] = s;
    return true;
  }
  if (op == "OptionalHasElement") {
    bool has = false;
    if (node.input_size() > 0 && !node.input(0).empty()) {
      const Structured *in = scope.find(node.input(0));
      has = !in || !in->optional || in->present;
    }
    std::string c = emitInts(out, scope, result() + "_value", TensorProto::BOOL, {}, {has});
    bind(out, scope, result(), c);
    return true;
  }
  if (op == "OptionalGetElement") {
    if (node.input_size() == 0 || node.input(0).empty())
      return fail("input #0 is missing");
    const Structured *in = scope.find(node.input(0));
    if (!in) {
      bind(out, scope, result(), node.input(0)); // opset 18: a plain tensor is passed through
      return true;
    }
    if (in->optional && !in->present)
      return fail("optional '" + node.input(0) + "' is empty (known at compile time)");
    if (in->sequence) {
      Structured s = *in;
      s.optional = false;
      scope.structured[result()] = s;
    } else {
      // Not bind(): a present optional graph input keeps its name for its tensor.
      emit(out, "Identity", {in->tensor}, {result()});
    }
    return true;
  }
  return fail("unhandled op");
}

/// Renames the free uses of `names` inside a subgraph (names it defines itself shadow them).
void renameFreeUses(GraphProto &g, const std::map<std::string, std::string> &names) {
  llvm::StringSet<> local;
  for (const auto &vi : g.input())
    local.insert(vi.name());
  for (const auto &t : g.initializer())
    local.insert(t.name());
  for (const auto &n : g.node())
    for (const auto &o : n.output())
      local.insert(o);
  auto rename = [&](std::string *s) {
    if (local.contains(*s))
      return;
    if (auto it = names.find(*s); it != names.end())
      *s = it->second;
  };
  for (auto &n : *g.mutable_node()) {
    for (auto &i : *n.mutable_input())
      rename(&i);
    for (auto &a : *n.mutable_attribute()) {
      if (a.has_g())
        renameFreeUses(*a.mutable_g(), names);
      for (auto &sg : *a.mutable_graphs())
        renameFreeUses(sg, names);
    }
  }
  for (auto &o : *g.mutable_output())
    rename(o.mutable_name());
}

bool SequenceEliminator::inlineGraph(const GraphProto &body, std::map<std::string, std::string> names,
                                     GraphProto &out, Scope &scope, std::vector<std::string> &results) {
  for (const auto &t : body.initializer()) {
    std::string name = fresh(t.name());
    NodeProto *n = emit(out, "Constant", {}, {name});
    auto *a = n->add_attribute();
    a->set_name("value");
    a->set_type(::onnx::AttributeProto::TENSOR);
    *a->mutable_t() = t;
    a->mutable_t()->clear_name();
    Known k;
    if (decodeInts(t, k))
      scope.known[name] = k;
    names[t.name()] = name;
  }
  std::string saved = where;
  for (int i = 0; i < body.node_size(); ++i) {
    NodeProto node = body.node(i);
    for (auto &in : *node.mutable_input())
      if (auto it = names.find(in); it != names.end())
        in = it->second;
    for (auto &a : *node.mutable_attribute()) {
      if (a.has_g())
        renameFreeUses(*a.mutable_g(), names);
      for (auto &sg : *a.mutable_graphs())
        renameFreeUses(sg, names);
    }
    for (auto &o : *node.mutable_output()) {
      if (o.empty())
        continue;
      std::string renamed = fresh(o);
      names[o] = renamed;
      o = renamed;
    }
    where = saved + ", inlined node " +
            (node.name().empty() ? "#" + std::to_string(i) : "'" + node.name() + "'") + " (" +
            node.op_type() + ")";
    if (!processNode(node, out, scope))
      return false;
  }
  where = saved;
  results.clear();
  for (const auto &o : body.output()) {
    auto it = names.find(o.name());
    results.push_back(it != names.end() ? it->second : o.name());
  }
  return true;
}

bool SequenceEliminator::rewriteIf(NodeProto node, GraphProto &out, Scope &scope) {
  const GraphProto *thenG = nullptr, *elseG = nullptr;
  for (const auto &a : node.attribute()) {
    if (a.name() == "then_branch")
      thenG = &a.g();
    if (a.name() == "else_branch")
      elseG = &a.g();
  }
  if (!thenG || !elseG || node.input_size() < 1)
    return fail("needs a condition and both branches");
  // A condition known at compile time: the branch taken replaces the If.
  if (const Known *cond = scope.constant(node.input(0)); cond && cond->values.size() == 1) {
    const GraphProto &taken = cond->values[0] ? *thenG : *elseG;
    if (taken.output_size() != node.output_size())
      return fail("the branch yields " + Twine(taken.output_size()) + " values for " +
                  Twine(node.output_size()) + " outputs");
    std::vector<std::string> results;
    std::string saved = where;
    if (!inlineGraph(taken, {}, out, scope, results))
      return false;
    for (int k = 0; k < node.output_size(); ++k)
      bind(out, scope, node.output(k), results[k]);
    where = saved;
    return true;
  }
  if (scope.find(node.input(0)))
    return fail("the condition is not a tensor");
  Scope thenScope, elseScope;
  thenScope.parent = elseScope.parent = &scope;
  GraphProto *thenM = nullptr, *elseM = nullptr;
  for (auto &a : *node.mutable_attribute()) {
    if (a.name() == "then_branch")
      thenM = a.mutable_g();
    if (a.name() == "else_branch")
      elseM = a.mutable_g();
  }
  std::string saved = where;
  if (!rewriteGraph(*thenM, thenScope) || !rewriteGraph(*elseM, elseScope))
    return false;
  where = saved;
  if (thenM->output_size() != node.output_size() || elseM->output_size() != node.output_size())
    return fail("the branches do not yield one value per output");
  google::protobuf::RepeatedPtrField<ValueInfoProto> thenOuts, elseOuts;
  thenOuts.Swap(thenM->mutable_output());
  elseOuts.Swap(elseM->mutable_output());
  google::protobuf::RepeatedPtrField<std::string> outputs;
  outputs.Swap(node.mutable_output());
  // Each branch yields its elements through fresh Identity nodes: shape inference types a branch
  // output from the branch's own nodes, and an element may be a value of the enclosing graph.
  auto addOut = [&](GraphProto *g, const std::string &value) {
    std::string local = fresh(value + "_yielded");
    emit(*g, "Identity", {value}, {local});
    g->add_output()->set_name(local);
  };
  for (int k = 0; k < outputs.size(); ++k) {
    const Structured *t = thenScope.find(thenOuts.Get(k).name());
    const Structured *e = elseScope.find(elseOuts.Get(k).name());
    if (!t && !e) {
      *thenM->add_output() = thenOuts.Get(k);
      *elseM->add_output() = elseOuts.Get(k);
      node.add_output(outputs.Get(k));
      continue;
    }
    const std::string &name = outputs.Get(k);
    if (!t || !e || t->optional != e->optional)
      return fail("output '" + name + "' is a sequence or optional in one branch only");
    Structured s;
    s.optional = t->optional;
    if (t->optional && t->present != e->present)
      return fail("output '" + name +
                  "' is an optional that is empty in one branch and present in the other; mcc needs "
                  "its presence known at compile time");
    s.present = t->present;
    if (s.optional && !s.present) {
      scope.structured[name] = s;
      continue;
    }
    if (t->sequence != e->sequence)
      return fail("output '" + name + "' holds a sequence in one branch and a tensor in the other");
    if (!t->sequence) {
      std::string flat = fresh(name + "/value");
      addOut(thenM, t->tensor);
      addOut(elseM, e->tensor);
      node.add_output(flat);
      s.tensor = flat;
      scope.structured[name] = s;
      continue;
    }
    if (t->elems.size() != e->elems.size())
      return fail("output '" + name + "' is a sequence of length " + Twine(t->elems.size()) +
                  " in then_branch and " + Twine(e->elems.size()) +
                  " in else_branch; mcc needs sequence lengths known at compile time");
    if (!elementsOf(*t, name) || !elementsOf(*e, name))
      return false;
    s.sequence = true;
    for (size_t i = 0; i < t->elems.size(); ++i) {
      addOut(thenM, t->elems[i]);
      addOut(elseM, e->elems[i]);
      std::string flat = fresh(name + "/" + std::to_string(i));
      node.add_output(flat);
      s.elems.push_back(flat);
    }
    scope.structured[name] = s;
  }
  *out.add_node() = std::move(node);
  return true;
}

bool SequenceEliminator::rewriteLoop(NodeProto node, GraphProto &out, Scope &scope) {
  GraphProto *body = nullptr;
  for (auto &a : *node.mutable_attribute())
    if (a.name() == "body")
      body = a.mutable_g();
  if (!body)
    return fail("missing subgraph attribute 'body'");
  bool carriesStructured = false;
  for (int i = 2; i < node.input_size(); ++i)
    carriesStructured |= scope.find(node.input(i)) != nullptr;
  for (const auto &vi : body->input())
    carriesStructured |= vi.has_type() && !vi.type().has_tensor_type();
  for (const auto &vi : body->output())
    carriesStructured |= vi.has_type() && !vi.type().has_tensor_type();
  if (!carriesStructured) {
    Scope child;
    child.parent = &scope;
    std::string saved = where;
    if (!rewriteGraph(*body, child))
      return false;
    where = saved;
    for (const auto &o : body->output())
      if (child.find(o.name()))
        return fail("the body yields sequence or optional value '" + o.name() +
                    "' that is not loop-carried (not supported)");
    *out.add_node() = std::move(node);
    return true;
  }

  // Unrolled: every iteration's body is inlined with its counter and condition as constants.
  int64_t trips = kMaxUnroll + 1;
  bool bounded = node.input_size() > 0 && !node.input(0).empty();
  if (bounded) {
    const Known *m = scope.constant(node.input(0));
    if (!m || m->values.size() != 1)
      return fail("the loop carries sequence or optional values, so it is unrolled at compile time, and "
                  "its trip count '" + node.input(0) + "' must be a compile-time constant");
    trips = m->values[0];
  }
  bool cond = true;
  if (node.input_size() > 1 && !node.input(1).empty()) {
    const Known *c = scope.constant(node.input(1));
    if (!c || c->values.size() != 1)
      return fail("the loop carries sequence or optional values, so it is unrolled at compile time, and "
                  "its condition '" + node.input(1) + "' must be a compile-time constant");
    cond = c->values[0] != 0;
  }
  int numCarried = std::max(0, node.input_size() - 2);
  if (body->input_size() != numCarried + 2 || body->output_size() < numCarried + 1)
    return fail("the body's inputs and outputs do not match the loop's");
  int numScan = body->output_size() - 1 - numCarried;
  std::vector<std::string> carried(node.input().begin() + 2, node.input().end());
  std::vector<std::vector<std::string>> scanned(numScan);
  std::string saved = where;
  int64_t i = 0;
  for (; i < trips && cond; ++i) {
    if (i >= kMaxUnroll)
      return fail("the loop carries sequence or optional values, so it is unrolled at compile time, and it "
                  "runs more than " + Twine(kMaxUnroll) + " iterations");
    std::map<std::string, std::string> names;
    names[body->input(0).name()] =
        emitInts(out, scope, body->input(0).name() + "_" + std::to_string(i), TensorProto::INT64, {}, {i});
    names[body->input(1).name()] = emitInts(out, scope, body->input(1).name() + "_" + std::to_string(i),
                                            TensorProto::BOOL, {}, {1});
    for (int k = 0; k < numCarried; ++k)
      names[body->input(k + 2).name()] = carried[k];
    std::vector<std::string> results;
    if (!inlineGraph(*body, names, out, scope, results))
      return false;
    where = saved;
    const Known *c = scope.constant(results[0]);
    if (!c || c->values.size() != 1)
      return fail("the loop carries sequence or optional values, so it is unrolled at compile time, and the "
                  "condition its body computes ('" + body->output(0).name() +
                  "') must fold to a constant");
    cond = c->values[0] != 0;
    for (int k = 0; k < numCarried; ++k)
      carried[k] = results[k + 1];
    for (int j = 0; j < numScan; ++j) {
      if (scope.find(results[1 + numCarried + j]))
        return fail("scan output '" + body->output(1 + numCarried + j).name() + "' is not a tensor");
      scanned[j].push_back(results[1 + numCarried + j]);
    }
  }
  for (int k = 0; k < numCarried && k < node.output_size(); ++k)
    bind(out, scope, node.output(k), carried[k]);
  for (int j = 0; j < numScan && numCarried + j < node.output_size(); ++j) {
    const std::string &name = node.output(numCarried + j);
    if (name.empty())
      continue;
    if (i == 0)
      return fail("scan output '" + name + "' of a loop that runs no iteration has an unknown shape");
    std::vector<std::string> parts;
    for (const std::string &p : scanned[j])
      parts.push_back(emitUnsqueeze(out, scope, p, 0));
    auto *a = emit(out, "Concat", parts, {name})->add_attribute();
    a->set_name("axis");
    a->set_type(::onnx::AttributeProto::INT);
    a->set_i(0);
  }
  return true;
}

bool SequenceEliminator::rewriteSequenceMap(const NodeProto &node, GraphProto &out, Scope &scope) {
  const GraphProto *body = nullptr;
  for (const auto &a : node.attribute())
    if (a.name() == "body")
      body = &a.g();
  if (!body)
    return fail("missing subgraph attribute 'body'");
  const Structured *first = sequenceOperand(node, 0, scope);
  if (!first || !elementsOf(*first, node.input(0)))
    return false;
  size_t n = first->elems.size();
  if (body->input_size() != node.input_size() || body->output_size() != node.output_size())
    return fail("the body takes " + Twine(body->input_size()) + " inputs and yields " +
                Twine(body->output_size()) + " outputs, for " + Twine(node.input_size()) + " and " +
                Twine(node.output_size()));
  std::vector<const Structured *> inputs;
  for (int k = 0; k < node.input_size(); ++k) {
    const Structured *s = node.input(k).empty() ? nullptr : scope.find(node.input(k));
    if (s && (!s->sequence || s->optional))
      return fail("input '" + node.input(k) + "' is " + kindName(*s));
    if (s && s->elems.size() != n)
      return fail("input sequence '" + node.input(k) + "' has length " + Twine(s->elems.size()) +
                  ", the first has " + Twine(n));
    if (s && !elementsOf(*s, node.input(k)))
      return false;
    inputs.push_back(s);
  }
  std::vector<Structured> results(node.output_size());
  for (auto &r : results)
    r.sequence = true;
  std::string saved = where;
  for (size_t i = 0; i < n; ++i) {
    std::map<std::string, std::string> names;
    for (int k = 0; k < node.input_size(); ++k)
      names[body->input(k).name()] = inputs[k] ? inputs[k]->elems[i] : node.input(k);
    std::vector<std::string> values;
    if (!inlineGraph(*body, names, out, scope, values))
      return false;
    where = saved;
    for (int k = 0; k < node.output_size(); ++k) {
      if (scope.find(values[k]))
        return fail("body output '" + body->output(k).name() + "' is not a tensor");
      results[k].elems.push_back(values[k]);
    }
  }
  for (int k = 0; k < node.output_size(); ++k)
    if (!node.output(k).empty())
      scope.structured[node.output(k)] = results[k];
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

} // namespace

bool eliminateSequences(ModelProto &model, const ImportOptions &options,
                        std::map<std::string, std::string> &origins, std::string &error) {
  return SequenceEliminator(model, options, origins, error).run();
}

std::string parseSequenceShapes(StringRef name, StringRef text, ImportOptions &options) {
  if (!text.consume_front("[") || !text.consume_back("]"))
    return "a sequence is written [D0xD1,D0xD1,...] (`scalar` for a 0-d element, [] when empty)";
  std::vector<std::vector<int64_t>> shapes;
  if (!text.trim().empty()) {
    llvm::SmallVector<StringRef> elems;
    text.split(elems, ',');
    for (StringRef e : elems) {
      e = e.trim();
      std::vector<int64_t> dims;
      if (e != "scalar") {
        llvm::SmallVector<StringRef> parts;
        e.split(parts, 'x');
        for (StringRef p : parts) {
          int64_t d;
          if (p.getAsInteger(10, d) || d < 0)
            return "'" + p.str() + "' in element '" + e.str() + "' is not a non-negative integer";
          dims.push_back(d);
        }
      }
      shapes.push_back(dims);
    }
  }
  options.sequenceShapes[name.str()] = shapes;
  return "";
}

} // namespace mcc::import

namespace mcc {

std::string describeGraphValues(const std::string &path, std::vector<GraphValueKind> &inputs,
                                std::vector<GraphValueKind> &outputs) {
  auto buf = llvm::MemoryBuffer::getFile(path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!buf)
    return "cannot read model '" + path + "': " + buf.getError().message();
  StringRef bytes = (*buf)->getBuffer();
  google::protobuf::io::CodedInputStream stream(reinterpret_cast<const uint8_t *>(bytes.data()),
                                                (int)std::min<size_t>(bytes.size(), INT_MAX));
  stream.SetTotalBytesLimit(INT_MAX);
  ::onnx::ModelProto model;
  if (!model.ParseFromCodedStream(&stream))
    return "'" + path + "' is not a valid ONNX model";
  auto kindOf = [](const ::onnx::TypeProto &t, GraphValueKind &k) {
    if (t.has_sequence_type())
      k.kind = GraphValueKind::Sequence;
    if (t.has_optional_type()) {
      k.kind = GraphValueKind::Optional;
      if (t.optional_type().elem_type().has_sequence_type())
        k.inner = GraphValueKind::Sequence;
    }
    if (t.has_tensor_type() && t.tensor_type().has_shape()) {
      k.shape.emplace();
      for (const auto &d : t.tensor_type().shape().dim())
        k.shape->push_back(d.has_dim_value() ? d.dim_value() : -1);
    }
  };
  llvm::StringSet<> initializers;
  for (const auto &t : model.graph().initializer())
    initializers.insert(t.name());
  for (const auto &vi : model.graph().input()) {
    if (initializers.contains(vi.name()))
      continue;
    GraphValueKind k;
    k.name = vi.name();
    kindOf(vi.type(), k);
    inputs.push_back(k);
  }
  for (const auto &vi : model.graph().output()) {
    GraphValueKind k;
    k.name = vi.name();
    kindOf(vi.type(), k);
    outputs.push_back(k);
  }
  return "";
}

} // namespace mcc
