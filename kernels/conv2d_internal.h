/*===- conv2d_internal.h - what the convolution sources share -------------------------------------===*/
#ifndef MCC_KERNELS_CONV2D_INTERNAL_H
#define MCC_KERNELS_CONV2D_INTERNAL_H

#include "internal.h"

/* One convolution's geometry, for one image (X [C, H, W] -> Y [M, OH, OW]). */
struct mcc_conv_shape {
  int64_t C, H, W, M, KH, KW, sh, sw, dh, dw, pad_t, pad_l, OH, OW;
};

/* Depthwise (C == M == group) for one image; w is [C][KH][KW] as given; scratch holds one padded
 * input plane (mcc_depthwise_scratch_floats). */
void mcc_depthwise(const struct mcc_conv_shape *s, const float *x, const float *w, float *y, const float *bias,
                   const float *res, int32_t act, float alpha, float beta, float *scratch);
int64_t mcc_depthwise_scratch_floats(enum mcc_isa isa, const struct mcc_conv_shape *s);

#endif /* MCC_KERNELS_CONV2D_INTERNAL_H */
