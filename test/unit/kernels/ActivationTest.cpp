//===- ActivationTest.cpp - the polynomial activations against libm ----------------------------===//
#include "KernelTestUtil.h"

#include <limits>

using namespace mcc_test;

namespace {

// act(x) for every x, through a 1 x n x 1 GEMM (A = 1, B = x): the epilogue as the kernels run it.
std::vector<float> applyAct(const std::vector<float> &x, int32_t act, float alpha = 0, float beta = 0) {
  const int64_t n = static_cast<int64_t>(x.size());
  float one = 1.0f;
  std::vector<float> y(n);
  mcc_sgemm(1, 1, n, 1, &one, 0, 1, 1, x.data(), 0, n, 1, 0, y.data(), 0, n, nullptr, MCC_BIAS_NONE, nullptr, 0, 0, act,
            alpha, beta, nullptr);
  return y;
}

std::vector<float> grid(float lo, float hi, int n) {
  std::vector<float> x(n);
  for (int i = 0; i < n; ++i)
    x[i] = lo + (hi - lo) * i / (n - 1);
  return x;
}

// Max relative error where |want| >= floor, max absolute error elsewhere.
struct Err {
  double rel = 0, abs = 0;
};
Err measure(int32_t act, const std::vector<float> &x, double floor) {
  std::vector<float> y = applyAct(x, act);
  Err e;
  for (size_t i = 0; i < x.size(); ++i) {
    double want = refAct(x[i], act, 0, 0), d = std::fabs(y[i] - want);
    if (std::fabs(want) >= floor)
      e.rel = std::max(e.rel, d / std::fabs(want));
    else
      e.abs = std::max(e.abs, d);
  }
  return e;
}

TEST(Activation, Accuracy) {
  MCC_REQUIRE_ISA();
  std::vector<float> x = grid(-30.0f, 30.0f, 60001);
  for (float t : {1e-30f, 1e-7f, 1e-4f, 0.01f, 0.3f, 0.6f, 0.625f, 0.7f})
    x.push_back(t), x.push_back(-t);
  // Relative error bounds; measured worst cases (AVX-512 and SSE2 builds): sigmoid 1.5e-7,
  // SiLU 2e-7, tanh 1.4e-7, GELU-tanh 1.2e-5 (at x = -9), GELU-erf 1.6e-5 (at x = -11).
  Err e = measure(MCC_ACT_SIGMOID, x, 1e-30);
  EXPECT_LT(e.rel, 5e-7);
  e = measure(MCC_ACT_SILU, x, 1e-30);
  EXPECT_LT(e.rel, 5e-7);
  e = measure(MCC_ACT_TANH, x, 1e-30);
  EXPECT_LT(e.rel, 5e-7);
  // exp(-2u) with u ~ x^3 carries the float rounding of u, times |u|: ~1e-5 relative at x = -7.
  e = measure(MCC_ACT_GELU_TANH, x, 1e-30);
  EXPECT_LT(e.rel, 3e-5);
  // Both GELUs carry the float rounding of an argument ~x^2 (x^3) into exp: ~1e-5 far in the tail.
  e = measure(MCC_ACT_GELU_ERF, x, 1e-30);
  EXPECT_LT(e.rel, 3e-5);
}

TEST(Activation, ExpRange) {
  MCC_REQUIRE_ISA();
  // sigmoid(-x) = 1/(1+exp(x)) exercises exp up to overflow: exp(88.7) is finite, exp(88.8) is not.
  std::vector<float> x = grid(-103.0f, -80.0f, 2301);
  std::vector<float> y = applyAct(x, MCC_ACT_SIGMOID);
  for (size_t i = 0; i < x.size(); ++i) {
    double want = 1 / (1 + std::exp(-(double)x[i]));
    if (want > 1.2e-38) // normal floats: relative error
      EXPECT_NEAR(y[i] / want, 1.0, 3e-6) << "x=" << x[i];
    else
      EXPECT_NEAR(y[i], want, 1e-38) << "x=" << x[i];
  }
}

TEST(Activation, NanAndInfinity) {
  MCC_REQUIRE_ISA();
  const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
  std::vector<float> x = {nan, inf, -inf, 0.0f};
  struct Want {
    int32_t act;
    float pinf, ninf, zero;
  };
  const Want wants[] = {
      {MCC_ACT_RELU, inf, 0, 0},     {MCC_ACT_SIGMOID, 1, 0, 0.5f},       {MCC_ACT_TANH, 1, -1, 0},
      {MCC_ACT_SILU, inf, -0.0f, 0}, {MCC_ACT_HARD_SWISH, inf, -0.0f, 0}, {MCC_ACT_LEAKY_RELU, inf, -inf, 0}};
  for (const Want &w : wants) {
    std::vector<float> y = applyAct(x, w.act, 0.5f);
    EXPECT_TRUE(std::isnan(y[0])) << "act " << w.act;
    EXPECT_EQ(y[1], w.pinf) << "act " << w.act;
    if (w.act == MCC_ACT_SILU || w.act == MCC_ACT_HARD_SWISH)
      EXPECT_TRUE(std::isnan(y[2]) || y[2] == 0) << "act " << w.act; // -inf * 0
    else
      EXPECT_EQ(y[2], w.ninf) << "act " << w.act;
    EXPECT_EQ(y[3], w.zero) << "act " << w.act;
  }
  for (int32_t act : {MCC_ACT_CLIP, MCC_ACT_GELU_ERF, MCC_ACT_GELU_TANH, MCC_ACT_HARD_SIGMOID})
    EXPECT_TRUE(std::isnan(applyAct(x, act, 0.2f, 0.5f)[0])) << "act " << act;
}

} // namespace
