/*===- kernels.h - the contract between generated code and mcc's C microkernels -===*
 *
 * The kernels in kernels/ are freestanding C99 (no libc calls but memcpy/memset, no allocation, no
 * globals that change). They are compiled three ways from one source:
 *   - to LLVM bitcode per ISA family (clang-22 -O3 -emit-llvm, at build time), embedded in mcc and linked
 *     into each model's module with internal linkage when the model uses them;
 *   - natively, for the unit tests and the kernel benchmarks;
 *   - into mcc itself (host), for the functions the compiler calls at compile time: weight packing.
 * This header is included by all three and by mcc's C++ code, so everything here is plain C.
 *
 * Conventions: float32, row-major, element strides (not bytes), int64_t sizes. Every pointer that a
 * kernel writes is 4-byte aligned at least; nothing is assumed about 64-byte alignment. `scratch` is
 * caller-owned memory of the size the matching *_scratch_floats() returns (the compiler carves it out
 * of the model's workspace); it may be NULL when that size is 0.
 *===----------------------------------------------------------------------===*/
#ifndef MCC_KERNELS_H
#define MCC_KERNELS_H

#include <stdint.h>

#include "mcc/mcc_rt.h" /* mcc_parallel */

#ifdef __cplusplus
extern "C" {
#endif

/* ISA families: each has its own bitcode, register tile (MR x NR) and so its own packed layout. */
enum mcc_isa { MCC_ISA_GENERIC = 0, MCC_ISA_AVX2 = 1, MCC_ISA_AVX512 = 2, MCC_ISA_NEON = 3 };

/* Register tile of the SGEMM microkernel per ISA: MR rows of A by NR columns of B. NR is also the
 * panel width of packed B, so packed weights are laid out for one ISA (the compiler records it). */
static inline int64_t mcc_sgemm_mr(enum mcc_isa isa) {
  return isa == MCC_ISA_AVX512 ? 14 : isa == MCC_ISA_AVX2 ? 6 : isa == MCC_ISA_NEON ? 8 : 4;
}
static inline int64_t mcc_sgemm_nr(enum mcc_isa isa) {
  return isa == MCC_ISA_AVX512 ? 32 : isa == MCC_ISA_AVX2 ? 16 : isa == MCC_ISA_NEON ? 12 : 8;
}

/* Epilogue, applied to every output element while its tile is in registers, in this order:
 *   v = acc;  v += bias[...] (when bias);  v += residual[...] (when residual);  v = act(v)
 * which is ONNX's Conv/MatMul -> Add(bias) -> Add(residual) -> activation. */
enum mcc_act {
  MCC_ACT_NONE = 0,
  MCC_ACT_RELU = 1,         /* max(v, 0) */
  MCC_ACT_CLIP = 2,         /* min(max(v, alpha), beta): Clip, Relu6 */
  MCC_ACT_LEAKY_RELU = 3,   /* v < 0 ? alpha * v : v */
  MCC_ACT_SIGMOID = 4,      /* 1 / (1 + exp(-v)) */
  MCC_ACT_HARD_SIGMOID = 5, /* max(0, min(1, alpha * v + beta)) */
  MCC_ACT_HARD_SWISH = 6,   /* v * max(0, min(1, v / 6 + 0.5)) */
  MCC_ACT_SILU = 7,         /* v * sigmoid(v) */
  MCC_ACT_GELU_ERF = 8,     /* 0.5 v (1 + erf(v / sqrt 2)) */
  MCC_ACT_GELU_TANH = 9,    /* 0.5 v (1 + tanh(sqrt(2/pi) (v + 0.044715 v^3))) */
  MCC_ACT_TANH = 10
};
/* Where the bias is indexed: per column n (MatMul/Gemm bias) or per row m (per output channel of a
 * convolution, whose GEMM has the output channels as rows). */
enum mcc_bias { MCC_BIAS_NONE = 0, MCC_BIAS_PER_N = 1, MCC_BIAS_PER_M = 2 };

/*--- SGEMM: C[b] = epilogue(A[b] x B[b]) for b in [0, batch) -------------------------------------
 * A[b] is M x K at A + b*sa with element (m,k) at m*rsa + k*csa (a transposed A is csa != 1).
 * B[b] is K x N at B + b*sb with element (k,n) at k*rsb + n*csb, unless b_packed: then B is the output
 * of mcc_sgemm_pack_b for this ISA's NR (K x N, zero-padded to whole panels), rsb/csb ignored.
 * C[b] is M x N at C + b*sc, row stride ldc, columns contiguous.
 * residual (optional) is M x N at residual + b*sr with row stride ldr; bias has N (PER_N) or M (PER_M)
 * elements, shared by every batch. A stride of 0 broadcasts that operand over the batch. */
void mcc_sgemm(int64_t batch, int64_t M, int64_t N, int64_t K, const float *A, int64_t sa, int64_t rsa, int64_t csa,
               const float *B, int64_t sb, int64_t rsb, int64_t csb, int32_t b_packed, float *C, int64_t sc,
               int64_t ldc, const float *bias, int32_t bias_kind, const float *residual, int64_t sr, int64_t ldr,
               int32_t act, float alpha, float beta, float *scratch);
/* Floats of scratch mcc_sgemm needs for these operands (0 when it packs nothing). */
int64_t mcc_sgemm_scratch_floats(enum mcc_isa isa, int64_t M, int64_t N, int64_t K, int32_t b_packed, int64_t rsb,
                                 int64_t csb);
/* Packed B: floats needed, and the packing itself (run by the compiler on constant weights). */
int64_t mcc_sgemm_packed_b_floats(enum mcc_isa isa, int64_t K, int64_t N);
void mcc_sgemm_pack_b(enum mcc_isa isa, int64_t K, int64_t N, const float *B, int64_t rsb, int64_t csb, float *packed);

/*--- 2-D convolution, NCHW (a 1-D convolution is H = KH = 1) ---------------------------------------
 * X [N, C, H, W]; weights [M, C/group, KH, KW] as packed by mcc_conv2d_pack_w for this ISA; Y [N, M, OH,
 * OW]. Padding: pad_t/pad_l before, and whatever OH/OW imply after (ONNX's pads and auto_pad resolved by
 * the compiler). Dilations dh/dw >= 1, strides sh/sw >= 1, group divides C and M (group == C == M is
 * depthwise). bias has M elements (per output channel) or is NULL; residual, when given, has Y's shape
 * and layout. Epilogue as for SGEMM. */
void mcc_conv2d(int64_t N, int64_t C, int64_t H, int64_t W, const float *X, int64_t M, int64_t KH, int64_t KW,
                int64_t group, const float *packed_w, int64_t sh, int64_t sw, int64_t dh, int64_t dw, int64_t pad_t,
                int64_t pad_l, int64_t OH, int64_t OW, float *Y, const float *bias, const float *residual, int32_t act,
                float alpha, float beta, float *scratch);
int64_t mcc_conv2d_scratch_floats(enum mcc_isa isa, int64_t C, int64_t H, int64_t W, int64_t M, int64_t KH, int64_t KW,
                                  int64_t group, int64_t sh, int64_t sw, int64_t dh, int64_t dw, int64_t OH,
                                  int64_t OW);
/* The packed layout depends on the output plane's size P = OH * OW (small planes run transposed). */
int64_t mcc_conv2d_packed_w_floats(enum mcc_isa isa, int64_t M, int64_t C, int64_t KH, int64_t KW, int64_t group,
                                   int64_t P);
void mcc_conv2d_pack_w(enum mcc_isa isa, int64_t M, int64_t C, int64_t KH, int64_t KW, int64_t group, int64_t P,
                       const float *w, float *packed);

/*--- The same on the workers of an mcc_parallel (parallel.c) -------------------------------------
 * Each splits its output into independent parts (batch, then M/N tiles; images, then groups or
 * output-channel panels), at most one per worker and none smaller than a grain of work, and runs them
 * through par->parallel_for; results are bitwise those of the serial call. par may be NULL (serial).
 * Worker 0 uses `scratch`; worker w > 0 uses worker_scratch + (w - 1) * stride, `stride` floats being
 * at least the serial call's scratch size. */
void mcc_sgemm_parallel(const mcc_parallel *par, float *worker_scratch, int64_t stride, int64_t batch, int64_t M,
                        int64_t N, int64_t K, const float *A, int64_t sa, int64_t rsa, int64_t csa, const float *B,
                        int64_t sb, int64_t rsb, int64_t csb, int32_t b_packed, float *C, int64_t sc, int64_t ldc,
                        const float *bias, int32_t bias_kind, const float *residual, int64_t sr, int64_t ldr,
                        int32_t act, float alpha, float beta, float *scratch);
void mcc_conv2d_parallel(const mcc_parallel *par, float *worker_scratch, int64_t stride, int64_t N, int64_t C,
                         int64_t H, int64_t W, const float *X, int64_t M, int64_t KH, int64_t KW, int64_t group,
                         const float *packed_w, int64_t sh, int64_t sw, int64_t dh, int64_t dw, int64_t pad_t,
                         int64_t pad_l, int64_t OH, int64_t OW, float *Y, const float *bias, const float *residual,
                         int32_t act, float alpha, float beta, float *scratch);

/*--- int8: u8 x s8 -> s32 GEMM and 2-D convolution with a requantizing epilogue ---------------------
 * Weights are s8 (the compiler maps u8 weights to s8 by subtracting 128 from values and zero points);
 * activations are u8 or s8 (a_signed: the kernel adds 128 to every value, the caller to the zero
 * point). Weights are packed at compile time together with everything known per weight channel:
 *   corr[ch]  = bias[ch] - a_zp * sum_k w[k][ch] + K * a_zp * w_zp[ch]   (a_zp in the u8 domain)
 *   w_zp[ch], scale[ch], fbias[ch]
 * so that at run time acc = sum_k a[k] w[k][ch] + corr[ch] - w_zp[ch] * sum_k a[k] is exactly
 * sum_k (a - a_zp)(w - w_zp) + bias. The epilogue then writes, by out_kind:
 *   MCC_QOUT_S32: acc;
 *   MCC_QOUT_U8 / MCC_QOUT_S8: min(max(round_half_even(acc * scale[ch]) + y_zp, lo), hi) (ONNX
 *     Runtime's requantisation; a fused Relu or Clip narrows [lo, hi]);
 *   MCC_QOUT_F32: act(acc * scale[ch] + fbias[ch]) (dequantized, with the float epilogue of SGEMM).
 * A weight "channel" is a column of the GEMM's B (N) and an output channel of the convolution (M). */
enum mcc_qout { MCC_QOUT_S32 = 0, MCC_QOUT_U8 = 1, MCC_QOUT_S8 = 2, MCC_QOUT_F32 = 3 };

/* Register tile of the int8 microkernel: QMR rows (broadcast, 4 bytes of K each) by QNR columns. */
static inline int64_t mcc_qgemm_mr(enum mcc_isa isa) { return isa == MCC_ISA_AVX512 ? 6 : 4; }
static inline int64_t mcc_qgemm_nr(enum mcc_isa isa) {
  return isa == MCC_ISA_AVX512 ? 64 : isa == MCC_ISA_AVX2 ? 16 : 8;
}

/* C[b] = epilogue(A[b] x B) for b in [0, batch): A[b] is M x K u8/s8 at A + b*sa, row stride lda,
 * contiguous along K; B is packed by mcc_qgemm_pack_b; C[b] (elements of out_kind) at C + b*sc, row
 * stride ldc. vnni: use AVX-512 VNNI's vpdpbusd (only on a CPU that has it; ignored elsewhere).
 * scratch: mcc_qgemm_scratch_bytes of it. */
void mcc_qgemm(int64_t batch, int64_t M, int64_t N, int64_t K, const void *A, int64_t sa, int64_t lda, int32_t a_signed,
               const void *packed_b, void *C, int64_t sc, int64_t ldc, int32_t out_kind, int32_t y_zp, int32_t lo,
               int32_t hi, int32_t act, float alpha, float beta, int32_t vnni, void *scratch);
int64_t mcc_qgemm_scratch_bytes(enum mcc_isa isa, int64_t M, int64_t N, int64_t K);
int64_t mcc_qgemm_packed_b_bytes(enum mcc_isa isa, int64_t K, int64_t N);
/* B (K x N s8, element (k,n) at k*rsb + n*csb); w_zp, scale have N elements; bias (int32) and fbias
 * (float) have N elements or are NULL. */
void mcc_qgemm_pack_b(enum mcc_isa isa, int64_t K, int64_t N, const int8_t *B, int64_t rsb, int64_t csb,
                      const int32_t *w_zp, int32_t a_zp, const int32_t *bias, const float *scale, const float *fbias,
                      void *packed);

/* NCHW convolution, group 1: X [N, C, H, W] u8/s8 with zero point x_zp (in X's own domain: the value
 * padding reads), weights packed by mcc_qconv2d_pack_w, Y [N, M, OH, OW] of out_kind. Geometry as
 * mcc_conv2d. */
void mcc_qconv2d(int64_t N, int64_t C, int64_t H, int64_t W, const void *X, int32_t x_signed, int32_t x_zp, int64_t M,
                 int64_t KH, int64_t KW, const void *packed_w, int64_t sh, int64_t sw, int64_t dh, int64_t dw,
                 int64_t pad_t, int64_t pad_l, int64_t OH, int64_t OW, void *Y, int32_t out_kind, int32_t y_zp,
                 int32_t lo, int32_t hi, int32_t act, float alpha, float beta, int32_t vnni, void *scratch);
int64_t mcc_qconv2d_scratch_bytes(enum mcc_isa isa, int64_t C, int64_t H, int64_t W, int64_t KH, int64_t KW, int64_t sh,
                                  int64_t sw, int64_t dh, int64_t dw, int64_t OH, int64_t OW);
int64_t mcc_qconv2d_packed_w_bytes(enum mcc_isa isa, int64_t M, int64_t C, int64_t KH, int64_t KW);
/* w [M, C, KH, KW] s8; w_zp, scale have M elements; bias, fbias M or NULL; x_zp in the u8 domain. */
void mcc_qconv2d_pack_w(enum mcc_isa isa, int64_t M, int64_t C, int64_t KH, int64_t KW, const int8_t *w,
                        const int32_t *w_zp, int32_t x_zp, const int32_t *bias, const float *scale, const float *fbias,
                        void *packed);

/*--- Sparse SGEMM (mostly-zero constant B): C[b] = epilogue(A[b] x B) -----------------------------
 * B (K x N, constant, shared by the batch) is cut into panels of bw columns and keeps, per panel, only
 * the rows k whose block B[k, panel] is not all zero. Two block widths, two kernels:
 *  - bw = mcc_spgemm_bw(isa), the vector width (1 x 16 blocks on AVX-512, 1 x 8 on AVX2, 1 x 4 else):
 *    every FMA is a full vector along N, an MR-row register tile over A; for zeros in whole blocks
 *    (block-sparse training, 1 x bw structured pruning), and at any M;
 *  - bw = 1 (one column per panel: compressed sparse columns): the FMAs are vectors along M instead, a
 *    column of C at a time over a transposed tile of A; for scattered zeros, when M is a few vectors.
 * The packed form is a sequence of 32-bit words (integers stored by bit pattern in the float array):
 * the block width, the panel count P, P + 1 panel starts (in blocks), each block's k, then each
 * block's bw floats (zero-padded past N).
 * A, C, bias, residual, act/alpha/beta: as for mcc_sgemm; scratch (mcc_spgemm_scratch_floats) holds
 * A repacked for the kernel; with bw = VL it may be NULL (A is then read in place). */
static inline int64_t mcc_spgemm_bw(enum mcc_isa isa) {
  return isa == MCC_ISA_AVX512 ? 16 : isa == MCC_ISA_AVX2 ? 8 : 4;
}
/* Blocks of B (element (k,n) at k*rsb + n*csb) that hold a nonzero: the packed form's size follows. */
int64_t mcc_spgemm_nonzero_blocks(int64_t bw, int64_t K, int64_t N, const float *B, int64_t rsb, int64_t csb);
int64_t mcc_spgemm_packed_floats(int64_t bw, int64_t K, int64_t N, int64_t nonzero_blocks);
void mcc_spgemm_pack(int64_t bw, int64_t K, int64_t N, const float *B, int64_t rsb, int64_t csb, float *packed);
void mcc_spgemm(int64_t batch, int64_t M, int64_t N, int64_t K, const float *A, int64_t sa, int64_t rsa, int64_t csa,
                const float *packed_b, float *C, int64_t sc, int64_t ldc, const float *bias, int32_t bias_kind,
                const float *residual, int64_t sr, int64_t ldr, int32_t act, float alpha, float beta, float *scratch);
int64_t mcc_spgemm_scratch_floats(enum mcc_isa isa, int64_t bw, int64_t M, int64_t K);
/* Sparse 1x1 convolution, NCHW, stride 1, no padding: Y[n] (M x HW) = epilogue(W x X[n] (C x HW)) for
 * a mostly-zero W (M x C), packed as the column layout of B = W^T: mcc_spgemm_pack(1, C, M, W, 1, C, .).
 * bias has M elements (per output channel) or is NULL; residual has Y's shape. */
void mcc_spconv1x1(int64_t N, int64_t C, int64_t HW, const float *X, int64_t M, const float *packed_w, float *Y,
                   const float *bias, const float *residual, int32_t act, float alpha, float beta, float *scratch);
int64_t mcc_spconv1x1_scratch_floats(enum mcc_isa isa, int64_t C, int64_t HW);

#ifdef __cplusplus
}
#endif
#endif /* MCC_KERNELS_H */
