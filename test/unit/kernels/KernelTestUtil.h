//===- KernelTestUtil.h - shared helpers of the kernel tests ----------------------------------===//
#ifndef MCC_TEST_UNIT_KERNELS_KERNELTESTUTIL_H
#define MCC_TEST_UNIT_KERNELS_KERNELTESTUTIL_H

#include "mcc/kernels.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace mcc_test {

constexpr mcc_isa kIsa = MCC_TEST_ISA;

// A build for an ISA this CPU lacks would die of SIGILL: skip instead.
inline bool cpuHasIsa() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  switch (kIsa) {
  case MCC_ISA_AVX512:
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
  case MCC_ISA_AVX2:
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  default:
    return true;
  }
#else
  return true;
#endif
}
#define MCC_REQUIRE_ISA()                                                                                              \
  do {                                                                                                                 \
    if (!mcc_test::cpuHasIsa())                                                                                        \
      GTEST_SKIP() << "CPU lacks " MCC_TEST_ISA_NAME;                                                                  \
  } while (0)

inline std::vector<float> randomVector(size_t n, unsigned seed, float lo = -1.0f, float hi = 1.0f) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(lo, hi);
  std::vector<float> v(n);
  for (float &x : v)
    x = d(rng);
  return v;
}

inline double refAct(double v, int act, double alpha, double beta) {
  switch (act) {
  case MCC_ACT_RELU:
    return v < 0 ? 0 : v;
  case MCC_ACT_CLIP:
    return v < alpha ? alpha : v > beta ? beta : v;
  case MCC_ACT_LEAKY_RELU:
    return v < 0 ? alpha * v : v;
  case MCC_ACT_SIGMOID:
    return 1 / (1 + std::exp(-v));
  case MCC_ACT_HARD_SIGMOID:
    return std::fmax(0, std::fmin(1, alpha * v + beta));
  case MCC_ACT_HARD_SWISH:
    return v * std::fmax(0, std::fmin(1, v / 6 + 0.5));
  case MCC_ACT_SILU:
    return v / (1 + std::exp(-v));
  // The GELUs in forms without cancellation, so the reference stays exact for negative v.
  case MCC_ACT_GELU_ERF:
    return 0.5 * v * std::erfc(-v / std::sqrt(2.0));
  case MCC_ACT_GELU_TANH:
    return v / (1 + std::exp(-2 * std::sqrt(2 / M_PI) * (v + 0.044715 * v * v * v)));
  case MCC_ACT_TANH:
    return std::tanh(v);
  default:
    return v;
  }
}

// Scratch with a guard zone behind it: a kernel that writes past its scratch size fails the test.
struct GuardedBuffer {
  static constexpr size_t kGuard = 64;
  std::vector<float> data;
  size_t size;
  explicit GuardedBuffer(int64_t n) : data(static_cast<size_t>(n) + kGuard, 12345.0f), size(n) {}
  float *get() { return size ? data.data() : nullptr; }
  bool guardIntact() const {
    for (size_t i = size; i < data.size(); ++i)
      if (data[i] != 12345.0f)
        return false;
    return true;
  }
};

} // namespace mcc_test

#endif
