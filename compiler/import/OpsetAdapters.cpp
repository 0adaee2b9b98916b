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

static Value scalarConstant(OpBuilder &b, Location loc, Type elt, double v) {
  auto type = RankedTensorType::get({}, elt);
  Attribute a;
  if (isa<FloatType>(elt))
    a = DenseElementsAttr::get(type, b.getFloatAttr(elt, v));
  else
    a = DenseElementsAttr::get(type, b.getIntegerAttr(elt, (int64_t)v));
  return onnxd::ConstantOp::create(b, loc, type, cast<ElementsAttr>(a));
}

static Value i64Constant(OpBuilder &b, Location loc, ArrayRef<int64_t> values) {
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

bool adaptLegacyNode(OpBuilder &b, const NodeContext &nc, SmallVectorImpl<Value> &operands,
                     NamedAttrList &attrs, SmallVectorImpl<Value> &replaced, SmallVectorImpl<Type> &resultTypes,
                     std::string &error) {
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
  if (op == "Clip" && v < 11) {
    Type elt = cast<RankedTensorType>(operands[0].getType()).getElementType();
    double lo = -FLT_MAX, hi = FLT_MAX;
    if (auto a = attrs.get("min"))
      lo = cast<FloatAttr>(a).getValueAsDouble();
    if (auto a = attrs.get("max"))
      hi = cast<FloatAttr>(a).getValueAsDouble();
    if (isa<FloatType>(elt) && !elt.isF32() && !attrs.get("min"))
      lo = -std::numeric_limits<double>::infinity();
    if (isa<FloatType>(elt) && !elt.isF32() && !attrs.get("max"))
      hi = std::numeric_limits<double>::infinity();
    operands.resize(1);
    operands.push_back(scalarConstant(b, loc, elt, lo));
    operands.push_back(scalarConstant(b, loc, elt, hi));
    attrs.erase("min");
    attrs.erase("max");
    return true;
  }
  if (op == "Dropout" && v < 12) {
    attrs.erase("ratio"); // inference: identity whatever the ratio
    return true;
  }
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
  if (op == "Gemm" && v < 7) {
    attrs.erase("broadcast"); // C broadcasts unidirectionally either way when its shape allows it
    return true;
  }
  if (op == "Concat" && v < 4 && !attrs.get("axis")) {
    attrs.set("axis", b.getI64IntegerAttr(1));
    return true;
  }
  if ((op == "Add" || op == "Sub" || op == "Mul" || op == "Div") && v < 7) {
    auto bcast = attrs.get("broadcast");
    auto axisAttr = attrs.get("axis");
    attrs.erase("broadcast");
    attrs.erase("axis");
    if (!bcast || cast<IntegerAttr>(bcast).getInt() == 0 || !axisAttr)
      return true;
    // Legacy broadcast aligns B with A starting at `axis`: pad B's shape with trailing ones.
    auto aType = cast<RankedTensorType>(operands[0].getType());
    auto bType = cast<RankedTensorType>(operands[1].getType());
    int64_t axis = cast<IntegerAttr>(axisAttr).getInt();
    if (axis < 0)
      axis += aType.getRank();
    int64_t trailing = aType.getRank() - axis - bType.getRank();
    if (trailing < 0 || !bType.hasStaticShape()) {
      error = "legacy broadcast with axis " + std::to_string(axis) + " does not fit the operand shapes";
      return false;
    }
    SmallVector<int64_t> newShape(bType.getShape());
    newShape.append(trailing, 1);
    auto newType = RankedTensorType::get(newShape, bType.getElementType());
    operands[1] = onnxd::ReshapeOp::create(b, loc, newType, operands[1], i64Constant(b, loc, newShape),
                                             /*allowzero=*/0);
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
#define MCC_TRY_ADAPTER(Family)                                                                          \
  if (!adaptLegacy##Family##Node(b, nc, operands, attrs, replaced, resultTypes, error))                 \
    return false;
  MCC_ADAPTER_FAMILIES(MCC_TRY_ADAPTER)
#undef MCC_TRY_ADAPTER
  return true;
}

} // namespace mcc::import
