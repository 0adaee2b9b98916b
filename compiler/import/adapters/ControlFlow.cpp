//===- ControlFlow.cpp - legacy opset forms of the controlflow ops -----===//
#include "compiler/import/ImportInternal.h"
#include "dialects/onnx/OnnxDialect.h"

using namespace mlir;

namespace mcc::import {

bool adaptLegacyControlFlowNode(OpBuilder &b, const NodeContext &nc, SmallVectorImpl<Value> &operands,
                        NamedAttrList &attrs, SmallVectorImpl<Value> &replaced, SmallVectorImpl<Type> &resultTypes,
                        std::string &error) {
  if (nc.node.op_type() == "Scan" && nc.version < 9) {
    error = "Scan-8 (batched, with sequence_lens) is not supported; re-export with opset 9 or later";
    return false;
  }
  return true;
}

} // namespace mcc::import
