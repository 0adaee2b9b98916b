//===- NewOpsetsBuilder.h - building expansions of newer ONNX nodes -*- C++ -*-===//
//
// What the rewriters of newer opset forms (NewOpsets*.cpp) share: reading and
// setting attributes, emitting nodes and constants into the rewritten node list, and errors naming the node.
//
//===----------------------------------------------------------------------===//
#ifndef MCC_COMPILER_IMPORT_NEWOPSETSBUILDER_H
#define MCC_COMPILER_IMPORT_NEWOPSETSBUILDER_H

#include "onnx/onnx_pb.h"

#include <map>
#include <string>
#include <vector>

namespace mcc::import {

const ::onnx::AttributeProto *findAttribute(const ::onnx::NodeProto &n, const std::string &name);
int64_t attrInt(const ::onnx::NodeProto &n, const std::string &name, int64_t dflt);
float attrFloat(const ::onnx::NodeProto &n, const std::string &name, float dflt);
std::string attrStr(const ::onnx::NodeProto &n, const std::string &name, const std::string &dflt);
void removeAttr(::onnx::NodeProto &n, const std::string &name);
/// Replaces (or adds) the attribute `name` with an empty one of `type`.
::onnx::AttributeProto *setAttr(::onnx::NodeProto &n, const std::string &name,
                                ::onnx::AttributeProto::AttributeType type);
void setInt(::onnx::NodeProto &n, const std::string &name, int64_t v);
void setStr(::onnx::NodeProto &n, const std::string &name, const std::string &v);
void setInts(::onnx::NodeProto &n, const std::string &name, const std::vector<int64_t> &v);

/// Whether input `i` is given (present and not the empty name).
bool hasInput(const ::onnx::NodeProto &n, int i);
/// The values of an integer tensor (INT64 or INT32; typed fields or raw little-endian data).
bool tensorInts(const ::onnx::TensorProto &t, std::vector<int64_t> &out);
/// The values of a FLOAT or DOUBLE tensor.
bool tensorFloats(const ::onnx::TensorProto &t, std::vector<double> &out);
/// The name of an element type ONNX gained after IR version 8 ("float8e4m3fn"), null for older ones.
const char *newElementTypeName(int64_t dtype);
/// The four float8 types, which mcc stores one byte per element and converts in Cast and QuantizeLinear.
bool isFloat8(int64_t dtype);
/// The float8, 4-bit and 2-bit types mcc has a storage and conversion path for (float8e8m0, float6 are not).
bool isNarrowType(int64_t dtype);

/// Emits the nodes an expansion is made of into `out`, naming each after the node it replaces.
class NodeExpander {
public:
  /// `prefix` keeps the names of each rewriting step apart from the other's.
  explicit NodeExpander(std::string &error, std::string prefix = "__mcc22_")
      : error(error), prefix(std::move(prefix)) {}
  virtual ~NodeExpander() = default;

  /// A value name no model uses.
  std::string fresh(const std::string &base) { return base + prefix + std::to_string(counter++); }
  ::onnx::NodeProto &emit(const ::onnx::NodeProto &from, const std::string &op, std::vector<std::string> inputs,
                          std::vector<std::string> outputs);
  /// A fresh value computed by `op` from `inputs`.
  std::string emitValue(const ::onnx::NodeProto &from, const std::string &op, std::vector<std::string> inputs,
                        ::onnx::NodeProto **node = nullptr);
  std::string intsConstant(const ::onnx::NodeProto &from, const std::vector<int64_t> &values);
  /// A 0-d float constant.
  std::string floatConstant(const ::onnx::NodeProto &from, float v);
  /// A 0-d constant `v` of the element type of `like`.
  std::string floatLike(const ::onnx::NodeProto &from, float v, const std::string &like);
  /// Sets the error, naming the node; returns false.
  bool fail(const ::onnx::NodeProto &n, const std::string &what);

  /// Records the static shape of typed values (graph inputs, initializers, value_info) of `g`.
  void recordShapes(const ::onnx::GraphProto &g);
  /// The static shape of `value`, or false with an error naming the node: the expansions that need shapes run
  /// before shape inference, so only declared shapes are known.
  bool needDims(const ::onnx::NodeProto &n, const std::string &value, std::vector<int64_t> &dims);
  /// The static shape of `value` if declared.
  bool knownDims(const std::string &value, std::vector<int64_t> &dims) const {
    auto it = shapes.find(value);
    if (it == shapes.end())
      return false;
    dims = it->second;
    return true;
  }
  /// The declared element type of `value`, 0 when unknown.
  int32_t elemType(const std::string &value) const {
    auto it = elems.find(value);
    return it == elems.end() ? 0 : it->second;
  }

  std::vector<::onnx::NodeProto> *out = nullptr;
  int nodeIndex = 0;

protected:
  /// Called when a shape is not declared: may record more shapes (from shape inference) and return true.
  virtual bool inferMoreShapes() { return false; }

private:
  std::string &error;
  std::string prefix;
  int counter = 0;
  std::map<std::string, std::vector<int64_t>> shapes;
  std::map<std::string, int32_t> elems;
};

/// Opset-23/24/25 Attention and opset-23 RotaryEmbedding as older ops (NewOpsetsAttention.cpp).
bool expandAttention(NodeExpander &e, const ::onnx::NodeProto &n);
bool expandRotaryEmbedding(NodeExpander &e, const ::onnx::NodeProto &n);

} // namespace mcc::import

#endif
