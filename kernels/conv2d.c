/*===- conv2d.c - NCHW convolution as GEMMs: weights as packed A, pixels as B ---------------------===*
 *
 * Per image and group, Y[Mg, OH*OW] = W[Mg, Kg] x patches[Kg, OH*OW] with Kg = Cg*KH*KW:
 *   - 1x1, stride 1, no padding: the patches are X itself (row stride H*W), no copy;
 *   - otherwise the patches of a block of nb output pixels are packed into scratch (Kg x nb
 *     row-major, sized to stay in L2) and the GEMM reads them in place; the full im2col never exists;
 *   - depthwise (one input and one output channel per group) has its own direct kernel (depthwise.c).
 * Weights are packed at compile time into MR-row panels per group, so the GEMM never packs A.
 *===----------------------------------------------------------------------===*/
#include "conv2d_internal.h"
#include "epilogue.h"

/* Floats of patches per pixel block: Kg x nb stays within ~256 KiB of L2. */
#define PATCH_BUDGET_FLOATS (64 * 1024)

static int is_depthwise(int64_t C, int64_t M, int64_t group) { return C == group && M == group; }

static int is_direct_1x1(int64_t H, int64_t W, int64_t KH, int64_t KW, int64_t sh, int64_t sw, int64_t OH, int64_t OW) {
  /* OH == H with a 1x1 stride-1 kernel means no padding on either side. */
  return KH == 1 && KW == 1 && sh == 1 && sw == 1 && OH == H && OW == W;
}

/* At least 4 NR panels per block even for deep patches: each block streams all the weights. */
static int64_t pixel_block(enum mcc_isa isa, int64_t Kg, int64_t P) {
  int64_t nr = mcc_sgemm_nr(isa);
  int64_t nb = mcc_max64(4, PATCH_BUDGET_FLOATS / mcc_max64(Kg, 1) / nr) * nr;
  return mcc_min64(nb, mcc_ceil_div(P, nr) * nr);
}

/* Small planes (7x7, 14x14) as the transposed GEMM Y^T[P, M] = patches^T[P, Kg] x W^T[Kg, M]: the pixels
 * are the microkernel's rows, MR at a time with exact tails (49 = 3 x 14 + 7), and the output channels
 * run along the vectors, NR at a time (channel counts are multiples of 16 or 32 in practice), where
 * pixels along the vectors would pad 49 to 64 (measured on AVX-512: 7x7 planes 10-25% faster; at 14x14
 * the two are even, the padding saved there paid back by the transposition). The result goes through a transposing
 * epilogue into Y. Only for one group: the choice must not depend on M, which the parallel split narrows. */
#define ROWS_MAX_P 64
/* Row stride of the packed patches: whole vectors of any ISA (the flat packer writes vectors). */
static int64_t rows_patch_stride(int64_t P) { return mcc_ceil_div(P, 16) * 16; }
int mcc_conv2d_pixel_rows(enum mcc_isa isa, int64_t M, int64_t Cg, int64_t KH, int64_t KW, int64_t group, int64_t P) {
  (void)M, (void)Cg, (void)KH, (void)KW;
  /* A handful of pixels (the 1x1 planes of squeeze-excite blocks) stays with conv_gemv. */
  return group == 1 && P * 4 > mcc_sgemm_nr(isa) && P <= ROWS_MAX_P;
}

int64_t mcc_conv2d_scratch_floats(enum mcc_isa isa, int64_t C, int64_t H, int64_t W, int64_t M, int64_t KH, int64_t KW,
                                  int64_t group, int64_t sh, int64_t sw, int64_t dh, int64_t dw, int64_t OH,
                                  int64_t OW) {
  if (OH <= 0 || OW <= 0)
    return 0;
  if (mcc_conv2d_pixel_rows(isa, M, C / group, KH, KW, group, OH * OW)) {
    const int64_t P = OH * OW, mr = mcc_sgemm_mr(isa), nr = mcc_sgemm_nr(isa);
    (void)mr;
    /* The patches (none for a direct 1x1), then the transposed result (M rounded up to whole NR panels). */
    const int64_t patches = is_direct_1x1(H, W, KH, KW, sh, sw, OH, OW) ? 0 : C * KH * KW * rows_patch_stride(P);
    return patches + P * mcc_ceil_div(M, nr) * nr;
  }
  if (is_depthwise(C, M, group)) {
    /* Only the geometry matters for the padded plane; pads are implied by OH/OW (bounded above). */
    const struct mcc_conv_shape s = {C, H, W, M, KH, KW, sh, sw, dh, dw, 0, 0, OH, OW};
    return mcc_depthwise_scratch_floats(isa, &s);
  }
  int64_t Cg = C / group;
  /* A 1x1 convolution reads X in place: its rows (H*W apart) are read faster than packed. */
  if (is_direct_1x1(H, W, KH, KW, sh, sw, OH, OW))
    return 0;
  int64_t Kg = Cg * KH * KW;
  return Kg * pixel_block(isa, Kg, OH * OW);
}

int64_t mcc_conv2d_packed_w_floats(enum mcc_isa isa, int64_t M, int64_t C, int64_t KH, int64_t KW, int64_t group,
                                   int64_t P) {
  if (is_depthwise(C, M, group))
    return M * KH * KW;
  if (mcc_conv2d_pixel_rows(isa, M, C / group, KH, KW, group, P))
    return mcc_sgemm_packed_b_floats(isa, C * KH * KW, M);
  int64_t mr = mcc_sgemm_mr(isa), Mg = M / group;
  return group * mcc_ceil_div(Mg, mr) * mr * (C / group) * KH * KW;
}

void mcc_conv2d_pack_w(enum mcc_isa isa, int64_t M, int64_t C, int64_t KH, int64_t KW, int64_t group, int64_t P,
                       const float *w, float *packed) {
  if (is_depthwise(C, M, group)) {
    mcc_memcpy(packed, w, (size_t)(M * KH * KW) * 4);
    return;
  }
  if (mcc_conv2d_pixel_rows(isa, M, C / group, KH, KW, group, P)) {
    /* W^T [Kg, M] (element (k, m) at w[m*Kg + k]) in NR-channel panels, as mcc_sgemm_pack_b. */
    const int64_t Kg = C * KH * KW;
    mcc_pack_b_block(mcc_sgemm_nr(isa), w, 1, Kg, 0, Kg, 0, M, packed);
    return;
  }
  int64_t mr = mcc_sgemm_mr(isa), Mg = M / group, Kg = (C / group) * KH * KW;
  int64_t panels = mcc_ceil_div(Mg, mr);
  for (int64_t g = 0; g < group; ++g)
    for (int64_t p = 0; p < panels; ++p) {
      float *dst = packed + (g * panels + p) * mr * Kg;
      for (int64_t i = 0; i < mr; ++i) {
        int64_t m = p * mr + i;
        const float *src = w + (g * Mg + m) * Kg;
        for (int64_t k = 0; k < Kg; ++k)
          dst[k * mr + i] = m < Mg ? src[k] : 0.0f;
      }
    }
}

/* Packs the patches of output pixels [p0, p0+nb) of one group (Cg channels of x) row-major, row
 * k = (c, kh, kw) at dst + k*nb: zero where the tap falls in the padding and past the last pixel.
 * Row-major rather than NR panels so that a run is a whole output row, not at most NR floats: the
 * GEMM reads these rows in place just as fast. */
static void pack_patches(const struct mcc_conv_shape *s, const float *x, int64_t Cg, int64_t p0, int64_t nb,
                         float *dst) {
  const int64_t P = s->OH * s->OW;
  for (int64_t c = 0; c < Cg; ++c)
    for (int64_t kh = 0; kh < s->KH; ++kh)
      for (int64_t kw = 0; kw < s->KW; ++kw) {
        const int64_t k = (c * s->KH + kh) * s->KW + kw;
        const int64_t off_w = kw * s->dw - s->pad_l;
        /* Output columns whose tap lands inside the row: ow in [lo, hi). */
        const int64_t lo = off_w >= 0 ? 0 : mcc_ceil_div(-off_w, s->sw);
        const int64_t hi = off_w >= s->W ? 0 : mcc_ceil_div(s->W - off_w, s->sw);
        int64_t q = 0, oh = p0 / s->OW, ow = p0 % s->OW;
        while (q < nb) {
          float *d = dst + k * nb + q;
          int64_t len = nb - q;
          if (p0 + q >= P) {
            zero_run(d, len);
            q += len;
            continue;
          }
          len = mcc_min64(len, s->OW - ow);
          const int64_t ih = oh * s->sh - s->pad_t + kh * s->dh;
          if (ih < 0 || ih >= s->H) {
            zero_run(d, len);
          } else {
            const float *row = x + (c * s->H + ih) * s->W;
            int64_t a = mcc_min64(mcc_max64(lo - ow, 0), len);
            int64_t b = mcc_max64(mcc_min64(hi - ow, len), a);
            zero_run(d, a);
            if (s->sw == 1)
              copy_run(d + a, row + ow + a + off_w, b - a);
            else if (s->sw == 2)
              copy_run_s2(d + a, row + (ow + a) * 2 + off_w, b - a);
            else
              for (int64_t t = a; t < b; ++t)
                d[t] = row[(ow + t) * s->sw + off_w];
            zero_run(d + b, len - b);
          }
          q += len;
          ow += len;
          if (ow == s->OW) {
            ow = 0;
            ++oh;
          }
        }
      }
}

/* pack_patches for stride 1 with OW == W ("same" padding, the common k x k case): output pixel q reads
 * tap (c, kh, kw) at input element q + (kh*dh - pad_t)*W + kw*dw - pad_l of channel c, so each patch
 * row is one shifted run of the channel, whole vectors whatever the row width. A lane is zero where
 * the tap leaves the row (its column + kw*dw - pad_l outside [0, W): the flat index would wrap into the
 * neighbouring row), leaves the plane (padding rows), or is past the last pixel; masked loads never
 * touch those addresses. */
#define FLAT_MASKS 32 /* lane masks kept per chunk of a pixel block */
static void pack_patches_flat(const struct mcc_conv_shape *s, const float *x, int64_t Cg, int64_t p0, int64_t nb,
                              float *dst) {
  const int64_t HW = s->H * s->W, P = s->OH * s->OW;
  const int32_t W = (int32_t)s->W, step = (int32_t)(MCC_VL % s->W);
  int32_t c0[MCC_VL];
  for (int l = 0; l < MCC_VL; ++l)
    c0[l] = (int32_t)((p0 + l) % s->W);
  const vi col0 = *(const vi *)c0, lane = lane_index();
  for (int64_t kh = 0; kh < s->KH; ++kh)
    for (int64_t kw = 0; kw < s->KW; ++kw) {
      const int64_t d = kw * s->dw - s->pad_l, shift = (kh * s->dh - s->pad_t) * s->W + d;
      const int32_t lo = (int32_t)mcc_max64(0, -d), hi = (int32_t)mcc_min64(s->W, s->W - d);
      /* Pixels q (from p0) whose tap lies in the plane and before P: q in [qa, qb), as 32-bit lane
       * bounds relative to each vector's first pixel. The masks are the same for every channel: made
       * once per chunk of the block, then each channel is masked loads and stores. */
      const int64_t qa = mcc_max64(0, -shift - p0), qb = mcc_min64(nb, mcc_min64(P, HW - shift) - p0);
      vi col = col0;
      for (int64_t q0 = 0; q0 < nb; q0 += FLAT_MASKS * MCC_VL) {
        const int64_t nq = mcc_min64(FLAT_MASKS * MCC_VL, nb - q0);
        vi mask[FLAT_MASKS];
        for (int64_t q = 0; q < nq; q += MCC_VL) {
          const int64_t at = q0 + q;
          const vi in_run = (lane >= (int32_t)mcc_max64(-MCC_VL, mcc_min64(MCC_VL, qa - at))) &
                            (lane < (int32_t)mcc_max64(0, mcc_min64(MCC_VL, qb - at)));
          mask[q / MCC_VL] = in_run & (col >= lo) & (col < hi);
          col = col_next(col, step, W);
        }
        for (int64_t c = 0; c < Cg; ++c) {
          const float *src = x + c * HW + p0 + shift + q0;
          float *row = dst + ((c * s->KH + kh) * s->KW + kw) * nb + q0;
          for (int64_t q = 0; q < nq; q += MCC_VL)
            vstore(row + q, vload_mask(mask[q / MCC_VL], src + q));
        }
      }
    }
}

/* A direct 1x1 convolution over a handful of pixels (the 1x1 image of a squeeze-excite block) as GEMVs
 * on the packed weights: per K step one vector of the panel's MR output channels times each pixel's
 * input, instead of microkernel tiles that are nearly all padding (one useful column of NR). */
#define GEMV_P 4 /* pixels per pass over a weight panel */
#define GEMV_NV ((MCC_MR + MCC_VL - 1) / MCC_VL)
static int gemv_pays(int64_t P) { return P * 4 <= MCC_NR; }

static void conv_gemv(const float *wp, int64_t Mg, int64_t Kg, const float *x, int64_t xs, int64_t P, float *y,
                      const float *bias, const float *res, int32_t act, float alpha, float beta) {
  for (int64_t m0 = 0; m0 < Mg; m0 += MCC_MR) {
    const float *a = wp + (m0 / MCC_MR) * MCC_MR * Kg;
    for (int64_t p0 = 0; p0 < P; p0 += GEMV_P) {
      const int64_t np = mcc_min64(GEMV_P, P - p0);
      vf acc[GEMV_P][GEMV_NV];
      for (int u = 0; u < GEMV_P; ++u)
        for (int v = 0; v < GEMV_NV; ++v)
          acc[u][v] = vsplat(0.0f);
      for (int64_t k = 0; k < Kg; ++k) {
        vf w[GEMV_NV];
        for (int v = 0; v < GEMV_NV; ++v)
          w[v] = vload_n(a + k * MCC_MR + v * MCC_VL, mcc_min64(MCC_VL, MCC_MR - v * MCC_VL));
        /* Pixels past np repeat the last one: computed, never stored. */
        for (int u = 0; u < GEMV_P; ++u) {
          const float xv = x[k * xs + p0 + mcc_min64(u, np - 1)];
          for (int v = 0; v < GEMV_NV; ++v)
            acc[u][v] += w[v] * xv;
        }
      }
      for (int64_t u = 0; u < np; ++u)
        for (int v = 0; v < GEMV_NV; ++v) {
          const int64_t mb = m0 + v * MCC_VL, lanes = mcc_min64(MCC_VL, Mg - mb);
          if (lanes <= 0)
            break;
          float t[MCC_VL] = {0};
          if (res)
            for (int64_t i = 0; i < lanes; ++i)
              t[i] = res[(mb + i) * P + p0 + u];
          vf val = acc[u][v] + vload(t);
          if (bias)
            val += vload_n(bias + mb, lanes);
          vstore(t, mcc_vact(val, act, alpha, beta));
          for (int64_t i = 0; i < lanes; ++i)
            y[(mb + i) * P + p0 + u] = t[i];
        }
    }
  }
}

/* Y [M, P] = act(T^T + bias + res) for a transposed result T [P, ldt] (ldt >= M rounded up to 16), VL x VL
 * blocks at a time. */
void mcc_transpose_out(const float *t, int64_t ldt, int64_t P, int64_t M, float *y, const float *bias, const float *res,
                       int32_t act, float alpha, float beta) {
#if MCC_VL == 16
  for (int64_t p0 = 0; p0 < P; p0 += 16) {
    const int64_t np = mcc_min64(16, P - p0);
    for (int64_t m0 = 0; m0 < M; m0 += 16) {
      vf r[16];
      /* Rows past P repeat the last one: their lanes are never stored. */
#pragma clang loop unroll(full)
      for (int i = 0; i < 16; ++i)
        r[i] = vload(t + (p0 + mcc_min64(i, np - 1)) * ldt + m0);
      transpose16(r);
      const int64_t nm = mcc_min64(16, M - m0);
      for (int64_t j = 0; j < nm; ++j) {
        const int64_t m = m0 + j;
        vf v = r[j] + (bias ? bias[m] : 0.0f);
        if (res)
          v += np == 16 ? vload(res + m * P + p0) : vload_n(res + m * P + p0, np);
        v = mcc_vact(v, act, alpha, beta);
        if (np == 16)
          vstore(y + m * P + p0, v);
        else
          vstore_n(y + m * P + p0, v, np);
      }
    }
  }
#else
  for (int64_t p0 = 0; p0 < P; p0 += MCC_VL) {
    const int64_t np = mcc_min64(MCC_VL, P - p0);
    for (int64_t m = 0; m < M; ++m) {
      float row[MCC_VL];
      for (int64_t i = 0; i < np; ++i)
        row[i] = t[(p0 + i) * ldt + m];
      mcc_epilogue_row(y + m * P + p0, row, np, NULL, bias ? bias[m] : 0.0f, res ? res + m * P + p0 : NULL, act, alpha,
                       beta);
    }
  }
#endif
}

/* One image of a single-group convolution with the pixels as GEMM rows (mcc_conv2d_pixel_rows): A is the
 * patches matrix [Kg, P] read transposed in place (X itself for a direct 1x1, else packed row-major as
 * the other path packs it), B the weights packed as NR-channel panels; the product T [P, M] goes to
 * scratch, then through the transposing epilogue into Y. */
static void conv_pixel_rows(const struct mcc_conv_shape *s, const float *x, const float *wp, float *y,
                            const float *bias, const float *res, int32_t act, float alpha, float beta, float *scratch) {
  const int64_t P = s->OH * s->OW, Kg = s->C * s->KH * s->KW, M = s->M;
  const int64_t ldt = mcc_ceil_div(M, MCC_NR) * MCC_NR, nb = rows_patch_stride(P);
  const int direct = is_direct_1x1(s->H, s->W, s->KH, s->KW, s->sh, s->sw, s->OH, s->OW);
  const int flat = s->sh == 1 && s->sw == 1 && s->OW == s->W && (s->KW - 1) * s->dw < s->W;
  const float *a = x;
  float *t = scratch;
  if (!direct) {
    if (flat)
      pack_patches_flat(s, x, s->C, 0, nb, scratch);
    else
      pack_patches(s, x, s->C, 0, nb, scratch);
    a = scratch;
    t = scratch + Kg * nb;
  }
  struct mcc_gemm_args ga = {P,    M,    Kg,
                             a,    1,    direct ? s->H * s->W : nb,
                             0,    wp,   MCC_NR,
                             1,    1,    t,
                             ldt,  NULL, MCC_BIAS_NONE,
                             NULL, 0,    MCC_ACT_NONE,
                             0.0f, 0.0f, 0};
  mcc_gemm_blocked(&ga, NULL, NULL);
  mcc_transpose_out(t, ldt, P, M, y, bias, res, act, alpha, beta);
}

void mcc_conv2d(int64_t N, int64_t C, int64_t H, int64_t W, const float *X, int64_t M, int64_t KH, int64_t KW,
                int64_t group, const float *packed_w, int64_t sh, int64_t sw, int64_t dh, int64_t dw, int64_t pad_t,
                int64_t pad_l, int64_t OH, int64_t OW, float *Y, const float *bias, const float *residual, int32_t act,
                float alpha, float beta, float *scratch) {
  if (OH <= 0 || OW <= 0 || M <= 0)
    return;
  const struct mcc_conv_shape s = {C, H, W, M, KH, KW, sh, sw, dh, dw, pad_t, pad_l, OH, OW};
  if (is_depthwise(C, M, group)) {
    for (int64_t n = 0; n < N; ++n)
      mcc_depthwise(&s, X + n * C * H * W, packed_w, Y + n * M * OH * OW, bias,
                    residual ? residual + n * M * OH * OW : NULL, act, alpha, beta, scratch);
    return;
  }
  const int64_t Cg = C / group, Mg = M / group, Kg = Cg * KH * KW, P = OH * OW;
  if (mcc_conv2d_pixel_rows(MCC_ISA, M, Cg, KH, KW, group, P)) {
    for (int64_t n = 0; n < N; ++n)
      conv_pixel_rows(&s, X + n * C * H * W, packed_w, Y + n * M * P, bias, residual ? residual + n * M * P : NULL, act,
                      alpha, beta, scratch);
    return;
  }
  const int64_t panels = mcc_ceil_div(Mg, MCC_MR);
  const int direct = is_direct_1x1(H, W, KH, KW, sh, sw, OH, OW);
  const int flat = sh == 1 && sw == 1 && OW == W && (KW - 1) * dw < W;
  const int64_t nb = direct ? P : pixel_block(MCC_ISA, Kg, P);
  for (int64_t n = 0; n < N; ++n)
    for (int64_t g = 0; g < group; ++g) {
      const float *x = X + (n * C + g * Cg) * H * W;
      float *y = Y + (n * M + g * Mg) * P;
      const float *res = residual ? residual + (n * M + g * Mg) * P : NULL;
      struct mcc_gemm_args ga = {Mg,
                                 P,
                                 Kg,
                                 packed_w + g * panels * MCC_MR * Kg,
                                 1,
                                 MCC_MR,
                                 1,
                                 x,
                                 H * W,
                                 1,
                                 0,
                                 y,
                                 P,
                                 bias ? bias + g * Mg : NULL,
                                 bias ? MCC_BIAS_PER_M : MCC_BIAS_NONE,
                                 res,
                                 P,
                                 act,
                                 alpha,
                                 beta,
                                 0};
      if (direct && gemv_pays(P)) {
        conv_gemv(ga.a, Mg, Kg, x, H * W, P, y, ga.bias, res, act, alpha, beta);
        continue;
      }
      if (direct) {
        mcc_gemm_blocked(&ga, NULL, NULL);
        continue;
      }
      for (int64_t p0 = 0; p0 < P; p0 += nb) {
        const int64_t cols = mcc_min64(nb, P - p0);
        if (flat)
          pack_patches_flat(&s, x, Cg, p0, mcc_ceil_div(cols, MCC_NR) * MCC_NR, scratch);
        else
          pack_patches(&s, x, Cg, p0, mcc_ceil_div(cols, MCC_NR) * MCC_NR, scratch);
        ga.N = cols;
        ga.b = scratch;
        ga.b_rs = mcc_ceil_div(cols, MCC_NR) * MCC_NR;
        ga.b_padded = 1;
        ga.c = y + p0;
        ga.res = res ? res + p0 : NULL;
        mcc_gemm_blocked(&ga, NULL, NULL);
      }
    }
}
