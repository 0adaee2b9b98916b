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

/* Y [M, P] = act(T^T + bias + res) for a result T [P, ldt] computed with the channels along the vectors
 * (ldt >= M rounded up to 16; bias per channel or NULL; res in Y's layout or NULL). */
void mcc_transpose_out(const float *t, int64_t ldt, int64_t P, int64_t M, float *y, const float *bias, const float *res,
                       int32_t act, float alpha, float beta);

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

#if MCC_VL == 16
/* r[0..15] transposed in registers: level s swaps the off-diagonal s x s blocks of every 2s x 2s block
 * (element (i, j) with bit s of j set trades places with (i + s, j - s)); four levels, 64 shuffles. */
#define TRANSPOSE_LEVEL(s, ...)                                                                                        \
  for (int i = 0; i < 16; ++i)                                                                                         \
    if (!(i & s)) {                                                                                                    \
      vf a = r[i], b = r[i + s];                                                                                       \
      r[i] = __builtin_shufflevector(a, b, __VA_ARGS__);                                                               \
      r[i + s] = __builtin_shufflevector(a, b, ROW_B_##s);                                                             \
    }
#define ROW_B_8 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31
#define ROW_B_4 4, 5, 6, 7, 20, 21, 22, 23, 12, 13, 14, 15, 28, 29, 30, 31
#define ROW_B_2 2, 3, 18, 19, 6, 7, 22, 23, 10, 11, 26, 27, 14, 15, 30, 31
#define ROW_B_1 1, 17, 3, 19, 5, 21, 7, 23, 9, 25, 11, 27, 13, 29, 15, 31
MCC_INLINE void transpose16(vf r[16]) {
#pragma clang loop unroll(full)
  TRANSPOSE_LEVEL(8, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23)
#pragma clang loop unroll(full)
  TRANSPOSE_LEVEL(4, 0, 1, 2, 3, 16, 17, 18, 19, 8, 9, 10, 11, 24, 25, 26, 27)
#pragma clang loop unroll(full)
  TRANSPOSE_LEVEL(2, 0, 1, 16, 17, 4, 5, 20, 21, 8, 9, 24, 25, 12, 13, 28, 29)
#pragma clang loop unroll(full)
  TRANSPOSE_LEVEL(1, 0, 16, 2, 18, 4, 20, 6, 22, 8, 24, 10, 26, 12, 28, 14, 30)
}
#endif

#endif /* MCC_KERNELS_CONV2D_INTERNAL_H */
