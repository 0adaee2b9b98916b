//===- ParallelTest.cpp - mcc_sgemm_parallel / mcc_conv2d_parallel: the serial bytes, any workers --===//
//
// Each case runs the serial kernel, then the parallel wrapper on pools of 1, 2, 3 and 8 workers (and on
// a pool that runs every part as its own call, in reverse order, worker numbers cycling), and wants
// the same bytes, every scratch slice within its bounds.
#include "KernelTestUtil.h"

#include "mcc/mcc_rt.h"

#include <cstring>
#include <memory>

using namespace mcc_test;

namespace {

// One call per part, last part first: the most adversarial order a pool may choose.
struct ReversePool {
  int32_t workers;
  int64_t parts = 0; // the n of the last parallel_for, 0 when the wrapper stayed serial
};
void reverseParallelFor(void *ctx, mcc_task fn, void *arg, int64_t n) {
  auto *pool = static_cast<ReversePool *>(ctx);
  pool->parts = n;
  for (int64_t i = n - 1; i >= 0; --i)
    fn(arg, i, i + 1, static_cast<int32_t>(i % pool->workers));
}

struct PoolDeleter {
  void operator()(mcc_pool *p) const { mcc_pool_destroy(p); }
};

// Runs `call(par, workerScratch, stride)` on each kind of pool; each result must equal `expected`.
template <typename Call>
void forEachPool(int64_t scratchFloats, bool splits, const std::vector<float> &expected, std::vector<float> &out,
                 Call call) {
  const int64_t stride = (scratchFloats + 15) / 16 * 16;
  for (int32_t workers : {1, 2, 3, 8}) {
    for (bool reverse : {false, true}) {
      SCOPED_TRACE(std::to_string(workers) + (reverse ? " workers, reverse pool" : " workers, default pool"));
      std::unique_ptr<mcc_pool, PoolDeleter> pool(reverse ? nullptr : mcc_pool_create(workers));
      ReversePool rp{workers};
      mcc_parallel par = reverse ? mcc_parallel{reverseParallelFor, &rp, workers} : mcc_pool_parallel(pool.get());
      GuardedBuffer scratch(scratchFloats), workerScratch(stride * (workers - 1));
      std::fill(out.begin(), out.end(), 999.0f);
      call(&par, scratch.get(), workerScratch.get(), stride);
      EXPECT_TRUE(scratch.guardIntact());
      EXPECT_TRUE(workerScratch.guardIntact());
      EXPECT_EQ(0, std::memcmp(out.data(), expected.data(), out.size() * sizeof(float)));
      if (reverse && (!splits || workers == 1)) // serial: parallel_for not called
        EXPECT_EQ(0, rp.parts);
      else if (reverse) // at most one part per worker (fewer when a part would be below the grain)
        EXPECT_TRUE(rp.parts >= 2 && rp.parts <= workers) << rp.parts << " parts";
    }
  }
}

struct GemmCase {
  int64_t batch, M, N, K;
  bool packedB, transA, bias, residual;
  bool splits = true;
};

void runGemm(const GemmCase &c) {
  SCOPED_TRACE("batch " + std::to_string(c.batch) + " M " + std::to_string(c.M) + " N " + std::to_string(c.N) + " K " +
               std::to_string(c.K) + (c.packedB ? " packed" : "") + (c.transA ? " transA" : ""));
  std::vector<float> A = randomVector(c.batch * c.M * c.K, 1), B = randomVector(c.batch * c.K * c.N, 2);
  std::vector<float> bias = randomVector(c.N, 3), res = randomVector(c.batch * c.M * c.N, 4);
  std::vector<float> packed;
  int64_t sb = c.K * c.N;
  if (c.packedB) { // one B shared by the batch, as weights are
    packed.resize(mcc_sgemm_packed_b_floats(kIsa, c.K, c.N));
    mcc_sgemm_pack_b(kIsa, c.K, c.N, B.data(), c.N, 1, packed.data());
    sb = 0;
  }
  const float *b = c.packedB ? packed.data() : B.data();
  int64_t rsa = c.transA ? 1 : c.K, csa = c.transA ? c.M : 1;
  int64_t scratchFloats = mcc_sgemm_scratch_floats(kIsa, c.M, c.N, c.K, c.packedB, c.N, 1);
  std::vector<float> expected(c.batch * c.M * c.N), out(expected.size());
  GuardedBuffer scratch(scratchFloats);
  auto gemm = [&](float *C, float *s) {
    mcc_sgemm(c.batch, c.M, c.N, c.K, A.data(), c.M * c.K, rsa, csa, b, sb, c.N, 1, c.packedB, C, c.M * c.N, c.N,
              c.bias ? bias.data() : nullptr, MCC_BIAS_PER_N, c.residual ? res.data() : nullptr, c.M * c.N, c.N,
              MCC_ACT_RELU, 0, 0, s);
  };
  gemm(expected.data(), scratch.get());
  forEachPool(
      scratchFloats, c.splits, expected, out, [&](const mcc_parallel *par, float *s, float *ws, int64_t stride) {
        mcc_sgemm_parallel(par, ws, stride, c.batch, c.M, c.N, c.K, A.data(), c.M * c.K, rsa, csa, b, sb, c.N, 1,
                           c.packedB, out.data(), c.M * c.N, c.N, c.bias ? bias.data() : nullptr, MCC_BIAS_PER_N,
                           c.residual ? res.data() : nullptr, c.M * c.N, c.N, MCC_ACT_RELU, 0, 0, s);
      });
}

TEST(Parallel, Sgemm) {
  MCC_REQUIRE_ISA();
  for (const GemmCase &c : std::vector<GemmCase>{
           {1, 300, 250, 70, true, false, true, true},     // split over M
           {1, 20, 900, 130, true, false, true, false},    // over N, packed panels
           {1, 24, 700, 300, false, false, false, true},   // over N, B packed at run time
           {1, 200, 180, 60, false, true, false, false},   // transposed A, packed per part
           {6, 64, 96, 200, false, false, true, true},     // through the batch
           {2, 150, 100, 200, true, false, true, false},   // batch and M
           {1, 1, 4096, 512, true, false, true, false},    // a GEMV: over N
           {1, 8, 8, 8, true, false, false, false, false}, // too small: stays serial
       })
    runGemm(c);
}

struct ConvCase {
  int64_t N, C, H, W, M, K, group, stride, pad;
  bool splits = true;
};

void runConv(const ConvCase &c) {
  SCOPED_TRACE("N " + std::to_string(c.N) + " C " + std::to_string(c.C) + " M " + std::to_string(c.M) + " k " +
               std::to_string(c.K) + " g " + std::to_string(c.group));
  const int64_t OH = (c.H + 2 * c.pad - c.K) / c.stride + 1, OW = (c.W + 2 * c.pad - c.K) / c.stride + 1;
  std::vector<float> X = randomVector(c.N * c.C * c.H * c.W, 5);
  std::vector<float> Wt = randomVector(c.M * (c.C / c.group) * c.K * c.K, 6);
  std::vector<float> bias = randomVector(c.M, 7), res = randomVector(c.N * c.M * OH * OW, 8);
  std::vector<float> packed(mcc_conv2d_packed_w_floats(kIsa, c.M, c.C, c.K, c.K, c.group, OH * OW));
  mcc_conv2d_pack_w(kIsa, c.M, c.C, c.K, c.K, c.group, OH * OW, Wt.data(), packed.data());
  int64_t scratchFloats =
      mcc_conv2d_scratch_floats(kIsa, c.C, c.H, c.W, c.M, c.K, c.K, c.group, c.stride, c.stride, 1, 1, OH, OW);
  std::vector<float> expected(c.N * c.M * OH * OW), out(expected.size());
  GuardedBuffer scratch(scratchFloats);
  mcc_conv2d(c.N, c.C, c.H, c.W, X.data(), c.M, c.K, c.K, c.group, packed.data(), c.stride, c.stride, 1, 1, c.pad,
             c.pad, OH, OW, expected.data(), bias.data(), res.data(), MCC_ACT_RELU, 0, 0, scratch.get());
  forEachPool(scratchFloats, c.splits, expected, out,
              [&](const mcc_parallel *par, float *s, float *ws, int64_t stride) {
                mcc_conv2d_parallel(par, ws, stride, c.N, c.C, c.H, c.W, X.data(), c.M, c.K, c.K, c.group,
                                    packed.data(), c.stride, c.stride, 1, 1, c.pad, c.pad, OH, OW, out.data(),
                                    bias.data(), res.data(), MCC_ACT_RELU, 0, 0, s);
              });
}

TEST(Parallel, Conv2d) {
  MCC_REQUIRE_ISA();
  for (const ConvCase &c : std::vector<ConvCase>{
           {1, 32, 28, 28, 100, 3, 1, 1, 1},   // output-channel panels, im2col per part
           {1, 64, 20, 20, 90, 1, 1, 1, 0},    // 1x1 read in place
           {1, 256, 7, 7, 200, 3, 1, 1, 1},    // a 7x7 plane, pixels as rows: NR-channel panels per part
           {2, 512, 7, 7, 100, 1, 1, 1, 0},    // ... 1x1, two images
           {3, 16, 48, 48, 32, 3, 1, 2, 1},    // through the images
           {1, 96, 40, 40, 96, 3, 96, 1, 1},   // depthwise: channels
           {2, 64, 30, 30, 64, 5, 64, 2, 2},   // depthwise, two images
           {1, 64, 24, 24, 128, 3, 4, 1, 1},   // grouped: groups
           {1, 4, 6, 6, 4, 3, 1, 1, 1, false}, // too small: stays serial
       })
    runConv(c);
}

} // namespace
