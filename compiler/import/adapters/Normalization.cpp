//===- Normalization.cpp - legacy opset forms of the normalization ops -----===//
#include "compiler/import/ImportInternal.h"
#include "dialects/onnx/OnnxDialect.h"

using namespace mlir;
namespace onnxd = mcc::onnx;

namespace mcc::import {

bool adaptLegacyNormalizationNode(OpBuilder &b, const NodeContext &nc, SmallVectorImpl<Value> &operands,
                        NamedAttrList &attrs, SmallVectorImpl<Value> &replaced, SmallVectorImpl<Type> &resultTypes,
                        std::string &error) {
  StringRef op = nc.node.op_type();
  int v = nc.version;
  Location loc = nc.loc;

  if (op == "BatchNormalization" && v < 9) {
    if (auto s = attrs.get("spatial")) {
      if (cast<IntegerAttr>(s).getInt() != 1) {
        error = "BatchNormalization with spatial=0 is not supported";
        return false;
      }
      attrs.erase("spatial");
    }
    return true;
  }
  if (op == "Softmax" && v < 13) {
    // Softmax-1..12 coerce the input to 2-D at `axis` and normalise each row: flatten, softmax over
    // axis 1, reshape back.
    auto inType = cast<RankedTensorType>(operands[0].getType());
    int64_t rank = inType.getRank();
    int64_t axis = 1;
    if (auto a = attrs.get("axis"))
      axis = cast<IntegerAttr>(a).getInt();
    if (axis < 0)
      axis += rank;
    if (axis < 0 || axis > rank || !inType.hasStaticShape()) {
      error = "Softmax axis out of range or input shape not static";
      return false;
    }
    if (axis == rank - 1)
      return attrs.set("axis", b.getI64IntegerAttr(-1)), true;
    int64_t rows = 1, cols = 1;
    for (int64_t i = 0; i < rank; ++i)
      (i < axis ? rows : cols) *= inType.getDimSize(i);
    auto flatType = RankedTensorType::get({rows, cols}, inType.getElementType());
    Value flat = onnxd::FlattenOp::create(b, loc, flatType, operands[0], axis);
    Value sm = onnxd::SoftmaxOp::create(b, loc, flatType, flat, 1);
    replaced.push_back(onnxd::ReshapeOp::create(b, loc, resultTypes[0], sm,
                                                  i64Constant(b, loc, inType.getShape()), 0));
    return true;
  }
  return true;
}

} // namespace mcc::import
