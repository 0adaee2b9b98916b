//===- SequenceIO.cpp - sequence/optional values for mcc-run ---------------===//
#include "compiler/tools/SequenceIO.h"

#include <onnx/onnx_pb.h>
// SequenceProto, OptionalProto; after onnx_pb.h, which defines ONNX_API
#include <onnx/onnx-data.pb.h>

#include <fstream>
#include <limits>
#include <sstream>

namespace mcc::tools {
namespace {

bool readBytes(const std::string &path, std::string &bytes, std::string &error) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    error = path + ": cannot open";
    return false;
  }
  std::ostringstream ss;
  ss << f.rdbuf();
  bytes = ss.str();
  if (bytes.size() > (size_t)std::numeric_limits<int>::max()) {
    error = path + ": file too large";
    return false;
  }
  return true;
}

bool tensorsOf(const onnx::SequenceProto &seq, const std::string &path, std::vector<HostTensor> &out,
               std::string &error) {
  if (seq.elem_type() != onnx::SequenceProto::TENSOR && seq.elem_type() != onnx::SequenceProto::UNDEFINED) {
    error = path + ": only sequences of tensors are supported";
    return false;
  }
  for (const auto &t : seq.tensor_values()) {
    HostTensor h;
    if (!parseTensorProto(t.SerializeAsString(), path + " (element " + std::to_string(out.size()) + ")", h, error))
      return false;
    out.push_back(std::move(h));
  }
  return true;
}

bool readSequence(const std::string &path, std::vector<HostTensor> &out, std::string &error) {
  std::string bytes;
  if (!readBytes(path, bytes, error))
    return false;
  onnx::SequenceProto seq;
  if (!seq.ParseFromArray(bytes.data(), (int)bytes.size())) {
    error = path + ": not a valid ONNX SequenceProto";
    return false;
  }
  return tensorsOf(seq, path, out, error);
}

bool readOptional(const std::string &path, HostValue &out, std::string &error) {
  std::string bytes;
  if (!readBytes(path, bytes, error))
    return false;
  onnx::OptionalProto opt;
  if (!opt.ParseFromArray(bytes.data(), (int)bytes.size())) {
    error = path + ": not a valid ONNX OptionalProto";
    return false;
  }
  out.kind = GraphValueKind::Optional;
  switch (opt.elem_type()) {
  case onnx::OptionalProto::UNDEFINED:
    out.present = false;
    return true;
  case onnx::OptionalProto::TENSOR: {
    HostTensor h;
    if (!parseTensorProto(opt.tensor_value().SerializeAsString(), path, h, error))
      return false;
    out.tensors.push_back(std::move(h));
    return true;
  }
  case onnx::OptionalProto::SEQUENCE:
    out.sequence = true;
    return tensorsOf(opt.sequence_value(), path, out.tensors, error);
  default:
    error = path + ": only optional tensors and sequences of tensors are supported";
    return false;
  }
}

} // namespace

bool readValue(const std::string &path, const GraphValueKind &expected, HostValue &out, std::string &error) {
  out = HostValue();
  out.kind = expected.kind;
  switch (expected.kind) {
  case GraphValueKind::Tensor:
    out.tensors.emplace_back();
    return readTensor(path, out.tensors.back(), error);
  case GraphValueKind::Sequence:
    out.sequence = true;
    return readSequence(path, out.tensors, error);
  case GraphValueKind::Optional:
    return readOptional(path, out, error);
  }
  return false;
}

bool hasStructuredValues(const std::vector<GraphValueKind> &inputs, const std::vector<GraphValueKind> &outputs) {
  for (const auto *list : {&inputs, &outputs})
    for (const auto &v : *list)
      if (v.kind != GraphValueKind::Tensor)
        return true;
  return false;
}

bool expandInputs(const std::vector<GraphValueKind> &inputs, const std::vector<std::string> &files,
                  const std::vector<std::string> &named, ImportOptions &options, std::vector<HostTensor> &flat,
                  std::string &error) {
  if (files.size() > inputs.size()) {
    error = std::to_string(files.size()) + " input files for " + std::to_string(inputs.size()) + " model inputs";
    return false;
  }
  std::vector<std::string> fileFor(files);
  fileFor.resize(inputs.size());
  for (const std::string &spec : named) {
    size_t eq = spec.find('=');
    std::string name = spec.substr(0, eq);
    size_t i = 0;
    while (i < inputs.size() && inputs[i].name != name)
      ++i;
    if (eq == std::string::npos || eq + 1 == spec.size() || i == inputs.size()) {
      error = "--input " + spec + ": expected NAME=FILE with NAME a model input";
      return false;
    }
    fileFor[i] = spec.substr(eq + 1);
  }
  for (size_t i = 0; i < inputs.size(); ++i) {
    const GraphValueKind &in = inputs[i];
    if (fileFor[i].empty()) {
      error = "no value for input '" + in.name + "'";
      return false;
    }
    HostValue v;
    if (!readValue(fileFor[i], in, v, error))
      return false;
    bool pinned = options.inputShapes.count(in.name) || options.sequenceShapes.count(in.name) ||
                  options.absentInputs.count(in.name);
    if (!pinned) {
      if (!v.present) {
        options.absentInputs.insert(in.name);
      } else if (v.sequence) {
        auto &shapes = options.sequenceShapes[in.name];
        for (const HostTensor &t : v.tensors)
          shapes.push_back(t.shape);
      } else {
        options.inputShapes[in.name] = v.tensors.front().shape;
      }
    }
    for (HostTensor &t : v.tensors)
      flat.push_back(std::move(t));
  }
  return true;
}

bool expandReferences(const std::vector<GraphValueKind> &outputs, const std::string &dir, std::vector<HostTensor> &flat,
                      std::string &error) {
  for (size_t i = 0; i < outputs.size(); ++i) {
    std::string path;
    for (const char *ext : {".pb", ".npy"}) {
      std::string p = dir + "/output_" + std::to_string(i) + ext;
      if (std::ifstream(p).good()) {
        path = p;
        break;
      }
    }
    if (path.empty()) {
      error = "no output_" + std::to_string(i) + ".pb or .npy in '" + dir + "'";
      return false;
    }
    HostValue v;
    if (!readValue(path, outputs[i], v, error))
      return false;
    for (HostTensor &t : v.tensors)
      flat.push_back(std::move(t));
  }
  return true;
}

} // namespace mcc::tools
