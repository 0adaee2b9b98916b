//===- Pooling.cpp - legacy opset forms of the pooling ops -----===//
#include "compiler/import/ImportInternal.h"
#include "dialects/onnx/OnnxDialect.h"

#include <cmath>

using namespace mlir;

namespace mcc::import {

/// LpPool-1 and GlobalLpPool-1 take p as a float; later versions as an integer.
static bool integerP(NamedAttrList &attrs, OpBuilder &b, StringRef op, std::string &error) {
  auto p = dyn_cast_or_null<FloatAttr>(attrs.get("p"));
  if (!p)
    return true;
  double v = p.getValueAsDouble();
  if (v != std::floor(v) || v < 1) {
    error = (op + " with a non-integer p (" + std::to_string(v) + ") is not supported").str();
    return false;
  }
  attrs.set("p", b.getI64IntegerAttr((int64_t)v));
  return true;
}

bool adaptLegacyPoolingNode(OpBuilder &b, const NodeContext &nc, SmallVectorImpl<Value> &operands, NamedAttrList &attrs,
                            SmallVectorImpl<Value> &replaced, SmallVectorImpl<Type> &resultTypes, std::string &error) {
  StringRef op = nc.node.op_type();
  if (op == "RoiAlign" && nc.version < 16) {
    // Opset 10 had no half-pixel option: its sampling grid is the one now named output_half_pixel.
    attrs.set("coordinate_transformation_mode", b.getStringAttr("output_half_pixel"));
    return true;
  }
  if ((op == "LpPool" || op == "GlobalLpPool") && nc.version < 2)
    return integerP(attrs, b, op, error);
  return true;
}

} // namespace mcc::import
