#ifndef NBRUN_CKERNELS_H
#define NBRUN_CKERNELS_H

/* Hot elementwise loops of the tensor engine, in C so that `restrict` lets the
   compiler vectorise them (Swift cannot prove its pointers do not alias).
   Every function works on contiguous float32 arrays. */

#include <stddef.h>

/* One Adam step over n parameters, in place:
   m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2;
   w = w (1 - decay) - step_size m / (sqrt(v inv_c2) + eps). */
void nb_adam_step(size_t n, float *restrict w, const float *restrict g, float *restrict m, float *restrict v,
                  float b1, float b2, float step_size, float inv_c2, float eps, float decay);

/* out[i] = y[i] > 0 ? g[i] : 0 (gradient through a ReLU, from its output). */
void nb_relu_grad(size_t n, const float *restrict g, const float *restrict y, float *restrict out);

/* c[r, j] = max(c[r, j] + bias[j], 0) for r < rows, j < cols (bias may be NULL). */
void nb_bias_relu(size_t rows, size_t cols, float *restrict c, const float *restrict bias);

/* dst[j] (+)= sum_r src[r * cols + j]. */
void nb_column_sums(size_t rows, size_t cols, const float *restrict src, float *restrict dst, int accumulate);

/* dst[i] += src[i]. */
void nb_add_into(size_t n, float *restrict dst, const float *restrict src);

/* C (+)= op(A) op(B) for small products, with every operand given by its
   row and column strides (a transposed operand swaps them): A is m x k, B is
   k x n, C is m x n; C is overwritten, or added to when accumulate is nonzero.
   Returns 0, leaving C alone, when it does not handle the case (no AVX2 and
   FMA, or neither of A's strides 1 with few columns): the caller then uses
   BLAS. Results depend only on the shape and strides, never on threads. */
int nb_sgemm_small(int m, int n, int k,
                   const float *a, ptrdiff_t a_rs, ptrdiff_t a_cs,
                   const float *b, ptrdiff_t b_rs, ptrdiff_t b_cs,
                   float *c, ptrdiff_t c_rs, ptrdiff_t c_cs, int accumulate);

/* A hint to the processor that the caller is spinning (x86 PAUSE, ARM YIELD). */
static inline void nb_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

#endif
