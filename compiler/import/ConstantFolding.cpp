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

#include "onnx/defs/schema.h"
#include "onnx/shape_inference/implementation.h"

#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <unordered_map>
#include <unordered_set>

namespace mcc::import {
namespace {

using ::onnx::AttributeProto;
using ::onnx::GraphProto;
using ::onnx::NodeProto;
using ::onnx::TensorProto;
using ::onnx::TypeProto;

/// Larger results stay computed at run time: folding them would bloat the object for nothing a shape
/// depends on. Inputs are bounded the same way so a huge initializer is never decoded here.
constexpr int64_t kMaxElements = 1 << 16;
/// Rounds of (fold, re-infer); each round folds whole chains, so only shape feedback needs more.
constexpr int kMaxRounds = 16;

/// A tensor known at compile time. Integers and bool live in `ints` (every supported integer type
/// fits in int64), float and double in `reals` (float values are kept rounded to float).
struct Const {
  int32_t dtype = 0;
  std::vector<int64_t> shape;
  std::vector<int64_t> ints;
  std::vector<double> reals;

  bool isReal() const { return dtype == TensorProto::FLOAT || dtype == TensorProto::DOUBLE; }
  int64_t size() const { return isReal() ? (int64_t)reals.size() : (int64_t)ints.size(); }
  int64_t rank() const { return (int64_t)shape.size(); }
};

bool isSupportedType(int32_t t) {
  switch (t) {
  case TensorProto::FLOAT:
  case TensorProto::DOUBLE:
  case TensorProto::BOOL:
  case TensorProto::INT8:
  case TensorProto::INT16:
  case TensorProto::INT32:
  case TensorProto::INT64:
  case TensorProto::UINT8:
  case TensorProto::UINT16:
  case TensorProto::UINT32:
    return true;
  default:
    return false;
  }
}

bool isRealType(int32_t t) { return t == TensorProto::FLOAT || t == TensorProto::DOUBLE; }

/// Two's-complement wrap of `v` into integer type `t` (the ONNX integer ops wrap on overflow).
int64_t wrapInt(int64_t v, int32_t t) {
  switch (t) {
  case TensorProto::BOOL:
    return v != 0;
  case TensorProto::INT8:
    return (int8_t)(uint8_t)v;
  case TensorProto::INT16:
    return (int16_t)(uint16_t)v;
  case TensorProto::INT32:
    return (int32_t)(uint32_t)v;
  case TensorProto::UINT8:
    return (uint8_t)v;
  case TensorProto::UINT16:
    return (uint16_t)v;
  case TensorProto::UINT32:
    return (uint32_t)v;
  default:
    return v;
  }
}

double roundReal(double v, int32_t t) { return t == TensorProto::FLOAT ? (double)(float)v : v; }

std::optional<int64_t> product(const std::vector<int64_t> &shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    if (d < 0 || __builtin_mul_overflow(n, d, &n))
      return std::nullopt;
  return n;
}

Const makeConst(int32_t dtype, std::vector<int64_t> shape) {
  Const c;
  c.dtype = dtype;
  c.shape = std::move(shape);
  int64_t n = product(c.shape).value_or(0);
  if (c.isReal())
    c.reals.assign(n, 0.0);
  else
    c.ints.assign(n, 0);
  return c;
}

/// Copies element `from` of `src` to element `to` of `dst` (same dtype).
void copyElement(const Const &src, int64_t from, Const &dst, int64_t to) {
  if (src.isReal())
    dst.reals[to] = src.reals[from];
  else
    dst.ints[to] = src.ints[from];
}

std::vector<int64_t> stridesOf(const std::vector<int64_t> &shape) {
  std::vector<int64_t> s(shape.size(), 1);
  for (int64_t i = (int64_t)shape.size() - 2; i >= 0; --i)
    s[i] = s[i + 1] * shape[i + 1];
  return s;
}

template <typename T> bool readRaw(const TensorProto &t, int64_t n, std::vector<T> &out) {
  if ((int64_t)t.raw_data().size() != n * (int64_t)sizeof(T))
    return false;
  out.resize(n);
  if (n) // memcpy from an empty buffer is undefined (UBSan)
    std::memcpy(out.data(), t.raw_data().data(), n * sizeof(T));
  return true;
}

/// Decodes a TensorProto (raw or typed fields, little-endian host as everywhere in mcc).
std::optional<Const> fromProto(const TensorProto &t) {
  if (!isSupportedType(t.data_type()) || t.data_location() == TensorProto::EXTERNAL || t.has_segment())
    return std::nullopt;
  Const c;
  c.dtype = t.data_type();
  c.shape.assign(t.dims().begin(), t.dims().end());
  std::optional<int64_t> n = product(c.shape);
  if (!n || *n > kMaxElements)
    return std::nullopt;
  bool raw = t.has_raw_data();
  auto fromInts = [&](auto values) -> bool {
    c.ints.assign(values.begin(), values.end());
    return (int64_t)c.ints.size() == *n;
  };
  bool ok = false;
  switch (t.data_type()) {
  case TensorProto::FLOAT: {
    std::vector<float> v;
    ok = raw ? readRaw(t, *n, v) : (v.assign(t.float_data().begin(), t.float_data().end()), (int64_t)v.size() == *n);
    c.reals.assign(v.begin(), v.end());
    break;
  }
  case TensorProto::DOUBLE: {
    std::vector<double> v;
    ok = raw ? readRaw(t, *n, v) : (v.assign(t.double_data().begin(), t.double_data().end()), (int64_t)v.size() == *n);
    c.reals = std::move(v);
    break;
  }
  case TensorProto::INT64: {
    std::vector<int64_t> v;
    ok = raw ? readRaw(t, *n, v) : (v.assign(t.int64_data().begin(), t.int64_data().end()), (int64_t)v.size() == *n);
    c.ints = std::move(v);
    break;
  }
  case TensorProto::UINT32: {
    if (raw) {
      std::vector<uint32_t> v;
      ok = readRaw(t, *n, v) && fromInts(v);
    } else {
      ok = fromInts(t.uint64_data());
    }
    break;
  }
  case TensorProto::INT32: {
    std::vector<int32_t> v;
    ok = raw ? readRaw(t, *n, v) && fromInts(v) : fromInts(t.int32_data());
    break;
  }
  case TensorProto::INT16: {
    std::vector<int16_t> v;
    ok = raw ? readRaw(t, *n, v) && fromInts(v) : fromInts(t.int32_data());
    break;
  }
  case TensorProto::UINT16: {
    std::vector<uint16_t> v;
    ok = raw ? readRaw(t, *n, v) && fromInts(v) : fromInts(t.int32_data());
    break;
  }
  case TensorProto::INT8: {
    std::vector<int8_t> v;
    ok = raw ? readRaw(t, *n, v) && fromInts(v) : fromInts(t.int32_data());
    break;
  }
  case TensorProto::UINT8:
  case TensorProto::BOOL: {
    std::vector<uint8_t> v;
    ok = raw ? readRaw(t, *n, v) && fromInts(v) : fromInts(t.int32_data());
    break;
  }
  default:
    break;
  }
  if (!ok)
    return std::nullopt;
  for (int64_t &v : c.ints)
    v = wrapInt(v, c.dtype);
  for (double &v : c.reals)
    v = roundReal(v, c.dtype);
  return c;
}

TensorProto toProto(const Const &c, const std::string &name) {
  TensorProto t;
  t.set_name(name);
  t.set_data_type(c.dtype);
  for (int64_t d : c.shape)
    t.add_dims(d);
  switch (c.dtype) {
  case TensorProto::FLOAT:
    for (double v : c.reals)
      t.add_float_data((float)v);
    break;
  case TensorProto::DOUBLE:
    for (double v : c.reals)
      t.add_double_data(v);
    break;
  case TensorProto::INT64:
    for (int64_t v : c.ints)
      t.add_int64_data(v);
    break;
  case TensorProto::UINT32:
    for (int64_t v : c.ints)
      t.add_uint64_data((uint64_t)v);
    break;
  default: // the types stored in int32_data
    for (int64_t v : c.ints)
      t.add_int32_data((int32_t)v);
    break;
  }
  return t;
}

/// The attributes of one node, by name.
struct Attrs {
  std::map<std::string, const AttributeProto *> byName;
  explicit Attrs(const NodeProto &n) {
    for (const auto &a : n.attribute())
      byName[a.name()] = &a;
  }
  const AttributeProto *get(const std::string &name) const {
    auto it = byName.find(name);
    return it == byName.end() ? nullptr : it->second;
  }
  int64_t i(const std::string &name, int64_t dflt) const {
    const AttributeProto *a = get(name);
    return a ? a->i() : dflt;
  }
  std::optional<std::vector<int64_t>> ints(const std::string &name) const {
    const AttributeProto *a = get(name);
    if (!a)
      return std::nullopt;
    return std::vector<int64_t>(a->ints().begin(), a->ints().end());
  }
};

/// Normalises `axis` into [0, rank); nullopt when out of range.
std::optional<int64_t> normAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return std::nullopt;
  return axis < 0 ? axis + rank : axis;
}

std::optional<std::vector<int64_t>> broadcastShapes(const std::vector<const Const *> &ins) {
  size_t rank = 0;
  for (const Const *c : ins)
    rank = std::max(rank, c->shape.size());
  std::vector<int64_t> out(rank, 1);
  for (const Const *c : ins)
    for (size_t i = 0; i < c->shape.size(); ++i) {
      int64_t &o = out[rank - c->shape.size() + i];
      int64_t d = c->shape[i];
      if (d == o || d == 1)
        continue;
      if (o != 1)
        return std::nullopt;
      o = d;
    }
  return out;
}

/// Calls `fn(out index, input indices)` for every element of the numpy broadcast of `ins`.
bool forEachBroadcast(const std::vector<const Const *> &ins, std::vector<int64_t> &outShape,
                      const std::function<bool(int64_t, const std::vector<int64_t> &)> &fn) {
  std::optional<std::vector<int64_t>> shape = broadcastShapes(ins);
  if (!shape)
    return false;
  std::optional<int64_t> n = product(*shape);
  if (!n || *n > kMaxElements)
    return false;
  outShape = *shape;
  size_t rank = shape->size();
  std::vector<std::vector<int64_t>> strides;
  for (const Const *c : ins) {
    std::vector<int64_t> own = stridesOf(c->shape), s(rank, 0);
    for (size_t i = 0; i < c->shape.size(); ++i)
      if (c->shape[i] != 1)
        s[rank - c->shape.size() + i] = own[i];
    strides.push_back(std::move(s));
  }
  std::vector<int64_t> idx(rank, 0), at(ins.size(), 0);
  for (int64_t e = 0; e < *n; ++e) {
    if (!fn(e, at))
      return false;
    for (int64_t d = (int64_t)rank - 1; d >= 0; --d) {
      ++idx[d];
      for (size_t k = 0; k < ins.size(); ++k)
        at[k] += strides[k][d];
      if (idx[d] < (*shape)[d])
        break;
      for (size_t k = 0; k < ins.size(); ++k)
        at[k] -= strides[k][d] * idx[d];
      idx[d] = 0;
    }
  }
  return true;
}

/// Integer arithmetic without signed-overflow UB; the result is wrapped into the dtype afterwards.
int64_t addWrap(int64_t a, int64_t b) { return (int64_t)((uint64_t)a + (uint64_t)b); }
int64_t subWrap(int64_t a, int64_t b) { return (int64_t)((uint64_t)a - (uint64_t)b); }
int64_t mulWrap(int64_t a, int64_t b) { return (int64_t)((uint64_t)a * (uint64_t)b); }

using IntFn = std::function<std::optional<int64_t>(int64_t, int64_t)>;
using RealFn = std::function<std::optional<double>(double, double)>;

/// Elementwise binary op of one dtype (a null function: not defined for that kind of type).
std::optional<Const> binary(const Const &a, const Const &b, const IntFn &intFn, const RealFn &realFn) {
  if (a.dtype != b.dtype || (a.isReal() ? !realFn : !intFn))
    return std::nullopt;
  Const out;
  out.dtype = a.dtype;
  bool ok = forEachBroadcast({&a, &b}, out.shape, [&](int64_t, const std::vector<int64_t> &at) {
    if (a.isReal()) {
      std::optional<double> r = realFn(a.reals[at[0]], b.reals[at[1]]);
      if (!r)
        return false;
      out.reals.push_back(roundReal(*r, a.dtype));
    } else {
      std::optional<int64_t> r = intFn(a.ints[at[0]], b.ints[at[1]]);
      if (!r)
        return false;
      out.ints.push_back(wrapInt(*r, a.dtype));
    }
    return true;
  });
  if (!ok)
    return std::nullopt;
  return out;
}

/// Comparison producing bool.
std::optional<Const> compare(const Const &a, const Const &b, const std::function<bool(int)> &fromSign) {
  if (a.dtype != b.dtype)
    return std::nullopt;
  Const out;
  out.dtype = TensorProto::BOOL;
  bool ok = forEachBroadcast({&a, &b}, out.shape, [&](int64_t, const std::vector<int64_t> &at) {
    if (a.isReal()) {
      double x = a.reals[at[0]], y = b.reals[at[1]];
      if (std::isnan(x) || std::isnan(y)) {
        out.ints.push_back(0); // every ordered or equality comparison with NaN is false
        return true;
      }
      out.ints.push_back(fromSign(x < y ? -1 : x > y ? 1 : 0));
    } else {
      int64_t x = a.ints[at[0]], y = b.ints[at[1]];
      out.ints.push_back(fromSign(x < y ? -1 : x > y ? 1 : 0));
    }
    return true;
  });
  if (!ok)
    return std::nullopt;
  return out;
}

std::optional<Const> unary(const Const &a, const std::function<std::optional<int64_t>(int64_t)> &intFn,
                           const std::function<double(double)> &realFn) {
  if (a.isReal() ? !realFn : !intFn)
    return std::nullopt;
  Const out = a;
  for (double &v : out.reals)
    v = roundReal(realFn(v), a.dtype);
  for (int64_t &v : out.ints) {
    std::optional<int64_t> r = intFn(v);
    if (!r)
      return std::nullopt;
    v = wrapInt(*r, a.dtype);
  }
  return out;
}

std::optional<Const> castTo(const Const &a, int32_t to) {
  if (!isSupportedType(to))
    return std::nullopt;
  Const out;
  out.dtype = to;
  out.shape = a.shape;
  if (isRealType(to)) {
    if (a.isReal())
      for (double v : a.reals)
        out.reals.push_back(roundReal(v, to));
    else
      for (int64_t v : a.ints)
        out.reals.push_back(roundReal((double)v, to));
    return out;
  }
  if (!a.isReal()) {
    for (int64_t v : a.ints)
      out.ints.push_back(wrapInt(v, to));
    return out;
  }
  for (double v : a.reals) {
    if (to == TensorProto::BOOL) {
      out.ints.push_back(v != 0.0);
      continue;
    }
    // Float to integer truncates toward zero; a value the target cannot hold has no defined result.
    double t = std::trunc(v);
    if (std::isnan(v) || t < -9.2e18 || t > 9.2e18 || wrapInt((int64_t)t, to) != (int64_t)t)
      return std::nullopt;
    out.ints.push_back((int64_t)t);
  }
  return out;
}

/// The ints of a 1-D (or scalar) integer tensor.
std::optional<std::vector<int64_t>> intList(const Const *c) {
  if (!c || c->isReal() || c->rank() > 1)
    return std::nullopt;
  return c->ints;
}

std::optional<Const> transpose(const Const &a, std::vector<int64_t> perm) {
  int64_t r = a.rank();
  if (perm.empty())
    for (int64_t i = r - 1; i >= 0; --i)
      perm.push_back(i);
  if ((int64_t)perm.size() != r)
    return std::nullopt;
  std::vector<bool> seen(r, false);
  for (int64_t &p : perm) {
    std::optional<int64_t> ax = normAxis(p, r);
    if (!ax || seen[*ax])
      return std::nullopt;
    seen[*ax] = true;
    p = *ax;
  }
  std::vector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(a.shape[p]);
  Const out = makeConst(a.dtype, shape);
  std::vector<int64_t> inStrides = stridesOf(a.shape), idx(r, 0);
  for (int64_t e = 0; e < out.size(); ++e) {
    int64_t src = 0;
    for (int64_t d = 0; d < r; ++d)
      src += idx[d] * inStrides[perm[d]];
    copyElement(a, src, out, e);
    for (int64_t d = r - 1; d >= 0; --d) {
      if (++idx[d] < shape[d])
        break;
      idx[d] = 0;
    }
  }
  return out;
}

/// Reduces `a` over `axes` (all when empty) with `combine`, starting from `init` (none: the
/// reduction of an empty set is undefined).
std::optional<Const> reduce(const Const &a, std::vector<int64_t> axes, bool keepDims,
                            std::optional<double> init,
                            const std::function<double(double, double)> &realFn, const IntFn &intFn) {
  int64_t r = a.rank();
  std::vector<bool> reduced(r, axes.empty());
  for (int64_t ax : axes) {
    std::optional<int64_t> n = normAxis(ax, r);
    if (!n)
      return std::nullopt;
    reduced[*n] = true;
  }
  std::vector<int64_t> outShape, keptShape;
  for (int64_t d = 0; d < r; ++d) {
    if (!reduced[d] || keepDims)
      outShape.push_back(reduced[d] ? 1 : a.shape[d]);
    keptShape.push_back(reduced[d] ? 1 : a.shape[d]);
  }
  Const out = makeConst(a.dtype, outShape);
  std::vector<bool> started(out.size(), false);
  std::vector<int64_t> outStrides = stridesOf(keptShape), idx(r, 0);
  for (int64_t e = 0; e < a.size(); ++e) {
    int64_t o = 0;
    for (int64_t d = 0; d < r; ++d)
      if (!reduced[d])
        o += idx[d] * outStrides[d];
    if (!started[o]) {
      copyElement(a, e, out, o);
      started[o] = true;
    } else if (a.isReal()) {
      out.reals[o] = roundReal(realFn(out.reals[o], a.reals[e]), a.dtype);
    } else {
      std::optional<int64_t> v = intFn(out.ints[o], a.ints[e]);
      if (!v)
        return std::nullopt;
      out.ints[o] = wrapInt(*v, a.dtype);
    }
    for (int64_t d = r - 1; d >= 0; --d) {
      if (++idx[d] < a.shape[d])
        break;
      idx[d] = 0;
    }
  }
  for (int64_t o = 0; o < out.size(); ++o)
    if (!started[o]) {
      if (!init)
        return std::nullopt;
      if (out.isReal())
        out.reals[o] = *init;
      else
        out.ints[o] = (int64_t)*init;
    }
  return out;
}

/// What the folder knows in one graph: compile-time values and inferred types, looked up through the
/// enclosing graphs (a subgraph sees the values of the graphs around it).
class Scope {
public:
  explicit Scope(const Scope *parent) : parent(parent) {}

  void addProto(const std::string &name, const TensorProto *t) {
    protos[name] = t;
    local.insert(name);
  }
  void addConst(const std::string &name, Const c) {
    consts[name] = std::move(c);
    local.insert(name);
  }
  /// A value of this graph that is not known at compile time (shadows outer names).
  void addUnknown(const std::string &name) {
    if (!consts.count(name) && !protos.count(name))
      local.insert(name);
  }
  void addType(const std::string &name, const TypeProto *t) { types[name] = t; }

  const Const *value(const std::string &name) {
    if (!local.count(name))
      return parent ? const_cast<Scope *>(parent)->value(name) : nullptr;
    auto it = consts.find(name);
    if (it != consts.end())
      return &it->second;
    auto p = protos.find(name);
    if (p == protos.end())
      return nullptr;
    std::optional<Const> c = fromProto(*p->second);
    protos.erase(p);
    if (!c)
      return nullptr;
    return &(consts[name] = std::move(*c));
  }

  /// The static shape of `name` from shape inference, if it has one.
  std::optional<std::vector<int64_t>> staticShape(const std::string &name) const {
    auto it = types.find(name);
    if (it == types.end())
      return parent && !local.count(name) ? parent->staticShape(name) : std::nullopt;
    const TypeProto &t = *it->second;
    if (!t.has_tensor_type() || !t.tensor_type().has_shape())
      return std::nullopt;
    std::vector<int64_t> dims;
    for (const auto &d : t.tensor_type().shape().dim()) {
      if (!d.has_dim_value())
        return std::nullopt;
      dims.push_back(d.dim_value());
    }
    return dims;
  }

private:
  const Scope *parent;
  std::unordered_set<std::string> local;
  std::unordered_map<std::string, Const> consts;
  std::unordered_map<std::string, const TensorProto *> protos;
  std::unordered_map<std::string, const TypeProto *> types;
};

class Folder {
public:
  /// Folds `graph` (and its subgraphs); returns whether anything changed.
  bool foldGraph(GraphProto &graph, Scope *parent, bool isMain);

private:
  std::optional<Const> evaluate(const NodeProto &node, Scope &scope);
  std::optional<Const> constantNodeValue(const NodeProto &node);
  bool pinLoopShapes(const NodeProto &node, GraphProto &graph, Scope &scope);
  bool pinSliceShape(const NodeProto &node, GraphProto &graph, Scope &scope);
  /// Element type of `name` as inferred, or 0.
  std::unordered_map<std::string, int32_t> elemTypes;
};

std::optional<Const> Folder::constantNodeValue(const NodeProto &node) {
  if (node.attribute_size() != 1)
    return std::nullopt;
  const AttributeProto &a = node.attribute(0);
  Const c;
  if (a.name() == "value")
    return fromProto(a.t());
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

/// Elementwise arithmetic, comparisons and logic.
std::optional<Const> foldElementwise(const NodeProto &node, const Attrs &attrs, const std::vector<const Const *> &in) {
  const std::string &op = node.op_type();
  auto input = [&](size_t i) -> const Const * { return i < in.size() ? in[i] : nullptr; };
  const Const *x = input(0);
  // Elementwise arithmetic with numpy broadcasting. Before opset 7 these ops broadcast only with the
  // `broadcast` attribute, aligned at `axis`: those are folded only when no broadcasting happens.
  if (attrs.get("broadcast") && x && input(1) && x->shape != input(1)->shape)
    return std::nullopt;
  if (op == "Add")
    return x && input(1) ? binary(*x, *input(1), [](int64_t a, int64_t b) { return addWrap(a, b); },
                                  [](double a, double b) { return a + b; })
                         : std::nullopt;
  if (op == "Sub")
    return x && input(1) ? binary(*x, *input(1), [](int64_t a, int64_t b) { return subWrap(a, b); },
                                  [](double a, double b) { return a - b; })
                         : std::nullopt;
  if (op == "Mul")
    return x && input(1) ? binary(*x, *input(1), [](int64_t a, int64_t b) { return mulWrap(a, b); },
                                  [](double a, double b) { return a * b; })
                         : std::nullopt;
  if (op == "Div") {
    if (!x || !input(1))
      return std::nullopt;
    // Integer division truncates toward zero; by zero (or INT64_MIN / -1) it has no defined result.
    return binary(*x, *input(1),
                  [](int64_t a, int64_t b) -> std::optional<int64_t> {
                    if (b == 0 || (a == std::numeric_limits<int64_t>::min() && b == -1))
                      return std::nullopt;
                    return a / b;
                  },
                  [](double a, double b) { return a / b; });
  }
  if (op == "Mod") {
    if (!x || !input(1))
      return std::nullopt;
    bool fmod = attrs.i("fmod", 0) != 0;
    if (x->isReal() && !fmod)
      return std::nullopt; // floating Mod requires fmod=1
    return binary(*x, *input(1),
                  [fmod](int64_t a, int64_t b) -> std::optional<int64_t> {
                    if (b == 0 || (a == std::numeric_limits<int64_t>::min() && b == -1))
                      return std::nullopt;
                    int64_t r = a % b;
                    // fmod=0: the result takes the divisor's sign, as Python's %.
                    if (!fmod && r != 0 && ((r < 0) != (b < 0)))
                      r += b;
                    return r;
                  },
                  [](double a, double b) { return std::fmod(a, b); });
  }
  if (op == "Min" || op == "Max") {
    if (in.empty() || !x)
      return std::nullopt;
    bool isMin = op == "Min";
    Const acc = *x;
    for (size_t k = 1; k < in.size(); ++k) {
      if (!in[k])
        return std::nullopt;
      std::optional<Const> r = binary(
          acc, *in[k], [isMin](int64_t a, int64_t b) -> std::optional<int64_t> { return isMin ? std::min(a, b) : std::max(a, b); },
          [isMin](double a, double b) -> std::optional<double> {
            if (std::isnan(a) || std::isnan(b))
              return std::nullopt; // leave NaN handling to the run-time op
            return isMin ? std::min(a, b) : std::max(a, b);
          });
      if (!r)
        return std::nullopt;
      acc = std::move(*r);
    }
    return acc;
  }
  if (op == "Neg" && x)
    return unary(*x, [](int64_t a) -> std::optional<int64_t> { return subWrap(0, a); },
                 [](double a) { return -a; });
  if (op == "Abs" && x)
    return unary(*x, [](int64_t a) -> std::optional<int64_t> { return a < 0 ? subWrap(0, a) : a; },
                 [](double a) { return std::fabs(a); });
  if (op == "Ceil" && x)
    return unary(*x, nullptr, [](double a) { return std::ceil(a); });
  if (op == "Floor" && x)
    return unary(*x, nullptr, [](double a) { return std::floor(a); });
  if (op == "Relu" && x)
    return unary(*x, [](int64_t a) -> std::optional<int64_t> { return std::max<int64_t>(a, 0); },
                 [](double a) { return a < 0 ? 0.0 : a; });

  // Comparisons and logic.
  if (op == "Equal" && x && input(1))
    return compare(*x, *input(1), [](int s) { return s == 0; });
  if (op == "Less" && x && input(1))
    return compare(*x, *input(1), [](int s) { return s < 0; });
  if (op == "LessOrEqual" && x && input(1))
    return compare(*x, *input(1), [](int s) { return s <= 0; });
  if (op == "Greater" && x && input(1))
    return compare(*x, *input(1), [](int s) { return s > 0; });
  if (op == "GreaterOrEqual" && x && input(1))
    return compare(*x, *input(1), [](int s) { return s >= 0; });
  if ((op == "And" || op == "Or" || op == "Xor") && x && input(1)) {
    if (x->dtype != TensorProto::BOOL || input(1)->dtype != TensorProto::BOOL)
      return std::nullopt;
    return binary(*x, *input(1),
                  [&op](int64_t a, int64_t b) -> std::optional<int64_t> {
                    return op == "And" ? (a && b) : op == "Or" ? (a || b) : (a != b);
                  },
                  nullptr);
  }
  if (op == "Not" && x) {
    if (x->dtype != TensorProto::BOOL)
      return std::nullopt;
    return unary(*x, [](int64_t a) -> std::optional<int64_t> { return !a; }, nullptr);
  }
  if (op == "Where") {
    const Const *a = input(1), *b = input(2);
    if (!x || !a || !b || x->dtype != TensorProto::BOOL || a->dtype != b->dtype)
      return std::nullopt;
    Const out;
    out.dtype = a->dtype;
    bool ok = forEachBroadcast({x, a, b}, out.shape, [&](int64_t, const std::vector<int64_t> &at) {
      const Const &src = x->ints[at[0]] ? *a : *b;
      int64_t from = x->ints[at[0]] ? at[1] : at[2];
      if (src.isReal())
        out.reals.push_back(src.reals[from]);
      else
        out.ints.push_back(src.ints[from]);
      return true;
    });
    return ok ? std::optional<Const>(out) : std::nullopt;
  }

  return std::nullopt;
}

/// Ops that move or generate data: reshapes, gathers, slices, concatenation, ranges.
std::optional<Const> foldDataMovement(const NodeProto &node, const Attrs &attrs, const std::vector<const Const *> &in) {
  const std::string &op = node.op_type();
  auto input = [&](size_t i) -> const Const * { return i < in.size() ? in[i] : nullptr; };
  const Const *x = input(0);
  // Data movement.
  if (op == "Reshape" && x) {
    std::optional<std::vector<int64_t>> target = intList(input(1));
    if (!target)
      return std::nullopt;
    bool allowZero = attrs.i("allowzero", 0) != 0;
    int64_t inferred = -1, known = 1;
    std::vector<int64_t> shape = *target;
    for (size_t i = 0; i < shape.size(); ++i) {
      if (shape[i] == 0 && !allowZero) {
        if (i >= x->shape.size())
          return std::nullopt;
        shape[i] = x->shape[i];
      }
      if (shape[i] == -1) {
        if (inferred >= 0)
          return std::nullopt;
        inferred = (int64_t)i;
        continue;
      }
      if (shape[i] < 0)
        return std::nullopt;
      known *= shape[i];
    }
    if (inferred >= 0) {
      if (known == 0 || x->size() % known != 0)
        return std::nullopt;
      shape[inferred] = x->size() / known;
    }
    if (product(shape) != x->size())
      return std::nullopt;
    Const out = *x;
    out.shape = shape;
    return out;
  }
  if (op == "Flatten" && x) {
    int64_t r = x->rank(), axis = attrs.i("axis", 1);
    if (axis < -r || axis > r)
      return std::nullopt;
    if (axis < 0)
      axis += r;
    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < r; ++d)
      (d < axis ? outer : inner) *= x->shape[d];
    Const out = *x;
    out.shape = {outer, inner};
    return out;
  }
  if ((op == "Unsqueeze" || op == "Squeeze") && x) {
    std::optional<std::vector<int64_t>> axes = attrs.ints("axes");
    if (!axes && input(1))
      axes = intList(input(1));
    if (!axes && (op == "Unsqueeze" || input(1)))
      return std::nullopt;
    Const out = *x;
    int64_t r = x->rank();
    if (op == "Unsqueeze") {
      int64_t outRank = r + (int64_t)axes->size();
      std::vector<bool> inserted(outRank, false);
      for (int64_t a : *axes) {
        std::optional<int64_t> n = normAxis(a, outRank);
        if (!n || inserted[*n])
          return std::nullopt;
        inserted[*n] = true;
      }
      out.shape.clear();
      for (int64_t d = 0, j = 0; d < outRank; ++d)
        out.shape.push_back(inserted[d] ? 1 : x->shape[j++]);
      return out;
    }
    std::vector<bool> removed(r, false);
    if (!axes) {
      for (int64_t d = 0; d < r; ++d)
        removed[d] = x->shape[d] == 1;
    } else {
      for (int64_t a : *axes) {
        std::optional<int64_t> n = normAxis(a, r);
        if (!n || x->shape[*n] != 1)
          return std::nullopt;
        removed[*n] = true;
      }
    }
    out.shape.clear();
    for (int64_t d = 0; d < r; ++d)
      if (!removed[d])
        out.shape.push_back(x->shape[d]);
    return out;
  }
  if (op == "Concat") {
    if (in.empty() || !x)
      return std::nullopt;
    int64_t r = x->rank();
    std::optional<int64_t> axis = normAxis(attrs.i("axis", 0), r);
    if (!axis || !attrs.get("axis"))
      return std::nullopt;
    std::vector<int64_t> shape = x->shape;
    shape[*axis] = 0;
    for (const Const *c : in) {
      if (!c || c->dtype != x->dtype || c->rank() != r)
        return std::nullopt;
      for (int64_t d = 0; d < r; ++d)
        if (d != *axis && c->shape[d] != x->shape[d])
          return std::nullopt;
      shape[*axis] += c->shape[*axis];
    }
    std::optional<int64_t> n = product(shape);
    if (!n || *n > kMaxElements)
      return std::nullopt;
    Const out = makeConst(x->dtype, shape);
    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < *axis; ++d)
      outer *= shape[d];
    for (int64_t d = *axis + 1; d < r; ++d)
      inner *= shape[d];
    int64_t e = 0;
    for (int64_t o = 0; o < outer; ++o)
      for (const Const *c : in) {
        int64_t chunk = c->shape[*axis] * inner;
        for (int64_t k = 0; k < chunk; ++k)
          copyElement(*c, o * chunk + k, out, e++);
      }
    return out;
  }
  if (op == "Gather" && x && input(1)) {
    const Const *indices = input(1);
    if (indices->isReal() || (indices->dtype != TensorProto::INT64 && indices->dtype != TensorProto::INT32))
      return std::nullopt;
    std::optional<int64_t> axis = normAxis(attrs.i("axis", 0), x->rank());
    if (!axis)
      return std::nullopt;
    std::vector<int64_t> shape(x->shape.begin(), x->shape.begin() + *axis);
    shape.insert(shape.end(), indices->shape.begin(), indices->shape.end());
    shape.insert(shape.end(), x->shape.begin() + *axis + 1, x->shape.end());
    std::optional<int64_t> n = product(shape);
    if (!n || *n > kMaxElements)
      return std::nullopt;
    int64_t dim = x->shape[*axis], outer = 1, inner = 1;
    for (int64_t d = 0; d < *axis; ++d)
      outer *= x->shape[d];
    for (int64_t d = *axis + 1; d < x->rank(); ++d)
      inner *= x->shape[d];
    Const out = makeConst(x->dtype, shape);
    int64_t e = 0;
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t idx : indices->ints) {
        if (idx < -dim || idx >= dim)
          return std::nullopt;
        if (idx < 0)
          idx += dim;
        for (int64_t k = 0; k < inner; ++k)
          copyElement(*x, (o * dim + idx) * inner + k, out, e++);
      }
    return out;
  }
  if (op == "Slice" && x) {
    int64_t r = x->rank();
    std::optional<std::vector<int64_t>> starts, ends, axes, steps;
    if (attrs.get("starts")) { // opset 1: attributes
      starts = attrs.ints("starts");
      ends = attrs.ints("ends");
      axes = attrs.ints("axes");
    } else {
      starts = intList(input(1));
      ends = intList(input(2));
      if (input(3))
        axes = intList(input(3));
      if (input(4))
        steps = intList(input(4));
      if ((node.input_size() > 3 && !node.input(3).empty() && !axes) ||
          (node.input_size() > 4 && !node.input(4).empty() && !steps))
        return std::nullopt;
    }
    if (!starts || !ends || starts->size() != ends->size())
      return std::nullopt;
    if (!axes) {
      axes.emplace();
      for (size_t i = 0; i < starts->size(); ++i)
        axes->push_back((int64_t)i);
    }
    if (!steps)
      steps = std::vector<int64_t>(starts->size(), 1);
    if (axes->size() != starts->size() || steps->size() != starts->size())
      return std::nullopt;
    std::vector<int64_t> begin(r, 0), step(r, 1), shape = x->shape;
    std::vector<bool> seen(r, false);
    for (size_t i = 0; i < axes->size(); ++i) {
      std::optional<int64_t> a = normAxis((*axes)[i], r);
      if (!a || seen[*a] || (*steps)[i] == 0)
        return std::nullopt;
      seen[*a] = true;
      int64_t dim = x->shape[*a], s = (*starts)[i], e = (*ends)[i], st = (*steps)[i];
      if (s < 0)
        s += dim;
      if (e < 0)
        e += dim;
      if (dim == 0) {
        shape[*a] = 0;
      } else if (st > 0) {
        s = std::clamp<int64_t>(s, 0, dim);
        e = std::clamp<int64_t>(e, 0, dim);
        shape[*a] = e > s ? (e - s + st - 1) / st : 0;
      } else {
        s = std::clamp<int64_t>(s, 0, dim - 1);
        e = std::clamp<int64_t>(e, -1, dim - 1);
        shape[*a] = s > e ? (s - e + (-st) - 1) / (-st) : 0;
      }
      begin[*a] = s;
      step[*a] = st;
    }
    Const out = makeConst(x->dtype, shape);
    std::vector<int64_t> inStrides = stridesOf(x->shape), idx(r, 0);
    for (int64_t e = 0; e < out.size(); ++e) {
      int64_t src = 0;
      for (int64_t d = 0; d < r; ++d)
        src += (begin[d] + idx[d] * step[d]) * inStrides[d];
      copyElement(*x, src, out, e);
      for (int64_t d = r - 1; d >= 0; --d) {
        if (++idx[d] < shape[d])
          break;
        idx[d] = 0;
      }
    }
    return out;
  }
  if (op == "Expand" && x) {
    std::optional<std::vector<int64_t>> dims = intList(input(1));
    if (!dims)
      return std::nullopt;
    Const shapeOnly = makeConst(TensorProto::BOOL, {});
    shapeOnly.shape = *dims;
    for (int64_t d : *dims)
      if (d < 0)
        return std::nullopt;
    Const out;
    out.dtype = x->dtype;
    bool ok = forEachBroadcast({x, &shapeOnly}, out.shape, [&](int64_t, const std::vector<int64_t> &at) {
      if (x->isReal())
        out.reals.push_back(x->reals[at[0]]);
      else
        out.ints.push_back(x->ints[at[0]]);
      return true;
    });
    return ok ? std::optional<Const>(out) : std::nullopt;
  }
  if (op == "Tile" && x) {
    std::optional<std::vector<int64_t>> repeats = intList(input(1));
    if (!repeats || (int64_t)repeats->size() != x->rank())
      return std::nullopt;
    std::vector<int64_t> shape;
    for (int64_t d = 0; d < x->rank(); ++d) {
      if ((*repeats)[d] < 0)
        return std::nullopt;
      shape.push_back(x->shape[d] * (*repeats)[d]);
    }
    std::optional<int64_t> n = product(shape);
    if (!n || *n > kMaxElements)
      return std::nullopt;
    Const out = makeConst(x->dtype, shape);
    std::vector<int64_t> inStrides = stridesOf(x->shape), idx(shape.size(), 0);
    for (int64_t e = 0; e < *n; ++e) {
      int64_t src = 0;
      for (size_t d = 0; d < shape.size(); ++d)
        src += (idx[d] % x->shape[d]) * inStrides[d];
      copyElement(*x, src, out, e);
      for (int64_t d = (int64_t)shape.size() - 1; d >= 0; --d) {
        if (++idx[d] < shape[d])
          break;
        idx[d] = 0;
      }
    }
    return out;
  }
  if (op == "Transpose" && x)
    return transpose(*x, attrs.ints("perm").value_or(std::vector<int64_t>{}));
  if (op == "Range") {
    const Const *limit = input(1), *delta = input(2);
    if (!x || !limit || !delta || x->size() != 1 || limit->size() != 1 || delta->size() != 1 ||
        x->rank() != 0 || limit->rank() != 0 || delta->rank() != 0 || x->dtype != limit->dtype ||
        x->dtype != delta->dtype)
      return std::nullopt;
    Const out;
    out.dtype = x->dtype;
    int64_t n;
    if (x->isReal()) {
      double s = x->reals[0], d = delta->reals[0];
      double count = std::ceil(roundReal(roundReal(limit->reals[0] - s, x->dtype) / d, x->dtype));
      if (d == 0 || std::isnan(count) || count > kMaxElements)
        return std::nullopt;
      n = std::max<int64_t>(0, (int64_t)count);
      for (int64_t i = 0; i < n; ++i)
        out.reals.push_back(roundReal(s + roundReal((double)roundReal((double)i, x->dtype) * d, x->dtype), x->dtype));
    } else {
      __int128 s = x->ints[0], l = limit->ints[0], d = delta->ints[0];
      if (d == 0)
        return std::nullopt;
      __int128 diff = l - s, count = d > 0 ? (diff > 0 ? (diff + d - 1) / d : 0) : (diff < 0 ? (diff + d + 1) / d : 0);
      if (count > kMaxElements)
        return std::nullopt;
      n = (int64_t)count;
      for (int64_t i = 0; i < n; ++i)
        out.ints.push_back(wrapInt(addWrap(x->ints[0], mulWrap(i, delta->ints[0])), x->dtype));
    }
    out.shape = {n};
    return out;
  }

  return std::nullopt;
}

/// ReduceSum/Prod/Min/Max.
std::optional<Const> foldReduction(const NodeProto &node, const Attrs &attrs, const std::vector<const Const *> &in) {
  const std::string &op = node.op_type();
  auto input = [&](size_t i) -> const Const * { return i < in.size() ? in[i] : nullptr; };
  const Const *x = input(0);
  // Reductions.
  if ((op == "ReduceSum" || op == "ReduceProd" || op == "ReduceMin" || op == "ReduceMax") && x) {
    std::optional<std::vector<int64_t>> axes = attrs.ints("axes");
    if (!axes && input(1))
      axes = intList(input(1));
    if (!axes && node.input_size() > 1 && !node.input(1).empty())
      return std::nullopt;
    if ((!axes || axes->empty()) && attrs.i("noop_with_empty_axes", 0) != 0)
      return *x;
    bool keepDims = attrs.i("keepdims", 1) != 0;
    std::vector<int64_t> ax = axes.value_or(std::vector<int64_t>{});
    if (op == "ReduceSum")
      return reduce(*x, ax, keepDims, 0.0, [](double a, double b) { return a + b; },
                    [](int64_t a, int64_t b) -> std::optional<int64_t> { return addWrap(a, b); });
    if (op == "ReduceProd")
      return reduce(*x, ax, keepDims, 1.0, [](double a, double b) { return a * b; },
                    [](int64_t a, int64_t b) -> std::optional<int64_t> { return mulWrap(a, b); });
    bool isMin = op == "ReduceMin";
    if (x->isReal())
      for (double v : x->reals)
        if (std::isnan(v))
          return std::nullopt;
    return reduce(
        *x, ax, keepDims, std::nullopt,
        [isMin](double a, double b) { return isMin ? std::min(a, b) : std::max(a, b); },
        [isMin](int64_t a, int64_t b) -> std::optional<int64_t> { return isMin ? std::min(a, b) : std::max(a, b); });
  }
  return std::nullopt;
}

std::optional<Const> Folder::evaluate(const NodeProto &node, Scope &scope) {
  const std::string &op = node.op_type();
  Attrs attrs(node);

  // Shape and Size need only the input's static shape.
  if (op == "Shape" || op == "Size") {
    if (node.input_size() != 1)
      return std::nullopt;
    std::optional<std::vector<int64_t>> shape = scope.staticShape(node.input(0));
    if (!shape)
      if (const Const *c = scope.value(node.input(0)))
        shape = c->shape;
    if (!shape)
      return std::nullopt;
    Const out;
    out.dtype = TensorProto::INT64;
    if (op == "Size") {
      std::optional<int64_t> n = product(*shape);
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

  std::vector<const Const *> in;
  for (const std::string &name : node.input()) {
    if (name.empty()) {
      in.push_back(nullptr);
      continue;
    }
    const Const *c = scope.value(name);
    if (!c)
      return std::nullopt;
    in.push_back(c);
  }
  auto input = [&](size_t i) -> const Const * { return i < in.size() ? in[i] : nullptr; };
  const Const *x = input(0);

  if (op == "Identity")
    return x ? std::optional<Const>(*x) : std::nullopt;
  if (op == "Cast") {
    if (!x || !attrs.get("to"))
      return std::nullopt;
    return castTo(*x, (int32_t)attrs.i("to", 0));
  }
  if (op == "ConstantOfShape") {
    std::optional<std::vector<int64_t>> dims = intList(x);
    if (!dims || (x && x->rank() != 1))
      return std::nullopt;
    Const fill;
    fill.dtype = TensorProto::FLOAT;
    fill.reals = {0.0};
    if (const AttributeProto *v = attrs.get("value")) {
      std::optional<Const> c = fromProto(v->t());
      if (!c || c->size() != 1)
        return std::nullopt;
      fill = *c;
    }
    std::optional<int64_t> n = product(*dims);
    if (!n || *n > kMaxElements)
      return std::nullopt;
    Const out = makeConst(fill.dtype, *dims);
    for (int64_t e = 0; e < *n; ++e)
      copyElement(fill, 0, out, e);
    return out;
  }

  for (auto family : {foldElementwise, foldDataMovement, foldReduction})
    if (std::optional<Const> c = family(node, attrs, in))
      return c;
  return std::nullopt;
}

/// Replaces `node` by a Constant node producing the same output with `value`.
void replaceWithConstant(NodeProto &node, const Const &value) {
  std::string output = node.output(0), name = node.name();
  node.Clear();
  node.set_name(name);
  node.set_op_type("Constant");
  node.add_output(output);
  AttributeProto *a = node.add_attribute();
  a->set_name("value");
  a->set_type(AttributeProto::TENSOR);
  *a->mutable_t() = toProto(value, output);
}

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

std::optional<std::vector<int64_t>> staticShapeOf(const TypeProto &t) {
  if (!t.has_tensor_type() || !t.tensor_type().has_shape())
    return std::nullopt;
  std::vector<int64_t> dims;
  for (const auto &d : t.tensor_type().shape().dim()) {
    if (!d.has_dim_value())
      return std::nullopt;
    dims.push_back(d.dim_value());
  }
  return dims;
}

/// libonnx leaves two things about a Loop's results unknown that mcc can prove:
/// - a loop-carried value whose body output has the static shape of its initial value keeps that
///   shape on every iteration (by induction: the body was inferred with that input shape), and so
///   has it after the loop;
/// - with a constant trip count M and a condition that provably stays true (the form the Range
///   expansion and most exporters build), every scan output has exactly M rows.
/// Records both so the importer gets static shapes.
bool Folder::pinLoopShapes(const NodeProto &node, GraphProto &graph, Scope &scope) {
  const AttributeProto *bodyAttr = Attrs(node).get("body");
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
      if (const Const *c = scope.value(node.input(2 + k)))
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
  const Const *m = scope.value(node.input(0));
  if (!m || m->isReal() || m->size() != 1 || m->ints[0] < 0)
    return changed;
  if (!node.input(1).empty()) {
    const Const *cond = scope.value(node.input(1));
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
        std::optional<Const> c = constantNodeValue(n);
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
  Attrs attrs(node);
  std::optional<std::vector<int64_t>> starts, ends, axes, steps;
  auto input = [&](int i) -> std::optional<std::vector<int64_t>> {
    if (node.input_size() <= i || node.input(i).empty())
      return std::nullopt;
    const Const *c = scope.value(node.input(i));
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
    int64_t dim = (*data)[*axis], start = (*starts)[i], end = (*ends)[i];
    if (start < 0)
      start = start < -dim ? 0 : start + dim;
    if (end < 0)
      end = end < -dim ? -1 : end + dim;
    if (step > 0) {
      start = std::clamp<int64_t>(start, 0, dim);
      end = std::clamp<int64_t>(end, 0, dim);
      out[*axis] = end > start ? (end - start + step - 1) / step : 0;
    } else {
      start = std::clamp<int64_t>(start, 0, dim - 1);
      end = std::clamp<int64_t>(end, -1, dim - 1);
      out[*axis] = start > end ? (start - end - step - 1) / -step : 0;
    }
  }
  auto it = elemTypes.find(node.input(0));
  return recordShape(graph, node.output(0), it == elemTypes.end() ? 0 : it->second, out);
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
      if (std::optional<Const> c = constantNodeValue(node))
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

    std::optional<Const> value;
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

} // namespace

bool foldConstants(::onnx::ModelProto &model, std::string &error) {
  Folder folder;
  // Ends on a fold pass, so what it records (the Loop scan lengths) is what the importer reads.
  for (int round = 0;; ++round) {
    if (!folder.foldGraph(*model.mutable_graph(), nullptr, /*isMain=*/true) || round + 1 == kMaxRounds)
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
