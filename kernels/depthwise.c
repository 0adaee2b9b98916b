/*===- depthwise.c - depthwise convolution on padded copies of a channel, vectorised along pixels ---===*
 *
 * A depthwise layer has too little reuse for a GEMM: each output is KH*KW taps of one channel. The
 * channel is copied into scratch so that every tap of a vector of outputs is one plain load at a fixed
 * offset from the output's flattened index, whatever the padding, and the taps are FMAs on broadcast
 * weights. Two layouts of the copy:
 *   - shifted (stride 1 and OW == W, i.e. "same" padding, the common case): one copy of the plane per
 *     kernel column kw, with zero rows above and below. Output q = oh*W + ow reads tap (kh, kw) at
 *     q + (kh*dh - pad_t)*W + kw*dw - pad_l of copy kw; a tap that falls left or right of the row would
 *     read the neighbouring row, so copy kw has the columns it must not see zeroed. The outputs are one
 *     contiguous run: whole vectors across rows, the epilogue in registers, one masked store at the end.
 *   - phase planes (any stride and dilation): sh*sw zero-padded planes, phase (rh, rw) holding the
 *     padded input at rows j*sh + rh and columns i*sw + rw, all at one row pitch Wq, so output (oh, ow)
 *     reads tap (kh, kw) at phase((kh*dh) % sh, (kw*dw) % sw)[oh + (kh*dh)/sh][ow + (kw*dw)/sw]: a
 *     strided input is deinterleaved once per element instead of once per tap. Outputs by rows (wide
 *     planes: epilogue in registers, a masked store per row) or flat across rows at pitch Wq into a
 *     buffer (small planes, where a row fills a fraction of a vector), then copied out row by row.
 * The zero halo is the same for every channel: it is written once per call and each channel rewrites
 * only the interior. Small copies are double-buffered: channel c+1 is copied while c is computed, so
 * the loads never wait on the copy's stores.
 *===----------------------------------------------------------------------===*/
#include "conv2d_internal.h"
#include "epilogue.h"

static int64_t vl_of(enum mcc_isa isa) { return isa == MCC_ISA_AVX512 ? 16 : isa == MCC_ISA_AVX2 ? 8 : 4; }

/* Taps of the kernels specialised with a compile-time tap count. */
#define DW_MAX_TAPS 64

struct dw_geom {
  int shifted;     /* the shifted layout (1) or phase planes (0) */
  int flat;        /* phase planes: walk flat (1) or by rows (0) */
  int64_t hq, wq;  /* phase planes: rows and row pitch */
  int64_t plane;   /* floats per copy (a phase plane or a shifted copy), with slack for whole vectors */
  int64_t planes;  /* copies per set: sh * sw phases, or KW shifted copies */
  int64_t lead;    /* shifted: zero floats before the channel's first element */
  int64_t sets;    /* 2: channel c+1 is copied in while channel c is computed (small planes) */
  int64_t span;    /* flat walk: outputs q in [0, span), the last row ending at OW */
  int64_t scratch; /* floats in all: the sets of copies, then the flat output buffer */
  int cv;          /* channels along the vectors (dw_cv) instead of all the above */
  int64_t hp, wp;  /* dw_cv: rows and columns of the padded pixel buffer */
};

/* Channels along the vectors (AVX-512, small planes): 16 channels at a time are transposed into one
 * zero-padded buffer of pixels, [hp][wp][16], where every tap of every output is one unmasked vector load
 * and an FMA on the tap's 16 weights, whatever the stride, dilation or padding; the [P][16] result goes
 * back through mcc_transpose_out with the epilogue. For strided layers on small planes the per-channel
 * phase planes, masks and row tails of the layouts above cost more than the two transposes (measured on
 * AVX-512: 576ch 14x14 3x3 s2 2.2-3.4x faster, 672ch 14x14 5x5 s2 1.7-2.6x, 240ch 28x28 3x3 s2 1.1-1.4x);
 * at stride 1 the shifted layout is faster (576ch 14x14 3x3 s1: 47 vs 71 us). */
#define CV_MAX_P 256
static int cv_pays(enum mcc_isa isa, const struct mcc_conv_shape *s) {
  return vl_of(isa) == 16 && (s->sh > 1 || s->sw > 1) && s->OH * s->OW <= CV_MAX_P && s->KH * s->KW <= DW_MAX_TAPS;
}

/* Only the geometry decides the layout, not the pads (which OH/OW imply), so the compiler can size the
 * scratch without them; the shifted layout's lead is filled in by the kernel. */
static void dw_geometry(enum mcc_isa isa, const struct mcc_conv_shape *s, struct dw_geom *g) {
  const int64_t vl = vl_of(isa), taps = s->KH * s->KW;
  g->cv = cv_pays(isa, s);
  if (g->cv) {
    g->hp = (s->OH - 1) * s->sh + (s->KH - 1) * s->dh + 1;
    g->wp = (s->OW - 1) * s->sw + (s->KW - 1) * s->dw + 1;
    g->scratch = (g->hp * g->wp + s->OH * s->OW) * 16;
    return;
  }
  g->lead = 0;
  g->span = 0;
  g->flat = 0;
  /* Stride 1 with OW == W: pad_l + pad_r = (KW-1)*dw; a tap's column shift must stay within one row. */
  g->shifted = s->sh == 1 && s->sw == 1 && s->OW == s->W && (s->KW - 1) * s->dw < s->W;
  if (g->shifted) {
    g->hq = g->wq = 0;
    g->planes = 1;
    g->plane = mcc_ceil_div(s->OH * s->W, vl) * vl + (s->KH - 1) * s->dh * s->W + (s->KW - 1) * s->dw + vl;
  } else {
    g->wq = s->OW + (s->KW - 1) * s->dw / s->sw;
    g->hq = s->OH + (s->KH - 1) * s->dh / s->sh;
    g->plane = g->hq * g->wq + vl;
    g->planes = s->sh * s->sw;
    g->span = (s->OH - 1) * g->wq + s->OW;
    /* Cost in vectors: each computed vector costs a load and an FMA per tap; the flat walk also pays
     * a pass over the output to drop the pitch's extra columns. */
    const int64_t row_vectors = s->OH * mcc_ceil_div(s->OW, vl);
    g->flat = mcc_ceil_div(g->span, vl) * taps + 2 * row_vectors < row_vectors * taps;
  }
  g->sets = g->planes * g->plane <= 8192 ? 2 : 1;
  g->scratch = g->sets * g->planes * g->plane + (g->flat ? mcc_ceil_div(g->span, vl) * vl : 0);
}

int64_t mcc_depthwise_scratch_floats(enum mcc_isa isa, const struct mcc_conv_shape *s) {
  struct dw_geom g;
  dw_geometry(isa, s, &g);
  return g.scratch;
}

/* The copies below write whole vectors: past the n floats they copy, they write zeros, up to VL-1
 * floats further. The phase planes are laid out so that this lands in the halo, in rows not written
 * yet, or in the plane's slack (masked stores cost much more than loads on some cores). */

/* d[i] = s[i] for i < n. */
MCC_INLINE void copy_row(float *d, const float *s, int64_t n) {
  int64_t i = 0;
  for (; i + MCC_VL <= n; i += MCC_VL)
    vstore(d + i, vload(s + i));
  if (i < n)
    vstore(d + i, vload_n(s + i, n - i));
}

/* Even lanes of a then b: the inputs of VL stride-2 outputs held in two registers. */
MCC_INLINE vf even_of(vf a, vf b) {
#if MCC_VL == 16
  return __builtin_shufflevector(a, b, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
#elif MCC_VL == 8
  return __builtin_shufflevector(a, b, 0, 2, 4, 6, 8, 10, 12, 14);
#else
  return __builtin_shufflevector(a, b, 0, 2, 4, 6);
#endif
}

/* d[i] = s[2i] for i < n, reading s[0 .. 2n-2] only (the last 2(n-i)-1 floats through masked loads). */
MCC_INLINE void copy_even(float *d, const float *s, int64_t n) {
  int64_t i = 0;
  for (; i + MCC_VL < n; i += MCC_VL)
    vstore(d + i, even_lanes(s + 2 * i));
  if (i < n) {
    const int64_t m = 2 * (n - i) - 1;
    const vf a = m >= MCC_VL ? vload(s + 2 * i) : vload_n(s + 2 * i, m);
    const vf b = m > MCC_VL ? vload_n(s + 2 * i + MCC_VL, m - MCC_VL) : vsplat(0.0f);
    vstore(d + i, even_of(a, b));
  }
}

/*--- Phase planes ------------------------------------------------------------------------------*/
/* Copies the channel x [H, W] into the interior of the phase planes at `planes` (halo zero already). */
static void fill_phases(const struct mcc_conv_shape *s, const struct dw_geom *g, const float *x, float *planes) {
  const int64_t hp = g->hq * s->sh, wp = g->wq * s->sw;
  /* Input rows and columns that land inside the padded plane. */
  const int64_t ih_end = mcc_min64(s->H, hp - s->pad_t), iw_end = mcc_min64(s->W, wp - s->pad_l);
  const int64_t ih0 = mcc_max64(0, -s->pad_t);
  if (iw_end <= 0)
    return;
  /* Column phase rw takes the inputs iw with (iw + pad_l) % sw == rw, n[rw] of them from iw0[rw], into
   * column col[rw] on (computed for sw <= 4; wider strides compute it per row). */
  int64_t iw0[4] = {0, 0, 0, 0}, n[4] = {0, 0, 0, 0}, col[4] = {0, 0, 0, 0};
  for (int64_t rw = 0; rw < s->sw && rw < 4; ++rw) {
    iw0[rw] = ((rw - s->pad_l) % s->sw + s->sw) % s->sw;
    n[rw] = iw0[rw] < iw_end ? mcc_ceil_div(iw_end - iw0[rw], s->sw) : 0;
    col[rw] = (iw0[rw] + s->pad_l) / s->sw;
  }
  /* Padded row r = ih + pad_t is row r / sh of row phase r % sh: both kept as counters. */
  int64_t rh = (ih0 + s->pad_t) % s->sh, j = (ih0 + s->pad_t) / s->sh;
  for (int64_t ih = ih0; ih < ih_end; ++ih) {
    const float *src = x + ih * s->W;
    float *row = planes + rh * s->sw * g->plane + j * g->wq;
    if (++rh == s->sh)
      rh = 0, ++j;
    if (s->sw == 1) {
      copy_row(row + s->pad_l, src, iw_end);
    } else if (s->sw == 2) {
      if (n[0])
        copy_even(row + col[0], src + iw0[0], n[0]);
      if (n[1])
        copy_even(row + g->plane + col[1], src + iw0[1], n[1]);
    } else {
      for (int64_t rw = 0; rw < s->sw; ++rw) {
        const int64_t i0 = rw < 4 ? iw0[rw] : ((rw - s->pad_l) % s->sw + s->sw) % s->sw;
        if (i0 >= iw_end)
          continue;
        const int64_t m = mcc_ceil_div(iw_end - i0, s->sw);
        float *d = row + rw * g->plane + (i0 + s->pad_l) / s->sw;
        for (int64_t i = 0; i < m; ++i)
          d[i] = src[i0 + i * s->sw];
      }
    }
  }
}

/* The shifted layout of channel x: x from offset lead, zero rows above and below (written once). */
static void fill_shifted(const struct mcc_conv_shape *s, const struct dw_geom *g, const float *x, float *plane) {
  copy_row(plane + g->lead, x, s->H * s->W);
}

/*--- Compute -----------------------------------------------------------------------------------*/
#if MCC_VL == 16
#define DW_U 8  /* output vectors per step of the phase-plane walks */
#define DW_US 4 /* ... of the shifted walk, which keeps a partial sum per kernel column */
#else
#define DW_U 4
#define DW_US 2
#endif

/* What one call shares across channels. */
struct dw_call {
  const float *tap[2][DW_MAX_TAPS];         /* phase planes: where tap t reads for q = 0, per set */
  const float *base[2];                     /* shifted: the copy of each set, at q = 0, tap (0, 0) */
  int32_t lo[DW_MAX_TAPS], hi[DW_MAX_TAPS]; /* shifted: columns where kernel column kw is inside the row */
  int32_t col0[MCC_VL];                     /* shifted: the column of each lane of the first vector */
};

struct dw_epi {
  float bias;
  const float *res;
  int32_t act;
  float alpha, beta;
};

/* bias, residual and activation on one vector of n outputs. ACT is the activation when known at
 * compile time (the common ones, so the hot loop has no switch), -1 for e->act. */
MCC_INLINE vf dw_finish(const int ACT, vf v, const struct dw_epi *e, const float *res, int64_t n) {
  v += e->bias;
  if (res)
    v += n == MCC_VL ? vload(res) : vload_n(res, n);
  return mcc_vact(v, ACT >= 0 ? ACT : e->act, e->alpha, e->beta);
}
MCC_INLINE void dw_store(float *y, vf v, int64_t n) {
  if (n == MCC_VL)
    vstore(y, v);
  else
    vstore_n(y, v, n);
}

/* Phase planes: the U output vectors at q, q+VL, ...: sum over taps of w[t] * tap[t][q + ...]. KKc is
 * the tap count when known at compile time (0: kk). */
MCC_INLINE void dw_vectors(const int KKc, const int U, int64_t kk, const float *const *tap, const vf *wv, int64_t q,
                           vf *acc) {
  const int64_t n = KKc ? KKc : kk;
  /* Few vectors: the taps go to CH chains per vector, so the FMA latency does not serialise them. */
  const int CH = U >= 4 ? 1 : U == 2 ? 2 : 3;
  if (!KKc || CH == 1) {
#pragma clang loop unroll(full)
    for (int u = 0; u < U; ++u)
      acc[u] = vsplat(0.0f);
    for (int64_t t = 0; t < n; ++t) {
      const float *p = tap[t] + q;
#pragma clang loop unroll(full)
      for (int u = 0; u < U; ++u)
        acc[u] += wv[t] * vload(p + u * MCC_VL);
    }
    return;
  }
  vf part[3][2];
#pragma clang loop unroll(full)
  for (int c = 0; c < CH; ++c)
#pragma clang loop unroll(full)
    for (int u = 0; u < U; ++u)
      part[c][u] = vsplat(0.0f);
#pragma clang loop unroll(full)
  for (int t = 0; t < KKc; ++t) {
    const float *p = tap[t] + q;
#pragma clang loop unroll(full)
    for (int u = 0; u < U; ++u)
      part[t % CH][u] += wv[t] * vload(p + u * MCC_VL);
  }
#pragma clang loop unroll(full)
  for (int u = 0; u < U; ++u) {
    vf v = part[0][u];
#pragma clang loop unroll(full)
    for (int c = 1; c < CH; ++c)
      v += part[c][u];
    acc[u] = v;
  }
}

/* Phase planes: outputs [q0, q0+n) of the flattened index, contiguous in y (and res), the epilogue in
 * registers. */
MCC_INLINE void dw_span(const int KKc, const int ACT, int64_t kk, const float *const *tap, const vf *wv, int64_t q0,
                        int64_t n, float *y, const float *res, const struct dw_epi *e) {
  int64_t i = 0;
  vf acc[DW_U];
  for (; i + DW_U * MCC_VL <= n; i += DW_U * MCC_VL) {
    dw_vectors(KKc, DW_U, kk, tap, wv, q0 + i, acc);
    for (int u = 0; u < DW_U; ++u)
      vstore(y + i + u * MCC_VL, dw_finish(ACT, acc[u], e, res ? res + i + u * MCC_VL : NULL, MCC_VL));
  }
  for (; i + 2 * MCC_VL <= n; i += 2 * MCC_VL) {
    dw_vectors(KKc, 2, kk, tap, wv, q0 + i, acc);
    for (int u = 0; u < 2; ++u)
      vstore(y + i + u * MCC_VL, dw_finish(ACT, acc[u], e, res ? res + i + u * MCC_VL : NULL, MCC_VL));
  }
  for (; i < n; i += MCC_VL) {
    const int64_t m = mcc_min64(MCC_VL, n - i);
    dw_vectors(KKc, 1, kk, tap, wv, q0 + i, acc);
    dw_store(y + i, dw_finish(ACT, acc[0], e, res ? res + i : NULL, m), m);
  }
}

/* Phase planes, flat: every q into buf at pitch Wq, then the valid columns of each row into y. */
MCC_INLINE void dw_flat(const int KKc, const int ACT, const struct mcc_conv_shape *s, const struct dw_geom *g,
                        const float *const *tap, const vf *wv, float *buf, float *y, const struct dw_epi *e) {
  const int64_t kk = s->KH * s->KW;
  int64_t q = 0;
  vf acc[DW_U];
  for (; q + DW_U * MCC_VL <= g->span; q += DW_U * MCC_VL) {
    dw_vectors(KKc, DW_U, kk, tap, wv, q, acc);
    for (int u = 0; u < DW_U; ++u)
      vstore(buf + q + u * MCC_VL, acc[u]);
  }
  for (; q + MCC_VL < g->span; q += 2 * MCC_VL) {
    dw_vectors(KKc, 2, kk, tap, wv, q, acc);
    for (int u = 0; u < 2; ++u)
      vstore(buf + q + u * MCC_VL, acc[u]);
  }
  if (q < g->span) {
    dw_vectors(KKc, 1, kk, tap, wv, q, acc);
    vstore(buf + q, acc[0]);
  }
  for (int64_t oh = 0; oh < s->OH; ++oh) {
    const float *b = buf + oh * g->wq;
    float *yr = y + oh * s->OW;
    const float *rr = e->res ? e->res + oh * s->OW : NULL;
    for (int64_t ow = 0; ow < s->OW; ow += MCC_VL) {
      const int64_t n = mcc_min64(MCC_VL, s->OW - ow);
      dw_store(yr + ow, dw_finish(ACT, n == MCC_VL ? vload(b + ow) : vload_n(b + ow, n), e, rr ? rr + ow : NULL, n), n);
    }
  }
}

/* Shifted layout: U output vectors at q. Each kernel column kw gets its own partial sum, added where
 * the lane's column + kw*dw - pad_l stays inside the row (elsewhere the loads read the neighbouring
 * row). KHc/KWc: the kernel when known at compile time (0: from s). */
MCC_INLINE void dw_shifted_vectors(const int KHc, const int KWc, const int U, const struct mcc_conv_shape *s,
                                   const struct dw_call *dc, const float *base, const vf *wv, int64_t q, const vi *col,
                                   vf *acc) {
  const int64_t KH = KHc ? KHc : s->KH, KW = KWc ? KWc : s->KW, rstep = s->dh * s->W;
  const int32_t W = (int32_t)s->W;
#pragma clang loop unroll(full)
  for (int u = 0; u < U; ++u)
    acc[u] = vsplat(0.0f);
  for (int64_t kw = 0; kw < KW; ++kw) {
    vf part[DW_US];
#pragma clang loop unroll(full)
    for (int u = 0; u < U; ++u)
      part[u] = vsplat(0.0f);
    for (int64_t kh = 0; kh < KH; ++kh) {
      const float *p = base + kh * rstep + kw * s->dw + q;
      const vf wk = wv[kh * KW + kw];
#pragma clang loop unroll(full)
      for (int u = 0; u < U; ++u)
        part[u] += wk * vload(p + u * MCC_VL);
    }
    const int32_t lo = dc->lo[kw], hi = dc->hi[kw];
    if (lo == 0 && hi == W) {
#pragma clang loop unroll(full)
      for (int u = 0; u < U; ++u)
        acc[u] += part[u];
    } else {
#pragma clang loop unroll(full)
      for (int u = 0; u < U; ++u)
        acc[u] += vsel((col[u] >= lo) & (col[u] < hi), part[u], vsplat(0.0f));
    }
  }
}

/* Shifted layout: all OH*OW outputs of a channel, one contiguous run. */
MCC_INLINE void dw_shifted(const int KHc, const int KWc, const int ACT, const struct mcc_conv_shape *s,
                           const struct dw_call *dc, const float *base, const vf *wv, float *y,
                           const struct dw_epi *e) {
  const int64_t n = s->OH * s->OW;
  const int32_t W = (int32_t)s->W, step = (int32_t)(MCC_VL % s->W);
  vi col[DW_US];
  col[0] = *(const vi *)dc->col0;
  for (int u = 1; u < DW_US; ++u)
    col[u] = col_next(col[u - 1], step, W);
  vf acc[DW_US];
  int64_t i = 0;
  for (; i + DW_US * MCC_VL <= n; i += DW_US * MCC_VL) {
    dw_shifted_vectors(KHc, KWc, DW_US, s, dc, base, wv, i, col, acc);
    for (int u = 0; u < DW_US; ++u)
      vstore(y + i + u * MCC_VL, dw_finish(ACT, acc[u], e, e->res ? e->res + i + u * MCC_VL : NULL, MCC_VL));
    col[0] = col_next(col[DW_US - 1], step, W);
    for (int u = 1; u < DW_US; ++u)
      col[u] = col_next(col[u - 1], step, W);
  }
  for (; i < n; i += MCC_VL) {
    const int64_t m = mcc_min64(MCC_VL, n - i);
    dw_shifted_vectors(KHc, KWc, 1, s, dc, base, wv, i, col, acc);
    dw_store(y + i, dw_finish(ACT, acc[0], e, e->res ? e->res + i : NULL, m), m);
    col[0] = col_next(col[0], step, W);
  }
}

/* One channel: K is the square kernel size when known at compile time (0: any). */
#define DW_CHANNEL(K, ACT, name)                                                                                       \
  static void dw_channel_##K##_##name(const struct mcc_conv_shape *s, const struct dw_geom *g,                         \
                                      const struct dw_call *dc, int set, const float *wc, float *buf, float *y,        \
                                      const struct dw_epi *e) {                                                        \
    vf wv[K ? K * K : DW_MAX_TAPS];                                                                                    \
    const int64_t n = K ? K * K : s->KH * s->KW;                                                                       \
    for (int64_t t = 0; t < n; ++t)                                                                                    \
      wv[t] = vsplat(wc[t]);                                                                                           \
    if (g->shifted)                                                                                                    \
      dw_shifted(K, K, ACT, s, dc, dc->base[set], wv, y, e);                                                           \
    else if (g->flat)                                                                                                  \
      dw_flat(K * K, ACT, s, g, dc->tap[set], wv, buf, y, e);                                                          \
    else                                                                                                               \
      for (int64_t oh = 0; oh < s->OH; ++oh)                                                                           \
        dw_span(K * K, ACT, n, dc->tap[set], wv, oh * g->wq, s->OW, y + oh * s->OW,                                    \
                e->res ? e->res + oh * s->OW : NULL, e);                                                               \
  }
#define DW_CHANNELS(K)                                                                                                 \
  DW_CHANNEL(K, MCC_ACT_NONE, none)                                                                                    \
  DW_CHANNEL(K, MCC_ACT_RELU, relu)                                                                                    \
  DW_CHANNEL(K, MCC_ACT_CLIP, clip)                                                                                    \
  DW_CHANNEL(K, -1, any)                                                                                               \
  static void dw_channel_##K(const struct mcc_conv_shape *s, const struct dw_geom *g, const struct dw_call *dc,        \
                             int set, const float *wc, float *buf, float *y, const struct dw_epi *e) {                 \
    switch (e->act) {                                                                                                  \
    case MCC_ACT_NONE:                                                                                                 \
      dw_channel_##K##_none(s, g, dc, set, wc, buf, y, e);                                                             \
      return;                                                                                                          \
    case MCC_ACT_RELU:                                                                                                 \
      dw_channel_##K##_relu(s, g, dc, set, wc, buf, y, e);                                                             \
      return;                                                                                                          \
    case MCC_ACT_CLIP:                                                                                                 \
      dw_channel_##K##_clip(s, g, dc, set, wc, buf, y, e);                                                             \
      return;                                                                                                          \
    default:                                                                                                           \
      dw_channel_##K##_any(s, g, dc, set, wc, buf, y, e);                                                              \
    }                                                                                                                  \
  }
DW_CHANNELS(3)
DW_CHANNELS(5)
DW_CHANNELS(0)

/* Kernels with more than DW_MAX_TAPS taps: one tap block at a time would need a second accumulation
 * pass; they are rare enough (and big enough) that a plain direct loop serves them. */
static void dw_direct(const struct mcc_conv_shape *s, const float *x, const float *wc, float *y,
                      const struct dw_epi *e) {
  for (int64_t oh = 0; oh < s->OH; ++oh)
    for (int64_t ow = 0; ow < s->OW; ++ow) {
      float acc = 0.0f;
      for (int64_t kh = 0; kh < s->KH; ++kh) {
        const int64_t ih = oh * s->sh - s->pad_t + kh * s->dh;
        if (ih < 0 || ih >= s->H)
          continue;
        for (int64_t kw = 0; kw < s->KW; ++kw) {
          const int64_t iw = ow * s->sw - s->pad_l + kw * s->dw;
          if (iw >= 0 && iw < s->W)
            acc += x[ih * s->W + iw] * wc[kh * s->KW + kw];
        }
      }
      y[oh * s->OW + ow] = acc;
    }
  const int64_t P = s->OH * s->OW;
  mcc_epilogue_row(y, y, P, NULL, e->bias, e->res, e->act, e->alpha, e->beta);
}

#if MCC_VL == 16
/* Outputs [p0, p0 + U) of row oh (U a compile-time count) into t: tap k of output ow at
 * pad + ((oh*sh + kh*dh)*wp + ow*sw + kw*dw)*16 = row + ow*sw*16 + off[k]. */
MCC_INLINE void cv_pixels(const int KKc, const int U, int64_t kk, const float *row, int64_t step, const int64_t *off,
                          const vf *wv, float *t) {
  const int64_t n = KKc ? KKc : kk;
  vf acc[4];
#pragma clang loop unroll(full)
  for (int u = 0; u < U; ++u)
    acc[u] = vsplat(0.0f);
#pragma clang loop unroll(full)
  for (int64_t k = 0; k < n; ++k)
#pragma clang loop unroll(full)
    for (int u = 0; u < U; ++u)
      acc[u] += wv[k] * vload(row + u * step + off[k]);
#pragma clang loop unroll(full)
  for (int u = 0; u < U; ++u)
    vstore(t + u * 16, acc[u]);
}

MCC_INLINE void cv_plane(const int KKc, const struct mcc_conv_shape *s, const struct dw_geom *g, const float *pad,
                         const int64_t *off, const vf *wv, float *t) {
  const int64_t kk = s->KH * s->KW, step = s->sw * 16;
  for (int64_t oh = 0; oh < s->OH; ++oh) {
    const float *row = pad + oh * s->sh * g->wp * 16;
    float *to = t + oh * s->OW * 16;
    int64_t ow = 0;
    for (; ow + 4 <= s->OW; ow += 4)
      cv_pixels(KKc, 4, kk, row + ow * step, step, off, wv, to + ow * 16);
    for (; ow < s->OW; ++ow)
      cv_pixels(KKc, 1, kk, row + ow * step, step, off, wv, to + ow * 16);
  }
}

static void dw_cv(const struct mcc_conv_shape *s, const struct dw_geom *g, const float *x, const float *w, float *y,
                  const float *bias, const float *res, int32_t act, float alpha, float beta, float *scratch) {
  const int64_t P = s->OH * s->OW, HW = s->H * s->W, kk = s->KH * s->KW;
  float *pad = scratch, *t = scratch + g->hp * g->wp * 16;
  /* The halo stays zero: each block rewrites only the input's pixels. Input pixels that no tap reads
   * (past what OH/OW imply) are not copied. */
  zero_run(pad, g->hp * g->wp * 16);
  const int64_t ih0 = mcc_max64(0, -s->pad_t), ih1 = mcc_min64(s->H, g->hp - s->pad_t);
  const int64_t iw0 = mcc_max64(0, -s->pad_l), iw1 = mcc_min64(s->W, g->wp - s->pad_l);
  int64_t off[DW_MAX_TAPS];
  for (int64_t kh = 0; kh < s->KH; ++kh)
    for (int64_t kw = 0; kw < s->KW; ++kw)
      off[kh * s->KW + kw] = (kh * s->dh * g->wp + kw * s->dw) * 16;
  for (int64_t c0 = 0; c0 < s->C; c0 += 16) {
    const int64_t nc = mcc_min64(16, s->C - c0);
    vf wv[DW_MAX_TAPS];
    for (int64_t k = 0; k < kk; ++k) {
      float lane[16] = {0};
      for (int64_t l = 0; l < nc; ++l)
        lane[l] = w[(c0 + l) * kk + k];
      wv[k] = vload(lane);
    }
    for (int64_t ih = ih0; ih < ih1; ++ih)
      for (int64_t iw = iw0; iw < iw1; iw += 16) {
        const int64_t nw = mcc_min64(16, iw1 - iw);
        vf r[16];
#pragma clang loop unroll(full)
        for (int l = 0; l < 16; ++l)
          r[l] = l < nc ? vload_n(x + (c0 + l) * HW + ih * s->W + iw, nw) : vsplat(0.0f);
        transpose16(r);
        float *d = pad + ((ih + s->pad_t) * g->wp + iw + s->pad_l) * 16;
        for (int64_t j = 0; j < nw; ++j)
          vstore(d + j * 16, r[j]);
      }
    if (kk == 9)
      cv_plane(9, s, g, pad, off, wv, t);
    else if (kk == 25)
      cv_plane(25, s, g, pad, off, wv, t);
    else
      cv_plane(0, s, g, pad, off, wv, t);
    mcc_transpose_out(t, 16, P, nc, y + c0 * P, bias ? bias + c0 : NULL, res ? res + c0 * P : NULL, act, alpha, beta);
  }
}
#endif

void mcc_depthwise(const struct mcc_conv_shape *s, const float *x, const float *w, float *y, const float *bias,
                   const float *res, int32_t act, float alpha, float beta, float *scratch) {
  const int64_t P = s->OH * s->OW, HW = s->H * s->W, KK = s->KH * s->KW;
  struct dw_geom g;
  dw_geometry(MCC_ISA, s, &g);
  struct dw_epi e = {0.0f, NULL, act, alpha, beta};
#if MCC_VL == 16
  if (g.cv) {
    dw_cv(s, &g, x, w, y, bias, res, act, alpha, beta, scratch);
    return;
  }
#endif
  if (KK > DW_MAX_TAPS) {
    for (int64_t c = 0; c < s->C; ++c) {
      e.bias = bias ? bias[c] : 0.0f;
      e.res = res ? res + c * P : NULL;
      dw_direct(s, x + c * HW, w + c * KK, y + c * P, &e);
    }
    return;
  }
  const int64_t set_floats = g.planes * g.plane;
  struct dw_call dc;
  if (g.shifted) {
    /* Output q reads tap (kh, kw) at lead + q + (kh*dh - pad_t)*W + kw*dw - pad_l = q + kh*dh*W + kw*dw. */
    g.lead = s->pad_t * s->W + s->pad_l;
    for (int s_ = 0; s_ < 2; ++s_)
      dc.base[s_] = scratch + (s_ ? g.sets - 1 : 0) * set_floats;
    for (int64_t kw = 0; kw < s->KW; ++kw) {
      const int64_t d = kw * s->dw - s->pad_l;
      dc.lo[kw] = (int32_t)mcc_max64(0, -d);
      dc.hi[kw] = (int32_t)mcc_min64(s->W, s->W - d);
    }
    for (int l = 0; l < MCC_VL; ++l)
      dc.col0[l] = (int32_t)(l % s->W); /* no vector remainder: once per call */
  } else {
    for (int64_t kh = 0; kh < s->KH; ++kh)
      for (int64_t kw = 0; kw < s->KW; ++kw) {
        const int64_t rh = kh * s->dh % s->sh, rw = kw * s->dw % s->sw;
        const int64_t off = (rh * s->sw + rw) * g.plane + (kh * s->dh / s->sh) * g.wq + kw * s->dw / s->sw;
        dc.tap[0][kh * s->KW + kw] = scratch + off;
        dc.tap[1][kh * s->KW + kw] = scratch + (g.sets - 1) * set_floats + off;
      }
  }
  zero_run(scratch, g.sets * set_floats);
  float *buf = scratch + g.sets * set_floats;
  for (int64_t c = 0; c < s->C; ++c) {
    /* With two sets, channel c+1 is copied before channel c is computed. */
    const int set = g.sets == 2 ? (int)(c & 1) : 0;
    for (int64_t f = g.sets == 2 ? (c == 0 ? 0 : c + 1) : c; f <= c + g.sets - 1 && f < s->C; ++f) {
      float *dst = scratch + (g.sets == 2 ? f & 1 : 0) * set_floats;
      if (g.shifted)
        fill_shifted(s, &g, x + f * HW, dst);
      else
        fill_phases(s, &g, x + f * HW, dst);
    }
    e.bias = bias ? bias[c] : 0.0f;
    e.res = res ? res + c * P : NULL;
    if (s->KH == 3 && s->KW == 3)
      dw_channel_3(s, &g, &dc, set, w + c * KK, buf, y + c * P, &e);
    else if (s->KH == 5 && s->KW == 5)
      dw_channel_5(s, &g, &dc, set, w + c * KK, buf, y + c * P, &e);
    else
      dw_channel_0(s, &g, &dc, set, w + c * KK, buf, y + c * P, &e);
  }
}
