/*===- depthwise.c - depthwise convolution, vectorised along the output width (NCHW) -------------===*
 *
 * A depthwise layer has too little reuse for a GEMM: each output is KH*KW taps of one channel. The
 * kernel walks an output row: its interior (every tap inside the input row) in vectors of VL
 * outputs, four vectors at a time so the FMA chains overlap; stride 2 deinterleaves two loads;
 * the padded borders are scalar. Kernel width 3 / 5 and stride 1 / 2 are compile-time constants.
 *===----------------------------------------------------------------------===*/
#include "conv2d_internal.h"
#include "epilogue.h"

/* Even lanes of the 2*VL floats at p: the inputs of VL stride-2 outputs. */
MCC_INLINE vf even_lanes(const float *p) {
  vf a = vload(p), b = vload(p + MCC_VL);
#if MCC_VL == 16
  return __builtin_shufflevector(a, b, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
#elif MCC_VL == 8
  return __builtin_shufflevector(a, b, 0, 2, 4, 6, 8, 10, 12, 14);
#else
  return __builtin_shufflevector(a, b, 0, 2, 4, 6);
#endif
}

MCC_INLINE vf tap_load(const int sw, const float *p, int64_t stride) {
  if (sw == 1)
    return vload(p);
  if (sw == 2)
    return even_lanes(p);
  float t[MCC_VL];
  for (int i = 0; i < MCC_VL; ++i)
    t[i] = p[i * stride];
  return vload(t);
}

MCC_INLINE void dw_row(const int KWc, const int SWc, const struct mcc_conv_shape *s, const float *xc,
                       const float *wc, int64_t oh, float *yrow) {
  const int64_t KW = KWc ? KWc : s->KW, sw = SWc ? SWc : s->sw, dw = s->dw, W = s->W;
  const int64_t ih0 = oh * s->sh - s->pad_t;
  int64_t kh_lo = 0, kh_hi = s->KH;
  while (kh_lo < kh_hi && ih0 + kh_lo * s->dh < 0)
    ++kh_lo;
  while (kh_hi > kh_lo && ih0 + (kh_hi - 1) * s->dh >= s->H)
    --kh_hi;
  /* Interior: ow with every tap in [0, W) (stride 2 reads one float past its last tap). */
  const int64_t last = (KW - 1) * dw + (sw == 2 ? 1 : 0);
  int64_t ilo = mcc_ceil_div(s->pad_l, sw);
  int64_t num = W - 1 + s->pad_l - last;
  int64_t ihi = num < 0 ? 0 : num / sw + 1;
  ihi = mcc_min64(ihi, s->OW);
  if (ihi < ilo)
    ihi = ilo = mcc_min64(ilo, s->OW);
  int64_t ow = 0;
  for (int pass = 0; pass < 2; ++pass) {
    const int64_t end = pass == 0 ? ilo : s->OW;
    if (pass == 1) {
      for (; ow + 4 * MCC_VL <= ihi; ow += 4 * MCC_VL) {
        vf a0 = vsplat(0.0f), a1 = a0, a2 = a0, a3 = a0;
        for (int64_t kh = kh_lo; kh < kh_hi; ++kh) {
          const float *row = xc + (ih0 + kh * s->dh) * W + ow * sw - s->pad_l;
          for (int64_t kw = 0; kw < KW; ++kw) {
            const float *p = row + kw * dw;
            vf wv = vsplat(wc[kh * KW + kw]);
            a0 += wv * tap_load(SWc, p, sw);
            a1 += wv * tap_load(SWc, p + MCC_VL * sw, sw);
            a2 += wv * tap_load(SWc, p + 2 * MCC_VL * sw, sw);
            a3 += wv * tap_load(SWc, p + 3 * MCC_VL * sw, sw);
          }
        }
        vstore(yrow + ow, a0);
        vstore(yrow + ow + MCC_VL, a1);
        vstore(yrow + ow + 2 * MCC_VL, a2);
        vstore(yrow + ow + 3 * MCC_VL, a3);
      }
      for (; ow + MCC_VL <= ihi; ow += MCC_VL) {
        vf a0 = vsplat(0.0f);
        for (int64_t kh = kh_lo; kh < kh_hi; ++kh) {
          const float *row = xc + (ih0 + kh * s->dh) * W + ow * sw - s->pad_l;
          for (int64_t kw = 0; kw < KW; ++kw)
            a0 += vsplat(wc[kh * KW + kw]) * tap_load(SWc, row + kw * dw, sw);
        }
        vstore(yrow + ow, a0);
      }
    }
    /* Borders and tails, one output at a time with the bounds checked per tap. */
    for (; ow < end; ++ow) {
      float acc = 0.0f;
      const int64_t iw0 = ow * sw - s->pad_l;
      for (int64_t kh = kh_lo; kh < kh_hi; ++kh) {
        const float *row = xc + (ih0 + kh * s->dh) * W;
        for (int64_t kw = 0; kw < KW; ++kw) {
          int64_t iw = iw0 + kw * dw;
          if (iw >= 0 && iw < W)
            acc += wc[kh * KW + kw] * row[iw];
        }
      }
      yrow[ow] = acc;
    }
  }
}

#define DW_CHANNEL(kw, sw)                                                                           \
  static void dw_channel_##kw##_##sw(const struct mcc_conv_shape *s, const float *xc,                \
                                     const float *wc, float *yc) {                                  \
    for (int64_t oh = 0; oh < s->OH; ++oh)                                                           \
      dw_row(kw, sw, s, xc, wc, oh, yc + oh * s->OW);                                                \
  }
DW_CHANNEL(3, 1)
DW_CHANNEL(3, 2)
DW_CHANNEL(5, 1)
DW_CHANNEL(5, 2)
DW_CHANNEL(0, 1)
DW_CHANNEL(0, 2)
DW_CHANNEL(0, 0)

void mcc_depthwise(const struct mcc_conv_shape *s, const float *x, const float *w, float *y,
                   const float *bias, const float *res, int32_t act, float alpha, float beta) {
  const int64_t P = s->OH * s->OW, HW = s->H * s->W, KK = s->KH * s->KW;
  const int has_epilogue = bias || res || act != MCC_ACT_NONE;
  for (int64_t c = 0; c < s->C; ++c) {
    const float *xc = x + c * HW, *wc = w + c * KK;
    float *yc = y + c * P;
    if (s->KW == 3 && s->sw == 1)
      dw_channel_3_1(s, xc, wc, yc);
    else if (s->KW == 3 && s->sw == 2)
      dw_channel_3_2(s, xc, wc, yc);
    else if (s->KW == 5 && s->sw == 1)
      dw_channel_5_1(s, xc, wc, yc);
    else if (s->KW == 5 && s->sw == 2)
      dw_channel_5_2(s, xc, wc, yc);
    else if (s->sw == 1)
      dw_channel_0_1(s, xc, wc, yc);
    else if (s->sw == 2)
      dw_channel_0_2(s, xc, wc, yc);
    else
      dw_channel_0_0(s, xc, wc, yc);
    if (has_epilogue)
      mcc_epilogue_row(yc, yc, P, NULL, bias ? bias[c] : 0.0f, res ? res + c * P : NULL, act, alpha,
                       beta);
  }
}
