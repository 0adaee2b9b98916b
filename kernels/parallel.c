/*===- parallel.c - SGEMM and convolution split over the workers of an mcc_parallel ----------------===*
 *
 * Each wrapper cuts its output into parts that need no communication and runs them through
 * par->parallel_for, every part a call of the serial kernel on a sub-problem:
 *   - SGEMM: blocks of MR rows (M) or of NR columns (N), whichever has more tiles, through the batch;
 *   - convolution: groups (depthwise: channels), else blocks of MR output channels, through the images.
 * Cuts fall on the kernels' own tile and panel boundaries, so every output element is computed by the
 * same instructions in the same order whatever the number of workers: results are bitwise identical.
 * A job is cut into at most one part per worker, and into fewer when a part would do less than
 * GRAIN_MACS multiply-adds, so small operations stay on the calling thread. Worker 0 uses the scratch
 * the serial call would have; worker w > 0 the w-th slice of `worker_scratch`, `stride` floats apart.
 *===----------------------------------------------------------------------===*/
#include "conv2d_internal.h"

/* About ten microseconds of one core: waking a spinning worker costs well under that. */
#define GRAIN_MACS (INT64_C(1) << 20)

/* Parts for `macs` of work cut into at most `units` pieces. */
static int64_t parts_for(const mcc_parallel *par, int64_t macs, int64_t units) {
  if (!par || !par->parallel_for || par->num_workers <= 1)
    return 1;
  int64_t parts = mcc_min64(par->num_workers, macs / GRAIN_MACS);
  return mcc_max64(1, mcc_min64(parts, units));
}

static float *scratch_of(float *scratch0, float *worker_scratch, int64_t stride, int32_t worker) {
  if (worker == 0 || !scratch0)
    return scratch0;
  return worker_scratch + (worker - 1) * stride;
}

/* [begin, end) of `total` units cut into `parts` nearly equal ranges: range i. */
static void share(int64_t total, int64_t parts, int64_t i, int64_t *begin, int64_t *end) {
  *begin = total * i / parts;
  *end = total * (i + 1) / parts;
}

/*--- SGEMM ---------------------------------------------------------------------------------------*/
struct sgemm_job {
  int64_t batch, M, N, K;
  const float *A;
  int64_t sa, rsa, csa;
  const float *B;
  int64_t sb, rsb, csb;
  int32_t b_packed;
  float *C;
  int64_t sc, ldc;
  const float *bias;
  int32_t bias_kind;
  const float *residual;
  int64_t sr, ldr;
  int32_t act;
  float alpha, beta;
  float *scratch, *worker_scratch;
  int64_t stride;
  /* Units: the MR-row tiles (split_n == 0) or NR-column panels of every batch element, numbered
   * through the batch; `parts` ranges of them. */
  int32_t split_n;
  int64_t tiles, parts;
};

/* The C block of batch element b, tiles [t0, t1) along the split dimension. */
static void sgemm_block(const struct sgemm_job *j, int64_t b, int64_t t0, int64_t t1, float *scratch) {
  int64_t m0 = 0, m1 = j->M, n0 = 0, n1 = j->N;
  if (j->split_n) {
    n0 = t0 * MCC_NR;
    n1 = mcc_min64(t1 * MCC_NR, j->N);
  } else {
    m0 = t0 * MCC_MR;
    m1 = mcc_min64(t1 * MCC_MR, j->M);
  }
  /* A packed B is K x NR panels: the panel of column n0 starts n0 * K floats in. */
  const float *B = j->B + b * j->sb + (j->b_packed ? n0 * j->K : n0 * j->csb);
  const float *bias = !j->bias                         ? NULL
                      : j->bias_kind == MCC_BIAS_PER_N ? j->bias + n0
                      : j->bias_kind == MCC_BIAS_PER_M ? j->bias + m0
                                                       : j->bias;
  const float *res = j->residual ? j->residual + b * j->sr + m0 * j->ldr + n0 : NULL;
  mcc_sgemm(1, m1 - m0, n1 - n0, j->K, j->A + b * j->sa + m0 * j->rsa, j->sa, j->rsa, j->csa, B, j->sb, j->rsb, j->csb,
            j->b_packed, j->C + b * j->sc + m0 * j->ldc + n0, j->sc, j->ldc, bias, j->bias_kind, res, j->sr, j->ldr,
            j->act, j->alpha, j->beta, scratch);
}

static void sgemm_part(void *arg, int64_t begin, int64_t end, int32_t worker) {
  const struct sgemm_job *j = arg;
  float *scratch = scratch_of(j->scratch, j->worker_scratch, j->stride, worker);
  for (int64_t part = begin; part < end; ++part) {
    int64_t u0, u1;
    share(j->batch * j->tiles, j->parts, part, &u0, &u1);
    /* The range may cross batch elements: one call per element it touches. */
    while (u0 < u1) {
      const int64_t b = u0 / j->tiles, t0 = u0 % j->tiles, t1 = mcc_min64(j->tiles, t0 + (u1 - u0));
      sgemm_block(j, b, t0, t1, scratch);
      u0 += t1 - t0;
    }
  }
}

void mcc_sgemm_parallel(const mcc_parallel *par, float *worker_scratch, int64_t stride, int64_t batch, int64_t M,
                        int64_t N, int64_t K, const float *A, int64_t sa, int64_t rsa, int64_t csa, const float *B,
                        int64_t sb, int64_t rsb, int64_t csb, int32_t b_packed, float *C, int64_t sc, int64_t ldc,
                        const float *bias, int32_t bias_kind, const float *residual, int64_t sr, int64_t ldr,
                        int32_t act, float alpha, float beta, float *scratch) {
  const int64_t m_tiles = mcc_ceil_div(M, MCC_MR), n_tiles = mcc_ceil_div(N, MCC_NR);
  /* Rows when there are as many row tiles as column panels: each part then reads a slice of A and all
   * of B (weights, packed once); columns for the short, wide products of transformers and GEMVs. */
  const int32_t split_n = n_tiles > m_tiles;
  const int64_t tiles = split_n ? n_tiles : m_tiles;
  const int64_t macs = batch * M * N * mcc_max64(K, 1);
  const int64_t parts = M <= 0 || N <= 0 ? 1 : parts_for(par, macs, batch * tiles);
  if (parts == 1) {
    mcc_sgemm(batch, M, N, K, A, sa, rsa, csa, B, sb, rsb, csb, b_packed, C, sc, ldc, bias, bias_kind, residual, sr,
              ldr, act, alpha, beta, scratch);
    return;
  }
  struct sgemm_job j = {
      batch,  M,       N,     K,    A,         sa,       rsa, csa, B,   sb,    rsb,  csb,     b_packed,
      C,      sc,      ldc,   bias, bias_kind, residual, sr,  ldr, act, alpha, beta, scratch, worker_scratch,
      stride, split_n, tiles, parts};
  par->parallel_for(par->ctx, sgemm_part, &j, parts);
}

/*--- Convolution ---------------------------------------------------------------------------------*/
struct conv_job {
  int64_t N, C, H, W;
  const float *X;
  int64_t M, KH, KW, group;
  const float *packed_w;
  int64_t sh, sw, dh, dw, pad_t, pad_l, OH, OW;
  float *Y;
  const float *bias, *residual;
  int32_t act;
  float alpha, beta;
  float *scratch, *worker_scratch;
  int64_t stride;
  /* Units: the groups (group > 1; depthwise: channels) or MR-row panels of output channels of every
   * image, numbered through the batch; `parts` ranges of them. */
  int64_t units, parts;
};

/* Image n, groups or output-channel panels [u0, u1) of it. */
static void conv_block(const struct conv_job *j, int64_t n, int64_t u0, int64_t u1, float *scratch) {
  const int64_t P = j->OH * j->OW, Cg = j->C / j->group, Mg = j->M / j->group, Kg = Cg * j->KH * j->KW;
  const float *X = j->X + n * j->C * j->H * j->W, *w;
  int64_t C = j->C, M, m0, group = j->group;
  if (j->group > 1) {
    group = u1 - u0;
    C = group * Cg;
    M = group * Mg;
    m0 = u0 * Mg;
    X += u0 * Cg * j->H * j->W;
    /* Packed weights: depthwise as given ([C][KH][KW]), else MR-row panels per group. */
    w = j->packed_w + (Cg == 1 && Mg == 1 ? u0 * j->KH * j->KW : u0 * mcc_ceil_div(Mg, MCC_MR) * MCC_MR * Kg);
  } else {
    const int64_t unit = mcc_conv2d_pixel_rows(MCC_ISA, j->M, Cg, j->KH, j->KW, 1, P) ? MCC_NR : MCC_MR;
    m0 = u0 * unit;
    M = mcc_min64(u1 * unit, j->M) - m0;
    w = j->packed_w + m0 * Kg;
  }
  const int64_t y0 = (n * j->M + m0) * P;
  mcc_conv2d(1, C, j->H, j->W, X, M, j->KH, j->KW, group, w, j->sh, j->sw, j->dh, j->dw, j->pad_t, j->pad_l, j->OH,
             j->OW, j->Y + y0, j->bias ? j->bias + m0 : NULL, j->residual ? j->residual + y0 : NULL, j->act, j->alpha,
             j->beta, scratch);
}

static void conv_part(void *arg, int64_t begin, int64_t end, int32_t worker) {
  const struct conv_job *j = arg;
  float *scratch = scratch_of(j->scratch, j->worker_scratch, j->stride, worker);
  for (int64_t part = begin; part < end; ++part) {
    int64_t u0, u1;
    share(j->N * j->units, j->parts, part, &u0, &u1);
    while (u0 < u1) {
      const int64_t n = u0 / j->units, t0 = u0 % j->units, t1 = mcc_min64(j->units, t0 + (u1 - u0));
      conv_block(j, n, t0, t1, scratch);
      u0 += t1 - t0;
    }
  }
}

void mcc_conv2d_parallel(const mcc_parallel *par, float *worker_scratch, int64_t stride, int64_t N, int64_t C,
                         int64_t H, int64_t W, const float *X, int64_t M, int64_t KH, int64_t KW, int64_t group,
                         const float *packed_w, int64_t sh, int64_t sw, int64_t dh, int64_t dw, int64_t pad_t,
                         int64_t pad_l, int64_t OH, int64_t OW, float *Y, const float *bias, const float *residual,
                         int32_t act, float alpha, float beta, float *scratch) {
  const int64_t rows = mcc_conv2d_pixel_rows(MCC_ISA, M, C / mcc_max64(group, 1), KH, KW, group, OH * OW);
  const int64_t units = group > 1 ? group : mcc_ceil_div(M, rows ? MCC_NR : MCC_MR);
  /* Depthwise runs at a fraction of the GEMM's rate per multiply-add (no reuse): weigh it so. */
  const int64_t depthwise = group > 1 && C == group && M == group;
  const int64_t macs = N * M * OH * OW * (C / mcc_max64(group, 1)) * KH * KW * (depthwise ? 4 : 1);
  const int64_t parts = OH <= 0 || OW <= 0 || M <= 0 ? 1 : parts_for(par, macs, N * units);
  if (parts == 1) {
    mcc_conv2d(N, C, H, W, X, M, KH, KW, group, packed_w, sh, sw, dh, dw, pad_t, pad_l, OH, OW, Y, bias, residual, act,
               alpha, beta, scratch);
    return;
  }
  struct conv_job j = {N,      C,     H,     W,  X,  M, KH,   KW,       group, packed_w, sh,   sw,      dh,
                       dw,     pad_t, pad_l, OH, OW, Y, bias, residual, act,   alpha,    beta, scratch, worker_scratch,
                       stride, units, parts};
  par->parallel_for(par->ctx, conv_part, &j, parts);
}
