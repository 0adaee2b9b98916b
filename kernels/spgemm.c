/*===- spgemm.c - sparse SGEMM: C = epilogue(A x B) for a mostly-zero constant B ---------------===*
 *
 * Block layout (bw = VL). B is packed at compile time into panels one vector wide (MCC_VL columns); a
 * panel keeps only the rows k whose block B[k, panel] has a nonzero, as (k, VL floats). The microkernel
 * holds an MR x VL
 * tile of C in MR vector registers and, per stored block, broadcasts A[i, k] for its MR rows and
 * issues MR full-vector FMAs: the work is proportional to the nonzero blocks, and no lane is wasted
 * on a zero that shares its block with nothing. The rows of A one tile reads are packed first
 * ([k][MR], a scratch of MR x K floats) so the broadcasts address one stream with constant offsets
 * instead of MR row pointers, which would not fit in the general registers next to the loop state.
 * With one row (M = 1: a matrix-vector product) A is read in place, and the blocks are split over four
 * accumulators, since one FMA chain would wait out its latency at every block.
 *
 * Column layout (bw = 1). Scattered zeros leave few whole blocks zero, so B is kept as compressed
 * columns (k, value) and the vectors run along M instead: a tile of up to 4 x VL rows of A is packed
 * transposed (A^T, [K][MT]), each nonzero B[k, n] adds B[k, n] x A^T[k, tile] to the column n of C
 * held in MT / VL registers, and VL columns at a time are transposed into C through the epilogue.
 *===----------------------------------------------------------------------===*/
#include "epilogue.h"
#include "internal.h"

/* The packed form is 32-bit words in a float array: the integers are read by bit pattern. */
typedef int32_t mcc_word __attribute__((__may_alias__, aligned(4)));

static int block_nonzero(const float *B, int64_t rsb, int64_t csb, int64_t k, int64_t n0, int64_t w) {
  for (int64_t j = 0; j < w; ++j)
    if (B[k * rsb + (n0 + j) * csb] != 0.0f)
      return 1;
  return 0;
}

int64_t mcc_spgemm_nonzero_blocks(int64_t bw, int64_t K, int64_t N, const float *B, int64_t rsb, int64_t csb) {
  int64_t count = 0;
  for (int64_t n0 = 0; n0 < N; n0 += bw)
    for (int64_t k = 0; k < K; ++k)
      count += block_nonzero(B, rsb, csb, k, n0, mcc_min64(bw, N - n0));
  return count;
}

int64_t mcc_spgemm_packed_floats(int64_t bw, int64_t K, int64_t N, int64_t nonzero_blocks) {
  (void)K;
  return 2 + (mcc_ceil_div(N, bw) + 1) + nonzero_blocks * (1 + bw);
}

void mcc_spgemm_pack(int64_t bw, int64_t K, int64_t N, const float *B, int64_t rsb, int64_t csb, float *packed) {
  const int64_t P = mcc_ceil_div(N, bw);
  const int64_t nnzb = mcc_spgemm_nonzero_blocks(bw, K, N, B, rsb, csb);
  mcc_word *w = (mcc_word *)packed;
  mcc_word *starts = w + 2, *kidx = w + 2 + P + 1;
  float *vals = packed + 2 + P + 1 + nnzb;
  w[0] = (int32_t)bw;
  w[1] = (int32_t)P;
  int64_t b = 0;
  for (int64_t p = 0; p < P; ++p) {
    const int64_t n0 = p * bw, width = mcc_min64(bw, N - n0);
    starts[p] = (int32_t)b;
    for (int64_t k = 0; k < K; ++k) {
      if (!block_nonzero(B, rsb, csb, k, n0, width))
        continue;
      kidx[b] = (int32_t)k;
      for (int64_t j = 0; j < bw; ++j)
        vals[b * bw + j] = j < width ? B[k * rsb + (n0 + j) * csb] : 0.0f;
      ++b;
    }
  }
  starts[P] = (int32_t)b;
}

/*--- Microkernel -------------------------------------------------------------------------------
 * acc[i] = sum over the panel's blocks b of A[i, k_b] * vals_b, for mr rows. A row i, column k is at
 * a[i * a_rs + k * a_cs] (packed: a_rs = 1, a_cs = MR). u accumulators per row cover the FMA latency
 * when mr alone does not; both are compile-time constants at every call. */
MCC_INLINE void sp_tile(const int mr, const int u, int64_t nb, const mcc_word *kidx, const float *vals, const float *a,
                        int64_t a_rs, int64_t a_cs, vf *out) {
  vf acc[MCC_MR][4];
#pragma clang loop unroll(full)
  for (int i = 0; i < mr; ++i)
#pragma clang loop unroll(full)
    for (int s = 0; s < u; ++s)
      acc[i][s] = vsplat(0.0f);
  int64_t b = 0;
  for (; b + u <= nb; b += u) {
#pragma clang loop unroll(full)
    for (int s = 0; s < u; ++s) {
      const float *ak = a + (int64_t)kidx[b + s] * a_cs;
      vf bv = vload(vals + (b + s) * MCC_VL);
#pragma clang loop unroll(full)
      for (int i = 0; i < mr; ++i)
        acc[i][s] += vsplat(ak[i * a_rs]) * bv;
    }
  }
  for (; b < nb; ++b) {
    const float *ak = a + (int64_t)kidx[b] * a_cs;
    vf bv = vload(vals + b * MCC_VL);
#pragma clang loop unroll(full)
    for (int i = 0; i < mr; ++i)
      acc[i][0] += vsplat(ak[i * a_rs]) * bv;
  }
#pragma clang loop unroll(full)
  for (int i = 0; i < mr; ++i) {
    vf v = acc[i][0];
#pragma clang loop unroll(full)
    for (int s = 1; s < u; ++s)
      v += acc[i][s];
    out[i] = v;
  }
}

#define SP_TILE_FN(n, u)                                                                                               \
  static void sp_tile_##n(int64_t nb, const mcc_word *kidx, const float *vals, const float *a, int64_t a_rs,           \
                          int64_t a_cs, vf *out) {                                                                     \
    sp_tile(n, u, nb, kidx, vals, a, a_rs, a_cs, out);                                                                 \
  }                                                                                                                    \
  static void sp_tile_packed_##n(int64_t nb, const mcc_word *kidx, const float *vals, const float *a, vf *out) {       \
    sp_tile(n, u, nb, kidx, vals, a, 1, MCC_MR, out);                                                                  \
  }
SP_TILE_FN(1, 4)
SP_TILE_FN(2, 2)
SP_TILE_FN(3, 2)
SP_TILE_FN(4, 1)
#if MCC_MR >= 6
SP_TILE_FN(5, 1)
SP_TILE_FN(6, 1)
#endif
#if MCC_MR >= 8
SP_TILE_FN(7, 1)
SP_TILE_FN(8, 1)
#endif
#if MCC_MR >= 14
SP_TILE_FN(9, 1)
SP_TILE_FN(10, 1)
SP_TILE_FN(11, 1)
SP_TILE_FN(12, 1)
SP_TILE_FN(13, 1)
SP_TILE_FN(14, 1)
#endif

static void run_sp_tile(int64_t mr, int a_packed, int64_t nb, const mcc_word *kidx, const float *vals, const float *a,
                        int64_t a_rs, int64_t a_cs, vf *out) {
#define CASE(n)                                                                                                        \
  case n:                                                                                                              \
    if (a_packed)                                                                                                      \
      sp_tile_packed_##n(nb, kidx, vals, a, out);                                                                      \
    else                                                                                                               \
      sp_tile_##n(nb, kidx, vals, a, a_rs, a_cs, out);                                                                 \
    return;
  switch (mr) {
    CASE(1)
    CASE(2)
    CASE(3)
    CASE(4)
#if MCC_MR >= 6
    CASE(5)
    CASE(6)
#endif
#if MCC_MR >= 8
    CASE(7)
    CASE(8)
#endif
#if MCC_MR >= 14
    CASE(9)
    CASE(10)
    CASE(11)
    CASE(12)
    CASE(13)
    CASE(14)
#endif
  default:
    return;
  }
#undef CASE
}

/*--- Column kernel ------------------------------------------------------------------------------
 * t[0:u*VL] = sum over the column's nonzeros b of vals[b] x at[k_b * lda + 0:u*VL]: a tile of u*VL rows
 * of A^T (rows lda apart). p partial sums per vector cover the FMA latency when u alone does not. */
MCC_INLINE void col_tile(const int u, const int p, int64_t nb, const mcc_word *kidx, const float *vals, const float *at,
                         int64_t lda, float *t) {
  vf acc[4][4];
#pragma clang loop unroll(full)
  for (int s = 0; s < u; ++s)
#pragma clang loop unroll(full)
    for (int q = 0; q < p; ++q)
      acc[s][q] = vsplat(0.0f);
  int64_t b = 0;
  for (; b + p <= nb; b += p) {
#pragma clang loop unroll(full)
    for (int q = 0; q < p; ++q) {
      const float *ak = at + (int64_t)kidx[b + q] * lda;
      vf v = vsplat(vals[b + q]);
#pragma clang loop unroll(full)
      for (int s = 0; s < u; ++s)
        acc[s][q] += v * vload(ak + s * MCC_VL);
    }
  }
  for (; b < nb; ++b) {
    const float *ak = at + (int64_t)kidx[b] * lda;
    vf v = vsplat(vals[b]);
#pragma clang loop unroll(full)
    for (int s = 0; s < u; ++s)
      acc[s][0] += v * vload(ak + s * MCC_VL);
  }
#pragma clang loop unroll(full)
  for (int s = 0; s < u; ++s) {
    vf v = acc[s][0];
#pragma clang loop unroll(full)
    for (int q = 1; q < p; ++q)
      v += acc[s][q];
    vstore(t + s * MCC_VL, v);
  }
}

static void col_tile_1(int64_t nb, const mcc_word *kidx, const float *vals, const float *at, int64_t lda, float *t) {
  col_tile(1, 4, nb, kidx, vals, at, lda, t);
}
static void col_tile_2(int64_t nb, const mcc_word *kidx, const float *vals, const float *at, int64_t lda, float *t) {
  col_tile(2, 2, nb, kidx, vals, at, lda, t);
}
static void col_tile_4(int64_t nb, const mcc_word *kidx, const float *vals, const float *at, int64_t lda, float *t) {
  col_tile(4, 1, nb, kidx, vals, at, lda, t);
}
static void run_col_tile(int64_t u, int64_t nb, const mcc_word *kidx, const float *vals, const float *at, int64_t lda,
                         float *t) {
  if (u == 4)
    col_tile_4(nb, kidx, vals, at, lda, t);
  else if (u == 2)
    col_tile_2(nb, kidx, vals, at, lda, t);
  else
    col_tile_1(nb, kidx, vals, at, lda, t);
}

/* Vectors of rows per tile of the column kernel: as many as M fills, at most 4 (8 would take more
 * registers, and its A^T tile, K x 8 VL floats, falls out of L2 sooner: measured slower at M = 128). */
static int64_t col_vectors(int64_t M, int64_t vl) { return M >= 4 * vl ? 4 : M >= 2 * vl ? 2 : 1; }

/*--- Driver ------------------------------------------------------------------------------------*/
struct sp_epilogue {
  const float *bias;
  int32_t bias_kind;
  const float *res;
  int64_t ldr;
  int32_t act;
  float alpha, beta;
};

/* Rows [m0, m0+mr) x columns [n0, n0+w) of C from their accumulators, through the epilogue (the same
 * order as the dense kernel: bias, residual, activation). */
static void store_tile(const struct sp_epilogue *e, const vf *acc, int64_t mr, float *C, int64_t ldc, int64_t m0,
                       int64_t n0, int64_t w) {
  for (int64_t i = 0; i < mr; ++i) {
    float *row = C + (m0 + i) * ldc + n0;
    const float *bn = e->bias_kind == MCC_BIAS_PER_N ? e->bias + n0 : NULL;
    float bm = e->bias_kind == MCC_BIAS_PER_M ? e->bias[m0 + i] : 0.0f;
    const float *res = e->res ? e->res + (m0 + i) * e->ldr + n0 : NULL;
    if (w == MCC_VL) {
      vf v = acc[i] + bm;
      if (bn)
        v += vload(bn);
      if (res)
        v += vload(res);
      vstore(row, mcc_vact(v, e->act, e->alpha, e->beta));
    } else {
      float tmp[MCC_VL];
      vstore(tmp, acc[i]);
      mcc_epilogue_row(row, tmp, w, bn, bm, res, e->act, e->alpha, e->beta);
    }
  }
}

/* The column layout for one matrix: tiles of MT rows, A^T of the tile in scratch, then VL columns of
 * C at a time into a VL x MT buffer behind it, transposed into C through the epilogue. */
static void spgemm_columns(int64_t M, int64_t N, int64_t K, const float *a, int64_t rsa, int64_t csa,
                           const mcc_word *starts, const mcc_word *kidx, const float *vals, float *c, int64_t ldc,
                           const struct sp_epilogue *e, float *scratch) {
  const int64_t u = col_vectors(M, MCC_VL), MT = u * MCC_VL;
  float *at = scratch, *tbuf = scratch + K * MT;
  for (int64_t m0 = 0; m0 < M; m0 += MT) {
    const int64_t mt = mcc_min64(MT, M - m0);
    for (int64_t k = 0; k < K; ++k) {
      float *dst = at + k * MT;
      for (int64_t i = 0; i < mt; ++i)
        dst[i] = a[(m0 + i) * rsa + k * csa];
      for (int64_t i = mt; i < MT; ++i)
        dst[i] = 0.0f;
    }
    for (int64_t n0 = 0; n0 < N; n0 += MCC_VL) {
      const int64_t w = mcc_min64(MCC_VL, N - n0);
      for (int64_t j = 0; j < w; ++j) {
        const int64_t b0 = starts[n0 + j], nb = starts[n0 + j + 1] - b0;
        run_col_tile(u, nb, kidx + b0, vals + b0, at, MT, tbuf + j * MT);
      }
      for (int64_t i = 0; i < mt; ++i) {
        float row[MCC_VL];
        for (int64_t j = 0; j < w; ++j)
          row[j] = tbuf[j * MT + i];
        const float *bn = e->bias_kind == MCC_BIAS_PER_N ? e->bias + n0 : NULL;
        float bm = e->bias_kind == MCC_BIAS_PER_M ? e->bias[m0 + i] : 0.0f;
        const float *res = e->res ? e->res + (m0 + i) * e->ldr + n0 : NULL;
        mcc_epilogue_row(c + (m0 + i) * ldc + n0, row, w, bn, bm, res, e->act, e->alpha, e->beta);
      }
    }
  }
}

void mcc_spgemm(int64_t batch, int64_t M, int64_t N, int64_t K, const float *A, int64_t sa, int64_t rsa, int64_t csa,
                const float *packed_b, float *C, int64_t sc, int64_t ldc, const float *bias, int32_t bias_kind,
                const float *residual, int64_t sr, int64_t ldr, int32_t act, float alpha, float beta, float *scratch) {
  if (M <= 0 || N <= 0)
    return;
  const mcc_word *w = (const mcc_word *)packed_b;
  const int columns = w[0] == 1;
  const int64_t P = w[1];
  const mcc_word *starts = w + 2, *kidx = w + 2 + P + 1;
  const int64_t nnzb = starts[P];
  const float *vals = packed_b + 2 + P + 1 + nnzb;
  for (int64_t bi = 0; bi < batch; ++bi) {
    const float *a = A + bi * sa;
    float *c = C + bi * sc;
    struct sp_epilogue e = {
        bias, bias ? bias_kind : MCC_BIAS_NONE, residual ? residual + bi * sr : NULL, ldr, act, alpha, beta};
    if (columns) {
      spgemm_columns(M, N, K, a, rsa, csa, starts, kidx, vals, c, ldc, &e, scratch);
      continue;
    }
    for (int64_t m0 = 0; m0 < M; m0 += MCC_MR) {
      const int64_t mr = mcc_min64(MCC_MR, M - m0);
      const float *at = a + m0 * rsa;
      int64_t a_rs = rsa, a_cs = csa;
      const int a_packed = mr > 1 && scratch;
      if (a_packed) {
        for (int64_t k = 0; k < K; ++k)
          for (int64_t i = 0; i < mr; ++i)
            scratch[k * MCC_MR + i] = at[i * rsa + k * csa];
        at = scratch;
        a_rs = 1;
        a_cs = MCC_MR;
      }
      for (int64_t p = 0; p < P; ++p) {
        vf acc[MCC_MR];
        const int64_t b0 = starts[p];
        run_sp_tile(mr, a_packed, starts[p + 1] - b0, kidx + b0, vals + b0 * MCC_VL, at, a_rs, a_cs, acc);
        store_tile(&e, acc, mr, c, ldc, m0, p * MCC_VL, mcc_min64(MCC_VL, N - p * MCC_VL));
      }
    }
  }
}

int64_t mcc_spgemm_scratch_floats(enum mcc_isa isa, int64_t bw, int64_t M, int64_t K) {
  if (bw == 1) {
    const int64_t vl = mcc_spgemm_bw(isa), mt = col_vectors(M, vl) * vl;
    return (K + vl) * mt;
  }
  return M > 1 ? mcc_sgemm_mr(isa) * K : 0;
}

/*--- Sparse 1x1 convolution (NCHW, stride 1, no padding) ----------------------------------------
 * Y[n] = W x X[n] with X[n] as C x HW: the column layout with A^T = X[n] itself (rows HW apart, read in
 * place) and C^T = Y[n], so each output channel's tile of HW positions is one contiguous run of Y. The
 * last, partial tile of positions is copied zero-padded into scratch so no load runs past X. */
void mcc_spconv1x1(int64_t N, int64_t C, int64_t HW, const float *X, int64_t M, const float *packed_w, float *Y,
                   const float *bias, const float *residual, int32_t act, float alpha, float beta, float *scratch) {
  const mcc_word *w = (const mcc_word *)packed_w;
  const int64_t P = w[1];
  const mcc_word *starts = w + 2, *kidx = w + 2 + P + 1;
  const float *vals = packed_w + 2 + P + 1 + starts[P];
  const int64_t u = col_vectors(HW, MCC_VL), MT = u * MCC_VL;
  float t[4 * MCC_VL];
  for (int64_t n = 0; n < N; ++n) {
    const float *x = X + n * C * HW;
    float *y = Y + n * M * HW;
    const float *res = residual ? residual + n * M * HW : NULL;
    for (int64_t hw0 = 0; hw0 < HW; hw0 += MT) {
      const int64_t mt = mcc_min64(MT, HW - hw0);
      const float *at = x + hw0;
      int64_t lda = HW;
      if (mt < MT) {
        for (int64_t c = 0; c < C; ++c) {
          copy_run(scratch + c * MT, x + c * HW + hw0, mt);
          zero_run(scratch + c * MT + mt, MT - mt);
        }
        at = scratch;
        lda = MT;
      }
      for (int64_t m = 0; m < M && m < P; ++m) {
        const int64_t b0 = starts[m];
        run_col_tile(u, starts[m + 1] - b0, kidx + b0, vals + b0, at, lda, t);
        mcc_epilogue_row(y + m * HW + hw0, t, mt, NULL, bias ? bias[m] : 0.0f, res ? res + m * HW + hw0 : NULL, act,
                         alpha, beta);
      }
    }
  }
}

int64_t mcc_spconv1x1_scratch_floats(enum mcc_isa isa, int64_t C, int64_t HW) {
  const int64_t vl = mcc_spgemm_bw(isa), mt = col_vectors(HW, vl) * vl;
  return HW % mt ? C * mt : 0;
}
