//===- Resize.cpp - legacy opset forms of Resize and Upsample -----===//
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

bool adaptLegacyResizeNode(OpBuilder &b, const NodeContext &nc, SmallVectorImpl<Value> &operands, NamedAttrList &attrs,
                           SmallVectorImpl<Value> &replaced, SmallVectorImpl<Type> &resultTypes, std::string &error) {
  StringRef op = nc.node.op_type();
  int v = nc.version;
  Location loc = nc.loc;
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
