//===- TensorIO.cpp - host tensors: dtypes, numbers, files -------------------===//

#include "TensorIOInternal.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>

namespace mcc::tools {

namespace detail {

bool readWholeFile(const std::string &path, std::string &bytes, std::string &error) {
  FILE *f = std::fopen(path.c_str(), "rb");
  if (!f) {
    error = path + ": cannot open (" + std::strerror(errno) + ")";
    return false;
  }
  bytes.clear();
  char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0)
    bytes.append(buf, n);
  bool bad = std::ferror(f);
  std::fclose(f);
  if (bad) {
    error = path + ": read error";
    return false;
  }
  return true;
}

bool writeWholeFile(const std::string &path, const std::string &bytes, std::string &error) {
  FILE *f = std::fopen(path.c_str(), "wb");
  if (!f) {
    error = path + ": cannot open for writing (" + std::strerror(errno) + ")";
    return false;
  }
  size_t n = std::fwrite(bytes.data(), 1, bytes.size(), f);
  int closeErr = std::fclose(f);
  if (n != bytes.size() || closeErr != 0) {
    error = path + ": write error (" + std::strerror(errno) + ")";
    return false;
  }
  return true;
}

bool checkedNumel(const std::vector<int64_t> &shape, size_t elemSize, int64_t &numel, size_t &bytes) {
  const int64_t limit = std::numeric_limits<int64_t>::max() / 16;
  numel = 1;
  for (int64_t d : shape) {
    if (d < 0)
      return false;
    if (d != 0 && numel > limit / d)
      return false;
    numel *= d;
  }
  bytes = static_cast<size_t>(numel) * elemSize;
  return true;
}

} // namespace detail

using detail::checkedNumel;
using detail::loadAt;
using detail::readWholeFile;
using detail::writeWholeFile;

//===----------------------------------------------------------------------===//
// dtypes, shapes, numbers
//===----------------------------------------------------------------------===//

int64_t HostTensor::numel() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

size_t HostTensor::byteSize() const {
  int64_t n = numel();
  return n <= 0 ? 0 : static_cast<size_t>(n) * dtypeSize(dtype);
}

std::string dtypeName(int32_t dtype) {
  switch (dtype) {
  case kUndefined:
    return "undefined";
  case kFloat:
    return "float32";
  case kUInt8:
    return "uint8";
  case kInt8:
    return "int8";
  case kUInt16:
    return "uint16";
  case kInt16:
    return "int16";
  case kInt32:
    return "int32";
  case kInt64:
    return "int64";
  case kString:
    return "string";
  case kBool:
    return "bool";
  case kFloat16:
    return "float16";
  case kDouble:
    return "float64";
  case kUInt32:
    return "uint32";
  case kUInt64:
    return "uint64";
  case kComplex64:
    return "complex64";
  case kComplex128:
    return "complex128";
  case kBFloat16:
    return "bfloat16";
  case 17:
    return "float8e4m3fn";
  case 18:
    return "float8e4m3fnuz";
  case 19:
    return "float8e5m2";
  case 20:
    return "float8e5m2fnuz";
  case 21:
    return "uint4";
  case 22:
    return "int4";
  case 23:
    return "float4e2m1";
  case 25:
    return "uint2";
  case 26:
    return "int2";
  default:
    return "dtype(" + std::to_string(dtype) + ")";
  }
}

size_t dtypeSize(int32_t dtype) {
  if (isFloat8DType(dtype) || packedBits(dtype))
    return 1;
  switch (dtype) {
  case kUInt8:
  case kInt8:
  case kBool:
    return 1;
  case kUInt16:
  case kInt16:
  case kFloat16:
  case kBFloat16:
    return 2;
  case kFloat:
  case kInt32:
  case kUInt32:
    return 4;
  case kInt64:
  case kDouble:
  case kUInt64:
  case kComplex64:
    return 8;
  case kComplex128:
    return 16;
  default:
    return 0;
  }
}

bool isFloatDType(int32_t dtype) {
  return dtype == kFloat || dtype == kDouble || dtype == kFloat16 || dtype == kBFloat16 || isFloat8DType(dtype) ||
         dtype == kFloat4E2M1;
}

int packedBits(int32_t dtype) {
  switch (dtype) {
  case kUInt4:
  case kInt4:
  case kFloat4E2M1:
    return 4;
  case kUInt2:
  case kInt2:
    return 2;
  default:
    return 0;
  }
}

int64_t narrowIntAt(const HostTensor &t, int64_t i) {
  int bits = packedBits(t.dtype);
  uint8_t byte = t.data[static_cast<size_t>(i)];
  int64_t v = byte & ((1 << bits) - 1);
  if ((t.dtype == kInt4 || t.dtype == kInt2) && (v >> (bits - 1)))
    v -= int64_t(1) << bits;
  return v;
}

double float4ToDouble(uint8_t bits) {
  int exp = (bits >> 1) & 3, mant = bits & 1;
  double v = exp == 0 ? 0.5 * mant : std::ldexp(1.0 + 0.5 * mant, exp - 1);
  return (bits & 8) ? -v : v;
}

bool isFloat8DType(int32_t dtype) { return dtype >= kFloat8E4M3FN && dtype <= kFloat8E5M2FNUZ; }

double float8ToDouble(int32_t dtype, uint8_t bits) {
  const bool e5 = dtype == kFloat8E5M2 || dtype == kFloat8E5M2FNUZ;
  const bool fnuz = dtype == kFloat8E4M3FNUZ || dtype == kFloat8E5M2FNUZ;
  const int mbits = e5 ? 2 : 3;
  const int bias = (e5 ? 15 : 7) + (fnuz ? 1 : 0);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const int mag = bits & 0x7f, exp = mag >> mbits, mant = mag & ((1 << mbits) - 1);
  if (fnuz && bits == 0x80)
    return nan;
  if (dtype == kFloat8E4M3FN && mag == 0x7f)
    return nan;
  if (dtype == kFloat8E5M2 && exp == 31)
    return mant ? nan : ((bits & 0x80) ? -1 : 1) * std::numeric_limits<double>::infinity();
  double v = exp == 0 ? std::ldexp(mant, 1 - bias - mbits) : std::ldexp(mant | (1 << mbits), exp - bias - mbits);
  return (bits & 0x80) ? -v : v;
}

std::string shapeToString(const std::vector<int64_t> &shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      s += ",";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

double halfToDouble(uint16_t h) {
  int sign = (h >> 15) & 1;
  int exp = (h >> 10) & 0x1f;
  int mant = h & 0x3ff;
  double v;
  if (exp == 0)
    v = std::ldexp(static_cast<double>(mant), -24); // subnormal / zero
  else if (exp == 31)
    v = mant ? std::numeric_limits<double>::quiet_NaN() : std::numeric_limits<double>::infinity();
  else
    v = std::ldexp(static_cast<double>(mant | 0x400), exp - 25);
  return sign ? -v : v;
}

double bfloat16ToDouble(uint16_t b) {
  uint32_t bits = static_cast<uint32_t>(b) << 16;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

uint16_t floatToHalf(float value) {
  uint32_t x;
  std::memcpy(&x, &value, 4);
  uint16_t sign = static_cast<uint16_t>((x >> 16) & 0x8000);
  uint32_t absx = x & 0x7fffffffu;
  if (absx > 0x7f800000u) // NaN: keep it quiet, keep some payload
    return static_cast<uint16_t>(sign | 0x7e00 | ((absx >> 13) & 0x3ff));
  if (absx >= 0x477ff000u) // rounds to >= 65520 -> inf
    return static_cast<uint16_t>(sign | 0x7c00);
  if (absx < 0x38800000u) { // below the smallest normal half (2^-14): subnormal or zero
    if (absx < 0x33000000u) // < 2^-25: rounds to zero (2^-25 ties to even -> 0)
      return sign;
    uint32_t mant = (absx & 0x7fffffu) | 0x800000u;
    int e = static_cast<int>(absx >> 23); // 102..112
    int shift = 126 - e;                  // value = mant * 2^(e-150); half sub unit = 2^-24
    uint32_t q = mant >> shift;
    uint32_t rem = mant & ((1u << shift) - 1);
    uint32_t halfway = 1u << (shift - 1);
    if (rem > halfway || (rem == halfway && (q & 1)))
      ++q;
    return static_cast<uint16_t>(sign | q);
  }
  // normal: rebias exponent 127 -> 15, round mantissa 23 -> 10 bits (carry may bump exponent)
  uint32_t r = absx - 0x38000000u; // exponent -= 112
  uint32_t q = r >> 13;
  uint32_t rem = r & 0x1fff;
  if (rem > 0x1000 || (rem == 0x1000 && (q & 1)))
    ++q;
  return static_cast<uint16_t>(sign | q);
}

uint16_t floatToBFloat16(float value) {
  uint32_t x;
  std::memcpy(&x, &value, 4);
  if ((x & 0x7fffffffu) > 0x7f800000u)
    return static_cast<uint16_t>((x >> 16) | 0x40); // quiet NaN
  uint32_t rounding = 0x7fff + ((x >> 16) & 1);
  return static_cast<uint16_t>((x + rounding) >> 16);
}

double elementAsDouble(const HostTensor &t, int64_t i) {
  if (i < 0 || t.dtype == kString || static_cast<size_t>(i + 1) * dtypeSize(t.dtype) > t.data.size())
    return 0;
  switch (t.dtype) {
  case kFloat:
    return loadAt<float>(t, i);
  case kDouble:
    return loadAt<double>(t, i);
  case kFloat16:
    return halfToDouble(loadAt<uint16_t>(t, i));
  case kBFloat16:
    return bfloat16ToDouble(loadAt<uint16_t>(t, i));
  case kFloat8E4M3FN:
  case kFloat8E4M3FNUZ:
  case kFloat8E5M2:
  case kFloat8E5M2FNUZ:
    return float8ToDouble(t.dtype, loadAt<uint8_t>(t, i));
  case kFloat4E2M1:
    return float4ToDouble(loadAt<uint8_t>(t, i));
  case kUInt4:
  case kInt4:
  case kUInt2:
  case kInt2:
    return static_cast<double>(narrowIntAt(t, i));
  case kUInt8:
    return loadAt<uint8_t>(t, i);
  case kInt8:
    return loadAt<int8_t>(t, i);
  case kBool:
    return loadAt<uint8_t>(t, i) ? 1 : 0;
  case kUInt16:
    return loadAt<uint16_t>(t, i);
  case kInt16:
    return loadAt<int16_t>(t, i);
  case kInt32:
    return loadAt<int32_t>(t, i);
  case kUInt32:
    return loadAt<uint32_t>(t, i);
  case kInt64:
    return static_cast<double>(loadAt<int64_t>(t, i));
  case kUInt64:
    return static_cast<double>(loadAt<uint64_t>(t, i));
  case kComplex64:
    return loadAt<float>(t, 2 * i);
  case kComplex128:
    return loadAt<double>(t, 2 * i);
  default:
    return 0;
  }
}

static bool endsWith(const std::string &s, const char *suffix) {
  size_t n = std::strlen(suffix);
  if (s.size() < n)
    return false;
  for (size_t i = 0; i < n; ++i)
    if (std::tolower(static_cast<unsigned char>(s[s.size() - n + i])) != suffix[i])
      return false;
  return true;
}

bool readTensor(const std::string &path, HostTensor &out, std::string &error) {
  if (endsWith(path, ".npy"))
    return readNpy(path, out, error);
  if (endsWith(path, ".pb"))
    return readTensorProto(path, out, error);
  std::string bytes;
  if (!readWholeFile(path, bytes, error))
    return false;
  if (bytes.size() >= 6 && bytes.compare(0, 6, "\x93NUMPY", 6) == 0)
    return parseNpy(bytes, path, out, error);
  if (!parseTensorProto(bytes, path, out, error)) {
    error += " (file extension is neither .npy nor .pb)";
    return false;
  }
  return true;
}

} // namespace mcc::tools
