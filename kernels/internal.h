/*===- internal.h - what the kernel sources share: the ISA of this build, vectors --------------===*
 *
 * Each build of the kernels (bitcode per ISA, native, host) picks its ISA from the compiler's target
 * macros, so the dispatch is a compile-time constant. Vectors are clang's vector extensions: one
 * source gives zmm on AVX-512, ymm on AVX2, q registers on NEON and SSE2 / scalar code elsewhere.
 *===----------------------------------------------------------------------===*/
#ifndef MCC_KERNELS_INTERNAL_H
#define MCC_KERNELS_INTERNAL_H

#include "mcc/kernels.h"

#include <stddef.h>
#include <stdint.h>

/* MCC_ISA is the enum value for C code; the preprocessor (which cannot see enums) tests the
 * MCC_BUILD_* macros. The tile must agree with mcc_sgemm_mr/nr for MCC_ISA. */
#if defined(__AVX512F__)
#define MCC_BUILD_AVX512 1
#define MCC_ISA MCC_ISA_AVX512
#define MCC_VL 16
#define MCC_MR 14
#define MCC_NR 32
#elif defined(__AVX2__) && defined(__FMA__)
#define MCC_BUILD_AVX2 1
#define MCC_ISA MCC_ISA_AVX2
#define MCC_VL 8
#define MCC_MR 6
#define MCC_NR 16
#elif defined(__aarch64__) && defined(__ARM_NEON)
#define MCC_BUILD_NEON 1
#define MCC_ISA MCC_ISA_NEON
#define MCC_VL 4
#define MCC_MR 8
#define MCC_NR 12
#else
#define MCC_BUILD_GENERIC 1
#define MCC_ISA MCC_ISA_GENERIC
#define MCC_VL 4
#define MCC_MR 4
#define MCC_NR 8
#endif
#define MCC_NV (MCC_NR / MCC_VL) /* vectors per row of a tile */

/* K block: a KC x NR slice of packed B (32 KiB on AVX-512) stays in L1 while MC rows of A pass. */
#define MCC_KC_FOR(isa) ((isa) == MCC_ISA_GENERIC ? 128 : 256)
#define MCC_KC MCC_KC_FOR(MCC_ISA)
/* Rows of A per block: MC x KC of A stays in L2 while it meets every NR panel of the N block. */
#define MCC_MC_FOR(isa) (mcc_sgemm_mr(isa) * 12)
#define MCC_MC (MCC_MR * 12)
/* Columns per N block: MC x NCD of C stays in L2 across the K blocks. A B packed at run time is
 * packed K x NCD at a time (its scratch). */
#define MCC_NCD_FOR(isa) (mcc_sgemm_nr(isa) * 8)
#define MCC_NCD (MCC_NR * 8)

#define MCC_INLINE static inline __attribute__((always_inline))
#define MCC_LIKELY(x) __builtin_expect(!!(x), 1)

/* Unaligned, alias-safe vector types: kernels see 4-byte aligned floats only. */
typedef float vf __attribute__((vector_size(MCC_VL * 4), aligned(4), __may_alias__));
typedef int32_t vi __attribute__((vector_size(MCC_VL * 4), aligned(4), __may_alias__));

MCC_INLINE vf vload(const float *p) { return *(const vf *)p; }
MCC_INLINE void vstore(float *p, vf v) { *(vf *)p = v; }
/* x - (+0) is x for every x (also -0), so this folds to a plain broadcast; (vf){0} + x would not. */
MCC_INLINE vf vsplat(float x) { return x - (vf){0}; }
MCC_INLINE vi vbits(vf v) { return (vi)v; }
MCC_INLINE vf vfrom(vi v) { return (vf)v; }
/* mask ? a : b, where mask lanes are all ones or all zeros (a vector comparison). */
MCC_INLINE vf vsel(vi mask, vf a, vf b) { return vfrom((mask & vbits(a)) | (~mask & vbits(b))); }

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

/* Short copies and fills, inline: patch rows and padded depthwise rows are runs of tens of floats,
 * where a libc call per run would cost more than the run. */
MCC_INLINE void copy_run(float *d, const float *s, int64_t n) {
  int64_t i = 0;
  for (; i + MCC_VL <= n; i += MCC_VL)
    vstore(d + i, vload(s + i));
  for (; i < n; ++i)
    d[i] = s[i];
}
/* d[i] = s[2i]: stride-2 taps. A vector reads one float past its last tap, so the last one is scalar. */
MCC_INLINE void copy_run_s2(float *d, const float *s, int64_t n) {
  int64_t i = 0;
  for (; i + MCC_VL < n; i += MCC_VL)
    vstore(d + i, even_lanes(s + 2 * i));
  for (; i < n; ++i)
    d[i] = s[2 * i];
}
MCC_INLINE void zero_run(float *d, int64_t n) {
  int64_t i = 0;
  for (; i + MCC_VL <= n; i += MCC_VL)
    vstore(d + i, vsplat(0.0f));
  for (; i < n; ++i)
    d[i] = 0.0f;
}

MCC_INLINE int64_t mcc_min64(int64_t a, int64_t b) { return a < b ? a : b; }
MCC_INLINE int64_t mcc_max64(int64_t a, int64_t b) { return a > b ? a : b; }
MCC_INLINE int64_t mcc_ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

#define mcc_memcpy __builtin_memcpy
#define mcc_memset __builtin_memset

/* The SGEMM core shared with the convolutions. A is addressed per MR-row panel: in place (element
 * (m,k) at a + m*a_rs + k*a_cs) or packed in MR-row panels (a_packed: panel p at a + p*MR*K, element
 * (m,k) of it at k*MR + m). B is either packed (NR panels, as mcc_sgemm_pack_b) or strided (element
 * (k,n) at b + k*b_rs + n*b_cs). */
struct mcc_gemm_args {
  int64_t M, N, K;
  const float *a;
  int64_t a_rs, a_cs;
  int32_t a_packed;
  const float *b;
  int64_t b_rs, b_cs;
  int32_t b_packed;
  float *c;
  int64_t ldc;
  const float *bias; /* already offset for this call */
  int32_t bias_kind;
  const float *res;
  int64_t ldr;
  int32_t act;
  float alpha, beta;
  /* An unpacked B whose rows can be read (zeros) up to a whole NR panel past N: no tail copy. */
  int32_t b_padded;
};
/* One GEMM, no batch. a_buf (MC x KC floats) / b_buf (K x NCD) are where A / B get packed at run
 * time; NULL reads them in place. */
void mcc_gemm_blocked(const struct mcc_gemm_args *g, float *a_buf, float *b_buf);
/* Packs rows [k0, k0+kc) x columns [n0, n0+nc) of a strided B into NR panels of row stride NR. */
void mcc_pack_b_block(int64_t nr, const float *B, int64_t rsb, int64_t csb, int64_t k0, int64_t kc, int64_t n0,
                      int64_t nc, float *packed);

#endif /* MCC_KERNELS_INTERNAL_H */
