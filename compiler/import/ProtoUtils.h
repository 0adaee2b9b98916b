//===- ProtoUtils.h - the import side's helpers on ONNX protobuf -*- C++ -*-===//
//
// One place for what every ModelProto rewrite before the import needs (constant folding, sequence
// elimination, the opset 18-21 rewrites): reading a node's attributes, decoding a TensorProto into
// values and encoding it back, turning a node into a Constant, and parsing a model file.
//
//===----------------------------------------------------------------------===//
#ifndef MCC_COMPILER_IMPORT_PROTOUTILS_H
#define MCC_COMPILER_IMPORT_PROTOUTILS_H

#include "onnx/onnx_pb.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mcc::import {

/// The attributes of one node, looked up by name.
class NodeAttrs {
public:
  explicit NodeAttrs(const ::onnx::NodeProto &node) : node(node) {}
  /// The attribute `name`, or null when the node has none.
  const ::onnx::AttributeProto *get(llvm::StringRef name) const;
  int64_t i(llvm::StringRef name, int64_t dflt) const;
  float f(llvm::StringRef name, float dflt) const;
  std::string s(llvm::StringRef name, const std::string &dflt) const;
  /// The ints of an INTS attribute; nullopt when the node has none.
  std::optional<std::vector<int64_t>> ints(llvm::StringRef name) const;

private:
  const ::onnx::NodeProto &node;
};

/// A tensor known at compile time. Integers and bool live in `ints` (every supported integer type fits
/// in int64), float and double in `reals` (float values are kept rounded to float).
struct TensorValue {
  int32_t dtype = 0; ///< TensorProto.DataType
  std::vector<int64_t> shape;
  std::vector<int64_t> ints;
  std::vector<double> reals;

  bool isReal() const { return isRealType(dtype); }
  int64_t size() const { return isReal() ? (int64_t)reals.size() : (int64_t)ints.size(); }
  int64_t rank() const { return (int64_t)shape.size(); }

  static bool isRealType(int32_t t) { return t == ::onnx::TensorProto::FLOAT || t == ::onnx::TensorProto::DOUBLE; }
  /// The dtypes a TensorValue holds: float, double, bool and the integers of up to 32 bits, and int64.
  static bool isSupportedType(int32_t t);
};

/// The number of elements of `shape`; nullopt for a negative dimension or on overflow.
std::optional<int64_t> numElements(const std::vector<int64_t> &shape);
/// Two's-complement wrap of `v` into integer type `t` (the ONNX integer ops wrap on overflow).
int64_t wrapInt(int64_t v, int32_t t);
/// `v` rounded to the precision of real type `t`.
double roundReal(double v, int32_t t);

/// Decodes `t` (raw little-endian data or typed fields); nullopt for an unsupported dtype, external or
/// segmented data, a malformed tensor, or more than `maxElements` elements.
std::optional<TensorValue> decodeTensor(const ::onnx::TensorProto &t, int64_t maxElements);
/// The TensorProto named `name` holding `value` (typed fields).
::onnx::TensorProto encodeTensor(const TensorValue &value, const std::string &name);

/// The dims of a tensor type whose shape is fully static; nullopt otherwise.
std::optional<std::vector<int64_t>> staticShapeOf(const ::onnx::TypeProto &t);

/// Turns `node` into a Constant node (keeping its name and first output) whose value is `value`.
void makeConstantNode(::onnx::NodeProto &node, const ::onnx::TensorProto &value);

/// Parses the bytes of a .onnx file into `model`; false when they are empty, truncated or not a model.
bool parseModel(llvm::StringRef bytes, ::onnx::ModelProto &model);

} // namespace mcc::import

#endif
