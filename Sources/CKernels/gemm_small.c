#include "CKernels.h"
#include <stdlib.h>
#include <string.h>

/* Small matrix products for the tensor engine (see CKernels.h).

   At the sizes of a small MLP (a batch of 128 through 64 units) OpenBLAS
   spends more time on its fixed cost per call (clearing C in a separate pass,
   packing both operands into its general layout) than on arithmetic. These
   kernels read the operands where they lie when they can and pack only what
   is strided.

   Every element's arithmetic depends only on k and on which of the two
   kernels computes it, and the choice depends only on the shape and strides
   of the call: so results are the same bytes whatever the thread count, as
   long as a caller cuts a product into the same pieces every time (GEMM.swift
   cuts by problem size only). */

#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>

enum { TILE_ROWS = 4, TILE_COLS = 16 };

/* Scratch for packed operands, per thread, grown on demand. */
static _Thread_local float *scratch = NULL;
static _Thread_local size_t scratch_len = 0;

static float *scratch_floats(size_t n) {
    if (n > scratch_len) {
        free(scratch);
        scratch = aligned_alloc(64, ((n * sizeof(float) + 63) / 64) * 64);
        scratch_len = scratch ? n : 0;
    }
    return scratch;
}

/* Writes `cols` (<= 16) lanes of one row of accumulators to C. */
static inline void store_row(float *c, ptrdiff_t c_cs, int cols, __m256 lo, __m256 hi, int accumulate) {
    if (c_cs == 1 && cols == TILE_COLS) {
        if (accumulate) {
            lo = _mm256_add_ps(_mm256_loadu_ps(c), lo);
            hi = _mm256_add_ps(_mm256_loadu_ps(c + 8), hi);
        }
        _mm256_storeu_ps(c, lo);
        _mm256_storeu_ps(c + 8, hi);
        return;
    }
    float t[TILE_COLS];
    _mm256_storeu_ps(t, lo);
    _mm256_storeu_ps(t + 8, hi);
    for (int j = 0; j < cols; j++) {
        float *dst = c + j * c_cs;
        *dst = accumulate ? *dst + t[j] : t[j];
    }
}

/* Lanes along C's rows: each element is one chain of fused multiply-adds over
   k in order. B must have unit column stride and its rows room for whole
   tiles (ldb >= columns rounded up to 16; the extra columns are read, never
   stored). */
static void tiles(int m, int n, int k, const float *a, ptrdiff_t a_rs, ptrdiff_t a_cs,
                  const float *b, ptrdiff_t ldb, float *c, ptrdiff_t c_rs, ptrdiff_t c_cs, int accumulate) {
    for (int j = 0; j < n; j += TILE_COLS) {
        const int cols = n - j < TILE_COLS ? n - j : TILE_COLS;
        const float *bj = b + j;
        int i = 0;
        for (; i + TILE_ROWS <= m; i += TILE_ROWS) {
            const float *a0 = a + i * a_rs, *a1 = a0 + a_rs, *a2 = a1 + a_rs, *a3 = a2 + a_rs;
            __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps();
            __m256 c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps();
            __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps();
            __m256 c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps();
            for (int p = 0; p < k; p++) {
                const float *bp = bj + p * ldb;
                const __m256 b0 = _mm256_loadu_ps(bp), b1 = _mm256_loadu_ps(bp + 8);
                const ptrdiff_t o = p * a_cs;
                __m256 x = _mm256_broadcast_ss(a0 + o);
                c00 = _mm256_fmadd_ps(x, b0, c00); c01 = _mm256_fmadd_ps(x, b1, c01);
                x = _mm256_broadcast_ss(a1 + o);
                c10 = _mm256_fmadd_ps(x, b0, c10); c11 = _mm256_fmadd_ps(x, b1, c11);
                x = _mm256_broadcast_ss(a2 + o);
                c20 = _mm256_fmadd_ps(x, b0, c20); c21 = _mm256_fmadd_ps(x, b1, c21);
                x = _mm256_broadcast_ss(a3 + o);
                c30 = _mm256_fmadd_ps(x, b0, c30); c31 = _mm256_fmadd_ps(x, b1, c31);
            }
            float *ci = c + i * c_rs + j * c_cs;
            store_row(ci, c_cs, cols, c00, c01, accumulate);
            store_row(ci + c_rs, c_cs, cols, c10, c11, accumulate);
            store_row(ci + 2 * c_rs, c_cs, cols, c20, c21, accumulate);
            store_row(ci + 3 * c_rs, c_cs, cols, c30, c31, accumulate);
        }
        for (; i < m; i++) {
            const float *a0 = a + i * a_rs;
            __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps();
            for (int p = 0; p < k; p++) {
                const __m256 x = _mm256_broadcast_ss(a0 + p * a_cs);
                c00 = _mm256_fmadd_ps(x, _mm256_loadu_ps(bj + p * ldb), c00);
                c01 = _mm256_fmadd_ps(x, _mm256_loadu_ps(bj + p * ldb + 8), c01);
            }
            store_row(c + i * c_rs + j * c_cs, c_cs, cols, c00, c01, accumulate);
        }
    }
}

/* dst[p][j] = src[j][p] for p < rows, j < cols (dst rows ldd apart, src rows
   lds apart): 8x8 blocks through registers, the edges one by one. */
static void transpose_into(float *dst, ptrdiff_t ldd, const float *src, ptrdiff_t lds, int rows, int cols) {
    const int r8 = rows & ~7, c8 = cols & ~7;
    for (int j = 0; j < c8; j += 8) {
        for (int p = 0; p < r8; p += 8) {
            const float *s = src + (size_t)j * lds + p;
            __m256 r0 = _mm256_loadu_ps(s), r1 = _mm256_loadu_ps(s + lds);
            __m256 r2 = _mm256_loadu_ps(s + 2 * lds), r3 = _mm256_loadu_ps(s + 3 * lds);
            __m256 r4 = _mm256_loadu_ps(s + 4 * lds), r5 = _mm256_loadu_ps(s + 5 * lds);
            __m256 r6 = _mm256_loadu_ps(s + 6 * lds), r7 = _mm256_loadu_ps(s + 7 * lds);
            __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1);
            __m256 t2 = _mm256_unpacklo_ps(r2, r3), t3 = _mm256_unpackhi_ps(r2, r3);
            __m256 t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5);
            __m256 t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);
            __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE);
            __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xEE);
            __m256 u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xEE);
            __m256 u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xEE);
            float *d = dst + (size_t)p * ldd + j;
            _mm256_storeu_ps(d,           _mm256_permute2f128_ps(u0, u4, 0x20));
            _mm256_storeu_ps(d + ldd,     _mm256_permute2f128_ps(u1, u5, 0x20));
            _mm256_storeu_ps(d + 2 * ldd, _mm256_permute2f128_ps(u2, u6, 0x20));
            _mm256_storeu_ps(d + 3 * ldd, _mm256_permute2f128_ps(u3, u7, 0x20));
            _mm256_storeu_ps(d + 4 * ldd, _mm256_permute2f128_ps(u0, u4, 0x31));
            _mm256_storeu_ps(d + 5 * ldd, _mm256_permute2f128_ps(u1, u5, 0x31));
            _mm256_storeu_ps(d + 6 * ldd, _mm256_permute2f128_ps(u2, u6, 0x31));
            _mm256_storeu_ps(d + 7 * ldd, _mm256_permute2f128_ps(u3, u7, 0x31));
        }
        for (int p = r8; p < rows; p++)
            for (int q = j; q < j + 8; q++) dst[(size_t)p * ldd + q] = src[(size_t)q * lds + p];
    }
    for (int q = c8; q < cols; q++)
        for (int p = 0; p < rows; p++) dst[(size_t)p * ldd + q] = src[(size_t)q * lds + p];
}

/* The sum of a vector's lanes, in one fixed order. */
static inline float lane_sum(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

/* Dot products, for few columns: C[i][j] = row i of A . column j of B, with
   A's rows contiguous and B given as columns (column j at bt + j * ldbt,
   contiguous). Eight lanes over k, then the tail in order. */
static void dots(int m, int n, int k, const float *a, ptrdiff_t a_rs, const float *bt, ptrdiff_t ldbt,
                 float *c, ptrdiff_t c_rs, ptrdiff_t c_cs, int accumulate) {
    const int k8 = k & ~7;
    for (int i = 0; i < m; i++) {
        const float *ai = a + i * a_rs;
        for (int j = 0; j < n; j++) {
            const float *bj = bt + (size_t)j * ldbt;
            __m256 acc = _mm256_setzero_ps();
            for (int p = 0; p < k8; p += 8)
                acc = _mm256_fmadd_ps(_mm256_loadu_ps(ai + p), _mm256_loadu_ps(bj + p), acc);
            float s = lane_sum(acc);
            for (int p = k8; p < k; p++) s = __builtin_fmaf(ai[p], bj[p], s);
            float *dst = c + i * c_rs + j * c_cs;
            *dst = accumulate ? *dst + s : s;
        }
    }
}

int nb_sgemm_small(int m, int n, int k,
                   const float *a, ptrdiff_t a_rs, ptrdiff_t a_cs,
                   const float *b, ptrdiff_t b_rs, ptrdiff_t b_cs,
                   float *c, ptrdiff_t c_rs, ptrdiff_t c_cs, int accumulate) {
    if (m <= 0 || n <= 0 || k <= 0) return 0;
    /* Long sums into a large C: the tiles would stream A and B through the
       cache once per tile column, which BLAS's blocking avoids. */
    if (k > 128 && (size_t)m * n >= 64 * 64) return 0;
    /* Compute C^T = B^T A^T instead when A's columns are contiguous and
       either C has few columns but many rows (the lanes then run along A's
       columns) or B's rows are strided (B^T's then are not, so it is read in
       place instead of gathered). */
    if (a_rs == 1 && ((n < 8 && m >= 8) || (b_cs != 1 && n >= 8))) {
        const float *t = a; a = b; b = t;
        ptrdiff_t s = a_rs; a_rs = b_cs; b_cs = s;
        s = a_cs; a_cs = b_rs; b_rs = s;
        s = c_rs; c_rs = c_cs; c_cs = s;
        int u = m; m = n; n = u;
    }
    if (n < 8) {
        if (a_cs != 1) return 0;
        if (b_rs == 1) {  /* B's columns are contiguous already */
            dots(m, n, k, a, a_rs, b, b_cs, c, c_rs, c_cs, accumulate);
            return 1;
        }
        float *bt = scratch_floats((size_t)n * k);
        if (!bt) return 0;
        for (int j = 0; j < n; j++)
            for (int p = 0; p < k; p++) bt[(size_t)j * k + p] = b[p * b_rs + j * b_cs];
        dots(m, n, k, a, a_rs, bt, k, c, c_rs, c_cs, accumulate);
        return 1;
    }
    const int np = (n + TILE_COLS - 1) / TILE_COLS * TILE_COLS;
    if (b_cs == 1 && (n % TILE_COLS == 0 || b_rs >= np)) {
        tiles(m, n, k, a, a_rs, a_cs, b, b_rs, c, c_rs, c_cs, accumulate);
        return 1;
    }
    /* B as [k][np], its columns padded with zeros. */
    float *bp = scratch_floats((size_t)k * np);
    if (!bp) return 0;
    if (b_rs == 1) {  /* B stored transposed: copy it back in 8x8 blocks */
        transpose_into(bp, np, b, b_cs, k, n);
    } else {
        for (int p = 0; p < k; p++) {
            float *row = bp + (size_t)p * np;
            const float *src = b + p * b_rs;
            if (b_cs == 1) memcpy(row, src, (size_t)n * sizeof(float));
            else for (int j = 0; j < n; j++) row[j] = src[j * b_cs];
        }
    }
    for (int p = 0; p < k; p++)
        for (int j = n; j < np; j++) bp[(size_t)p * np + j] = 0;
    tiles(m, n, k, a, a_rs, a_cs, bp, np, c, c_rs, c_cs, accumulate);
    return 1;
}

#else

int nb_sgemm_small(int m, int n, int k,
                   const float *a, ptrdiff_t a_rs, ptrdiff_t a_cs,
                   const float *b, ptrdiff_t b_rs, ptrdiff_t b_cs,
                   float *c, ptrdiff_t c_rs, ptrdiff_t c_cs, int accumulate) {
    (void)m; (void)n; (void)k; (void)a; (void)a_rs; (void)a_cs; (void)b; (void)b_rs; (void)b_cs;
    (void)c; (void)c_rs; (void)c_cs; (void)accumulate;
    return 0;
}

#endif
