/*===- sgemm.c - SGEMM: register-blocked microkernel, K/M/N blocking, packing, scratch sizing -===*
 *
 * GotoBLAS-style loops, ordered so that the MC x NCD block of C stays in L2 across the K blocks:
 * N blocks (NCD) > M blocks (MC) > K blocks (KC) > NR panels of B > MR tiles of A. A KC x NR slice of
 * packed B stays in L1 while the MR-row tiles of A pass; an MR x NR tile of C stays in registers for
 * a whole K block. C is the accumulator between K blocks; the epilogue runs on a tile right after its
 * last K block, while it is still in L1. B is packed at compile time (weights) or here into scratch
 * (strided or large B); row-major A is read in place, a transposed A is packed.
 *===----------------------------------------------------------------------===*/
#include "epilogue.h"
#include "internal.h"

/*--- Blocking per ISA: the host (packing, sizing) asks for any ISA, a kernel build uses its own. --*/
static int64_t kc_of(enum mcc_isa isa) { return MCC_KC_FOR(isa); }
static int64_t mc_of(enum mcc_isa isa) { return MCC_MC_FOR(isa); }

struct gemm_plan {
  int pack_a, pack_b;
  int64_t a_floats, b_floats;
};

/* Packing A costs M*K per N block and pays once several NR panels reuse it; packing B costs K*N and
 * pays once several MR tiles reuse it (and avoids cache-set conflicts of power-of-two row strides).
 * A strided B (csb != 1) is packed whenever M is more than one tile. */
static struct gemm_plan gemm_plan(enum mcc_isa isa, int64_t M, int64_t N, int64_t K, int32_t b_packed, int64_t rsb,
                                  int64_t csb) {
  int64_t mr = mcc_sgemm_mr(isa), nr = mcc_sgemm_nr(isa);
  int64_t kc = mcc_max64(1, mcc_min64(kc_of(isa), K));
  struct gemm_plan p = {0, 0, 0, 0};
  if (M <= 0 || N <= 0)
    return p;
  p.pack_a = N > 2 * nr && K > 0;
  p.pack_b = !b_packed && K > 0 && (M > 2 * mr || (csb != 1 && M > mr));
  if (p.pack_a)
    p.a_floats = mcc_min64(mc_of(isa), mcc_ceil_div(M, mr) * mr) * kc;
  if (p.pack_b)
    p.b_floats = mcc_min64(MCC_NCD_FOR(isa), mcc_ceil_div(N, nr) * nr) * mcc_max64(K, 1);
  (void)rsb;
  return p;
}

int64_t mcc_sgemm_scratch_floats(enum mcc_isa isa, int64_t M, int64_t N, int64_t K, int32_t b_packed, int64_t rsb,
                                 int64_t csb) {
  struct gemm_plan p = gemm_plan(isa, M, N, K, b_packed, rsb, csb);
  return p.a_floats + p.b_floats;
}

/*--- Packing ------------------------------------------------------------------------------------*/
void mcc_pack_b_block(int64_t nr, const float *B, int64_t rsb, int64_t csb, int64_t k0, int64_t kc, int64_t n0,
                      int64_t nc, float *packed) {
  const int64_t panels = mcc_ceil_div(nc, nr), tail = nc - (panels - 1) * nr;
  if (csb == 1) {
    /* Row by row: each row of B is read once, contiguously (a panel at a time would walk K rows
     * ldb apart, a TLB miss per row). */
    for (int64_t k = 0; k < kc; ++k) {
      const float *src = B + (k0 + k) * rsb + n0;
      for (int64_t p = 0; p < panels; ++p) {
        float *dst = packed + p * kc * nr + k * nr;
        int64_t w = p + 1 < panels ? nr : tail;
        mcc_memcpy(dst, src + p * nr, (size_t)w * 4);
        if (w < nr)
          mcc_memset(dst + w, 0, (size_t)(nr - w) * 4);
      }
    }
    return;
  }
  /* Column by column, reading along k: contiguous when B is transposed (rsb == 1). */
  for (int64_t p = 0; p < panels; ++p) {
    float *dst = packed + p * kc * nr;
    int64_t w = p + 1 < panels ? nr : tail;
    const float *src = B + k0 * rsb + (n0 + p * nr) * csb;
    for (int64_t j = 0; j < w; ++j)
      for (int64_t k = 0; k < kc; ++k)
        dst[k * nr + j] = src[k * rsb + j * csb];
    for (int64_t j = w; j < nr; ++j)
      for (int64_t k = 0; k < kc; ++k)
        dst[k * nr + j] = 0.0f;
  }
}

int64_t mcc_sgemm_packed_b_floats(enum mcc_isa isa, int64_t K, int64_t N) {
  int64_t nr = mcc_sgemm_nr(isa);
  return mcc_ceil_div(N, nr) * nr * K;
}

void mcc_sgemm_pack_b(enum mcc_isa isa, int64_t K, int64_t N, const float *B, int64_t rsb, int64_t csb, float *packed) {
  mcc_pack_b_block(mcc_sgemm_nr(isa), B, rsb, csb, 0, K, 0, N, packed);
}

/* Rows [m0, m0+mc) x columns [k0, k0+kc) of A into MR-row panels ([kc][MR] each), zero rows past mc. */
static void pack_a_block(const float *A, int64_t rsa, int64_t csa, int64_t m0, int64_t mc, int64_t k0, int64_t kc,
                         float *packed) {
  for (int64_t p = 0; p * MCC_MR < mc; ++p) {
    float *dst = packed + p * kc * MCC_MR;
    int64_t h = mcc_min64(MCC_MR, mc - p * MCC_MR);
    for (int64_t i = 0; i < h; ++i) {
      const float *src = A + (m0 + p * MCC_MR + i) * rsa + k0 * csa;
      for (int64_t k = 0; k < kc; ++k)
        dst[k * MCC_MR + i] = src[k * csa];
    }
    for (int64_t i = h; i < MCC_MR; ++i)
      for (int64_t k = 0; k < kc; ++k)
        dst[k * MCC_MR + i] = 0.0f;
  }
}

/* The epilogue fused into a whole tile's store, while it is in registers (the common activations;
 * the others and partial tiles go through tile_epilogue after the store). */
struct tile_epi {
  const struct mcc_gemm_args *g;
  int64_t m0, n0; /* the tile's first element in C */
};

MCC_INLINE int epi_fusable(int32_t act) { return act == MCC_ACT_NONE || act == MCC_ACT_RELU || act == MCC_ACT_CLIP; }

MCC_INLINE void store_tile_epi(const int mr, const int ACT, vf (*acc)[MCC_NV], float *c, int64_t ldc, int first,
                               const struct tile_epi *e) {
  const struct mcc_gemm_args *g = e->g;
  vf bn[MCC_NV];
#pragma clang loop unroll(full)
  for (int j = 0; j < MCC_NV; ++j)
    bn[j] = g->bias_kind == MCC_BIAS_PER_N ? vload(g->bias + e->n0 + j * MCC_VL) : vsplat(0.0f);
  const float *res = g->res ? g->res + e->m0 * g->ldr + e->n0 : NULL;
#pragma clang loop unroll(full)
  for (int i = 0; i < mr; ++i) {
    const float bm = g->bias_kind == MCC_BIAS_PER_M ? g->bias[e->m0 + i] : 0.0f;
#pragma clang loop unroll(full)
    for (int j = 0; j < MCC_NV; ++j) {
      float *cp = c + i * ldc + j * MCC_VL;
      vf v = (first ? acc[i][j] : acc[i][j] + vload(cp)) + bn[j] + bm;
      if (res)
        v += vload(res + i * g->ldr + j * MCC_VL);
      vstore(cp, mcc_vact(v, ACT, g->alpha, g->beta));
    }
  }
}

/*--- Microkernel ------------------------------------------------------------------------------
 * C[0:mr, 0:NR] (+)= A[0:mr, 0:kc] x B[0:kc, 0:NR]; A element (i,k) at a[i*a_rs + k*a_cs], B row k at
 * b + k*b_rs (NR contiguous floats, zero-padded past the valid columns). mr is a compile-time
 * constant at every call (see UKERNEL_CASES), so the tile is fully unrolled into registers. When
 * nr < NR the tile goes through a stack buffer and only nr columns reach C. epi (whole tiles of the
 * last K block only) applies the epilogue before the store. */
MCC_INLINE void ukernel(const int mr, int64_t kc, const float *a, int64_t a_rs, int64_t a_cs, const float *b,
                        int64_t b_rs, float *c, int64_t ldc, int first, int64_t nr, const struct tile_epi *epi) {
  vf acc[MCC_MR][MCC_NV];
  /* C rows are far apart (ldc), beyond what the hardware prefetcher follows: ask for the tile now so
   * it is in L1 when the K loop ends, instead of paying a miss per row after it. */
#pragma clang loop unroll(full)
  for (int i = 0; i < mr; ++i) {
    __builtin_prefetch(c + i * ldc, 1, 3);
    __builtin_prefetch(c + i * ldc + MCC_NR - 1, 1, 3);
  }
#pragma clang loop unroll(full)
  for (int i = 0; i < mr; ++i)
#pragma clang loop unroll(full)
    for (int j = 0; j < MCC_NV; ++j)
      acc[i][j] = vsplat(0.0f);
  for (int64_t k = 0; k < kc; ++k) {
    vf bv[MCC_NV];
#pragma clang loop unroll(full)
    for (int j = 0; j < MCC_NV; ++j)
      bv[j] = vload(b + k * b_rs + j * MCC_VL);
#pragma clang loop unroll(full)
    for (int i = 0; i < mr; ++i) {
      vf ai = vsplat(a[i * a_rs + k * a_cs]);
#pragma clang loop unroll(full)
      for (int j = 0; j < MCC_NV; ++j)
        acc[i][j] += ai * bv[j];
    }
  }
  if (MCC_LIKELY(nr == MCC_NR) && epi) {
    switch (epi->g->act) {
    case MCC_ACT_RELU:
      store_tile_epi(mr, MCC_ACT_RELU, acc, c, ldc, first, epi);
      return;
    case MCC_ACT_CLIP:
      store_tile_epi(mr, MCC_ACT_CLIP, acc, c, ldc, first, epi);
      return;
    default:
      store_tile_epi(mr, MCC_ACT_NONE, acc, c, ldc, first, epi);
      return;
    }
  }
  if (MCC_LIKELY(nr == MCC_NR)) {
#pragma clang loop unroll(full)
    for (int i = 0; i < mr; ++i)
#pragma clang loop unroll(full)
      for (int j = 0; j < MCC_NV; ++j) {
        float *cp = c + i * ldc + j * MCC_VL;
        vstore(cp, first ? acc[i][j] : acc[i][j] + vload(cp));
      }
    return;
  }
  /* Unrolled like the rest, so that acc is never indexed at run time: otherwise it lives in memory and
   * every tile starts by zeroing MR x NV vectors of stack. */
  float tile[MCC_NR];
#pragma clang loop unroll(full)
  for (int i = 0; i < mr; ++i) {
#pragma clang loop unroll(full)
    for (int j = 0; j < MCC_NV; ++j)
      vstore(tile + j * MCC_VL, acc[i][j]);
    float *cp = c + i * ldc;
    if (first)
      mcc_memcpy(cp, tile, (size_t)nr * 4);
    else
      for (int64_t j = 0; j < nr; ++j)
        cp[j] += tile[j];
  }
}

/* One function per row count keeps the specialisations out of line (code size) and lets the
 * packed-A case (a_rs = 1, a_cs = MR) fold its addressing. */
#define UKERNEL_FN(n)                                                                                                  \
  static void ukernel_##n(int64_t kc, const float *a, int64_t a_rs, int64_t a_cs, const float *b, int64_t b_rs,        \
                          float *c, int64_t ldc, int first, int64_t nr, const struct tile_epi *epi) {                  \
    ukernel(n, kc, a, a_rs, a_cs, b, b_rs, c, ldc, first, nr, epi);                                                    \
  }                                                                                                                    \
  static void ukernel_packed_##n(int64_t kc, const float *a, const float *b, int64_t b_rs, float *c, int64_t ldc,      \
                                 int first, int64_t nr, const struct tile_epi *epi) {                                  \
    ukernel(n, kc, a, 1, MCC_MR, b, b_rs, c, ldc, first, nr, epi);                                                     \
  }                                                                                                                    \
  static void ukernel_cols_##n(int64_t kc, const float *a, int64_t a_cs, const float *b, int64_t b_rs, float *c,       \
                               int64_t ldc, int first, int64_t nr, const struct tile_epi *epi) {                       \
    ukernel(n, kc, a, 1, a_cs, b, b_rs, c, ldc, first, nr, epi);                                                       \
  }
UKERNEL_FN(1)
UKERNEL_FN(2)
UKERNEL_FN(3)
UKERNEL_FN(4)
#if MCC_MR >= 6
UKERNEL_FN(5)
UKERNEL_FN(6)
#endif
#if MCC_MR >= 8
UKERNEL_FN(7)
UKERNEL_FN(8)
#endif
#if MCC_MR >= 14
UKERNEL_FN(9)
UKERNEL_FN(10)
UKERNEL_FN(11)
UKERNEL_FN(12)
UKERNEL_FN(13)
UKERNEL_FN(14)
#endif

typedef void (*ukernel_fn)(int64_t, const float *, int64_t, int64_t, const float *, int64_t, float *, int64_t, int,
                           int64_t, const struct tile_epi *);
typedef void (*ukernel_packed_fn)(int64_t, const float *, const float *, int64_t, float *, int64_t, int, int64_t,
                                  const struct tile_epi *);

static void run_ukernel(int64_t mr, int a_packed, int64_t kc, const float *a, int64_t a_rs, int64_t a_cs,
                        const float *b, int64_t b_rs, float *c, int64_t ldc, int first, int64_t nr,
                        const struct tile_epi *epi) {
#define CASE(n)                                                                                                        \
  case n:                                                                                                              \
    if (a_packed)                                                                                                      \
      ukernel_packed_##n(kc, a, b, b_rs, c, ldc, first, nr, epi);                                                      \
    else if (a_rs == 1)                                                                                                \
      ukernel_cols_##n(kc, a, a_cs, b, b_rs, c, ldc, first, nr, epi);                                                  \
    else                                                                                                               \
      ukernel_##n(kc, a, a_rs, a_cs, b, b_rs, c, ldc, first, nr, epi);                                                 \
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

static void tile_epilogue(const struct mcc_gemm_args *g, int64_t m0, int64_t n0, int64_t mr, int64_t nr) {
  for (int64_t i = 0; i < mr; ++i) {
    float *row = g->c + (m0 + i) * g->ldc + n0;
    const float *bn = g->bias_kind == MCC_BIAS_PER_N ? g->bias + n0 : NULL;
    float bm = g->bias_kind == MCC_BIAS_PER_M ? g->bias[m0 + i] : 0.0f;
    const float *res = g->res ? g->res + (m0 + i) * g->ldr + n0 : NULL;
    mcc_epilogue_row(row, row, nr, bn, bm, res, g->act, g->alpha, g->beta);
  }
}

/*--- Driver -----------------------------------------------------------------------------------*/
/* Where A of one block comes from: packed at run time (a_blk, MC x KC panels) or as the arguments
 * say. */
struct block_src {
  const float *a_blk;
  float *bstack; /* KC x NR: a partial or strided panel of an unpacked B */
};

/* The tiles of C[ic:ic+mc, jc:jc+ncb] for the K block [pc, pc+kc). */
static void gemm_block(const struct mcc_gemm_args *g, const struct block_src *src, int64_t ic, int64_t mc, int64_t jc,
                       int64_t ncb, int64_t pc, int64_t kc) {
  const int64_t K = g->K;
  const int first = pc == 0, last = pc + kc >= K;
  const int has_epilogue = (g->bias && g->bias_kind != MCC_BIAS_NONE) || g->res || g->act != MCC_ACT_NONE;
  for (int64_t jr = 0; jr < ncb; jr += MCC_NR) {
    const int64_t nr = mcc_min64(MCC_NR, ncb - jr);
    const float *bp;
    int64_t b_rs = MCC_NR;
    /* The next packed panel's K block may come from L3 or memory: fetch it a slice per tile of this
     * panel, so it arrives while this one runs from L1 without evicting it all at once. */
    const char *next = NULL;
    int64_t pf_bytes = 0, pf_step = 0;
    if (g->b_packed) {
      bp = g->b + ((jc + jr) / MCC_NR) * MCC_NR * K + pc * MCC_NR;
      if (jr + MCC_NR < ncb) {
        next = (const char *)(bp + MCC_NR * K);
        pf_bytes = kc * MCC_NR * 4;
        pf_step = mcc_ceil_div(pf_bytes, mcc_ceil_div(mc, MCC_MR) * 64) * 64;
      }
    } else if ((nr == MCC_NR || g->b_padded) && g->b_cs == 1) {
      bp = g->b + pc * g->b_rs + jc + jr;
      b_rs = g->b_rs;
    } else {
      mcc_pack_b_block(MCC_NR, g->b, g->b_rs, g->b_cs, pc, kc, jc + jr, nr, src->bstack);
      bp = src->bstack;
    }
    for (int64_t ir = 0, pf = 0; ir < mc; ir += MCC_MR) {
      const int64_t mr = mcc_min64(MCC_MR, mc - ir);
      float *c = g->c + (ic + ir) * g->ldc + jc + jr;
      for (int64_t end = mcc_min64(pf + pf_step, pf_bytes); pf < end; pf += 64)
        __builtin_prefetch(next + pf, 0, 2);
      /* Whole tiles of the last K block take the common epilogues in registers. */
      const int fuse = last && has_epilogue && nr == MCC_NR && epi_fusable(g->act);
      const struct tile_epi te = {g, ic + ir, jc + jr}, *epi = fuse ? &te : NULL;
      if (src->a_blk)
        run_ukernel(mr, 1, kc, src->a_blk + (ir / MCC_MR) * kc * MCC_MR, 1, MCC_MR, bp, b_rs, c, g->ldc, first, nr,
                    epi);
      else if (g->a_packed)
        run_ukernel(mr, 1, kc, g->a + ((ic + ir) / MCC_MR) * MCC_MR * K + pc * MCC_MR, 1, MCC_MR, bp, b_rs, c, g->ldc,
                    first, nr, epi);
      else
        run_ukernel(mr, 0, kc, g->a + (ic + ir) * g->a_rs + pc * g->a_cs, g->a_rs, g->a_cs, bp, b_rs, c, g->ldc, first,
                    nr, epi);
      if (last && has_epilogue && !fuse)
        tile_epilogue(g, ic + ir, jc + jr, mr, nr);
    }
  }
}

/* B packed already (or read in place): K innermost, so the MC x NCD block of C stays in L2 across
 * the K blocks instead of streaming through memory once per K block. */
static void gemm_packed_b(const struct mcc_gemm_args *g, float *a_buf) {
  const int64_t M = g->M, N = g->N, K = g->K;
  float bstack[MCC_KC * MCC_NR];
  struct block_src src = {a_buf, bstack};
  for (int64_t jc = 0; jc < N; jc += MCC_NCD) {
    const int64_t ncb = mcc_min64(MCC_NCD, N - jc);
    for (int64_t ic = 0; ic < M; ic += MCC_MC) {
      const int64_t mc = mcc_min64(MCC_MC, M - ic);
      for (int64_t pc = 0; pc < K || pc == 0; pc += MCC_KC) {
        const int64_t kc = mcc_min64(MCC_KC, K - pc);
        if (a_buf)
          pack_a_block(g->a, g->a_rs, g->a_cs, ic, mc, pc, kc, a_buf);
        gemm_block(g, &src, ic, mc, jc, ncb, pc, kc);
      }
    }
  }
}

/* One row of A times a packed B (a GEMV: a classifier's fully connected layer at batch 1), GEMV_PANELS NR
 * panels at a time: that many weight streams in flight read the weights 1.3-1.5x faster than the
 * microkernel's one panel at a time (measured from L3 on AVX-512: 1000 x 1280, 12 -> 15.6 GB/s). */
#define GEMV_PANELS 4
static void gemv_packed(const struct mcc_gemm_args *g) {
  const int64_t N = g->N, K = g->K, panels = mcc_ceil_div(N, MCC_NR);
  for (int64_t p0 = 0; p0 < panels; p0 += GEMV_PANELS) {
    const int64_t np = mcc_min64(GEMV_PANELS, panels - p0);
    const float *b[GEMV_PANELS];
    vf acc[GEMV_PANELS][MCC_NV];
#pragma clang loop unroll(full)
    for (int u = 0; u < GEMV_PANELS; ++u) {
      /* Panels past the last repeat it: computed, never stored. */
      b[u] = g->b + (p0 + mcc_min64(u, np - 1)) * MCC_NR * K;
#pragma clang loop unroll(full)
      for (int j = 0; j < MCC_NV; ++j)
        acc[u][j] = vsplat(0.0f);
    }
    for (int64_t k = 0; k < K; ++k) {
      const vf xv = vsplat(g->a[k * g->a_cs]);
#pragma clang loop unroll(full)
      for (int u = 0; u < GEMV_PANELS; ++u)
#pragma clang loop unroll(full)
        for (int j = 0; j < MCC_NV; ++j)
          acc[u][j] += xv * vload(b[u] + k * MCC_NR + j * MCC_VL);
    }
    for (int64_t u = 0; u < np; ++u) {
      float t[MCC_NR];
      for (int j = 0; j < MCC_NV; ++j)
        vstore(t + j * MCC_VL, acc[u][j]);
      const int64_t n0 = (p0 + u) * MCC_NR;
      mcc_epilogue_row(g->c + n0, t, mcc_min64(MCC_NR, N - n0), g->bias_kind == MCC_BIAS_PER_N ? g->bias + n0 : NULL,
                       g->bias_kind == MCC_BIAS_PER_M ? g->bias[0] : 0.0f, g->res ? g->res + n0 : NULL, g->act,
                       g->alpha, g->beta);
    }
  }
}

void mcc_gemm_blocked(const struct mcc_gemm_args *g, float *a_buf, float *b_buf) {
  if (g->M == 1 && g->b_packed && !b_buf) {
    gemv_packed(g);
    return;
  }
  if (!b_buf) {
    gemm_packed_b(g, a_buf);
    return;
  }
  /* B packed here, K x NCD columns at a time, into the layout of a compile-time packed B. */
  for (int64_t jc = 0; jc < g->N; jc += MCC_NCD) {
    const int64_t ncb = mcc_min64(MCC_NCD, g->N - jc);
    mcc_pack_b_block(MCC_NR, g->b, g->b_rs, g->b_cs, 0, g->K, jc, ncb, b_buf);
    struct mcc_gemm_args part = *g;
    part.N = ncb;
    part.b = b_buf;
    part.b_packed = 1;
    part.c = g->c + jc;
    if (g->bias_kind == MCC_BIAS_PER_N && g->bias)
      part.bias = g->bias + jc;
    if (g->res)
      part.res = g->res + jc;
    gemm_packed_b(&part, a_buf);
  }
}

void mcc_sgemm(int64_t batch, int64_t M, int64_t N, int64_t K, const float *A, int64_t sa, int64_t rsa, int64_t csa,
               const float *B, int64_t sb, int64_t rsb, int64_t csb, int32_t b_packed, float *C, int64_t sc,
               int64_t ldc, const float *bias, int32_t bias_kind, const float *residual, int64_t sr, int64_t ldr,
               int32_t act, float alpha, float beta, float *scratch) {
  if (M <= 0 || N <= 0)
    return;
  struct gemm_plan p = {0, 0, 0, 0};
  if (scratch)
    p = gemm_plan(MCC_ISA, M, N, K, b_packed, rsb, csb);
  /* Row-major A is read in place: broadcasting from MR row streams costs nothing measurable, while
   * packing costs a pass over A per N block. A transposed A (csa != 1) is packed. */
  float *a_buf = p.pack_a && csa != 1 ? scratch : NULL;
  float *b_buf = p.pack_b ? scratch + p.a_floats : NULL;
  for (int64_t bi = 0; bi < batch; ++bi) {
    struct mcc_gemm_args g = {M,
                              N,
                              K,
                              A + bi * sa,
                              rsa,
                              csa,
                              0,
                              B + bi * sb,
                              rsb,
                              csb,
                              b_packed,
                              C + bi * sc,
                              ldc,
                              bias,
                              bias ? bias_kind : MCC_BIAS_NONE,
                              residual ? residual + bi * sr : NULL,
                              ldr,
                              act,
                              alpha,
                              beta,
                              0};
    mcc_gemm_blocked(&g, a_buf, b_buf);
  }
}
