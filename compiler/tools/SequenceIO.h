//===- SequenceIO.h - sequence/optional values for mcc-run -------*- C++ -*-===//
//
// mcc compiles sequence and optional graph inputs/outputs into flat lists of tensors (see
// compiler/import/sequences/). mcc-run feeds such models from ONNX SequenceProto/OptionalProto
// .pb files: it pins the sequence lengths, element shapes and optional presence from the data
// before compiling, flattens the values into the tensor inputs, and compares the flat outputs with
// SequenceProto/OptionalProto references element by element.
//
//===----------------------------------------------------------------------===//
#ifndef MCC_TOOLS_SEQUENCEIO_H
#define MCC_TOOLS_SEQUENCEIO_H

#include "compiler/import/Importer.h"
#include "compiler/tools/TensorIO.h"

#include <string>
#include <vector>

namespace mcc::tools {

/// A tensor, a sequence of tensors or an optional (of a tensor or a sequence) read from a file.
struct HostValue {
  GraphValueKind::Kind kind = GraphValueKind::Tensor;
  bool present = true;             ///< optional only
  bool sequence = false;           ///< the (inner) value is a sequence
  std::vector<HostTensor> tensors; ///< the tensor, or the sequence's elements
};

/// Reads `path` as the kind of value `expected` describes: .npy/TensorProto for tensors,
/// SequenceProto for sequences, OptionalProto for optionals.
bool readValue(const std::string &path, const GraphValueKind &expected, HostValue &out, std::string &error);

/// True when any of the graph inputs or outputs is a sequence or an optional.
bool hasStructuredValues(const std::vector<GraphValueKind> &inputs, const std::vector<GraphValueKind> &outputs);

/// Reads one file per model input (positional `files` in graph order, or `named` NAME=FILE with the
/// ONNX names), pins in `options` what the data fixes (tensor shapes unless --shape gave them,
/// sequence lengths and element shapes, optional presence) and returns the flat tensor inputs.
bool expandInputs(const std::vector<GraphValueKind> &inputs, const std::vector<std::string> &files,
                  const std::vector<std::string> &named, ImportOptions &options, std::vector<HostTensor> &flat,
                  std::string &error);

/// Reads output_<i>.pb/.npy references in `dir` for the model's outputs and expands them into the
/// flat tensor list the compiled model produces.
bool expandReferences(const std::vector<GraphValueKind> &outputs, const std::string &dir, std::vector<HostTensor> &flat,
                      std::string &error);

} // namespace mcc::tools

#endif
