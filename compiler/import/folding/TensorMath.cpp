//===- TensorMath.cpp - arithmetic on compile-time tensors -----------------===//
#include "compiler/import/folding/Folding.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mcc::import::fold {

/// A zero-filled value of `dtype` and `shape`.
TensorValue makeConst(int32_t dtype, std::vector<int64_t> shape) {
  TensorValue c;
  c.dtype = dtype;
  c.shape = std::move(shape);
  int64_t n = numElements(c.shape).value_or(0);
  if (c.isReal())
    c.reals.assign(n, 0.0);
  else
    c.ints.assign(n, 0);
  return c;
}

/// Copies element `from` of `src` to element `to` of `dst` (same dtype).
void copyElement(const TensorValue &src, int64_t from, TensorValue &dst, int64_t to) {
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

std::pair<int64_t, int64_t> sliceAxis(int64_t dim, int64_t start, int64_t end, int64_t step) {
  // start + dim cannot overflow: start < 0 <= dim.
  if (start < 0)
    start += dim;
  if (end < 0)
    end += dim;
  if (dim == 0)
    return {start, 0};
  if (step > 0) {
    start = std::clamp<int64_t>(start, 0, dim);
    end = std::clamp<int64_t>(end, 0, dim);
    return {start, end > start ? (end - start + step - 1) / step : 0};
  }
  start = std::clamp<int64_t>(start, 0, dim - 1);
  end = std::clamp<int64_t>(end, -1, dim - 1);
  return {start, start > end ? (start - end + (-step) - 1) / (-step) : 0};
}

/// Normalises `axis` into [0, rank); nullopt when out of range.
std::optional<int64_t> normAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return std::nullopt;
  return axis < 0 ? axis + rank : axis;
}

std::optional<std::vector<int64_t>> broadcastShapes(const std::vector<const TensorValue *> &ins) {
  size_t rank = 0;
  for (const TensorValue *c : ins)
    rank = std::max(rank, c->shape.size());
  std::vector<int64_t> out(rank, 1);
  for (const TensorValue *c : ins)
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
bool forEachBroadcast(const std::vector<const TensorValue *> &ins, std::vector<int64_t> &outShape,
                      const std::function<bool(int64_t, const std::vector<int64_t> &)> &fn) {
  std::optional<std::vector<int64_t>> shape = broadcastShapes(ins);
  if (!shape)
    return false;
  std::optional<int64_t> n = numElements(*shape);
  if (!n || *n > kMaxElements)
    return false;
  outShape = *shape;
  size_t rank = shape->size();
  std::vector<std::vector<int64_t>> strides;
  for (const TensorValue *c : ins) {
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

/// Elementwise binary op of one dtype (a null function: not defined for that kind of type).
std::optional<TensorValue> binary(const TensorValue &a, const TensorValue &b, const IntFn &intFn,
                                  const RealFn &realFn) {
  if (a.dtype != b.dtype || (a.isReal() ? !realFn : !intFn))
    return std::nullopt;
  TensorValue out;
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
std::optional<TensorValue> compare(const TensorValue &a, const TensorValue &b,
                                   const std::function<bool(int)> &fromSign) {
  if (a.dtype != b.dtype)
    return std::nullopt;
  TensorValue out;
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

std::optional<TensorValue> unary(const TensorValue &a, const std::function<std::optional<int64_t>(int64_t)> &intFn,
                                 const std::function<double(double)> &realFn) {
  if (a.isReal() ? !realFn : !intFn)
    return std::nullopt;
  TensorValue out = a;
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

std::optional<TensorValue> castTo(const TensorValue &a, int32_t to) {
  if (!TensorValue::isSupportedType(to))
    return std::nullopt;
  TensorValue out;
  out.dtype = to;
  out.shape = a.shape;
  if (TensorValue::isRealType(to)) {
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
std::optional<std::vector<int64_t>> intList(const TensorValue *c) {
  if (!c || c->isReal() || c->rank() > 1)
    return std::nullopt;
  return c->ints;
}

std::optional<TensorValue> transpose(const TensorValue &a, std::vector<int64_t> perm) {
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
  TensorValue out = makeConst(a.dtype, shape);
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
std::optional<TensorValue> reduce(const TensorValue &a, std::vector<int64_t> axes, bool keepDims,
                                  std::optional<double> init, const std::function<double(double, double)> &realFn,
                                  const IntFn &intFn) {
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
  TensorValue out = makeConst(a.dtype, outShape);
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

} // namespace mcc::import::fold
