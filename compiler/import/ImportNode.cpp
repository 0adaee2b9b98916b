//===- ImportNode.cpp - one ONNX node -> one onnx op -------------------------===//
#include "compiler/import/ModelImporter.h"
#include "compiler/import/ProtoUtils.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/xxhash.h"

#include "onnx/defs/schema.h"

namespace mcc::import {

/// The ops that draw random numbers; each has a `seed` attribute.
static const llvm::StringSet<> &randomOps() {
  static const llvm::StringSet<> ops = {"Dropout",          "RandomUniform", "RandomNormal", "RandomUniformLike",
                                        "RandomNormalLike", "Bernoulli",     "Multinomial"};
  return ops;
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
      SmallVector<float> v = a.name() == "value_float" ? SmallVector<float>{a.f()}
                                                       : SmallVector<float>(a.floats().begin(), a.floats().end());
      SmallVector<int64_t> shape;
      if (a.name() == "value_floats")
        shape.push_back(v.size());
      value = DenseElementsAttr::get(RankedTensorType::get(shape, b.getF32Type()), ArrayRef<float>(v));
    } else if (a.name() == "value_int" || a.name() == "value_ints") {
      SmallVector<int64_t> v = a.name() == "value_int" ? SmallVector<int64_t>{a.i()}
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
    error(loc) << "unsupported op '" << node.op_type() << "' (opset " << schema->since_version() << ")";
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
  bool variadicIn =
      !formalInputs.empty() && formalInputs.back().GetOption() == ::onnx::OpSchema::FormalParameterOption::Variadic;
  if (!variadicIn)
    while (operands.size() < formalInputs.size())
      operands.push_back(onnxd::NoValueOp::create(b, loc, b.getNoneType()));

  if (!rejectDataDependentOperands(node, operands, loc))
    return false;
  bool dataDependent = hasDataDependentShape(node.op_type(), operands);

  // Result types from shape inference; omitted optional outputs are `none`.
  SmallVector<Type> resultTypes;
  const auto &formalOutputs = latest->outputs();
  bool variadicOut =
      !formalOutputs.empty() && formalOutputs.back().GetOption() == ::onnx::OpSchema::FormalParameterOption::Variadic;
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

  // A random op's stream is its `seed`; a seedless node gets one from a hash of its name here, so the IR
  // states it and distinct nodes draw distinct streams (Onnx_Drawn in dialects/onnx/OnnxBase.td).
  if (!attrs.get("seed") && randomOps().contains(node.op_type())) {
    uint64_t h = llvm::xxh3_64bits(cast<NameLoc>(loc).getName().getValue()) ^ 0x6D63632D72616E64ull;
    if (node.op_type() == "Dropout")
      attrs.set("seed", b.getI64IntegerAttr((int64_t)h));
    else // a float seed: 24 bits, so the value is an exact float
      attrs.set("seed", b.getF32FloatAttr((float)(h >> 40)));
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
    // Input and output counts, and required inputs present: libonnx's shape inference, which runs
    // next, reads a required input without checking that it is there.
    if (node.input_size() < schema->min_input() || node.input_size() > schema->max_input() ||
        node.output_size() < schema->min_output() || node.output_size() > schema->max_output()) {
      error(loc) << node.op_type() << " takes " << schema->min_input() << " to " << schema->max_input()
                 << " inputs and " << schema->min_output() << " to " << schema->max_output() << " outputs, not "
                 << node.input_size() << " and " << node.output_size();
      return false;
    }
    const auto &formals = schema->inputs();
    for (int k = 0; k < node.input_size() && !formals.empty(); ++k) {
      const auto &formal = formals[std::min<size_t>(k, formals.size() - 1)];
      if (node.input(k).empty() && formal.GetOption() != ::onnx::OpSchema::Optional) {
        error(loc) << "required input " << k << " ('" << formal.GetName() << "') of " << node.op_type()
                   << " is missing";
        return false;
      }
    }
    // Required attributes present (libonnx's Scan inference reads a missing body).
    for (const auto &[name, formal] : schema->attributes())
      if (formal.required && llvm::none_of(node.attribute(), [&](const auto &a) { return a.name() == name; })) {
        error(loc) << node.op_type() << " needs attribute '" << name << "'";
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
        error(loc) << "attribute '" << a.name() << "' is " << ::onnx::AttributeProto::AttributeType_Name(a.type())
                   << ", " << node.op_type() << " takes "
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

} // namespace mcc::import
