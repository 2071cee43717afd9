internal import CKernels

/// Hot loops the Swift compiler does not vectorise on its own (it cannot prove
/// that the pointers do not alias): small SIMD helpers, and thin wrappers over
/// the C kernels in `Sources/CKernels`, where `restrict` settles the question.

typealias F16 = SIMD16<Float>

@inline(__always) func load16(_ p: UnsafePointer<Float>) -> F16 {
    UnsafeRawPointer(p).loadUnaligned(as: F16.self)
}

@inline(__always) func store16(_ v: F16, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: F16.self)
}

/// `dst[j] (+)= sum over r of src[r * cols + j]`: the column sums of a row-major matrix.
@inline(__always)
func columnSums(_ src: UnsafePointer<Float>, rows: Int, cols: Int, into dst: UnsafeMutablePointer<Float>, accumulate: Bool) {
    nb_column_sums(rows, cols, src, dst, accumulate ? 1 : 0)
}

/// One Adam step over a parameter's `n` elements, in place.
@inline(__always)
func adamStep(_ n: Int, w: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>, m: UnsafeMutablePointer<Float>,
              v: UnsafeMutablePointer<Float>, beta1: Float, beta2: Float, stepSize: Float, invC2: Float,
              epsilon: Float, decay: Float) {
    nb_adam_step(n, w, g, m, v, beta1, beta2, stepSize, invC2, epsilon, decay)
}

/// `dst (+)= src`, elementwise.
@inline(__always)
func addInto(_ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>, _ n: Int, accumulate: Bool) {
    if accumulate { nb_add_into(n, dst, src) } else { dst.update(from: src, count: n) }
}

/// `p[i] = max(p[i], 0)`.
@inline(__always)
func reluInPlace(_ p: UnsafeMutablePointer<Float>, _ n: Int) { nb_bias_relu(1, n, p, nil) }

/// `out[i] = y[i] > 0 ? g[i] : 0`: the gradient through a ReLU, from its output.
@inline(__always)
func reluGrad(_ g: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ n: Int) {
    nb_relu_grad(n, g, y, out)
}

/// `c[r, j] = max(c[r, j] + bias[j], 0)`.
@inline(__always)
func biasReluInPlace(_ c: UnsafeMutablePointer<Float>, _ bias: UnsafePointer<Float>, rows: Int, cols: Int) {
    nb_bias_relu(rows, cols, c, bias)
}
