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
int64_t mcc_conv2d_packed_w_floats(enum mcc_isa isa, int64_t M, int64_t C, int64_t KH, int64_t KW, int64_t group);
void mcc_conv2d_pack_w(enum mcc_isa isa, int64_t M, int64_t C, int64_t KH, int64_t KW, int64_t group, const float *w,
                       float *packed);

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

#ifdef __cplusplus
}
#endif
#endif /* MCC_KERNELS_H */
