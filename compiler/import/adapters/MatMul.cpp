//===- MatMul.cpp - legacy opset forms of the matmul ops -----===//
#include "compiler/import/ImportInternal.h"
#include "dialects/onnx/OnnxDialect.h"

using namespace mlir;
namespace onnxd = mcc::onnx;

namespace mcc::import {

bool adaptLegacyMatMulNode(OpBuilder &b, const NodeContext &nc, SmallVectorImpl<Value> &operands, NamedAttrList &attrs,
                           SmallVectorImpl<Value> &replaced, SmallVectorImpl<Type> &resultTypes, std::string &error) {
  StringRef op = nc.node.op_type();
  int v = nc.version;

  if (op == "Gemm" && v < 7) {
    attrs.erase("broadcast"); // C broadcasts unidirectionally either way when its shape allows it
    return true;
  }
  return true;
}

} // namespace mcc::import
