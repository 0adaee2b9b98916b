//===- Conv.cpp - legacy opset forms of the conv ops -----===//
#include "compiler/import/ImportInternal.h"
#include "dialects/onnx/OnnxDialect.h"

using namespace mlir;

namespace mcc::import {

bool adaptLegacyConvNode(OpBuilder &b, const NodeContext &nc, SmallVectorImpl<Value> &operands, NamedAttrList &attrs,
                         SmallVectorImpl<Value> &replaced, SmallVectorImpl<Type> &resultTypes, std::string &error) {
  return true;
}

} // namespace mcc::import
