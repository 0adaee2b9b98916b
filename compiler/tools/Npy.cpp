//===- Npy.cpp - NumPy .npy read and write -----------------------------------===//

#include "TensorIOInternal.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <limits>

namespace mcc::tools {

using detail::checkedNumel;
using detail::readWholeFile;
using detail::writeWholeFile;

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
      {"f2", kFloat16}, {"e", kFloat16},    {"f4", kFloat},    {"f", kFloat},        {"f8", kDouble},
      {"d", kDouble},   {"i1", kInt8},      {"b", kInt8},      {"i2", kInt16},       {"h", kInt16},
      {"i4", kInt32},   {"i", kInt32},      {"i8", kInt64},    {"l", kInt64},        {"q", kInt64},
      {"u1", kUInt8},   {"B", kUInt8},      {"u2", kUInt16},   {"H", kUInt16},       {"u4", kUInt32},
      {"I", kUInt32},   {"u8", kUInt64},    {"L", kUInt64},    {"Q", kUInt64},       {"b1", kBool},
      {"?", kBool},     {"c8", kComplex64}, {"F", kComplex64}, {"c16", kComplex128}, {"D", kComplex128},
  };
  for (const auto &e : table) {
    if (code == e.code) {
      out.dtype = e.dtype;
      out.size = dtypeSize(e.dtype);
      if (order == '>' && out.size > 1) {
        why = "big-endian data ('" + descr +
              "') is not supported; convert it with "
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
  case kFloat:
    return "<f4";
  case kUInt8:
    return "|u1";
  case kInt8:
    return "|i1";
  case kUInt16:
    return "<u2";
  case kInt16:
    return "<i2";
  case kInt32:
    return "<i4";
  case kInt64:
    return "<i8";
  case kBool:
    return "|b1";
  case kFloat16:
    return "<f2";
  case kDouble:
    return "<f8";
  case kUInt32:
    return "<u4";
  case kUInt64:
    return "<u8";
  case kComplex64:
    return "<c8";
  case kComplex128:
    return "<c16";
  default:
    return nullptr;
  }
}

/// Reorders Fortran-order (column-major) bytes into C order.
static void fortranToC(const uint8_t *src, uint8_t *dst, const std::vector<int64_t> &shape, size_t elemSize,
                       int64_t numel) {
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
    std::memcpy(dst + static_cast<size_t>(c) * elemSize, src + static_cast<size_t>(f) * elemSize, elemSize);
    for (size_t i = rank; i-- > 0;) {
      if (++idx[i] < shape[i])
        break;
      idx[i] = 0;
    }
  }
}

bool parseNpy(std::string_view bytes, const std::string &name, HostTensor &out, std::string &error) {
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
    headerLen = static_cast<size_t>(u8(8)) | (static_cast<size_t>(u8(9)) << 8) | (static_cast<size_t>(u8(10)) << 16) |
                (static_cast<size_t>(u8(11)) << 24);
    headerStart = 12;
  } else {
    error = name + ": unsupported .npy format version " + std::to_string(major) + "." + std::to_string(minor);
    return false;
  }
  if (headerLen > bytes.size() - headerStart) {
    error = name + ": truncated .npy header (header length " + std::to_string(headerLen) + ", file has " +
            std::to_string(bytes.size()) + " bytes)";
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
    error = name + ": truncated .npy data (" + dtypeName(type.dtype) + shapeToString(shape) + " needs " +
            std::to_string(nbytes) + " bytes, file has " + std::to_string(avail) + ")";
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

static bool serializeNpyNamed(const HostTensor &t, const std::string &name, std::string &bytes, std::string &error) {
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
    error = name + ": tensor " + dtypeName(t.dtype) + shapeToString(t.shape) + " has " + std::to_string(t.data.size()) +
            " bytes of data, expected " + std::to_string(nbytes);
    return false;
  }
  std::string dict =
      std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': " + npyShapeTuple(t.shape) + ", }";
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

} // namespace mcc::tools
