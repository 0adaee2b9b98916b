//===- TensorIO.cpp - host tensors: .npy / ONNX TensorProto I/O, comparison -===//

#include "TensorIO.h"

#include <onnx/onnx_pb.h>

// SequenceProto, OptionalProto; after onnx_pb.h, which defines ONNX_API
#include <onnx/onnx-data.pb.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "TensorIO assumes a little-endian host"
#endif

namespace mcc::tools {

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
  case kUndefined: return "undefined";
  case kFloat: return "float32";
  case kUInt8: return "uint8";
  case kInt8: return "int8";
  case kUInt16: return "uint16";
  case kInt16: return "int16";
  case kInt32: return "int32";
  case kInt64: return "int64";
  case kString: return "string";
  case kBool: return "bool";
  case kFloat16: return "float16";
  case kDouble: return "float64";
  case kUInt32: return "uint32";
  case kUInt64: return "uint64";
  case kComplex64: return "complex64";
  case kComplex128: return "complex128";
  case kBFloat16: return "bfloat16";
  case 17: return "float8e4m3fn";
  case 18: return "float8e4m3fnuz";
  case 19: return "float8e5m2";
  case 20: return "float8e5m2fnuz";
  case 21: return "uint4";
  case 22: return "int4";
  case 23: return "float4e2m1";
  default: return "dtype(" + std::to_string(dtype) + ")";
  }
}

size_t dtypeSize(int32_t dtype) {
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
  return dtype == kFloat || dtype == kDouble || dtype == kFloat16 || dtype == kBFloat16;
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

template <typename T> static T loadAt(const HostTensor &t, int64_t i) {
  T v;
  std::memcpy(&v, t.data.data() + static_cast<size_t>(i) * sizeof(T), sizeof(T));
  return v;
}

double elementAsDouble(const HostTensor &t, int64_t i) {
  if (i < 0 || t.dtype == kString || static_cast<size_t>(i + 1) * dtypeSize(t.dtype) > t.data.size())
    return 0;
  switch (t.dtype) {
  case kFloat: return loadAt<float>(t, i);
  case kDouble: return loadAt<double>(t, i);
  case kFloat16: return halfToDouble(loadAt<uint16_t>(t, i));
  case kBFloat16: return bfloat16ToDouble(loadAt<uint16_t>(t, i));
  case kUInt8: return loadAt<uint8_t>(t, i);
  case kInt8: return loadAt<int8_t>(t, i);
  case kBool: return loadAt<uint8_t>(t, i) ? 1 : 0;
  case kUInt16: return loadAt<uint16_t>(t, i);
  case kInt16: return loadAt<int16_t>(t, i);
  case kInt32: return loadAt<int32_t>(t, i);
  case kUInt32: return loadAt<uint32_t>(t, i);
  case kInt64: return static_cast<double>(loadAt<int64_t>(t, i));
  case kUInt64: return static_cast<double>(loadAt<uint64_t>(t, i));
  case kComplex64: return loadAt<float>(t, 2 * i);
  case kComplex128: return loadAt<double>(t, 2 * i);
  default: return 0;
  }
}

//===----------------------------------------------------------------------===//
// files
//===----------------------------------------------------------------------===//

static bool readWholeFile(const std::string &path, std::string &bytes, std::string &error) {
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

static bool writeWholeFile(const std::string &path, const std::string &bytes, std::string &error) {
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

/// numel with overflow / negative checks; false if the shape is not representable.
static bool checkedNumel(const std::vector<int64_t> &shape, size_t elemSize, int64_t &numel,
                         size_t &bytes) {
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

//===----------------------------------------------------------------------===//
// .npy
//===----------------------------------------------------------------------===//

namespace {

/// Minimal parser for the Python dict literal in a .npy header.
class NpyHeaderParser {
public:
  explicit NpyHeaderParser(std::string_view s) : s(s) {}

  bool parse(std::string &descr, bool &fortran, std::vector<int64_t> &shape, std::string &why) {
    bool haveDescr = false, haveFortran = false, haveShape = false;
    skipWs();
    if (!eat('{'))
      return fail("expected '{'", why);
    while (true) {
      skipWs();
      if (eat('}'))
        break;
      std::string key;
      if (!parseString(key))
        return fail("expected a quoted key", why);
      skipWs();
      if (!eat(':'))
        return fail("expected ':' after '" + key + "'", why);
      skipWs();
      if (key == "descr") {
        if (peek() == '[')
          return fail("structured dtypes are not supported", why);
        if (!parseString(descr))
          return fail("'descr' is not a string", why);
        haveDescr = true;
      } else if (key == "fortran_order") {
        if (eatWord("True"))
          fortran = true;
        else if (eatWord("False"))
          fortran = false;
        else
          return fail("'fortran_order' is not True/False", why);
        haveFortran = true;
      } else if (key == "shape") {
        if (!parseShape(shape))
          return fail("'shape' is not a tuple of non-negative integers", why);
        haveShape = true;
      } else {
        return fail("unexpected key '" + key + "'", why);
      }
      skipWs();
      if (eat(','))
        continue;
      skipWs();
      if (eat('}'))
        break;
      return fail("expected ',' or '}'", why);
    }
    if (!haveDescr || !haveFortran || !haveShape)
      return fail("missing 'descr', 'fortran_order' or 'shape'", why);
    return true;
  }

private:
  std::string_view s;
  size_t p = 0;

  static bool fail(const std::string &msg, std::string &why) {
    why = msg;
    return false;
  }
  char peek() const { return p < s.size() ? s[p] : '\0'; }
  bool eat(char c) {
    if (peek() != c)
      return false;
    ++p;
    return true;
  }
  bool eatWord(std::string_view w) {
    if (s.substr(p, w.size()) != w)
      return false;
    p += w.size();
    return true;
  }
  void skipWs() {
    while (p < s.size() && (s[p] == ' ' || s[p] == '\t' || s[p] == '\n' || s[p] == '\r'))
      ++p;
  }
  bool parseString(std::string &out) {
    char q = peek();
    if (q != '\'' && q != '"')
      return false;
    ++p;
    out.clear();
    while (p < s.size() && s[p] != q)
      out += s[p++];
    return eat(q);
  }
  bool parseInt(int64_t &v) {
    size_t start = p;
    v = 0;
    while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
      if (v > (std::numeric_limits<int64_t>::max() - 9) / 10)
        return false;
      v = v * 10 + (s[p++] - '0');
    }
    if (p == start)
      return false;
    eat('L'); // Python 2 long suffix
    return true;
  }
  bool parseShape(std::vector<int64_t> &shape) {
    shape.clear();
    if (!eat('('))
      return false;
    while (true) {
      skipWs();
      if (eat(')'))
        return true;
      int64_t v;
      if (!parseInt(v))
        return false;
      shape.push_back(v);
      skipWs();
      if (eat(','))
        continue;
      skipWs();
      return eat(')');
    }
  }
};

struct NpyType {
  int32_t dtype;
  size_t size;
};

} // namespace

/// Maps a .npy descr ('<f4', '|b1', '<e', ...) to an ONNX dtype; false + reason if unsupported.
static bool npyDescrToDType(const std::string &descr, NpyType &out, std::string &why) {
  if (descr.empty()) {
    why = "empty dtype descr";
    return false;
  }
  char order = descr[0];
  std::string code = descr;
  if (order == '<' || order == '>' || order == '|' || order == '=')
    code = descr.substr(1);
  else
    order = '=';
  static const struct {
    const char *code;
    int32_t dtype;
  } table[] = {
      {"f2", kFloat16}, {"e", kFloat16},   {"f4", kFloat},      {"f", kFloat},
      {"f8", kDouble},  {"d", kDouble},    {"i1", kInt8},       {"b", kInt8},
      {"i2", kInt16},   {"h", kInt16},     {"i4", kInt32},      {"i", kInt32},
      {"i8", kInt64},   {"l", kInt64},     {"q", kInt64},       {"u1", kUInt8},
      {"B", kUInt8},    {"u2", kUInt16},   {"H", kUInt16},      {"u4", kUInt32},
      {"I", kUInt32},   {"u8", kUInt64},   {"L", kUInt64},      {"Q", kUInt64},
      {"b1", kBool},    {"?", kBool},      {"c8", kComplex64},  {"F", kComplex64},
      {"c16", kComplex128}, {"D", kComplex128},
  };
  for (const auto &e : table) {
    if (code == e.code) {
      out.dtype = e.dtype;
      out.size = dtypeSize(e.dtype);
      if (order == '>' && out.size > 1) {
        why = "big-endian data ('" + descr + "') is not supported; convert it with "
              "a.astype(a.dtype.newbyteorder('<'))";
        return false;
      }
      return true;
    }
  }
  char kind = code.empty() ? '?' : code[0];
  if (kind == 'U' || kind == 'S' || kind == 'a')
    why = "string dtype '" + descr + "' is not supported";
  else if (kind == 'O')
    why = "object arrays ('" + descr + "') are not supported";
  else
    why = "unsupported dtype '" + descr + "'";
  return false;
}

static const char *npyDescrFor(int32_t dtype) {
  switch (dtype) {
  case kFloat: return "<f4";
  case kUInt8: return "|u1";
  case kInt8: return "|i1";
  case kUInt16: return "<u2";
  case kInt16: return "<i2";
  case kInt32: return "<i4";
  case kInt64: return "<i8";
  case kBool: return "|b1";
  case kFloat16: return "<f2";
  case kDouble: return "<f8";
  case kUInt32: return "<u4";
  case kUInt64: return "<u8";
  case kComplex64: return "<c8";
  case kComplex128: return "<c16";
  default: return nullptr;
  }
}

/// Reorders Fortran-order (column-major) bytes into C order.
static void fortranToC(const uint8_t *src, uint8_t *dst, const std::vector<int64_t> &shape,
                       size_t elemSize, int64_t numel) {
  size_t rank = shape.size();
  std::vector<int64_t> fstride(rank), idx(rank, 0);
  int64_t s = 1;
  for (size_t i = 0; i < rank; ++i) {
    fstride[i] = s;
    s *= shape[i];
  }
  for (int64_t c = 0; c < numel; ++c) {
    int64_t f = 0;
    for (size_t i = 0; i < rank; ++i)
      f += idx[i] * fstride[i];
    std::memcpy(dst + static_cast<size_t>(c) * elemSize, src + static_cast<size_t>(f) * elemSize,
                elemSize);
    for (size_t i = rank; i-- > 0;) {
      if (++idx[i] < shape[i])
        break;
      idx[i] = 0;
    }
  }
}

bool parseNpy(std::string_view bytes, const std::string &name, HostTensor &out,
              std::string &error) {
  static const char magic[] = "\x93NUMPY";
  if (bytes.size() < 6 || bytes.substr(0, 6) != std::string_view(magic, 6)) {
    error = name + ": not a .npy file (bad magic)";
    return false;
  }
  if (bytes.size() < 10) {
    error = name + ": truncated .npy header";
    return false;
  }
  auto u8 = [&](size_t i) { return static_cast<uint8_t>(bytes[i]); };
  unsigned major = u8(6), minor = u8(7);
  size_t headerLen, headerStart;
  if (major == 1) {
    headerLen = u8(8) | (u8(9) << 8);
    headerStart = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) {
      error = name + ": truncated .npy header";
      return false;
    }
    headerLen = static_cast<size_t>(u8(8)) | (static_cast<size_t>(u8(9)) << 8) |
                (static_cast<size_t>(u8(10)) << 16) | (static_cast<size_t>(u8(11)) << 24);
    headerStart = 12;
  } else {
    error = name + ": unsupported .npy format version " + std::to_string(major) + "." +
            std::to_string(minor);
    return false;
  }
  if (headerLen > bytes.size() - headerStart) {
    error = name + ": truncated .npy header (header length " + std::to_string(headerLen) +
            ", file has " + std::to_string(bytes.size()) + " bytes)";
    return false;
  }
  std::string descr, why;
  bool fortran = false;
  std::vector<int64_t> shape;
  NpyHeaderParser parser(bytes.substr(headerStart, headerLen));
  if (!parser.parse(descr, fortran, shape, why)) {
    error = name + ": malformed .npy header: " + why;
    return false;
  }
  NpyType type{kUndefined, 0};
  if (!npyDescrToDType(descr, type, why)) {
    error = name + ": " + why;
    return false;
  }
  int64_t numel;
  size_t nbytes;
  if (!checkedNumel(shape, type.size, numel, nbytes)) {
    error = name + ": .npy shape " + shapeToString(shape) + " is too large";
    return false;
  }
  size_t dataStart = headerStart + headerLen;
  size_t avail = bytes.size() - dataStart;
  if (avail < nbytes) {
    error = name + ": truncated .npy data (" + dtypeName(type.dtype) + shapeToString(shape) +
            " needs " + std::to_string(nbytes) + " bytes, file has " + std::to_string(avail) + ")";
    return false;
  }
  HostTensor t;
  t.dtype = type.dtype;
  t.shape = shape;
  t.data.resize(nbytes);
  const uint8_t *src = reinterpret_cast<const uint8_t *>(bytes.data()) + dataStart;
  if (fortran && shape.size() > 1)
    fortranToC(src, t.data.data(), shape, type.size, numel);
  else if (nbytes)
    std::memcpy(t.data.data(), src, nbytes);
  if (t.dtype == kBool)
    for (uint8_t &b : t.data)
      b = b ? 1 : 0;
  out = std::move(t);
  return true;
}

bool readNpy(const std::string &path, HostTensor &out, std::string &error) {
  std::string bytes;
  if (!readWholeFile(path, bytes, error))
    return false;
  return parseNpy(bytes, path, out, error);
}

static std::string npyShapeTuple(const std::vector<int64_t> &shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      s += ", ";
    s += std::to_string(shape[i]);
  }
  if (shape.size() == 1)
    s += ",";
  return s + ")";
}

static bool serializeNpyNamed(const HostTensor &t, const std::string &name, std::string &bytes,
                              std::string &error) {
  const char *descr = npyDescrFor(t.dtype);
  if (!descr) {
    error = name + ": cannot write a " + dtypeName(t.dtype) + " tensor as .npy (NumPy has no such dtype)";
    return false;
  }
  int64_t numel;
  size_t nbytes;
  if (!checkedNumel(t.shape, dtypeSize(t.dtype), numel, nbytes)) {
    error = name + ": invalid shape " + shapeToString(t.shape);
    return false;
  }
  if (t.data.size() != nbytes) {
    error = name + ": tensor " + dtypeName(t.dtype) + shapeToString(t.shape) + " has " +
            std::to_string(t.data.size()) + " bytes of data, expected " + std::to_string(nbytes);
    return false;
  }
  std::string dict = std::string("{'descr': '") + descr +
                     "', 'fortran_order': False, 'shape': " + npyShapeTuple(t.shape) + ", }";
  // Laid out byte for byte as numpy.save does: room for the first axis to grow to 21 digits, then
  // spaces so that magic(6) + version(2) + length(2 or 4) + header + '\n' is a multiple of 64
  // (NumPy adds a full 64 when it already is).
  if (!t.shape.empty()) {
    size_t digits = std::to_string(t.shape[0]).size();
    if (digits < 21)
      dict.append(21 - digits, ' ');
  }
  size_t pre = 10;
  size_t pad = 64 - (pre + dict.size() + 1) % 64;
  if (dict.size() + 1 + pad > 65535) {
    pre = 12;
    pad = 64 - (pre + dict.size() + 1) % 64;
  }
  dict.append(pad, ' ');
  dict += '\n';
  size_t hlen = dict.size();
  bytes.clear();
  bytes.reserve(pre + hlen + nbytes);
  bytes.append("\x93NUMPY", 6);
  if (pre == 10) {
    bytes += static_cast<char>(1);
    bytes += static_cast<char>(0);
    bytes += static_cast<char>(hlen & 0xff);
    bytes += static_cast<char>((hlen >> 8) & 0xff);
  } else {
    bytes += static_cast<char>(2);
    bytes += static_cast<char>(0);
    for (int i = 0; i < 4; ++i)
      bytes += static_cast<char>((hlen >> (8 * i)) & 0xff);
  }
  bytes += dict;
  if (t.dtype == kBool) {
    for (uint8_t b : t.data)
      bytes += static_cast<char>(b ? 1 : 0);
  } else {
    bytes.append(reinterpret_cast<const char *>(t.data.data()), t.data.size());
  }
  return true;
}

bool serializeNpy(const HostTensor &t, std::string &bytes, std::string &error) {
  return serializeNpyNamed(t, "tensor", bytes, error);
}

bool writeNpy(const std::string &path, const HostTensor &t, std::string &error) {
  std::string bytes;
  if (!serializeNpyNamed(t, path, bytes, error))
    return false;
  return writeWholeFile(path, bytes, error);
}

//===----------------------------------------------------------------------===//
// ONNX TensorProto
//===----------------------------------------------------------------------===//

template <typename Dst, typename Field>
static void convertInto(std::vector<uint8_t> &data, const Field &field) {
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
  static const char *const kinds[] = {"undefined", "tensor", "sparse tensor", "sequence", "map",
                                      "optional"};
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

static bool parseTensorProtoImpl(std::string_view bytes, const std::string &name, HostTensor &out,
                                 std::string &error);

bool parseTensorProto(std::string_view bytes, const std::string &name, HostTensor &out,
                      std::string &error) {
  if (parseTensorProtoImpl(bytes, name, out, error))
    return true;
  std::string what;
  if (!bytes.empty() && bytes.size() <= static_cast<size_t>(std::numeric_limits<int>::max()) &&
      describeNonTensor(bytes, what))
    error = name + ": not a TensorProto but " + what + "; only tensor values are supported";
  return false;
}

static bool parseTensorProtoImpl(std::string_view bytes, const std::string &name, HostTensor &out,
                                 std::string &error) {
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
  if (dtype != kString && (elemSize == 0 || dtype > kBFloat16)) {
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

  if (tp.has_raw_data()) {
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
        error = name + ": " + what + " needs " + std::to_string(want) + " values, " + field +
                " has " + std::to_string(have);
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

//===----------------------------------------------------------------------===//
// comparison
//===----------------------------------------------------------------------===//

static std::string fmt(const char *f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), f, v);
  return buf;
}

static std::string indexString(const std::vector<int64_t> &shape, int64_t index) {
  std::string s = "index " + std::to_string(index);
  if (shape.size() >= 2) {
    std::vector<int64_t> coord(shape.size());
    int64_t r = index;
    for (size_t i = shape.size(); i-- > 0;) {
      coord[i] = shape[i] ? r % shape[i] : 0;
      r = shape[i] ? r / shape[i] : 0;
    }
    s += " " + shapeToString(coord);
  }
  return s;
}

static std::string quoteString(const std::string &s) {
  std::string q = "\"";
  for (size_t i = 0; i < s.size() && i < 64; ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      q += '\\';
      q += static_cast<char>(c);
    } else if (c < 32 || c >= 127) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\x%02x", c);
      q += buf;
    } else {
      q += static_cast<char>(c);
    }
  }
  if (s.size() > 64)
    q += "...";
  return q + "\"";
}

/// Exact integer value of element i (for exact comparison and printing).
static bool integerAt(const HostTensor &t, int64_t i, int64_t &sv, uint64_t &uv, bool &isUnsigned) {
  isUnsigned = false;
  switch (t.dtype) {
  case kInt8: sv = loadAt<int8_t>(t, i); return true;
  case kInt16: sv = loadAt<int16_t>(t, i); return true;
  case kInt32: sv = loadAt<int32_t>(t, i); return true;
  case kInt64: sv = loadAt<int64_t>(t, i); return true;
  case kBool: sv = loadAt<uint8_t>(t, i) ? 1 : 0; return true;
  case kUInt8: uv = loadAt<uint8_t>(t, i); isUnsigned = true; return true;
  case kUInt16: uv = loadAt<uint16_t>(t, i); isUnsigned = true; return true;
  case kUInt32: uv = loadAt<uint32_t>(t, i); isUnsigned = true; return true;
  case kUInt64: uv = loadAt<uint64_t>(t, i); isUnsigned = true; return true;
  default: return false;
  }
}

static std::string integerString(const HostTensor &t, int64_t i) {
  int64_t sv = 0;
  uint64_t uv = 0;
  bool isUnsigned;
  integerAt(t, i, sv, uv, isUnsigned);
  if (t.dtype == kBool)
    return sv ? "true" : "false";
  return isUnsigned ? std::to_string(uv) : std::to_string(sv);
}

/// Component c of a floating tensor (complex: 2 components per element).
static double floatComponent(const HostTensor &t, int64_t c) {
  switch (t.dtype) {
  case kFloat:
  case kComplex64:
    return loadAt<float>(t, c);
  case kDouble:
  case kComplex128:
    return loadAt<double>(t, c);
  case kFloat16:
    return halfToDouble(loadAt<uint16_t>(t, c));
  case kBFloat16:
    return bfloat16ToDouble(loadAt<uint16_t>(t, c));
  default:
    return 0;
  }
}

CompareResult compareTensors(const HostTensor &actual, const HostTensor &expected, double rtol,
                             double atol) {
  CompareResult r;
  const std::string tolStr = "rtol " + fmt("%g", rtol) + " atol " + fmt("%g", atol);
  if (actual.dtype != expected.dtype) {
    r.message = "dtype mismatch: actual " + dtypeName(actual.dtype) + ", expected " +
                dtypeName(expected.dtype);
    return r;
  }
  if (actual.shape != expected.shape) {
    r.message = "shape mismatch: actual " + shapeToString(actual.shape) + ", expected " +
                shapeToString(expected.shape);
    return r;
  }
  const int32_t dtype = actual.dtype;
  const int64_t n = expected.numel();
  const std::string what = dtypeName(dtype) + shapeToString(expected.shape);
  if (dtype == kString) {
    if (actual.strings.size() != static_cast<size_t>(n) ||
        expected.strings.size() != static_cast<size_t>(n)) {
      r.message = "malformed string tensor: " + what + " with " + std::to_string(actual.strings.size()) +
                  " actual / " + std::to_string(expected.strings.size()) + " expected strings";
      return r;
    }
  } else {
    if (dtypeSize(dtype) == 0) {
      r.message = "cannot compare tensors of dtype " + dtypeName(dtype);
      return r;
    }
    size_t nbytes = expected.byteSize();
    if (actual.data.size() != nbytes || expected.data.size() != nbytes) {
      r.message = "malformed tensor: " + what + " needs " + std::to_string(nbytes) +
                  " bytes, actual has " + std::to_string(actual.data.size()) + ", expected has " +
                  std::to_string(expected.data.size());
      return r;
    }
  }

  const bool isComplex = dtype == kComplex64 || dtype == kComplex128;
  if (isFloatDType(dtype) || isComplex) {
    const int64_t comps = isComplex ? 2 : 1;
    const double inf = std::numeric_limits<double>::infinity();
    int64_t worstMis = -1, worstAll = -1;
    double worstExcess = -1, worstMisAbs = -1, worstAllAbs = -1;
    for (int64_t c = 0; c < n * comps; ++c) {
      double a = floatComponent(actual, c), e = floatComponent(expected, c);
      bool match;
      double absErr;
      if (std::isnan(e) || std::isnan(a)) {
        match = std::isnan(e) && std::isnan(a);
        absErr = match ? 0 : inf;
      } else if (std::isinf(e) || std::isinf(a)) {
        match = a == e;
        absErr = match ? 0 : inf;
      } else {
        absErr = std::fabs(a - e);
        match = absErr <= atol + rtol * std::fabs(e);
      }
      if (std::isfinite(e) && e != 0) {
        double rel = absErr / std::fabs(e);
        if (rel > r.maxRelErr)
          r.maxRelErr = rel;
      }
      if (absErr > r.maxAbsErr)
        r.maxAbsErr = absErr;
      if (absErr > worstAllAbs) {
        worstAllAbs = absErr;
        worstAll = c;
      }
      if (!match) {
        ++r.mismatches;
        double tol = atol + rtol * (std::isfinite(e) ? std::fabs(e) : 0);
        double excess = tol > 0 ? absErr / tol : inf;
        if (excess > worstExcess || (excess == worstExcess && absErr > worstMisAbs)) {
          worstExcess = excess;
          worstMisAbs = absErr;
          worstMis = c;
        }
      }
    }
    int64_t worstComp = r.mismatches ? worstMis : worstAll;
    r.worstIndex = worstComp < 0 ? -1 : worstComp / comps;
    std::string where;
    if (worstComp >= 0) {
      double a = floatComponent(actual, worstComp), e = floatComponent(expected, worstComp);
      double absErr = (std::isnan(a) && std::isnan(e)) || (std::isinf(a) && a == e) ? 0 : std::fabs(a - e);
      if (std::isnan(a) != std::isnan(e))
        absErr = inf;
      where = "abs error " + fmt("%.3g", absErr) + " at " + indexString(expected.shape, r.worstIndex) +
              (isComplex ? (worstComp % 2 ? " (imag)" : " (real)") : "") + " (actual " +
              fmt("%.8g", a) + ", expected " + fmt("%.8g", e) + ")";
    }
    if (r.mismatches) {
      r.ok = false;
      r.message = std::to_string(r.mismatches) + " of " + std::to_string(n * comps) + " " +
                  (isComplex ? "components" : "elements") + " of " + what + " differ; worst: " + where +
                  "; max abs error " + fmt("%.3g", r.maxAbsErr) + ", max rel error " +
                  fmt("%.3g", r.maxRelErr) + "; " + tolStr;
    } else {
      r.ok = true;
      r.message = "ok: " + std::to_string(n) + " elements of " + what + " match; max " +
                  (where.empty() ? std::string("abs error 0") : where) + ", max rel error " +
                  fmt("%.3g", r.maxRelErr) + "; " + tolStr;
    }
    return r;
  }

  if (dtype == kString) {
    int64_t first = -1;
    for (int64_t i = 0; i < n; ++i) {
      if (actual.strings[i] != expected.strings[i]) {
        ++r.mismatches;
        if (first < 0)
          first = i;
      }
    }
    r.worstIndex = first;
    if (r.mismatches) {
      r.message = std::to_string(r.mismatches) + " of " + std::to_string(n) + " strings of " + what +
                  " differ; first at " + indexString(expected.shape, first) + " (actual " +
                  quoteString(actual.strings[first]) + ", expected " +
                  quoteString(expected.strings[first]) + ")";
    } else {
      r.ok = true;
      r.message = "ok: " + std::to_string(n) + " strings of " + what + " are equal";
    }
    return r;
  }

  // integers and bools: exact
  int64_t worst = -1;
  double worstAbs = -1;
  for (int64_t i = 0; i < n; ++i) {
    int64_t sa = 0, se = 0;
    uint64_t ua = 0, ue = 0;
    bool uns;
    integerAt(actual, i, sa, ua, uns);
    integerAt(expected, i, se, ue, uns);
    bool equal = uns ? ua == ue : sa == se;
    if (equal)
      continue;
    ++r.mismatches;
    double absErr = uns ? (ua > ue ? static_cast<double>(ua - ue) : static_cast<double>(ue - ua))
                        : std::fabs(static_cast<double>(sa) - static_cast<double>(se));
    if (!uns && se != 0)
      r.maxRelErr = std::max(r.maxRelErr, absErr / std::fabs(static_cast<double>(se)));
    if (uns && ue != 0)
      r.maxRelErr = std::max(r.maxRelErr, absErr / static_cast<double>(ue));
    r.maxAbsErr = std::max(r.maxAbsErr, absErr);
    if (absErr > worstAbs) {
      worstAbs = absErr;
      worst = i;
    }
  }
  r.worstIndex = worst;
  if (r.mismatches) {
    r.message = std::to_string(r.mismatches) + " of " + std::to_string(n) + " elements of " + what +
                " differ (compared exactly); worst: " +
                (dtype == kBool ? std::string() : "abs error " + fmt("%.17g", worstAbs) + " ") + "at " +
                indexString(expected.shape, worst) + " (actual " + integerString(actual, worst) +
                ", expected " + integerString(expected, worst) + ")";
  } else {
    r.ok = true;
    r.message = "ok: " + std::to_string(n) + " elements of " + what + " are equal";
  }
  return r;
}

} // namespace mcc::tools
