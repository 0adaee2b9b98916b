//===- Recurrent.cpp - legacy opset forms of the recurrent ops -----===//
#include "compiler/import/ImportInternal.h"
#include "dialects/onnx/OnnxDialect.h"

using namespace mlir;

namespace mcc::import {

bool adaptLegacyRecurrentNode(OpBuilder &b, const NodeContext &nc, SmallVectorImpl<Value> &operands,
                              NamedAttrList &attrs, SmallVectorImpl<Value> &replaced,
                              SmallVectorImpl<Type> &resultTypes, std::string &error) {
  StringRef op = nc.node.op_type();
  if ((op == "RNN" || op == "GRU" || op == "LSTM") && nc.version < 7) {
    // Opset 1 asked whether Y is wanted; an omitted output says the same in the newer forms.
    attrs.erase("output_sequence");
    return true;
  }
  return true;
}

} // namespace mcc::import
