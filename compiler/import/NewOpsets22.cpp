//===- NewOpsets22.cpp - opset 22-28 node forms -> forms of opset 21 -----===//
//
// The second step of the adapter approach of NewOpsets.cpp, for the opsets after 21. Opsets 22-28 mostly
// widen type constraints (bfloat16, float4/6/8, int2/4) without changing what a node computes; those nodes pass
// through, and the element types mcc has no hardware path for are rejected by name where values are typed.
// What did change is rewritten here, before NewOpsets.cpp turns the opset 18-21 forms into opset-17 ones:
// attributes with a default meaning the old behaviour are dropped (others rejected by name), and the new ops
// built from older ones (Swish, SwiGLU, RMSNormalization, RotaryEmbedding, Attention) are expanded into them.
// The expansions are mcc's own, written from the operator specifications.
//
//===----------------------------------------------------------------------===//
#include "compiler/import/ImportInternal.h"
#include "compiler/import/NewOpsetsBuilder.h"

#include "onnx/defs/schema.h"
#include "onnx/shape_inference/implementation.h"

#include <map>

namespace mcc::import {
namespace {

using ::onnx::AttributeProto;
using ::onnx::GraphProto;
using ::onnx::ModelProto;
using ::onnx::NodeProto;
using ::onnx::TensorProto;

class Opset22Rewriter : public NodeExpander {
public:
  Opset22Rewriter(ModelProto &model, std::string &error) : NodeExpander(error), model(model) {}

  bool rewriteGraph(GraphProto &g) {
    recordShapes(g);
    std::vector<NodeProto> rewritten;
    bool top = &g == model.mutable_graph();
    if (top)
      topNodes = &rewritten;
    for (int i = 0; i < g.node_size(); ++i) {
      NodeProto node = g.node(i);
      for (auto &a : *node.mutable_attribute()) {
        if (a.type() == AttributeProto::GRAPH && !rewriteGraph(*a.mutable_g()))
          return false;
        for (auto &sg : *a.mutable_graphs())
          if (!rewriteGraph(sg))
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
    if (top)
      topNodes = nullptr;
    return true;
  }

private:
  /// Exporters declare the shapes of graph inputs, rarely of the values an Attention reads: those come from
  /// libonnx's shape inference over the top-level nodes rewritten so far (all of them ops it knows, or new
  /// ones it skips). Large initializers become typed inputs, only their shapes matter.
  bool inferMoreShapes() override {
    if (!topNodes || (int)topNodes->size() == inferredUpTo)
      return false;
    inferredUpTo = (int)topNodes->size();
    const GraphProto &src = model.graph();
    ModelProto m;
    m.set_ir_version(model.ir_version());
    *m.mutable_opset_import() = model.opset_import();
    GraphProto &g = *m.mutable_graph();
    *g.mutable_input() = src.input();
    for (const auto &t : src.initializer()) {
      int64_t numel = 1;
      for (int64_t d : t.dims())
        numel *= d;
      if (numel <= 4096) {
        *g.add_initializer() = t;
        continue;
      }
      auto *tt = g.add_input()->mutable_type()->mutable_tensor_type();
      g.mutable_input(g.input_size() - 1)->set_name(t.name());
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
      return false; // what was inferred before the failure is not kept: the caller reports the missing shape
    }
    recordShapes(m.graph());
    return true;
  }

  ModelProto &model;
  std::vector<NodeProto> *topNodes = nullptr;
  int inferredUpTo = -1;

  bool rewriteNode(NodeProto &n) {
    if (!n.domain().empty() && n.domain() != "ai.onnx") {
      out->push_back(n);
      return true;
    }
    const std::string &op = n.op_type();
    bool ok = true, keep = true;
    if (op == "Swish") {
      ok = swish(n), keep = false;
    } else if (op == "SwiGLU") {
      ok = swiGLU(n), keep = false;
    } else if (op == "RMSNormalization") {
      ok = rmsNorm(n), keep = false;
    } else if (op == "RotaryEmbedding") {
      ok = rotaryEmbedding(n), keep = false;
    } else if (op == "CumProd") {
      ok = cumProd(n), keep = false;
    } else if (op == "Attention") {
      ok = attention(n), keep = false;
    } else if (op == "DequantizeLinear") {
      ok = dequantize(n, keep);
    } else if (op == "QuantizeLinear") {
      ok = quantizePrecision(n);
    } else if (op == "Cast" || op == "CastLike") {
      ok = castRoundMode(n);
    } else if (op == "Range") {
      removeAttr(n, "stash_type"); // it only selects the precision of float16/bfloat16 ranges
    } else if (op == "SpaceToDepth") {
      ok = spaceToDepth(n);
    } else if (const char *since = unsupportedNewOp(op)) {
      return fail(n, "op " + op + " (new in opset " + since + ") is not supported");
    }
    if (!ok)
      return false;
    if (keep)
      out->push_back(n);
    return true;
  }

  static const char *unsupportedNewOp(const std::string &op) {
    static const std::map<std::string, const char *> ops = {
        {"TensorScatter", "24"}, {"BitCast", "26"}, {"CausalConvWithState", "27"}, {"LinearAttention", "27"}};
    auto it = ops.find(op);
    return it == ops.end() ? nullptr : it->second;
  }

  // --- attributes added to older ops ----------------------------------------------------------------------------
  /// DequantizeLinear-23 output_dtype: the output is computed in the scale's type, then cast.
  bool dequantize(NodeProto &n, bool &keep) {
    int64_t to = attrInt(n, "output_dtype", 0);
    removeAttr(n, "output_dtype");
    if (to == 0)
      return true;
    if (to != TensorProto::FLOAT && to != TensorProto::FLOAT16 && to != TensorProto::BFLOAT16)
      return fail(n, "attribute 'output_dtype' = " + std::to_string(to) + " is not a float type");
    keep = false;
    NodeProto copy = n;
    std::string y = fresh(n.output(0));
    copy.set_output(0, y);
    out->push_back(copy);
    NodeProto &c = emit(n, "Cast", {y}, {n.output(0)});
    setInt(c, "to", to);
    return true;
  }
  /// QuantizeLinear-23 precision: the type the division by the scale happens in; mcc divides in the scale's
  /// type, which is what precision 0 (the default) means.
  bool quantizePrecision(NodeProto &n) {
    if (attrInt(n, "precision", 0) != 0)
      return fail(n, "attribute 'precision' other than 0 (the scale's type) is not supported");
    removeAttr(n, "precision");
    return true;
  }
  /// Cast-24 round_mode only applies to float8e8m0 targets, which mcc rejects by name.
  bool castRoundMode(NodeProto &n) {
    removeAttr(n, "round_mode");
    return true;
  }
  bool spaceToDepth(NodeProto &n) {
    if (attrStr(n, "mode", "DCR") != "DCR")
      return fail(n, "attribute 'mode' = '" + attrStr(n, "mode", "") + "' is not supported");
    removeAttr(n, "mode");
    return true;
  }

  // --- new activations ------------------------------------------------------------------------------------------
  /// x * sigmoid(alpha * x).
  std::string swishValue(const NodeProto &n, const std::string &x, float alpha) {
    std::string scaled = x;
    if (alpha != 1.f)
      scaled = emitValue(n, "Mul", {x, floatLike(n, alpha, x)});
    return emitValue(n, "Mul", {x, emitValue(n, "Sigmoid", {scaled})});
  }
  bool swish(const NodeProto &n) {
    emit(n, "Identity", {swishValue(n, n.input(0), attrFloat(n, "alpha", 1.f))}, {n.output(0)});
    return true;
  }
  bool swiGLU(const NodeProto &n) {
    emit(n, "Mul", {swishValue(n, n.input(0), attrFloat(n, "alpha", 1.f)), n.input(1)}, {n.output(0)});
    return true;
  }

  // --- RMSNormalization ------------------------------------------------------------------------------------------
  /// Over the dimensions from `axis` on: X flattened there to [outer, inner], so the axes need no rank; the
  /// statistics in float (stash_type 1), the normalized value cast back to X's type, then scaled.
  bool rmsNorm(const NodeProto &n) {
    if (attrInt(n, "stash_type", 1) != TensorProto::FLOAT)
      return fail(n, "attribute 'stash_type' other than 1 (float) is not supported");
    const std::string &x = n.input(0);
    NodeProto *node;
    std::string flat = emitValue(n, "Flatten", {x}, &node);
    setInt(*node, "axis", attrInt(n, "axis", -1));
    NodeProto *cast;
    std::string xf = emitValue(n, "Cast", {flat}, &cast);
    setInt(*cast, "to", TensorProto::FLOAT);
    std::string sq = emitValue(n, "Mul", {xf, xf});
    std::string mean = emitValue(n, "ReduceMean", {sq}, &node);
    setInts(*node, "axes", {1});
    setInt(*node, "keepdims", 1);
    std::string rms =
        emitValue(n, "Sqrt", {emitValue(n, "Add", {mean, floatConstant(n, attrFloat(n, "epsilon", 1e-5f))})});
    std::string normalized = emitValue(n, "Div", {xf, rms});
    std::string shaped = emitValue(n, "Reshape", {normalized, emitValue(n, "Shape", {x})});
    std::string back = emitValue(n, "CastLike", {shaped, x});
    emit(n, "Mul", {back, n.input(1)}, {n.output(0)});
    return true;
  }

  // --- CumProd ---------------------------------------------------------------------------------------------------
  /// The running product along `axis` in the reference's order: the axis split into slices multiplied in turn
  /// (from the end with reverse), shifted by one with exclusive (a slice of ones first), concatenated back.
  /// One Mul per element of the axis, so the axis must be static and at most kMaxCumProdLength long.
  static constexpr int64_t kMaxCumProdLength = 1024;
  bool cumProd(const NodeProto &n) {
    std::vector<int64_t> dims;
    if (!needDims(n, n.input(0), dims))
      return false;
    std::vector<int64_t> axisValue;
    const TensorProto *a = initializer(n.input(1));
    if (!a || !tensorInts(*a, axisValue) || axisValue.size() != 1)
      return fail(n,
                  "axis (input '" + n.input(1) + "') must be a constant integer tensor (an initializer or a Constant)");
    int64_t rank = (int64_t)dims.size(), axis = axisValue[0];
    if (axis < -rank || axis >= rank)
      return fail(n, "axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
    if (axis < 0)
      axis += rank;
    int64_t len = dims[axis];
    if (len == 0) {
      emit(n, "Identity", {n.input(0)}, {n.output(0)});
      return true;
    }
    if (len > kMaxCumProdLength)
      return fail(n, "an axis of " + std::to_string(len) + " elements is too long to expand (at most " +
                         std::to_string(kMaxCumProdLength) + ")");
    bool exclusive = attrInt(n, "exclusive", 0) != 0, reverse = attrInt(n, "reverse", 0) != 0;
    std::vector<std::string> slices;
    for (int64_t i = 0; i < len; ++i)
      slices.push_back(fresh(n.output(0)));
    std::string sizes = intsConstant(n, std::vector<int64_t>(len, 1));
    setInt(emit(n, "Split", {n.input(0), sizes}, slices), "axis", axis);
    std::string ones;
    if (exclusive)
      ones = emitValue(n, "Expand", {floatLike(n, 1.f, n.input(0)), emitValue(n, "Shape", {slices[0]})});
    std::vector<std::string> parts(len);
    std::string running;
    for (int64_t k = 0; k < len; ++k) {
      int64_t i = reverse ? len - 1 - k : k;
      if (exclusive)
        parts[i] = k == 0 ? ones : running;
      running = k == 0 ? slices[i] : emitValue(n, "Mul", {running, slices[i]});
      if (!exclusive)
        parts[i] = running;
    }
    setInt(emit(n, "Concat", parts, {n.output(0)}), "axis", axis);
    return true;
  }
  const TensorProto *initializer(const std::string &name) const {
    for (const auto &t : model.graph().initializer())
      if (t.name() == name)
        return &t;
    return nullptr;
  }

  bool rotaryEmbedding(const NodeProto &n) { return expandRotaryEmbedding(*this, n); }
  bool attention(const NodeProto &n) { return expandAttention(*this, n); }
};

} // namespace

bool rewriteOpsets22To28(ModelProto &model, int64_t opset, std::string &error) {
  if (opset < 22)
    return true;
  Opset22Rewriter r(model, error);
  return r.rewriteGraph(*model.mutable_graph());
}

} // namespace mcc::import
