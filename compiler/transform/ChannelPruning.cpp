//===- ChannelPruning.cpp - remove convolution output channels and what reads them -===//
//
// Every output channel of a convolution is an atom. Atoms flow with the tensors along the channel
// axis (axis 1): unchanged through per-channel ops, side by side through Concat, and tied together
// (union-find) by ops that combine two tensors channel by channel (a residual Add) or by a depthwise
// convolution (output channel c reads only input channel c). A class of tied atoms is removed as a
// whole: the producing filters go, and each consumer drops its matching input (a Conv's input
// channels, BatchNorm parameters, per-channel constants, a Gemm's rows after global pooling). A class
// that reaches anything this file does not follow is frozen (kept).
//
//===----------------------------------------------------------------------===//
#include "compiler/transform/PruneInternal.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

namespace mcc::transform {
namespace {

using ::onnx::GraphProto;
using ::onnx::ModelProto;
using ::onnx::NodeProto;
using ::onnx::TensorProto;

/// The atoms along a tensor's channel axis (1) and its rank; `spatialOne` after global pooling, where
/// a Flatten keeps channel c at feature c.
struct ChannelMap {
  std::vector<int> atoms;
  int rank = 4;
  bool spatialOne = false;
};

/// An initializer input of a consumer whose `axis` runs along `atoms`.
struct Slice {
  int node, input, axis;
  std::vector<int> atoms;
};

struct Producer {
  int node;
  int firstAtom;
  int64_t channels;
};

std::optional<int64_t> intAttr(const NodeProto &n, const std::string &name) {
  for (const auto &a : n.attribute())
    if (a.name() == name)
      return a.i();
  return std::nullopt;
}

class ChannelGraph {
public:
  ChannelGraph(ModelProto &model, const std::vector<std::string> &exclude)
      : g(*model.mutable_graph()), inits(initializerMap(model)), excluded(exclude.begin(), exclude.end()) {
    // Exporters pass shared weights through Identity nodes (PyTorch: one bias for several convs):
    // their outputs read as the initializer, copied before anything slices them (ownInit).
    for (const auto &n : g.node())
      if (n.op_type() == "Identity" && n.input_size() == 1 && n.output_size() == 1 && inits.count(n.input(0)) &&
          !inits.count(n.output(0))) {
        inits[n.output(0)] = inits[n.input(0)];
        aliases.insert(n.output(0));
      }
  }

  void build();
  int64_t choose(ChannelMode mode, double ratio);
  void apply();

private:
  int newAtom() {
    int id = (int)parent.size();
    parent.push_back(id);
    frozen.push_back(0);
    breaksZero.push_back(0);
    zero.push_back(1);
    score.push_back(0);
    group.push_back(INT32_MAX);
    return id;
  }
  int find(int a) {
    while (parent[a] != a)
      a = parent[a] = parent[parent[a]];
    return a;
  }
  void unite(int a, int b) {
    a = find(a), b = find(b);
    if (a == b)
      return;
    parent[b] = a;
    frozen[a] |= frozen[b];
    breaksZero[a] |= breaksZero[b];
    zero[a] &= zero[b];
    score[a] += score[b];
    group[a] = std::min(group[a], group[b]);
  }
  void freeze(const ChannelMap *m) {
    if (m)
      for (int a : m->atoms)
        frozen[find(a)] = 1;
  }
  void freezeInputs(const NodeProto &n) {
    for (const auto &name : n.input())
      freeze(mapOf(name));
  }
  void breakZero(const ChannelMap &m) {
    for (int a : m.atoms)
      breaksZero[find(a)] = 1;
  }
  const ChannelMap *mapOf(const std::string &name) const {
    auto it = maps.find(name);
    return it == maps.end() ? nullptr : &it->second;
  }
  TensorProto *init(const NodeProto &n, int k) const {
    if (k >= n.input_size())
      return nullptr;
    auto it = inits.find(n.input(k));
    return it == inits.end() ? nullptr : it->second;
  }

  void visitConv(int i, const NodeProto &n);
  void visitBatchNorm(int i, const NodeProto &n);
  void visitBinary(int i, const NodeProto &n);
  void visitConcat(const NodeProto &n);
  void visitDense(int i, const NodeProto &n);
  TensorProto *ownInit(int node, int input);
  void sliceInit(int node, int input, int axis, const std::vector<int64_t> &keep);
  std::vector<int64_t> kept(const std::vector<int> &atoms) {
    std::vector<int64_t> out;
    for (size_t c = 0; c < atoms.size(); ++c)
      if (!removed.count(find(atoms[c])))
        out.push_back((int64_t)c);
    return out;
  }

  GraphProto &g;
  std::map<std::string, TensorProto *> inits;
  std::set<std::string> excluded;
  std::set<std::string> aliases; ///< Identity outputs of initializers
  std::map<std::string, ChannelMap> maps;
  std::vector<int> parent;
  std::vector<char> frozen, breaksZero, zero;
  std::vector<double> score;
  std::vector<int> group; ///< the first producer of the class: channels:R counts per producer group
  std::vector<Producer> producers;
  std::vector<Slice> slices;
  std::vector<std::pair<int, std::vector<int>>> depthwise;
  std::set<int> removed; ///< class roots
};

void ChannelGraph::visitConv(int i, const NodeProto &n) {
  TensorProto *w = init(n, 1);
  const ChannelMap *x = n.input_size() ? mapOf(n.input(0)) : nullptr;
  auto wData = w ? readFloats(*w) : std::nullopt;
  TensorProto *bias = n.input_size() > 2 && !n.input(2).empty() ? init(n, 2) : nullptr;
  bool biasOk = n.input_size() <= 2 || n.input(2).empty() || (bias && readFloats(*bias));
  if (!wData || w->dims_size() < 3 || !biasOk || n.output_size() != 1) {
    freezeInputs(n);
    return;
  }
  int64_t m = w->dims(0), cg = w->dims(1), groups = intAttr(n, "group").value_or(1);
  int rank = w->dims_size();
  if (x && groups > 1 && cg == 1 && m == groups && (int64_t)x->atoms.size() == groups && x->rank == rank) {
    // Depthwise: output channel c is input channel c filtered; removing one removes the other.
    if (excluded.count(nodeName(n)))
      freeze(x);
    depthwise.emplace_back(i, x->atoms);
    maps[n.output(0)] = {x->atoms, rank, false};
    return;
  }
  if (x) {
    if (groups == 1 && (int64_t)x->atoms.size() == cg && x->rank == rank)
      slices.push_back({i, 1, 1, x->atoms});
    else
      freeze(x);
  }
  std::optional<std::vector<float>> b = bias ? readFloats(*bias) : std::nullopt;
  int64_t per = (int64_t)wData->size() / std::max<int64_t>(m, 1);
  Producer p{i, (int)parent.size(), m};
  ChannelMap out{{}, rank, false};
  for (int64_t c = 0; c < m; ++c) {
    int a = newAtom();
    double l1 = 0;
    for (int64_t k = 0; k < per; ++k)
      l1 += std::fabs((*wData)[c * per + k]);
    score[a] = l1;
    zero[a] = l1 == 0 && (!b || (*b)[c] == 0.0f);
    group[a] = (int)producers.size();
    frozen[a] = excluded.count(nodeName(n)) ? 1 : 0;
    out.atoms.push_back(a);
  }
  producers.push_back(p);
  maps[n.output(0)] = out;
}

void ChannelGraph::visitBatchNorm(int i, const NodeProto &n) {
  const ChannelMap *x = mapOf(n.input(0));
  if (!x)
    return;
  std::vector<std::vector<float>> params;
  for (int k = 1; k <= 4; ++k) {
    TensorProto *t = init(n, k);
    auto v = t ? readFloats(*t) : std::nullopt;
    if (!v || t->dims_size() != 1 || v->size() != x->atoms.size() || (n.output_size() > 1 && !n.output(1).empty())) {
      freeze(x);
      return;
    }
    params.push_back(*v);
  }
  // BatchNorm(0) = B - mean * scale / sqrt(var + eps): a zero channel stays zero only where that is 0.
  float eps = 1e-5f;
  for (const auto &a : n.attribute())
    if (a.name() == "epsilon")
      eps = a.f();
  for (size_t c = 0; c < x->atoms.size(); ++c) {
    float y = params[1][c] - params[2][c] * params[0][c] / std::sqrt(params[3][c] + eps);
    if (y != 0.0f)
      breaksZero[find(x->atoms[c])] = 1;
  }
  for (int k = 1; k <= 4; ++k)
    slices.push_back({i, k, 0, x->atoms});
  maps[n.output(0)] = *x;
}

/// Add/Sub/Mul/Div/Max/Min/PRelu: two tensors tie their channels; a constant broadcast along the
/// channel axis is sliced with them.
void ChannelGraph::visitBinary(int i, const NodeProto &n) {
  const std::string &op = n.op_type();
  if (n.input_size() != 2 || n.output_size() != 1) {
    freezeInputs(n);
    return;
  }
  const ChannelMap *a = mapOf(n.input(0)), *b = mapOf(n.input(1));
  if (a && b) {
    if (a->atoms.size() != b->atoms.size() || a->rank != b->rank) {
      freeze(a), freeze(b);
      return;
    }
    for (size_t c = 0; c < a->atoms.size(); ++c)
      unite(a->atoms[c], b->atoms[c]);
    if (op == "Div")
      breakZero(*a); // 0 / 0
    maps[n.output(0)] = *a;
    return;
  }
  int mine = a ? 0 : 1;
  const ChannelMap *m = a ? a : b;
  if (!m)
    return;
  TensorProto *t = init(n, 1 - mine);
  auto values = t ? readFloats(*t) : std::nullopt;
  if (!values || t->dims_size() > m->rank) {
    freeze(m);
    return;
  }
  int axis = 1 - (m->rank - t->dims_size());
  int64_t channels = (int64_t)m->atoms.size();
  bool perChannel = axis >= 0 && t->dims(axis) != 1;
  if (perChannel && t->dims(axis) != channels) {
    freeze(m);
    return;
  }
  // Which channels no longer map 0 to 0: a nonzero added, a division by the channel, max/min past 0.
  int64_t inner = 1;
  if (perChannel)
    for (int d = axis + 1; d < t->dims_size(); ++d)
      inner *= t->dims(d);
  for (size_t k = 0; k < values->size(); ++k) {
    float v = (*values)[k];
    bool breaks = (op == "Add" || op == "Sub") ? v != 0.0f
                  : op == "Max"                ? v > 0.0f
                  : op == "Min"                ? v < 0.0f
                  : op == "Div"                ? mine == 1 || v == 0.0f
                                               : false;
    if (!breaks)
      continue;
    if (perChannel)
      breaksZero[find(m->atoms[(k / inner) % channels])] = 1;
    else
      breakZero(*m);
  }
  if (perChannel)
    slices.push_back({i, 1 - mine, axis, m->atoms});
  maps[n.output(0)] = *m;
}

void ChannelGraph::visitConcat(const NodeProto &n) {
  ChannelMap out;
  bool ok = n.output_size() == 1;
  for (int k = 0; k < n.input_size() && ok; ++k) {
    const ChannelMap *m = mapOf(n.input(k));
    ok = m && (k == 0 || m->rank == out.rank);
    if (ok) {
      out.rank = m->rank;
      out.atoms.insert(out.atoms.end(), m->atoms.begin(), m->atoms.end());
    }
  }
  int64_t axis = intAttr(n, "axis").value_or(1);
  if (!ok || (axis != 1 && axis != 1 - out.rank)) {
    freezeInputs(n);
    return;
  }
  maps[n.output(0)] = out;
}

/// Gemm / MatMul reading pooled features: their K rows follow the channels.
void ChannelGraph::visitDense(int i, const NodeProto &n) {
  const ChannelMap *x = mapOf(n.input(0));
  if (!x)
    return freezeInputs(n);
  TensorProto *w = init(n, 1);
  bool transB = n.op_type() == "Gemm" && intAttr(n, "transB").value_or(0);
  int axis = transB ? 1 : 0;
  if (x->rank != 2 || !w || !readFloats(*w) || w->dims_size() != 2 ||
      (n.op_type() == "Gemm" && intAttr(n, "transA").value_or(0)) || w->dims(axis) != (int64_t)x->atoms.size()) {
    freezeInputs(n);
    return;
  }
  slices.push_back({i, 1, axis, x->atoms});
}

void ChannelGraph::build() {
  static const std::set<std::string> keepZero = {
      "Relu",     "LeakyRelu",         "Tanh",         "Elu",         "Selu", "Gelu", "HardSwish", "Mish",
      "Identity", "Dropout",           "MaxPool",      "AveragePool", "Abs",  "Neg",  "Softsign",  "Erf",
      "Sqrt",     "GlobalAveragePool", "GlobalMaxPool"};
  static const std::set<std::string> breakZeroOps = {"Sigmoid", "HardSigmoid", "Softplus", "Exp"};
  static const std::set<std::string> binary = {"Add", "Sub", "Mul", "Div", "Max", "Min", "PRelu"};
  for (int i = 0; i < g.node_size(); ++i) {
    const NodeProto &n = g.node(i);
    const std::string &op = n.op_type();
    if (!n.domain().empty() && n.domain() != "ai.onnx") {
      freezeInputs(n);
      continue;
    }
    if (op == "Conv") {
      visitConv(i, n);
    } else if (op == "BatchNormalization") {
      visitBatchNorm(i, n);
    } else if (keepZero.count(op) || breakZeroOps.count(op) || op == "Clip") {
      const ChannelMap *x = n.input_size() ? mapOf(n.input(0)) : nullptr;
      if (!x)
        continue;
      // Only the first output follows the channels (MaxPool's indices, Dropout's mask do not).
      bool extraOutputs = n.output_size() > 1 && !n.output(1).empty();
      bool extraInputs = op != "Clip" && op != "Dropout" && n.input_size() > 1;
      if (extraOutputs || extraInputs) {
        freezeInputs(n);
        continue;
      }
      ChannelMap out = *x;
      out.spatialOne = op == "GlobalAveragePool" || op == "GlobalMaxPool";
      maps[n.output(0)] = out;
      if (breakZeroOps.count(op))
        breakZero(*x);
      if (op == "Clip") {
        // Clip(0) = clamp(0, min, max): zero stays zero unless the bounds exclude it or are unknown.
        float lo = -INFINITY, hi = INFINITY;
        bool known = true;
        for (int k : {1, 2})
          if (n.input_size() > k && !n.input(k).empty()) {
            TensorProto *t = init(n, k);
            auto v = t ? readFloats(*t) : std::nullopt;
            known = known && v && v->size() == 1;
            if (known)
              (k == 1 ? lo : hi) = (*v)[0];
          }
        for (const auto &a : n.attribute()) {
          if (a.name() == "min")
            lo = a.f();
          else if (a.name() == "max")
            hi = a.f();
        }
        if (!known || lo > 0 || hi < 0)
          breakZero(*x);
      }
    } else if (binary.count(op)) {
      visitBinary(i, n);
    } else if (op == "Concat") {
      visitConcat(n);
    } else if (op == "Flatten") {
      const ChannelMap *x = mapOf(n.input(0));
      if (x && (x->spatialOne || x->rank == 2) && intAttr(n, "axis").value_or(1) == 1)
        maps[n.output(0)] = {x->atoms, 2, false};
      else
        freezeInputs(n);
    } else if (op == "Gemm" || op == "MatMul") {
      visitDense(i, n);
    } else {
      freezeInputs(n);
    }
  }
  for (const auto &o : g.output())
    freeze(mapOf(o.name()));
}

int64_t ChannelGraph::choose(ChannelMode mode, double ratio) {
  // Classes by producer group (the first producer of the class).
  std::map<int, std::vector<int>> groups;
  for (int a = 0; a < (int)parent.size(); ++a)
    if (find(a) == a)
      groups[group[a]].push_back(a);
  int64_t count = 0;
  for (auto &[key, roots] : groups) {
    std::vector<int> candidates;
    for (int r : roots)
      if (!frozen[r] && (mode == ChannelMode::L1Ratio || (zero[r] && !breaksZero[r])))
        candidates.push_back(r);
    // At least one class stays: a layer of no channels is no layer.
    size_t limit = roots.size() - 1;
    if (mode == ChannelMode::L1Ratio) {
      limit = std::min(limit, (size_t)std::floor(ratio * (double)roots.size()));
      std::sort(candidates.begin(), candidates.end(),
                [&](int x, int y) { return score[x] < score[y] || (score[x] == score[y] && x < y); });
    }
    for (size_t k = 0; k < candidates.size() && k < limit; ++k)
      removed.insert(candidates[k]);
    count += (int64_t)std::min(candidates.size(), limit);
  }
  return count;
}

/// The initializer of node input `input`, made private to the node first when others read it too (or
/// it is an Identity's output).
TensorProto *ChannelGraph::ownInit(int node, int input) {
  NodeProto *n = g.mutable_node(node);
  const std::string name = n->input(input);
  int uses = 0;
  for (const auto &other : g.node())
    for (const auto &in : other.input())
      uses += in == name;
  for (const auto &o : g.output())
    uses += o.name() == name;
  if (uses <= 1 && !aliases.count(name))
    return inits.at(name);
  TensorProto *copy = g.add_initializer();
  *copy = *inits.at(name);
  std::string fresh = name + ".pruned." + std::to_string(node) + "." + std::to_string(input);
  copy->set_name(fresh);
  inits[fresh] = copy;
  n->set_input(input, fresh);
  return copy;
}

void ChannelGraph::sliceInit(int node, int input, int axis, const std::vector<int64_t> &keep) {
  TensorProto *t = ownInit(node, input);
  std::vector<int64_t> dims(t->dims().begin(), t->dims().end());
  if ((int64_t)keep.size() == dims[axis])
    return;
  std::vector<float> v = *readFloats(*t);
  int64_t outer = 1, inner = 1;
  for (int d = 0; d < axis; ++d)
    outer *= dims[d];
  for (size_t d = axis + 1; d < dims.size(); ++d)
    inner *= dims[d];
  std::vector<float> out;
  out.reserve(outer * keep.size() * inner);
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t c : keep)
      out.insert(out.end(), v.begin() + (o * dims[axis] + c) * inner, v.begin() + (o * dims[axis] + c + 1) * inner);
  dims[axis] = (int64_t)keep.size();
  writeFloats(*t, out, dims);
}

void ChannelGraph::apply() {
  if (removed.empty())
    return;
  for (const Producer &p : producers) {
    std::vector<int> atoms(p.channels);
    std::iota(atoms.begin(), atoms.end(), p.firstAtom);
    std::vector<int64_t> keep = kept(atoms);
    if ((int64_t)keep.size() == p.channels)
      continue;
    sliceInit(p.node, 1, 0, keep);
    const NodeProto &n = g.node(p.node);
    if (n.input_size() > 2 && !n.input(2).empty())
      sliceInit(p.node, 2, 0, keep);
  }
  for (const auto &[node, atoms] : depthwise) {
    std::vector<int64_t> keep = kept(atoms);
    if (keep.size() == atoms.size())
      continue;
    sliceInit(node, 1, 0, keep);
    NodeProto *n = g.mutable_node(node);
    if (n->input_size() > 2 && !n->input(2).empty())
      sliceInit(node, 2, 0, keep);
    for (auto &a : *n->mutable_attribute())
      if (a.name() == "group")
        a.set_i((int64_t)keep.size());
  }
  for (const Slice &s : slices)
    sliceInit(s.node, s.input, s.axis, kept(s.atoms));
  // Shapes recorded for the tensors that shrank are stale: shape inference finds them again.
  auto *info = g.mutable_value_info();
  for (int k = info->size() - 1; k >= 0; --k) {
    const ChannelMap *m = mapOf(info->Get(k).name());
    if (m && kept(m->atoms).size() != m->atoms.size())
      info->DeleteSubrange(k, 1);
  }
}

} // namespace

int64_t removeChannels(ModelProto &model, ChannelMode mode, double ratio, const std::vector<std::string> &exclude,
                       const std::function<void()> &beforeChange) {
  // Names used inside subgraphs are invisible to the walk above: leave such models alone.
  for (const auto &n : model.graph().node())
    for (const auto &a : n.attribute())
      if (a.has_g() || a.graphs_size())
        return 0;
  ChannelGraph graph(model, exclude);
  graph.build();
  int64_t count = graph.choose(mode, ratio);
  if (count) {
    beforeChange();
    graph.apply();
  }
  return count;
}

} // namespace mcc::transform
