//===- Elementwise.cpp - fold elementwise arithmetic, comparison, logic ----===//
#include "compiler/import/folding/Folding.h"

#include <cmath>
#include <limits>

namespace mcc::import::fold {

/// Elementwise arithmetic, comparisons and logic.
std::optional<TensorValue> foldElementwise(const NodeProto &node, const NodeAttrs &attrs,
                                           const std::vector<const TensorValue *> &in) {
  const std::string &op = node.op_type();
  auto input = [&](size_t i) -> const TensorValue * { return i < in.size() ? in[i] : nullptr; };
  const TensorValue *x = input(0);
  // Elementwise arithmetic with numpy broadcasting. Before opset 7 these ops broadcast only with the
  // `broadcast` attribute, aligned at `axis`: those are folded only when no broadcasting happens.
  if (attrs.get("broadcast") && x && input(1) && x->shape != input(1)->shape)
    return std::nullopt;
  if (op == "Add")
    return x && input(1) ? binary(
                               *x, *input(1), [](int64_t a, int64_t b) { return addWrap(a, b); },
                               [](double a, double b) { return a + b; })
                         : std::nullopt;
  if (op == "Sub")
    return x && input(1) ? binary(
                               *x, *input(1), [](int64_t a, int64_t b) { return subWrap(a, b); },
                               [](double a, double b) { return a - b; })
                         : std::nullopt;
  if (op == "Mul")
    return x && input(1) ? binary(
                               *x, *input(1), [](int64_t a, int64_t b) { return mulWrap(a, b); },
                               [](double a, double b) { return a * b; })
                         : std::nullopt;
  if (op == "Div") {
    if (!x || !input(1))
      return std::nullopt;
    // Integer division truncates toward zero; by zero (or INT64_MIN / -1) it has no defined result.
    return binary(
        *x, *input(1),
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
    return binary(
        *x, *input(1),
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
    TensorValue acc = *x;
    for (size_t k = 1; k < in.size(); ++k) {
      if (!in[k])
        return std::nullopt;
      std::optional<TensorValue> r = binary(
          acc, *in[k],
          [isMin](int64_t a, int64_t b) -> std::optional<int64_t> { return isMin ? std::min(a, b) : std::max(a, b); },
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
    return unary(*x, [](int64_t a) -> std::optional<int64_t> { return subWrap(0, a); }, [](double a) { return -a; });
  if (op == "Abs" && x)
    return unary(
        *x, [](int64_t a) -> std::optional<int64_t> { return a < 0 ? subWrap(0, a) : a; },
        [](double a) { return std::fabs(a); });
  if (op == "Ceil" && x)
    return unary(*x, nullptr, [](double a) { return std::ceil(a); });
  if (op == "Floor" && x)
    return unary(*x, nullptr, [](double a) { return std::floor(a); });
  if (op == "Relu" && x)
    return unary(
        *x, [](int64_t a) -> std::optional<int64_t> { return std::max<int64_t>(a, 0); },
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
    return binary(
        *x, *input(1),
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
    const TensorValue *a = input(1), *b = input(2);
    if (!x || !a || !b || x->dtype != TensorProto::BOOL || a->dtype != b->dtype)
      return std::nullopt;
    TensorValue out;
    out.dtype = a->dtype;
    bool ok = forEachBroadcast({x, a, b}, out.shape, [&](int64_t, const std::vector<int64_t> &at) {
      const TensorValue &src = x->ints[at[0]] ? *a : *b;
      int64_t from = x->ints[at[0]] ? at[1] : at[2];
      if (src.isReal())
        out.reals.push_back(src.reals[from]);
      else
        out.ints.push_back(src.ints[from]);
      return true;
    });
    return ok ? std::optional<TensorValue>(out) : std::nullopt;
  }

  return std::nullopt;
}

} // namespace mcc::import::fold
