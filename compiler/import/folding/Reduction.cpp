//===- Reduction.cpp - fold ReduceSum/Prod/Min/Max -------------------------===//
#include "compiler/import/folding/Folding.h"

#include <cmath>
#include <limits>

namespace mcc::import::fold {

/// ReduceSum/Prod/Min/Max.
std::optional<TensorValue> foldReduction(const NodeProto &node, const NodeAttrs &attrs,
                                         const std::vector<const TensorValue *> &in) {
  const std::string &op = node.op_type();
  auto input = [&](size_t i) -> const TensorValue * { return i < in.size() ? in[i] : nullptr; };
  const TensorValue *x = input(0);
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
      return reduce(
          *x, ax, keepDims, 0.0, [](double a, double b) { return a + b; },
          [](int64_t a, int64_t b) -> std::optional<int64_t> { return addWrap(a, b); });
    if (op == "ReduceProd")
      return reduce(
          *x, ax, keepDims, 1.0, [](double a, double b) { return a * b; },
          [](int64_t a, int64_t b) -> std::optional<int64_t> { return mulWrap(a, b); });
    bool isMin = op == "ReduceMin";
    if (x->isReal())
      for (double v : x->reals)
        if (std::isnan(v))
          return std::nullopt;
    return reduce(
        *x, ax, keepDims, std::nullopt, [isMin](double a, double b) { return isMin ? std::min(a, b) : std::max(a, b); },
        [isMin](int64_t a, int64_t b) -> std::optional<int64_t> { return isMin ? std::min(a, b) : std::max(a, b); });
  }
  return std::nullopt;
}

} // namespace mcc::import::fold
