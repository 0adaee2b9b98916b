//===- TensorProto.cpp - ONNX tensors -> MLIR attributes ------------------===//
#include "compiler/import/DataTypes.h"
#include "compiler/import/ImportInternal.h"

#include "llvm/Support/MathExtras.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

using namespace mlir;

namespace mcc::import {

Type elementTypeFor(MLIRContext *ctx, int32_t dtype) {
  Builder b(ctx);
  switch (dtype) {
  case ::onnx::TensorProto::FLOAT:
    return b.getF32Type();
  case ::onnx::TensorProto::DOUBLE:
    return b.getF64Type();
  case ::onnx::TensorProto::FLOAT16:
    return b.getF16Type();
  case ::onnx::TensorProto::BFLOAT16:
    return b.getBF16Type();
  case ::onnx::TensorProto::BOOL:
    return b.getI1Type();
  case ::onnx::TensorProto::INT8:
    return b.getIntegerType(8);
  case ::onnx::TensorProto::INT16:
    return b.getIntegerType(16);
  case ::onnx::TensorProto::INT32:
    return b.getIntegerType(32);
  case ::onnx::TensorProto::INT64:
    return b.getIntegerType(64);
  case ::onnx::TensorProto::UINT8:
    return b.getIntegerType(8, /*isSigned=*/false);
  case ::onnx::TensorProto::UINT16:
    return b.getIntegerType(16, false);
  case ::onnx::TensorProto::UINT32:
    return b.getIntegerType(32, false);
  case ::onnx::TensorProto::UINT64:
    return b.getIntegerType(64, false);
  // The float8 types (IR version 9; libonnx 1.12's enum does not name them): one byte of storage each,
  // converted on the bits by the lowering of Cast, CastLike, QuantizeLinear and DequantizeLinear.
  case kFloat8E4M3FN:
    return b.getType<Float8E4M3FNType>();
  case kFloat8E4M3FNUZ:
    return b.getType<Float8E4M3FNUZType>();
  case kFloat8E5M2:
    return b.getType<Float8E5M2Type>();
  case kFloat8E5M2FNUZ:
    return b.getType<Float8E5M2FNUZType>();
  // The 4- and 2-bit types: packed in ONNX tensors, one element per byte in mcc's buffers (LLVM's layout of
  // i4/i2), converted by the same lowerings.
  case kInt4:
    return b.getIntegerType(4);
  case kUInt4:
    return b.getIntegerType(4, /*isSigned=*/false);
  case kInt2:
    return b.getIntegerType(2);
  case kUInt2:
    return b.getIntegerType(2, /*isSigned=*/false);
  case kFloat4E2M1:
    return b.getType<Float4E2M1FNType>();
  default:
    return {};
  }
}

std::string elementTypeName(int32_t dtype) {
  // libonnx 1.12's enum stops at BFLOAT16 (16); the names of the types added since, by their numbers.
  static const char *newer[] = {"FLOAT8E4M3FN", "FLOAT8E4M3FNUZ", "FLOAT8E5M2", "FLOAT8E5M2FNUZ",
                                "UINT4",        "INT4",           "FLOAT4E2M1", "FLOAT8E8M0",
                                "UINT2",        "INT2",           "FLOAT6E2M3", "FLOAT6E3M2"};
  if (dtype >= 17 && dtype < 17 + (int32_t)(sizeof(newer) / sizeof(newer[0])))
    return newer[dtype - 17];
  std::string name = ::onnx::TensorProto::DataType_Name((::onnx::TensorProto::DataType)dtype);
  return name.empty() ? std::to_string(dtype) : name;
}

namespace {
/// Appends the little-endian bytes of `v` truncated to `bytes`.
template <typename T> void appendBytes(std::vector<char> &out, T v, size_t bytes) {
  const char *p = reinterpret_cast<const char *>(&v);
  out.insert(out.end(), p, p + bytes);
}
} // namespace

/// A tensor of 4- or 2-bit elements: packed in raw_data (or one byte of the packing per int32_data value),
/// the first element in the lowest bits.
static DenseElementsAttr packedTensorToAttr(const ::onnx::TensorProto &t, RankedTensorType type, int64_t numel,
                                            std::string &error) {
  Type elt = type.getElementType();
  unsigned bits = elt.getIntOrFloatBitWidth(), perByte = 8 / bits;
  int64_t bytes = (numel + perByte - 1) / perByte;
  std::vector<uint8_t> packed;
  if (t.has_raw_data())
    packed.assign(t.raw_data().begin(), t.raw_data().end());
  else
    for (int32_t v : t.int32_data())
      packed.push_back(static_cast<uint8_t>(v));
  if ((int64_t)packed.size() != bytes) {
    error = "tensor '" + t.name() + "' has " + std::to_string(packed.size()) + " bytes of packed data, expected " +
            std::to_string(bytes);
    return {};
  }
  SmallVector<APInt> ints;
  SmallVector<APFloat> floats;
  for (int64_t i = 0; i < numel; ++i) {
    uint64_t v = (packed[i / perByte] >> ((i % perByte) * bits)) & ((1u << bits) - 1);
    APInt value(bits, v, /*isSigned=*/false);
    if (auto ft = dyn_cast<FloatType>(elt))
      floats.push_back(APFloat(ft.getFloatSemantics(), value));
    else
      ints.push_back(value);
  }
  if (isa<FloatType>(elt))
    return DenseElementsAttr::get(type, floats);
  return DenseElementsAttr::get(type, ints);
}

bool isAddressable(ArrayRef<int64_t> dims, Type elt, int64_t *numelOut) {
  const int64_t limit = int64_t(1) << kMaxTensorBytesLog2;
  int64_t numel = 1;
  for (int64_t d : dims)
    if (d < 0 || llvm::MulOverflow(numel, d, numel) || numel > limit)
      return false;
  int64_t eltBytes = elt.isIntOrFloat() ? std::max<int64_t>(1, (elt.getIntOrFloatBitWidth() + 7) / 8) : 16;
  int64_t bytes;
  if (llvm::MulOverflow(numel, eltBytes, bytes) || bytes > limit)
    return false;
  if (numelOut)
    *numelOut = numel;
  return true;
}

DenseElementsAttr tensorToAttr(MLIRContext *ctx, const ::onnx::TensorProto &t, std::string &error) {
  Type elt = elementTypeFor(ctx, t.data_type());
  if (!elt) {
    error = "tensor '" + t.name() + "' has unsupported data type " + elementTypeName(t.data_type());
    return {};
  }
  SmallVector<int64_t> shape(t.dims().begin(), t.dims().end());
  int64_t numel = 1;
  for (int64_t d : shape)
    if (d < 0) {
      error = "tensor '" + t.name() + "' has a negative dimension";
      return {};
    }
  if (!isAddressable(shape, elt, &numel)) {
    error = "tensor '" + t.name() + "' is too large to address: more than 2^" + std::to_string(kMaxTensorBytesLog2) +
            " bytes";
    return {};
  }
  auto type = RankedTensorType::get(shape, elt);
  unsigned eltBits = elt.getIntOrFloatBitWidth();
  if (eltBits == 4 || eltBits == 2)
    return packedTensorToAttr(t, type, numel, error);
  size_t eltBytes = elt.isInteger(1) ? 1 : eltBits / 8;

  std::vector<char> bytes;
  if (t.has_raw_data()) {
    const std::string &raw = t.raw_data();
    if (raw.size() != numel * eltBytes) {
      error = "tensor '" + t.name() + "' has " + std::to_string(raw.size()) + " bytes of raw data, expected " +
              std::to_string(numel * eltBytes);
      return {};
    }
    bytes.assign(raw.begin(), raw.end());
  } else {
    auto check = [&](int64_t n) {
      if (n != numel) {
        error = "tensor '" + t.name() + "' has " + std::to_string(n) + " values, expected " + std::to_string(numel);
        return false;
      }
      return true;
    };
    switch (t.data_type()) {
    case ::onnx::TensorProto::FLOAT:
      if (!check(t.float_data_size()))
        return {};
      for (float v : t.float_data())
        appendBytes(bytes, v, 4);
      break;
    case ::onnx::TensorProto::DOUBLE:
      if (!check(t.double_data_size()))
        return {};
      for (double v : t.double_data())
        appendBytes(bytes, v, 8);
      break;
    case ::onnx::TensorProto::INT64:
      if (!check(t.int64_data_size()))
        return {};
      for (int64_t v : t.int64_data())
        appendBytes(bytes, v, 8);
      break;
    case ::onnx::TensorProto::UINT32:
    case ::onnx::TensorProto::UINT64:
      if (!check(t.uint64_data_size()))
        return {};
      for (uint64_t v : t.uint64_data())
        appendBytes(bytes, v, eltBytes);
      break;
    default: // int32_data holds every type of 32 bits or less, f16/bf16 as their bit patterns.
      if (!check(t.int32_data_size()))
        return {};
      for (int32_t v : t.int32_data())
        appendBytes(bytes, v, eltBytes);
      break;
    }
  }
  if (elt.isInteger(1)) {
    // DenseElementsAttr packs i1 one bit per element; build it from bools instead of raw bytes.
    SmallVector<bool> values;
    for (char c : bytes)
      values.push_back(c != 0);
    return DenseElementsAttr::get(type, values);
  }
  bool isSplat = false;
  if (!DenseElementsAttr::isValidRawBuffer(type, ArrayRef<char>(bytes), isSplat)) {
    error = "tensor '" + t.name() + "' data does not match its type";
    return {};
  }
  return DenseElementsAttr::getFromRawBuffer(type, ArrayRef<char>(bytes));
}

bool loadExternalData(::onnx::TensorProto &t, StringRef modelDir, std::string &error) {
  std::string location;
  uint64_t offset = 0;
  int64_t length = -1;
  for (const auto &kv : t.external_data()) {
    if (kv.key() == "location")
      location = kv.value();
    else if (kv.key() == "offset")
      offset = std::strtoull(kv.value().c_str(), nullptr, 10);
    else if (kv.key() == "length")
      length = std::strtoll(kv.value().c_str(), nullptr, 10);
  }
  if (location.empty()) {
    error = "tensor '" + t.name() + "' has external data without a location";
    return false;
  }
  if (llvm::sys::path::is_absolute(location)) {
    error = "tensor '" + t.name() + "': external data location '" + location +
            "' is absolute; it must stay inside the model's folder";
    return false;
  }
  SmallString<256> dir, full;
  if (llvm::sys::fs::real_path(modelDir.empty() ? "." : modelDir, dir)) {
    error = "cannot resolve model folder '" + modelDir.str() + "'";
    return false;
  }
  SmallString<256> joined(dir);
  llvm::sys::path::append(joined, location);
  if (llvm::sys::fs::real_path(joined, full)) {
    error = "tensor '" + t.name() + "': external data file '" + location + "' not found";
    return false;
  }
  StringRef fullRef = full.str();
  if (!fullRef.starts_with(dir.str()) ||
      (fullRef.size() > dir.size() && !llvm::sys::path::is_separator(fullRef[dir.size()]))) {
    error = "tensor '" + t.name() + "': external data location '" + location + "' leaves the model's folder";
    return false;
  }
  auto buf = llvm::MemoryBuffer::getFile(full, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!buf) {
    error = "cannot read external data file '" + location + "'";
    return false;
  }
  uint64_t size = (*buf)->getBufferSize();
  if (offset > size || (length >= 0 && (uint64_t)length > size - offset)) {
    error = "tensor '" + t.name() + "': external data range is past the end of '" + location + "'";
    return false;
  }
  uint64_t n = length >= 0 ? (uint64_t)length : size - offset;
  t.set_raw_data((*buf)->getBufferStart() + offset, n);
  t.clear_external_data();
  t.set_data_location(::onnx::TensorProto::DEFAULT);
  return true;
}

} // namespace mcc::import
