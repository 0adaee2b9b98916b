//===- Reduction.cpp - legacy opset forms of the reduction ops -----===//
#include "compiler/import/ImportInternal.h"
#include "dialects/onnx/OnnxDialect.h"

using namespace mlir;
namespace onnxd = mcc::onnx;

namespace mcc::import {

static bool isReduceOp(StringRef op) {
  return llvm::is_contained({"ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2",
                             "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare"},
                            op);
}

bool adaptLegacyReductionNode(OpBuilder &b, const NodeContext &nc, SmallVectorImpl<Value> &operands,
                              NamedAttrList &attrs, SmallVectorImpl<Value> &replaced,
                              SmallVectorImpl<Type> &resultTypes, std::string &error) {
  StringRef op = nc.node.op_type();
  Location loc = nc.loc;

  if (isReduceOp(op)) {
    // Before opset 18 (13 for ReduceSum) axes is an attribute; the dialect has the input form only.
    if (auto axes = attrs.get("axes")) {
      operands.resize(1);
      operands.push_back(i64Constant(b, loc, cast<DenseI64ArrayAttr>(axes).asArrayRef()));
      attrs.erase("axes");
    }
    while (operands.size() < 2)
      operands.push_back(onnxd::NoValueOp::create(b, loc, b.getNoneType()));
    return true;
  }
  if (op == "TopK" && nc.version < 10) {
    auto k = dyn_cast_or_null<IntegerAttr>(attrs.get("k"));
    if (!k) {
      error = "TopK-1 without a 'k' attribute";
      return false;
    }
    operands.resize(1);
    operands.push_back(i64Constant(b, loc, {k.getInt()}));
    attrs.erase("k");
    return true;
  }
  return true;
}

} // namespace mcc::import
