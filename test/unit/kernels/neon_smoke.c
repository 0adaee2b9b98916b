/* neon_smoke.c - the NEON build of the kernels against plain loops, run under qemu-aarch64 (the
 * GoogleTest suites need a native aarch64 GoogleTest): SGEMM with packed and unpacked B, bias and
 * sigmoid, tails in M, N and K; a dense 3x3 and a stride-2 depthwise convolution. */
#include "mcc/kernels.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
static float rnd(void) { return (float)rand() / RAND_MAX - 0.5f; }
int main(void) {
  int bad = 0;
  enum mcc_isa isa = MCC_ISA_NEON;
  long shapes[][3] = {{1, 1, 1}, {7, 13, 5}, {17, 25, 300}, {100, 37, 64}, {9, 100, 3}};
  for (int s = 0; s < 5; s++) {
    long M = shapes[s][0], N = shapes[s][1], K = shapes[s][2];
    float *A = malloc(M * K * 4), *B = malloc(K * N * 4), *C = malloc(M * N * 4),
          *P = malloc(mcc_sgemm_packed_b_floats(isa, K, N) * 4),
          *S = malloc((mcc_sgemm_scratch_floats(isa, M, N, K, 0, N, 1) + 1) * 4), *bias = malloc(N * 4);
    for (long i = 0; i < M * K; i++)
      A[i] = rnd();
    for (long i = 0; i < K * N; i++)
      B[i] = rnd();
    for (long i = 0; i < N; i++)
      bias[i] = rnd();
    mcc_sgemm_pack_b(isa, K, N, B, N, 1, P);
    for (int packed = 0; packed < 2; packed++) {
      mcc_sgemm(1, M, N, K, A, 0, K, 1, packed ? P : B, 0, N, 1, packed, C, 0, N, bias, MCC_BIAS_PER_N, 0, 0, 0,
                MCC_ACT_SIGMOID, 0, 0, S);
      for (long m = 0; m < M; m++)
        for (long n = 0; n < N; n++) {
          double r = bias[n];
          for (long k = 0; k < K; k++)
            r += (double)A[m * K + k] * B[k * N + n];
          r = 1 / (1 + exp(-r));
          if (fabs(r - C[m * N + n]) > 1e-4) {
            if (bad++ < 5)
              printf("gemm %ld %ld %ld: %g vs %g\n", M, N, K, C[m * N + n], r);
          }
        }
    }
  }
  /* conv dense 3x3 pad 1 and depthwise 3x3 s2 */
  for (int dw = 0; dw < 2; dw++) {
    long C = dw ? 6 : 5, H = 11, W = 21, M = dw ? 6 : 7, g = dw ? 6 : 1, s = dw ? 2 : 1, OH = (H + 2 - 3) / s + 1,
         OW = (W + 2 - 3) / s + 1, Cg = C / g;
    float *X = malloc(C * H * W * 4), *Wt = malloc(M * Cg * 9 * 4), *Y = malloc(M * OH * OW * 4),
          *Wp = malloc(mcc_conv2d_packed_w_floats(isa, M, C, 3, 3, g, OH * OW) * 4),
          *S = malloc((mcc_conv2d_scratch_floats(isa, C, H, W, M, 3, 3, g, s, s, 1, 1, OH, OW) + 1) * 4);
    for (long i = 0; i < C * H * W; i++)
      X[i] = rnd();
    for (long i = 0; i < M * Cg * 9; i++)
      Wt[i] = rnd();
    mcc_conv2d_pack_w(isa, M, C, 3, 3, g, OH * OW, Wt, Wp);
    mcc_conv2d(1, C, H, W, X, M, 3, 3, g, Wp, s, s, 1, 1, 1, 1, OH, OW, Y, 0, 0, MCC_ACT_RELU, 0, 0, S);
    for (long m = 0; m < M; m++)
      for (long oh = 0; oh < OH; oh++)
        for (long ow = 0; ow < OW; ow++) {
          double r = 0;
          long gg = m / (M / g);
          for (long c = 0; c < Cg; c++)
            for (long kh = 0; kh < 3; kh++)
              for (long kw = 0; kw < 3; kw++) {
                long ih = oh * s - 1 + kh, iw = ow * s - 1 + kw;
                if (ih < 0 || ih >= H || iw < 0 || iw >= W)
                  continue;
                r += (double)X[((gg * Cg + c) * H + ih) * W + iw] * Wt[((m * Cg + c) * 3 + kh) * 3 + kw];
              }
          if (r < 0)
            r = 0;
          if (fabs(r - Y[(m * OH + oh) * OW + ow]) > 1e-4) {
            if (bad++ < 5)
              printf("conv dw=%d m%ld %ld %ld: %g vs %g\n", dw, m, oh, ow, Y[(m * OH + oh) * OW + ow], r);
          }
        }
  }
  printf("%s (%d bad)\n", bad ? "FAIL" : "OK", bad);
  return bad != 0;
}
