//===- SgemmTest.cpp - mcc_sgemm against a plain triple loop -----------------------------------===//
#include "KernelTestUtil.h"

#include <string>

using namespace mcc_test;

namespace {

enum class BLayout { RowMajor, Transposed, Packed };

struct GemmCase {
  int64_t batch = 1, M = 1, N = 1, K = 1;
  bool transA = false;
  BLayout b = BLayout::RowMajor;
  bool broadcastA = false, broadcastB = false;
  int32_t biasKind = MCC_BIAS_NONE;
  bool residual = false;
  int32_t act = MCC_ACT_NONE;
  float alpha = 0.0f, beta = 0.0f;
  bool scratch = true;
  int64_t ldcPad = 0;
};

std::string describe(const GemmCase &c) {
  return "batch=" + std::to_string(c.batch) + " M=" + std::to_string(c.M) + " N=" + std::to_string(c.N) +
         " K=" + std::to_string(c.K) + " transA=" + std::to_string(c.transA) +
         " b=" + std::to_string(static_cast<int>(c.b)) + " bcastA=" + std::to_string(c.broadcastA) +
         " bcastB=" + std::to_string(c.broadcastB) + " bias=" + std::to_string(c.biasKind) +
         " res=" + std::to_string(c.residual) + " act=" + std::to_string(c.act) +
         " scratch=" + std::to_string(c.scratch);
}

void runCase(const GemmCase &c) {
  SCOPED_TRACE(describe(c));
  const int64_t M = c.M, N = c.N, K = c.K;
  const int64_t nA = c.broadcastA ? 1 : c.batch, nB = c.broadcastB ? 1 : c.batch;
  std::vector<float> A = randomVector(nA * M * K, 1), B = randomVector(nB * K * N, 2);
  std::vector<float> bias = randomVector(std::max(M, N), 3);
  std::vector<float> res = randomVector(c.batch * M * N, 4);
  const int64_t rsa = c.transA ? 1 : K, csa = c.transA ? M : 1;
  const int64_t rsb = c.b == BLayout::Transposed ? 1 : N, csb = c.b == BLayout::Transposed ? K : 1;
  const int64_t ldc = N + c.ldcPad;

  std::vector<float> packed;
  const float *bArg = B.data();
  int64_t sb = c.broadcastB ? 0 : K * N;
  if (c.b == BLayout::Packed) {
    int64_t pn = mcc_sgemm_packed_b_floats(kIsa, K, N);
    packed.assign(nB * pn, -7.0f);
    for (int64_t b = 0; b < nB; ++b)
      mcc_sgemm_pack_b(kIsa, K, N, B.data() + b * K * N, N, 1, packed.data() + b * pn);
    bArg = packed.data();
    sb = c.broadcastB ? 0 : pn;
  }
  GuardedBuffer scratch(c.scratch ? mcc_sgemm_scratch_floats(kIsa, M, N, K, c.b == BLayout::Packed, rsb, csb) : 0);
  std::vector<float> C(c.batch * M * ldc, 999.0f);
  mcc_sgemm(c.batch, M, N, K, A.data(), c.broadcastA ? 0 : M * K, rsa, csa, bArg, sb, rsb, csb, c.b == BLayout::Packed,
            C.data(), M * ldc, ldc, c.biasKind ? bias.data() : nullptr, c.biasKind, c.residual ? res.data() : nullptr,
            M * N, N, c.act, c.alpha, c.beta, scratch.get());
  EXPECT_TRUE(scratch.guardIntact()) << "wrote past the scratch size";

  int64_t bad = 0;
  for (int64_t b = 0; b < c.batch; ++b) {
    const float *a = A.data() + (c.broadcastA ? 0 : b * M * K);
    const float *bb = B.data() + (c.broadcastB ? 0 : b * K * N);
    for (int64_t m = 0; m < M; ++m)
      for (int64_t n = 0; n < ldc; ++n) {
        float got = C[(b * M + m) * ldc + n];
        if (n >= N) {
          if (got != 999.0f && bad++ < 5)
            ADD_FAILURE() << "wrote C padding at b=" << b << " m=" << m << " n=" << n;
          continue;
        }
        double acc = 0, mag = 0;
        for (int64_t k = 0; k < K; ++k) {
          double p = (double)a[m * rsa + k * csa] * bb[k * rsb + n * csb];
          acc += p;
          mag += std::fabs(p);
        }
        if (c.biasKind == MCC_BIAS_PER_N)
          acc += bias[n];
        if (c.biasKind == MCC_BIAS_PER_M)
          acc += bias[m];
        if (c.residual)
          acc += res[(b * M + m) * N + n];
        double want = refAct(acc, c.act, c.alpha, c.beta);
        double tol = 2e-6 * (mag + 4) + 1e-5 * std::fabs(want);
        if (!(std::fabs(got - want) <= tol) && bad++ < 5)
          ADD_FAILURE() << "C[" << b << "," << m << "," << n << "] = " << got << ", want " << want;
      }
  }
  EXPECT_EQ(bad, 0);
}

const int64_t kSizes[] = {1, 3, 17, 255};

TEST(Sgemm, OddShapesAllLayouts) {
  MCC_REQUIRE_ISA();
  for (int64_t M : kSizes)
    for (int64_t N : kSizes)
      for (int64_t K : kSizes)
        for (BLayout b : {BLayout::RowMajor, BLayout::Transposed, BLayout::Packed}) {
          GemmCase c;
          c.M = M, c.N = N, c.K = K, c.b = b;
          c.transA = (M + N + K) % 2;
          runCase(c);
        }
}

TEST(Sgemm, LargerAndBlockBoundaries) {
  MCC_REQUIRE_ISA();
  // Past one K block (KC), one M block (MC) and one N block of packed B (NC).
  const int64_t shapes[][3] = {{1000, 17, 3},  {3, 1000, 17},  {17, 3, 1000},    {337, 130, 513},
                               {64, 2100, 40}, {1, 1000, 600}, {100, 100, 1000}, {28, 64, 257}};
  for (auto &s : shapes)
    for (BLayout b : {BLayout::RowMajor, BLayout::Transposed, BLayout::Packed})
      for (bool scratch : {true, false}) {
        GemmCase c;
        c.M = s[0], c.N = s[1], c.K = s[2], c.b = b, c.scratch = scratch;
        c.transA = b == BLayout::Transposed;
        runCase(c);
      }
}

TEST(Sgemm, EmptyK) {
  MCC_REQUIRE_ISA();
  GemmCase c;
  c.M = 5, c.N = 40, c.K = 0, c.biasKind = MCC_BIAS_PER_N, c.act = MCC_ACT_RELU;
  runCase(c);
}

TEST(Sgemm, BatchWithBroadcast) {
  MCC_REQUIRE_ISA();
  for (bool bcastA : {false, true})
    for (bool bcastB : {false, true})
      for (BLayout b : {BLayout::RowMajor, BLayout::Transposed, BLayout::Packed}) {
        GemmCase c;
        c.batch = 3, c.M = 19, c.N = 45, c.K = 33, c.b = b;
        c.broadcastA = bcastA, c.broadcastB = bcastB, c.residual = true, c.biasKind = MCC_BIAS_PER_N;
        runCase(c);
      }
}

TEST(Sgemm, EveryEpilogue) {
  MCC_REQUIRE_ISA();
  struct Act {
    int32_t act;
    float alpha, beta;
  };
  const Act acts[] = {{MCC_ACT_NONE, 0, 0},          {MCC_ACT_RELU, 0, 0},    {MCC_ACT_CLIP, -0.5f, 0.7f},
                      {MCC_ACT_LEAKY_RELU, 0.1f, 0}, {MCC_ACT_SIGMOID, 0, 0}, {MCC_ACT_HARD_SIGMOID, 0.2f, 0.5f},
                      {MCC_ACT_HARD_SWISH, 0, 0},    {MCC_ACT_SILU, 0, 0},    {MCC_ACT_GELU_ERF, 0, 0},
                      {MCC_ACT_GELU_TANH, 0, 0},     {MCC_ACT_TANH, 0, 0}};
  for (const Act &a : acts)
    for (int32_t bias : {MCC_BIAS_NONE, MCC_BIAS_PER_N, MCC_BIAS_PER_M})
      for (bool res : {false, true}) {
        GemmCase c;
        c.M = 31, c.N = 77, c.K = 20, c.biasKind = bias, c.residual = res;
        c.act = a.act, c.alpha = a.alpha, c.beta = a.beta, c.ldcPad = 3;
        runCase(c);
        c.K = 600; // epilogue after several K blocks
        c.b = BLayout::Packed;
        runCase(c);
      }
}

// One row of A times a packed B runs as a GEMV over several panels at once: panel groups with a partial last group
// and a partial last panel, transposed A, every bias kind, residual, activations, a batch, K = 0.
TEST(Sgemm, GemvPackedB) {
  MCC_REQUIRE_ISA();
  int i = 0;
  for (int64_t N : {1, 31, 33, 100, 129, 1000})
    for (int64_t K : {1, 7, 300}) {
      GemmCase c;
      c.M = 1, c.N = N, c.K = K, c.b = BLayout::Packed;
      c.transA = i % 2 == 1;
      c.biasKind = i % 3 == 0 ? MCC_BIAS_NONE : i % 3 == 1 ? MCC_BIAS_PER_N : MCC_BIAS_PER_M;
      c.residual = i % 4 == 1;
      c.act = i % 5 == 2 ? MCC_ACT_SILU : i % 5 == 3 ? MCC_ACT_RELU : MCC_ACT_NONE;
      c.batch = i % 7 == 3 ? 3 : 1;
      runCase(c);
      ++i;
    }
  GemmCase empty;
  empty.M = 1, empty.N = 70, empty.K = 0, empty.b = BLayout::Packed, empty.biasKind = MCC_BIAS_PER_N;
  runCase(empty);
}

TEST(Sgemm, PackedLayoutIsPerIsaPanels) {
  // The packed B of every ISA is NR-wide panels of K rows, zero past N: the compiler packs for a
  // target that is not the host, so this must hold for all of them on any machine.
  for (mcc_isa isa : {MCC_ISA_GENERIC, MCC_ISA_AVX2, MCC_ISA_AVX512, MCC_ISA_NEON}) {
    const int64_t K = 5, N = 37, nr = mcc_sgemm_nr(isa);
    std::vector<float> B = randomVector(K * N, 9);
    std::vector<float> p(mcc_sgemm_packed_b_floats(isa, K, N), -1.0f);
    ASSERT_EQ((int64_t)p.size(), (N + nr - 1) / nr * nr * K);
    mcc_sgemm_pack_b(isa, K, N, B.data(), N, 1, p.data());
    for (int64_t k = 0; k < K; ++k)
      for (int64_t n = 0; n < (N + nr - 1) / nr * nr; ++n)
        ASSERT_EQ(p[(n / nr) * nr * K + k * nr + n % nr], n < N ? B[k * N + n] : 0.0f);
  }
}

} // namespace
