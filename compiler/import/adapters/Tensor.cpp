//===- Tensor.cpp - legacy opset forms of the tensor ops -----===//
#include "compiler/import/ImportInternal.h"
#include "dialects/onnx/OnnxDialect.h"

using namespace mlir;
namespace onnxd = mcc::onnx;

namespace mcc::import {

bool adaptLegacyTensorNode(OpBuilder &b, const NodeContext &nc, SmallVectorImpl<Value> &operands, NamedAttrList &attrs,
                           SmallVectorImpl<Value> &replaced, SmallVectorImpl<Type> &resultTypes, std::string &error) {
  StringRef op = nc.node.op_type();
  int v = nc.version;
  Location loc = nc.loc;

  if (op == "Reshape" && v < 5) {
    auto shape = attrs.get("shape");
    if (!shape) {
      error = "Reshape-1 without a 'shape' attribute";
      return false;
    }
    ArrayRef<int64_t> target = cast<DenseI64ArrayAttr>(shape).asArrayRef();
    operands.resize(1); // drop the padding for the (then absent) shape input
    operands.push_back(i64Constant(b, loc, target));
    attrs.erase("shape");
    if (!resultTypes[0]) {
      // libonnx has no shape inference for the attribute form: resolve 0 and -1 here.
      auto in = cast<RankedTensorType>(operands[0].getType());
      SmallVector<int64_t> dims;
      int64_t known = 1, inferAt = -1;
      for (size_t i = 0; i < target.size(); ++i) {
        int64_t d = target[i];
        if (d == 0 && (int64_t)i < in.getRank())
          d = in.getDimSize(i);
        if (d == -1) {
          if (inferAt >= 0)
            return error = "Reshape-1 shape has more than one -1", false;
          inferAt = i;
        } else if (d < 0) {
          return error = "Reshape-1 shape has a negative dimension", false;
        } else {
          known *= d;
        }
        dims.push_back(d);
      }
      if (inferAt >= 0) {
        if (known == 0 || in.getNumElements() % known != 0)
          return error = "Reshape-1 cannot infer the -1 dimension", false;
        dims[inferAt] = in.getNumElements() / known;
      }
      resultTypes[0] = RankedTensorType::get(dims, in.getElementType());
    }
    return true;
  }
  if (op == "Concat" && v < 4 && !attrs.get("axis")) {
    attrs.set("axis", b.getI64IntegerAttr(1));
    return true;
  }

  // Attributes that later opsets turned into inputs.
  auto attrToInput = [&](StringRef name, size_t position) {
    if (auto a = attrs.get(name)) {
      operands[position] = i64Constant(b, loc, cast<DenseI64ArrayAttr>(a).asArrayRef());
      attrs.erase(name);
    }
  };
  if ((op == "Unsqueeze" || op == "Squeeze") && v < 13) {
    if (op == "Unsqueeze" && !attrs.get("axes"))
      return error = "Unsqueeze without axes", false;
    attrToInput("axes", 1);
    return true;
  }
  if (op == "Split" && v < 13) {
    attrToInput("split", 1);
    return true;
  }
  if (op == "Slice" && v < 10) {
    if (!attrs.get("starts") || !attrs.get("ends"))
      return error = "Slice-1 needs starts and ends", false;
    attrToInput("starts", 1);
    attrToInput("ends", 2);
    attrToInput("axes", 3);
    return true;
  }
  if (op == "Pad" && v < 11) {
    if (auto p = attrs.get("paddings")) { // opset 1's name for pads
      attrs.set("pads", p);
      attrs.erase("paddings");
    }
    if (!attrs.get("pads"))
      return error = "Pad needs pads", false;
    attrToInput("pads", 1);
    if (auto value = attrs.get("value")) {
      Type elt = cast<RankedTensorType>(operands[0].getType()).getElementType();
      operands[2] = scalarConstant(b, loc, elt, cast<FloatAttr>(value).getValueAsDouble());
      attrs.erase("value");
    }
    return true;
  }
  return true;
}

} // namespace mcc::import
