#include "CKernels.h"
#include <math.h>
#include <string.h>

void nb_adam_step(size_t n, float *restrict w, const float *restrict g, float *restrict m, float *restrict v,
                  float b1, float b2, float step_size, float inv_c2, float eps, float decay) {
    const float keep = 1.0f - decay, ob1 = 1.0f - b1, ob2 = 1.0f - b2;
    for (size_t i = 0; i < n; i++) {
        float gi = g[i];
        float mi = b1 * m[i] + ob1 * gi;
        float vi = b2 * v[i] + ob2 * gi * gi;
        m[i] = mi;
        v[i] = vi;
        w[i] = w[i] * keep - step_size * mi / (sqrtf(vi * inv_c2) + eps);
    }
}

void nb_relu_grad(size_t n, const float *restrict g, const float *restrict y, float *restrict out) {
    for (size_t i = 0; i < n; i++) out[i] = y[i] > 0.0f ? g[i] : 0.0f;
}

void nb_bias_relu(size_t rows, size_t cols, float *restrict c, const float *restrict bias) {
    for (size_t r = 0; r < rows; r++) {
        float *restrict row = c + r * cols;
        if (bias) {
            for (size_t j = 0; j < cols; j++) { float x = row[j] + bias[j]; row[j] = x > 0.0f ? x : 0.0f; }
        } else {
            for (size_t j = 0; j < cols; j++) row[j] = row[j] > 0.0f ? row[j] : 0.0f;
        }
    }
}

void nb_column_sums(size_t rows, size_t cols, const float *restrict src, float *restrict dst, int accumulate) {
    if (!accumulate) memset(dst, 0, cols * sizeof(float));
    for (size_t r = 0; r < rows; r++) {
        const float *restrict row = src + r * cols;
        for (size_t j = 0; j < cols; j++) dst[j] += row[j];
    }
}

void nb_add_into(size_t n, float *restrict dst, const float *restrict src) {
    for (size_t i = 0; i < n; i++) dst[i] += src[i];
}
