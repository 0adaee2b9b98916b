//===- TensorProtoIO.cpp - ONNX TensorProto (.pb) files ----------------------===//

#include "TensorIOInternal.h"

#include <onnx/onnx_pb.h>

// SequenceProto, OptionalProto; after onnx_pb.h, which defines ONNX_API
#include <onnx/onnx-data.pb.h>

#include <cstring>

namespace mcc::tools {

using detail::checkedNumel;
using detail::readWholeFile;
using detail::writeWholeFile;

//===----------------------------------------------------------------------===//
// ONNX TensorProto
//===----------------------------------------------------------------------===//

template <typename Dst, typename Field> static void convertInto(std::vector<uint8_t> &data, const Field &field) {
  data.resize(static_cast<size_t>(field.size()) * sizeof(Dst));
  for (int i = 0; i < field.size(); ++i) {
    Dst v = static_cast<Dst>(field.Get(i));
    std::memcpy(data.data() + static_cast<size_t>(i) * sizeof(Dst), &v, sizeof(Dst));
  }
}

/// ONNX stores sequence and optional values (backend tests of Sequence*/Optional* ops) as
/// SequenceProto / OptionalProto, which protobuf happily misreads as a TensorProto. When the
/// TensorProto reading fails, this recognises them (a clean SequenceProto parse: no unknown fields,
/// a valid elem_type) so that the error says what the file really is.
static bool describeNonTensor(std::string_view bytes, std::string &what) {
  onnx::SequenceProto seq;
  if (!seq.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return false;
  if (!seq.GetReflection()->GetUnknownFields(seq).empty() || !seq.has_elem_type())
    return false;
  static const char *const kinds[] = {"undefined", "tensor", "sparse tensor", "sequence", "map", "optional"};
  int32_t et = seq.elem_type();
  if (et < 0 || et > 5)
    return false;
  what = "an ONNX SequenceProto or OptionalProto";
  if (!seq.name().empty())
    what += " '" + seq.name() + "'";
  what += et == 0 ? std::string(" (empty: elem_type undefined") : " (elem_type " + std::string(kinds[et]);
  if (et == 1)
    what += ", " + std::to_string(seq.tensor_values_size()) + " tensor(s)";
  what += ")";
  return true;
}

static bool parseTensorProtoImpl(std::string_view bytes, const std::string &name, HostTensor &out, std::string &error);

bool parseTensorProto(std::string_view bytes, const std::string &name, HostTensor &out, std::string &error) {
  if (parseTensorProtoImpl(bytes, name, out, error))
    return true;
  std::string what;
  if (!bytes.empty() && bytes.size() <= static_cast<size_t>(std::numeric_limits<int>::max()) &&
      describeNonTensor(bytes, what))
    error = name + ": not a TensorProto but " + what + "; only tensor values are supported";
  return false;
}

static bool parseTensorProtoImpl(std::string_view bytes, const std::string &name, HostTensor &out, std::string &error) {
  if (bytes.empty()) {
    error = name + ": empty file (not an ONNX TensorProto)";
    return false;
  }
  if (bytes.size() > static_cast<size_t>(std::numeric_limits<int>::max())) {
    error = name + ": file too large for a TensorProto";
    return false;
  }
  onnx::TensorProto tp;
  if (!tp.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    error = name + ": not a valid ONNX TensorProto (protobuf parse failed: truncated or not a .pb tensor)";
    return false;
  }
  if (!tp.has_data_type() || tp.data_type() == onnx::TensorProto::UNDEFINED) {
    error = name + ": TensorProto has no data_type (not an ONNX tensor .pb?)";
    return false;
  }
  int32_t dtype = tp.data_type();
  if (tp.data_location() == onnx::TensorProto::EXTERNAL) {
    std::string loc;
    for (const auto &kv : tp.external_data())
      if (kv.key() == "location")
        loc = kv.value();
    error = name + ": tensor '" + tp.name() + "' stores its data externally" +
            (loc.empty() ? std::string() : " (in '" + loc + "')") + "; external data is not supported";
    return false;
  }
  if (tp.has_segment()) {
    error = name + ": segmented TensorProto (segment field) is not supported";
    return false;
  }
  size_t elemSize = dtypeSize(dtype);
  if (dtype != kString && (elemSize == 0 || (dtype > kBFloat16 && !isFloat8DType(dtype) && !packedBits(dtype)))) {
    error = name + ": unsupported TensorProto data_type " + dtypeName(dtype);
    return false;
  }
  HostTensor t;
  t.dtype = dtype;
  t.name = tp.name();
  for (int64_t d : tp.dims()) {
    if (d < 0) {
      error = name + ": negative dimension " + std::to_string(d) + " in TensorProto dims";
      return false;
    }
    t.shape.push_back(d);
  }
  int64_t numel;
  size_t nbytes;
  if (!checkedNumel(t.shape, dtype == kString ? 1 : elemSize, numel, nbytes)) {
    error = name + ": TensorProto shape " + shapeToString(t.shape) + " is too large";
    return false;
  }
  const std::string what = dtypeName(dtype) + shapeToString(t.shape);

  if (dtype == kString) {
    if (tp.has_raw_data() && !tp.raw_data().empty()) {
      error = name + ": string tensor with raw_data is invalid (strings go in string_data)";
      return false;
    }
    if (tp.string_data_size() != numel) {
      error = name + ": " + what + " needs " + std::to_string(numel) + " strings, string_data has " +
              std::to_string(tp.string_data_size());
      return false;
    }
    t.strings.assign(tp.string_data().begin(), tp.string_data().end());
    out = std::move(t);
    return true;
  }

  if (int bits = packedBits(dtype)) {
    // 4- and 2-bit elements are packed, the first in the lowest bits (raw_data, or one byte per int32_data
    // value); the HostTensor holds one per byte.
    std::string packed;
    if (tp.has_raw_data())
      packed = tp.raw_data();
    else
      for (int32_t v : tp.int32_data())
        packed.push_back(static_cast<char>(v));
    int perByte = 8 / bits;
    size_t want = static_cast<size_t>((numel + perByte - 1) / perByte);
    if (packed.size() != want) {
      error =
          name + ": " + what + " needs " + std::to_string(want) + " packed bytes, has " + std::to_string(packed.size());
      return false;
    }
    t.data.resize(static_cast<size_t>(numel));
    for (int64_t i = 0; i < numel; ++i)
      t.data[static_cast<size_t>(i)] = static_cast<uint8_t>(
          (static_cast<uint8_t>(packed[i / perByte]) >> ((i % perByte) * bits)) & ((1 << bits) - 1));
  } else if (tp.has_raw_data()) {
    const std::string &raw = tp.raw_data();
    if (raw.size() != nbytes) {
      error = name + ": " + what + " needs " + std::to_string(nbytes) + " bytes, raw_data has " +
              std::to_string(raw.size()) + " (truncated or corrupt tensor)";
      return false;
    }
    t.data.assign(raw.begin(), raw.end());
    if (dtype == kBool)
      for (uint8_t &b : t.data)
        b = b ? 1 : 0;
  } else {
    bool isComplex = dtype == kComplex64 || dtype == kComplex128;
    int64_t want = isComplex ? 2 * numel : numel;
    int64_t have = -1;
    const char *field = "";
    switch (dtype) {
    case kFloat:
    case kComplex64:
      field = "float_data";
      have = tp.float_data_size();
      if (have == want)
        convertInto<float>(t.data, tp.float_data());
      break;
    case kInt32:
      field = "int32_data";
      have = tp.int32_data_size();
      if (have == want)
        convertInto<int32_t>(t.data, tp.int32_data());
      break;
    case kInt8:
      field = "int32_data";
      have = tp.int32_data_size();
      if (have == want)
        convertInto<int8_t>(t.data, tp.int32_data());
      break;
    case kUInt8:
    case kFloat8E4M3FN: // float8: bit patterns in the low 8 bits
    case kFloat8E4M3FNUZ:
    case kFloat8E5M2:
    case kFloat8E5M2FNUZ:
      field = "int32_data";
      have = tp.int32_data_size();
      if (have == want)
        convertInto<uint8_t>(t.data, tp.int32_data());
      break;
    case kBool:
      field = "int32_data";
      have = tp.int32_data_size();
      if (have == want) {
        t.data.resize(static_cast<size_t>(numel));
        for (int i = 0; i < tp.int32_data_size(); ++i)
          t.data[i] = tp.int32_data(i) != 0;
      }
      break;
    case kInt16:
      field = "int32_data";
      have = tp.int32_data_size();
      if (have == want)
        convertInto<int16_t>(t.data, tp.int32_data());
      break;
    case kUInt16:
    case kFloat16:
    case kBFloat16: // bit patterns in the low 16 bits
      field = "int32_data";
      have = tp.int32_data_size();
      if (have == want)
        convertInto<uint16_t>(t.data, tp.int32_data());
      break;
    case kInt64:
      field = "int64_data";
      have = tp.int64_data_size();
      if (have == want)
        convertInto<int64_t>(t.data, tp.int64_data());
      break;
    case kDouble:
    case kComplex128:
      field = "double_data";
      have = tp.double_data_size();
      if (have == want)
        convertInto<double>(t.data, tp.double_data());
      break;
    case kUInt32:
      field = "uint64_data";
      have = tp.uint64_data_size();
      if (have == want)
        convertInto<uint32_t>(t.data, tp.uint64_data());
      break;
    case kUInt64:
      field = "uint64_data";
      have = tp.uint64_data_size();
      if (have == want)
        convertInto<uint64_t>(t.data, tp.uint64_data());
      break;
    default:
      error = name + ": unsupported TensorProto data_type " + dtypeName(dtype);
      return false;
    }
    if (have != want) {
      if (have == 0 && want > 0)
        error = name + ": " + what + " has no data (neither raw_data nor " + field + ")";
      else
        error = name + ": " + what + " needs " + std::to_string(want) + " values, " + field + " has " +
                std::to_string(have);
      return false;
    }
    t.data.resize(nbytes);
  }
  out = std::move(t);
  return true;
}

bool readTensorProto(const std::string &path, HostTensor &out, std::string &error) {
  std::string bytes;
  if (!readWholeFile(path, bytes, error))
    return false;
  return parseTensorProto(bytes, path, out, error);
}

} // namespace mcc::tools
