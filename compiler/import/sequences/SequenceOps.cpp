//===- SequenceOps.cpp - sequence and optional ops as tensor ops -----------===//
#include "compiler/import/sequences/Sequences.h"

namespace mcc::import::seq {

bool SequenceEliminator::rewriteSequenceOp(const NodeProto &node, GraphProto &out, Scope &scope) {
  const std::string &op = node.op_type();
  auto result = [&]() -> std::string { return node.output_size() ? node.output(0) : std::string(); };
  auto tensorOperand = [&](int i, std::string &name) {
    if (i >= node.input_size() || node.input(i).empty())
      return fail("input #" + Twine(i) + " is missing");
    name = node.input(i);
    if (const Structured *s = scope.find(name))
      return fail("input '" + name + "' is " + kindName(*s) + "; sequences of sequences are not supported");
    return true;
  };

  if (op == "SequenceEmpty") {
    Structured s;
    s.sequence = true;
    scope.structured[result()] = s;
    return true;
  }
  if (op == "SequenceConstruct") {
    Structured s;
    s.sequence = true;
    for (int i = 0; i < node.input_size(); ++i) {
      std::string t;
      if (!tensorOperand(i, t))
        return false;
      s.elems.push_back(t);
    }
    scope.structured[result()] = s;
    return true;
  }
  if (op == "SequenceInsert" || op == "SequenceErase") {
    const Structured *in = sequenceOperand(node, 0, scope);
    if (!in || !elementsOf(*in, node.input(0)))
      return false;
    Structured s = *in;
    s.optional = false;
    s.present = true;
    int64_t n = s.elems.size(), pos;
    if (op == "SequenceInsert") {
      std::string t;
      if (!tensorOperand(1, t) || !position(node, 2, scope, n, /*allowEnd=*/true, n, pos))
        return false;
      s.elems.insert(s.elems.begin() + pos, t);
    } else {
      if (n == 0)
        return fail("erasing from an empty sequence");
      if (!position(node, 1, scope, n, /*allowEnd=*/false, n - 1, pos))
        return false;
      s.elems.erase(s.elems.begin() + pos);
    }
    scope.structured[result()] = s;
    return true;
  }
  if (op == "SequenceAt") {
    const Structured *in = sequenceOperand(node, 0, scope);
    int64_t pos;
    if (!in || !elementsOf(*in, node.input(0)))
      return false;
    int64_t n = in->elems.size();
    if (node.input_size() < 2 || node.input(1).empty())
      return fail("the position input is missing");
    if (!position(node, 1, scope, n, /*allowEnd=*/false, 0, pos))
      return false;
    bind(out, scope, result(), in->elems[pos]);
    return true;
  }
  if (op == "SequenceLength") {
    const Structured *in = sequenceOperand(node, 0, scope);
    if (!in)
      return false;
    std::string c = emitInts(out, scope, result() + "_length", TensorProto::INT64, {}, {(int64_t)in->elems.size()});
    bind(out, scope, result(), c);
    return true;
  }
  if (op == "ConcatFromSequence") {
    const Structured *in = sequenceOperand(node, 0, scope);
    if (!in || !elementsOf(*in, node.input(0)))
      return false;
    const auto *axisAttr = NodeAttrs(node).get("axis");
    if (!axisAttr)
      return fail("attribute 'axis' is required");
    int64_t axis = axisAttr->i();
    int64_t newAxis = NodeAttrs(node).i("new_axis", 0);
    if (newAxis != 0 && newAxis != 1)
      return fail("attribute 'new_axis' must be 0 or 1, got " + Twine(newAxis));
    if (in->elems.empty())
      return fail("concatenating an empty sequence (the result's shape is undefined)");
    std::vector<std::string> parts;
    for (const std::string &e : in->elems)
      parts.push_back(newAxis ? emitUnsqueeze(out, scope, e, axis) : e);
    NodeProto *concat = emit(out, "Concat", parts, {result()});
    auto *a = concat->add_attribute();
    a->set_name("axis");
    a->set_type(::onnx::AttributeProto::INT);
    a->set_i(axis);
    return true;
  }
  if (op == "SplitToSequence") {
    std::string x;
    if (!tensorOperand(0, x))
      return false;
    int64_t axis = NodeAttrs(node).i("axis", 0);
    int64_t keepdims = NodeAttrs(node).i("keepdims", 1);
    std::vector<int64_t> shape;
    Structured s;
    s.sequence = true;
    std::vector<std::pair<int64_t, int64_t>> ranges; // [start, end) along the axis
    bool squeeze = false;
    std::string split = node.input_size() > 1 ? node.input(1) : std::string();
    if (!split.empty() && scope.find(split))
      return fail("input 'split' must be a tensor");
    const Known *splitValues = split.empty() ? nullptr : scope.constant(split);
    std::vector<int64_t> splitShape;
    if (!split.empty() && !splitValues) {
      if (!staticShape(split, out, scope, splitShape))
        return false;
      if (splitShape.size() == 1) {
        // Data-dependent element shapes: the length is known, the elements are not.
        s.elems.assign(splitShape[0], std::string());
        s.unavailable = "SplitToSequence's 'split' input '" + split +
                        "' is not a compile-time constant, so the element shapes depend on the data";
        scope.structured[result()] = s;
        return true;
      }
      return fail("input 'split' ('" + split + "') must be a compile-time constant");
    }
    if (!staticShape(x, out, scope, shape))
      return false;
    int64_t rank = shape.size();
    if (axis < -rank || axis >= rank)
      return fail("axis " + Twine(axis) + " is out of range for rank " + Twine(rank));
    if (axis < 0)
      axis += rank;
    int64_t dim = shape[axis];
    if (!splitValues) {
      for (int64_t i = 0; i < dim; ++i)
        ranges.push_back({i, i + 1});
      squeeze = keepdims == 0;
    } else if (splitValues->dims.empty()) {
      int64_t chunk = splitValues->values[0];
      if (chunk <= 0)
        return fail("split " + Twine(chunk) + " must be positive");
      for (int64_t i = 0; i < dim; i += chunk)
        ranges.push_back({i, std::min(dim, i + chunk)});
    } else {
      if (splitValues->dims.size() != 1)
        return fail("input 'split' must be a scalar or a 1-D tensor");
      int64_t start = 0;
      for (int64_t len : splitValues->values) {
        if (len < 0)
          return fail("split length " + Twine(len) + " is negative");
        ranges.push_back({start, start + len});
        start += len;
      }
      if (start != dim)
        return fail("split lengths sum to " + Twine(start) + ", but the axis has " + Twine(dim) + " elements");
    }
    for (auto [b, e] : ranges) {
      std::string part = emitSlice(out, scope, x, b, e, axis);
      s.elems.push_back(squeeze ? emitSqueeze(out, scope, part, axis) : part);
    }
    scope.structured[result()] = s;
    return true;
  }
  if (op == "Optional") {
    Structured s;
    s.optional = true;
    if (node.input_size() == 0 || node.input(0).empty()) {
      s.present = false;
    } else if (const Structured *in = scope.find(node.input(0))) {
      if (in->optional)
        return fail("an optional of an optional is not allowed");
      s.sequence = true;
      s.elems = in->elems;
      s.unavailable = in->unavailable;
    } else {
      s.tensor = node.input(0);
    }
    scope.structured[result()] = s;
    return true;
  }
  if (op == "OptionalHasElement") {
    bool has = false;
    if (node.input_size() > 0 && !node.input(0).empty()) {
      const Structured *in = scope.find(node.input(0));
      has = !in || !in->optional || in->present;
    }
    std::string c = emitInts(out, scope, result() + "_value", TensorProto::BOOL, {}, {has});
    bind(out, scope, result(), c);
    return true;
  }
  if (op == "OptionalGetElement") {
    if (node.input_size() == 0 || node.input(0).empty())
      return fail("input #0 is missing");
    const Structured *in = scope.find(node.input(0));
    if (!in) {
      bind(out, scope, result(), node.input(0)); // opset 18: a plain tensor is passed through
      return true;
    }
    if (in->optional && !in->present)
      return fail("optional '" + node.input(0) + "' is empty (known at compile time)");
    if (in->sequence) {
      Structured s = *in;
      s.optional = false;
      scope.structured[result()] = s;
    } else {
      // Not bind(): a present optional graph input keeps its name for its tensor.
      emit(out, "Identity", {in->tensor}, {result()});
    }
    return true;
  }
  return fail("unhandled op");
}

} // namespace mcc::import::seq
