//===- Options.cpp - the command-line forms of the import options ---------===//
//
// What `mcc` and `mcc-run` read from their command lines about a model's inputs: --shape NAME=DIMS,
// the [..] form for sequence inputs, and the kinds of the graph's inputs and outputs (to know which
// --shape forms apply) without importing the model.
//
//===----------------------------------------------------------------------===//
#include "compiler/import/ImportInternal.h"
#include "compiler/import/Importer.h"
#include "compiler/import/ProtoUtils.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MemoryBuffer.h"

#include <optional>

using llvm::SmallVector;
using llvm::StringRef;

namespace mcc {

/// Parses D0xD1x... into `dims`; returns the first part that is not a non-negative integer (which may
/// be empty: "2x"), or nullopt when all are.
static std::optional<std::string> parseDims(StringRef text, std::vector<int64_t> &dims) {
  SmallVector<StringRef> parts;
  text.split(parts, 'x');
  for (StringRef p : parts) {
    int64_t d;
    if (p.getAsInteger(10, d) || d < 0)
      return p.str();
    dims.push_back(d);
  }
  return std::nullopt;
}

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
  if (std::optional<std::string> bad = parseDims(dims, shape))
    return "--shape " + text.str() + ": '" + *bad + "' is not a non-negative integer";
  options.inputShapes[name.str()] = shape;
  return "";
}

namespace import {

std::string parseSequenceShapes(StringRef name, StringRef text, ImportOptions &options) {
  if (!text.consume_front("[") || !text.consume_back("]"))
    return "a sequence is written [D0xD1,D0xD1,...] (`scalar` for a 0-d element, [] when empty)";
  std::vector<std::vector<int64_t>> shapes;
  if (!text.trim().empty()) {
    llvm::SmallVector<StringRef> elems;
    text.split(elems, ',');
    for (StringRef e : elems) {
      e = e.trim();
      std::vector<int64_t> dims;
      if (e != "scalar")
        if (std::optional<std::string> bad = parseDims(e, dims))
          return "'" + *bad + "' in element '" + e.str() + "' is not a non-negative integer";
      shapes.push_back(dims);
    }
  }
  options.sequenceShapes[name.str()] = shapes;
  return "";
}

} // namespace import

std::string describeGraphValues(const std::string &path, std::vector<GraphValueKind> &inputs,
                                std::vector<GraphValueKind> &outputs) {
  auto buf = llvm::MemoryBuffer::getFile(path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!buf)
    return "cannot read model '" + path + "': " + buf.getError().message();
  ::onnx::ModelProto model;
  if (!import::parseModel((*buf)->getBuffer(), model))
    return "'" + path + "' is not a valid ONNX model";
  auto kindOf = [](const ::onnx::TypeProto &t, GraphValueKind &k) {
    if (t.has_sequence_type())
      k.kind = GraphValueKind::Sequence;
    if (t.has_optional_type()) {
      k.kind = GraphValueKind::Optional;
      if (t.optional_type().elem_type().has_sequence_type())
        k.inner = GraphValueKind::Sequence;
    }
    if (t.has_tensor_type() && t.tensor_type().has_shape()) {
      k.shape.emplace();
      for (const auto &d : t.tensor_type().shape().dim())
        k.shape->push_back(d.has_dim_value() ? d.dim_value() : -1);
    }
  };
  llvm::StringSet<> initializers;
  for (const auto &t : model.graph().initializer())
    initializers.insert(t.name());
  for (const auto &vi : model.graph().input()) {
    if (initializers.contains(vi.name()))
      continue;
    GraphValueKind k;
    k.name = vi.name();
    kindOf(vi.type(), k);
    inputs.push_back(k);
  }
  for (const auto &vi : model.graph().output()) {
    GraphValueKind k;
    k.name = vi.name();
    kindOf(vi.type(), k);
    outputs.push_back(k);
  }
  return "";
}

} // namespace mcc
