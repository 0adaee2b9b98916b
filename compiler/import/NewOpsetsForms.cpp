//===- NewOpsetsForms.cpp - opset 18-21 forms of older ops -> opset-17 forms ===//
//
// See NewOpsetRewriter.h. Reductions with axes as an input, Split num_outputs, Pad axes and wrap, Resize,
// LpPool/AveragePool dilations, Cast and QuantizeLinear saturate and new types, DFT, GridSample.
//
//===----------------------------------------------------------------------===//
#include "compiler/import/DataTypes.h"
#include "compiler/import/NewOpsetRewriter.h"

#include "llvm/ADT/STLExtras.h"

#include <cmath>

namespace mcc::import {

using ::onnx::AttributeProto;
using ::onnx::GraphProto;
using ::onnx::ModelProto;
using ::onnx::NodeProto;
using ::onnx::TensorProto;

bool NewOpsetRewriter::isReduce(const std::string &op) {
  static const char *ops[] = {"ReduceMax", "ReduceMin",    "ReduceMean",      "ReduceProd",     "ReduceL1",
                              "ReduceL2",  "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare"};
  for (const char *o : ops)
    if (op == o)
      return true;
  return false;
}

bool NewOpsetRewriter::reduce(NodeProto &n, bool &keep) {
  std::vector<int64_t> axes;
  if (hasInput(n, 1) && !needConstInts(n, 1, "axes", axes))
    return false;
  bool noop = attrInt(n, "noop_with_empty_axes", 0) != 0;
  removeAttr(n, "noop_with_empty_axes");
  while (n.input_size() > 1)
    n.mutable_input()->RemoveLast();
  if (axes.empty() && noop) {
    keep = false;
    emit(n, "Identity", {n.input(0)}, {n.output(0)});
    return true;
  }
  if (!axes.empty())
    setInts(n, "axes", axes);
  if (opset >= 20 && (n.op_type() == "ReduceMax" || n.op_type() == "ReduceMin")) {
    // Opset 20 reduces bool tensors too: as uint8 0/1 (an empty max is 0 = false, an empty min 255 = true).
    auto x = typeOf(n.input(0));
    if (x && x->elem == TensorProto::BOOL) {
      keep = false;
      NodeProto *c;
      std::string wide = emitValue(n, "Cast", {n.input(0)}, &c);
      setInt(*c, "to", TensorProto::UINT8);
      NodeProto r = n;
      r.set_input(0, wide);
      r.set_output(0, fresh(n.output(0)));
      out->push_back(r);
      NodeProto &back = emit(n, "Cast", {r.output(0)}, {n.output(0)});
      setInt(back, "to", TensorProto::BOOL);
    }
  }
  return true;
}

bool NewOpsetRewriter::split(NodeProto &n) {
  const AttributeProto *numAttr = findAttribute(n, "num_outputs");
  if (!numAttr)
    return true;
  int64_t num = numAttr->i();
  removeAttr(n, "num_outputs");
  if (hasInput(n, 1))
    return fail(n, "attribute 'num_outputs' and input 'split' are exclusive");
  if (num < 1 || num != n.output_size())
    return fail(n, "attribute 'num_outputs' (" + std::to_string(num) + ") differs from the " +
                       std::to_string(n.output_size()) + " outputs");
  ValueType t;
  if (!needType(n, n.input(0), t))
    return false;
  std::vector<int64_t> axis = {attrInt(n, "axis", 0)};
  if (!normalizeAxes(n, axis, (int64_t)t.dims.size()))
    return false;
  int64_t dim = t.dims[axis[0]];
  if (dim % num == 0)
    return true; // Split-13 without sizes splits evenly
  // Chunks of ceil(dim / num), the last one smaller.
  int64_t chunk = (dim + num - 1) / num, last = dim - chunk * (num - 1);
  if (last <= 0)
    return fail(n, "dimension " + std::to_string(dim) + " cannot be split into " + std::to_string(num) + " chunks of " +
                       std::to_string(chunk));
  std::vector<int64_t> sizes(num, chunk);
  sizes.back() = last;
  while (n.input_size() < 2)
    n.add_input("");
  n.set_input(1, intsConstant(n, sizes));
  return true;
}

bool NewOpsetRewriter::pad(NodeProto &n, bool &keep) {
  bool wrap = attrStr(n, "mode", "constant") == "wrap";
  if (!hasInput(n, 3) && !wrap) {
    while (n.input_size() > 3)
      n.mutable_input()->RemoveLast();
    return true;
  }
  std::vector<int64_t> axes, pads;
  if (!needConstInts(n, 1, "pads", pads) || (hasInput(n, 3) && !needConstInts(n, 3, "axes", axes)))
    return false;
  ValueType t;
  if (!needType(n, n.input(0), t))
    return false;
  int64_t rank = (int64_t)t.dims.size();
  if (!hasInput(n, 3))
    for (int64_t i = 0; i < rank; ++i)
      axes.push_back(i);
  if (!normalizeAxes(n, axes, rank))
    return false;
  if (pads.size() != 2 * axes.size())
    return fail(n, "input 'pads' has " + std::to_string(pads.size()) + " values for " + std::to_string(axes.size()) +
                       " axes");
  std::vector<int64_t> full(2 * rank, 0);
  for (size_t i = 0; i < axes.size(); ++i) {
    full[axes[i]] = pads[i];
    full[rank + axes[i]] = pads[axes.size() + i];
  }
  if (wrap)
    return keep = false, padWrap(n, t, full);
  n.set_input(1, intsConstant(n, full));
  while (n.input_size() > 3)
    n.mutable_input()->RemoveLast();
  return true;
}

/// Pad-19 mode wrap: per axis, the last pad_begin elements before and the first pad_end after (numpy's
/// "wrap", axis by axis, so corners wrap in both dims).
bool NewOpsetRewriter::padWrap(const NodeProto &n, const ValueType &t, const std::vector<int64_t> &pads) {
  int64_t rank = (int64_t)t.dims.size();
  std::string v = n.input(0);
  for (int64_t i = 0; i < rank; ++i) {
    int64_t d = t.dims[i], before = pads[i], after = pads[rank + i];
    if (before < 0 || after < 0)
      return fail(n, "attribute 'mode' = 'wrap' with negative pads is not supported");
    if (before > d || after > d)
      return fail(n, "attribute 'mode' = 'wrap' with pads larger than the dimension (" + std::to_string(d) +
                         ") is not supported");
    if (before == 0 && after == 0)
      continue;
    std::vector<std::string> parts;
    std::string axis = intsConstant(n, {i});
    if (before > 0)
      parts.push_back(emitValue(n, "Slice", {v, intsConstant(n, {d - before}), intsConstant(n, {d}), axis}));
    parts.push_back(v);
    if (after > 0)
      parts.push_back(emitValue(n, "Slice", {v, intsConstant(n, {0}), intsConstant(n, {after}), axis}));
    NodeProto *concat;
    v = emitValue(n, "Concat", parts, &concat);
    setInt(*concat, "axis", i);
  }
  emit(n, "Identity", {v}, {n.output(0)});
  return true;
}

bool NewOpsetRewriter::resize(NodeProto &n) {
  bool symmetric = attrStr(n, "coordinate_transformation_mode", "half_pixel") == "half_pixel_symmetric";
  // Antialiasing only changes linear and cubic interpolation.
  int64_t antialias = attrStr(n, "mode", "nearest") == "nearest" ? 0 : attrInt(n, "antialias", 0);
  std::string policy = attrStr(n, "keep_aspect_ratio_policy", "stretch");
  const AttributeProto *axesAttr = findAttribute(n, "axes");
  removeAttr(n, "antialias");
  removeAttr(n, "keep_aspect_ratio_policy");
  if (!axesAttr && policy == "stretch" && antialias == 0 && !symmetric)
    return true;
  std::vector<int64_t> axes;
  if (axesAttr)
    axes.assign(axesAttr->ints().begin(), axesAttr->ints().end());
  removeAttr(n, "axes");
  ValueType x;
  if (!needType(n, n.input(0), x))
    return false;
  int64_t rank = (int64_t)x.dims.size();
  if (axesAttr) {
    if (!normalizeAxes(n, axes, rank))
      return false;
  } else {
    for (int64_t i = 0; i < rank; ++i)
      axes.push_back(i);
  }
  size_t k = axes.size();
  std::vector<double> scales;
  std::vector<int64_t> sizes;
  std::vector<double> roi;
  if (hasInput(n, 2)) {
    const TensorProto *t = constant(n.input(2));
    if (!t || !tensorFloats(*t, scales))
      return fail(n, "input 'scales' must be a constant float tensor to rewrite this opset-" + std::to_string(opset) +
                         " form");
  }
  if (hasInput(n, 3) && !needConstInts(n, 3, "sizes", sizes))
    return false;
  if (hasInput(n, 1)) {
    const TensorProto *t = constant(n.input(1));
    if (!t || !tensorFloats(*t, roi))
      return fail(n, "input 'roi' must be a constant float tensor to rewrite this opset-" + std::to_string(opset) +
                         " form");
  }
  if ((!scales.empty() && scales.size() != k) || (!sizes.empty() && sizes.size() != k) ||
      (!roi.empty() && roi.size() != 2 * k))
    return fail(n, "inputs 'roi', 'scales' or 'sizes' do not match the " + std::to_string(k) + " axes");
  if (scales.empty() == sizes.empty())
    return fail(n, "exactly one of the inputs 'scales' and 'sizes' must be given");

  if (policy != "stretch") {
    if (sizes.empty())
      return fail(n, "attribute 'keep_aspect_ratio_policy' needs the input 'sizes'");
    if (policy != "not_larger" && policy != "not_smaller")
      return fail(n, "attribute 'keep_aspect_ratio_policy' = '" + policy + "' is not one of stretch, " +
                         "not_larger, not_smaller");
    // One scale for every axis; each output size is round(scale * input size). Resize-13 with that scale
    // computes floor(scale * input size): the same whenever the fraction is below one half.
    float s = policy == "not_larger" ? INFINITY : 0.f;
    for (size_t i = 0; i < k; ++i) {
      float r = (float)sizes[i] / (float)x.dims[axes[i]];
      s = policy == "not_larger" ? std::min(s, r) : std::max(s, r);
    }
    scales.assign(k, s);
    for (size_t i = 0; i < k; ++i) {
      double v = (double)s * (double)x.dims[axes[i]];
      if (std::floor(v) != std::nearbyint(v))
        return fail(n, "attribute 'keep_aspect_ratio_policy' = '" + policy + "' rounds axis " +
                           std::to_string(axes[i]) + " up to " + std::to_string((int64_t)std::nearbyint(v)) +
                           ", which the scales form cannot express");
    }
    sizes.clear();
  }
  if (antialias != 0) {
    // The antialiasing filter only differs from plain interpolation when downscaling.
    for (size_t i = 0; i < k; ++i) {
      double s = scales.empty() ? (double)sizes[i] / (double)x.dims[axes[i]] : scales[i];
      if (s < 1.0)
        return fail(n, "attribute 'antialias' = 1 while downscaling axis " + std::to_string(axes[i]) +
                           " is not supported");
    }
  }
  if (symmetric) {
    // half_pixel_symmetric shifts the sampling grid by (1 - output size / (scale * input size)) times
    // half the input: nothing when scale * input size is the integer output size, as with 'sizes'.
    for (size_t i = 0; i < k && !scales.empty(); ++i) {
      double v = scales[i] * (double)x.dims[axes[i]];
      if (v != std::floor(v))
        return fail(n, "attribute 'coordinate_transformation_mode' = 'half_pixel_symmetric' with a scale " +
                           std::string("that does not give axis ") + std::to_string(axes[i]) +
                           " an integer size is not supported");
    }
    setStr(n, "coordinate_transformation_mode", "half_pixel");
  }
  // Full-rank roi, scales and sizes: the axes left out keep their size.
  while (n.input_size() < 4)
    n.add_input("");
  if (!roi.empty()) {
    std::vector<double> full(2 * rank);
    for (int64_t i = 0; i < rank; ++i)
      full[i] = 0, full[rank + i] = 1;
    for (size_t i = 0; i < k; ++i)
      full[axes[i]] = roi[i], full[rank + axes[i]] = roi[k + i];
    n.set_input(1, floatsConstant(n, full));
  }
  if (!scales.empty()) {
    std::vector<double> full(rank, 1.0);
    for (size_t i = 0; i < k; ++i)
      full[axes[i]] = scales[i];
    n.set_input(2, floatsConstant(n, full));
    n.set_input(3, "");
  } else {
    std::vector<int64_t> full(x.dims);
    for (size_t i = 0; i < k; ++i)
      full[axes[i]] = sizes[i];
    n.set_input(3, intsConstant(n, full));
    n.set_input(2, "");
  }
  while (n.input_size() > 0 && n.input(n.input_size() - 1).empty())
    n.mutable_input()->RemoveLast();
  return true;
}

std::string NewOpsetRewriter::floatsConstant(const NodeProto &from, const std::vector<double> &values) {
  std::string name = fresh(from.output(0));
  TensorProto t;
  t.set_name(name);
  t.set_data_type(TensorProto::FLOAT);
  t.add_dims((int64_t)values.size());
  for (double v : values)
    t.add_float_data((float)v);
  NodeProto &n = emit(from, "Constant", {}, {name});
  *setAttr(n, "value", AttributeProto::TENSOR)->mutable_t() = t;
  constants[name] = t;
  return name;
}

bool NewOpsetRewriter::unitDilations(NodeProto &n) {
  const AttributeProto *d = findAttribute(n, "dilations");
  if (!d)
    return true;
  for (int64_t v : d->ints())
    if (v != 1)
      return fail(n, "attribute 'dilations' other than 1 is not supported at opset " + std::to_string(opset));
  removeAttr(n, "dilations");
  return true;
}

/// AveragePool-19 with dilations: libonnx 1.12's shape rule ignores them, so the windows are summed by a
/// depthwise Conv with a kernel of ones, then divided by the window size or, without count_include_pad, by
/// the number of input elements each window covers (the same Conv over ones).
bool NewOpsetRewriter::averagePool(NodeProto &n, bool &keep) {
  const AttributeProto *d = findAttribute(n, "dilations");
  if (!d || llvm::all_of(d->ints(), [](int64_t v) { return v == 1; }))
    return unitDilations(n);
  keep = false;
  ValueType x;
  if (!floatInput(n, x))
    return false;
  const AttributeProto *ks = findAttribute(n, "kernel_shape");
  size_t r = ks ? ks->ints_size() : 0;
  if (!ks || x.dims.size() != r + 2 || (size_t)d->ints_size() != r)
    return fail(n, "attributes 'kernel_shape' and 'dilations' must match the input's spatial rank");
  std::string autoPad = attrStr(n, "auto_pad", "NOTSET");
  if (autoPad != "NOTSET" && autoPad != "VALID")
    return fail(n, "attribute 'auto_pad' = '" + autoPad + "' with dilations is not supported");
  std::vector<int64_t> kernel(ks->ints().begin(), ks->ints().end()), dil(d->ints().begin(), d->ints().end());
  std::vector<int64_t> pads(2 * r, 0), strides(r, 1);
  if (const AttributeProto *p = findAttribute(n, "pads"); p && autoPad == "NOTSET")
    pads.assign(p->ints().begin(), p->ints().end());
  if (const AttributeProto *s = findAttribute(n, "strides"))
    strides.assign(s->ints().begin(), s->ints().end());
  if (pads.size() != 2 * r || strides.size() != r)
    return fail(n, "attributes 'pads' or 'strides' do not match 'kernel_shape'");
  if (attrInt(n, "ceil_mode", 0) != 0)
    for (size_t i = 0; i < r; ++i) {
      int64_t span = x.dims[2 + i] + pads[i] + pads[r + i] - dil[i] * (kernel[i] - 1) - 1;
      if (span >= 0 && span % strides[i] != 0)
        return fail(n, "attribute 'ceil_mode' = 1 with dilations is not supported when it adds a window");
    }
  auto convAttrs = [&](NodeProto &conv, int64_t group) {
    setInts(conv, "kernel_shape", kernel);
    setInts(conv, "dilations", dil);
    setInts(conv, "pads", pads);
    setInts(conv, "strides", strides);
    setInt(conv, "group", group);
  };
  auto onesLike = [&](std::vector<int64_t> dims) {
    std::string name = fresh(n.output(0));
    TensorProto t;
    t.set_name(name);
    t.set_data_type(TensorProto::FLOAT);
    int64_t numel = 1;
    for (int64_t v : dims)
      t.add_dims(v), numel *= v;
    for (int64_t i = 0; i < numel; ++i)
      t.add_float_data(1.f);
    NodeProto &c = emit(n, "Constant", {}, {name});
    *setAttr(c, "value", AttributeProto::TENSOR)->mutable_t() = t;
    constants[name] = t;
    return x.elem == TensorProto::FLOAT ? name : emitValue(n, "CastLike", {name, n.input(0)});
  };
  int64_t channels = x.dims[1];
  std::vector<int64_t> wShape = {channels, 1};
  wShape.insert(wShape.end(), kernel.begin(), kernel.end());
  NodeProto *conv;
  std::string sums = emitValue(n, "Conv", {n.input(0), onesLike(wShape)}, &conv);
  convAttrs(*conv, channels);
  std::string divisor;
  if (attrInt(n, "count_include_pad", 0) != 0) {
    int64_t size = 1;
    for (int64_t k : kernel)
      size *= k;
    divisor = scalarLike(n, (double)size, x.elem, n.input(0));
  } else {
    std::vector<int64_t> plane = {1, 1}, kShape = {1, 1};
    plane.insert(plane.end(), x.dims.begin() + 2, x.dims.end());
    kShape.insert(kShape.end(), kernel.begin(), kernel.end());
    divisor = emitValue(n, "Conv", {onesLike(plane), onesLike(kShape)}, &conv);
    convAttrs(*conv, 1);
  }
  emit(n, "Div", {sums, divisor}, {n.output(0)});
  return true;
}

bool NewOpsetRewriter::lpPool(NodeProto &n, bool &keep) {
  const AttributeProto *d = findAttribute(n, "dilations");
  bool dilated = d && !llvm::all_of(d->ints(), [](int64_t v) { return v == 1; });
  if (!dilated)
    removeAttr(n, "dilations");
  int64_t ceil = attrInt(n, "ceil_mode", 0);
  removeAttr(n, "ceil_mode");
  bool autoPad = attrStr(n, "auto_pad", "NOTSET") != "NOTSET";
  if (!dilated && (ceil == 0 || autoPad))
    return true; // auto_pad fixes the output size; ceil_mode has no effect then
  if (dilated && autoPad)
    return fail(n, "attribute 'auto_pad' with dilations is not supported");
  ValueType x;
  if (!needType(n, n.input(0), x))
    return false;
  const AttributeProto *ks = findAttribute(n, "kernel_shape");
  if (!ks)
    return fail(n, "missing attribute 'kernel_shape'");
  size_t r = ks->ints_size();
  if (x.dims.size() != r + 2)
    return fail(n, "attribute 'kernel_shape' does not match the input rank");
  std::vector<int64_t> kernel(ks->ints().begin(), ks->ints().end()), pads(2 * r, 0), strides(r, 1), dil(r, 1);
  if (const AttributeProto *p = findAttribute(n, "pads"))
    pads.assign(p->ints().begin(), p->ints().end());
  if (const AttributeProto *s = findAttribute(n, "strides"))
    strides.assign(s->ints().begin(), s->ints().end());
  if (dilated)
    dil.assign(d->ints().begin(), d->ints().end());
  if (pads.size() != 2 * r || strides.size() != r || dil.size() != r)
    return fail(n, "attributes 'pads', 'strides' or 'dilations' do not match 'kernel_shape'");
  // A ceil-mode window past the end reads |x|^p of nothing; zero padding adds 0: pad the end instead.
  for (size_t i = 0; i < r && ceil != 0; ++i) {
    int64_t in = x.dims[2 + i], k = dil[i] * (kernel[i] - 1) + 1, s = strides[i];
    int64_t span = in + pads[i] + pads[r + i] - k;
    if (span < 0 || s < 1)
      continue;
    int64_t outLen = (span + s - 1) / s + 1;
    if ((outLen - 1) * s >= in + pads[i]) // the last window must start inside the input or its begin pad
      --outLen;
    int64_t need = (outLen - 1) * s + k - (in + pads[i] + pads[r + i]);
    if (need > 0)
      pads[r + i] += need;
  }
  if (!dilated) {
    setInts(n, "pads", pads);
    return true;
  }
  // Dilated windows (libonnx 1.12's shape rule ignores dilations): (sum of |x|^p)^(1/p), the sum by a
  // depthwise Conv with a kernel of ones.
  keep = false;
  if (!floatInput(n, x))
    return false;
  int64_t p = attrInt(n, "p", 2);
  if (p < 1)
    return fail(n, "attribute 'p' must be positive");
  std::string powered = emitValue(n, "Abs", {n.input(0)});
  if (p != 1)
    powered = emitValue(n, "Pow", {powered, scalarLike(n, (double)p, x.elem, n.input(0))});
  std::string ones = fresh(n.output(0));
  TensorProto t;
  t.set_name(ones);
  t.set_data_type(TensorProto::FLOAT);
  int64_t numel = x.dims[1];
  t.add_dims(x.dims[1]);
  t.add_dims(1);
  for (int64_t k : kernel)
    t.add_dims(k), numel *= k;
  for (int64_t i = 0; i < numel; ++i)
    t.add_float_data(1.f);
  NodeProto &c = emit(n, "Constant", {}, {ones});
  *setAttr(c, "value", AttributeProto::TENSOR)->mutable_t() = t;
  constants[ones] = t;
  if (x.elem != TensorProto::FLOAT)
    ones = emitValue(n, "CastLike", {ones, n.input(0)});
  NodeProto *conv;
  std::string sums = emitValue(n, "Conv", {powered, ones}, &conv);
  setInts(*conv, "kernel_shape", kernel);
  setInts(*conv, "dilations", dil);
  setInts(*conv, "pads", pads);
  setInts(*conv, "strides", strides);
  setInt(*conv, "group", x.dims[1]);
  if (p == 1)
    emit(n, "Identity", {sums}, {n.output(0)});
  else if (p == 2)
    emit(n, "Sqrt", {sums}, {n.output(0)});
  else
    emit(n, "Pow", {sums, scalarLike(n, 1.0 / (double)p, x.elem, n.input(0))}, {n.output(0)});
  return true;
}

bool NewOpsetRewriter::cast(NodeProto &n) {
  if (n.op_type() == "Cast") {
    int64_t to = attrInt(n, "to", 1);
    if (isNarrowType(to))
      return true; // `saturate` selects what float8 overflow becomes; the lowering reads it
    if (const char *t = newElementTypeName(to))
      return fail(n, std::string("attribute 'to' = ") + t + " is not supported");
  } else if (auto like = typeOf(n.input(1)); !like || isNarrowType(like->elem)) {
    return true;
  }
  removeAttr(n, "saturate"); // only float8 targets saturate
  return true;
}

bool NewOpsetRewriter::quantize(NodeProto &n) {
  if (attrInt(n, "block_size", 0) != 0)
    return fail(n, "attribute 'block_size' (blocked quantization) is not supported");
  removeAttr(n, "block_size");
  int64_t outType = attrInt(n, "output_dtype", 0);
  removeAttr(n, "output_dtype");
  // `saturate` only matters for float8 outputs, which mcc saturates (the default).
  std::optional<ValueType> zp;
  if (hasInput(n, 2))
    zp = typeOf(n.input(2));
  bool float8Out = isFloat8(outType) || (zp && isFloat8(zp->elem));
  if (n.op_type() == "QuantizeLinear" && float8Out && attrInt(n, "saturate", 1) == 0)
    return fail(n, "attribute 'saturate' = 0 (float8 overflow to NaN or infinity) is not supported");
  removeAttr(n, "saturate");
  if (outType == 0)
    return true;
  if (const char *t = isNarrowType(outType) ? nullptr : newElementTypeName(outType))
    return fail(n, std::string("attribute 'output_dtype' = ") + t + " is not supported");
  if (hasInput(n, 2)) {
    if (zp && zp->elem != outType)
      return fail(n, "attribute 'output_dtype' differs from the type of 'y_zero_point'");
    return true;
  }
  if (outType == TensorProto::UINT8)
    return true;
  // The zero point's type selects the output type in the older form: a zero of the requested type.
  ValueType scale;
  if (!needType(n, n.input(1), scale))
    return false;
  std::string zero = fresh(n.output(0));
  TensorProto t;
  t.set_name(zero);
  t.set_data_type((int32_t)outType);
  int64_t numel = 1;
  for (int64_t d : scale.dims)
    t.add_dims(d), numel *= d;
  size_t bytes = outType == TensorProto::INT8 || outType == TensorProto::UINT8 || isNarrowType(outType) ? 1
                 : outType == TensorProto::INT16 || outType == TensorProto::UINT16                      ? 2
                 : outType == TensorProto::INT32                                                        ? 4
                                                                                                        : 0;
  if (bytes == 0)
    return fail(n, "attribute 'output_dtype' = " + std::to_string(outType) + " is not supported");
  // 4- and 2-bit zeros are packed, several to a byte.
  int64_t perByte = outType == kInt4 || outType == kUInt4 || outType == kFloat4E2M1 ? 2
                    : outType == kInt2 || outType == kUInt2                         ? 4
                                                                                    : 1;
  t.set_raw_data(std::string((numel + perByte - 1) / perByte * bytes, '\0'));
  NodeProto &c = emit(n, "Constant", {}, {zero});
  *setAttr(c, "value", AttributeProto::TENSOR)->mutable_t() = t;
  constants[zero] = t;
  while (n.input_size() < 3)
    n.add_input("");
  n.set_input(2, zero);
  return true;
}

bool NewOpsetRewriter::dft(NodeProto &n) {
  if (opset < 20)
    return true;
  int64_t axis = -2;
  if (hasInput(n, 2)) {
    std::vector<int64_t> v;
    if (!needConstInts(n, 2, "axis", v))
      return false;
    if (v.size() != 1)
      return fail(n, "input 'axis' must hold one value");
    axis = v[0];
  }
  if (axis < 0) {
    ValueType x;
    if (!needType(n, n.input(0), x))
      return false;
    axis += (int64_t)x.dims.size();
  }
  while (n.input_size() > 2)
    n.mutable_input()->RemoveLast();
  setInt(n, "axis", axis);
  return true;
}

bool NewOpsetRewriter::gridSample(NodeProto &n) {
  if (opset < 20)
    return true;
  std::string mode = attrStr(n, "mode", "linear");
  if (mode == "linear")
    mode = "bilinear";
  else if (mode == "cubic")
    mode = "bicubic";
  else if (mode != "nearest")
    return fail(n, "attribute 'mode' = '" + mode + "' is not one of linear, cubic, nearest");
  ValueType x;
  if (!needType(n, n.input(0), x))
    return false;
  if (x.dims.size() != 4)
    return fail(n, "only rank-4 inputs are supported (got rank " + std::to_string(x.dims.size()) + ")");
  setStr(n, "mode", mode);
  return true;
}

} // namespace mcc::import
