//===- SpgemmTest.cpp - mcc_spgemm against mcc_sgemm and a plain loop --------------------------===//
//
// The sparse kernels must give what the dense kernel gives on the same (zero-filled) B, up to the
// order of the additions: at every density from 0 to 99%, with zeros scattered or in whole blocks, for
// odd shapes, every epilogue, batches and transposed operands, in both layouts: blocks one vector wide
// (each native ISA build tests its own: 16 on AVX-512, 8 on AVX2, 4 generic) and single columns.
//===----------------------------------------------------------------------===//
#include "KernelTestUtil.h"

#include <cstring>
#include <string>

using namespace mcc_test;

namespace {

struct SpCase {
  int64_t batch = 1, M = 1, N = 1, K = 1;
  int64_t bw = mcc_spgemm_bw(kIsa); ///< the layout: the vector width, or 1 (columns)
  int density = 10;                 ///< percent of B (elements or blocks) kept
  bool blocky = false;              ///< zero whole 1 x bw blocks instead of single elements
  bool transB = false;              ///< B given as N x K
  bool transA = false;
  int32_t biasKind = MCC_BIAS_NONE;
  bool residual = false;
  int32_t act = MCC_ACT_NONE;
  float alpha = 0.0f, beta = 0.0f;
  bool scratch = true;
  int64_t ldcPad = 0;
  unsigned seed = 1;
};

std::string describe(const SpCase &c) {
  return "bw=" + std::to_string(c.bw) + " batch=" + std::to_string(c.batch) + " M=" + std::to_string(c.M) +
         " N=" + std::to_string(c.N) + " K=" + std::to_string(c.K) + " density=" + std::to_string(c.density) +
         " blocky=" + std::to_string(c.blocky) + " transB=" + std::to_string(c.transB) +
         " transA=" + std::to_string(c.transA) + " bias=" + std::to_string(c.biasKind) +
         " res=" + std::to_string(c.residual) + " act=" + std::to_string(c.act) +
         " scratch=" + std::to_string(c.scratch);
}

/// A K x N matrix (row-major) with about `density` percent of its elements (or bw-blocks) nonzero.
std::vector<float> sparseMatrix(int64_t K, int64_t N, int density, bool blocky, unsigned seed) {
  std::vector<float> B = randomVector(K * N, seed);
  std::mt19937 rng(seed + 100);
  std::uniform_int_distribution<int> pct(0, 99);
  const int64_t bw = mcc_spgemm_bw(kIsa);
  for (int64_t k = 0; k < K; ++k)
    for (int64_t n0 = 0; n0 < N; n0 += blocky ? bw : 1) {
      if (pct(rng) < density)
        continue;
      for (int64_t n = n0; n < std::min(N, n0 + (blocky ? bw : 1)); ++n)
        B[k * N + n] = 0.0f;
    }
  return B;
}

void runCase(const SpCase &c) {
  SCOPED_TRACE(describe(c));
  const int64_t M = c.M, N = c.N, K = c.K;
  std::vector<float> Bkn = sparseMatrix(K, N, c.density, c.blocky, c.seed);
  // The operand as given to the packer: row-major K x N or its transpose.
  std::vector<float> B = Bkn;
  int64_t rsb = N, csb = 1;
  if (c.transB) {
    for (int64_t k = 0; k < K; ++k)
      for (int64_t n = 0; n < N; ++n)
        B[n * K + k] = Bkn[k * N + n];
    rsb = 1, csb = K;
  }
  std::vector<float> A = randomVector(c.batch * M * K, c.seed + 1), bias = randomVector(std::max(M, N), c.seed + 2),
                     res = randomVector(c.batch * M * N, c.seed + 3);
  const int64_t rsa = c.transA ? 1 : K, csa = c.transA ? M : 1, ldc = N + c.ldcPad;

  int64_t blocks = mcc_spgemm_nonzero_blocks(c.bw, K, N, B.data(), rsb, csb);
  std::vector<float> packed(mcc_spgemm_packed_floats(c.bw, K, N, blocks) + 16, -7.0f);
  mcc_spgemm_pack(c.bw, K, N, B.data(), rsb, csb, packed.data());
  for (size_t i = packed.size() - 16; i < packed.size(); ++i)
    ASSERT_EQ(packed[i], -7.0f) << "packed past its size";

  // The column layout always needs its scratch (A transposed).
  GuardedBuffer scratch(c.scratch || c.bw == 1 ? mcc_spgemm_scratch_floats(kIsa, c.bw, M, K) : 0);
  std::vector<float> C(c.batch * M * ldc, 999.0f), D(c.batch * M * ldc, 999.0f);
  const float *biasArg = c.biasKind ? bias.data() : nullptr, *resArg = c.residual ? res.data() : nullptr;
  mcc_spgemm(c.batch, M, N, K, A.data(), M * K, rsa, csa, packed.data(), C.data(), M * ldc, ldc, biasArg, c.biasKind,
             resArg, M * N, N, c.act, c.alpha, c.beta, scratch.get());
  EXPECT_TRUE(scratch.guardIntact()) << "wrote past the scratch size";
  GuardedBuffer dscratch(mcc_sgemm_scratch_floats(kIsa, M, N, K, 0, rsb, csb));
  mcc_sgemm(c.batch, M, N, K, A.data(), M * K, rsa, csa, B.data(), 0, rsb, csb, 0, D.data(), M * ldc, ldc, biasArg,
            c.biasKind, resArg, M * N, N, c.act, c.alpha, c.beta, dscratch.get());

  int64_t bad = 0;
  for (int64_t b = 0; b < c.batch; ++b)
    for (int64_t m = 0; m < M; ++m)
      for (int64_t n = 0; n < ldc; ++n) {
        float got = C[(b * M + m) * ldc + n], dense = D[(b * M + m) * ldc + n];
        if (n >= N) {
          if (got != 999.0f && bad++ < 5)
            ADD_FAILURE() << "wrote C padding at b=" << b << " m=" << m << " n=" << n;
          continue;
        }
        double mag = 4;
        for (int64_t k = 0; k < K; ++k)
          mag += std::fabs((double)A[b * M * K + m * rsa + k * csa] * Bkn[k * N + n]);
        double tol = 2e-6 * mag + 1e-5 * std::fabs(dense);
        if (!(std::fabs(got - dense) <= tol) && !(std::isnan(got) && std::isnan(dense)) && bad++ < 5)
          ADD_FAILURE() << "C[" << b << "," << m << "," << n << "] = " << got << ", dense kernel " << dense;
      }
  EXPECT_EQ(bad, 0);
}

TEST(Spgemm, EveryDensity) {
  MCC_REQUIRE_ISA();
  for (int d = 0; d < 100; ++d)
    for (int layout = 0; layout < 3; ++layout) {
      SpCase c;
      c.blocky = layout == 1;
      c.bw = layout == 2 ? 1 : mcc_spgemm_bw(kIsa);
      c.M = 1 + (d * 7) % 70, c.N = 37 + d % 5, c.K = 29 + d % 7, c.density = d, c.seed = 10 + d;
      c.biasKind = MCC_BIAS_PER_N, c.act = MCC_ACT_RELU;
      runCase(c);
    }
}

TEST(Spgemm, OddShapesAndLayouts) {
  MCC_REQUIRE_ISA();
  const int64_t sizes[] = {1, 2, 3, 7, 15, 17, 33};
  for (int64_t M : sizes)
    for (int64_t N : sizes)
      for (int64_t K : {1, 5, 64, 257})
        for (bool transB : {false, true}) {
          SpCase c;
          c.M = M, c.N = N, c.K = K, c.transB = transB, c.transA = (M + N) % 2, c.density = 20;
          c.bw = (M + N + K) % 2 ? 1 : c.bw;
          c.scratch = (M + K) % 3 != 0;
          runCase(c);
        }
}

TEST(Spgemm, LargerShapes) {
  MCC_REQUIRE_ISA();
  const int64_t shapes[][3] = {{128, 768, 768}, {1, 512, 784}, {29, 130, 513}, {14, 3072, 64}, {200, 40, 300}};
  for (auto &s : shapes)
    for (int d : {1, 10, 50})
      for (int64_t bw : {mcc_spgemm_bw(kIsa), (int64_t)1}) {
        SpCase c;
        c.M = s[0], c.N = s[1], c.K = s[2], c.density = d, c.biasKind = MCC_BIAS_PER_N, c.bw = bw;
        runCase(c);
      }
}

TEST(Spgemm, EveryEpilogueAndBatch) {
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
        SpCase c;
        c.batch = 2, c.M = 19, c.N = 45, c.K = 33, c.biasKind = bias, c.residual = res;
        c.act = a.act, c.alpha = a.alpha, c.beta = a.beta, c.ldcPad = 3;
        runCase(c);
        c.bw = 1, c.M = 40;
        runCase(c);
      }
}

TEST(Spgemm, AllZeroAndEmptyK) {
  MCC_REQUIRE_ISA();
  SpCase c;
  c.M = 5, c.N = 40, c.K = 12, c.density = 0, c.biasKind = MCC_BIAS_PER_N, c.act = MCC_ACT_SIGMOID;
  runCase(c);
  c.K = 0;
  runCase(c);
  c.bw = 1;
  runCase(c);
  c.K = 12;
  runCase(c);
}

TEST(Spgemm, PackedLayoutPerWidth) {
  // The compiler packs for targets other than the host: the layout of every width holds anywhere.
  for (int64_t bw : {1, 4, 8, 16}) {
    const int64_t K = 6, N = 37, P = (N + bw - 1) / bw;
    std::vector<float> B(K * N, 0.0f);
    B[0 * N + 0] = 1.0f;  // panel 0, k 0
    B[4 * N + 1] = 2.0f;  // panel 0, k 4
    B[5 * N + 36] = 3.0f; // last panel, k 5
    ASSERT_EQ(mcc_spgemm_nonzero_blocks(bw, K, N, B.data(), N, 1), 3);
    std::vector<float> p(mcc_spgemm_packed_floats(bw, K, N, 3));
    ASSERT_EQ((int64_t)p.size(), 2 + P + 1 + 3 * (1 + bw));
    mcc_spgemm_pack(bw, K, N, B.data(), N, 1, p.data());
    std::vector<int32_t> w(p.size());
    std::memcpy(w.data(), p.data(), p.size() * 4);
    EXPECT_EQ(w[0], bw);
    EXPECT_EQ(w[1], P);
    EXPECT_EQ(w[2], 0);
    EXPECT_EQ(w[3], bw == 1 ? 1 : 2); // panel 1 starts after panel 0's blocks
    EXPECT_EQ(w[2 + P], 3);
    EXPECT_EQ(w[3 + P], 0);
    EXPECT_EQ(w[4 + P], 4);
    EXPECT_EQ(w[5 + P], 5);
    const float *vals = p.data() + 2 + P + 1 + 3;
    EXPECT_EQ(vals[0], 1.0f);
    EXPECT_EQ(vals[bw + 1 % bw], 2.0f);
    EXPECT_EQ(vals[2 * bw + (36 % bw)], 3.0f);
  }
}

} // namespace

namespace {

// The sparse 1x1 convolution against a plain loop: odd channel counts, positions that fill no, one or
// several vector tiles (with a partial last one), every density step of 10%, bias, residual, ReLU.
TEST(Spconv1x1, AgainstLoops) {
  MCC_REQUIRE_ISA();
  const int64_t N = 2;
  for (int64_t HW : {1, 7, 16, 49, 64, 100, 196})
    for (int64_t C : {3, 17})
      for (int64_t M : {5, 32})
        for (int d = 0; d <= 90; d += 30) {
          SCOPED_TRACE("HW=" + std::to_string(HW) + " C=" + std::to_string(C) + " M=" + std::to_string(M) +
                       " density=" + std::to_string(d));
          std::vector<float> X = randomVector(N * C * HW, 21), W = randomVector(M * C, 22 + d),
                             bias = randomVector(M, 23), res = randomVector(N * M * HW, 24);
          std::mt19937 rng(25 + d);
          for (float &w : W)
            if ((int)(rng() % 100) >= d)
              w = 0.0f;
          int64_t nnz = mcc_spgemm_nonzero_blocks(1, C, M, W.data(), 1, C);
          std::vector<float> packed(mcc_spgemm_packed_floats(1, C, M, nnz));
          mcc_spgemm_pack(1, C, M, W.data(), 1, C, packed.data());
          GuardedBuffer scratch(mcc_spconv1x1_scratch_floats(kIsa, C, HW));
          std::vector<float> Y(N * M * HW, 999.0f);
          mcc_spconv1x1(N, C, HW, X.data(), M, packed.data(), Y.data(), bias.data(), res.data(), MCC_ACT_RELU, 0, 0,
                        scratch.get());
          EXPECT_TRUE(scratch.guardIntact()) << "wrote past the scratch size";
          int64_t bad = 0;
          for (int64_t n = 0; n < N; ++n)
            for (int64_t m = 0; m < M; ++m)
              for (int64_t p = 0; p < HW; ++p) {
                double acc = bias[m] + res[(n * M + m) * HW + p], mag = 4;
                for (int64_t c = 0; c < C; ++c) {
                  acc += (double)W[m * C + c] * X[(n * C + c) * HW + p];
                  mag += std::fabs((double)W[m * C + c] * X[(n * C + c) * HW + p]);
                }
                double want = acc < 0 ? 0 : acc;
                float got = Y[(n * M + m) * HW + p];
                if (!(std::fabs(got - want) <= 2e-6 * mag) && bad++ < 5)
                  ADD_FAILURE() << "Y[" << n << "," << m << "," << p << "] = " << got << ", want " << want;
              }
          EXPECT_EQ(bad, 0);
        }
}

} // namespace
