//===- Elementwise.cpp - legacy opset forms of the elementwise ops -----===//
#include "compiler/import/ImportInternal.h"
#include "dialects/onnx/OnnxDialect.h"

#include <cfloat>
#include <limits>

using namespace mlir;
namespace onnxd = mcc::onnx;

namespace mcc::import {

bool adaptLegacyElementwiseNode(OpBuilder &b, const NodeContext &nc, SmallVectorImpl<Value> &operands,
                                NamedAttrList &attrs, SmallVectorImpl<Value> &replaced,
                                SmallVectorImpl<Type> &resultTypes, std::string &error) {
  StringRef op = nc.node.op_type();
  int v = nc.version;
  Location loc = nc.loc;

  if (op == "Clip" && v < 11) {
    Type elt = cast<RankedTensorType>(operands[0].getType()).getElementType();
    double lo = -FLT_MAX, hi = FLT_MAX;
    if (auto a = attrs.get("min"))
      lo = cast<FloatAttr>(a).getValueAsDouble();
    if (auto a = attrs.get("max"))
      hi = cast<FloatAttr>(a).getValueAsDouble();
    if (isa<FloatType>(elt) && !elt.isF32() && !attrs.get("min"))
      lo = -std::numeric_limits<double>::infinity();
    if (isa<FloatType>(elt) && !elt.isF32() && !attrs.get("max"))
      hi = std::numeric_limits<double>::infinity();
    operands.resize(1);
    operands.push_back(scalarConstant(b, loc, elt, lo));
    operands.push_back(scalarConstant(b, loc, elt, hi));
    attrs.erase("min");
    attrs.erase("max");
    return true;
  }
  if (op == "Dropout" && v < 12) {
    attrs.erase("ratio"); // inference: identity whatever the ratio
    return true;
  }
  if (op == "Cast" && v < 6) {
    // Cast-1 names the target type by its TensorProto.DataType name ("FLOAT").
    if (auto name = dyn_cast_or_null<StringAttr>(attrs.get("to"))) {
      ::onnx::TensorProto::DataType dtype;
      if (!::onnx::TensorProto::DataType_Parse(name.getValue().upper(), &dtype)) {
        error = "Cast 'to' names an unknown data type '" + name.getValue().str() + "'";
        return false;
      }
      attrs.set("to", b.getI64IntegerAttr(dtype));
    }
    return true;
  }
  if (op == "PRelu" && v < 7) {
    // Before opset 7 a 1-D slope of X's channel count applies per channel (dim 1), not numpy-style.
    auto xType = cast<RankedTensorType>(operands[0].getType());
    auto sType = cast<RankedTensorType>(operands[1].getType());
    if (xType.getRank() > 2 && sType.getRank() == 1 && sType.getDimSize(0) != 1 &&
        sType.getDimSize(0) == xType.getDimSize(1)) {
      SmallVector<int64_t> newShape(xType.getRank() - 1, 1);
      newShape[0] = sType.getDimSize(0);
      auto newType = RankedTensorType::get(newShape, sType.getElementType());
      operands[1] = onnxd::ReshapeOp::create(b, loc, newType, operands[1], i64Constant(b, loc, newShape),
                                             /*allowzero=*/0);
    }
    return true;
  }
  bool legacyBroadcast = op == "Add" || op == "Sub" || op == "Mul" || op == "Div" || op == "Pow" || op == "And" ||
                         op == "Or" || op == "Xor" || op == "Equal" || op == "Less" || op == "Greater";
  if (legacyBroadcast && v < 7) {
    auto bcast = attrs.get("broadcast");
    auto axisAttr = attrs.get("axis");
    attrs.erase("broadcast");
    attrs.erase("axis");
    if (!bcast || cast<IntegerAttr>(bcast).getInt() == 0 || !axisAttr)
      return true;
    // Legacy broadcast aligns B with A starting at `axis`: pad B's shape with trailing ones.
    auto aType = cast<RankedTensorType>(operands[0].getType());
    auto bType = cast<RankedTensorType>(operands[1].getType());
    int64_t axis = cast<IntegerAttr>(axisAttr).getInt();
    if (axis < 0)
      axis += aType.getRank();
    int64_t trailing = aType.getRank() - axis - bType.getRank();
    if (trailing < 0 || !bType.hasStaticShape()) {
      error = "legacy broadcast with axis " + std::to_string(axis) + " does not fit the operand shapes";
      return false;
    }
    SmallVector<int64_t> newShape(bType.getShape());
    newShape.append(trailing, 1);
    auto newType = RankedTensorType::get(newShape, bType.getElementType());
    operands[1] = onnxd::ReshapeOp::create(b, loc, newType, operands[1], i64Constant(b, loc, newShape),
                                           /*allowzero=*/0);
    return true;
  }
  return true;
}

} // namespace mcc::import
