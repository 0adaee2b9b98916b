/*===- qconv2d.c - int8 NCHW convolution: packed weights as rows, pixel panels packed per run -----===*
 *
 * Y[M, OH*OW] = W[M, K] x patches[K, OH*OW] with K = C*KH*KW, on the int8 tile of qgemm_internal.h:
 * the weights (s8, packed at compile time in QMR-row panels) are the broadcast side, a panel of QNR
 * output pixels is packed here into the vector layout ([K/4][QNR][4] bytes, padding reads the zero
 * point) together with its per-pixel sums, and every weight panel runs over it. The output rows are
 * output channels, so Y is written in NCHW directly, QNR pixels at a time.
 *===----------------------------------------------------------------------===*/
#include "qgemm_internal.h"

int64_t mcc_qconv2d_packed_w_bytes(enum mcc_isa isa, int64_t M, int64_t C, int64_t KH, int64_t KW) {
  int64_t mr = mcc_qgemm_mr(isa);
  return mcc_qpack_bytes(mcc_ceil_div(M, mr), mr, C * KH * KW);
}

void mcc_qconv2d_pack_w(enum mcc_isa isa, int64_t M, int64_t C, int64_t KH, int64_t KW, const int8_t *w,
                        const int32_t *w_zp, int32_t x_zp, const int32_t *bias, const float *scale, const float *fbias,
                        void *packed) {
  const int64_t mr = mcc_qgemm_mr(isa), panels = mcc_ceil_div(M, mr), K = C * KH * KW, kp = mcc_ceil_div(K, 4) * 4;
  mcc_memset(packed, 0, (size_t)mcc_qpack_bytes(panels, mr, K));
  struct mcc_qpacked v = mcc_qpack_view(packed, panels, mr, K);
  uint8_t *data = (uint8_t *)v.data;
  int32_t *sums = (int32_t *)v.corr;
  for (int64_t m = 0; m < M; ++m)
    for (int64_t k = 0; k < K; ++k) {
      int8_t b = w[m * K + k];
      data[(m / mr) * mr * kp + (k / 4) * mr * 4 + (m % mr) * 4 + k % 4] = (uint8_t)b;
      sums[m] += b;
    }
  mcc_qpack_channels(packed, panels, mr, K, M, w_zp, x_zp, bias, scale, fbias);
}

/* Stride-1 convolutions (but 1x1) run "wide": over a padded copy of X, Wp = OW + (KW-1)*dw wide, the
 * output pixels are computed on the padded width too, so that every tap of a panel of pixels is one
 * contiguous run of the copy and the panel is four such runs interleaved, with no per-row splitting.
 * The columns past OW are computed and dropped: only when they are at most 1/8 of the work. */
static int use_wide(int64_t KH, int64_t KW, int64_t sh, int64_t sw, int64_t dw, int64_t OW) {
  const int64_t wp = OW + (KW - 1) * dw;
  return sh == 1 && sw == 1 && !(KH == 1 && KW == 1) && (wp - OW) * 8 <= wp;
}

int64_t mcc_qconv2d_scratch_bytes(enum mcc_isa isa, int64_t C, int64_t H, int64_t W, int64_t KH, int64_t KW, int64_t sh,
                                  int64_t sw, int64_t dh, int64_t dw, int64_t OH, int64_t OW) {
  int64_t nr = mcc_qgemm_nr(isa), kp = mcc_ceil_div(C * KH * KW, 4) * 4;
  int64_t bytes = nr * kp + nr * 4 + 4 * nr;
  (void)H, (void)W;
  if (use_wide(KH, KW, sh, sw, dw, OW))
    bytes += C * (OH + (KH - 1) * dh) * (OW + (KW - 1) * dw) + nr;
  return bytes;
}

struct qconv_geo {
  int64_t C, H, W, KH, KW, sh, sw, dh, dw, pad_t, pad_l, OW;
  uint8_t xor8, pad;
  int direct;
};

/* row[j] = the input value tap k of output pixel p0 + j reads (the zero point outside X), j < np. Each
 * output row's run splits into left padding, the taps inside X (a contiguous copy at stride 1) and right
 * padding, so the inner loop has no bounds test. */
static void fill_row(const struct qconv_geo *g, const uint8_t *x, int64_t c, int64_t kh, int64_t kw, int64_t oh,
                     int64_t ow, int64_t np, uint8_t *row) {
  const uint8_t *plane = x + c * g->H * g->W;
  if (g->direct) { /* 1x1, stride 1, no padding: the pixels are the plane itself */
    const uint8_t *src = plane + oh * g->W + ow, xor8 = g->xor8;
    for (int64_t j = 0; j < np; ++j)
      row[j] = src[j] ^ xor8;
    return;
  }
  const int64_t off = kw * g->dw - g->pad_l, sw = g->sw;
  for (int64_t j = 0; j < np;) {
    const int64_t run = mcc_min64(np - j, g->OW - ow), ih = oh * g->sh - g->pad_t + kh * g->dh;
    uint8_t *d = row + j;
    if (ih < 0 || ih >= g->H) {
      mcc_memset(d, g->pad, (size_t)run);
    } else {
      /* r is inside X when 0 <= (ow + r) * sw + off < W. */
      const int64_t first = off + ow * sw; /* iw of r = 0 */
      int64_t lo = first >= 0 ? 0 : mcc_ceil_div(-first, sw);
      int64_t hi = g->W - first <= 0 ? 0 : mcc_ceil_div(g->W - first, sw);
      lo = mcc_min64(lo, run);
      hi = mcc_max64(lo, mcc_min64(hi, run));
      const uint8_t *src = plane + ih * g->W + first;
      const uint8_t xor8 = g->xor8;
      for (int64_t r = 0; r < lo; ++r)
        d[r] = g->pad;
      if (sw == 1)
        for (int64_t r = lo; r < hi; ++r)
          d[r] = src[r] ^ xor8;
      else
        for (int64_t r = lo; r < hi; ++r)
          d[r] = src[r * sw] ^ xor8;
      for (int64_t r = hi; r < run; ++r)
        d[r] = g->pad;
    }
    j += run;
    ow = 0;
    ++oh;
  }
}

typedef uint8_t v16b __attribute__((vector_size(16), aligned(1), __may_alias__));
typedef uint16_t v8h __attribute__((vector_size(16)));

/* d[j*4 + t] = r[t][j] ^ xor8 for j < QNR: four rows of taps into the vector layout, 16 pixels at a
 * time with byte and 16-bit unpacks (punpck on x86, zip on NEON). */
static void interleave4(const uint8_t *r0, const uint8_t *r1, const uint8_t *r2, const uint8_t *r3, uint8_t xor8,
                        uint8_t *d) {
#if MCC_QNR % 16 == 0
  const v16b x = (v16b){0} + xor8;
  for (int64_t j = 0; j < MCC_QNR; j += 16) {
    v16b a = *(const v16b *)(r0 + j) ^ x, b = *(const v16b *)(r1 + j) ^ x;
    v16b c = *(const v16b *)(r2 + j) ^ x, e = *(const v16b *)(r3 + j) ^ x;
    v8h ab0 = (v8h)__builtin_shufflevector(a, b, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    v8h ab1 = (v8h)__builtin_shufflevector(a, b, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
    v8h ce0 = (v8h)__builtin_shufflevector(c, e, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    v8h ce1 = (v8h)__builtin_shufflevector(c, e, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
    uint8_t *o = d + j * 4;
    *(v16b *)o = (v16b)__builtin_shufflevector(ab0, ce0, 0, 8, 1, 9, 2, 10, 3, 11);
    *(v16b *)(o + 16) = (v16b)__builtin_shufflevector(ab0, ce0, 4, 12, 5, 13, 6, 14, 7, 15);
    *(v16b *)(o + 32) = (v16b)__builtin_shufflevector(ab1, ce1, 0, 8, 1, 9, 2, 10, 3, 11);
    *(v16b *)(o + 48) = (v16b)__builtin_shufflevector(ab1, ce1, 4, 12, 5, 13, 6, 14, 7, 15);
  }
#else
  const uint8_t *r[4] = {r0, r1, r2, r3};
  for (int64_t j = 0; j < MCC_QNR; ++j)
    for (int t = 0; t < 4; ++t)
      d[j * 4 + t] = r[t][j] ^ xor8;
#endif
}

/* The patches of pixels [p0, p0 + np) as [kp/4][QNR][4] bytes (zero past np and past K), and their
 * per-pixel sums when asked. */
static void pack_pixels(const struct qconv_geo *g, const uint8_t *x, int64_t p0, int64_t np, uint8_t *dst,
                        int32_t *sums, uint8_t *rows) {
  const int64_t K = g->C * g->KH * g->KW, kp = mcc_ceil_div(K, 4) * 4;
  if (sums)
    for (int64_t j = 0; j < MCC_QNR; ++j)
      sums[j] = 0;
  if (g->direct && np == MCC_QNR) {
    /* 1x1, stride 1, unpadded, a whole panel: the taps are channel rows of X, interleaved in place. */
    const int64_t plane = g->H * g->W;
    const uint8_t *zero = rows; /* a row of zeros for the taps past K */
    mcc_memset(rows, 0, MCC_QNR);
    for (int64_t k0 = 0; k0 < kp; k0 += 4) {
      const uint8_t *r[4];
      for (int t = 0; t < 4; ++t)
        r[t] = k0 + t < K ? x + (k0 + t) * plane + p0 : zero;
      interleave4(r[0], r[1], r[2], r[3], g->xor8, dst + k0 * MCC_QNR);
      if (sums)
        for (int t = 0; t < 4 && k0 + t < K; ++t)
          for (int64_t j = 0; j < MCC_QNR; ++j)
            sums[j] += (uint8_t)(r[t][j] ^ g->xor8);
    }
    return;
  }
  const int64_t oh = p0 / g->OW, ow = p0 % g->OW;
  int64_t c = 0, kh = 0, kw = 0; /* tap k0 + t, counted without divisions */
  for (int64_t k0 = 0; k0 < kp; k0 += 4) {
    for (int t = 0; t < 4; ++t) {
      uint8_t *row = rows + t * MCC_QNR;
      if (k0 + t < K) {
        fill_row(g, x, c, kh, kw, oh, ow, np, row);
        if (++kw == g->KW) {
          kw = 0;
          if (++kh == g->KH)
            kh = 0, ++c;
        }
      } else {
        mcc_memset(row, 0, (size_t)np);
      }
      if (np < MCC_QNR)
        mcc_memset(row + np, 0, (size_t)(MCC_QNR - np));
    }
    interleave4(rows, rows + MCC_QNR, rows + 2 * MCC_QNR, rows + 3 * MCC_QNR, 0, dst + k0 * MCC_QNR);
    if (sums)
      for (int64_t j = 0; j < np; ++j)
        sums[j] += rows[j] + rows[MCC_QNR + j] + rows[2 * MCC_QNR + j] + rows[3 * MCC_QNR + j];
  }
}

/* The padded copy of one image for the wide mode: [C][Hp][Wp], the zero point (XORed) around X. */
static void pad_image(const struct qconv_geo *g, const uint8_t *x, int64_t Hp, int64_t Wp, uint8_t *xp) {
  for (int64_t c = 0; c < g->C; ++c)
    for (int64_t i = 0; i < Hp; ++i) {
      uint8_t *row = xp + (c * Hp + i) * Wp;
      const int64_t ih = i - g->pad_t;
      if (ih < 0 || ih >= g->H) {
        mcc_memset(row, g->pad, (size_t)Wp);
        continue;
      }
      const int64_t l = mcc_min64(g->pad_l, Wp), n = mcc_min64(g->W, Wp - l);
      mcc_memset(row, g->pad, (size_t)l);
      const uint8_t *src = x + (c * g->H + ih) * g->W, xor8 = g->xor8;
      for (int64_t j = 0; j < n; ++j)
        row[l + j] = src[j] ^ xor8;
      mcc_memset(row + l + n, g->pad, (size_t)(Wp - l - n));
    }
}

/* The panel of wide pixels [q0, q0 + QNR): tap (c, kh, kw) is the run at xp + c*Hp*Wp + kh*dh*Wp + kw*dw
 * + q0. */
static void pack_wide(const struct qconv_geo *g, const uint8_t *xp, int64_t Hp, int64_t Wp, int64_t q0, uint8_t *dst,
                      int32_t *sums, uint8_t *zero) {
  const int64_t K = g->C * g->KH * g->KW, kp = mcc_ceil_div(K, 4) * 4;
  if (sums)
    for (int64_t j = 0; j < MCC_QNR; ++j)
      sums[j] = 0;
  int64_t c = 0, kh = 0, kw = 0;
  for (int64_t k0 = 0; k0 < kp; k0 += 4) {
    const uint8_t *r[4];
    for (int t = 0; t < 4; ++t) {
      if (k0 + t >= K) {
        r[t] = zero;
        continue;
      }
      r[t] = xp + c * Hp * Wp + kh * g->dh * Wp + kw * g->dw + q0;
      if (++kw == g->KW) {
        kw = 0;
        if (++kh == g->KH)
          kh = 0, ++c;
      }
    }
    interleave4(r[0], r[1], r[2], r[3], 0, dst + k0 * MCC_QNR);
    if (sums)
      for (int t = 0; t < 4; ++t)
        for (int64_t j = 0; j < MCC_QNR; ++j)
          sums[j] += r[t][j];
  }
}

void mcc_qconv2d(int64_t N, int64_t C, int64_t H, int64_t W, const void *X, int32_t x_signed, int32_t x_zp, int64_t M,
                 int64_t KH, int64_t KW, const void *packed_w, int64_t sh, int64_t sw, int64_t dh, int64_t dw,
                 int64_t pad_t, int64_t pad_l, int64_t OH, int64_t OW, void *Y, int32_t out_kind, int32_t y_zp,
                 int32_t lo, int32_t hi, int32_t act, float alpha, float beta, int32_t vnni, void *scratch) {
  const int64_t K = C * KH * KW, kp = mcc_ceil_div(K, 4) * 4, P = OH * OW, panels = mcc_ceil_div(M, MCC_QMR);
  if (P <= 0 || M <= 0)
    return;
  const int64_t esize = out_kind == MCC_QOUT_U8 || out_kind == MCC_QOUT_S8 ? 1 : 4;
  const uint8_t xor8 = x_signed ? 0x80 : 0;
  struct qconv_geo g = {C, H, W, KH, KW, sh, sw, dh, dw, pad_t, pad_l, OW, xor8, (uint8_t)((uint8_t)x_zp ^ xor8), 0};
  g.direct = KH == 1 && KW == 1 && sh == 1 && sw == 1 && pad_t == 0 && pad_l == 0 && OH == H && OW == W;
  uint8_t *vbuf = (uint8_t *)scratch;
  int32_t *sums = (int32_t *)(vbuf + MCC_QNR * kp);
  uint8_t *rows = (uint8_t *)(sums + MCC_QNR);
  struct mcc_qepi e = {mcc_qpack_view(packed_w, panels, MCC_QMR, K), 1, sums, out_kind, y_zp, lo, hi, act, alpha, beta};
  int32_t acc[MCC_QMR * MCC_QNR];
  if (use_wide(KH, KW, sh, sw, dw, OW)) {
    const int64_t Hp = OH + (KH - 1) * dh, Wp = OW + (KW - 1) * dw, Q = (OH - 1) * Wp + OW;
    uint8_t *xp = rows + 4 * MCC_QNR;
    int32_t tile[MCC_QMR * MCC_QNR]; /* one tile's outputs on the wide pixels, before dropping columns */
    mcc_memset(rows, 0, MCC_QNR);
    mcc_memset(xp + C * Hp * Wp, 0, MCC_QNR);
    for (int64_t n = 0; n < N; ++n) {
      uint8_t *y = (uint8_t *)Y + n * M * P * esize;
      pad_image(&g, (const uint8_t *)X + n * C * H * W, Hp, Wp, xp);
      for (int64_t q0 = 0; q0 < Q; q0 += MCC_QNR) {
        const int64_t nq = mcc_min64(MCC_QNR, Q - q0);
        pack_wide(&g, xp, Hp, Wp, q0, vbuf, e.w.has_w_zp ? sums : NULL, rows);
        for (int64_t mp = 0; mp < panels; ++mp) {
          const int64_t m0 = mp * MCC_QMR, mr = mcc_min64(MCC_QMR, M - m0);
          mcc_qtile(mr, kp / 4, 0, e.w.data + mp * MCC_QMR * kp, 4, MCC_QMR * 4, 0, vbuf, 0, vnni, acc);
          mcc_qtile_epilogue(&e, acc, mr, nq, m0, 0, tile, MCC_QNR);
          /* Runs of real pixels: wide pixel q is (q / Wp, q % Wp), real while q % Wp < OW. */
          for (int64_t q = q0; q < q0 + nq;) {
            const int64_t oh = q / Wp, ow = q % Wp, len = mcc_min64(OW - ow, q0 + nq - q);
            if (len > 0)
              for (int64_t i = 0; i < mr; ++i)
                mcc_memcpy(y + ((m0 + i) * P + oh * OW + ow) * esize, (uint8_t *)tile + (i * MCC_QNR + q - q0) * esize,
                           (size_t)(len * esize));
            q += len > 0 ? len : Wp - ow;
          }
        }
      }
    }
    return;
  }
  for (int64_t n = 0; n < N; ++n) {
    const uint8_t *x = (const uint8_t *)X + n * C * H * W;
    uint8_t *y = (uint8_t *)Y + n * M * P * esize;
    for (int64_t p0 = 0; p0 < P; p0 += MCC_QNR) {
      const int64_t np = mcc_min64(MCC_QNR, P - p0);
      pack_pixels(&g, x, p0, np, vbuf, e.w.has_w_zp ? sums : NULL, rows);
      for (int64_t mp = 0; mp < panels; ++mp) {
        const int64_t m0 = mp * MCC_QMR, mr = mcc_min64(MCC_QMR, M - m0);
        mcc_qtile(mr, kp / 4, 0, e.w.data + mp * MCC_QMR * kp, 4, MCC_QMR * 4, 0, vbuf, 0, vnni, acc);
        mcc_qtile_epilogue(&e, acc, mr, np, m0, 0, y + (m0 * P + p0) * esize, P);
      }
    }
  }
}
