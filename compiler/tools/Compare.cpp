//===- Compare.cpp - ONNX-backend-style tensor comparison --------------------===//

#include "TensorIOInternal.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>

namespace mcc::tools {

using detail::loadAt;

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
  case kInt4:
  case kInt2:
    sv = narrowIntAt(t, i);
    return true;
  case kUInt4:
  case kUInt2:
    uv = static_cast<uint64_t>(narrowIntAt(t, i));
    isUnsigned = true;
    return true;
  case kInt8:
    sv = loadAt<int8_t>(t, i);
    return true;
  case kInt16:
    sv = loadAt<int16_t>(t, i);
    return true;
  case kInt32:
    sv = loadAt<int32_t>(t, i);
    return true;
  case kInt64:
    sv = loadAt<int64_t>(t, i);
    return true;
  case kBool:
    sv = loadAt<uint8_t>(t, i) ? 1 : 0;
    return true;
  case kUInt8:
    uv = loadAt<uint8_t>(t, i);
    isUnsigned = true;
    return true;
  case kUInt16:
    uv = loadAt<uint16_t>(t, i);
    isUnsigned = true;
    return true;
  case kUInt32:
    uv = loadAt<uint32_t>(t, i);
    isUnsigned = true;
    return true;
  case kUInt64:
    uv = loadAt<uint64_t>(t, i);
    isUnsigned = true;
    return true;
  default:
    return false;
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
  case kFloat8E4M3FN:
  case kFloat8E4M3FNUZ:
  case kFloat8E5M2:
  case kFloat8E5M2FNUZ:
    return float8ToDouble(t.dtype, loadAt<uint8_t>(t, c));
  case kFloat4E2M1:
    return float4ToDouble(loadAt<uint8_t>(t, c));
  default:
    return 0;
  }
}

CompareResult compareTensors(const HostTensor &actual, const HostTensor &expected, double rtol, double atol) {
  CompareResult r;
  const std::string tolStr = "rtol " + fmt("%g", rtol) + " atol " + fmt("%g", atol);
  if (actual.dtype != expected.dtype) {
    r.message = "dtype mismatch: actual " + dtypeName(actual.dtype) + ", expected " + dtypeName(expected.dtype);
    return r;
  }
  if (actual.shape != expected.shape) {
    r.message = "shape mismatch: actual " + shapeToString(actual.shape) + ", expected " + shapeToString(expected.shape);
    return r;
  }
  const int32_t dtype = actual.dtype;
  const int64_t n = expected.numel();
  const std::string what = dtypeName(dtype) + shapeToString(expected.shape);
  if (dtype == kString) {
    if (actual.strings.size() != static_cast<size_t>(n) || expected.strings.size() != static_cast<size_t>(n)) {
      r.message = "malformed string tensor: " + what + " with " + std::to_string(actual.strings.size()) + " actual / " +
                  std::to_string(expected.strings.size()) + " expected strings";
      return r;
    }
  } else {
    if (dtypeSize(dtype) == 0) {
      r.message = "cannot compare tensors of dtype " + dtypeName(dtype);
      return r;
    }
    size_t nbytes = expected.byteSize();
    if (actual.data.size() != nbytes || expected.data.size() != nbytes) {
      r.message = "malformed tensor: " + what + " needs " + std::to_string(nbytes) + " bytes, actual has " +
                  std::to_string(actual.data.size()) + ", expected has " + std::to_string(expected.data.size());
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
              (isComplex ? (worstComp % 2 ? " (imag)" : " (real)") : "") + " (actual " + fmt("%.8g", a) +
              ", expected " + fmt("%.8g", e) + ")";
    }
    if (r.mismatches) {
      r.ok = false;
      r.message = std::to_string(r.mismatches) + " of " + std::to_string(n * comps) + " " +
                  (isComplex ? "components" : "elements") + " of " + what + " differ; worst: " + where +
                  "; max abs error " + fmt("%.3g", r.maxAbsErr) + ", max rel error " + fmt("%.3g", r.maxRelErr) + "; " +
                  tolStr;
    } else {
      r.ok = true;
      r.message = "ok: " + std::to_string(n) + " elements of " + what + " match; max " +
                  (where.empty() ? std::string("abs error 0") : where) + ", max rel error " + fmt("%.3g", r.maxRelErr) +
                  "; " + tolStr;
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
                  quoteString(actual.strings[first]) + ", expected " + quoteString(expected.strings[first]) + ")";
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
                indexString(expected.shape, worst) + " (actual " + integerString(actual, worst) + ", expected " +
                integerString(expected, worst) + ")";
  } else {
    r.ok = true;
    r.message = "ok: " + std::to_string(n) + " elements of " + what + " are equal";
  }
  return r;
}

} // namespace mcc::tools
