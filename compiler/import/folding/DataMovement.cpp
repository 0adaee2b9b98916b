//===- DataMovement.cpp - fold reshapes, gathers, slices, ranges -----------===//
#include "compiler/import/folding/Folding.h"

#include <cmath>
#include <limits>
#include <tuple>

namespace mcc::import::fold {

/// Ops that move or generate data: reshapes, gathers, slices, concatenation, ranges.
std::optional<TensorValue> foldDataMovement(const NodeProto &node, const NodeAttrs &attrs,
                                            const std::vector<const TensorValue *> &in) {
  const std::string &op = node.op_type();
  auto input = [&](size_t i) -> const TensorValue * { return i < in.size() ? in[i] : nullptr; };
  const TensorValue *x = input(0);
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
    if (numElements(shape) != x->size())
      return std::nullopt;
    TensorValue out = *x;
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
    TensorValue out = *x;
    out.shape = {outer, inner};
    return out;
  }
  if ((op == "Unsqueeze" || op == "Squeeze") && x) {
    std::optional<std::vector<int64_t>> axes = attrs.ints("axes");
    if (!axes && input(1))
      axes = intList(input(1));
    if (!axes && (op == "Unsqueeze" || input(1)))
      return std::nullopt;
    TensorValue out = *x;
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
    for (const TensorValue *c : in) {
      if (!c || c->dtype != x->dtype || c->rank() != r)
        return std::nullopt;
      for (int64_t d = 0; d < r; ++d)
        if (d != *axis && c->shape[d] != x->shape[d])
          return std::nullopt;
      shape[*axis] += c->shape[*axis];
    }
    std::optional<int64_t> n = numElements(shape);
    if (!n || *n > kMaxElements)
      return std::nullopt;
    TensorValue out = makeConst(x->dtype, shape);
    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < *axis; ++d)
      outer *= shape[d];
    for (int64_t d = *axis + 1; d < r; ++d)
      inner *= shape[d];
    int64_t e = 0;
    for (int64_t o = 0; o < outer; ++o)
      for (const TensorValue *c : in) {
        int64_t chunk = c->shape[*axis] * inner;
        for (int64_t k = 0; k < chunk; ++k)
          copyElement(*c, o * chunk + k, out, e++);
      }
    return out;
  }
  if (op == "Gather" && x && input(1)) {
    const TensorValue *indices = input(1);
    if (indices->isReal() || (indices->dtype != TensorProto::INT64 && indices->dtype != TensorProto::INT32))
      return std::nullopt;
    std::optional<int64_t> axis = normAxis(attrs.i("axis", 0), x->rank());
    if (!axis)
      return std::nullopt;
    std::vector<int64_t> shape(x->shape.begin(), x->shape.begin() + *axis);
    shape.insert(shape.end(), indices->shape.begin(), indices->shape.end());
    shape.insert(shape.end(), x->shape.begin() + *axis + 1, x->shape.end());
    std::optional<int64_t> n = numElements(shape);
    if (!n || *n > kMaxElements)
      return std::nullopt;
    int64_t dim = x->shape[*axis], outer = 1, inner = 1;
    for (int64_t d = 0; d < *axis; ++d)
      outer *= x->shape[d];
    for (int64_t d = *axis + 1; d < x->rank(); ++d)
      inner *= x->shape[d];
    TensorValue out = makeConst(x->dtype, shape);
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
      std::tie(begin[*a], shape[*a]) = sliceAxis(x->shape[*a], (*starts)[i], (*ends)[i], (*steps)[i]);
      step[*a] = (*steps)[i];
    }
    TensorValue out = makeConst(x->dtype, shape);
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
    TensorValue shapeOnly = makeConst(TensorProto::BOOL, {});
    shapeOnly.shape = *dims;
    for (int64_t d : *dims)
      if (d < 0)
        return std::nullopt;
    TensorValue out;
    out.dtype = x->dtype;
    bool ok = forEachBroadcast({x, &shapeOnly}, out.shape, [&](int64_t, const std::vector<int64_t> &at) {
      if (x->isReal())
        out.reals.push_back(x->reals[at[0]]);
      else
        out.ints.push_back(x->ints[at[0]]);
      return true;
    });
    return ok ? std::optional<TensorValue>(out) : std::nullopt;
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
    std::optional<int64_t> n = numElements(shape);
    if (!n || *n > kMaxElements)
      return std::nullopt;
    TensorValue out = makeConst(x->dtype, shape);
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
    const TensorValue *limit = input(1), *delta = input(2);
    if (!x || !limit || !delta || x->size() != 1 || limit->size() != 1 || delta->size() != 1 || x->rank() != 0 ||
        limit->rank() != 0 || delta->rank() != 0 || x->dtype != limit->dtype || x->dtype != delta->dtype)
      return std::nullopt;
    TensorValue out;
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

} // namespace mcc::import::fold
