//===- Tensor.cpp - legacy opset forms of the tensor ops -----===//
#include "compiler/import/ImportInternal.h"
#include "dialects/onnx/OnnxDialect.h"

#include <cmath>

using namespace mlir;
namespace onnxd = mcc::onnx;

namespace mcc::import {

/// Upsample (deprecated) is Resize with asymmetric coordinates and nearest rounding down: scales from
/// the height_scale/width_scale (opset 1) or scales (opset 7) attributes, or the scales input (opset 9).
static bool adaptUpsample(OpBuilder &b, const NodeContext &nc, SmallVectorImpl<Value> &operands, NamedAttrList &attrs,
                          SmallVectorImpl<Value> &replaced, SmallVectorImpl<Type> &resultTypes, std::string &error) {
  Location loc = nc.loc;
  auto in = dyn_cast<RankedTensorType>(operands[0].getType());
  if (!in)
    return error = "Upsample input has no ranked type", false;
  SmallVector<float> scales;
  if (auto s = attrs.get("scales")) {
    ArrayRef<float> v = cast<DenseF32ArrayAttr>(s).asArrayRef();
    scales.assign(v.begin(), v.end());
  } else if (attrs.get("height_scale") || attrs.get("width_scale")) {
    if (in.getRank() != 4)
      return error = "Upsample-1 needs a 4-D input", false;
    auto get = [&](StringRef n) {
      return attrs.get(n) ? (float)cast<FloatAttr>(attrs.get(n)).getValueAsDouble() : 1.0f;
    };
    scales = {1.0f, 1.0f, get("height_scale"), get("width_scale")};
  }
  Value scalesValue = operands.size() > 1 ? operands[1] : Value();
  if (!scales.empty()) {
    if ((int64_t)scales.size() != in.getRank())
      return error = "Upsample scales need one entry per input dim", false;
    auto type = RankedTensorType::get({(int64_t)scales.size()}, b.getF32Type());
    scalesValue =
        onnxd::ConstantOp::create(b, loc, type, cast<ElementsAttr>(DenseElementsAttr::get(type, ArrayRef(scales))));
  }
  if (!scalesValue || onnxd::isNoValue(scalesValue))
    return error = "Upsample without scales", false;
  StringRef mode = attrs.get("mode") ? cast<StringAttr>(attrs.get("mode")).getValue() : "nearest";
  if (mode == "bilinear") // opset 1 spelling
    mode = "linear";
  if (mode != "nearest" && mode != "linear")
    return error = ("Upsample mode '" + mode + "' is not nearest or linear").str(), false;
  if (!resultTypes[0]) {
    if (scales.empty())
      return error = "cannot infer the Upsample output shape", false;
    SmallVector<int64_t> dims;
    for (int64_t d = 0; d < in.getRank(); ++d)
      dims.push_back((int64_t)std::floor(in.getDimSize(d) * scales[d]));
    resultTypes[0] = RankedTensorType::get(dims, in.getElementType());
  }
  Value none = onnxd::NoValueOp::create(b, loc, b.getNoneType());
  SmallVector<NamedAttribute> resizeAttrs = {
      b.getNamedAttr("mode", b.getStringAttr(mode)),
      b.getNamedAttr("coordinate_transformation_mode", b.getStringAttr("asymmetric")),
      b.getNamedAttr("nearest_mode", b.getStringAttr("floor"))};
  replaced.push_back(onnxd::ResizeOp::create(b, loc, TypeRange{resultTypes[0]},
                                             ValueRange{operands[0], none, scalesValue, none}, resizeAttrs));
  return true;
}

bool adaptLegacyTensorNode(OpBuilder &b, const NodeContext &nc, SmallVectorImpl<Value> &operands, NamedAttrList &attrs,
                           SmallVectorImpl<Value> &replaced, SmallVectorImpl<Type> &resultTypes, std::string &error) {
  StringRef op = nc.node.op_type();
  int v = nc.version;
  Location loc = nc.loc;

  if (op == "Reshape" && v < 5) {
    auto shape = attrs.get("shape");
    if (!shape) {
      error = "Reshape-1 without a 'shape' attribute";
      return false;
    }
    ArrayRef<int64_t> target = cast<DenseI64ArrayAttr>(shape).asArrayRef();
    operands.resize(1); // drop the padding for the (then absent) shape input
    operands.push_back(i64Constant(b, loc, target));
    attrs.erase("shape");
    if (!resultTypes[0]) {
      // libonnx has no shape inference for the attribute form: resolve 0 and -1 here.
      auto in = cast<RankedTensorType>(operands[0].getType());
      SmallVector<int64_t> dims;
      int64_t known = 1, inferAt = -1;
      for (size_t i = 0; i < target.size(); ++i) {
        int64_t d = target[i];
        if (d == 0 && (int64_t)i < in.getRank())
          d = in.getDimSize(i);
        if (d == -1) {
          if (inferAt >= 0)
            return error = "Reshape-1 shape has more than one -1", false;
          inferAt = i;
        } else if (d < 0) {
          return error = "Reshape-1 shape has a negative dimension", false;
        } else {
          known *= d;
        }
        dims.push_back(d);
      }
      if (inferAt >= 0) {
        if (known == 0 || in.getNumElements() % known != 0)
          return error = "Reshape-1 cannot infer the -1 dimension", false;
        dims[inferAt] = in.getNumElements() / known;
      }
      resultTypes[0] = RankedTensorType::get(dims, in.getElementType());
    }
    return true;
  }
  if (op == "Concat" && v < 4 && !attrs.get("axis")) {
    attrs.set("axis", b.getI64IntegerAttr(1));
    return true;
  }

  // Attributes that later opsets turned into inputs.
  auto attrToInput = [&](StringRef name, size_t position) {
    if (auto a = attrs.get(name)) {
      operands[position] = i64Constant(b, loc, cast<DenseI64ArrayAttr>(a).asArrayRef());
      attrs.erase(name);
    }
  };
  if ((op == "Unsqueeze" || op == "Squeeze") && v < 13) {
    if (op == "Unsqueeze" && !attrs.get("axes"))
      return error = "Unsqueeze without axes", false;
    attrToInput("axes", 1);
    return true;
  }
  if (op == "Split" && v < 13) {
    attrToInput("split", 1);
    return true;
  }
  if (op == "Slice" && v < 10) {
    if (!attrs.get("starts") || !attrs.get("ends"))
      return error = "Slice-1 needs starts and ends", false;
    attrToInput("starts", 1);
    attrToInput("ends", 2);
    attrToInput("axes", 3);
    return true;
  }
  if (op == "Pad" && v < 11) {
    if (auto p = attrs.get("paddings")) { // opset 1's name for pads
      attrs.set("pads", p);
      attrs.erase("paddings");
    }
    if (!attrs.get("pads"))
      return error = "Pad needs pads", false;
    attrToInput("pads", 1);
    if (auto value = attrs.get("value")) {
      Type elt = cast<RankedTensorType>(operands[0].getType()).getElementType();
      operands[2] = scalarConstant(b, loc, elt, cast<FloatAttr>(value).getValueAsDouble());
      attrs.erase("value");
    }
    return true;
  }
  if (op == "Scatter") { // opset 9-10 name of ScatterElements without reduction
    if (!resultTypes[0])
      resultTypes[0] = operands[0].getType();
    auto axis = attrs.get("axis");
    auto scatter = onnxd::ScatterElementsOp::create(b, loc, resultTypes[0], operands[0], operands[1], operands[2]);
    if (axis)
      scatter.setAxisAttr(cast<IntegerAttr>(axis));
    replaced.push_back(scatter);
    return true;
  }
  if (op == "Resize" && v < 11) {
    // Resize-10: (X, scales), asymmetric coordinates, nearest rounding down (as Upsample).
    operands.assign({operands[0], onnxd::NoValueOp::create(b, loc, b.getNoneType()), operands[1],
                     onnxd::NoValueOp::create(b, loc, b.getNoneType())});
    attrs.set("coordinate_transformation_mode", b.getStringAttr("asymmetric"));
    attrs.set("nearest_mode", b.getStringAttr("floor"));
    return true;
  }
  if (op == "Upsample")
    return adaptUpsample(b, nc, operands, attrs, replaced, resultTypes, error);
  return true;
}

} // namespace mcc::import
