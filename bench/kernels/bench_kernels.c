/* mcc-bench-kernels: GFLOP/s of the native kernel build per shape, and % of the measured FMA peak.
 * Usage: mcc-bench-kernels [filter-substring] [peak-gflops]. Times are medians of several runs
 * of the thread's CPU time (the machine is shared and noisy). Not a test: it asserts nothing. */
#define _POSIX_C_SOURCE 199309L
#include "../peak/peak.h"
#include "mcc/kernels.h"

#include <stdio.h>
#include <string.h>

#if defined(__AVX512F__)
#define ISA MCC_ISA_AVX512
#elif defined(__AVX2__)
#define ISA MCC_ISA_AVX2
#elif defined(__aarch64__)
#define ISA MCC_ISA_NEON
#else
#define ISA MCC_ISA_GENERIC
#endif

static float *alloc_rand(int64_t n) {
  float *p = malloc((size_t)(n > 0 ? n : 1) * sizeof(float));
  unsigned s = 12345;
  for (int64_t i = 0; i < n; ++i) {
    s = s * 1103515245u + 12345u;
    p[i] = (float)((s >> 9) & 0xffff) / 65536.0f - 0.5f;
  }
  return p;
}

static double peak;
static const char *filter;

/* Runs fn until ~0.3 s are spent (at least 3 times) and prints the median GFLOP/s. */
static void report(const char *name, double flops, void (*fn)(void *), void *arg) {
  if (filter && !strstr(name, filter))
    return;
  fn(arg); /* warm up */
  double t[64];
  int n = 0;
  double start = peak_now();
  while (n < 64 && (n < 3 || peak_now() - start < 0.3)) {
    double t0 = peak_now();
    fn(arg);
    t[n++] = peak_now() - t0;
  }
  qsort(t, n, sizeof t[0], peak_cmp);
  double g = flops / t[n / 2] * 1e-9;
  printf("%-44s %8.1f GFLOP/s  %5.1f%% of peak  (%d runs, %.3f ms)\n", name, g, 100 * g / peak, n, t[n / 2] * 1e3);
}

struct gemm {
  int64_t batch, M, N, K;
  int packed, trans_b; /* trans_b: B given as N x K (Q x K^T in attention) */
  float *A, *B, *C, *scratch;
};
static void run_gemm(void *p) {
  struct gemm *g = p;
  mcc_sgemm(g->batch, g->M, g->N, g->K, g->A, g->M * g->K, g->K, 1, g->B, g->packed ? 0 : g->K * g->N, g->N, 1,
            g->packed, g->C, g->M * g->N, g->N, NULL, MCC_BIAS_NONE, NULL, 0, 0, MCC_ACT_NONE, 0, 0, g->scratch);
}
static void bench_gemm(int64_t batch, int64_t M, int64_t N, int64_t K, int packed, int trans_b) {
  struct gemm g = {batch, M, N, K, packed, trans_b, alloc_rand(batch * M * K), NULL, alloc_rand(batch * M * N), NULL};
  float *B = alloc_rand(batch * K * N);
  if (packed) {
    g.B = alloc_rand(mcc_sgemm_packed_b_floats(ISA, K, N));
    mcc_sgemm_pack_b(ISA, K, N, B, N, 1, g.B);
  } else {
    g.B = B;
  }
  g.scratch = alloc_rand(mcc_sgemm_scratch_floats(ISA, M, N, K, packed, trans_b ? 1 : N, trans_b ? K : 1));
  char name[128];
  snprintf(name, sizeof name, "sgemm %s%ldx%ldx%ld%s", batch > 1 ? "batched " : "", (long)M, (long)N, (long)K,
           packed    ? " packed-B"
           : trans_b ? " B^T"
                     : "");
  if (batch > 1)
    snprintf(name + strlen(name), sizeof name - strlen(name), " x%ld", (long)batch);
  report(name, 2.0 * batch * M * N * K, run_gemm, &g);
  free(g.A), free(g.C), free(g.scratch);
  if (g.B != B)
    free(g.B);
  free(B);
}

struct conv {
  int64_t C, H, W, M, K, group, s, pad, OH, OW;
  float *X, *Wp, *Y, *bias, *scratch;
};
static void run_conv(void *p) {
  struct conv *c = p;
  mcc_conv2d(1, c->C, c->H, c->W, c->X, c->M, c->K, c->K, c->group, c->Wp, c->s, c->s, 1, 1, c->pad, c->pad, c->OH,
             c->OW, c->Y, c->bias, NULL, MCC_ACT_RELU, 0, 0, c->scratch);
}
static void bench_conv(const char *what, int64_t C, int64_t H, int64_t M, int64_t K, int64_t s, int64_t group) {
  struct conv c = {C, H, H, M, K, group, s, K / 2, 0, 0, NULL, NULL, NULL, NULL, NULL};
  c.OH = (H + 2 * c.pad - K) / s + 1;
  c.OW = c.OH;
  c.X = alloc_rand(C * H * H);
  float *w = alloc_rand(M * (C / group) * K * K);
  c.Wp = alloc_rand(mcc_conv2d_packed_w_floats(ISA, M, C, K, K, group, c.OH * c.OW));
  mcc_conv2d_pack_w(ISA, M, C, K, K, group, c.OH * c.OW, w, c.Wp);
  c.Y = alloc_rand(M * c.OH * c.OW);
  c.bias = alloc_rand(M);
  c.scratch = alloc_rand(mcc_conv2d_scratch_floats(ISA, C, H, H, M, K, K, group, s, s, 1, 1, c.OH, c.OW));
  char name[128];
  snprintf(name, sizeof name, "conv %s %ld->%ld %ldx%ld s%ld %ldx%ld", what, (long)C, (long)M, (long)K, (long)K,
           (long)s, (long)H, (long)H);
  report(name, 2.0 * M * (C / group) * K * K * c.OH * c.OW, run_conv, &c);
  free(c.X), free(w), free(c.Wp), free(c.Y), free(c.bias), free(c.scratch);
}

int main(int argc, char **argv) {
  filter = argc > 1 && argv[1][0] ? argv[1] : NULL;
  peak = argc > 2 ? atof(argv[2]) : peak_gflops(2000000L, 15, NULL, NULL);
  printf("isa %d, fma peak %.1f GFLOP/s\n", (int)ISA, peak);
  bench_gemm(1, 14, 32, 256, 1, 0); /* one microkernel call, all in L1 */
  bench_gemm(1, 336, 32, 256, 1, 0);
  bench_gemm(1, 336, 32, 1024, 1, 0);
  bench_gemm(1, 2048, 64, 2048, 1, 0);
  bench_gemm(1, 2048, 2048, 256, 1, 0);
  bench_gemm(1, 336, 256, 256, 1, 0);
  bench_gemm(1, 2048, 2048, 2048, 1, 0);
  bench_gemm(1, 2048, 2048, 2048, 0, 0);
  bench_gemm(1, 128, 768, 768, 1, 0);
  bench_gemm(1, 128, 3072, 768, 1, 0);
  bench_gemm(1, 128, 768, 3072, 1, 0);
  bench_gemm(12, 128, 128, 64, 0, 0);
  bench_gemm(12, 128, 64, 128, 0, 0);
  bench_gemm(12, 128, 128, 64, 0, 1);
  bench_conv("resnet", 64, 56, 64, 3, 1, 1);
  bench_conv("resnet", 256, 56, 64, 1, 1, 1);
  bench_conv("resnet", 64, 56, 256, 1, 1, 1);
  bench_conv("resnet", 128, 28, 128, 3, 1, 1);
  bench_conv("resnet", 512, 7, 512, 3, 1, 1);
  bench_conv("resnet", 256, 14, 256, 3, 1, 1);
  bench_conv("resnet", 1024, 14, 256, 1, 1, 1);
  bench_conv("resnet", 256, 14, 1024, 1, 1, 1);
  bench_conv("resnet", 2048, 7, 512, 1, 1, 1);
  bench_conv("resnet", 512, 7, 2048, 1, 1, 1);
  bench_conv("mobilenet", 960, 7, 160, 1, 1, 1);
  bench_conv("effnet", 672, 14, 112, 1, 1, 1);
  bench_conv("resnet stem", 3, 224, 64, 7, 2, 1);
  bench_conv("mobilenet dw", 144, 56, 144, 3, 1, 144);
  bench_conv("mobilenet dw", 144, 56, 144, 3, 2, 144);
  bench_conv("mobilenet dw", 960, 7, 960, 3, 1, 960);
  bench_conv("mobilenet dw", 32, 112, 32, 3, 1, 32);
  bench_conv("mobilenet dw", 576, 14, 576, 3, 2, 576);
  bench_conv("mobilenet dw", 192, 28, 192, 3, 2, 192);
  bench_conv("mobilenet dw", 576, 14, 576, 3, 1, 576);
  bench_conv("effnet dw", 672, 14, 672, 5, 2, 672);
  bench_conv("effnet dw", 1152, 7, 1152, 5, 1, 1152);
  bench_conv("effnet dw", 672, 14, 672, 5, 1, 672);
  bench_conv("effnet dw", 240, 28, 240, 3, 2, 240);
  return 0;
}
