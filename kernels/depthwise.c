/*===- depthwise.c - depthwise convolution, vectorised along the output width (NCHW) -------------===*
 *
 * A depthwise layer has too little reuse for a GEMM: each output is KH*KW taps of one channel. Each
 * channel is first copied into a zero-padded plane in scratch, so every tap of every output is in
 * bounds and an output row is pure vector code: VL outputs per vector, four vectors at a time so the
 * FMA chains overlap, stride 2 by deinterleaving two loads; the last partial vector goes through a
 * stack buffer. Kernel width 3 / 5 and stride 1 / 2 are compile-time constants.
 *===----------------------------------------------------------------------===*/
#include "conv2d_internal.h"
#include "epilogue.h"

static int64_t vl_of(enum mcc_isa isa) { return isa == MCC_ISA_AVX512 ? 16 : isa == MCC_ISA_AVX2 ? 8 : 4; }

/* The padded plane: rows for ih in [-pad_t, (OH-1)*sh + (KH-1)*dh - pad_t], columns for iw from
 * -pad_l up to what the last (rounded-up) vector of outputs reads, stride 2 reading 2*VL floats. */
static void padded_dims(enum mcc_isa isa, const struct mcc_conv_shape *s, int64_t *hp, int64_t *wp) {
  const int64_t vl = vl_of(isa), owv = mcc_ceil_div(s->OW, vl) * vl;
  *hp = (s->OH - 1) * s->sh + (s->KH - 1) * s->dh + 1;
  *wp = owv * s->sw + (s->KW - 1) * s->dw + vl + 1;
}

int64_t mcc_depthwise_scratch_floats(enum mcc_isa isa, const struct mcc_conv_shape *s) {
  int64_t hp, wp;
  padded_dims(isa, s, &hp, &wp);
  return hp * wp;
}

static void pad_plane(const struct mcc_conv_shape *s, const float *xc, float *plane, int64_t hp, int64_t wp) {
  for (int64_t r = 0; r < hp; ++r) {
    float *dst = plane + r * wp;
    const int64_t ih = r - s->pad_t;
    if (ih < 0 || ih >= s->H) {
      zero_run(dst, wp);
      continue;
    }
    /* Columns [0, pad_l) and past the row are zero; the row itself may be cut on the right when
     * the output does not reach it. */
    const int64_t lead = mcc_min64(s->pad_l, wp), n = mcc_max64(0, mcc_min64(s->W, wp - lead));
    zero_run(dst, lead);
    copy_run(dst + lead, xc + ih * s->W, n);
    zero_run(dst + lead + n, wp - lead - n);
  }
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

/* U vectors of outputs starting at ow, from the padded plane rows starting at row0. */
MCC_INLINE void dw_vectors(const int U, const int KWc, const int SWc, const struct mcc_conv_shape *s, const float *row0,
                           int64_t wp, const float *wc, int64_t ow, vf *out) {
  const int64_t KW = KWc ? KWc : s->KW, sw = SWc ? SWc : s->sw;
  vf acc[4];
  for (int u = 0; u < U; ++u)
    acc[u] = vsplat(0.0f);
  for (int64_t kh = 0; kh < s->KH; ++kh) {
    const float *row = row0 + kh * s->dh * wp + ow * sw;
    for (int64_t kw = 0; kw < KW; ++kw) {
      const float *p = row + kw * s->dw;
      const vf wv = vsplat(wc[kh * KW + kw]);
      for (int u = 0; u < U; ++u)
        acc[u] += wv * tap_load(SWc, p + u * MCC_VL * sw, sw);
    }
  }
  for (int u = 0; u < U; ++u)
    out[u] = acc[u];
}

MCC_INLINE void dw_channel(const int KWc, const int SWc, const struct mcc_conv_shape *s, const float *plane, int64_t wp,
                           const float *wc, float *yc) {
  for (int64_t oh = 0; oh < s->OH; ++oh) {
    const float *row0 = plane + oh * s->sh * wp;
    float *y = yc + oh * s->OW;
    int64_t ow = 0;
    vf v[4];
    for (; ow + 4 * MCC_VL <= s->OW; ow += 4 * MCC_VL) {
      dw_vectors(4, KWc, SWc, s, row0, wp, wc, ow, v);
      for (int u = 0; u < 4; ++u)
        vstore(y + ow + u * MCC_VL, v[u]);
    }
    for (; ow < s->OW; ow += MCC_VL) {
      dw_vectors(1, KWc, SWc, s, row0, wp, wc, ow, v);
      if (ow + MCC_VL <= s->OW) {
        vstore(y + ow, v[0]);
      } else {
        float t[MCC_VL];
        vstore(t, v[0]);
        copy_run(y + ow, t, s->OW - ow);
      }
    }
  }
}

#define DW_CHANNEL(kw, sw)                                                                                             \
  static void dw_channel_##kw##_##sw(const struct mcc_conv_shape *s, const float *plane, int64_t wp, const float *wc,  \
                                     float *yc) {                                                                      \
    dw_channel(kw, sw, s, plane, wp, wc, yc);                                                                          \
  }
DW_CHANNEL(3, 1)
DW_CHANNEL(3, 2)
DW_CHANNEL(5, 1)
DW_CHANNEL(5, 2)
DW_CHANNEL(0, 1)
DW_CHANNEL(0, 2)
DW_CHANNEL(0, 0)

void mcc_depthwise(const struct mcc_conv_shape *s, const float *x, const float *w, float *y, const float *bias,
                   const float *res, int32_t act, float alpha, float beta, float *scratch) {
  const int64_t P = s->OH * s->OW, HW = s->H * s->W, KK = s->KH * s->KW;
  const int has_epilogue = bias || res || act != MCC_ACT_NONE;
  int64_t hp, wp;
  padded_dims(MCC_ISA, s, &hp, &wp);
  for (int64_t c = 0; c < s->C; ++c) {
    const float *wc = w + c * KK;
    float *yc = y + c * P;
    pad_plane(s, x + c * HW, scratch, hp, wp);
    if (s->KW == 3 && s->sw == 1)
      dw_channel_3_1(s, scratch, wp, wc, yc);
    else if (s->KW == 3 && s->sw == 2)
      dw_channel_3_2(s, scratch, wp, wc, yc);
    else if (s->KW == 5 && s->sw == 1)
      dw_channel_5_1(s, scratch, wp, wc, yc);
    else if (s->KW == 5 && s->sw == 2)
      dw_channel_5_2(s, scratch, wp, wc, yc);
    else if (s->sw == 1)
      dw_channel_0_1(s, scratch, wp, wc, yc);
    else if (s->sw == 2)
      dw_channel_0_2(s, scratch, wp, wc, yc);
    else
      dw_channel_0_0(s, scratch, wp, wc, yc);
    if (has_epilogue)
      mcc_epilogue_row(yc, yc, P, NULL, bias ? bias[c] : 0.0f, res ? res + c * P : NULL, act, alpha, beta);
  }
}
