//===- Normalization.cpp - legacy opset forms of the normalization ops -----===//
#include "compiler/import/ImportInternal.h"
#include "dialects/onnx/OnnxDialect.h"

using namespace mlir;
namespace onnxd = mcc::onnx;

namespace mcc::import {

/// Softmax, LogSoftmax and Hardmax before opset 13 coerce the input to 2-D at `axis` (default 1) and
/// normalise each row: flatten, apply the opset-13 op over axis 1, reshape back.
template <typename OpT>
static bool coerceTo2D(OpBuilder &b, const NodeContext &nc, SmallVectorImpl<Value> &operands, NamedAttrList &attrs,
                       SmallVectorImpl<Value> &replaced, SmallVectorImpl<Type> &resultTypes, std::string &error) {
  Location loc = nc.loc;
  auto inType = cast<RankedTensorType>(operands[0].getType());
  int64_t rank = inType.getRank();
  int64_t axis = 1;
  if (auto a = attrs.get("axis"))
    axis = cast<IntegerAttr>(a).getInt();
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis > rank || !inType.hasStaticShape()) {
    error = nc.node.op_type() + " axis out of range or input shape not static";
    return false;
  }
  if (axis == rank - 1)
    return attrs.set("axis", b.getI64IntegerAttr(-1)), true;
  int64_t rows = 1, cols = 1;
  for (int64_t i = 0; i < rank; ++i)
    (i < axis ? rows : cols) *= inType.getDimSize(i);
  auto flatType = RankedTensorType::get({rows, cols}, inType.getElementType());
  Value flat = onnxd::FlattenOp::create(b, loc, flatType, operands[0], axis);
  Value r = OpT::create(b, loc, flatType, flat, 1);
  replaced.push_back(onnxd::ReshapeOp::create(b, loc, resultTypes[0] ? resultTypes[0] : Type(inType), r,
                                              i64Constant(b, loc, inType.getShape()), 0));
  return true;
}

bool adaptLegacyNormalizationNode(OpBuilder &b, const NodeContext &nc, SmallVectorImpl<Value> &operands,
                                  NamedAttrList &attrs, SmallVectorImpl<Value> &replaced,
                                  SmallVectorImpl<Type> &resultTypes, std::string &error) {
  StringRef op = nc.node.op_type();
  int v = nc.version;

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
  if (op == "Softmax" && v < 13)
    return coerceTo2D<onnxd::SoftmaxOp>(b, nc, operands, attrs, replaced, resultTypes, error);
  if (op == "LogSoftmax" && v < 13)
    return coerceTo2D<onnxd::LogSoftmaxOp>(b, nc, operands, attrs, replaced, resultTypes, error);
  if (op == "Hardmax" && v < 13)
    return coerceTo2D<onnxd::HardmaxOp>(b, nc, operands, attrs, replaced, resultTypes, error);
  return true;
}

} // namespace mcc::import
