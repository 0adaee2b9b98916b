//===- ControlFlow.cpp - legacy opset forms of the controlflow ops -----===//
#include "compiler/import/ImportInternal.h"
#include "dialects/onnx/OnnxDialect.h"

using namespace mlir;
namespace onnxd = mcc::onnx;

namespace mcc::import {

/// Scan-8 is batched: every input has a leading batch axis, scan inputs scan along axis 1, and
/// `sequence_lens` may shorten each batch element's sequence. It becomes onnx.Scan with `batched`;
/// sequence_lens is accepted only when absent or a constant equal to the full length everywhere.
static bool adaptScan8(const NodeContext &nc, SmallVectorImpl<Value> &operands, NamedAttrList &attrs,
                       std::string &error) {
  if (operands.empty()) {
    error = "Scan-8 takes sequence_lens before its inputs";
    return false;
  }
  Value lens = operands.front();
  operands.erase(operands.begin());
  int64_t numScan = 0;
  if (auto a = dyn_cast_or_null<IntegerAttr>(attrs.get("num_scan_inputs")))
    numScan = a.getInt();
  int64_t numStates = (int64_t)operands.size() - numScan;
  if (numScan < 1 || numStates < 0) {
    error = "Scan-8 num_scan_inputs " + std::to_string(numScan) + " does not fit " + std::to_string(operands.size()) +
            " inputs";
    return false;
  }
  for (Value v : operands) {
    auto t = cast<RankedTensorType>(v.getType());
    if (t.getRank() < 1 || (t.getRank() < 2 && v == operands[numStates])) {
      error = "Scan-8 inputs need a batch axis (and scan inputs a sequence axis)";
      return false;
    }
  }
  if (!onnxd::isNoValue(lens)) {
    auto first = cast<RankedTensorType>(operands[numStates].getType());
    auto c = lens.getDefiningOp<onnxd::ConstantOp>();
    auto dense = c ? dyn_cast<DenseElementsAttr>(c.getValue()) : DenseElementsAttr();
    bool full = dense && !first.isDynamicDim(1);
    if (full)
      for (const APInt &v : dense.getValues<APInt>())
        full &= v.getSExtValue() == first.getDimSize(1);
    if (!full) {
      error = "Scan-8 sequence_lens shorter than the sequence axis (or not a constant) is not supported";
      return false;
    }
  }
  if (Attribute d = attrs.get("directions")) {
    attrs.set("scan_input_directions", d);
    attrs.erase("directions");
  }
  attrs.set("batched", UnitAttr::get(nc.loc.getContext()));
  return true;
}

bool adaptLegacyControlFlowNode(OpBuilder &b, const NodeContext &nc, SmallVectorImpl<Value> &operands,
                                NamedAttrList &attrs, SmallVectorImpl<Value> &replaced,
                                SmallVectorImpl<Type> &resultTypes, std::string &error) {
  if (nc.node.op_type() == "Scan" && nc.version < 9)
    return adaptScan8(nc, operands, attrs, error);
  return true;
}

} // namespace mcc::import
