//===- QgemmTest.cpp - mcc_qgemm / mcc_qconv2d against plain int64 loops -----------------------===//
//
// The reference requantises exactly as the kernels.h contract (and ONNX Runtime) does: the int32
// accumulator times the float scale in float, clamped to [lo - zp, hi - zp], rounded half to even,
// plus the zero point. So the int8 outputs are compared for equality, not within a tolerance.
#include "KernelTestUtil.h"

#include <string>

using namespace mcc_test;

namespace {

bool cpuHasVnni() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  return kIsa == MCC_ISA_AVX512 && __builtin_cpu_supports("avx512vnni");
#else
  return false;
#endif
}

struct Quant {
  int32_t outKind = MCC_QOUT_U8;
  bool aSigned = false;
  int32_t aZp = 0;          // in A's own domain
  std::vector<int32_t> wZp; // per channel, s8 range
  std::vector<float> scale; // per channel
  bool bias = false, fbias = false;
  int32_t yZp = 0, lo = 0, hi = 255;
  int32_t act = MCC_ACT_NONE;
};

std::vector<uint8_t> randomBytes(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> d(0, 255);
  std::vector<uint8_t> v(n);
  for (auto &x : v)
    x = static_cast<uint8_t>(d(rng));
  return v;
}

// The output element from an exact accumulator, as the epilogue defines it.
double expected(const Quant &q, int64_t acc, int64_t ch, const std::vector<float> &fb) {
  if (q.outKind == MCC_QOUT_S32)
    return static_cast<double>(static_cast<int32_t>(acc));
  float f = static_cast<float>(static_cast<int32_t>(acc)) * q.scale[ch];
  if (q.outKind == MCC_QOUT_F32) {
    if (q.fbias)
      f += fb[ch];
    return refAct(f, q.act, 0, 0);
  }
  f = std::fmax(f, static_cast<float>(q.lo - q.yZp));
  f = std::fmin(f, static_cast<float>(q.hi - q.yZp));
  return std::nearbyint(f) + q.yZp;
}

double readOut(const Quant &q, const std::vector<uint8_t> &c, int64_t idx) {
  switch (q.outKind) {
  case MCC_QOUT_U8:
    return c[idx];
  case MCC_QOUT_S8:
    return static_cast<int8_t>(c[idx]);
  case MCC_QOUT_S32: {
    int32_t v;
    memcpy(&v, c.data() + idx * 4, 4);
    return v;
  }
  default: {
    float v;
    memcpy(&v, c.data() + idx * 4, 4);
    return v;
  }
  }
}

int64_t elemSize(const Quant &q) { return q.outKind == MCC_QOUT_U8 || q.outKind == MCC_QOUT_S8 ? 1 : 4; }

int32_t aValue(const Quant &q, uint8_t byte) { return q.aSigned ? static_cast<int8_t>(byte) : byte; }
int32_t u8Zp(const Quant &q) { return q.aSigned ? q.aZp + 128 : q.aZp; }

void runGemm(int64_t batch, int64_t M, int64_t N, int64_t K, const Quant &q, int32_t vnni) {
  SCOPED_TRACE("M" + std::to_string(M) + " N" + std::to_string(N) + " K" + std::to_string(K) + " out " +
               std::to_string(q.outKind) + " signed " + std::to_string(q.aSigned) + " azp " + std::to_string(q.aZp) +
               " vnni " + std::to_string(vnni));
  const int64_t lda = K + 3; // rows not contiguous with each other
  std::vector<uint8_t> A = randomBytes(batch * M * lda, 21);
  std::vector<uint8_t> Braw = randomBytes(K * N, 22);
  std::vector<int8_t> B(Braw.begin(), Braw.end());
  std::vector<int32_t> bias(N);
  std::vector<float> fb = randomVector(N, 23, -5, 5);
  for (int64_t n = 0; n < N; ++n)
    bias[n] = static_cast<int32_t>(n * 37 % 1001) - 500;
  std::vector<uint8_t> packed(mcc_qgemm_packed_b_bytes(kIsa, K, N));
  mcc_qgemm_pack_b(kIsa, K, N, B.data(), N, 1, q.wZp.data(), u8Zp(q), q.bias ? bias.data() : nullptr, q.scale.data(),
                   q.fbias ? fb.data() : nullptr, packed.data());
  const int64_t es = elemSize(q), ldc = N + 1;
  std::vector<uint8_t> C(batch * M * ldc * es + 64, 0xcd);
  std::vector<uint8_t> scratch(mcc_qgemm_scratch_bytes(kIsa, M, N, K) + 64, 0xee);
  mcc_qgemm(batch, M, N, K, A.data(), M * lda, lda, q.aSigned, packed.data(), C.data(), M * ldc, ldc, q.outKind, q.yZp,
            q.lo, q.hi, q.act, 0, 0, vnni, scratch.data());
  int64_t bad = 0;
  for (int64_t b = 0; b < batch; ++b)
    for (int64_t m = 0; m < M; ++m)
      for (int64_t n = 0; n < N; ++n) {
        int64_t acc = q.bias ? bias[n] : 0;
        for (int64_t k = 0; k < K; ++k)
          acc += static_cast<int64_t>(aValue(q, A[b * M * lda + m * lda + k]) - q.aZp) * (B[k * N + n] - q.wZp[n]);
        double want = expected(q, acc, n, fb), got = readOut(q, C, b * M * ldc + m * ldc + n);
        bool ok =
            q.outKind == MCC_QOUT_F32 ? std::fabs(got - want) <= 1e-5 * std::fmax(1.0, std::fabs(want)) : got == want;
        if (!ok && bad++ < 5)
          ADD_FAILURE() << "C[" << b << "," << m << "," << n << "] = " << got << ", want " << want;
      }
  EXPECT_EQ(bad, 0);
  // The column past N of every row is untouched.
  for (int64_t m = 0; m < batch * M; ++m)
    for (int64_t e = 0; e < es; ++e)
      ASSERT_EQ(C[(m * ldc + N) * es + e], 0xcd) << "wrote past column N in row " << m;
}

Quant makeQuant(int64_t channels, int32_t outKind, bool aSigned, int32_t aZp, int wZpMode, unsigned seed) {
  Quant q;
  q.outKind = outKind;
  q.aSigned = aSigned;
  q.aZp = aZp;
  std::mt19937 rng(seed);
  q.wZp.resize(channels);
  q.scale.resize(channels);
  for (int64_t c = 0; c < channels; ++c) {
    // 0: symmetric weights; 1: per-channel zero points across the whole s8 range; 2: one at the edge.
    q.wZp[c] = wZpMode == 0 ? 0 : wZpMode == 1 ? static_cast<int32_t>(rng() % 256) - 128 : -128;
    q.scale[c] = std::ldexp(1.0f + (rng() % 1000) / 1000.0f, -14 + static_cast<int>(c % 5));
  }
  if (outKind == MCC_QOUT_S8)
    q.lo = -128, q.hi = 127, q.yZp = -3;
  else
    q.yZp = 131;
  return q;
}

TEST(Qgemm, OddSizesEveryZeroPointKind) {
  MCC_REQUIRE_ISA();
  const int32_t vnniModes = cpuHasVnni() ? 2 : 1;
  for (int32_t vnni = 0; vnni < vnniModes; ++vnni)
    for (int64_t M : {1, 2, 5, 7, 13})
      for (int64_t N : {1, 3, 17, 64, 65, 100})
        for (int64_t K : {1, 3, 4, 5, 67})
          for (int mode = 0; mode < 3; ++mode) {
            bool aSigned = (M + N + mode) % 2;
            int32_t aZp = aSigned ? (mode == 2 ? -128 : 127) : (mode == 2 ? 255 : 0);
            runGemm(1, M, N, K, makeQuant(N, (mode + K) % 2 ? MCC_QOUT_U8 : MCC_QOUT_S8, aSigned, aZp, mode, 7), vnni);
          }
}

TEST(Qgemm, OutputKindsAndBatch) {
  MCC_REQUIRE_ISA();
  const int32_t vnniModes = cpuHasVnni() ? 2 : 1;
  for (int32_t vnni = 0; vnni < vnniModes; ++vnni)
    for (int32_t kind : {MCC_QOUT_S32, MCC_QOUT_F32, MCC_QOUT_U8, MCC_QOUT_S8})
      for (bool aSigned : {false, true}) {
        Quant q = makeQuant(70, kind, aSigned, aSigned ? -7 : 200, 1, 9);
        q.bias = kind != MCC_QOUT_F32;
        q.fbias = kind == MCC_QOUT_F32;
        q.act = kind == MCC_QOUT_F32 ? MCC_ACT_RELU : MCC_ACT_NONE;
        runGemm(3, 9, 70, 300, q, vnni);
      }
}

// Scales far too large (every output saturates at the type's edge) and a fused Relu's narrowed range.
TEST(Qgemm, Saturation) {
  MCC_REQUIRE_ISA();
  for (int32_t kind : {MCC_QOUT_U8, MCC_QOUT_S8}) {
    Quant q = makeQuant(33, kind, false, 128, 1, 5);
    for (float &s : q.scale)
      s = 1.0f;
    runGemm(1, 6, 33, 40, q, 0);
    q.lo = q.yZp; // Relu folded into the output range
    for (float &s : q.scale)
      s = 1e-3f;
    runGemm(1, 6, 33, 40, q, cpuHasVnni());
  }
}

struct QConvCase {
  int64_t N, C, H, W, M, KH, KW, sh, sw, dh, dw, pt, pl, pb, pr;
};

void runQConv(const QConvCase &c, const Quant &q, int32_t vnni) {
  SCOPED_TRACE("C" + std::to_string(c.C) + " H" + std::to_string(c.H) + " W" + std::to_string(c.W) + " M" +
               std::to_string(c.M) + " k" + std::to_string(c.KH) + "x" + std::to_string(c.KW) + " s" +
               std::to_string(c.sh) + " d" + std::to_string(c.dh) + " p" + std::to_string(c.pt) + " out " +
               std::to_string(q.outKind) + " signed " + std::to_string(q.aSigned) + " vnni " + std::to_string(vnni));
  const int64_t OH = (c.H + c.pt + c.pb - (c.dh * (c.KH - 1) + 1)) / c.sh + 1;
  const int64_t OW = (c.W + c.pl + c.pr - (c.dw * (c.KW - 1) + 1)) / c.sw + 1;
  const int64_t K = c.C * c.KH * c.KW;
  std::vector<uint8_t> X = randomBytes(c.N * c.C * c.H * c.W, 31);
  std::vector<uint8_t> Wraw = randomBytes(c.M * K, 32);
  std::vector<int8_t> Wt(Wraw.begin(), Wraw.end());
  std::vector<int32_t> bias(c.M);
  for (int64_t m = 0; m < c.M; ++m)
    bias[m] = static_cast<int32_t>(m * 53 % 777) - 300;
  std::vector<float> fb = randomVector(c.M, 33, -3, 3);
  std::vector<uint8_t> packed(mcc_qconv2d_packed_w_bytes(kIsa, c.M, c.C, c.KH, c.KW));
  mcc_qconv2d_pack_w(kIsa, c.M, c.C, c.KH, c.KW, Wt.data(), q.wZp.data(), u8Zp(q), q.bias ? bias.data() : nullptr,
                     q.scale.data(), q.fbias ? fb.data() : nullptr, packed.data());
  const int64_t es = elemSize(q), total = c.N * c.M * OH * OW;
  std::vector<uint8_t> Y(total * es + 64, 0xcd);
  const int64_t scratchBytes =
      mcc_qconv2d_scratch_bytes(kIsa, c.C, c.H, c.W, c.KH, c.KW, c.sh, c.sw, c.dh, c.dw, OH, OW);
  std::vector<uint8_t> scratch(scratchBytes + 64, 0xee);
  mcc_qconv2d(c.N, c.C, c.H, c.W, X.data(), q.aSigned, q.aZp, c.M, c.KH, c.KW, packed.data(), c.sh, c.sw, c.dh, c.dw,
              c.pt, c.pl, OH, OW, Y.data(), q.outKind, q.yZp, q.lo, q.hi, q.act, 0, 0, vnni, scratch.data());
  for (int64_t i = scratchBytes; i < scratchBytes + 64; ++i)
    ASSERT_EQ(scratch[i], 0xee) << "wrote past the scratch size";
  for (int64_t i = total * es; i < total * es + 64; ++i)
    ASSERT_EQ(Y[i], 0xcd) << "wrote past Y";
  int64_t bad = 0;
  for (int64_t n = 0; n < c.N; ++n)
    for (int64_t m = 0; m < c.M; ++m)
      for (int64_t oh = 0; oh < OH; ++oh)
        for (int64_t ow = 0; ow < OW; ++ow) {
          int64_t acc = q.bias ? bias[m] : 0;
          for (int64_t ci = 0; ci < c.C; ++ci)
            for (int64_t kh = 0; kh < c.KH; ++kh)
              for (int64_t kw = 0; kw < c.KW; ++kw) {
                int64_t ih = oh * c.sh - c.pt + kh * c.dh, iw = ow * c.sw - c.pl + kw * c.dw;
                if (ih < 0 || ih >= c.H || iw < 0 || iw >= c.W)
                  continue; // padding holds the zero point: contributes 0
                int32_t x = aValue(q, X[((n * c.C + ci) * c.H + ih) * c.W + iw]);
                acc += static_cast<int64_t>(x - q.aZp) * (Wt[((m * c.C + ci) * c.KH + kh) * c.KW + kw] - q.wZp[m]);
              }
          int64_t idx = ((n * c.M + m) * OH + oh) * OW + ow;
          double want = expected(q, acc, m, fb), got = readOut(q, Y, idx);
          bool ok =
              q.outKind == MCC_QOUT_F32 ? std::fabs(got - want) <= 1e-5 * std::fmax(1.0, std::fabs(want)) : got == want;
          if (!ok && bad++ < 5)
            ADD_FAILURE() << "Y[" << n << "," << m << "," << oh << "," << ow << "] = " << got << ", want " << want;
        }
  EXPECT_EQ(bad, 0);
}

TEST(QConv2d, Geometries) {
  MCC_REQUIRE_ISA();
  const std::vector<QConvCase> cases = {
      {1, 3, 9, 11, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},    // 3x3 same, odd sizes
      {2, 5, 8, 8, 7, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0},     // 1x1, two images, K % 4 != 0
      {1, 16, 13, 13, 33, 3, 3, 2, 2, 1, 1, 1, 0, 1, 0}, // stride 2, asymmetric pads
      {1, 4, 10, 12, 6, 3, 2, 1, 2, 2, 1, 2, 1, 2, 0},   // dilation, rectangular kernel
      {1, 8, 1, 50, 13, 1, 5, 1, 1, 1, 1, 0, 2, 0, 2},   // 1-D
      {1, 3, 17, 17, 64, 7, 7, 2, 2, 1, 1, 3, 3, 3, 3},  // a stem
      // Stride 1 on wide enough images runs over a padded copy ("wide" mode, columns dropped):
      {2, 5, 20, 21, 9, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},  // two images, 3x3 same
      {1, 6, 24, 30, 13, 3, 3, 1, 1, 2, 2, 2, 1, 2, 3}, // dilation 2, asymmetric pads
      {1, 7, 16, 40, 70, 3, 5, 1, 1, 1, 1, 0, 2, 0, 2}, // no vertical padding, 5 wide
  };
  const int32_t vnniModes = cpuHasVnni() ? 2 : 1;
  int i = 0;
  for (const QConvCase &c : cases)
    for (int32_t vnni = 0; vnni < vnniModes; ++vnni) {
      ++i;
      bool aSigned = i % 2;
      int32_t kind = i % 3 == 0 ? MCC_QOUT_S8 : MCC_QOUT_U8;
      Quant q = makeQuant(c.M, kind, aSigned, aSigned ? (i % 4 ? -128 : 5) : (i % 4 ? 255 : 0), i % 3, 40 + i);
      q.bias = i % 2 == 0;
      runQConv(c, q, vnni);
    }
}

TEST(QConv2d, OutputKinds) {
  MCC_REQUIRE_ISA();
  QConvCase c{1, 6, 7, 9, 10, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1};
  for (int32_t kind : {MCC_QOUT_S32, MCC_QOUT_F32}) {
    Quant q = makeQuant(c.M, kind, false, 77, 1, 3);
    q.bias = true;
    q.fbias = kind == MCC_QOUT_F32;
    runQConv(c, q, cpuHasVnni());
  }
}

} // namespace
