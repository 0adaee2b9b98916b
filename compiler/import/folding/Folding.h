//===- Folding.h - pieces shared by the constant folder's files -*- C++ -*-===//
//
// The constant folder (ConstantFolding.cpp) evaluates, on the ModelProto, every node whose inputs are
// known at compile time. Its parts: tensor arithmetic on TensorValues (TensorMath.cpp), one evaluator
// per op family (Elementwise.cpp, DataMovement.cpp, Reduction.cpp), and the shape facts it records
// where libonnx's inference stops short (ShapePinning.cpp).
//
//===----------------------------------------------------------------------===//
#ifndef MCC_COMPILER_IMPORT_FOLDING_FOLDING_H
#define MCC_COMPILER_IMPORT_FOLDING_FOLDING_H

#include "compiler/import/ProtoUtils.h"

#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace mcc::import::fold {

using ::onnx::AttributeProto;
using ::onnx::GraphProto;
using ::onnx::NodeProto;
using ::onnx::TensorProto;
using ::onnx::TypeProto;

/// Larger results stay computed at run time: folding them would bloat the object for nothing a shape
/// depends on. Inputs are bounded the same way so a huge initializer is never decoded here.
constexpr int64_t kMaxElements = 1 << 16;
/// Rounds of (fold, re-infer); each round folds whole chains, so only shape feedback needs more.
constexpr int kMaxRounds = 16;

/// Integer arithmetic without signed-overflow UB; the result is wrapped into the dtype afterwards.
inline int64_t addWrap(int64_t a, int64_t b) { return (int64_t)((uint64_t)a + (uint64_t)b); }
inline int64_t subWrap(int64_t a, int64_t b) { return (int64_t)((uint64_t)a - (uint64_t)b); }
inline int64_t mulWrap(int64_t a, int64_t b) { return (int64_t)((uint64_t)a * (uint64_t)b); }

using IntFn = std::function<std::optional<int64_t>(int64_t, int64_t)>;
using RealFn = std::function<std::optional<double>(double, double)>;

// Tensor arithmetic (TensorMath.cpp).
/// A zero-filled value of `dtype` and `shape`.
TensorValue makeConst(int32_t dtype, std::vector<int64_t> shape);
/// Copies element `from` of `src` to element `to` of `dst` (same dtype).
void copyElement(const TensorValue &src, int64_t from, TensorValue &dst, int64_t to);
std::vector<int64_t> stridesOf(const std::vector<int64_t> &shape);
/// The ONNX Slice rule on one axis of size `dim` for a non-zero `step`: `start` and `end` (negative:
/// from the end) are clamped; returns the first index taken and the number of elements.
std::pair<int64_t, int64_t> sliceAxis(int64_t dim, int64_t start, int64_t end, int64_t step);
/// Normalises `axis` into [0, rank); nullopt when out of range.
std::optional<int64_t> normAxis(int64_t axis, int64_t rank);
std::optional<std::vector<int64_t>> broadcastShapes(const std::vector<const TensorValue *> &ins);
/// Calls `fn(out index, input indices)` for every element of the numpy broadcast of `ins`.
bool forEachBroadcast(const std::vector<const TensorValue *> &ins, std::vector<int64_t> &outShape,
                      const std::function<bool(int64_t, const std::vector<int64_t> &)> &fn);
/// Elementwise binary op of one dtype (a null function: not defined for that kind of type).
std::optional<TensorValue> binary(const TensorValue &a, const TensorValue &b, const IntFn &intFn, const RealFn &realFn);
/// Comparison producing bool.
std::optional<TensorValue> compare(const TensorValue &a, const TensorValue &b,
                                   const std::function<bool(int)> &fromSign);
std::optional<TensorValue> unary(const TensorValue &a, const std::function<std::optional<int64_t>(int64_t)> &intFn,
                                 const std::function<double(double)> &realFn);
std::optional<TensorValue> castTo(const TensorValue &a, int32_t to);
/// The ints of a 1-D (or scalar) integer tensor.
std::optional<std::vector<int64_t>> intList(const TensorValue *c);
std::optional<TensorValue> transpose(const TensorValue &a, std::vector<int64_t> perm);
/// Reduces `a` over `axes` (all when empty) with `combine`, starting from `init` (none: the
/// reduction of an empty set is undefined).
std::optional<TensorValue> reduce(const TensorValue &a, std::vector<int64_t> axes, bool keepDims,
                                  std::optional<double> init, const std::function<double(double, double)> &realFn,
                                  const IntFn &intFn);

// One evaluator per op family; each returns nullopt for ops it does not know and for inputs outside
// the op's domain (the node then stays, and the import reports the problem).
/// Elementwise arithmetic, comparisons and logic (Elementwise.cpp).
std::optional<TensorValue> foldElementwise(const NodeProto &node, const NodeAttrs &attrs,
                                           const std::vector<const TensorValue *> &in);
/// Ops that move or generate data: reshapes, gathers, slices, concatenation, ranges (DataMovement.cpp).
std::optional<TensorValue> foldDataMovement(const NodeProto &node, const NodeAttrs &attrs,
                                            const std::vector<const TensorValue *> &in);
/// ReduceSum/Prod/Min/Max (Reduction.cpp).
std::optional<TensorValue> foldReduction(const NodeProto &node, const NodeAttrs &attrs,
                                         const std::vector<const TensorValue *> &in);

/// What the folder knows in one graph: compile-time values and inferred types, looked up through the
/// enclosing graphs (a subgraph sees the values of the graphs around it).
class Scope {
public:
  explicit Scope(const Scope *parent) : parent(parent) {}

  void addProto(const std::string &name, const TensorProto *t) {
    protos[name] = t;
    local.insert(name);
  }
  void addConst(const std::string &name, TensorValue c) {
    consts[name] = std::move(c);
    local.insert(name);
  }
  /// A value of this graph that is not known at compile time (shadows outer names).
  void addUnknown(const std::string &name) {
    if (!consts.count(name) && !protos.count(name))
      local.insert(name);
  }
  void addType(const std::string &name, const TypeProto *t) { types[name] = t; }

  const TensorValue *value(const std::string &name) {
    if (!local.count(name))
      return parent ? const_cast<Scope *>(parent)->value(name) : nullptr;
    auto it = consts.find(name);
    if (it != consts.end())
      return &it->second;
    auto p = protos.find(name);
    if (p == protos.end())
      return nullptr;
    std::optional<TensorValue> c = decodeTensor(*p->second, kMaxElements);
    protos.erase(p);
    if (!c)
      return nullptr;
    return &(consts[name] = std::move(*c));
  }

  /// The static shape of `name` from shape inference, if it has one.
  std::optional<std::vector<int64_t>> staticShape(const std::string &name) const {
    auto it = types.find(name);
    if (it == types.end())
      return parent && !local.count(name) ? parent->staticShape(name) : std::nullopt;
    return staticShapeOf(*it->second);
  }

private:
  const Scope *parent;
  std::unordered_set<std::string> local;
  std::unordered_map<std::string, TensorValue> consts;
  std::unordered_map<std::string, const TensorProto *> protos;
  std::unordered_map<std::string, const TypeProto *> types;
};

class Folder {
public:
  /// Folds `graph` (and its subgraphs); returns whether anything changed.
  bool foldGraph(GraphProto &graph, Scope *parent, bool isMain);

private:
  std::optional<TensorValue> evaluate(const NodeProto &node, Scope &scope);
  std::optional<TensorValue> constantNodeValue(const NodeProto &node);
  bool pinLoopShapes(const NodeProto &node, GraphProto &graph, Scope &scope);
  bool pinSliceShape(const NodeProto &node, GraphProto &graph, Scope &scope);
  /// Element type of `name` as inferred, or 0.
  std::unordered_map<std::string, int32_t> elemTypes;
};

} // namespace mcc::import::fold

#endif
