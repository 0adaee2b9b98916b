//===- TensorIOInternal.h - helpers shared by the TensorIO files -*- C++ -*-===//
#ifndef MCC_TOOLS_TENSORIOINTERNAL_H
#define MCC_TOOLS_TENSORIOINTERNAL_H

#include "TensorIO.h"

#include <cstring>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "TensorIO assumes a little-endian host"
#endif

namespace mcc::tools::detail {

/// Reads/writes a whole file; false with `error` naming the file.
bool readWholeFile(const std::string &path, std::string &bytes, std::string &error);
bool writeWholeFile(const std::string &path, const std::string &bytes, std::string &error);
/// numel (and its size in bytes) with overflow / negative checks; false if the shape is not
/// representable.
bool checkedNumel(const std::vector<int64_t> &shape, size_t elemSize, int64_t &numel, size_t &bytes);

/// Element `i` of `t`'s raw data as a `T`.
template <typename T> T loadAt(const HostTensor &t, int64_t i) {
  T v;
  std::memcpy(&v, t.data.data() + static_cast<size_t>(i) * sizeof(T), sizeof(T));
  return v;
}

} // namespace mcc::tools::detail

#endif
