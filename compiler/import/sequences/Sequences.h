//===- Sequences.h - pieces shared by the sequence eliminator -*- C++ -*-===//
//
// mcc's ABI is a fixed list of static tensors, so sequence and optional values never reach the onnx
// dialect: this rewrite runs on the ModelProto before shape inference and leaves tensors only.
//
//  * A sequence whose length is known at compile time is a list of tensor names. The sequence ops
//    become tensor ops (Identity, Concat, Unsqueeze, Slice, Squeeze, Constant); their positions must be
//    compile-time constants (initializers, Constant nodes, loop counters of unrolled loops).
//  * An optional value's presence is known at compile time: it is its tensor or sequence, or "none".
//  * SequenceMap bodies are inlined once per element. A Loop that carries a sequence or optional is
//    unrolled (constant trip count, conditions that fold to constants, at most kMaxUnroll iterations).
//    An If whose condition is a constant is replaced by the branch it takes; otherwise an If may
//    yield sequences of the same length from both branches, which become one tensor output each.
//  * Graph inputs and outputs of sequence type are flattened: sequence `x` pinned to length n is the
//    tensors `x_0` ... `x_<n-1>` (`x_0__1`, `x_0__2` ... where a name is already taken),
//    with doc_string "element i of sequence 'x'". Optional inputs are present unless pinned absent.
//
//
// Sequences.cpp holds the walk (graph inputs/outputs, nodes, bindings), SequenceOps.cpp the sequence
// and optional ops, ControlFlow.cpp the If, Loop and SequenceMap bodies it inlines or unrolls.
//
//===----------------------------------------------------------------------===//
#ifndef MCC_COMPILER_IMPORT_SEQUENCES_SEQUENCES_H
#define MCC_COMPILER_IMPORT_SEQUENCES_SEQUENCES_H

#include "compiler/import/ImportInternal.h"
#include "compiler/import/ProtoUtils.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/Twine.h"

#include <map>
#include <string>
#include <vector>

namespace mcc::import::seq {

using llvm::StringRef;
using llvm::Twine;
using ::onnx::GraphProto;
using ::onnx::ModelProto;
using ::onnx::NodeProto;
using ::onnx::TensorProto;
using ::onnx::TypeProto;
using ::onnx::ValueInfoProto;

/// Loops are unrolled at import; more iterations than this is an error rather than a huge program.
constexpr int64_t kMaxUnroll = 1024;

/// What a name denotes when it is not a plain tensor.
struct Structured {
  bool optional = false;
  bool present = true;            ///< optional only
  bool sequence = false;          ///< the (inner) value is a sequence
  std::string tensor;             ///< the (inner) tensor when not a sequence
  std::vector<std::string> elems; ///< sequence elements, in order
  std::string unavailable;        ///< non-empty: why the elements cannot be used (only the length)
};

/// An integer or bool tensor known at compile time.
struct Known {
  std::vector<int64_t> dims;
  std::vector<int64_t> values;
};

struct Scope {
  Scope *parent = nullptr;
  std::map<std::string, Structured> structured;
  std::map<std::string, Known> known;

  const Structured *find(const std::string &name) const {
    for (const Scope *s = this; s; s = s->parent)
      if (auto it = s->structured.find(name); it != s->structured.end())
        return &it->second;
    return nullptr;
  }
  const Known *constant(const std::string &name) const {
    for (const Scope *s = this; s; s = s->parent)
      if (auto it = s->known.find(name); it != s->known.end())
        return &it->second;
    return nullptr;
  }
};

const llvm::StringSet<> &structuredOps();
bool isTensorType(const TypeProto &t);
/// Whether `g` (or a subgraph) has a sequence or optional value.
bool usesStructuredValues(const GraphProto &g);
/// Adds every value name of `g` and its subgraphs to `names`.
void collectNames(const GraphProto &g, llvm::StringSet<> &names);
/// Integer and bool tensors (small ones) as int64 values; false for other types.
bool decodeInts(const TensorProto &t, Known &out);
/// "a sequence", "an optional value", "an empty optional".
const char *kindName(const Structured &s);
/// Renames the free uses of `names` inside a subgraph (names it defines itself shadow them).
void renameFreeUses(GraphProto &g, const std::map<std::string, std::string> &names);

class SequenceEliminator {
public:
  SequenceEliminator(ModelProto &model, const ImportOptions &options, std::map<std::string, std::string> &origins,
                     std::string &error)
      : model(model), options(options), origins(origins), error(error) {}
  bool run();

private:
  bool fail(const Twine &message) {
    error = (where.empty() ? "" : where + ": ") + message.str();
    return false;
  }
  std::string fresh(const std::string &base);
  NodeProto *emit(GraphProto &g, StringRef op, std::vector<std::string> inputs, std::vector<std::string> outputs);
  std::string emitInts(GraphProto &g, Scope &scope, const std::string &base, int32_t dtype, std::vector<int64_t> dims,
                       std::vector<int64_t> values);
  std::string emitUnsqueeze(GraphProto &g, Scope &scope, const std::string &x, int64_t axis);
  std::string emitSqueeze(GraphProto &g, Scope &scope, const std::string &x, int64_t axis);
  std::string emitSlice(GraphProto &g, Scope &scope, const std::string &x, int64_t start, int64_t end, int64_t axis);
  /// Binds `name` to what `value` denotes: an alias for structured values, an Identity for tensors.
  void bind(GraphProto &g, Scope &scope, const std::string &name, const std::string &value);

  bool flattenInputs(Scope &root);
  bool flattenOutputs(Scope &root);
  bool rewriteGraph(GraphProto &g, Scope &scope);
  bool processNode(NodeProto node, GraphProto &out, Scope &scope);
  bool inlineGraph(const GraphProto &body, std::map<std::string, std::string> names, GraphProto &out, Scope &scope,
                   std::vector<std::string> &results);
  bool rewriteSequenceOp(const NodeProto &node, GraphProto &out, Scope &scope);
  bool rewriteIf(NodeProto node, GraphProto &out, Scope &scope);
  bool rewriteLoop(NodeProto node, GraphProto &out, Scope &scope);
  bool rewriteSequenceMap(const NodeProto &node, GraphProto &out, Scope &scope);

  const Structured *sequenceOperand(const NodeProto &node, int i, Scope &scope);
  bool position(const NodeProto &node, int i, Scope &scope, int64_t length, bool allowEnd, int64_t fallback,
                int64_t &pos);
  bool elementsOf(const Structured &s, const std::string &name);
  bool staticShape(const std::string &name, GraphProto &current, Scope &scope, std::vector<int64_t> &dims);

  ModelProto &model;
  const ImportOptions &options;
  std::map<std::string, std::string> &origins;
  std::string &error;
  std::string where;
  llvm::StringSet<> used;
  int64_t opset = 0;
};

} // namespace mcc::import::seq

#endif
