//===- OpsetAdapters.cpp - older opsets -> the onnx dialect's semantics ---===//
//
// Each adapter turns one legacy form into the newest one, so lowerings only ever see one version.
//
//===----------------------------------------------------------------------===//
#include "compiler/import/ImportInternal.h"
#include "dialects/onnx/OnnxDialect.h"

#include <cfloat>

using namespace mlir;
namespace onnxd = mcc::onnx;

namespace mcc::import {

Value scalarConstant(OpBuilder &b, Location loc, Type elt, double v) {
  auto type = RankedTensorType::get({}, elt);
  Attribute a;
  if (isa<FloatType>(elt))
    a = DenseElementsAttr::get(type, b.getFloatAttr(elt, v));
  else
    a = DenseElementsAttr::get(type, b.getIntegerAttr(elt, (int64_t)v));
  return onnxd::ConstantOp::create(b, loc, type, cast<ElementsAttr>(a));
}

Value i64Constant(OpBuilder &b, Location loc, ArrayRef<int64_t> values) {
  auto type = RankedTensorType::get({(int64_t)values.size()}, b.getI64Type());
  return onnxd::ConstantOp::create(b, loc, type, cast<ElementsAttr>(DenseElementsAttr::get(type, values)));
}

bool isIgnorableLegacyAttribute(StringRef op, StringRef attr) {
  if (attr == "consumed_inputs")
    return true; // opset 1 memory-reuse hint
  if (attr == "is_test" && (op == "Dropout" || op == "BatchNormalization"))
    return true; // inference is always test mode
  return false;
}

bool adaptLegacyNode(OpBuilder &b, const NodeContext &nc, SmallVectorImpl<Value> &operands, NamedAttrList &attrs,
                     SmallVectorImpl<Value> &replaced, SmallVectorImpl<Type> &resultTypes, std::string &error) {
  static LegacyAdapter *const adapters[] = {
      adaptLegacyElementwiseNode,   adaptLegacyMatMulNode,        adaptLegacyConvNode,
      adaptLegacyPoolingNode,       adaptLegacyNormalizationNode, adaptLegacyTensorNode,
      adaptLegacyGatherScatterNode, adaptLegacyResizeNode,        adaptLegacyReductionNode,
      adaptLegacyQuantizationNode,  adaptLegacyRecurrentNode,     adaptLegacyControlFlowNode,
  };
  for (LegacyAdapter *adapt : adapters)
    if (!adapt(b, nc, operands, attrs, replaced, resultTypes, error))
      return false;
  return true;
}

} // namespace mcc::import
