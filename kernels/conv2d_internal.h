/*===- conv2d_internal.h - what the convolution sources share -------------------------------------===*/
#ifndef MCC_KERNELS_CONV2D_INTERNAL_H
#define MCC_KERNELS_CONV2D_INTERNAL_H

#include "internal.h"

/* One convolution's geometry, for one image (X [C, H, W] -> Y [M, OH, OW]). */
struct mcc_conv_shape {
  int64_t C, H, W, M, KH, KW, sh, sw, dh, dw, pad_t, pad_l, OH, OW;
};

/* Whether a convolution runs with the pixels as the GEMM's rows (weights packed as NR-channel B panels)
 * rather than its columns (weights as MR-channel A panels); independent of M, which the parallel split
 * narrows. */
int mcc_conv2d_pixel_rows(enum mcc_isa isa, int64_t M, int64_t Cg, int64_t KH, int64_t KW, int64_t group, int64_t P);

/* Depthwise (C == M == group) for one image; w is [C][KH][KW] as given; scratch holds one padded
 * input plane (mcc_depthwise_scratch_floats). */
void mcc_depthwise(const struct mcc_conv_shape *s, const float *x, const float *w, float *y, const float *bias,
                   const float *res, int32_t act, float alpha, float beta, float *scratch);
int64_t mcc_depthwise_scratch_floats(enum mcc_isa isa, const struct mcc_conv_shape *s);

/*--- Masked vector access (clang's masked load/store builtins: one instruction on AVX-512 and AVX2,
 * lowered lane by lane elsewhere) ----------------------------------------------------------------*/
typedef float vf_ext __attribute__((ext_vector_type(MCC_VL)));
typedef _Bool vmask __attribute__((ext_vector_type(MCC_VL)));

MCC_INLINE vi lane_index(void) {
#if MCC_VL == 16
  return (vi){0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
#elif MCC_VL == 8
  return (vi){0, 1, 2, 3, 4, 5, 6, 7};
#else
  return (vi){0, 1, 2, 3};
#endif
}
/* The first n (0 < n <= VL) lanes. */
MCC_INLINE vmask first_lanes(int64_t n) { return __builtin_convertvector(lane_index() < (int32_t)n, vmask); }
/* Lanes where mask (a vector comparison: all ones or zero) is set, zero elsewhere; the other lanes'
 * addresses are not read (no fault past the end of a buffer). */
MCC_INLINE vf vload_mask(vi mask, const float *p) {
  return (vf)__builtin_masked_load(__builtin_convertvector(mask, vmask), p, (vf_ext){0});
}
MCC_INLINE vf vload_n(const float *p, int64_t n) { return (vf)__builtin_masked_load(first_lanes(n), p, (vf_ext){0}); }
MCC_INLINE void vstore_n(float *p, vf v, int64_t n) { __builtin_masked_store(first_lanes(n), (vf_ext)v, p); }

/* Column of each lane one vector (VL floats) further along a row-major plane of rows W wide: col < W
 * and step = VL % W < W, so one subtraction wraps it. */
MCC_INLINE vi col_next(vi col, int32_t step, int32_t W) {
  col += step;
  return col - ((col >= W) & W);
}

#endif /* MCC_KERNELS_CONV2D_INTERNAL_H */
