/*===- epilogue.h - activations on vectors, with polynomial exp/tanh/erf --------------------------===*
 *
 * No libm: the hot loops stay branch- and call-free. Selects go through vsel on comparison masks, so a
 * NaN input (every comparison false) comes out as NaN, as ONNX Runtime gives it.
 *===----------------------------------------------------------------------===*/
#ifndef MCC_KERNELS_EPILOGUE_H
#define MCC_KERNELS_EPILOGUE_H

#include "internal.h"

/* exp(x), ~1 ulp: x = n ln2 + r, |r| <= ln2/2, exp(r) by a degree-7 polynomial, then scaled by 2^n: with
 * AVX-512's vscalefps (one instruction, exact down to the denormals and up to overflow), elsewhere 2^n
 * made from the float's bits in two halves so that results down to the denormals and up to overflow (inf)
 * come out right. Both give the same bits (checked on 4M points over [-110, 90]); vscalef is ~30% faster. */
MCC_INLINE vf mcc_vexp(vf x) {
  const vf hi = vsplat(88.8f), lo = vsplat(-104.0f);
  x = vsel(x > hi, hi, x);
  x = vsel(x < lo, lo, x);
#if defined(MCC_BUILD_AVX512)
  vf n = __builtin_elementwise_roundeven(x * 1.44269504088896341f);
#else
  /* n from the float's bits after adding 1.5 * 2^23, which never converts a NaN to an integer. */
  const float magic = 12582912.0f;
  vf t = x * 1.44269504088896341f + magic;
  vf n = t - magic;
#endif
  vf r = x - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  vf p = vsplat(1.9875691500e-4f);
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * (r * r) + r + 1.0f;
#if defined(MCC_BUILD_AVX512)
  typedef float v16sf __attribute__((vector_size(64)));
  return (vf)__builtin_ia32_scalefps512_mask((v16sf)p, (v16sf)n, (v16sf)p, (unsigned short)0xffff, 4);
#else
  vi ni = vbits(t) - vbits(vsplat(magic));
  vi n1 = ni >> 1;
  vi n2 = ni - n1;
  vf s1 = vfrom((n1 + 127) << 23), s2 = vfrom((n2 + 127) << 23);
  return p * s1 * s2;
#endif
}

MCC_INLINE vf mcc_vsigmoid(vf x) { return 1.0f / (1.0f + mcc_vexp(-x)); }

/* tanh: an odd polynomial near 0 (where 1 - 2/(e^2x + 1) cancels), that formula elsewhere. */
MCC_INLINE vf mcc_vtanh(vf x) {
  vi sign = vbits(x) & (int32_t)0x80000000;
  vf ax = vfrom(vbits(x) & 0x7fffffff);
  vf z = x * x;
  vf p = vsplat(-5.70498872745e-3f);
  p = p * z + 2.06390887954e-2f;
  p = p * z - 5.37397155531e-2f;
  p = p * z + 1.33314422036e-1f;
  p = p * z - 3.33332819422e-1f;
  vf small = p * z * x + x;
  vf big = 1.0f - 2.0f / (mcc_vexp(ax + ax) + 1.0f);
  big = vfrom(vbits(big) | sign);
  return vsel(ax < 0.625f, small, big);
}

/* Phi(x) = erfc(-x / sqrt 2) / 2, with erfc(z) for z >= 0 from the Chebyshev fit of Numerical
 * Recipes (erfcc: relative error < 1.2e-7 everywhere), so GELU keeps its relative accuracy far into
 * the negative tail, where 1 + erf(z) would cancel. */
MCC_INLINE vf mcc_vphi(vf x) {
  vf z = x * 0.70710678118654752f;
  vi sign = vbits(z) & (int32_t)0x80000000;
  vf az = vfrom(vbits(z) & 0x7fffffff);
  vf t = 1.0f / (1.0f + 0.5f * az);
  vf p = vsplat(0.17087277f);
  p = p * t - 0.82215223f;
  p = p * t + 1.48851587f;
  p = p * t - 1.13520398f;
  p = p * t + 0.27886807f;
  p = p * t - 0.18628806f;
  p = p * t + 0.09678418f;
  p = p * t + 0.37409196f;
  p = p * t + 1.00002368f;
  p = p * t - 1.26551223f;
  vf half_erfc = 0.5f * t * mcc_vexp(p - az * az); /* erfc(|z|) / 2 */
  /* z >= 0: 1 - erfc/2; z < 0: erfc/2. A NaN stays NaN through t. */
  return vsel(sign != 0, half_erfc, 1.0f - half_erfc);
}

MCC_INLINE vf mcc_vact(vf v, int32_t act, float alpha, float beta) {
  switch (act) {
  case MCC_ACT_RELU:
    return vsel(v < 0.0f, vsplat(0.0f), v);
  case MCC_ACT_CLIP:
    v = vsel(v < alpha, vsplat(alpha), v);
    return vsel(v > beta, vsplat(beta), v);
  case MCC_ACT_LEAKY_RELU:
    return vsel(v < 0.0f, v * alpha, v);
  case MCC_ACT_SIGMOID:
    return mcc_vsigmoid(v);
  case MCC_ACT_HARD_SIGMOID: {
    vf h = v * alpha + beta;
    h = vsel(h > 1.0f, vsplat(1.0f), h);
    return vsel(h < 0.0f, vsplat(0.0f), h);
  }
  case MCC_ACT_HARD_SWISH: {
    vf h = v * (1.0f / 6.0f) + 0.5f;
    h = vsel(h > 1.0f, vsplat(1.0f), h);
    h = vsel(h < 0.0f, vsplat(0.0f), h);
    return v * h;
  }
  case MCC_ACT_SILU:
    return v * mcc_vsigmoid(v);
  case MCC_ACT_GELU_ERF:
    return v * mcc_vphi(v);
  case MCC_ACT_GELU_TANH: {
    /* 0.5 v (1 + tanh u) = v * sigmoid(2u): no cancellation for negative v. */
    vf u2 = (v + 0.044715f * v * v * v) * 1.5957691216057308f;
    return v / (1.0f + mcc_vexp(-u2));
  }
  case MCC_ACT_TANH:
    return mcc_vtanh(v);
  default:
    return v;
  }
}

/* The epilogue over n contiguous floats of one output row: dst = act(src + bias + res). bias_n is
 * the per-column bias at this row's first column (or NULL), bias_m the per-row value (0 when none).
 * src may equal dst. Used for tile tails and by the direct kernels (depthwise). */
MCC_INLINE void mcc_epilogue_row(float *dst, const float *src, int64_t n, const float *bias_n, float bias_m,
                                 const float *res, int32_t act, float alpha, float beta) {
  int64_t j = 0;
  for (; j + MCC_VL <= n; j += MCC_VL) {
    vf v = vload(src + j) + bias_m;
    if (bias_n)
      v += vload(bias_n + j);
    if (res)
      v += vload(res + j);
    vstore(dst + j, mcc_vact(v, act, alpha, beta));
  }
  if (j < n) {
    float tmp[MCC_VL] = {0}, tb[MCC_VL] = {0}, tr[MCC_VL] = {0};
    int64_t r = n - j;
    copy_run(tmp, src + j, r);
    if (bias_n)
      copy_run(tb, bias_n + j, r);
    if (res)
      copy_run(tr, res + j, r);
    vf v = vload(tmp) + bias_m + vload(tb) + vload(tr);
    vstore(tmp, mcc_vact(v, act, alpha, beta));
    copy_run(dst + j, tmp, r);
  }
}

#endif /* MCC_KERNELS_EPILOGUE_H */
