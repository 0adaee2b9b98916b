/*===- qgemm_internal.h - the int8 microkernel, packed-weight layout and epilogue ----------------===*
 *
 * One register tile computes C[i][j] += sum_k R[i][k] * V[k][j] over groups of 4 k: R, the broadcast
 * operand, gives 4 bytes per row and group; V, the vector operand, is packed as [group][QNR][4] so that
 * one 32-bit lane holds the 4 k of one column. One of R and V is u8, the other s8: for a GEMM R is the
 * activations (u8) and V the weights (s8); for a convolution R is the weights and V the pixels.
 * The dot product of 4 byte pairs per lane is vpdpbusd with AVX-512 VNNI, two vpmaddwd of 16-bit
 * halves on AVX-512BW / AVX2 (no saturation, unlike vpmaddubsw), and plain lane arithmetic elsewhere.
 *===----------------------------------------------------------------------===*/
#ifndef MCC_KERNELS_QGEMM_INTERNAL_H
#define MCC_KERNELS_QGEMM_INTERNAL_H

#include "epilogue.h"
#include "internal.h"

#if defined(MCC_BUILD_AVX512)
#define MCC_QMR 6
#define MCC_QNR 64
#elif defined(MCC_BUILD_AVX2)
#define MCC_QMR 4
#define MCC_QNR 16
#else
#define MCC_QMR 4
#define MCC_QNR 8
#endif
#define MCC_QNV (MCC_QNR / MCC_VL)

/* Packed weights: a 64-byte header (int32 has_w_zp, int32 has_fbias), the panels, then per padded
 * channel corr (int32), w_zp (int32), scale (float), fbias (float). */
#define MCC_QPACK_HEADER 64
struct mcc_qpacked {
  const uint8_t *data;
  const int32_t *corr, *w_zp;
  const float *scale, *fbias;
  int32_t has_w_zp;
};
MCC_INLINE int64_t mcc_qpack_bytes(int64_t panels, int64_t width, int64_t K) {
  int64_t kp = mcc_ceil_div(K, 4) * 4, ch = panels * width;
  return MCC_QPACK_HEADER + panels * width * kp + 16 * ch;
}
MCC_INLINE struct mcc_qpacked mcc_qpack_view(const void *packed, int64_t panels, int64_t width, int64_t K) {
  const uint8_t *p = (const uint8_t *)packed;
  int64_t kp = mcc_ceil_div(K, 4) * 4, ch = panels * width;
  struct mcc_qpacked v;
  const int32_t *hdr = (const int32_t *)p;
  v.has_w_zp = hdr[0];
  v.data = p + MCC_QPACK_HEADER;
  v.corr = (const int32_t *)(v.data + panels * width * kp);
  v.w_zp = v.corr + ch;
  v.scale = (const float *)(v.w_zp + ch);
  v.fbias = hdr[1] ? v.scale + ch : NULL;
  return v;
}
/* Writes the header and the per-channel arrays of n real channels, whose weight sums the packing left
 * in the corr slots. */
void mcc_qpack_channels(void *packed, int64_t panels, int64_t width, int64_t K, int64_t n, const int32_t *w_zp,
                        int32_t a_zp, const int32_t *bias, const float *scale, const float *fbias);

/* What the epilogue needs for one tile: channels along rows (convolution) or columns (GEMM). */
struct mcc_qepi {
  struct mcc_qpacked w;
  int32_t chan_rows;
  const int32_t *a_sums; /* sums of the activations per pixel / row, when w.has_w_zp */
  int32_t out_kind, y_zp, lo, hi, act;
  float alpha, beta;
};

/* acc[mr][QNR] (row stride QNR) -> C (element (i,j) at c + i*ldc + j, of out_kind), nr valid columns.
 * ch0 / a0: the tile's first channel and first activation index (row or column). */
void mcc_qtile_epilogue(const struct mcc_qepi *e, const int32_t *acc, int64_t mr, int64_t nr, int64_t ch0, int64_t a0,
                        void *c, int64_t ldc);

/* acc[0:mr][0:QNR] = R x V over kg groups of 4 k. R row i group g at r + i*r_rs + g*r_gs (4 bytes, each
 * XORed with r_xor); the last group reads only ktail bytes (0 < ktail < 4) when ktail is set. V group g
 * at v + g*QNR*4. r_unsigned: R is the u8 side. */
void mcc_qtile(int64_t mr, int64_t kg, int64_t ktail, const uint8_t *r, int64_t r_rs, int64_t r_gs, uint32_t r_xor,
               const uint8_t *v, int32_t r_unsigned, int32_t vnni, int32_t *acc);

#endif /* MCC_KERNELS_QGEMM_INTERNAL_H */
