//===- GatherScatter.cpp - legacy opset forms of the gathers and scatters -----===//
#include "compiler/import/ImportInternal.h"
#include "dialects/onnx/OnnxDialect.h"

using namespace mlir;
namespace onnxd = mcc::onnx;

namespace mcc::import {

bool adaptLegacyGatherScatterNode(OpBuilder &b, const NodeContext &nc, SmallVectorImpl<Value> &operands,
                                  NamedAttrList &attrs, SmallVectorImpl<Value> &replaced,
                                  SmallVectorImpl<Type> &resultTypes, std::string &error) {
  StringRef op = nc.node.op_type();
  Location loc = nc.loc;
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
  return true;
}

} // namespace mcc::import
