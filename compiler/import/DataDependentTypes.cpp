//===- DataDependentTypes.cpp - result types that depend on values -----------===//
#include "compiler/import/ModelImporter.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace mcc::import {

/// Ops whose output shape depends on input values, not only on input shapes. TopK counts when its K
/// is a graph input (a K computed in the graph is left to shape inference's data propagation).
bool hasDataDependentShape(StringRef opType, ArrayRef<Value> operands) {
  if (opType == "TopK")
    return operands.size() > 1 && isa<BlockArgument>(operands[1]) &&
           isa<func::FuncOp>(cast<BlockArgument>(operands[1]).getOwner()->getParentOp());
  return opType == "NonZero" || opType == "Unique" || opType == "NonMaxSuppression" || opType == "Compress";
}

std::string describeProducer(Value v) {
  if (Operation *def = v.getDefiningOp())
    if (auto name = dyn_cast<NameLoc>(def->getLoc()))
      return name.getName().str();
  return "a data-dependent op";
}

/// A value whose shape depends on the data reaches the caller only as a graph output: the ops after it
/// are compiled for static shapes.
bool ModelImporter::rejectDataDependentOperands(const ::onnx::NodeProto &node, ArrayRef<Value> operands, Location loc) {
  for (auto [i, v] : llvm::enumerate(operands)) {
    auto t = dyn_cast<RankedTensorType>(v.getType());
    if (!t || t.hasStaticShape())
      continue;
    error(loc) << "input '" << (i < (size_t)node.input_size() ? node.input(i) : std::string("?"))
               << "' is the output of " << describeProducer(v) << ", whose shape depends on the data; it feeds "
               << node.op_type() << ": data-dependent shapes inside the graph are not supported (only as graph "
               << "outputs)";
    return false;
  }
  return true;
}

/// The element values of an onnx.Constant operand, if it is one.
static DenseElementsAttr constantOperand(Value v) {
  auto c = v.getDefiningOp<onnxd::ConstantOp>();
  return c ? dyn_cast<DenseElementsAttr>(c.getValue()) : DenseElementsAttr();
}

/// Result types of an op with data-dependent output shapes: `?` for each such dim, its upper bound
/// (computed from the static input shapes) in `bounds`. Shape inference cannot know these dims.
bool ModelImporter::dataDependentTypes(const ::onnx::NodeProto &node, ArrayRef<Value> operands,
                                       SmallVectorImpl<Type> &types, SmallVectorImpl<SmallVector<int64_t>> &bounds,
                                       Location loc) {
  constexpr int64_t kDyn = ShapedType::kDynamic;
  StringRef op = node.op_type();
  auto attrInt = [&](StringRef name) -> std::optional<int64_t> {
    for (const auto &a : node.attribute())
      if (a.name() == name && a.type() == ::onnx::AttributeProto::INT)
        return a.i();
    return std::nullopt;
  };
  auto operandType = [&](size_t i) -> RankedTensorType {
    return i < operands.size() ? dyn_cast<RankedTensorType>(operands[i].getType()) : RankedTensorType();
  };
  auto i64 = b.getI64Type();
  SmallVector<Type> t(types.size());
  bounds.assign(types.size(), {});
  auto set = [&](size_t i, ArrayRef<int64_t> shape, Type elt, ArrayRef<int64_t> bound) {
    if (i >= types.size())
      return;
    t[i] = RankedTensorType::get(shape, elt);
    if (llvm::is_contained(shape, kDyn))
      bounds[i].assign(bound.begin(), bound.end());
  };
  RankedTensorType x = operandType(0);
  if (!x) {
    error(loc) << "the first input must be a tensor";
    return false;
  }
  auto resolveAxis = [&](int64_t axis, int64_t rank) -> std::optional<int64_t> {
    if (axis < -rank || axis >= rank) {
      error(loc) << "attribute 'axis' " << axis << " is out of range for rank " << rank;
      return std::nullopt;
    }
    return axis < 0 ? axis + rank : axis;
  };

  if (op == "NonZero") {
    if (x.getRank() == 0) {
      error(loc) << "NonZero of a 0-d tensor is not supported";
      return false;
    }
    set(0, {x.getRank(), kDyn}, i64, {x.getRank(), x.getNumElements()});
  } else if (op == "Compress") {
    RankedTensorType cond = operandType(1);
    if (!cond || cond.getRank() != 1) {
      error(loc) << "condition must be a 1-D tensor";
      return false;
    }
    SmallVector<int64_t> shape{x.getNumElements()};
    int64_t axis = 0;
    if (std::optional<int64_t> a = attrInt("axis")) {
      std::optional<int64_t> resolved = resolveAxis(*a, x.getRank());
      if (!resolved)
        return false;
      axis = *resolved;
      shape.assign(x.getShape().begin(), x.getShape().end());
    }
    int64_t considered = std::min(cond.getDimSize(0), shape[axis]);
    SmallVector<int64_t> bound = shape;
    bound[axis] = considered;
    if (DenseElementsAttr c = constantOperand(operands[1])) {
      // A constant condition fixes the shape at compile time.
      int64_t kept = 0, i = 0;
      for (const APInt &v : c.getValues<APInt>())
        kept += i++ < considered && !v.isZero();
      shape[axis] = kept;
    } else {
      shape[axis] = kDyn;
    }
    set(0, shape, x.getElementType(), bound);
  } else if (op == "Unique") {
    SmallVector<int64_t> shape{kDyn}, bound{x.getNumElements()};
    int64_t n = x.getNumElements();
    if (std::optional<int64_t> a = attrInt("axis")) {
      std::optional<int64_t> axis = resolveAxis(*a, x.getRank());
      if (!axis)
        return false;
      bound.assign(x.getShape().begin(), x.getShape().end());
      shape = bound;
      shape[*axis] = kDyn;
      n = x.getDimSize(*axis);
    }
    set(0, shape, x.getElementType(), bound);
    set(1, {kDyn}, i64, {n});
    set(2, {n}, i64, {n});
    set(3, {kDyn}, i64, {n});
  } else if (op == "TopK") {
    int64_t axis = attrInt("axis").value_or(-1);
    std::optional<int64_t> resolved = resolveAxis(axis, x.getRank());
    if (!resolved)
      return false;
    SmallVector<int64_t> shape(x.getShape()), bound(x.getShape());
    shape[*resolved] = kDyn;
    set(0, shape, x.getElementType(), bound);
    set(1, shape, i64, bound);
  } else if (op == "NonMaxSuppression") {
    RankedTensorType scores = operandType(1);
    if (x.getRank() != 3 || x.getDimSize(2) != 4 || !scores || scores.getRank() != 3 ||
        scores.getDimSize(0) != x.getDimSize(0) || scores.getDimSize(2) != x.getDimSize(1)) {
      error(loc) << "boxes must be [batch, boxes, 4] and scores [batch, classes, boxes], got " << x << " and "
                 << operands[1].getType();
      return false;
    }
    int64_t perClass = x.getDimSize(1);
    if (operands.size() > 2)
      if (DenseElementsAttr c = constantOperand(operands[2]); c && c.getNumElements() == 1)
        perClass = std::clamp<int64_t>((*c.getValues<APInt>().begin()).getSExtValue(), 0, perClass);
    set(0, {kDyn, 3}, i64, {x.getDimSize(0) * scores.getDimSize(1) * perClass, 3});
  }
  for (size_t i = 0; i < types.size(); ++i) {
    if (types[i]) // an omitted output stays `none`
      bounds[i].clear();
    else
      types[i] = t[i];
  }
  return true;
}

} // namespace mcc::import
