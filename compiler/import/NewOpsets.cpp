//===- NewOpsets.cpp - opset 18-21 node forms -> forms libonnx 1.12 knows -===//
//
// libonnx 1.12 stops at opset 17: for a model at opset 18-21 it picks the opset-17 schemas, so its shape
// inference (and the generic importer after it) would read newer node forms with older rules. Before shape
// inference, every node whose schema changed in 18..21 is rewritten in the ModelProto into an exactly
// equivalent node of the older form, or expanded into older ops; a form with no exact equivalent is an error
// naming the node, the op and the attribute or input.
//
//===----------------------------------------------------------------------===//
#include "compiler/import/ImportInternal.h"

#include "onnx/defs/schema.h"
#include "onnx/defs/shape_inference.h"
#include "onnx/shape_inference/implementation.h"
#include "llvm/ADT/STLExtras.h"

#include <cmath>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>

namespace mcc::import {
namespace {

using ::onnx::AttributeProto;
using ::onnx::GraphProto;
using ::onnx::ModelProto;
using ::onnx::NodeProto;
using ::onnx::TensorProto;

constexpr int64_t kNewestOpset = 28;

/// Element type and static shape of a value, when known before shape inference.
struct ValueType {
  int32_t elem = 0;
  std::vector<int64_t> dims;
};

const AttributeProto *findAttr(const NodeProto &n, const std::string &name) {
  for (const auto &a : n.attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}
int64_t attrInt(const NodeProto &n, const std::string &name, int64_t dflt) {
  const AttributeProto *a = findAttr(n, name);
  return a ? a->i() : dflt;
}
std::string attrStr(const NodeProto &n, const std::string &name, const std::string &dflt) {
  const AttributeProto *a = findAttr(n, name);
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

/// Names the element types ONNX gained after IR version 8 that mcc has no MLIR type for.
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

class NewOpsetRewriter {
public:
  NewOpsetRewriter(ModelProto &model, int64_t opset, std::string &error) : model(model), opset(opset), error(error) {}

  bool run() {
    GraphProto &g = *model.mutable_graph();
    for (const auto &t : g.initializer())
      constants[t.name()] = t;
    for (const auto &vi : g.input())
      recordValueInfo(vi);
    return rewriteGraph(g, /*top=*/true);
  }

private:
  // --- where values come from -------------------------------------------------------------------------------
  void recordValueInfo(const ::onnx::ValueInfoProto &vi) {
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

  const TensorProto *constant(const std::string &name) {
    auto it = constants.find(name);
    return it == constants.end() ? nullptr : &it->second;
  }

  /// The type of `name`, running shape inference on the rewritten top-level nodes so far when needed.
  std::optional<ValueType> typeOf(const std::string &name) {
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
  void inferPrefix() {
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

  // --- building nodes ----------------------------------------------------------------------------------------
  std::string fresh(const std::string &base) { return base + "__mcc" + std::to_string(counter++); }

  NodeProto &emit(const NodeProto &from, const std::string &op, std::vector<std::string> inputs,
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
  /// A fresh value computed by `op` from `inputs`.
  std::string emitValue(const NodeProto &from, const std::string &op, std::vector<std::string> inputs,
                        NodeProto **node = nullptr) {
    std::string name = fresh(from.output(0));
    NodeProto &n = emit(from, op, std::move(inputs), {name});
    if (node)
      *node = &n;
    return name;
  }
  std::string intsConstant(const NodeProto &from, const std::vector<int64_t> &values) {
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
  std::string scalarLike(const NodeProto &from, double v, int32_t elem, const std::string &like) {
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

  // --- errors -------------------------------------------------------------------------------------------------
  bool fail(const NodeProto &n, const std::string &what) {
    error = "node " + (n.name().empty() ? "#" + std::to_string(nodeIndex) : "'" + n.name() + "'") + " (" + n.op_type() +
            "): " + what;
    return false;
  }
  bool needConstInts(const NodeProto &n, int input, const std::string &what, std::vector<int64_t> &v) {
    const TensorProto *t = constant(n.input(input));
    if (!t || !tensorInts(*t, v))
      return fail(n, what + " (input '" + n.input(input) +
                         "') must be a constant integer tensor (an initializer or a Constant)");
    return true;
  }
  bool needType(const NodeProto &n, const std::string &value, ValueType &t) {
    auto v = typeOf(value);
    if (!v)
      return fail(n, "the shape of '" + value + "' must be static to rewrite this opset-" + std::to_string(opset) +
                         " form (pin graph inputs with --shape)");
    t = *v;
    return true;
  }
  bool normalizeAxes(const NodeProto &n, std::vector<int64_t> &axes, int64_t rank) {
    for (int64_t &a : axes) {
      if (a < -rank || a >= rank)
        return fail(n, "axis " + std::to_string(a) + " is out of range for rank " + std::to_string(rank));
      if (a < 0)
        a += rank;
    }
    return true;
  }

  // --- the graph walk ------------------------------------------------------------------------------------------
  bool rewriteGraph(GraphProto &g, bool top) {
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

  bool rewriteNode(NodeProto &n) {
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

  void recordConstant(const NodeProto &n) {
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

  static const char *unsupportedNewOp(const std::string &op) {
    static const std::map<std::string, const char *> ops = {{"Col2Im", "18"},       {"DeformConv", "19"},
                                                            {"ImageDecoder", "20"}, {"RegexFullMatch", "20"},
                                                            {"StringConcat", "20"}, {"StringSplit", "20"}};
    auto it = ops.find(op);
    return it == ops.end() ? nullptr : it->second;
  }

  // --- opset 18: reductions take axes as an input --------------------------------------------------------------
  static bool isReduce(const std::string &op) {
    static const char *ops[] = {"ReduceMax", "ReduceMin",    "ReduceMean",      "ReduceProd",     "ReduceL1",
                                "ReduceL2",  "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare"};
    for (const char *o : ops)
      if (op == o)
        return true;
    return false;
  }
  bool reduce(NodeProto &n, bool &keep) {
    std::vector<int64_t> axes;
    if (hasInput(n, 1) && !needConstInts(n, 1, "axes", axes))
      return false;
    bool noop = attrInt(n, "noop_with_empty_axes", 0) != 0;
    removeAttr(n, "noop_with_empty_axes");
    while (n.input_size() > 1)
      n.mutable_input()->RemoveLast();
    if (axes.empty() && noop) {
      keep = false;
      emit(n, "Identity", {n.input(0)}, {n.output(0)});
      return true;
    }
    if (!axes.empty())
      setInts(n, "axes", axes);
    if (opset >= 20 && (n.op_type() == "ReduceMax" || n.op_type() == "ReduceMin")) {
      // Opset 20 reduces bool tensors too: as uint8 0/1 (an empty max is 0 = false, an empty min 255 = true).
      auto x = typeOf(n.input(0));
      if (x && x->elem == TensorProto::BOOL) {
        keep = false;
        NodeProto *c;
        std::string wide = emitValue(n, "Cast", {n.input(0)}, &c);
        setInt(*c, "to", TensorProto::UINT8);
        NodeProto r = n;
        r.set_input(0, wide);
        r.set_output(0, fresh(n.output(0)));
        out->push_back(r);
        NodeProto &back = emit(n, "Cast", {r.output(0)}, {n.output(0)});
        setInt(back, "to", TensorProto::BOOL);
      }
    }
    return true;
  }

  // --- opset 18: Split num_outputs ---------------------------------------------------------------------------
  bool split(NodeProto &n) {
    const AttributeProto *numAttr = findAttr(n, "num_outputs");
    if (!numAttr)
      return true;
    int64_t num = numAttr->i();
    removeAttr(n, "num_outputs");
    if (hasInput(n, 1))
      return fail(n, "attribute 'num_outputs' and input 'split' are exclusive");
    if (num < 1 || num != n.output_size())
      return fail(n, "attribute 'num_outputs' (" + std::to_string(num) + ") differs from the " +
                         std::to_string(n.output_size()) + " outputs");
    ValueType t;
    if (!needType(n, n.input(0), t))
      return false;
    std::vector<int64_t> axis = {attrInt(n, "axis", 0)};
    if (!normalizeAxes(n, axis, (int64_t)t.dims.size()))
      return false;
    int64_t dim = t.dims[axis[0]];
    if (dim % num == 0)
      return true; // Split-13 without sizes splits evenly
    // Chunks of ceil(dim / num), the last one smaller.
    int64_t chunk = (dim + num - 1) / num, last = dim - chunk * (num - 1);
    if (last <= 0)
      return fail(n, "dimension " + std::to_string(dim) + " cannot be split into " + std::to_string(num) +
                         " chunks of " + std::to_string(chunk));
    std::vector<int64_t> sizes(num, chunk);
    sizes.back() = last;
    while (n.input_size() < 2)
      n.add_input("");
    n.set_input(1, intsConstant(n, sizes));
    return true;
  }

  // --- opset 18: Pad axes; opset 19: wrap ----------------------------------------------------------------------
  bool pad(NodeProto &n, bool &keep) {
    bool wrap = attrStr(n, "mode", "constant") == "wrap";
    if (!hasInput(n, 3) && !wrap) {
      while (n.input_size() > 3)
        n.mutable_input()->RemoveLast();
      return true;
    }
    std::vector<int64_t> axes, pads;
    if (!needConstInts(n, 1, "pads", pads) || (hasInput(n, 3) && !needConstInts(n, 3, "axes", axes)))
      return false;
    ValueType t;
    if (!needType(n, n.input(0), t))
      return false;
    int64_t rank = (int64_t)t.dims.size();
    if (!hasInput(n, 3))
      for (int64_t i = 0; i < rank; ++i)
        axes.push_back(i);
    if (!normalizeAxes(n, axes, rank))
      return false;
    if (pads.size() != 2 * axes.size())
      return fail(n, "input 'pads' has " + std::to_string(pads.size()) + " values for " + std::to_string(axes.size()) +
                         " axes");
    std::vector<int64_t> full(2 * rank, 0);
    for (size_t i = 0; i < axes.size(); ++i) {
      full[axes[i]] = pads[i];
      full[rank + axes[i]] = pads[axes.size() + i];
    }
    if (wrap)
      return keep = false, padWrap(n, t, full);
    n.set_input(1, intsConstant(n, full));
    while (n.input_size() > 3)
      n.mutable_input()->RemoveLast();
    return true;
  }

  /// Pad-19 mode wrap: per axis, the last pad_begin elements before and the first pad_end after (numpy's
  /// "wrap", axis by axis, so corners wrap in both dims).
  bool padWrap(const NodeProto &n, const ValueType &t, const std::vector<int64_t> &pads) {
    int64_t rank = (int64_t)t.dims.size();
    std::string v = n.input(0);
    for (int64_t i = 0; i < rank; ++i) {
      int64_t d = t.dims[i], before = pads[i], after = pads[rank + i];
      if (before < 0 || after < 0)
        return fail(n, "attribute 'mode' = 'wrap' with negative pads is not supported");
      if (before > d || after > d)
        return fail(n, "attribute 'mode' = 'wrap' with pads larger than the dimension (" + std::to_string(d) +
                           ") is not supported");
      if (before == 0 && after == 0)
        continue;
      std::vector<std::string> parts;
      std::string axis = intsConstant(n, {i});
      if (before > 0)
        parts.push_back(emitValue(n, "Slice", {v, intsConstant(n, {d - before}), intsConstant(n, {d}), axis}));
      parts.push_back(v);
      if (after > 0)
        parts.push_back(emitValue(n, "Slice", {v, intsConstant(n, {0}), intsConstant(n, {after}), axis}));
      NodeProto *concat;
      v = emitValue(n, "Concat", parts, &concat);
      setInt(*concat, "axis", i);
    }
    emit(n, "Identity", {v}, {n.output(0)});
    return true;
  }

  // --- opset 18/19: Resize antialias, axes, keep_aspect_ratio_policy, half_pixel_symmetric --------------------
  bool resize(NodeProto &n) {
    bool symmetric = attrStr(n, "coordinate_transformation_mode", "half_pixel") == "half_pixel_symmetric";
    // Antialiasing only changes linear and cubic interpolation.
    int64_t antialias = attrStr(n, "mode", "nearest") == "nearest" ? 0 : attrInt(n, "antialias", 0);
    std::string policy = attrStr(n, "keep_aspect_ratio_policy", "stretch");
    const AttributeProto *axesAttr = findAttr(n, "axes");
    removeAttr(n, "antialias");
    removeAttr(n, "keep_aspect_ratio_policy");
    if (!axesAttr && policy == "stretch" && antialias == 0 && !symmetric)
      return true;
    std::vector<int64_t> axes;
    if (axesAttr)
      axes.assign(axesAttr->ints().begin(), axesAttr->ints().end());
    removeAttr(n, "axes");
    ValueType x;
    if (!needType(n, n.input(0), x))
      return false;
    int64_t rank = (int64_t)x.dims.size();
    if (axesAttr) {
      if (!normalizeAxes(n, axes, rank))
        return false;
    } else {
      for (int64_t i = 0; i < rank; ++i)
        axes.push_back(i);
    }
    size_t k = axes.size();
    std::vector<double> scales;
    std::vector<int64_t> sizes;
    std::vector<double> roi;
    if (hasInput(n, 2)) {
      const TensorProto *t = constant(n.input(2));
      if (!t || !tensorFloats(*t, scales))
        return fail(n, "input 'scales' must be a constant float tensor to rewrite this opset-" + std::to_string(opset) +
                           " form");
    }
    if (hasInput(n, 3) && !needConstInts(n, 3, "sizes", sizes))
      return false;
    if (hasInput(n, 1)) {
      const TensorProto *t = constant(n.input(1));
      if (!t || !tensorFloats(*t, roi))
        return fail(n, "input 'roi' must be a constant float tensor to rewrite this opset-" + std::to_string(opset) +
                           " form");
    }
    if ((!scales.empty() && scales.size() != k) || (!sizes.empty() && sizes.size() != k) ||
        (!roi.empty() && roi.size() != 2 * k))
      return fail(n, "inputs 'roi', 'scales' or 'sizes' do not match the " + std::to_string(k) + " axes");
    if (scales.empty() == sizes.empty())
      return fail(n, "exactly one of the inputs 'scales' and 'sizes' must be given");

    if (policy != "stretch") {
      if (sizes.empty())
        return fail(n, "attribute 'keep_aspect_ratio_policy' needs the input 'sizes'");
      if (policy != "not_larger" && policy != "not_smaller")
        return fail(n, "attribute 'keep_aspect_ratio_policy' = '" + policy + "' is not one of stretch, " +
                           "not_larger, not_smaller");
      // One scale for every axis; each output size is round(scale * input size). Resize-13 with that scale
      // computes floor(scale * input size): the same whenever the fraction is below one half.
      float s = policy == "not_larger" ? INFINITY : 0.f;
      for (size_t i = 0; i < k; ++i) {
        float r = (float)sizes[i] / (float)x.dims[axes[i]];
        s = policy == "not_larger" ? std::min(s, r) : std::max(s, r);
      }
      scales.assign(k, s);
      for (size_t i = 0; i < k; ++i) {
        double v = (double)s * (double)x.dims[axes[i]];
        if (std::floor(v) != std::nearbyint(v))
          return fail(n, "attribute 'keep_aspect_ratio_policy' = '" + policy + "' rounds axis " +
                             std::to_string(axes[i]) + " up to " + std::to_string((int64_t)std::nearbyint(v)) +
                             ", which the scales form cannot express");
      }
      sizes.clear();
    }
    if (antialias != 0) {
      // The antialiasing filter only differs from plain interpolation when downscaling.
      for (size_t i = 0; i < k; ++i) {
        double s = scales.empty() ? (double)sizes[i] / (double)x.dims[axes[i]] : scales[i];
        if (s < 1.0)
          return fail(n, "attribute 'antialias' = 1 while downscaling axis " + std::to_string(axes[i]) +
                             " is not supported");
      }
    }
    if (symmetric) {
      // half_pixel_symmetric shifts the sampling grid by (1 - output size / (scale * input size)) times
      // half the input: nothing when scale * input size is the integer output size, as with 'sizes'.
      for (size_t i = 0; i < k && !scales.empty(); ++i) {
        double v = scales[i] * (double)x.dims[axes[i]];
        if (v != std::floor(v))
          return fail(n, "attribute 'coordinate_transformation_mode' = 'half_pixel_symmetric' with a scale " +
                             std::string("that does not give axis ") + std::to_string(axes[i]) +
                             " an integer size is not supported");
      }
      setStr(n, "coordinate_transformation_mode", "half_pixel");
    }
    // Full-rank roi, scales and sizes: the axes left out keep their size.
    while (n.input_size() < 4)
      n.add_input("");
    if (!roi.empty()) {
      std::vector<double> full(2 * rank);
      for (int64_t i = 0; i < rank; ++i)
        full[i] = 0, full[rank + i] = 1;
      for (size_t i = 0; i < k; ++i)
        full[axes[i]] = roi[i], full[rank + axes[i]] = roi[k + i];
      n.set_input(1, floatsConstant(n, full));
    }
    if (!scales.empty()) {
      std::vector<double> full(rank, 1.0);
      for (size_t i = 0; i < k; ++i)
        full[axes[i]] = scales[i];
      n.set_input(2, floatsConstant(n, full));
      n.set_input(3, "");
    } else {
      std::vector<int64_t> full(x.dims);
      for (size_t i = 0; i < k; ++i)
        full[axes[i]] = sizes[i];
      n.set_input(3, intsConstant(n, full));
      n.set_input(2, "");
    }
    while (n.input_size() > 0 && n.input(n.input_size() - 1).empty())
      n.mutable_input()->RemoveLast();
    return true;
  }
  std::string floatsConstant(const NodeProto &from, const std::vector<double> &values) {
    std::string name = fresh(from.output(0));
    TensorProto t;
    t.set_name(name);
    t.set_data_type(TensorProto::FLOAT);
    t.add_dims((int64_t)values.size());
    for (double v : values)
      t.add_float_data((float)v);
    NodeProto &n = emit(from, "Constant", {}, {name});
    *setAttr(n, "value", AttributeProto::TENSOR)->mutable_t() = t;
    constants[name] = t;
    return name;
  }

  // --- opset 18: LpPool ceil_mode and dilations; opset 19: AveragePool dilations -------------------------------
  bool unitDilations(NodeProto &n) {
    const AttributeProto *d = findAttr(n, "dilations");
    if (!d)
      return true;
    for (int64_t v : d->ints())
      if (v != 1)
        return fail(n, "attribute 'dilations' other than 1 is not supported at opset " + std::to_string(opset));
    removeAttr(n, "dilations");
    return true;
  }
  /// AveragePool-19 with dilations: libonnx 1.12's shape rule ignores them, so the windows are summed by a
  /// depthwise Conv with a kernel of ones, then divided by the window size or, without count_include_pad, by
  /// the number of input elements each window covers (the same Conv over ones).
  bool averagePool(NodeProto &n, bool &keep) {
    const AttributeProto *d = findAttr(n, "dilations");
    if (!d || llvm::all_of(d->ints(), [](int64_t v) { return v == 1; }))
      return unitDilations(n);
    keep = false;
    ValueType x;
    if (!floatInput(n, x))
      return false;
    const AttributeProto *ks = findAttr(n, "kernel_shape");
    size_t r = ks ? ks->ints_size() : 0;
    if (!ks || x.dims.size() != r + 2 || (size_t)d->ints_size() != r)
      return fail(n, "attributes 'kernel_shape' and 'dilations' must match the input's spatial rank");
    std::string autoPad = attrStr(n, "auto_pad", "NOTSET");
    if (autoPad != "NOTSET" && autoPad != "VALID")
      return fail(n, "attribute 'auto_pad' = '" + autoPad + "' with dilations is not supported");
    std::vector<int64_t> kernel(ks->ints().begin(), ks->ints().end()), dil(d->ints().begin(), d->ints().end());
    std::vector<int64_t> pads(2 * r, 0), strides(r, 1);
    if (const AttributeProto *p = findAttr(n, "pads"); p && autoPad == "NOTSET")
      pads.assign(p->ints().begin(), p->ints().end());
    if (const AttributeProto *s = findAttr(n, "strides"))
      strides.assign(s->ints().begin(), s->ints().end());
    if (pads.size() != 2 * r || strides.size() != r)
      return fail(n, "attributes 'pads' or 'strides' do not match 'kernel_shape'");
    if (attrInt(n, "ceil_mode", 0) != 0)
      for (size_t i = 0; i < r; ++i) {
        int64_t span = x.dims[2 + i] + pads[i] + pads[r + i] - dil[i] * (kernel[i] - 1) - 1;
        if (span >= 0 && span % strides[i] != 0)
          return fail(n, "attribute 'ceil_mode' = 1 with dilations is not supported when it adds a window");
      }
    auto convAttrs = [&](NodeProto &conv, int64_t group) {
      setInts(conv, "kernel_shape", kernel);
      setInts(conv, "dilations", dil);
      setInts(conv, "pads", pads);
      setInts(conv, "strides", strides);
      setInt(conv, "group", group);
    };
    auto onesLike = [&](std::vector<int64_t> dims) {
      std::string name = fresh(n.output(0));
      TensorProto t;
      t.set_name(name);
      t.set_data_type(TensorProto::FLOAT);
      int64_t numel = 1;
      for (int64_t v : dims)
        t.add_dims(v), numel *= v;
      for (int64_t i = 0; i < numel; ++i)
        t.add_float_data(1.f);
      NodeProto &c = emit(n, "Constant", {}, {name});
      *setAttr(c, "value", AttributeProto::TENSOR)->mutable_t() = t;
      constants[name] = t;
      return x.elem == TensorProto::FLOAT ? name : emitValue(n, "CastLike", {name, n.input(0)});
    };
    int64_t channels = x.dims[1];
    std::vector<int64_t> wShape = {channels, 1};
    wShape.insert(wShape.end(), kernel.begin(), kernel.end());
    NodeProto *conv;
    std::string sums = emitValue(n, "Conv", {n.input(0), onesLike(wShape)}, &conv);
    convAttrs(*conv, channels);
    std::string divisor;
    if (attrInt(n, "count_include_pad", 0) != 0) {
      int64_t size = 1;
      for (int64_t k : kernel)
        size *= k;
      divisor = scalarLike(n, (double)size, x.elem, n.input(0));
    } else {
      std::vector<int64_t> plane = {1, 1}, kShape = {1, 1};
      plane.insert(plane.end(), x.dims.begin() + 2, x.dims.end());
      kShape.insert(kShape.end(), kernel.begin(), kernel.end());
      divisor = emitValue(n, "Conv", {onesLike(plane), onesLike(kShape)}, &conv);
      convAttrs(*conv, 1);
    }
    emit(n, "Div", {sums, divisor}, {n.output(0)});
    return true;
  }
  bool lpPool(NodeProto &n, bool &keep) {
    const AttributeProto *d = findAttr(n, "dilations");
    bool dilated = d && !llvm::all_of(d->ints(), [](int64_t v) { return v == 1; });
    if (!dilated)
      removeAttr(n, "dilations");
    int64_t ceil = attrInt(n, "ceil_mode", 0);
    removeAttr(n, "ceil_mode");
    bool autoPad = attrStr(n, "auto_pad", "NOTSET") != "NOTSET";
    if (!dilated && (ceil == 0 || autoPad))
      return true; // auto_pad fixes the output size; ceil_mode has no effect then
    if (dilated && autoPad)
      return fail(n, "attribute 'auto_pad' with dilations is not supported");
    ValueType x;
    if (!needType(n, n.input(0), x))
      return false;
    const AttributeProto *ks = findAttr(n, "kernel_shape");
    if (!ks)
      return fail(n, "missing attribute 'kernel_shape'");
    size_t r = ks->ints_size();
    if (x.dims.size() != r + 2)
      return fail(n, "attribute 'kernel_shape' does not match the input rank");
    std::vector<int64_t> kernel(ks->ints().begin(), ks->ints().end()), pads(2 * r, 0), strides(r, 1), dil(r, 1);
    if (const AttributeProto *p = findAttr(n, "pads"))
      pads.assign(p->ints().begin(), p->ints().end());
    if (const AttributeProto *s = findAttr(n, "strides"))
      strides.assign(s->ints().begin(), s->ints().end());
    if (dilated)
      dil.assign(d->ints().begin(), d->ints().end());
    if (pads.size() != 2 * r || strides.size() != r || dil.size() != r)
      return fail(n, "attributes 'pads', 'strides' or 'dilations' do not match 'kernel_shape'");
    // A ceil-mode window past the end reads |x|^p of nothing; zero padding adds 0: pad the end instead.
    for (size_t i = 0; i < r && ceil != 0; ++i) {
      int64_t in = x.dims[2 + i], k = dil[i] * (kernel[i] - 1) + 1, s = strides[i];
      int64_t span = in + pads[i] + pads[r + i] - k;
      if (span < 0 || s < 1)
        continue;
      int64_t outLen = (span + s - 1) / s + 1;
      if ((outLen - 1) * s >= in + pads[i]) // the last window must start inside the input or its begin pad
        --outLen;
      int64_t need = (outLen - 1) * s + k - (in + pads[i] + pads[r + i]);
      if (need > 0)
        pads[r + i] += need;
    }
    if (!dilated) {
      setInts(n, "pads", pads);
      return true;
    }
    // Dilated windows (libonnx 1.12's shape rule ignores dilations): (sum of |x|^p)^(1/p), the sum by a
    // depthwise Conv with a kernel of ones.
    keep = false;
    if (!floatInput(n, x))
      return false;
    int64_t p = attrInt(n, "p", 2);
    if (p < 1)
      return fail(n, "attribute 'p' must be positive");
    std::string powered = emitValue(n, "Abs", {n.input(0)});
    if (p != 1)
      powered = emitValue(n, "Pow", {powered, scalarLike(n, (double)p, x.elem, n.input(0))});
    std::string ones = fresh(n.output(0));
    TensorProto t;
    t.set_name(ones);
    t.set_data_type(TensorProto::FLOAT);
    int64_t numel = x.dims[1];
    t.add_dims(x.dims[1]);
    t.add_dims(1);
    for (int64_t k : kernel)
      t.add_dims(k), numel *= k;
    for (int64_t i = 0; i < numel; ++i)
      t.add_float_data(1.f);
    NodeProto &c = emit(n, "Constant", {}, {ones});
    *setAttr(c, "value", AttributeProto::TENSOR)->mutable_t() = t;
    constants[ones] = t;
    if (x.elem != TensorProto::FLOAT)
      ones = emitValue(n, "CastLike", {ones, n.input(0)});
    NodeProto *conv;
    std::string sums = emitValue(n, "Conv", {powered, ones}, &conv);
    setInts(*conv, "kernel_shape", kernel);
    setInts(*conv, "dilations", dil);
    setInts(*conv, "pads", pads);
    setInts(*conv, "strides", strides);
    setInt(*conv, "group", x.dims[1]);
    if (p == 1)
      emit(n, "Identity", {sums}, {n.output(0)});
    else if (p == 2)
      emit(n, "Sqrt", {sums}, {n.output(0)});
    else
      emit(n, "Pow", {sums, scalarLike(n, 1.0 / (double)p, x.elem, n.input(0))}, {n.output(0)});
    return true;
  }

  // --- opset 19/21: Cast saturate, float8 and 4-bit types ---------------------------------------------------
  bool cast(NodeProto &n) {
    removeAttr(n, "saturate"); // only float8 targets saturate; those are rejected below
    if (n.op_type() == "Cast")
      if (const char *t = newElementTypeName(attrInt(n, "to", 1)))
        return fail(n, std::string("attribute 'to' = ") + t + " is not supported");
    return true;
  }

  // --- opset 19/21: QuantizeLinear/DequantizeLinear saturate, block_size, output_dtype ------------------------
  bool quantize(NodeProto &n) {
    removeAttr(n, "saturate");
    if (attrInt(n, "block_size", 0) != 0)
      return fail(n, "attribute 'block_size' (blocked quantization) is not supported");
    removeAttr(n, "block_size");
    int64_t outType = attrInt(n, "output_dtype", 0);
    removeAttr(n, "output_dtype");
    if (outType == 0)
      return true;
    if (const char *t = newElementTypeName(outType))
      return fail(n, std::string("attribute 'output_dtype' = ") + t + " is not supported");
    if (hasInput(n, 2)) {
      auto zp = typeOf(n.input(2));
      if (zp && zp->elem != outType)
        return fail(n, "attribute 'output_dtype' differs from the type of 'y_zero_point'");
      return true;
    }
    if (outType == TensorProto::UINT8)
      return true;
    // The zero point's type selects the output type in the older form: a zero of the requested type.
    ValueType scale;
    if (!needType(n, n.input(1), scale))
      return false;
    std::string zero = fresh(n.output(0));
    TensorProto t;
    t.set_name(zero);
    t.set_data_type((int32_t)outType);
    int64_t numel = 1;
    for (int64_t d : scale.dims)
      t.add_dims(d), numel *= d;
    size_t bytes = outType == TensorProto::INT8 || outType == TensorProto::UINT8     ? 1
                   : outType == TensorProto::INT16 || outType == TensorProto::UINT16 ? 2
                   : outType == TensorProto::INT32                                   ? 4
                                                                                     : 0;
    if (bytes == 0)
      return fail(n, "attribute 'output_dtype' = " + std::to_string(outType) + " is not supported");
    t.set_raw_data(std::string(numel * bytes, '\0'));
    NodeProto &c = emit(n, "Constant", {}, {zero});
    *setAttr(c, "value", AttributeProto::TENSOR)->mutable_t() = t;
    constants[zero] = t;
    while (n.input_size() < 3)
      n.add_input("");
    n.set_input(2, zero);
    return true;
  }

  // --- opset 20: DFT axis input; GridSample mode names and rank ----------------------------------------------
  bool dft(NodeProto &n) {
    if (opset < 20)
      return true;
    int64_t axis = -2;
    if (hasInput(n, 2)) {
      std::vector<int64_t> v;
      if (!needConstInts(n, 2, "axis", v))
        return false;
      if (v.size() != 1)
        return fail(n, "input 'axis' must hold one value");
      axis = v[0];
    }
    if (axis < 0) {
      ValueType x;
      if (!needType(n, n.input(0), x))
        return false;
      axis += (int64_t)x.dims.size();
    }
    while (n.input_size() > 2)
      n.mutable_input()->RemoveLast();
    setInt(n, "axis", axis);
    return true;
  }
  bool gridSample(NodeProto &n) {
    if (opset < 20)
      return true;
    std::string mode = attrStr(n, "mode", "linear");
    if (mode == "linear")
      mode = "bilinear";
    else if (mode == "cubic")
      mode = "bicubic";
    else if (mode != "nearest")
      return fail(n, "attribute 'mode' = '" + mode + "' is not one of linear, cubic, nearest");
    ValueType x;
    if (!needType(n, n.input(0), x))
      return false;
    if (x.dims.size() != 4)
      return fail(n, "only rank-4 inputs are supported (got rank " + std::to_string(x.dims.size()) + ")");
    setStr(n, "mode", mode);
    return true;
  }

  // --- ops new in 18..21, expanded into older ones ----------------------------------------------------------
  bool floatInput(const NodeProto &n, ValueType &x) {
    if (!needType(n, n.input(0), x))
      return false;
    if (x.elem != TensorProto::FLOAT && x.elem != TensorProto::DOUBLE && x.elem != TensorProto::FLOAT16 &&
        x.elem != TensorProto::BFLOAT16)
      return fail(n, "input '" + n.input(0) + "' must be a floating-point tensor");
    return true;
  }

  /// Mish(x) = x * tanh(softplus(x)).
  bool mish(const NodeProto &n) {
    std::string sp = emitValue(n, "Softplus", {n.input(0)});
    std::string th = emitValue(n, "Tanh", {sp});
    emit(n, "Mul", {n.input(0), th}, {n.output(0)});
    return true;
  }

  /// Gelu(x) = x/2 (1 + erf(x/sqrt 2)), or with approximate = tanh: x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
  bool gelu(const NodeProto &n) {
    ValueType x;
    if (!floatInput(n, x))
      return false;
    const std::string &in = n.input(0);
    std::string approx = attrStr(n, "approximate", "none");
    std::string inner;
    if (approx == "none") {
      std::string scaled = emitValue(n, "Mul", {in, scalarLike(n, M_SQRT1_2, x.elem, in)});
      inner = emitValue(n, "Erf", {scaled});
    } else if (approx == "tanh") {
      std::string cube = emitValue(n, "Mul", {emitValue(n, "Mul", {in, in}), in});
      std::string sum = emitValue(n, "Add", {in, emitValue(n, "Mul", {cube, scalarLike(n, 0.044715, x.elem, in)})});
      std::string arg = emitValue(n, "Mul", {sum, scalarLike(n, std::sqrt(2.0 / M_PI), x.elem, in)});
      inner = emitValue(n, "Tanh", {arg});
    } else {
      return fail(n, "attribute 'approximate' = '" + approx + "' is not one of none, tanh");
    }
    std::string onePlus = emitValue(n, "Add", {inner, scalarLike(n, 1.0, x.elem, in)});
    std::string half = emitValue(n, "Mul", {in, scalarLike(n, 0.5, x.elem, in)});
    emit(n, "Mul", {half, onePlus}, {n.output(0)});
    return true;
  }

  /// GroupNormalization: the channels in groups of C/G, each normalised over its channels and spatial dims;
  /// scale and bias per group (opset 18) or per channel (opset 21). Opset 21 normalises in stash_type (float).
  bool groupNorm(const NodeProto &n) {
    ValueType x;
    if (!floatInput(n, x))
      return false;
    const AttributeProto *groupsAttr = findAttr(n, "num_groups");
    if (!groupsAttr)
      return fail(n, "missing attribute 'num_groups'");
    int64_t g = groupsAttr->i(), rank = (int64_t)x.dims.size();
    if (rank < 2 || g < 1 || x.dims[1] % g != 0)
      return fail(n, "the input's channel count must be a multiple of 'num_groups' (" + std::to_string(g) + ")");
    int64_t c = x.dims[1];
    bool perChannel = opset >= 21;
    ValueType scaleType;
    if (!needType(n, n.input(1), scaleType))
      return false;
    int64_t want = perChannel ? c : g;
    if (scaleType.dims.size() != 1 || scaleType.dims[0] != want)
      return fail(n, "input 'scale' must have shape [" + std::to_string(want) + "] at opset " + std::to_string(opset));
    int64_t stash = perChannel ? attrInt(n, "stash_type", 1) : x.elem;
    if (perChannel && stash != TensorProto::FLOAT)
      return fail(n, "attribute 'stash_type' other than 1 (float) is not supported");
    float eps = findAttr(n, "epsilon") ? findAttr(n, "epsilon")->f() : 1e-5f;

    std::string in = n.input(0);
    int32_t calcType = x.elem;
    if (stash != x.elem) {
      NodeProto *c0;
      in = emitValue(n, "Cast", {in}, &c0);
      setInt(*c0, "to", stash);
      calcType = (int32_t)stash;
    }
    std::string grouped = emitValue(n, "Reshape", {in, intsConstant(n, {x.dims[0], g, -1})});
    NodeProto *r;
    std::string mean = emitValue(n, "ReduceMean", {grouped}, &r);
    setInts(*r, "axes", {2});
    std::string centred = emitValue(n, "Sub", {grouped, mean});
    std::string var = emitValue(n, "ReduceMean", {emitValue(n, "Mul", {centred, centred})}, &r);
    setInts(*r, "axes", {2});
    std::string stddev = emitValue(n, "Sqrt", {emitValue(n, "Add", {var, scalarLike(n, eps, calcType, var)})});
    std::string normed = emitValue(n, "Div", {centred, stddev});
    std::string scale = n.input(1), bias = n.input(2);
    if (!perChannel) {
      std::string shape = intsConstant(n, {1, g, 1});
      normed = emitValue(n, "Add",
                         {emitValue(n, "Mul", {normed, emitValue(n, "Reshape", {scale, shape})}),
                          emitValue(n, "Reshape", {bias, shape})});
      emit(n, "Reshape", {normed, intsConstant(n, x.dims)}, {n.output(0)});
      return true;
    }
    std::string back = emitValue(n, "Reshape", {normed, intsConstant(n, x.dims)});
    if (stash != x.elem) {
      NodeProto *c1;
      back = emitValue(n, "Cast", {back}, &c1);
      setInt(*c1, "to", x.elem);
    }
    std::vector<int64_t> bshape(rank - 1, 1);
    bshape[0] = c;
    std::string shape = intsConstant(n, bshape);
    std::string scaled = emitValue(n, "Mul", {back, emitValue(n, "Reshape", {scale, shape})});
    emit(n, "Add", {scaled, emitValue(n, "Reshape", {bias, shape})}, {n.output(0)});
    return true;
  }

  /// CenterCropPad: per axis, crop (starting at floor(excess/2)) or zero-pad (floor(missing/2) before).
  bool centerCropPad(const NodeProto &n) {
    ValueType x;
    if (!needType(n, n.input(0), x))
      return false;
    int64_t rank = (int64_t)x.dims.size();
    std::vector<int64_t> target, axes;
    if (!needConstInts(n, 1, "shape", target))
      return false;
    if (const AttributeProto *a = findAttr(n, "axes"))
      axes.assign(a->ints().begin(), a->ints().end());
    else
      for (int64_t i = 0; i < rank; ++i)
        axes.push_back(i);
    if (!normalizeAxes(n, axes, rank))
      return false;
    if (target.size() != axes.size())
      return fail(n, "input 'shape' has " + std::to_string(target.size()) + " values for " +
                         std::to_string(axes.size()) + " axes");
    std::vector<int64_t> starts, ends, sliceAxes, pads(2 * rank, 0);
    bool anyPad = false;
    for (size_t i = 0; i < axes.size(); ++i) {
      int64_t d = x.dims[axes[i]], t = target[i];
      if (t < 0)
        return fail(n, "input 'shape' holds a negative size");
      if (t < d) {
        sliceAxes.push_back(axes[i]);
        starts.push_back((d - t) / 2);
        ends.push_back((d - t) / 2 + t);
      } else if (t > d) {
        pads[axes[i]] = (t - d) / 2;
        pads[rank + axes[i]] = t - d - (t - d) / 2;
        anyPad = true;
      }
    }
    std::string v = n.input(0);
    if (!sliceAxes.empty()) {
      std::vector<std::string> in = {v, intsConstant(n, starts), intsConstant(n, ends), intsConstant(n, sliceAxes)};
      if (!anyPad) {
        emit(n, "Slice", in, {n.output(0)});
        return true;
      }
      v = emitValue(n, "Slice", in);
    }
    if (anyPad)
      emit(n, "Pad", {v, intsConstant(n, pads)}, {n.output(0)});
    else
      emit(n, "Identity", {v}, {n.output(0)});
    return true;
  }

  /// AffineGrid: theta [N, r, r+1] applied to the homogeneous coordinates (x, y[, z], 1) of every output
  /// position, each normalised to [-1, 1] (pixel centres, or corners with align_corners): one MatMul of a
  /// compile-time base grid [1, positions, r+1] by theta transposed.
  bool affineGrid(const NodeProto &n) {
    ValueType theta;
    if (!floatInput(n, theta))
      return false;
    std::vector<int64_t> size;
    if (!needConstInts(n, 1, "size", size))
      return false;
    int64_t r = (int64_t)size.size() - 2;
    if ((r != 2 && r != 3) || theta.dims.size() != 3 || theta.dims[0] != size[0] || theta.dims[1] != r ||
        theta.dims[2] != r + 1)
      return fail(n, "input 'theta' must be [N, 2, 3] with a size of 4 values, or [N, 3, 4] with 5");
    bool corners = attrInt(n, "align_corners", 0) != 0;
    std::vector<int64_t> spatial(size.begin() + 2, size.end()); // (D,) H, W
    for (int64_t d : spatial)
      if (d < 1)
        return fail(n, "input 'size' holds a non-positive spatial size");
    auto coord = [&](int64_t i, int64_t len) -> double {
      if (corners)
        return len == 1 ? -1.0 : -1.0 + 2.0 * (double)i / (double)(len - 1);
      return (2.0 * (double)i + 1.0) / (double)len - 1.0;
    };
    int64_t positions = 1;
    for (int64_t d : spatial)
      positions *= d;
    std::vector<double> base;
    base.reserve(positions * (r + 1));
    for (int64_t p = 0; p < positions; ++p) {
      // Position p in row-major (D,) H, W order; the coordinates list x (along W) first.
      std::vector<int64_t> idx(r);
      for (int64_t a = r - 1, rest = p; a >= 0; --a)
        idx[a] = rest % spatial[a], rest /= spatial[a];
      for (int64_t a = r - 1; a >= 0; --a)
        base.push_back(coord(idx[a], spatial[a]));
      base.push_back(1.0);
    }
    std::string baseName = fresh(n.output(0));
    TensorProto t;
    t.set_name(baseName);
    t.set_data_type(TensorProto::FLOAT);
    for (int64_t d : {(int64_t)1, positions, r + 1})
      t.add_dims(d);
    for (double v : base)
      t.add_float_data((float)v);
    NodeProto &c = emit(n, "Constant", {}, {baseName});
    *setAttr(c, "value", AttributeProto::TENSOR)->mutable_t() = t;
    constants[baseName] = t;
    std::string b = baseName;
    if (theta.elem != TensorProto::FLOAT)
      b = emitValue(n, "CastLike", {b, n.input(0)});
    NodeProto *tr;
    std::string thetaT = emitValue(n, "Transpose", {n.input(0)}, &tr);
    setInts(*tr, "perm", {0, 2, 1});
    std::string grid = emitValue(n, "MatMul", {b, thetaT});
    std::vector<int64_t> outShape = {size[0]};
    outShape.insert(outShape.end(), spatial.begin(), spatial.end());
    outShape.push_back(r);
    emit(n, "Reshape", {grid, intsConstant(n, outShape)}, {n.output(0)});
    return true;
  }

  /// Col2Im: input [N, C*prod(block), L] holds, for every block position l and offset k inside the block,
  /// the value added to image position l*stride + k*dilation - pad_begin. Each (k, l) row scatters with
  /// reduction add into a zero image kept as [positions + 1, N, C]; rows landing in the padding go to the
  /// extra last position, which is sliced off.
  bool col2Im(const NodeProto &n) {
    ValueType x;
    if (!needType(n, n.input(0), x))
      return false;
    std::vector<int64_t> image, block;
    if (!needConstInts(n, 1, "image_shape", image) || !needConstInts(n, 2, "block_shape", block))
      return false;
    size_t r = image.size();
    auto ints = [&](const char *name, int64_t dflt, size_t count) {
      std::vector<int64_t> v(count, dflt);
      if (const AttributeProto *a = findAttr(n, name))
        v.assign(a->ints().begin(), a->ints().end());
      return v;
    };
    std::vector<int64_t> dil = ints("dilations", 1, r), pads = ints("pads", 0, 2 * r), str = ints("strides", 1, r);
    if (r == 0 || block.size() != r || dil.size() != r || pads.size() != 2 * r || str.size() != r)
      return fail(n, "inputs 'image_shape', 'block_shape' and attributes 'dilations', 'pads', 'strides' must "
                     "agree on the number of spatial dims");
    int64_t kp = 1, blocks = 1, positions = 1;
    std::vector<int64_t> grid(r);
    for (size_t i = 0; i < r; ++i) {
      if (block[i] < 1 || dil[i] < 1 || str[i] < 1 || image[i] < 1)
        return fail(n, "block, image, dilation and stride sizes must be positive");
      int64_t span = image[i] + pads[i] + pads[r + i] - dil[i] * (block[i] - 1) - 1;
      if (span < 0)
        return fail(n, "the block does not fit the padded image");
      grid[i] = span / str[i] + 1;
      kp *= block[i], blocks *= grid[i], positions *= image[i];
    }
    if (x.dims.size() != 3 || x.dims[1] % kp != 0 || x.dims[2] != blocks)
      return fail(n, "input must be [N, C*" + std::to_string(kp) + ", " + std::to_string(blocks) + "]");
    int64_t batch = x.dims[0], channels = x.dims[1] / kp;
    size_t eltBytes = 0;
    switch (x.elem) {
    case TensorProto::DOUBLE:
    case TensorProto::INT64:
    case TensorProto::UINT64:
      eltBytes = 8;
      break;
    case TensorProto::FLOAT:
    case TensorProto::INT32:
    case TensorProto::UINT32:
      eltBytes = 4;
      break;
    case TensorProto::FLOAT16:
    case TensorProto::BFLOAT16:
    case TensorProto::INT16:
    case TensorProto::UINT16:
      eltBytes = 2;
      break;
    case TensorProto::INT8:
    case TensorProto::UINT8:
      eltBytes = 1;
      break;
    default:
      return fail(n, "input element type " + std::to_string(x.elem) + " is not supported");
    }
    // indices[k * L + l] = the flat image position of offset k in block l, or `positions` when in the padding.
    std::vector<int64_t> indices;
    indices.reserve(kp * blocks);
    std::vector<int64_t> k(r), l(r);
    for (int64_t kf = 0; kf < kp; ++kf) {
      for (int64_t a = (int64_t)r - 1, rest = kf; a >= 0; --a)
        k[a] = rest % block[a], rest /= block[a];
      for (int64_t lf = 0; lf < blocks; ++lf) {
        for (int64_t a = (int64_t)r - 1, rest = lf; a >= 0; --a)
          l[a] = rest % grid[a], rest /= grid[a];
        int64_t flat = 0;
        bool inside = true;
        for (size_t a = 0; a < r; ++a) {
          int64_t p = l[a] * str[a] + k[a] * dil[a] - pads[a];
          inside = inside && p >= 0 && p < image[a];
          flat = flat * image[a] + p;
        }
        indices.push_back(inside ? flat : positions);
      }
    }
    std::string idxName = fresh(n.output(0));
    TensorProto idx;
    idx.set_name(idxName);
    idx.set_data_type(TensorProto::INT64);
    idx.add_dims(kp * blocks);
    idx.add_dims(1);
    for (int64_t v : indices)
      idx.add_int64_data(v);
    NodeProto &ic = emit(n, "Constant", {}, {idxName});
    *setAttr(ic, "value", AttributeProto::TENSOR)->mutable_t() = idx;
    constants[idxName] = idx;

    std::string zeroName = fresh(n.output(0));
    TensorProto zero;
    zero.set_name(zeroName);
    zero.set_data_type(x.elem);
    for (int64_t d : {positions + 1, batch, channels})
      zero.add_dims(d);
    zero.set_raw_data(std::string((positions + 1) * batch * channels * eltBytes, '\0'));
    NodeProto &zc = emit(n, "Constant", {}, {zeroName});
    *setAttr(zc, "value", AttributeProto::TENSOR)->mutable_t() = zero;
    constants[zeroName] = zero;

    std::string rows = emitValue(n, "Reshape", {n.input(0), intsConstant(n, {batch, channels, kp * blocks})});
    NodeProto *t0;
    std::string updates = emitValue(n, "Transpose", {rows}, &t0);
    setInts(*t0, "perm", {2, 0, 1});
    NodeProto *sc;
    std::string summed = emitValue(n, "ScatterND", {zeroName, idxName, updates}, &sc);
    setStr(*sc, "reduction", "add");
    std::string kept =
        emitValue(n, "Slice", {summed, intsConstant(n, {0}), intsConstant(n, {positions}), intsConstant(n, {0})});
    NodeProto *t1;
    std::string back = emitValue(n, "Transpose", {kept}, &t1);
    setInts(*t1, "perm", {1, 2, 0});
    std::vector<int64_t> outShape = {batch, channels};
    outShape.insert(outShape.end(), image.begin(), image.end());
    emit(n, "Reshape", {back, intsConstant(n, outShape)}, {n.output(0)});
    return true;
  }

  ModelProto &model;
  int64_t opset;
  std::string &error;
  std::map<std::string, TensorProto> constants;
  std::map<std::string, ValueType> types;
  std::vector<NodeProto> *out = nullptr;
  std::vector<NodeProto> *topNodes = nullptr;
  int inferredUpTo = -1;
  int nodeIndex = 0;
  int counter = 0;
};

/// The ops new in opset 18 that the onnx dialect implements directly have no schema in libonnx 1.12: they are
/// registered here (as since-version 17, the newest it accepts), so that its checker, shape inference and the
/// generic importer treat them like any other op.
void registerNewOpSchemas() {
  static std::once_flag once;
  std::call_once(once, [] {
    std::vector<std::string> ints = {"tensor(uint8)", "tensor(uint16)", "tensor(uint32)", "tensor(uint64)",
                                     "tensor(int8)",  "tensor(int16)",  "tensor(int32)",  "tensor(int64)"};
    for (const char *name : {"BitwiseAnd", "BitwiseOr", "BitwiseXor"}) {
      ::onnx::OpSchema s(name, __FILE__, __LINE__);
      s.SetDomain("")
          .SinceVersion(17)
          .Input(0, "A", "", "T")
          .Input(1, "B", "", "T")
          .Output(0, "C", "", "T")
          .TypeConstraint("T", ints, "integer tensors")
          .TypeAndShapeInferenceFunction([](::onnx::InferenceContext &ctx) {
            ::onnx::propagateElemTypeFromInputToOutput(ctx, 0, 0);
            if (::onnx::hasNInputShapes(ctx, 2))
              ::onnx::bidirectionalBroadcastShapeInference(
                  ctx.getInputType(0)->tensor_type().shape(), ctx.getInputType(1)->tensor_type().shape(),
                  *ctx.getOutputType(0)->mutable_tensor_type()->mutable_shape());
          });
      ::onnx::OpSchemaRegistry::OpSchemaRegisterOnce registered(s);
    }
    ::onnx::OpSchema s("BitwiseNot", __FILE__, __LINE__);
    s.SetDomain("")
        .SinceVersion(17)
        .Input(0, "X", "", "T")
        .Output(0, "Y", "", "T")
        .TypeConstraint("T", ints, "integer tensors")
        .TypeAndShapeInferenceFunction(::onnx::propagateShapeAndTypeFromFirstInput);
    ::onnx::OpSchemaRegistry::OpSchemaRegisterOnce registered(s);
  });
}

} // namespace

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
