//===- Pooling.cpp - legacy opset forms of the pooling ops -----===//
#include "compiler/import/ImportInternal.h"
#include "dialects/onnx/OnnxDialect.h"

using namespace mlir;

namespace mcc::import {

bool adaptLegacyPoolingNode(OpBuilder &b, const NodeContext &nc, SmallVectorImpl<Value> &operands, NamedAttrList &attrs,
                            SmallVectorImpl<Value> &replaced, SmallVectorImpl<Type> &resultTypes, std::string &error) {
  StringRef op = nc.node.op_type();
  if (op == "RoiAlign" && nc.version < 16) {
    // Opset 10 had no half-pixel option: its sampling grid is the one now named output_half_pixel.
    attrs.set("coordinate_transformation_mode", b.getStringAttr("output_half_pixel"));
    return true;
  }
  return true;
}

} // namespace mcc::import
