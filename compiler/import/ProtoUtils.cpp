//===- ProtoUtils.cpp - the import side's helpers on ONNX protobuf --------===//
#include "compiler/import/ProtoUtils.h"

#include <google/protobuf/io/coded_stream.h>

#include <climits>
#include <cstring>

namespace mcc::import {

using ::onnx::AttributeProto;
using ::onnx::TensorProto;

const AttributeProto *NodeAttrs::get(llvm::StringRef name) const {
  for (const auto &a : node.attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}

int64_t NodeAttrs::i(llvm::StringRef name, int64_t dflt) const {
  const AttributeProto *a = get(name);
  return a ? a->i() : dflt;
}

float NodeAttrs::f(llvm::StringRef name, float dflt) const {
  const AttributeProto *a = get(name);
  return a ? a->f() : dflt;
}

std::string NodeAttrs::s(llvm::StringRef name, const std::string &dflt) const {
  const AttributeProto *a = get(name);
  return a ? a->s() : dflt;
}

std::optional<std::vector<int64_t>> NodeAttrs::ints(llvm::StringRef name) const {
  const AttributeProto *a = get(name);
  if (!a)
    return std::nullopt;
  return std::vector<int64_t>(a->ints().begin(), a->ints().end());
}

bool TensorValue::isSupportedType(int32_t t) {
  switch (t) {
  case TensorProto::FLOAT:
  case TensorProto::DOUBLE:
  case TensorProto::BOOL:
  case TensorProto::INT8:
  case TensorProto::INT16:
  case TensorProto::INT32:
  case TensorProto::INT64:
  case TensorProto::UINT8:
  case TensorProto::UINT16:
  case TensorProto::UINT32:
    return true;
  default:
    return false;
  }
}

std::optional<int64_t> numElements(const std::vector<int64_t> &shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    if (d < 0 || __builtin_mul_overflow(n, d, &n))
      return std::nullopt;
  return n;
}

int64_t wrapInt(int64_t v, int32_t t) {
  switch (t) {
  case TensorProto::BOOL:
    return v != 0;
  case TensorProto::INT8:
    return (int8_t)(uint8_t)v;
  case TensorProto::INT16:
    return (int16_t)(uint16_t)v;
  case TensorProto::INT32:
    return (int32_t)(uint32_t)v;
  case TensorProto::UINT8:
    return (uint8_t)v;
  case TensorProto::UINT16:
    return (uint16_t)v;
  case TensorProto::UINT32:
    return (uint32_t)v;
  default:
    return v;
  }
}

double roundReal(double v, int32_t t) { return t == TensorProto::FLOAT ? (double)(float)v : v; }

namespace {

template <typename T> bool readRaw(const TensorProto &t, int64_t n, std::vector<T> &out) {
  if ((int64_t)t.raw_data().size() != n * (int64_t)sizeof(T))
    return false;
  out.resize(n);
  if (n) // memcpy from an empty buffer is undefined (UBSan)
    std::memcpy(out.data(), t.raw_data().data(), n * sizeof(T));
  return true;
}

/// The `n` elements of `t` as `Elt` (raw data of that C type) converted to `Out`, or from the typed
/// field `typed` when there is no raw data.
template <typename Elt, typename Out, typename Field>
bool readElements(const TensorProto &t, int64_t n, const Field &typed, std::vector<Out> &out) {
  if (t.has_raw_data()) {
    std::vector<Elt> v;
    if (!readRaw(t, n, v))
      return false;
    out.assign(v.begin(), v.end());
  } else {
    out.assign(typed.begin(), typed.end());
  }
  return (int64_t)out.size() == n;
}

} // namespace

std::optional<TensorValue> decodeTensor(const TensorProto &t, int64_t maxElements) {
  if (!TensorValue::isSupportedType(t.data_type()) || t.data_location() == TensorProto::EXTERNAL || t.has_segment())
    return std::nullopt;
  TensorValue c;
  c.dtype = t.data_type();
  c.shape.assign(t.dims().begin(), t.dims().end());
  std::optional<int64_t> n = numElements(c.shape);
  if (!n || *n > maxElements)
    return std::nullopt;
  bool ok = false;
  switch (t.data_type()) {
  case TensorProto::FLOAT:
    ok = readElements<float>(t, *n, t.float_data(), c.reals);
    break;
  case TensorProto::DOUBLE:
    ok = readElements<double>(t, *n, t.double_data(), c.reals);
    break;
  case TensorProto::INT64:
    ok = readElements<int64_t>(t, *n, t.int64_data(), c.ints);
    break;
  case TensorProto::UINT32: // typed values in uint64_data
    ok = readElements<uint32_t>(t, *n, t.uint64_data(), c.ints);
    break;
  case TensorProto::INT32:
    ok = readElements<int32_t>(t, *n, t.int32_data(), c.ints);
    break;
  case TensorProto::INT16:
    ok = readElements<int16_t>(t, *n, t.int32_data(), c.ints);
    break;
  case TensorProto::UINT16:
    ok = readElements<uint16_t>(t, *n, t.int32_data(), c.ints);
    break;
  case TensorProto::INT8:
    ok = readElements<int8_t>(t, *n, t.int32_data(), c.ints);
    break;
  case TensorProto::UINT8:
  case TensorProto::BOOL:
    ok = readElements<uint8_t>(t, *n, t.int32_data(), c.ints);
    break;
  default:
    break;
  }
  if (!ok)
    return std::nullopt;
  for (int64_t &v : c.ints)
    v = wrapInt(v, c.dtype);
  for (double &v : c.reals)
    v = roundReal(v, c.dtype);
  return c;
}

TensorProto encodeTensor(const TensorValue &c, const std::string &name) {
  TensorProto t;
  t.set_name(name);
  t.set_data_type(c.dtype);
  for (int64_t d : c.shape)
    t.add_dims(d);
  switch (c.dtype) {
  case TensorProto::FLOAT:
    for (double v : c.reals)
      t.add_float_data((float)v);
    break;
  case TensorProto::DOUBLE:
    for (double v : c.reals)
      t.add_double_data(v);
    break;
  case TensorProto::INT64:
    for (int64_t v : c.ints)
      t.add_int64_data(v);
    break;
  case TensorProto::UINT32:
    for (int64_t v : c.ints)
      t.add_uint64_data((uint64_t)v);
    break;
  default: // the types stored in int32_data
    for (int64_t v : c.ints)
      t.add_int32_data((int32_t)v);
    break;
  }
  return t;
}

std::optional<std::vector<int64_t>> staticShapeOf(const ::onnx::TypeProto &t) {
  if (!t.has_tensor_type() || !t.tensor_type().has_shape())
    return std::nullopt;
  std::vector<int64_t> dims;
  for (const auto &d : t.tensor_type().shape().dim()) {
    if (!d.has_dim_value())
      return std::nullopt;
    dims.push_back(d.dim_value());
  }
  return dims;
}

void makeConstantNode(::onnx::NodeProto &node, const TensorProto &value) {
  std::string output = node.output_size() ? node.output(0) : std::string(), name = node.name();
  node.Clear();
  node.set_name(name);
  node.set_op_type("Constant");
  node.add_output(output);
  AttributeProto *a = node.add_attribute();
  a->set_name("value");
  a->set_type(AttributeProto::TENSOR);
  *a->mutable_t() = value;
}

bool parseModel(llvm::StringRef bytes, ::onnx::ModelProto &model) {
  google::protobuf::io::CodedInputStream stream(reinterpret_cast<const uint8_t *>(bytes.data()),
                                                (int)std::min<size_t>(bytes.size(), INT_MAX));
  stream.SetTotalBytesLimit(INT_MAX);
  return !bytes.empty() && model.ParseFromCodedStream(&stream) && stream.ConsumedEntireMessage();
}

} // namespace mcc::import
