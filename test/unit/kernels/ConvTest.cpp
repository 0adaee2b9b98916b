//===- ConvTest.cpp - mcc_conv2d against a direct 7-loop convolution ----------------------------===//
#include "KernelTestUtil.h"

#include <string>

using namespace mcc_test;

namespace {

struct ConvCase {
  int64_t N, C, H, W, M, KH, KW, group, sh, sw, dh, dw, pt, pl, pb, pr;
  bool bias = true, residual = false;
  int32_t act = MCC_ACT_NONE;
  float alpha = 0.1f, beta = 0.0f;
};

std::string describe(const ConvCase &c) {
  char buf[256];
  snprintf(buf, sizeof buf,
           "N%ld C%ld H%ld W%ld M%ld k%ldx%ld g%ld s%ld,%ld d%ld,%ld pads %ld,%ld,%ld,%ld act %d res %d", (long)c.N,
           (long)c.C, (long)c.H, (long)c.W, (long)c.M, (long)c.KH, (long)c.KW, (long)c.group, (long)c.sh, (long)c.sw,
           (long)c.dh, (long)c.dw, (long)c.pt, (long)c.pl, (long)c.pb, (long)c.pr, c.act, c.residual);
  return buf;
}

void runConv(const ConvCase &c) {
  SCOPED_TRACE(describe(c));
  const int64_t OH = (c.H + c.pt + c.pb - (c.dh * (c.KH - 1) + 1)) / c.sh + 1;
  const int64_t OW = (c.W + c.pl + c.pr - (c.dw * (c.KW - 1) + 1)) / c.sw + 1;
  ASSERT_GT(OH, 0);
  ASSERT_GT(OW, 0);
  const int64_t Cg = c.C / c.group, Mg = c.M / c.group;
  std::vector<float> X = randomVector(c.N * c.C * c.H * c.W, 11);
  std::vector<float> Wt = randomVector(c.M * Cg * c.KH * c.KW, 12);
  std::vector<float> bias = randomVector(c.M, 13);
  std::vector<float> res = randomVector(c.N * c.M * OH * OW, 14);
  std::vector<float> packed(mcc_conv2d_packed_w_floats(kIsa, c.M, c.C, c.KH, c.KW, c.group, OH * OW));
  mcc_conv2d_pack_w(kIsa, c.M, c.C, c.KH, c.KW, c.group, OH * OW, Wt.data(), packed.data());
  GuardedBuffer scratch(
      mcc_conv2d_scratch_floats(kIsa, c.C, c.H, c.W, c.M, c.KH, c.KW, c.group, c.sh, c.sw, c.dh, c.dw, OH, OW));
  std::vector<float> Y(c.N * c.M * OH * OW + 16, 999.0f);
  mcc_conv2d(c.N, c.C, c.H, c.W, X.data(), c.M, c.KH, c.KW, c.group, packed.data(), c.sh, c.sw, c.dh, c.dw, c.pt, c.pl,
             OH, OW, Y.data(), c.bias ? bias.data() : nullptr, c.residual ? res.data() : nullptr, c.act, c.alpha,
             c.beta, scratch.get());
  EXPECT_TRUE(scratch.guardIntact()) << "wrote past the scratch size";
  int64_t bad = 0;
  for (int64_t n = 0; n < c.N; ++n)
    for (int64_t m = 0; m < c.M; ++m)
      for (int64_t oh = 0; oh < OH; ++oh)
        for (int64_t ow = 0; ow < OW; ++ow) {
          const int64_t g = m / Mg;
          double acc = 0, mag = 0;
          for (int64_t ci = 0; ci < Cg; ++ci)
            for (int64_t kh = 0; kh < c.KH; ++kh)
              for (int64_t kw = 0; kw < c.KW; ++kw) {
                int64_t ih = oh * c.sh - c.pt + kh * c.dh, iw = ow * c.sw - c.pl + kw * c.dw;
                if (ih < 0 || ih >= c.H || iw < 0 || iw >= c.W)
                  continue;
                double p = (double)X[((n * c.C + g * Cg + ci) * c.H + ih) * c.W + iw] *
                           Wt[((m * Cg + ci) * c.KH + kh) * c.KW + kw];
                acc += p;
                mag += std::fabs(p);
              }
          const int64_t yi = ((n * c.M + m) * OH + oh) * OW + ow;
          if (c.bias)
            acc += bias[m];
          if (c.residual)
            acc += res[yi];
          double want = refAct(acc, c.act, c.alpha, c.beta);
          float got = Y[yi];
          if (!(std::fabs(got - want) <= 2e-6 * (mag + 4) + 1e-5 * std::fabs(want)) && bad++ < 5)
            ADD_FAILURE() << "Y[" << n << "," << m << "," << oh << "," << ow << "] = " << got << ", want " << want;
        }
  for (size_t i = c.N * c.M * OH * OW; i < Y.size(); ++i)
    EXPECT_EQ(Y[i], 999.0f) << "wrote past Y";
  EXPECT_EQ(bad, 0);
}

TEST(Conv2d, Dense) {
  MCC_REQUIRE_ISA();
  const ConvCase cases[] = {
      // N  C   H   W   M  KH KW g sh sw dh dw pt pl pb pr
      {1, 3, 9, 11, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1},   // same padding, tails everywhere
      {2, 4, 17, 13, 33, 3, 3, 1, 2, 2, 1, 1, 1, 1, 1, 1}, // stride 2, batch 2
      {1, 5, 12, 12, 7, 3, 3, 1, 1, 1, 2, 2, 2, 2, 2, 2},  // dilation 2
      {1, 3, 10, 9, 6, 3, 2, 1, 1, 2, 1, 1, 0, 2, 1, 0},   // asymmetric pads, non-square kernel
      {1, 3, 30, 30, 16, 7, 7, 1, 2, 2, 1, 1, 3, 3, 3, 3}, // stem-like
      {1, 3, 5, 80, 5, 3, 3, 1, 2, 2, 1, 1, 1, 1, 1, 2},   // stride 2, rows long enough for vectors
      {1, 20, 7, 7, 30, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0},  // 1x1 direct GEMM
      {1, 40, 9, 9, 37, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0},  // 1x1 direct GEMM, packing B
      {1, 8, 9, 9, 12, 1, 1, 1, 2, 2, 1, 1, 0, 0, 0, 0},   // 1x1 stride 2
      {1, 8, 6, 6, 12, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0},   // 1x1 padded
      {1, 6, 1, 50, 10, 1, 5, 1, 1, 1, 1, 1, 0, 2, 0, 2},  // 1-D (H = 1)
      {1, 6, 1, 50, 10, 1, 3, 1, 1, 3, 1, 2, 0, 1, 0, 0},  // 1-D strided dilated
      {1, 64, 9, 9, 70, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1},  // Kg = 576: several K blocks
      {1, 8, 10, 10, 12, 3, 3, 2, 1, 1, 1, 1, 1, 1, 1, 1}, // 2 groups
      {1, 12, 8, 8, 6, 3, 3, 3, 2, 1, 1, 1, 1, 0, 1, 1},   // 3 groups, M < C
      {1, 4, 8, 8, 8, 3, 3, 4, 1, 1, 1, 1, 1, 1, 1, 1},    // depth multiplier 2 (not the fast path)
  };
  for (const ConvCase &c : cases)
    runConv(c);
}

TEST(Conv2d, Depthwise) {
  MCC_REQUIRE_ISA();
  for (int64_t k : {3, 5})
    for (int64_t s : {1, 2})
      for (int64_t W : {5, 16, 37, 70, 113}) {
        int64_t p = k / 2;
        runConv({1, 6, 9, W, 6, k, k, 6, s, s, 1, 1, p, p, p, p});
      }
  const ConvCase more[] = {
      {2, 5, 11, 40, 5, 3, 3, 5, 1, 1, 2, 2, 2, 2, 2, 2}, // dilated
      {1, 4, 12, 41, 4, 3, 3, 4, 2, 2, 1, 1, 0, 1, 1, 0}, // asymmetric pads, stride 2
      {1, 3, 13, 50, 3, 3, 3, 3, 3, 3, 1, 1, 1, 1, 1, 1}, // stride 3
      {1, 3, 10, 40, 3, 7, 7, 3, 1, 1, 1, 1, 3, 3, 3, 3}, // 7x7
      {1, 4, 1, 60, 4, 1, 3, 4, 1, 1, 1, 1, 0, 1, 0, 1},  // 1-D
      {1, 4, 8, 8, 4, 3, 3, 4, 1, 1, 1, 1, 0, 0, 0, 0},   // no padding
      {1, 3, 3, 3, 3, 5, 5, 3, 1, 1, 1, 1, 2, 2, 2, 2},   // kernel wider than the input
  };
  for (const ConvCase &c : more)
    runConv(c);
}

// The depthwise kernel's layouts: "shifted" (stride 1, OW == W: one contiguous run of outputs across
// rows, columns masked per kernel column) and the phase planes (any stride/dilation), walked by rows
// or flat across rows for small planes; channels double-buffered for small planes.
TEST(Conv2d, DepthwiseLayouts) {
  MCC_REQUIRE_ISA();
  // Small planes, odd sizes, many channels (double-buffered), every activation specialisation.
  for (int64_t hw : {1, 2, 3, 5, 7, 9, 14, 17})
    for (int64_t k : {3, 5})
      for (int64_t s : {1, 2}) {
        ConvCase c = {1, 13, hw, hw, 13, k, k, 13, s, s, 1, 1, k / 2, k / 2, k / 2, k / 2};
        // Clip with these bounds (0.1, 0) is degenerate: it has its own cases below.
        const int32_t acts[] = {MCC_ACT_NONE, MCC_ACT_RELU, MCC_ACT_LEAKY_RELU, MCC_ACT_HARD_SWISH};
        c.act = acts[(hw + k + s) % 4];
        c.residual = hw % 2 == 1;
        runConv(c);
      }
  const ConvCase more[] = {
      // N  C   H   W   M  KH KW  g sh sw dh dw pt pl pb pr
      {1, 5, 7, 9, 5, 3, 5, 5, 1, 1, 1, 1, 1, 2, 1, 2},    // 3x5, shifted
      {1, 5, 9, 7, 5, 5, 3, 5, 1, 1, 1, 1, 2, 1, 2, 1},    // 5x3, shifted
      {1, 4, 11, 13, 4, 3, 3, 4, 1, 1, 2, 3, 2, 3, 2, 3},  // dilations 2, 3, shifted
      {1, 4, 6, 7, 4, 3, 3, 4, 1, 1, 1, 3, 1, 3, 1, 3},    // column shifts of 3 in a 7-wide row
      {1, 4, 5, 3, 4, 5, 5, 4, 1, 1, 1, 1, 2, 2, 2, 2},    // kernel as wide as the row: phase planes
      {1, 3, 8, 8, 3, 1, 7, 3, 1, 1, 1, 1, 0, 3, 0, 3},    // 1x7
      {1, 3, 16, 16, 3, 7, 7, 3, 1, 1, 1, 1, 3, 3, 3, 3},  // 7x7 (no compile-time kernel)
      {1, 3, 12, 12, 3, 9, 9, 3, 1, 1, 1, 1, 4, 4, 4, 4},  // 81 taps: the direct loop
      {1, 6, 14, 14, 6, 3, 3, 6, 1, 1, 1, 1, 0, 0, 2, 2},  // all padding after: not "same"
      {1, 6, 15, 15, 6, 3, 3, 6, 2, 2, 1, 1, 0, 0, 0, 0},  // stride 2, no padding, odd size
      {1, 6, 16, 16, 6, 3, 3, 6, 2, 2, 1, 1, 0, 0, 1, 1},  // stride 2, TF-style padding after
      {1, 4, 20, 31, 4, 5, 5, 4, 3, 2, 1, 2, 2, 2, 2, 2},  // strides 3 and 2, dilation 2 in W
      {1, 4, 10, 40, 4, 3, 3, 4, 4, 4, 1, 1, 1, 1, 1, 1},  // stride 4
      {2, 40, 7, 7, 40, 3, 3, 40, 1, 1, 1, 1, 1, 1, 1, 1}, // batch 2 of 7x7 planes
      {1, 3, 3, 200, 3, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},  // rows longer than 8 vectors
      {1, 3, 3, 200, 3, 3, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1},  // ... stride 2, by rows
  };
  for (const ConvCase &c : more)
    runConv(c);
  for (int32_t act : {MCC_ACT_CLIP, MCC_ACT_SIGMOID, MCC_ACT_HARD_SWISH, MCC_ACT_SILU})
    for (int64_t s : {1, 2})
      for (int64_t hw : {5, 10, 40}) {
        ConvCase c = {1, 9, hw, hw, 9, 3, 3, 9, s, s, 1, 1, 1, 1, 1, 1};
        c.act = act, c.alpha = -0.2f, c.beta = 0.3f; // Clip's bounds; the others ignore them
        c.residual = s == 1;
        runConv(c);
        ConvCase dense = {1, 6, hw, hw, 17, 3, 3, 1, s, s, 1, 1, 1, 1, 1, 1};
        dense.act = act, dense.alpha = -0.2f, dense.beta = 0.3f;
        dense.residual = s == 2;
        runConv(dense);
      }
}

// Small planes (8 < OH*OW <= 64) run transposed: pixels as the GEMM's rows with exact tails, channels along the
// vectors (partial NR panels when M is not a multiple of NR), then a transposing epilogue (16-pixel blocks).
TEST(Conv2d, PixelRows) {
  MCC_REQUIRE_ISA();
  const ConvCase cases[] = {
      // N  C   H   W   M  KH KW g sh sw dh dw pt pl pb pr
      {1, 32, 7, 7, 70, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1},   // 7x7 "same": 49 pixels = 3 x 14 + 7
      {2, 40, 7, 7, 33, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0},   // direct 1x1, batch 2, one partial panel
      {1, 64, 14, 14, 48, 3, 3, 1, 2, 2, 1, 1, 1, 1, 1, 1}, // stride 2 to 7x7, Kg = 576 (several K blocks)
      {1, 300, 7, 7, 20, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0},  // deep K, M < NR
      {1, 5, 8, 8, 16, 3, 3, 1, 1, 1, 2, 2, 2, 2, 2, 2},    // dilation, 64 pixels
      {1, 6, 3, 3, 9, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1},     // 9 pixels
      {1, 7, 9, 7, 40, 3, 3, 1, 1, 1, 1, 1, 0, 1, 1, 1},    // 8x7 = 56, asymmetric pads
      {1, 16, 6, 30, 17, 3, 5, 1, 2, 3, 1, 1, 1, 2, 1, 2},  // strided, non-square, 3x10
  };
  int i = 0;
  for (ConvCase c : cases) {
    const int32_t acts[] = {MCC_ACT_RELU, MCC_ACT_NONE, MCC_ACT_SILU, MCC_ACT_CLIP};
    c.act = acts[i % 4], c.alpha = -0.2f, c.beta = 0.3f;
    c.residual = i % 2 == 0;
    c.bias = i % 3 != 2;
    runConv(c);
    ++i;
  }
}

// Strided depthwise layers on small planes run with the channels along the vectors (AVX-512): 16 channels at a
// time transposed into a zero-padded pixel buffer, rows wider than one transpose block, partial channel blocks.
TEST(Conv2d, DepthwiseChannelVectors) {
  MCC_REQUIRE_ISA();
  const ConvCase cases[] = {
      // N  C   H   W   M  KH KW  g sh sw dh dw pt pl pb pr
      {1, 37, 14, 14, 37, 3, 3, 37, 2, 2, 1, 1, 1, 1, 1, 1}, // two blocks and a partial one
      {2, 20, 15, 15, 20, 5, 5, 20, 2, 2, 1, 1, 2, 2, 2, 2}, // 5x5, odd plane, batch 2
      {1, 16, 12, 40, 16, 3, 3, 16, 2, 2, 1, 1, 0, 1, 1, 0}, // rows of 40: three transposes per row, asymmetric
      {1, 18, 13, 31, 18, 3, 3, 18, 3, 2, 2, 1, 2, 1, 2, 1}, // strides 3 and 2, dilation 2 in H
      {1, 33, 9, 30, 33, 3, 5, 33, 1, 2, 1, 1, 1, 2, 1, 2},  // stride only in W, 3x5
      {1, 17, 16, 16, 17, 3, 3, 17, 2, 2, 1, 1, 0, 0, 1, 1}, // TF-style padding after only
      {1, 24, 11, 11, 24, 7, 7, 24, 2, 2, 1, 1, 3, 3, 3, 3}, // 49 taps
  };
  int i = 0;
  for (ConvCase c : cases) {
    const int32_t acts[] = {MCC_ACT_SILU, MCC_ACT_RELU, MCC_ACT_NONE, MCC_ACT_HARD_SWISH, MCC_ACT_CLIP};
    c.act = acts[i % 5], c.alpha = -0.2f, c.beta = 0.3f;
    c.residual = i % 2 == 1;
    c.bias = i % 3 != 0;
    runConv(c);
    ++i;
  }
}

// 1x1 convolutions over a few pixels (squeeze-excite on a 1x1 image) run as GEMVs on the packed weights.
TEST(Conv2d, FewPixels1x1) {
  MCC_REQUIRE_ISA();
  for (int64_t hw : {1, 2, 3, 5, 8})
    for (int64_t M : {1, 7, 33}) {
      ConvCase c = {1, 45, 1, hw, M, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0};
      c.act = M == 7 ? MCC_ACT_SIGMOID : MCC_ACT_SILU;
      c.residual = hw % 2 == 1;
      c.bias = M != 1;
      runConv(c);
    }
  runConv({2, 12, 2, 2, 10, 1, 1, 2, 1, 1, 1, 1, 0, 0, 0, 0}); // 2 groups, batch 2
  ConvCase clip = {1, 300, 1, 1, 20, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0};
  clip.act = MCC_ACT_CLIP, clip.alpha = -0.2f, clip.beta = 0.3f;
  runConv(clip);
}

TEST(Conv2d, EpilogueFused) {
  MCC_REQUIRE_ISA();
  for (int32_t act : {MCC_ACT_RELU, MCC_ACT_LEAKY_RELU, MCC_ACT_SIGMOID, MCC_ACT_SILU, MCC_ACT_HARD_SWISH})
    for (bool res : {false, true}) {
      ConvCase dense = {1, 6, 9, 9, 10, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1};
      dense.act = act, dense.residual = res;
      runConv(dense);
      ConvCase pw = {1, 40, 9, 9, 37, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0};
      pw.act = act, pw.residual = res;
      runConv(pw);
      ConvCase dw = {1, 7, 9, 35, 7, 3, 3, 7, 1, 1, 1, 1, 1, 1, 1, 1};
      dw.act = act, dw.residual = res, dw.bias = !res;
      runConv(dw);
    }
}

} // namespace
