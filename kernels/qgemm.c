/*===- qgemm.c - int8 GEMM: u8 x s8 -> s32 microkernel, requantizing epilogue, weight packing ---===*
 *
 * The tile (qgemm_internal.h) is shared with the convolution (qconv2d.c). Here the GEMM: activations
 * are read in place as the broadcast operand, the weights packed at compile time as the vector operand,
 * panels of QNR columns outermost so a panel stays in cache while all rows of A pass. Zero points are
 * folded at compile time (kernels.h); only the row sums of A, needed when the weights have non-zero
 * zero points, are computed here.
 *===----------------------------------------------------------------------===*/
#include "qgemm_internal.h"

typedef int32_t vqi __attribute__((vector_size(MCC_VL * 4), aligned(1), __may_alias__));
typedef uint32_t vqu __attribute__((vector_size(MCC_VL * 4)));
typedef uint8_t vqb __attribute__((vector_size(MCC_VL)));

MCC_INLINE vi qload(const uint8_t *p) { return (vi) * (const vqi *)p; }

/*--- The dot product of 4 byte pairs per 32-bit lane: u the u8 side, s the s8 side. ---------------*/
#if defined(MCC_BUILD_AVX512)
typedef int32_t v16si_ __attribute__((vector_size(64)));
typedef unsigned char v64qu_ __attribute__((vector_size(64)));
typedef signed char v64qi_ __attribute__((vector_size(64)));
typedef short v32hi_ __attribute__((vector_size(64)));
typedef unsigned short v32hu_ __attribute__((vector_size(64)));
#define MCC_HAVE_VNNI 1
#define VNNI_ATTR __attribute__((target("avx512vnni")))
#define DOT4_VNNI(acc, u, s) ((vi)__builtin_ia32_vpdpbusd512((v16si_)(acc), (v64qu_)(u), (v64qi_)(s)))
MCC_INLINE vi dot4(vi acc, vi u, vi s) {
  v32hi_ uh = (v32hi_)u, sh = (v32hi_)s;
  v32hi_ ue = uh & (short)0xff, uo = (v32hi_)((v32hu_)uh >> 8);
  v32hi_ se = (sh << 8) >> 8, so = sh >> 8;
  return acc + (vi)__builtin_ia32_pmaddwd512(ue, se) + (vi)__builtin_ia32_pmaddwd512(uo, so);
}
#elif defined(MCC_BUILD_AVX2)
typedef short v16hi_ __attribute__((vector_size(32)));
typedef unsigned short v16hu_ __attribute__((vector_size(32)));
MCC_INLINE vi dot4(vi acc, vi u, vi s) {
  v16hi_ uh = (v16hi_)u, sh = (v16hi_)s;
  v16hi_ ue = uh & (short)0xff, uo = (v16hi_)((v16hu_)uh >> 8);
  v16hi_ se = (sh << 8) >> 8, so = sh >> 8;
  return acc + (vi)__builtin_ia32_pmaddwd256(ue, se) + (vi)__builtin_ia32_pmaddwd256(uo, so);
}
#else
MCC_INLINE vi dot4(vi acc, vi u, vi s) {
  vqu uu = (vqu)u, su = (vqu)s;
  vi r = acc;
  r += (vi)(uu & 0xff) * ((vi)(su << 24) >> 24);
  r += (vi)((uu >> 8) & 0xff) * ((vi)(su << 16) >> 24);
  r += (vi)((uu >> 16) & 0xff) * ((vi)(su << 8) >> 24);
  r += (vi)(uu >> 24) * ((vi)su >> 24);
  return r;
}
#endif

/*--- Microkernel: one function per (rows, which side is unsigned, dot product) ------------------*/
#define QTILE_BODY(MR, RU, DOT)                                                                                        \
  vi a_[MR][MCC_QNV];                                                                                                  \
  _Pragma("clang loop unroll(full)") for (int i = 0; i < MR; ++i)                                                      \
      _Pragma("clang loop unroll(full)") for (int j = 0; j < MCC_QNV; ++j) a_[i][j] = (vi){0};                         \
  for (int64_t g = 0; g < kg + (ktail ? 1 : 0); ++g) {                                                                 \
    vi vv[MCC_QNV];                                                                                                    \
    _Pragma("clang loop unroll(full)") for (int j = 0; j < MCC_QNV; ++j) vv[j] =                                       \
        qload(v + g * MCC_QNR * 4 + j * MCC_VL * 4);                                                                   \
    _Pragma("clang loop unroll(full)") for (int i = 0; i < MR; ++i) {                                                  \
      uint32_t w = 0;                                                                                                  \
      if (MCC_LIKELY(g < kg))                                                                                          \
        mcc_memcpy(&w, r + i * r_rs + g * r_gs, 4);                                                                    \
      else                                                                                                             \
        mcc_memcpy(&w, r + i * r_rs + g * r_gs, (size_t)ktail);                                                        \
      vi b = (vi){0} + (int32_t)(w ^ r_xor);                                                                           \
      _Pragma("clang loop unroll(full)") for (int j = 0; j < MCC_QNV; ++j) a_[i][j] =                                  \
          RU ? DOT(a_[i][j], b, vv[j]) : DOT(a_[i][j], vv[j], b);                                                      \
    }                                                                                                                  \
  }                                                                                                                    \
  _Pragma("clang loop unroll(full)") for (int i = 0; i < MR; ++i)                                                      \
          _Pragma("clang loop unroll(full)") for (int j = 0; j < MCC_QNV; ++j) *                                       \
      (vqi *)(acc + i * MCC_QNR + j * MCC_VL) = a_[i][j];

#define QTILE_ARGS                                                                                                     \
  int64_t kg, int64_t ktail, const uint8_t *r, int64_t r_rs, int64_t r_gs, uint32_t r_xor, const uint8_t *v,           \
      int32_t *acc
#define QTILE_FN(MR)                                                                                                   \
  static void qtile_u_##MR(QTILE_ARGS) { QTILE_BODY(MR, 1, dot4) }                                                     \
  static void qtile_s_##MR(QTILE_ARGS) { QTILE_BODY(MR, 0, dot4) }
#ifdef MCC_HAVE_VNNI
#define QTILE_VNNI_FN(MR)                                                                                              \
  static VNNI_ATTR void qtile_vnni_u_##MR(QTILE_ARGS) { QTILE_BODY(MR, 1, DOT4_VNNI) }                                 \
  static VNNI_ATTR void qtile_vnni_s_##MR(QTILE_ARGS) { QTILE_BODY(MR, 0, DOT4_VNNI) }
#else
#define QTILE_VNNI_FN(MR)
#endif
#define QTILE_FNS(MR) QTILE_FN(MR) QTILE_VNNI_FN(MR)
QTILE_FNS(1)
QTILE_FNS(2)
QTILE_FNS(3)
QTILE_FNS(4)
#if MCC_QMR >= 6
QTILE_FNS(5)
QTILE_FNS(6)
#endif

void mcc_qtile(int64_t mr, int64_t kg, int64_t ktail, const uint8_t *r, int64_t r_rs, int64_t r_gs, uint32_t r_xor,
               const uint8_t *v, int32_t r_unsigned, int32_t vnni, int32_t *acc) {
#ifdef MCC_HAVE_VNNI
#define VCASE(n)                                                                                                       \
  if (vnni) {                                                                                                          \
    if (r_unsigned)                                                                                                    \
      qtile_vnni_u_##n(kg, ktail, r, r_rs, r_gs, r_xor, v, acc);                                                       \
    else                                                                                                               \
      qtile_vnni_s_##n(kg, ktail, r, r_rs, r_gs, r_xor, v, acc);                                                       \
    return;                                                                                                            \
  }
#else
#define VCASE(n) (void)vnni;
#endif
#define CASE(n)                                                                                                        \
  case n:                                                                                                              \
    VCASE(n)                                                                                                           \
    if (r_unsigned)                                                                                                    \
      qtile_u_##n(kg, ktail, r, r_rs, r_gs, r_xor, v, acc);                                                            \
    else                                                                                                               \
      qtile_s_##n(kg, ktail, r, r_rs, r_gs, r_xor, v, acc);                                                            \
    return;
  switch (mr) {
    CASE(1)
    CASE(2)
    CASE(3)
    CASE(4)
#if MCC_QMR >= 6
    CASE(5)
    CASE(6)
#endif
  default:
    return;
  }
#undef CASE
#undef VCASE
}

/*--- Epilogue -----------------------------------------------------------------------------------*/
MCC_INLINE vf vload_f(const float *p) { return vload(p); }
MCC_INLINE vi vload_i(const int32_t *p) { return (vi) * (const vqi *)p; }

void mcc_qtile_epilogue(const struct mcc_qepi *e, const int32_t *acc, int64_t mr, int64_t nr, int64_t ch0, int64_t a0,
                        void *c, int64_t ldc) {
  const struct mcc_qpacked *w = &e->w;
  const int rows = e->chan_rows;
  const float magic = 12582912.0f; /* 1.5 * 2^23: adding it rounds to an integer, half to even */
  const float flo = (float)(e->lo - e->y_zp), fhi = (float)(e->hi - e->y_zp);
  for (int64_t i = 0; i < mr; ++i) {
    for (int64_t j = 0; j < nr; j += MCC_VL) {
      vi v = vload_i(acc + i * MCC_QNR + j);
      const int64_t ch = rows ? ch0 + i : ch0 + j;
      vi corr = rows ? (vi){0} + w->corr[ch] : vload_i(w->corr + ch);
      v += corr;
      if (w->has_w_zp) {
        vi zp = rows ? (vi){0} + w->w_zp[ch] : vload_i(w->w_zp + ch);
        vi sums = rows ? vload_i(e->a_sums + a0 + j) : (vi){0} + e->a_sums[a0 + i];
        v -= zp * sums;
      }
      const int64_t n = mcc_min64(MCC_VL, nr - j);
      if (e->out_kind == MCC_QOUT_S32) {
        if (MCC_LIKELY(n == MCC_VL))
          *(vqi *)((int32_t *)c + i * ldc + j) = v;
        else
          mcc_memcpy((int32_t *)c + i * ldc + j, &v, (size_t)n * 4);
        continue;
      }
      vf scale = rows ? vsplat(w->scale[ch]) : vload_f(w->scale + ch);
      vf f = __builtin_convertvector(v, vf) * scale;
      if (e->out_kind == MCC_QOUT_F32) {
        if (w->fbias)
          f += rows ? vsplat(w->fbias[ch]) : vload_f(w->fbias + ch);
        f = mcc_vact(f, e->act, e->alpha, e->beta);
        if (MCC_LIKELY(n == MCC_VL))
          vstore((float *)c + i * ldc + j, f);
        else
          mcc_memcpy((float *)c + i * ldc + j, &f, (size_t)n * 4);
        continue;
      }
      f = vsel(f < flo, vsplat(flo), f);
      f = vsel(f > fhi, vsplat(fhi), f);
      f = (f + magic) - magic;
      vi q = __builtin_convertvector(f, vi) + e->y_zp;
      vqb bytes = __builtin_convertvector(q, vqb);
      if (MCC_LIKELY(n == MCC_VL))
        mcc_memcpy((uint8_t *)c + i * ldc + j, &bytes, MCC_VL);
      else
        mcc_memcpy((uint8_t *)c + i * ldc + j, &bytes, (size_t)n);
    }
  }
}

/*--- Packing (at compile time, by the host build) ------------------------------------------------*/
void mcc_qpack_channels(void *packed, int64_t panels, int64_t width, int64_t K, int64_t n, const int32_t *w_zp,
                        int32_t a_zp, const int32_t *bias, const float *scale, const float *fbias) {
  int32_t *hdr = (int32_t *)packed;
  struct mcc_qpacked v = mcc_qpack_view(packed, panels, width, K);
  int32_t *corr = (int32_t *)v.corr, *zp = (int32_t *)v.w_zp;
  float *sc = (float *)v.scale, *fb = (float *)(v.scale + panels * width);
  hdr[0] = 0;
  hdr[1] = fbias != NULL;
  for (int64_t ch = 0; ch < n; ++ch) {
    int32_t sum = corr[ch];
    corr[ch] = (bias ? bias[ch] : 0) - a_zp * sum + (int32_t)K * a_zp * w_zp[ch];
    zp[ch] = w_zp[ch];
    hdr[0] |= w_zp[ch] != 0;
    sc[ch] = scale[ch];
    if (fbias)
      fb[ch] = fbias[ch];
  }
}

int64_t mcc_qgemm_packed_b_bytes(enum mcc_isa isa, int64_t K, int64_t N) {
  int64_t nr = mcc_qgemm_nr(isa);
  return mcc_qpack_bytes(mcc_ceil_div(N, nr), nr, K);
}

void mcc_qgemm_pack_b(enum mcc_isa isa, int64_t K, int64_t N, const int8_t *B, int64_t rsb, int64_t csb,
                      const int32_t *w_zp, int32_t a_zp, const int32_t *bias, const float *scale, const float *fbias,
                      void *packed) {
  const int64_t nr = mcc_qgemm_nr(isa), panels = mcc_ceil_div(N, nr), kp = mcc_ceil_div(K, 4) * 4;
  mcc_memset(packed, 0, (size_t)mcc_qpack_bytes(panels, nr, K));
  struct mcc_qpacked v = mcc_qpack_view(packed, panels, nr, K);
  uint8_t *data = (uint8_t *)v.data;
  int32_t *sums = (int32_t *)v.corr;
  for (int64_t k = 0; k < K; ++k)
    for (int64_t n = 0; n < N; ++n) {
      int8_t b = B[k * rsb + n * csb];
      int64_t p = n / nr, j = n % nr;
      data[p * nr * kp + (k / 4) * nr * 4 + j * 4 + k % 4] = (uint8_t)b;
      sums[n] += b;
    }
  mcc_qpack_channels(packed, panels, nr, K, N, w_zp, a_zp, bias, scale, fbias);
}

/*--- GEMM driver --------------------------------------------------------------------------------*/
int64_t mcc_qgemm_scratch_bytes(enum mcc_isa isa, int64_t M, int64_t N, int64_t K) {
  (void)isa, (void)N, (void)K;
  return M * 4;
}

void mcc_qgemm(int64_t batch, int64_t M, int64_t N, int64_t K, const void *A, int64_t sa, int64_t lda, int32_t a_signed,
               const void *packed_b, void *C, int64_t sc, int64_t ldc, int32_t out_kind, int32_t y_zp, int32_t lo,
               int32_t hi, int32_t act, float alpha, float beta, int32_t vnni, void *scratch) {
  if (M <= 0 || N <= 0)
    return;
  const int64_t panels = mcc_ceil_div(N, MCC_QNR), kp = mcc_ceil_div(K, 4) * 4;
  const int64_t esize = out_kind == MCC_QOUT_U8 || out_kind == MCC_QOUT_S8 ? 1 : 4;
  const uint8_t xor8 = a_signed ? 0x80 : 0;
  struct mcc_qepi e = {mcc_qpack_view(packed_b, panels, MCC_QNR, K),
                       0,
                       (const int32_t *)scratch,
                       out_kind,
                       y_zp,
                       lo,
                       hi,
                       act,
                       alpha,
                       beta};
  int32_t acc[MCC_QMR * MCC_QNR];
  for (int64_t b = 0; b < batch; ++b) {
    const uint8_t *a = (const uint8_t *)A + b * sa;
    uint8_t *c = (uint8_t *)C + b * sc * esize;
    if (e.w.has_w_zp) {
      int32_t *sums = (int32_t *)scratch;
      for (int64_t i = 0; i < M; ++i) {
        int32_t s = 0;
        for (int64_t k = 0; k < K; ++k)
          s += a[i * lda + k] ^ xor8;
        sums[i] = s;
      }
    }
    for (int64_t p = 0; p < panels; ++p) {
      const uint8_t *vp = e.w.data + p * MCC_QNR * kp;
      const int64_t nr = mcc_min64(MCC_QNR, N - p * MCC_QNR);
      for (int64_t i0 = 0; i0 < M; i0 += MCC_QMR) {
        const int64_t mr = mcc_min64(MCC_QMR, M - i0);
        mcc_qtile(mr, K / 4, K % 4, a + i0 * lda, lda, 4, xor8 * 0x01010101u, vp, 1, vnni, acc);
        mcc_qtile_epilogue(&e, acc, mr, nr, p * MCC_QNR, i0, c + (i0 * ldc + p * MCC_QNR) * esize, ldc);
      }
    }
  }
}
