//===- NewOpsetsExpand.cpp - ops new in opsets 18-21 as older ops ---------===//
//
// See NewOpsetRewriter.h. Mish, Gelu, GroupNormalization, CenterCropPad, AffineGrid and Col2Im expanded
// into opset-17 ops; the expansions are mcc's own, written from the operator specifications.
//
//===----------------------------------------------------------------------===//
#include "compiler/import/NewOpsetRewriter.h"

#include <cmath>

namespace mcc::import {

using ::onnx::AttributeProto;
using ::onnx::GraphProto;
using ::onnx::ModelProto;
using ::onnx::NodeProto;
using ::onnx::TensorProto;

bool NewOpsetRewriter::floatInput(const NodeProto &n, ValueType &x) {
  if (!needType(n, n.input(0), x))
    return false;
  if (x.elem != TensorProto::FLOAT && x.elem != TensorProto::DOUBLE && x.elem != TensorProto::FLOAT16 &&
      x.elem != TensorProto::BFLOAT16)
    return fail(n, "input '" + n.input(0) + "' must be a floating-point tensor");
  return true;
}

/// Mish(x) = x * tanh(softplus(x)).
bool NewOpsetRewriter::mish(const NodeProto &n) {
  std::string sp = emitValue(n, "Softplus", {n.input(0)});
  std::string th = emitValue(n, "Tanh", {sp});
  emit(n, "Mul", {n.input(0), th}, {n.output(0)});
  return true;
}

/// Gelu(x) = x/2 (1 + erf(x/sqrt 2)), or with approximate = tanh: x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
bool NewOpsetRewriter::gelu(const NodeProto &n) {
  ValueType x;
  if (!floatInput(n, x))
    return false;
  const std::string &in = n.input(0);
  std::string approx = attrStr(n, "approximate", "none");
  std::string inner;
  if (approx == "none") {
    std::string scaled = emitValue(n, "Mul", {in, scalarLike(n, M_SQRT1_2, x.elem, in)});
    inner = emitValue(n, "Erf", {scaled});
  } else if (approx == "tanh") {
    std::string cube = emitValue(n, "Mul", {emitValue(n, "Mul", {in, in}), in});
    std::string sum = emitValue(n, "Add", {in, emitValue(n, "Mul", {cube, scalarLike(n, 0.044715, x.elem, in)})});
    std::string arg = emitValue(n, "Mul", {sum, scalarLike(n, std::sqrt(2.0 / M_PI), x.elem, in)});
    inner = emitValue(n, "Tanh", {arg});
  } else {
    return fail(n, "attribute 'approximate' = '" + approx + "' is not one of none, tanh");
  }
  std::string onePlus = emitValue(n, "Add", {inner, scalarLike(n, 1.0, x.elem, in)});
  std::string half = emitValue(n, "Mul", {in, scalarLike(n, 0.5, x.elem, in)});
  emit(n, "Mul", {half, onePlus}, {n.output(0)});
  return true;
}

/// GroupNormalization: the channels in groups of C/G, each normalised over its channels and spatial dims;
/// scale and bias per group (opset 18) or per channel (opset 21). Opset 21 normalises in stash_type (float).
bool NewOpsetRewriter::groupNorm(const NodeProto &n) {
  ValueType x;
  if (!floatInput(n, x))
    return false;
  const AttributeProto *groupsAttr = findAttribute(n, "num_groups");
  if (!groupsAttr)
    return fail(n, "missing attribute 'num_groups'");
  int64_t g = groupsAttr->i(), rank = (int64_t)x.dims.size();
  if (rank < 2 || g < 1 || x.dims[1] % g != 0)
    return fail(n, "the input's channel count must be a multiple of 'num_groups' (" + std::to_string(g) + ")");
  int64_t c = x.dims[1];
  bool perChannel = opset >= 21;
  ValueType scaleType;
  if (!needType(n, n.input(1), scaleType))
    return false;
  int64_t want = perChannel ? c : g;
  if (scaleType.dims.size() != 1 || scaleType.dims[0] != want)
    return fail(n, "input 'scale' must have shape [" + std::to_string(want) + "] at opset " + std::to_string(opset));
  int64_t stash = perChannel ? attrInt(n, "stash_type", 1) : x.elem;
  if (perChannel && stash != TensorProto::FLOAT)
    return fail(n, "attribute 'stash_type' other than 1 (float) is not supported");
  float eps = findAttribute(n, "epsilon") ? findAttribute(n, "epsilon")->f() : 1e-5f;

  std::string in = n.input(0);
  int32_t calcType = x.elem;
  if (stash != x.elem) {
    NodeProto *c0;
    in = emitValue(n, "Cast", {in}, &c0);
    setInt(*c0, "to", stash);
    calcType = (int32_t)stash;
  }
  std::string grouped = emitValue(n, "Reshape", {in, intsConstant(n, {x.dims[0], g, -1})});
  NodeProto *r;
  std::string mean = emitValue(n, "ReduceMean", {grouped}, &r);
  setInts(*r, "axes", {2});
  std::string centred = emitValue(n, "Sub", {grouped, mean});
  std::string var = emitValue(n, "ReduceMean", {emitValue(n, "Mul", {centred, centred})}, &r);
  setInts(*r, "axes", {2});
  std::string stddev = emitValue(n, "Sqrt", {emitValue(n, "Add", {var, scalarLike(n, eps, calcType, var)})});
  std::string normed = emitValue(n, "Div", {centred, stddev});
  std::string scale = n.input(1), bias = n.input(2);
  if (!perChannel) {
    std::string shape = intsConstant(n, {1, g, 1});
    normed = emitValue(n, "Add",
                       {emitValue(n, "Mul", {normed, emitValue(n, "Reshape", {scale, shape})}),
                        emitValue(n, "Reshape", {bias, shape})});
    emit(n, "Reshape", {normed, intsConstant(n, x.dims)}, {n.output(0)});
    return true;
  }
  std::string back = emitValue(n, "Reshape", {normed, intsConstant(n, x.dims)});
  if (stash != x.elem) {
    NodeProto *c1;
    back = emitValue(n, "Cast", {back}, &c1);
    setInt(*c1, "to", x.elem);
  }
  std::vector<int64_t> bshape(rank - 1, 1);
  bshape[0] = c;
  std::string shape = intsConstant(n, bshape);
  std::string scaled = emitValue(n, "Mul", {back, emitValue(n, "Reshape", {scale, shape})});
  emit(n, "Add", {scaled, emitValue(n, "Reshape", {bias, shape})}, {n.output(0)});
  return true;
}

/// CenterCropPad: per axis, crop (starting at floor(excess/2)) or zero-pad (floor(missing/2) before).
bool NewOpsetRewriter::centerCropPad(const NodeProto &n) {
  ValueType x;
  if (!needType(n, n.input(0), x))
    return false;
  int64_t rank = (int64_t)x.dims.size();
  std::vector<int64_t> target, axes;
  if (!needConstInts(n, 1, "shape", target))
    return false;
  if (const AttributeProto *a = findAttribute(n, "axes"))
    axes.assign(a->ints().begin(), a->ints().end());
  else
    for (int64_t i = 0; i < rank; ++i)
      axes.push_back(i);
  if (!normalizeAxes(n, axes, rank))
    return false;
  if (target.size() != axes.size())
    return fail(n, "input 'shape' has " + std::to_string(target.size()) + " values for " + std::to_string(axes.size()) +
                       " axes");
  std::vector<int64_t> starts, ends, sliceAxes, pads(2 * rank, 0);
  bool anyPad = false;
  for (size_t i = 0; i < axes.size(); ++i) {
    int64_t d = x.dims[axes[i]], t = target[i];
    if (t < 0)
      return fail(n, "input 'shape' holds a negative size");
    if (t < d) {
      sliceAxes.push_back(axes[i]);
      starts.push_back((d - t) / 2);
      ends.push_back((d - t) / 2 + t);
    } else if (t > d) {
      pads[axes[i]] = (t - d) / 2;
      pads[rank + axes[i]] = t - d - (t - d) / 2;
      anyPad = true;
    }
  }
  std::string v = n.input(0);
  if (!sliceAxes.empty()) {
    std::vector<std::string> in = {v, intsConstant(n, starts), intsConstant(n, ends), intsConstant(n, sliceAxes)};
    if (!anyPad) {
      emit(n, "Slice", in, {n.output(0)});
      return true;
    }
    v = emitValue(n, "Slice", in);
  }
  if (anyPad)
    emit(n, "Pad", {v, intsConstant(n, pads)}, {n.output(0)});
  else
    emit(n, "Identity", {v}, {n.output(0)});
  return true;
}

/// AffineGrid: theta [N, r, r+1] applied to the homogeneous coordinates (x, y[, z], 1) of every output
/// position, each normalised to [-1, 1] (pixel centres, or corners with align_corners): one MatMul of a
/// compile-time base grid [1, positions, r+1] by theta transposed.
bool NewOpsetRewriter::affineGrid(const NodeProto &n) {
  ValueType theta;
  if (!floatInput(n, theta))
    return false;
  std::vector<int64_t> size;
  if (!needConstInts(n, 1, "size", size))
    return false;
  int64_t r = (int64_t)size.size() - 2;
  if ((r != 2 && r != 3) || theta.dims.size() != 3 || theta.dims[0] != size[0] || theta.dims[1] != r ||
      theta.dims[2] != r + 1)
    return fail(n, "input 'theta' must be [N, 2, 3] with a size of 4 values, or [N, 3, 4] with 5");
  bool corners = attrInt(n, "align_corners", 0) != 0;
  std::vector<int64_t> spatial(size.begin() + 2, size.end()); // (D,) H, W
  for (int64_t d : spatial)
    if (d < 1)
      return fail(n, "input 'size' holds a non-positive spatial size");
  auto coord = [&](int64_t i, int64_t len) -> double {
    if (corners)
      return len == 1 ? -1.0 : -1.0 + 2.0 * (double)i / (double)(len - 1);
    return (2.0 * (double)i + 1.0) / (double)len - 1.0;
  };
  int64_t positions = 1;
  for (int64_t d : spatial)
    positions *= d;
  std::vector<double> base;
  base.reserve(positions * (r + 1));
  for (int64_t p = 0; p < positions; ++p) {
    // Position p in row-major (D,) H, W order; the coordinates list x (along W) first.
    std::vector<int64_t> idx(r);
    for (int64_t a = r - 1, rest = p; a >= 0; --a)
      idx[a] = rest % spatial[a], rest /= spatial[a];
    for (int64_t a = r - 1; a >= 0; --a)
      base.push_back(coord(idx[a], spatial[a]));
    base.push_back(1.0);
  }
  std::string baseName = fresh(n.output(0));
  TensorProto t;
  t.set_name(baseName);
  t.set_data_type(TensorProto::FLOAT);
  for (int64_t d : {(int64_t)1, positions, r + 1})
    t.add_dims(d);
  for (double v : base)
    t.add_float_data((float)v);
  NodeProto &c = emit(n, "Constant", {}, {baseName});
  *setAttr(c, "value", AttributeProto::TENSOR)->mutable_t() = t;
  constants[baseName] = t;
  std::string b = baseName;
  if (theta.elem != TensorProto::FLOAT)
    b = emitValue(n, "CastLike", {b, n.input(0)});
  NodeProto *tr;
  std::string thetaT = emitValue(n, "Transpose", {n.input(0)}, &tr);
  setInts(*tr, "perm", {0, 2, 1});
  std::string grid = emitValue(n, "MatMul", {b, thetaT});
  std::vector<int64_t> outShape = {size[0]};
  outShape.insert(outShape.end(), spatial.begin(), spatial.end());
  outShape.push_back(r);
  emit(n, "Reshape", {grid, intsConstant(n, outShape)}, {n.output(0)});
  return true;
}

/// Col2Im: input [N, C*prod(block), L] holds, for every block position l and offset k inside the block,
/// the value added to image position l*stride + k*dilation - pad_begin. Each (k, l) row scatters with
/// reduction add into a zero image kept as [positions + 1, N, C]; rows landing in the padding go to the
/// extra last position, which is sliced off.
bool NewOpsetRewriter::col2Im(const NodeProto &n) {
  ValueType x;
  if (!needType(n, n.input(0), x))
    return false;
  std::vector<int64_t> image, block;
  if (!needConstInts(n, 1, "image_shape", image) || !needConstInts(n, 2, "block_shape", block))
    return false;
  size_t r = image.size();
  auto ints = [&](const char *name, int64_t dflt, size_t count) {
    std::vector<int64_t> v(count, dflt);
    if (const AttributeProto *a = findAttribute(n, name))
      v.assign(a->ints().begin(), a->ints().end());
    return v;
  };
  std::vector<int64_t> dil = ints("dilations", 1, r), pads = ints("pads", 0, 2 * r), str = ints("strides", 1, r);
  if (r == 0 || block.size() != r || dil.size() != r || pads.size() != 2 * r || str.size() != r)
    return fail(n, "inputs 'image_shape', 'block_shape' and attributes 'dilations', 'pads', 'strides' must "
                   "agree on the number of spatial dims");
  int64_t kp = 1, blocks = 1, positions = 1;
  std::vector<int64_t> grid(r);
  for (size_t i = 0; i < r; ++i) {
    if (block[i] < 1 || dil[i] < 1 || str[i] < 1 || image[i] < 1)
      return fail(n, "block, image, dilation and stride sizes must be positive");
    int64_t span = image[i] + pads[i] + pads[r + i] - dil[i] * (block[i] - 1) - 1;
    if (span < 0)
      return fail(n, "the block does not fit the padded image");
    grid[i] = span / str[i] + 1;
    kp *= block[i], blocks *= grid[i], positions *= image[i];
  }
  if (x.dims.size() != 3 || x.dims[1] % kp != 0 || x.dims[2] != blocks)
    return fail(n, "input must be [N, C*" + std::to_string(kp) + ", " + std::to_string(blocks) + "]");
  int64_t batch = x.dims[0], channels = x.dims[1] / kp;
  size_t eltBytes = 0;
  switch (x.elem) {
  case TensorProto::DOUBLE:
  case TensorProto::INT64:
  case TensorProto::UINT64:
    eltBytes = 8;
    break;
  case TensorProto::FLOAT:
  case TensorProto::INT32:
  case TensorProto::UINT32:
    eltBytes = 4;
    break;
  case TensorProto::FLOAT16:
  case TensorProto::BFLOAT16:
  case TensorProto::INT16:
  case TensorProto::UINT16:
    eltBytes = 2;
    break;
  case TensorProto::INT8:
  case TensorProto::UINT8:
    eltBytes = 1;
    break;
  default:
    return fail(n, "input element type " + std::to_string(x.elem) + " is not supported");
  }
  // indices[k * L + l] = the flat image position of offset k in block l, or `positions` when in the padding.
  std::vector<int64_t> indices;
  indices.reserve(kp * blocks);
  std::vector<int64_t> k(r), l(r);
  for (int64_t kf = 0; kf < kp; ++kf) {
    for (int64_t a = (int64_t)r - 1, rest = kf; a >= 0; --a)
      k[a] = rest % block[a], rest /= block[a];
    for (int64_t lf = 0; lf < blocks; ++lf) {
      for (int64_t a = (int64_t)r - 1, rest = lf; a >= 0; --a)
        l[a] = rest % grid[a], rest /= grid[a];
      int64_t flat = 0;
      bool inside = true;
      for (size_t a = 0; a < r; ++a) {
        int64_t p = l[a] * str[a] + k[a] * dil[a] - pads[a];
        inside = inside && p >= 0 && p < image[a];
        flat = flat * image[a] + p;
      }
      indices.push_back(inside ? flat : positions);
    }
  }
  std::string idxName = fresh(n.output(0));
  TensorProto idx;
  idx.set_name(idxName);
  idx.set_data_type(TensorProto::INT64);
  idx.add_dims(kp * blocks);
  idx.add_dims(1);
  for (int64_t v : indices)
    idx.add_int64_data(v);
  NodeProto &ic = emit(n, "Constant", {}, {idxName});
  *setAttr(ic, "value", AttributeProto::TENSOR)->mutable_t() = idx;
  constants[idxName] = idx;

  std::string zeroName = fresh(n.output(0));
  TensorProto zero;
  zero.set_name(zeroName);
  zero.set_data_type(x.elem);
  for (int64_t d : {positions + 1, batch, channels})
    zero.add_dims(d);
  zero.set_raw_data(std::string((positions + 1) * batch * channels * eltBytes, '\0'));
  NodeProto &zc = emit(n, "Constant", {}, {zeroName});
  *setAttr(zc, "value", AttributeProto::TENSOR)->mutable_t() = zero;
  constants[zeroName] = zero;

  std::string rows = emitValue(n, "Reshape", {n.input(0), intsConstant(n, {batch, channels, kp * blocks})});
  NodeProto *t0;
  std::string updates = emitValue(n, "Transpose", {rows}, &t0);
  setInts(*t0, "perm", {2, 0, 1});
  NodeProto *sc;
  std::string summed = emitValue(n, "ScatterND", {zeroName, idxName, updates}, &sc);
  setStr(*sc, "reduction", "add");
  std::string kept =
      emitValue(n, "Slice", {summed, intsConstant(n, {0}), intsConstant(n, {positions}), intsConstant(n, {0})});
  NodeProto *t1;
  std::string back = emitValue(n, "Transpose", {kept}, &t1);
  setInts(*t1, "perm", {1, 2, 0});
  std::vector<int64_t> outShape = {batch, channels};
  outShape.insert(outShape.end(), image.begin(), image.end());
  emit(n, "Reshape", {back, intsConstant(n, outShape)}, {n.output(0)});
  return true;
}

} // namespace mcc::import
