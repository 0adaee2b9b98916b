//===- NewOpsetsAttention.cpp - Attention and RotaryEmbedding as older ops -===//
//
// The transformer ops of opsets 23-25 expanded into MatMul/Softmax/Slice/Concat graphs, so every shape the
// expansion needs is static and the lowering sees ops it already fuses. Both need the declared shapes of
// their inputs (they run before shape inference): head counts and sizes decide the reshapes, and the causal
// and sliding-window masks become constants.
//
//===----------------------------------------------------------------------===//
#include "compiler/import/NewOpsetsBuilder.h"

#include <cmath>
#include <limits>

namespace mcc::import {

using ::onnx::AttributeProto;
using ::onnx::NodeProto;
using ::onnx::TensorProto;

namespace {

bool hasOutput(const NodeProto &n, int i) { return n.output_size() > i && !n.output(i).empty(); }

std::string reshape(NodeExpander &e, const NodeProto &n, const std::string &x, const std::vector<int64_t> &dims) {
  return e.emitValue(n, "Reshape", {x, e.intsConstant(n, dims)});
}
std::string transpose(NodeExpander &e, const NodeProto &n, const std::string &x, const std::vector<int64_t> &perm) {
  NodeProto *t;
  std::string v = e.emitValue(n, "Transpose", {x}, &t);
  setInts(*t, "perm", perm);
  return v;
}
std::string slice(NodeExpander &e, const NodeProto &n, const std::string &x, int64_t axis, int64_t begin, int64_t end,
                  int64_t step = 1) {
  return e.emitValue(
      n, "Slice",
      {x, e.intsConstant(n, {begin}), e.intsConstant(n, {end}), e.intsConstant(n, {axis}), e.intsConstant(n, {step})});
}
std::string concat(NodeExpander &e, const NodeProto &n, std::vector<std::string> parts, int64_t axis) {
  NodeProto *c;
  std::string v = e.emitValue(n, "Concat", std::move(parts), &c);
  setInt(*c, "axis", axis);
  return v;
}
std::string castTo(NodeExpander &e, const NodeProto &n, const std::string &x, int64_t to) {
  NodeProto *c;
  std::string v = e.emitValue(n, "Cast", {x}, &c);
  setInt(*c, "to", to);
  return v;
}
/// A FLOAT constant of shape `dims`.
std::string floatTensor(NodeExpander &e, const NodeProto &n, const std::vector<int64_t> &dims,
                        const std::vector<float> &values) {
  std::string name = e.fresh(n.output(0));
  NodeProto &c = e.emit(n, "Constant", {}, {name});
  AttributeProto *a = c.add_attribute();
  a->set_name("value");
  a->set_type(AttributeProto::TENSOR);
  TensorProto *t = a->mutable_t();
  t->set_data_type(TensorProto::FLOAT);
  for (int64_t d : dims)
    t->add_dims(d);
  for (float v : values)
    t->add_float_data(v);
  return name;
}

/// [B, S, H*D] -> [B, H, S, D]; 4-D inputs stay.
bool toHeads(NodeExpander &e, const NodeProto &n, const std::string &x, const std::vector<int64_t> &dims, int64_t heads,
             const char *attr, std::string &out, int64_t &numHeads) {
  if (dims.size() == 4) {
    out = x, numHeads = dims[1];
    return true;
  }
  if (dims.size() != 3)
    return e.fail(n, "input '" + x + "' must be 3-D or 4-D");
  if (heads <= 0 || dims[2] % heads != 0)
    return e.fail(n, std::string("attribute '") + attr + "' must be positive and divide the hidden size of '" + x +
                         "' (" + std::to_string(dims[2]) + ")");
  out = transpose(e, n, reshape(e, n, x, {dims[0], dims[1], heads, dims[2] / heads}), {0, 2, 1, 3});
  numHeads = heads;
  return true;
}

} // namespace

/// Scaled dot-product attention (Attention-23/24/25): scores = (Q*sqrt(s)) (K*sqrt(s))^T, soft-capped, plus the
/// mask (a bool mask as 0/-inf, the causal and window masks as constants), softmax, times V. Group-query heads
/// repeat each K/V head for consecutive Q heads. A fully masked row gives zeros, not NaN.
bool expandAttention(NodeExpander &e, const NodeProto &n) {
  bool nonpad = hasInput(n, 6);
  if (nonpad && hasInput(n, 4))
    return e.fail(n, "input 'nonpad_kv_seqlen' (an external KV cache) cannot be combined with 'past_key'");
  if (hasInput(n, 4) != hasInput(n, 5))
    return e.fail(n, "inputs 'past_key' and 'past_value' must be given together");
  std::vector<int64_t> qd, kd, vd;
  if (!e.needDims(n, n.input(0), qd) || !e.needDims(n, n.input(1), kd) || !e.needDims(n, n.input(2), vd))
    return false;
  if (qd.size() != kd.size() || qd.size() != vd.size())
    return e.fail(n, "Q, K and V must have the same rank");
  std::string q, k, v;
  int64_t hq, hk, hv;
  if (!toHeads(e, n, n.input(0), qd, attrInt(n, "q_num_heads", 0), "q_num_heads", q, hq) ||
      !toHeads(e, n, n.input(1), kd, attrInt(n, "kv_num_heads", 0), "kv_num_heads", k, hk) ||
      !toHeads(e, n, n.input(2), vd, attrInt(n, "kv_num_heads", 0), "kv_num_heads", v, hv))
    return false;
  bool threeD = qd.size() == 3;
  int64_t batch = qd[0];
  int64_t sq = threeD ? qd[1] : qd[2];
  int64_t dh = threeD ? qd[2] / hq : qd[3];
  int64_t skv = threeD ? kd[1] : kd[2];
  int64_t dv = threeD ? vd[2] / hv : vd[3];
  if (hk != hv || hq % hk != 0)
    return e.fail(n, "the query heads (" + std::to_string(hq) + ") must be a multiple of the key/value heads (" +
                         std::to_string(hk) + ")");

  int64_t past = 0;
  if (hasInput(n, 4)) {
    std::vector<int64_t> pd;
    if (!e.needDims(n, n.input(4), pd))
      return false;
    if (pd.size() != 4)
      return e.fail(n, "input 'past_key' must be 4-D");
    past = pd[2];
    k = concat(e, n, {n.input(4), k}, 2);
    v = concat(e, n, {n.input(5), v}, 2);
  }
  if (hasOutput(n, 1))
    e.emit(n, "Identity", {k}, {n.output(1)});
  if (hasOutput(n, 2))
    e.emit(n, "Identity", {v}, {n.output(2)});
  int64_t total = past + skv;
  if (hq != hk) {
    int64_t group = hq / hk;
    auto repeat = [&](const std::string &x, int64_t d) {
      std::string u = e.emitValue(n, "Unsqueeze", {x, e.intsConstant(n, {2})});
      std::string x5 = e.emitValue(n, "Expand", {u, e.intsConstant(n, {batch, hk, group, total, d})});
      return reshape(e, n, x5, {batch, hq, total, d});
    };
    k = repeat(k, dh);
    v = repeat(v, dv);
  }

  const AttributeProto *scaleAttr = findAttribute(n, "scale");
  double scale = scaleAttr ? scaleAttr->f() : 1.0 / std::sqrt((double)dh);
  std::string root = e.floatLike(n, (float)std::sqrt(scale), n.input(0));
  std::string scores = e.emitValue(
      n, "MatMul", {e.emitValue(n, "Mul", {q, root}), transpose(e, n, e.emitValue(n, "Mul", {k, root}), {0, 1, 3, 2})});
  int64_t mode = attrInt(n, "qk_matmul_output_mode", 0);
  if (mode < 0 || mode > 3)
    return e.fail(n, "attribute 'qk_matmul_output_mode' must be 0-3");
  auto qkOutput = [&](int64_t m, const std::string &value) {
    if (mode == m && hasOutput(n, 3))
      e.emit(n, "Identity", {value}, {n.output(3)});
  };
  qkOutput(0, scores);
  if (float cap = attrFloat(n, "softcap", 0.f); cap > 0.f) {
    std::string c = e.floatLike(n, cap, n.input(0));
    scores = e.emitValue(n, "Mul", {e.emitValue(n, "Tanh", {e.emitValue(n, "Div", {scores, c})}), c});
  }
  qkOutput(1, scores);

  // Positions that may be attended: query i (absolute position offset + i) sees key j when j <= offset + i
  // (causal) and offset + i - left <= j <= offset + i + right (windows, -1 = unbounded). The offset is the
  // past length, or with an external cache (nonpad_kv_seqlen) per batch nonpad - Sq, where keys from nonpad on
  // are padding: that mask is computed at run time, the others are constants.
  bool causal = attrInt(n, "is_causal", 0) != 0;
  int64_t left = attrInt(n, "left_window_size", -1), right = attrInt(n, "right_window_size", -1);
  bool masked = false;
  const float ninf = -std::numeric_limits<float>::infinity();
  if (nonpad) {
    std::vector<int64_t> keys(total), queries(sq);
    for (int64_t j = 0; j < total; ++j)
      keys[j] = j;
    for (int64_t i = 0; i < sq; ++i)
      queries[i] = i;
    std::string j = reshape(e, n, e.intsConstant(n, keys), {1, 1, 1, total});
    std::string lens = reshape(e, n, castTo(e, n, n.input(6), TensorProto::INT64), {batch, 1, 1, 1});
    std::string allowed = e.emitValue(n, "Less", {j, lens});
    std::string pos = e.emitValue(n, "Add",
                                  {reshape(e, n, e.intsConstant(n, queries), {1, 1, sq, 1}),
                                   e.emitValue(n, "Sub", {lens, e.intsConstant(n, {sq})})});
    auto both = [&](const std::string &cond) { allowed = e.emitValue(n, "And", {allowed, cond}); };
    if (causal)
      both(e.emitValue(n, "LessOrEqual", {j, pos}));
    if (left >= 0)
      both(e.emitValue(n, "GreaterOrEqual", {j, e.emitValue(n, "Sub", {pos, e.intsConstant(n, {left})})}));
    if (right >= 0)
      both(e.emitValue(n, "LessOrEqual", {j, e.emitValue(n, "Add", {pos, e.intsConstant(n, {right})})}));
    std::string bias = e.emitValue(n, "Where", {allowed, e.floatLike(n, 0.f, scores), e.floatLike(n, ninf, scores)});
    scores = e.emitValue(n, "Add", {scores, bias});
    masked = true;
  } else if (causal || left >= 0 || right >= 0) {
    std::vector<float> bias(sq * total, 0.f);
    for (int64_t i = 0; i < sq; ++i)
      for (int64_t j = 0; j < total; ++j) {
        int64_t p = past + i;
        bool ok = (!causal || j <= p) && (left < 0 || j >= p - left) && (right < 0 || j <= p + right);
        if (!ok)
          bias[i * total + j] = ninf, masked = true;
      }
    if (masked)
      scores =
          e.emitValue(n, "Add", {scores, e.emitValue(n, "CastLike", {floatTensor(e, n, {sq, total}, bias), scores})});
  }
  if (hasInput(n, 3)) {
    // A bool mask disallows where false; a float mask is added: its declared element type decides.
    std::string mask = n.input(3);
    int32_t elem = e.elemType(mask);
    if (elem == 0)
      return e.fail(n, "the element type of 'attn_mask' must be declared to expand this op");
    // With an external cache the mask may stop at the longest valid length: the keys past it are padding,
    // masked by nonpad_kv_seqlen, so the mask is extended with zeros (false) that change nothing.
    std::vector<int64_t> md;
    if (nonpad && e.knownDims(mask, md) && !md.empty() && md.back() < total) {
      std::vector<int64_t> padDims = md;
      padDims.back() = total - md.back();
      int64_t count = 1;
      for (int64_t d : padDims)
        count *= d;
      std::string zeros =
          e.emitValue(n, "CastLike", {floatTensor(e, n, padDims, std::vector<float>(count, 0.f)), mask});
      mask = concat(e, n, {mask, zeros}, (int64_t)md.size() - 1);
    }
    if (elem == TensorProto::BOOL) {
      std::string zero = e.floatLike(n, 0.f, scores), minusInf = e.floatLike(n, ninf, scores);
      scores = e.emitValue(n, "Add", {scores, e.emitValue(n, "Where", {mask, zero, minusInf})});
      masked = true;
    } else {
      scores = e.emitValue(n, "Add", {scores, mask});
    }
  }
  qkOutput(2, scores);

  std::string probs;
  if (const AttributeProto *prec = findAttribute(n, "softmax_precision")) {
    int64_t t = prec->i();
    if (t != TensorProto::FLOAT && t != TensorProto::FLOAT16 && t != TensorProto::DOUBLE && t != TensorProto::BFLOAT16)
      return e.fail(n, "attribute 'softmax_precision' must be 1, 10, 11 or 16");
    NodeProto *sm;
    std::string p = e.emitValue(n, "Softmax", {castTo(e, n, scores, t)}, &sm);
    setInt(*sm, "axis", -1);
    probs = e.emitValue(n, "CastLike", {p, scores});
  } else {
    NodeProto *sm;
    probs = e.emitValue(n, "Softmax", {scores}, &sm);
    setInt(*sm, "axis", -1);
  }
  if (masked) // a row with every key disallowed is 0/0 in the softmax: ONNX defines it as a zero row
    probs = e.emitValue(n, "Where", {e.emitValue(n, "IsNaN", {probs}), e.floatLike(n, 0.f, probs), probs});
  qkOutput(3, probs);

  std::string y = e.emitValue(n, "MatMul", {probs, v});
  if (threeD)
    y = reshape(e, n, transpose(e, n, y, {0, 2, 1, 3}), {batch, sq, hq * dv});
  e.emit(n, "Identity", {y}, {n.output(0)});
  return true;
}

/// Rotary position embedding (RotaryEmbedding-23): the first rotary_embedding_dim features of each head
/// rotated pairwise by the cos/sin caches (pairs are halves, or neighbours when interleaved).
bool expandRotaryEmbedding(NodeExpander &e, const NodeProto &n) {
  std::vector<int64_t> xd;
  if (!e.needDims(n, n.input(0), xd))
    return false;
  std::string x;
  int64_t heads;
  if (!toHeads(e, n, n.input(0), xd, attrInt(n, "num_heads", 0), "num_heads", x, heads))
    return false;
  bool threeD = xd.size() == 3;
  int64_t batch = xd[0], seq = threeD ? xd[1] : xd[2];
  int64_t d = threeD ? xd[2] / heads : xd[3];
  x = transpose(e, n, x, {0, 2, 1, 3}); // [B, S, H, D]
  int64_t rot = attrInt(n, "rotary_embedding_dim", 0);
  if (rot == 0)
    rot = d;
  if (rot < 0 || rot > d || rot % 2 != 0)
    return e.fail(n, "attribute 'rotary_embedding_dim' must be even and at most the head size");
  int64_t half = rot / 2;
  std::string cosv = n.input(1), sinv = n.input(2);
  if (hasInput(n, 3)) {
    cosv = e.emitValue(n, "Gather", {cosv, n.input(3)});
    sinv = e.emitValue(n, "Gather", {sinv, n.input(3)});
  }
  std::string axis2 = e.intsConstant(n, {2});
  cosv = e.emitValue(n, "Unsqueeze", {cosv, axis2}); // [B, S, 1, rot/2]
  sinv = e.emitValue(n, "Unsqueeze", {sinv, axis2});
  std::string xr = rot == d ? x : slice(e, n, x, 3, 0, rot);
  bool interleaved = attrInt(n, "interleaved", 0) != 0;
  std::string x1 = interleaved ? slice(e, n, xr, 3, 0, rot, 2) : slice(e, n, xr, 3, 0, half);
  std::string x2 = interleaved ? slice(e, n, xr, 3, 1, rot, 2) : slice(e, n, xr, 3, half, rot);
  std::string real = e.emitValue(n, "Sub", {e.emitValue(n, "Mul", {cosv, x1}), e.emitValue(n, "Mul", {sinv, x2})});
  std::string imag = e.emitValue(n, "Add", {e.emitValue(n, "Mul", {sinv, x1}), e.emitValue(n, "Mul", {cosv, x2})});
  std::string rotated;
  if (interleaved) {
    std::string last = e.intsConstant(n, {4});
    rotated = concat(e, n, {e.emitValue(n, "Unsqueeze", {real, last}), e.emitValue(n, "Unsqueeze", {imag, last})}, 4);
    rotated = reshape(e, n, rotated, {batch, seq, heads, rot});
  } else {
    rotated = concat(e, n, {real, imag}, 3);
  }
  if (rot < d)
    rotated = concat(e, n, {rotated, slice(e, n, x, 3, rot, d)}, 3);
  std::string y = threeD ? reshape(e, n, rotated, xd) : transpose(e, n, rotated, {0, 2, 1, 3});
  e.emit(n, "Identity", {y}, {n.output(0)});
  return true;
}

} // namespace mcc::import
