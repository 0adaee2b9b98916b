//===- Prune.cpp - --prune: magnitude, N:M and channel pruning; the lossless channel removal -===//
#include "compiler/transform/PruneInternal.h"

#include "onnx/defs/schema.h"
#include "onnx/shape_inference/implementation.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <set>

namespace mcc::transform {

using ::onnx::ModelProto;
using ::onnx::NodeProto;
using ::onnx::TensorProto;

std::optional<std::vector<float>> readFloats(const TensorProto &t) {
  if (t.data_type() != TensorProto::FLOAT || t.data_location() == TensorProto::EXTERNAL || t.has_segment())
    return std::nullopt;
  int64_t n = 1;
  for (int64_t d : t.dims())
    n *= d;
  std::vector<float> v;
  if (t.has_raw_data()) {
    if ((int64_t)t.raw_data().size() != n * 4)
      return std::nullopt;
    v.resize(n);
    std::memcpy(v.data(), t.raw_data().data(), n * 4);
    return v;
  }
  if (t.float_data_size() != n)
    return std::nullopt;
  v.assign(t.float_data().begin(), t.float_data().end());
  return v;
}

void writeFloats(TensorProto &t, const std::vector<float> &values, const std::vector<int64_t> &dims) {
  t.clear_dims();
  for (int64_t d : dims)
    t.add_dims(d);
  t.clear_float_data();
  t.set_raw_data(std::string(reinterpret_cast<const char *>(values.data()), values.size() * 4));
}

std::string nodeName(const NodeProto &node) {
  return !node.name().empty() ? node.name() : node.output_size() ? node.output(0) : std::string();
}

std::map<std::string, TensorProto *> initializerMap(ModelProto &model) {
  std::map<std::string, TensorProto *> out;
  for (auto &t : *model.mutable_graph()->mutable_initializer())
    out[t.name()] = &t;
  return out;
}

int weightInput(const NodeProto &node, const std::map<std::string, TensorProto *> &initializers) {
  const std::string &op = node.op_type();
  if ((!node.domain().empty() && node.domain() != "ai.onnx") || (op != "Conv" && op != "Gemm" && op != "MatMul") ||
      node.input_size() < 2)
    return -1;
  auto it = initializers.find(node.input(1));
  if (it == initializers.end() || it->second->data_type() != TensorProto::FLOAT || it->second->dims_size() < 2)
    return -1;
  return 1;
}

std::map<std::string, double> layerFlops(const ModelProto &model) {
  ModelProto copy = model;
  try {
    ::onnx::ShapeInferenceOptions options(/*check_type=*/false, /*error_mode=*/0, /*data_prop=*/false);
    ::onnx::shape_inference::InferShapes(copy, ::onnx::OpSchemaRegistry::Instance(), options);
  } catch (const std::exception &) {
    return {};
  }
  std::map<std::string, double> elements;
  auto record = [&](const ::onnx::ValueInfoProto &vi) {
    if (!vi.type().has_tensor_type() || !vi.type().tensor_type().has_shape())
      return;
    double n = 1;
    for (const auto &d : vi.type().tensor_type().shape().dim()) {
      if (!d.has_dim_value())
        return;
      n *= (double)d.dim_value();
    }
    elements[vi.name()] = n;
  };
  for (const auto &vi : copy.graph().value_info())
    record(vi);
  for (const auto &vi : copy.graph().output())
    record(vi);
  std::map<std::string, TensorProto *> inits = initializerMap(copy);
  std::map<std::string, double> flops;
  for (const auto &n : copy.graph().node()) {
    if (weightInput(n, inits) < 0 || !n.output_size() || !elements.count(n.output(0)))
      continue;
    const TensorProto &w = *inits.at(n.input(1));
    double k; // multiply-adds per output element
    if (n.op_type() == "Conv") {
      k = 1;
      for (int d = 1; d < w.dims_size(); ++d)
        k *= (double)w.dims(d);
    } else {
      bool transB = false;
      for (const auto &a : n.attribute())
        transB |= a.name() == "transB" && a.i();
      k = (double)w.dims(n.op_type() == "Gemm" && transB ? 1 : w.dims_size() - 2);
    }
    flops[nodeName(n)] = 2 * k * elements[n.output(0)];
  }
  return flops;
}

namespace {

struct Snapshot {
  std::string op;
  int64_t weights = 0, nonzero = 0, filters = 0;
};

std::map<std::string, Snapshot> snapshot(ModelProto &model) {
  std::map<std::string, Snapshot> out;
  auto inits = initializerMap(model);
  for (const auto &n : model.graph().node()) {
    if (weightInput(n, inits) < 0)
      continue;
    const TensorProto &w = *inits.at(n.input(1));
    auto v = readFloats(w);
    if (!v)
      continue;
    Snapshot s;
    s.op = n.op_type();
    s.weights = (int64_t)v->size();
    s.nonzero = std::count_if(v->begin(), v->end(), [](float x) { return x != 0.0f; });
    bool transB = false;
    for (const auto &a : n.attribute())
      transB |= a.name() == "transB" && a.i();
    s.filters = n.op_type() == "Conv" ? w.dims(0) : w.dims(n.op_type() == "Gemm" && transB ? 0 : w.dims_size() - 1);
    out[nodeName(n)] = s;
  }
  return out;
}

void compare(const std::map<std::string, Snapshot> &before, const std::map<std::string, double> &flopsBefore,
             ModelProto &model, bool onlyChanged, std::vector<LayerFigures> &figures) {
  std::map<std::string, Snapshot> after = snapshot(model);
  std::map<std::string, double> flopsAfter = layerFlops(model);
  for (const auto &n : model.graph().node()) {
    std::string name = nodeName(n);
    auto b = before.find(name);
    auto a = after.find(name);
    if (b == before.end() || a == after.end())
      continue;
    if (onlyChanged && b->second.weights == a->second.weights && b->second.nonzero == a->second.nonzero)
      continue;
    LayerFigures f;
    f.node = name;
    f.op = a->second.op;
    f.weightsBefore = b->second.weights, f.weightsAfter = a->second.weights;
    f.nonzeroBefore = b->second.nonzero, f.nonzeroAfter = a->second.nonzero;
    f.filtersBefore = b->second.filters, f.filtersAfter = a->second.filters;
    f.flopsBefore = flopsBefore.count(name) ? flopsBefore.at(name) : 0;
    f.flopsAfter = flopsAfter.count(name) ? flopsAfter.at(name) : 0;
    figures.push_back(f);
  }
}

/// The prunable weight tensors in graph order, excluded nodes left out.
std::vector<std::pair<const NodeProto *, TensorProto *>> prunableLayers(ModelProto &model,
                                                                        const std::vector<std::string> &exclude) {
  std::vector<std::pair<const NodeProto *, TensorProto *>> out;
  auto inits = initializerMap(model);
  std::set<std::string> skip(exclude.begin(), exclude.end()), seen;
  for (const auto &n : model.graph().node())
    if (weightInput(n, inits) >= 0 && !skip.count(nodeName(n)) && seen.insert(n.input(1)).second &&
        readFloats(*inits.at(n.input(1))))
      out.emplace_back(&n, inits.at(n.input(1)));
  return out;
}

std::vector<int64_t> dimsOf(const TensorProto &t) { return {t.dims().begin(), t.dims().end()}; }

/// Zeroes the `count` weights of smallest magnitude among `values` (ties broken by position).
void zeroSmallest(std::vector<float *> &values, int64_t count) {
  if (count <= 0)
    return;
  std::vector<size_t> order(values.size());
  for (size_t k = 0; k < order.size(); ++k)
    order[k] = k;
  count = std::min<int64_t>(count, (int64_t)order.size());
  std::nth_element(order.begin(), order.begin() + (count - 1), order.end(), [&](size_t x, size_t y) {
    float ax = std::fabs(*values[x]), ay = std::fabs(*values[y]);
    return ax < ay || (ax == ay && x < y);
  });
  for (int64_t k = 0; k < count; ++k)
    *values[order[k]] = 0.0f;
}

void magnitude(ModelProto &model, const PruneOptions &o) {
  auto layers = prunableLayers(model, o.exclude);
  std::vector<std::vector<float>> data;
  for (auto &[node, w] : layers)
    data.push_back(*readFloats(*w));
  if (o.global) {
    std::vector<float *> all;
    for (auto &d : data)
      for (float &v : d)
        all.push_back(&v);
    zeroSmallest(all, (int64_t)std::floor(o.amount * (double)all.size()));
  } else {
    for (auto &d : data) {
      std::vector<float *> ptrs;
      for (float &v : d)
        ptrs.push_back(&v);
      zeroSmallest(ptrs, (int64_t)std::floor(o.amount * (double)d.size()));
    }
  }
  for (size_t k = 0; k < layers.size(); ++k)
    writeFloats(*layers[k].second, data[k], dimsOf(*layers[k].second));
}

/// N:M along the reduction: Conv filters (C/g x KH x KW, contiguous), Gemm/MatMul columns of B (K).
void nOfM(ModelProto &model, const PruneOptions &o) {
  for (auto &[node, w] : prunableLayers(model, o.exclude)) {
    std::vector<float> d = *readFloats(*w);
    std::vector<int64_t> dims = dimsOf(*w);
    int64_t k, cols, kStride, colStride; // element (k, col) at k * kStride + col * colStride
    bool transB = false;
    for (const auto &a : node->attribute())
      transB |= a.name() == "transB" && a.i();
    if (node->op_type() == "Conv") {
      cols = dims[0], k = (int64_t)d.size() / std::max<int64_t>(cols, 1), kStride = 1, colStride = k;
    } else if (node->op_type() == "Gemm" && transB) {
      cols = dims[0], k = dims[1], kStride = 1, colStride = k;
    } else {
      // MatMul's B may be batched: each matrix of the batch separately.
      k = dims[dims.size() - 2], cols = (int64_t)d.size() / k, kStride = dims.back(), colStride = 1;
    }
    for (int64_t c = 0; c < cols; ++c) {
      int64_t base =
          node->op_type() == "MatMul" ? (c / dims.back()) * k * dims.back() + c % dims.back() : c * colStride;
      for (int64_t g0 = 0; g0 + o.m <= k; g0 += o.m) {
        std::vector<float *> group;
        for (int64_t j = 0; j < o.m; ++j)
          group.push_back(&d[base + (g0 + j) * kStride]);
        zeroSmallest(group, o.m - o.n);
      }
    }
    writeFloats(*w, d, dims);
  }
}

std::string checkExcluded(const ModelProto &model, const std::vector<std::string> &exclude) {
  std::set<std::string> names;
  for (const auto &n : model.graph().node())
    names.insert(nodeName(n));
  for (const std::string &e : exclude)
    if (!names.count(e))
      return "--prune-exclude: the model has no node '" + e + "'";
  return "";
}

} // namespace

std::string parsePruneOption(llvm::StringRef text, PruneOptions &options) {
  llvm::SmallVector<llvm::StringRef> parts;
  text.split(parts, ':');
  auto fraction = [&](llvm::StringRef s, double &out, const char *what) -> std::string {
    if (s.trim().getAsDouble(out) || !(out >= 0.0 && out < 1.0))
      return "--prune=" + text.str() + ": " + what + " must be a number in [0, 1), got '" + s.str() + "'";
    return "";
  };
  if (parts[0] == "magnitude") {
    if (parts.size() < 2 || parts.size() > 3 || (parts.size() == 3 && parts[2] != "global"))
      return "--prune=" + text.str() + ": expected magnitude:S or magnitude:S:global";
    options.kind = PruneOptions::Kind::Magnitude;
    options.global = parts.size() == 3;
    return fraction(parts[1], options.amount, "the sparsity S");
  }
  if (parts[0] == "channels") {
    if (parts.size() != 2)
      return "--prune=" + text.str() + ": expected channels:R";
    options.kind = PruneOptions::Kind::Channels;
    return fraction(parts[1], options.amount, "the share of channels R");
  }
  int64_t n, m;
  if (parts.size() == 2 && !parts[0].getAsInteger(10, n) && !parts[1].getAsInteger(10, m)) {
    if (!(n > 0 && n < m && m <= 64))
      return "--prune=" + text.str() + ": N:M needs 0 < N < M <= 64";
    options.kind = PruneOptions::Kind::NOfM;
    options.n = n, options.m = m;
    return "";
  }
  return "--prune=" + text.str() + ": expected magnitude:S, magnitude:S:global, N:M (e.g. 2:4) or channels:R";
}

int64_t removeZeroChannels(ModelProto &model, const std::vector<std::string> &exclude,
                           std::vector<LayerFigures> &figures) {
  std::map<std::string, Snapshot> before;
  std::map<std::string, double> flops;
  int64_t removed = removeChannels(model, ChannelMode::ZeroOnly, 0, exclude, [&] {
    before = snapshot(model);
    flops = layerFlops(model);
  });
  if (removed)
    compare(before, flops, model, /*onlyChanged=*/true, figures);
  return removed;
}

std::string pruneModel(ModelProto &model, const PruneOptions &options, std::vector<LayerFigures> &figures) {
  if (std::string err = checkExcluded(model, options.exclude); !err.empty())
    return err;
  if (options.kind == PruneOptions::Kind::None)
    return "";
  if (prunableLayers(model, options.exclude).empty())
    return "--prune: nothing to prune: no Conv, Gemm or MatMul with constant float weights" +
           std::string(options.exclude.empty() ? "" : " outside --prune-exclude");
  auto before = snapshot(model);
  auto flops = layerFlops(model);
  switch (options.kind) {
  case PruneOptions::Kind::Magnitude:
    magnitude(model, options);
    break;
  case PruneOptions::Kind::NOfM:
    nOfM(model, options);
    break;
  case PruneOptions::Kind::Channels:
    if (removeChannels(model, ChannelMode::L1Ratio, options.amount, options.exclude, [] {}) == 0 && options.amount > 0)
      return "--prune=channels: nothing to prune: no convolution has output channels that can be removed (each "
             "reaches a graph output or an op whose channels cannot shrink)";
    break;
  case PruneOptions::Kind::None:
    return "";
  }
  compare(before, flops, model, /*onlyChanged=*/false, figures);
  return "";
}

std::string serializeModel(const ModelProto &model) {
  std::string bytes;
  model.SerializeToString(&bytes);
  return bytes;
}

std::string describeFigures(const std::vector<LayerFigures> &figures) {
  std::string out;
  llvm::raw_string_ostream os(out);
  for (const LayerFigures &f : figures) {
    auto pct = [](int64_t a, int64_t b) { return b ? 100.0 * (double)a / (double)b : 0.0; };
    os << "node '" << f.node << "' (" << f.op << "): ";
    if (f.filtersBefore != f.filtersAfter)
      os << f.filtersBefore << " -> " << f.filtersAfter << " filters, ";
    os << "weights " << f.weightsBefore << " -> " << f.weightsAfter
       << llvm::format(" (nonzero %.1f%% -> %.1f%%)", pct(f.nonzeroBefore, f.weightsBefore),
                       pct(f.nonzeroAfter, f.weightsAfter));
    if (f.flopsBefore > 0)
      os << llvm::format(", dense FLOPs %.4g -> %.4g", f.flopsBefore, f.flopsAfter);
    os << "\n";
  }
  return out;
}

} // namespace mcc::transform
