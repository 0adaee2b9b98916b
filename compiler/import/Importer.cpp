//===- Importer.cpp - ONNX ModelProto -> onnx dialect ---------------------===//
#include "compiler/import/Importer.h"
#include "compiler/import/ImportInternal.h"
#include "dialects/onnx/OnnxDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SHA256.h"

#include "onnx/defs/schema.h"
#include "onnx/shape_inference/implementation.h"
#include <google/protobuf/io/coded_stream.h>

#include <climits>
#include <regex>

using namespace mlir;
namespace onnxd = mcc::onnx;

namespace mcc {

std::string parseShapeOption(StringRef text, ImportOptions &options) {
  auto [name, dims] = text.rsplit('=');
  if (name.empty() || dims.empty() || !text.contains('='))
    return "--shape expects NAME=D0xD1x... (or NAME=scalar), got '" + text.str() + "'";
  if (dims == "none") {
    options.absentInputs.insert(name.str());
    return "";
  }
  if (dims.starts_with("[")) {
    std::string err = import::parseSequenceShapes(name, dims, options);
    return err.empty() ? "" : "--shape " + text.str() + ": " + err;
  }
  std::vector<int64_t> shape;
  if (dims == "scalar") {
    options.inputShapes[name.str()] = shape;
    return "";
  }
  SmallVector<StringRef> parts;
  dims.split(parts, 'x');
  for (StringRef p : parts) {
    int64_t d;
    if (p.getAsInteger(10, d) || d < 0)
      return "--shape " + text.str() + ": '" + p.str() + "' is not a non-negative integer";
    shape.push_back(d);
  }
  options.inputShapes[name.str()] = shape;
  return "";
}

namespace {

class ModelImporter {
public:
  ModelImporter(MLIRContext &ctx, StringRef path, const ImportOptions &options)
      : ctx(ctx), path(path.str()), options(options), b(&ctx),
        fileLoc(FileLineColLoc::get(&ctx, llvm::sys::path::filename(path), 0, 0)) {}

  OwningOpRef<ModuleOp> run();

private:
  InFlightDiagnostic error(Location loc) { return emitError(loc); }
  InFlightDiagnostic error() { return emitError(fileLoc); }
  Location nodeLoc(const ::onnx::NodeProto &node, size_t index);
  bool loadModel();
  bool pinInputShapes();
  Type typeFor(const ::onnx::TypeProto &type, StringRef what, Location loc);
  bool importInitializers();
  bool checkNodes(const ::onnx::GraphProto &graph);
  bool importNode(const ::onnx::NodeProto &node, size_t index);
  bool importSubgraph(const ::onnx::GraphProto &graph, Region &region, ArrayRef<Type> argTypes, Location loc);
  bool subgraphArgTypes(const ::onnx::NodeProto &node, ArrayRef<Value> operands, SmallVectorImpl<Type> &types,
                        Location loc, bool batchedScan);
  bool convertAttribute(const ::onnx::AttributeProto &a, NamedAttrList &attrs, Location loc,
                        StringRef opName);
  Value lookup(const std::string &name, Location loc, StringRef nodeDesc);
  bool rejectDataDependentOperands(const ::onnx::NodeProto &node, ArrayRef<Value> operands, Location loc);
  bool dataDependentTypes(const ::onnx::NodeProto &node, ArrayRef<Value> operands,
                          SmallVectorImpl<Type> &types, SmallVectorImpl<SmallVector<int64_t>> &bounds,
                          Location loc);

  MLIRContext &ctx;
  std::string path;
  const ImportOptions &options;
  OpBuilder b;
  Location fileLoc;
  ::onnx::ModelProto model;
  std::string modelHash;
  int64_t defaultOpset = 0;
  llvm::StringMap<Value> values;
  llvm::StringMap<const ::onnx::TypeProto *> inferredTypes;
  /// Per graph input / output: the dim_param of each dimension set by ImportOptions::dimValues, or "".
  llvm::StringMap<std::vector<std::string>> runtimeDims;
  std::map<std::string, std::string> valueOrigins; ///< flattened sequence/optional inputs and outputs
  /// Upper bound of the shape of each value whose shape depends on the data.
  llvm::DenseMap<Value, SmallVector<int64_t>> upperBounds;
};

/// Ops whose output shape depends on input values, not only on input shapes. TopK counts when its K
/// is a graph input (a K computed in the graph is left to shape inference's data propagation).
static bool hasDataDependentShape(StringRef opType, ArrayRef<Value> operands) {
  if (opType == "TopK")
    return operands.size() > 1 && isa<BlockArgument>(operands[1]) &&
           isa<func::FuncOp>(cast<BlockArgument>(operands[1]).getOwner()->getParentOp());
  return opType == "NonZero" || opType == "Unique" || opType == "NonMaxSuppression" || opType == "Compress";
}

static std::string describeProducer(Value v) {
  if (Operation *def = v.getDefiningOp())
    if (auto name = dyn_cast<NameLoc>(def->getLoc()))
      return name.getName().str();
  return "a data-dependent op";
}

/// A value whose shape depends on the data reaches the caller only as a graph output: the ops after it
/// are compiled for static shapes.
bool ModelImporter::rejectDataDependentOperands(const ::onnx::NodeProto &node, ArrayRef<Value> operands,
                                                Location loc) {
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

Location ModelImporter::nodeLoc(const ::onnx::NodeProto &node, size_t index) {
  std::string desc = node.name().empty() ? "#" + std::to_string(index) : "'" + node.name() + "'";
  desc = "node " + desc + " (" + node.op_type() + ")";
  return NameLoc::get(StringAttr::get(&ctx, desc), fileLoc);
}

bool ModelImporter::loadModel() {
  auto buf = llvm::MemoryBuffer::getFile(path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!buf) {
    error() << "cannot read model: " << buf.getError().message();
    return false;
  }
  StringRef bytes = (*buf)->getBuffer();
  google::protobuf::io::CodedInputStream stream(reinterpret_cast<const uint8_t *>(bytes.data()),
                                                (int)std::min<size_t>(bytes.size(), INT_MAX));
  stream.SetTotalBytesLimit(INT_MAX);
  if (bytes.empty() || !model.ParseFromCodedStream(&stream) || !stream.ConsumedEntireMessage()) {
    error() << "not a valid ONNX model (protobuf parse failed: truncated or not an ONNX file)";
    return false;
  }
  if (!model.has_graph() || (model.graph().node_size() == 0 && model.graph().output_size() == 0)) {
    error() << "not a valid ONNX model (no graph)";
    return false;
  }
  auto hash = llvm::SHA256::hash(ArrayRef<uint8_t>(
      reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size()));
  modelHash = llvm::toHex(hash, /*LowerCase=*/true);

  for (const auto &imp : model.opset_import())
    if (imp.domain().empty() || imp.domain() == "ai.onnx")
      defaultOpset = imp.version();
  if (defaultOpset == 0 && model.ir_version() < 3)
    defaultOpset = 1; // IR version 1-2 models predate opset_import
  if (defaultOpset == 0) {
    error() << "model imports no version of the default ONNX opset";
    return false;
  }

  StringRef dir = llvm::sys::path::parent_path(path);
  for (auto &t : *model.mutable_graph()->mutable_initializer()) {
    if (t.data_location() != ::onnx::TensorProto::EXTERNAL)
      continue;
    std::string err;
    if (!import::loadExternalData(t, dir, err)) {
      error() << err;
      return false;
    }
  }
  return true;
}

bool ModelImporter::pinInputShapes() {
  llvm::StringSet<> initializerNames;
  for (const auto &t : model.graph().initializer())
    initializerNames.insert(t.name());
  // Symbolic dimensions given a value for this compilation (--dim), in inputs and declared outputs.
  llvm::StringSet<> dimsSeen;
  std::string dimNames;
  auto setDims = [&](::onnx::ValueInfoProto &vi, bool isInput) {
    if (!vi.type().has_tensor_type() || !vi.type().tensor_type().has_shape())
      return;
    std::vector<std::string> names;
    bool any = false;
    for (auto &d : *vi.mutable_type()->mutable_tensor_type()->mutable_shape()->mutable_dim()) {
      names.emplace_back();
      if (d.has_dim_value() || !d.has_dim_param())
        continue;
      if (isInput && dimNames.find("'" + d.dim_param() + "'") == std::string::npos)
        dimNames += (dimNames.empty() ? "'" : ", '") + d.dim_param() + "'";
      auto it = options.dimValues.find(d.dim_param());
      if (it == options.dimValues.end())
        continue;
      if (isInput)
        dimsSeen.insert(d.dim_param());
      names.back() = d.dim_param();
      any = true;
      d.set_dim_value(it->second);
    }
    if (any)
      runtimeDims[vi.name()] = std::move(names);
  };
  for (auto &in : *model.mutable_graph()->mutable_input())
    if (!initializerNames.contains(in.name()))
      setDims(in, /*isInput=*/true);
  for (auto &out : *model.mutable_graph()->mutable_output())
    setDims(out, /*isInput=*/false);
  for (const auto &kv : options.dimValues)
    if (!dimsSeen.contains(kv.first)) {
      error() << "--dim names '" << kv.first << "', which is not a symbolic dimension of a graph input ("
              << (dimNames.empty() ? std::string("the inputs have none") : "they have " + dimNames) << ")";
      return false;
    }

  llvm::StringSet<> seen;
  for (auto &in : *model.mutable_graph()->mutable_input()) {
    auto it = options.inputShapes.find(in.name());
    if (it == options.inputShapes.end())
      continue;
    seen.insert(in.name());
    auto *tensorType = in.mutable_type()->mutable_tensor_type();
    auto *shape = tensorType->mutable_shape();
    if (tensorType->has_shape() && shape->dim_size() != (int)it->second.size()) {
      error() << "--shape " << in.name() << ": model input has rank " << shape->dim_size() << ", got "
              << it->second.size() << " dimensions";
      return false;
    }
    for (size_t i = 0; i < it->second.size(); ++i) {
      if (i < (size_t)shape->dim_size()) {
        auto &d = *shape->mutable_dim(i);
        if (d.has_dim_value() && d.dim_value() != it->second[i]) {
          error() << "--shape " << in.name() << ": dimension " << i << " is fixed to "
                  << d.dim_value() << " by the model, got " << it->second[i];
          return false;
        }
        d.set_dim_value(it->second[i]);
      } else {
        shape->add_dim()->set_dim_value(it->second[i]);
      }
    }
  }
  for (const auto &kv : options.inputShapes)
    if (!seen.contains(kv.first)) {
      std::string names;
      for (const auto &in : model.graph().input())
        if (!initializerNames.contains(in.name()))
          names += (names.empty() ? "" : ", ") + in.name();
      error() << "--shape names '" << kv.first << "', which is not a graph input (inputs: " << names
              << ")";
      return false;
    }
  return true;
}

Type ModelImporter::typeFor(const ::onnx::TypeProto &type, StringRef what, Location loc) {
  if (!type.has_tensor_type()) {
    error(loc) << what << " is not a tensor (sequence, map and optional values are not supported)";
    return {};
  }
  const auto &tt = type.tensor_type();
  Type elt = import::elementTypeFor(&ctx, tt.elem_type());
  if (!elt) {
    error(loc) << what << " has unsupported element type "
               << ::onnx::TensorProto::DataType_Name((::onnx::TensorProto::DataType)tt.elem_type());
    return {};
  }
  if (!tt.has_shape()) {
    error(loc) << what << " has an unknown rank";
    return {};
  }
  SmallVector<int64_t> dims;
  for (const auto &d : tt.shape().dim()) {
    if (!d.has_dim_value()) {
      error(loc) << what << " has dynamic dimension '"
                 << (d.has_dim_param() ? d.dim_param() : std::string("?"))
                 << "'; pin the graph inputs with --shape NAME=D0xD1x..."
                 << (d.has_dim_param() ? " or give the sizes to compile for with --dim " + d.dim_param() + "=V1,V2,..."
                                       : std::string());
      return {};
    }
    if (d.dim_value() < 0) {
      error(loc) << what << " has negative dimension " << d.dim_value();
      return {};
    }
    dims.push_back(d.dim_value());
  }
  if (!import::isAddressable(dims, elt)) {
    error(loc) << what << " of shape [" << llvm::make_range(dims.begin(), dims.end())
               << "] is too large to address: more than 2^" << import::kMaxTensorBytesLog2 << " bytes";
    return {};
  }
  return RankedTensorType::get(dims, elt);
}

bool ModelImporter::importInitializers() {
  for (const auto &t : model.graph().initializer()) {
    std::string err;
    DenseElementsAttr attr = import::tensorToAttr(&ctx, t, err);
    if (!attr) {
      error() << "initializer: " << err;
      return false;
    }
    Location loc = NameLoc::get(StringAttr::get(&ctx, "initializer '" + t.name() + "'"), fileLoc);
    values[t.name()] = onnxd::ConstantOp::create(b, loc, attr.getType(), cast<ElementsAttr>(attr));
  }
  return true;
}

Value ModelImporter::lookup(const std::string &name, Location loc, StringRef nodeDesc) {
  auto it = values.find(name);
  if (it == values.end()) {
    error(loc) << "input '" << name << "' is not a graph input, initializer or the output of an "
               << "earlier node";
    return {};
  }
  return it->second;
}

bool ModelImporter::convertAttribute(const ::onnx::AttributeProto &a, NamedAttrList &attrs, Location loc,
                                     StringRef opName) {
  switch (a.type()) {
  case ::onnx::AttributeProto::INT:
    attrs.set(a.name(), b.getI64IntegerAttr(a.i()));
    return true;
  case ::onnx::AttributeProto::FLOAT:
    attrs.set(a.name(), b.getF32FloatAttr(a.f()));
    return true;
  case ::onnx::AttributeProto::STRING:
    attrs.set(a.name(), b.getStringAttr(a.s()));
    return true;
  case ::onnx::AttributeProto::INTS:
    attrs.set(a.name(), b.getDenseI64ArrayAttr(SmallVector<int64_t>(a.ints().begin(), a.ints().end())));
    return true;
  case ::onnx::AttributeProto::FLOATS:
    attrs.set(a.name(), b.getDenseF32ArrayAttr(SmallVector<float>(a.floats().begin(), a.floats().end())));
    return true;
  case ::onnx::AttributeProto::STRINGS: {
    SmallVector<StringRef> strings(a.strings().begin(), a.strings().end());
    attrs.set(a.name(), b.getStrArrayAttr(strings));
    return true;
  }
  case ::onnx::AttributeProto::TENSOR: {
    std::string err;
    DenseElementsAttr t = import::tensorToAttr(&ctx, a.t(), err);
    if (!t) {
      error(loc) << "attribute '" << a.name() << "': " << err;
      return false;
    }
    attrs.set(a.name(), t);
    return true;
  }
  default:
    error(loc) << "attribute '" << a.name() << "' has an unsupported kind ("
               << ::onnx::AttributeProto::AttributeType_Name(a.type()) << ")";
    return false;
  }
}

bool ModelImporter::importNode(const ::onnx::NodeProto &node, size_t index) {
  Location loc = nodeLoc(node, index);
  const std::string &domain = node.domain();
  if (!domain.empty() && domain != "ai.onnx") {
    error(loc) << "unsupported op '" << node.op_type() << "' from domain '" << domain << "'";
    return false;
  }
  const ::onnx::OpSchema *schema = ::onnx::OpSchemaRegistry::Schema(node.op_type(), (int)defaultOpset, "");
  if (!schema) {
    error(loc) << "unknown op '" << node.op_type() << "' at opset " << defaultOpset;
    return false;
  }
  const ::onnx::OpSchema *latest = ::onnx::OpSchemaRegistry::Schema(node.op_type(), "");

  // Constant: its value may come in any of the value_* attributes.
  if (node.op_type() == "Constant") {
    if (node.attribute_size() != 1 || node.output_size() != 1) {
      error(loc) << "Constant needs exactly one value attribute and one output";
      return false;
    }
    const auto &a = node.attribute(0);
    DenseElementsAttr value;
    std::string err;
    if (a.name() == "value") {
      value = import::tensorToAttr(&ctx, a.t(), err);
    } else if (a.name() == "value_float" || a.name() == "value_floats") {
      SmallVector<float> v = a.name() == "value_float"
                                 ? SmallVector<float>{a.f()}
                                 : SmallVector<float>(a.floats().begin(), a.floats().end());
      SmallVector<int64_t> shape;
      if (a.name() == "value_floats")
        shape.push_back(v.size());
      value = DenseElementsAttr::get(RankedTensorType::get(shape, b.getF32Type()), ArrayRef<float>(v));
    } else if (a.name() == "value_int" || a.name() == "value_ints") {
      SmallVector<int64_t> v = a.name() == "value_int"
                                   ? SmallVector<int64_t>{a.i()}
                                   : SmallVector<int64_t>(a.ints().begin(), a.ints().end());
      SmallVector<int64_t> shape;
      if (a.name() == "value_ints")
        shape.push_back(v.size());
      value = DenseElementsAttr::get(RankedTensorType::get(shape, b.getI64Type()), ArrayRef<int64_t>(v));
    } else {
      error(loc) << "Constant attribute '" << a.name() << "' is not supported";
      return false;
    }
    if (!value) {
      error(loc) << err;
      return false;
    }
    values[node.output(0)] = onnxd::ConstantOp::create(b, loc, value.getType(), cast<ElementsAttr>(value));
    return true;
  }

  std::string opName = ("onnx." + node.op_type());
  auto registered = RegisteredOperationName::lookup(opName, &ctx);
  if (!registered) {
    error(loc) << "unsupported op '" << node.op_type() << "' (opset " << schema->since_version()
               << ")";
    return false;
  }

  // Operands at their ONNX positions; omitted optional inputs become onnx.NoValue.
  SmallVector<Value> operands;
  for (const std::string &name : node.input()) {
    if (name.empty()) {
      operands.push_back(onnxd::NoValueOp::create(b, loc, b.getNoneType()));
      continue;
    }
    Value v = lookup(name, loc, "");
    if (!v)
      return false;
    operands.push_back(v);
  }
  const auto &formalInputs = latest->inputs();
  bool variadicIn = !formalInputs.empty() &&
                    formalInputs.back().GetOption() == ::onnx::OpSchema::FormalParameterOption::Variadic;
  if (!variadicIn)
    while (operands.size() < formalInputs.size())
      operands.push_back(onnxd::NoValueOp::create(b, loc, b.getNoneType()));

  if (!rejectDataDependentOperands(node, operands, loc))
    return false;
  bool dataDependent = hasDataDependentShape(node.op_type(), operands);

  // Result types from shape inference; omitted optional outputs are `none`.
  SmallVector<Type> resultTypes;
  const auto &formalOutputs = latest->outputs();
  bool variadicOut = !formalOutputs.empty() &&
                     formalOutputs.back().GetOption() == ::onnx::OpSchema::FormalParameterOption::Variadic;
  size_t numResults = variadicOut ? std::max<size_t>(formalOutputs.size(), node.output_size()) : formalOutputs.size();
  for (int i = 0; i < node.output_size(); ++i) {
    const std::string &name = node.output(i);
    if (name.empty()) {
      resultTypes.push_back(b.getNoneType());
      continue;
    }
    if ((size_t)i >= numResults) {
      error(loc) << "output #" << i << " ('" << name << "') of the legacy op form is not supported";
      return false;
    }
    auto it = inferredTypes.find(name);
    if (it == inferredTypes.end() || dataDependent) {
      resultTypes.push_back(Type()); // an opset adapter may know it; checked below
      continue;
    }
    Type t = typeFor(*it->second, "output '" + name + "'", loc);
    if (!t)
      return false;
    resultTypes.push_back(t);
  }
  while (resultTypes.size() < numResults)
    resultTypes.push_back(b.getNoneType());
  SmallVector<SmallVector<int64_t>> bounds;
  if (dataDependent && !dataDependentTypes(node, operands, resultTypes, bounds, loc))
    return false;

  NamedAttrList attrs;
  auto known = registered->getAttributeNames();
  SmallVector<const ::onnx::AttributeProto *> subgraphs;
  for (const auto &a : node.attribute()) {
    if (import::isIgnorableLegacyAttribute(node.op_type(), a.name()))
      continue;
    if (a.type() == ::onnx::AttributeProto::GRAPH) {
      subgraphs.push_back(&a);
      continue;
    }
    if (!convertAttribute(a, attrs, loc, node.op_type()))
      return false;
  }

  import::NodeContext nc{node, schema->since_version(), loc};
  SmallVector<Value> replaced;
  std::string err;
  if (!import::adaptLegacyNode(b, nc, operands, attrs, replaced, resultTypes, err)) {
    error(loc) << err;
    return false;
  }
  if (replaced.empty()) {
    for (int i = 0; i < node.output_size(); ++i)
      if (!resultTypes[i]) {
        error(loc) << "cannot infer the type and shape of output '" << node.output(i) << "'";
        return false;
      }
    for (const NamedAttribute &a : attrs)
      if (!llvm::is_contained(known, a.getName())) {
        error(loc) << "attribute '" << a.getName().getValue() << "' is not supported";
        return false;
      }
    OperationState state(loc, *registered);
    state.addOperands(operands);
    state.addTypes(resultTypes);
    state.addAttributes(attrs);
    // Subgraph attributes become the op's regions, in the order the op declares them.
    static const llvm::StringMap<SmallVector<StringRef, 2>> regionNames = {
        {"If", {"then_branch", "else_branch"}}, {"Loop", {"body"}}, {"Scan", {"body"}}};
    auto names = regionNames.find(node.op_type());
    if (!subgraphs.empty() && names == regionNames.end()) {
      error(loc) << "graph attribute '" << subgraphs.front()->name() << "' is not supported";
      return false;
    }
    SmallVector<Type> argTypes;
    if (names != regionNames.end()) {
      if (!subgraphArgTypes(node, operands, argTypes, loc, (bool)attrs.get("batched")))
        return false;
      for (StringRef name : names->second) {
        Region *region = state.addRegion();
        auto it = llvm::find_if(subgraphs, [&](auto *a) { return a->name() == name; });
        if (it == subgraphs.end()) {
          error(loc) << "missing subgraph attribute '" << name << "'";
          return false;
        }
        if (!importSubgraph((*it)->g(), *region, argTypes, loc))
          return false;
      }
    }
    Operation *op = b.create(state);
    replaced.assign(op->result_begin(), op->result_end());
  }
  for (int i = 0; i < node.output_size(); ++i)
    if (!node.output(i).empty())
      values[node.output(i)] = replaced[i];
  for (size_t i = 0; i < bounds.size() && i < replaced.size(); ++i)
    if (!bounds[i].empty())
      upperBounds[replaced[i]] = bounds[i];
  return true;
}

bool ModelImporter::checkNodes(const ::onnx::GraphProto &graph) {
  // Every value is defined once (SSA): by a graph input, an initializer or one node output.
  llvm::StringMap<std::string> definedBy;
  for (const auto &in : graph.input())
    definedBy.try_emplace(in.name(), "a graph input");
  for (const auto &t : graph.initializer())
    definedBy.try_emplace(t.name(), "an initializer");
  for (int i = 0; i < graph.node_size(); ++i) {
    const ::onnx::NodeProto &node = graph.node(i);
    Location loc = nodeLoc(node, i);
    if (!node.domain().empty() && node.domain() != "ai.onnx") {
      error(loc) << "unsupported op '" << node.op_type() << "' from domain '" << node.domain() << "'";
      return false;
    }
    const ::onnx::OpSchema *schema = ::onnx::OpSchemaRegistry::Schema(node.op_type(), (int)defaultOpset, "");
    if (!schema) {
      error(loc) << "unknown op '" << node.op_type() << "' at opset " << defaultOpset;
      return false;
    }
    std::string self = node.name().empty() ? "node #" + std::to_string(i) : "node '" + node.name() + "'";
    for (const std::string &out : node.output()) {
      if (out.empty())
        continue;
      auto [it, isNew] = definedBy.try_emplace(out, self);
      if (!isNew) {
        error(loc) << "output '" << out << "' is already defined by " << it->second;
        return false;
      }
    }
    // An attribute of the wrong kind would otherwise be read as its default.
    for (const auto &a : node.attribute()) {
      auto expected = schema->attributes().find(a.name());
      if (expected != schema->attributes().end() && a.type() != ::onnx::AttributeProto::UNDEFINED &&
          a.type() != expected->second.type) {
        error(loc) << "attribute '" << a.name() << "' is "
                   << ::onnx::AttributeProto::AttributeType_Name(a.type()) << ", " << node.op_type() << " takes "
                   << ::onnx::AttributeProto::AttributeType_Name(expected->second.type);
        return false;
      }
    }
    for (const auto &a : node.attribute())
      if (a.type() == ::onnx::AttributeProto::GRAPH && !checkNodes(a.g()))
        return false;
  }
  return true;
}

bool ModelImporter::subgraphArgTypes(const ::onnx::NodeProto &node, ArrayRef<Value> operands,
                                     SmallVectorImpl<Type> &types, Location loc, bool batchedScan) {
  if (node.op_type() == "If")
    return true;
  if (node.op_type() == "Loop") {
    // (iteration number, condition, loop-carried values...)
    types.push_back(RankedTensorType::get({}, b.getI64Type()));
    types.push_back(RankedTensorType::get({}, b.getI1Type()));
    for (Value v : operands.drop_front(2))
      types.push_back(v.getType());
    return true;
  }
  // Scan: (state..., one slice of each scan input along its scan axis); a batched Scan (Scan-8) also
  // drops the leading batch axis of every input.
  int64_t numScan = 0;
  SmallVector<int64_t> axes;
  for (const auto &a : node.attribute()) {
    if (a.name() == "num_scan_inputs")
      numScan = a.i();
    if (a.name() == "scan_input_axes")
      axes.assign(a.ints().begin(), a.ints().end());
  }
  int64_t numStates = (int64_t)operands.size() - numScan;
  if (numScan < 1 || numStates < 0) {
    error(loc) << "num_scan_inputs " << numScan << " does not fit " << operands.size() << " inputs";
    return false;
  }
  for (int64_t i = 0; i < (int64_t)operands.size(); ++i) {
    auto t = cast<RankedTensorType>(operands[i].getType());
    if (batchedScan)
      t = RankedTensorType::get(t.getShape().drop_front(), t.getElementType());
    if (i < numStates) {
      types.push_back(t);
      continue;
    }
    int64_t axis = axes.empty() ? 0 : axes[i - numStates];
    if (axis < 0)
      axis += t.getRank();
    if (axis < 0 || axis >= t.getRank()) {
      error(loc) << "scan_input_axes entry " << axis << " out of range";
      return false;
    }
    SmallVector<int64_t> shape(t.getShape());
    shape.erase(shape.begin() + axis);
    types.push_back(RankedTensorType::get(shape, t.getElementType()));
  }
  return true;
}

bool ModelImporter::importSubgraph(const ::onnx::GraphProto &graph, Region &region, ArrayRef<Type> argTypes,
                                   Location loc) {
  if (!argTypes.empty() && (size_t)graph.input_size() != argTypes.size()) {
    error(loc) << "subgraph '" << graph.name() << "' takes " << graph.input_size() << " inputs, expected "
               << argTypes.size();
    return false;
  }
  for (const auto &vi : graph.value_info())
    inferredTypes[vi.name()] = &vi.type();
  for (const auto &vi : graph.output())
    if (vi.type().has_tensor_type() && vi.type().tensor_type().has_shape())
      inferredTypes[vi.name()] = &vi.type();
  // Names inside the subgraph shadow outer ones only while it is imported.
  llvm::StringMap<Value> outer = values;
  Block *block = new Block();
  region.push_back(block);
  for (int i = 0; i < graph.input_size(); ++i)
    values[graph.input(i).name()] = block->addArgument(argTypes[i], loc);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToEnd(block);
  for (const auto &t : graph.initializer()) {
    std::string err;
    DenseElementsAttr attr = import::tensorToAttr(&ctx, t, err);
    if (!attr) {
      error(loc) << "subgraph initializer: " << err;
      return false;
    }
    values[t.name()] = onnxd::ConstantOp::create(b, loc, attr.getType(), cast<ElementsAttr>(attr));
  }
  for (int i = 0; i < graph.node_size(); ++i)
    if (!importNode(graph.node(i), i))
      return false;
  SmallVector<Value> results;
  for (const auto &out : graph.output()) {
    auto it = values.find(out.name());
    if (it == values.end()) {
      error(loc) << "subgraph output '" << out.name() << "' is not produced inside it or above it";
      return false;
    }
    if (auto t = dyn_cast<RankedTensorType>(it->second.getType()); t && !t.hasStaticShape()) {
      error(loc) << "subgraph output '" << out.name() << "' is the output of " << describeProducer(it->second)
                 << ", whose shape depends on the data: data-dependent shapes inside the graph are not "
                 << "supported (only as graph outputs)";
      return false;
    }
    results.push_back(it->second);
  }
  onnxd::YieldOp::create(b, loc, results);
  values = std::move(outer);
  return true;
}

OwningOpRef<ModuleOp> ModelImporter::run() {
  if (!loadModel())
    return {};
  if (std::string err; !import::eliminateSequences(model, options, valueOrigins, err)) {
    error() << err;
    return {};
  }
  if (!pinInputShapes())
    return {};
  if (std::string err; !import::rewriteNewOpsets(model, defaultOpset, err)) {
    error() << err;
    return {};
  }
  if (!checkNodes(model.graph()))
    return {};

  // Initializer shapes before shape inference reads them: dims that overflow are a crafted model.
  for (const auto &t : model.graph().initializer()) {
    SmallVector<int64_t> dims(t.dims().begin(), t.dims().end());
    Type elt = import::elementTypeFor(&ctx, t.data_type());
    if (elt && !import::isAddressable(dims, elt)) {
      error() << "initializer: tensor '" << t.name() << "' of shape [" << llvm::make_range(dims.begin(), dims.end())
              << "] is negative or too large to address";
      return {};
    }
  }
  try {
    ::onnx::ShapeInferenceOptions siOptions(/*check_type=*/false, /*error_mode=*/0,
                                          /*data_prop=*/true);
    ::onnx::shape_inference::InferShapes(model, ::onnx::OpSchemaRegistry::Instance(), siOptions);
  } catch (const std::exception &e) {
    // libonnx says "[ShapeInferenceError] (op_type:Foo, node name: bar): ..."; mcc names nodes its own way.
    std::string what = e.what();
    static const std::regex nodeRef(R"(\(op_type:([^,]*), node name: ([^)]*)\): )");
    std::smatch m;
    if (std::regex_search(what, m, nodeRef)) {
      std::string node = m[2].str().empty() ? "node" : "node '" + m[2].str() + "'";
      error() << node << " (" << m[1].str() << "): shape inference failed: " << m.suffix().str();
    } else {
      error() << "shape inference failed: " << what;
    }
    return {};
  }
  if (std::string err; !import::foldConstants(model, err)) {
    error() << err;
    return {};
  }
  const ::onnx::GraphProto &graph = model.graph();
  for (const auto &vi : graph.input())
    inferredTypes[vi.name()] = &vi.type();
  for (const auto &vi : graph.value_info())
    inferredTypes[vi.name()] = &vi.type();
  for (const auto &vi : graph.output())
    if (vi.type().has_tensor_type() && vi.type().tensor_type().has_shape())
      inferredTypes[vi.name()] = &vi.type();

  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  b.setInsertionPointToEnd(module->getBody());

  llvm::StringSet<> initializerNames;
  for (const auto &t : graph.initializer())
    initializerNames.insert(t.name());
  SmallVector<Type> argTypes;
  SmallVector<std::string> argNames;
  for (const auto &in : graph.input()) {
    if (initializerNames.contains(in.name()))
      continue; // an initializer that is also an input: a constant with a default, kept constant
    Type t = typeFor(in.type(), "graph input '" + in.name() + "'", fileLoc);
    if (!t)
      return {};
    argTypes.push_back(t);
    argNames.push_back(in.name());
  }
  auto func = func::FuncOp::create(b, fileLoc, "main_graph", b.getFunctionType(argTypes, {}));
  Block *entry = func.addEntryBlock();
  auto dimsAttr = [&](const std::string &name) -> Attribute {
    auto it = runtimeDims.find(name);
    if (it == runtimeDims.end())
      return {};
    SmallVector<Attribute> names;
    for (const auto &n : it->second)
      names.push_back(b.getStringAttr(n));
    return b.getArrayAttr(names);
  };
  for (size_t i = 0; i < argNames.size(); ++i) {
    func.setArgAttr(i, "onnx.name", b.getStringAttr(argNames[i]));
    if (Attribute dims = dimsAttr(argNames[i]))
      func.setArgAttr(i, "onnx.dims", dims);
    if (auto it = valueOrigins.find(argNames[i]); it != valueOrigins.end())
      func.setArgAttr(i, "onnx.origin", b.getStringAttr(it->second));
    values[argNames[i]] = entry->getArgument(i);
  }

  b.setInsertionPointToStart(entry);
  if (!importInitializers())
    return {};
  for (int i = 0; i < graph.node_size(); ++i)
    if (!importNode(graph.node(i), i))
      return {};

  SmallVector<Value> results;
  for (const auto &out : graph.output()) {
    auto it = values.find(out.name());
    if (it == values.end()) {
      error() << "graph output '" << out.name() << "' is not produced by any node, input or initializer";
      return {};
    }
    results.push_back(it->second);
  }
  for (size_t i = 0; i < results.size(); ++i)
    if (!isa<RankedTensorType>(results[i].getType())) {
      error() << "graph output '" << graph.output(i).name() << "' is not a tensor value";
      return {};
    }
  func.setType(b.getFunctionType(argTypes, ValueRange(results).getTypes()));
  for (size_t i = 0; i < results.size(); ++i) {
    func.setResultAttr(i, "onnx.name", b.getStringAttr(graph.output(i).name()));
    Attribute dims = dimsAttr(graph.output(i).name());
    if (dims && cast<ArrayAttr>(dims).size() == (size_t)cast<RankedTensorType>(results[i].getType()).getRank())
      func.setResultAttr(i, "onnx.dims", dims);
    if (auto it = valueOrigins.find(graph.output(i).name()); it != valueOrigins.end())
      func.setResultAttr(i, "onnx.origin", b.getStringAttr(it->second));
    // The caller's buffer holds the upper bound; the attribute name is mcc::kUpperBoundAttr
    // (codegen/header/Signature.h).
    auto it = upperBounds.find(results[i]);
    if (it != upperBounds.end())
      func.setResultAttr(i, "mcc.upper_bound", b.getDenseI64ArrayAttr(it->second));
  }
  func::ReturnOp::create(b, fileLoc, results);

  (*module)->setAttr("mcc.model_hash", b.getStringAttr(modelHash));
  (*module)->setAttr("mcc.producer",
                                  b.getStringAttr(model.producer_name() +
                                                  (model.producer_version().empty() ? "" : " " + model.producer_version())));
  (*module)->setAttr("mcc.model_version", b.getI64IntegerAttr(model.model_version()));
  (*module)->setAttr("mcc.opset", b.getI64IntegerAttr(defaultOpset));
  (*module)->setAttr("mcc.source", b.getStringAttr(llvm::sys::path::filename(path)));

  if (failed(verify(module->getOperation())))
    return {};
  return module;
}

} // namespace

OwningOpRef<ModuleOp> importOnnxModel(MLIRContext &context, StringRef path, const ImportOptions &options) {
  context.loadDialect<onnxd::OnnxDialect, func::FuncDialect>();
  ModelImporter importer(context, path, options);
  return importer.run();
}

} // namespace mcc
