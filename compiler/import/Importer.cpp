//===- Importer.cpp - ONNX ModelProto -> onnx dialect ---------------------===//
#include "compiler/import/ModelImporter.h"
#include "compiler/import/ProtoUtils.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SHA256.h"

#include "onnx/defs/schema.h"
#include "onnx/shape_inference/implementation.h"

#include <algorithm>
#include <climits>
#include <regex>

namespace mcc::import {

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
  if (!import::parseModel(bytes, model)) {
    error() << "not a valid ONNX model (protobuf parse failed: truncated or not an ONNX file)";
    return false;
  }
  if (!model.has_graph() || (model.graph().node_size() == 0 && model.graph().output_size() == 0)) {
    error() << "not a valid ONNX model (no graph)";
    return false;
  }
  auto hash = llvm::SHA256::hash(ArrayRef<uint8_t>(reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size()));
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
          error() << "--shape " << in.name() << ": dimension " << i << " is fixed to " << d.dim_value()
                  << " by the model, got " << it->second[i];
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
      error() << "--shape names '" << kv.first << "', which is not a graph input (inputs: " << names << ")";
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
    error(loc) << what << " has unsupported element type " << elementTypeName(tt.elem_type());
    return {};
  }
  if (!tt.has_shape()) {
    error(loc) << what << " has an unknown rank";
    return {};
  }
  SmallVector<int64_t> dims;
  for (const auto &d : tt.shape().dim()) {
    if (!d.has_dim_value()) {
      error(loc) << what << " has dynamic dimension '" << (d.has_dim_param() ? d.dim_param() : std::string("?"))
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
  if (!isAddressable(dims, elt)) {
    error(loc) << what << " of shape [" << llvm::make_range(dims.begin(), dims.end())
               << "] is too large to address: more than 2^" << kMaxTensorBytesLog2 << " bytes";
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

OwningOpRef<ModuleOp> ModelImporter::run() {
  if (!loadModel())
    return {};
  if (options.rewriteModel)
    if (std::string err = options.rewriteModel(model); !err.empty()) {
      error() << err;
      return {};
    }
  if (!pinInputValues())
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
    Type elt = elementTypeFor(&ctx, t.data_type());
    if (elt && !isAddressable(dims, elt)) {
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
  if (boundInputRecords && !boundInputRecords.empty())
    (*module)->setAttr("mcc.bound_inputs", boundInputRecords);

  if (failed(verify(module->getOperation())))
    return {};
  return module;
}

} // namespace mcc::import

namespace mcc {

mlir::OwningOpRef<mlir::ModuleOp> importOnnxModel(mlir::MLIRContext &context, llvm::StringRef path,
                                                  const ImportOptions &options) {
  context.loadDialect<onnx::OnnxDialect, mlir::func::FuncDialect>();
  import::ModelImporter importer(context, path, options);
  return importer.run();
}

} // namespace mcc
