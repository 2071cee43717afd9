/// Loops the compiler does not vectorise on its own (it cannot prove that the
/// pointers do not alias), written with explicit 16-lane SIMD.

typealias F16 = SIMD16<Float>

@inline(__always) func load16(_ p: UnsafePointer<Float>) -> F16 {
    UnsafeRawPointer(p).loadUnaligned(as: F16.self)
}

@inline(__always) func store16(_ v: F16, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: F16.self)
}

/// `dst[j] (+)= sum over r of src[r * cols + j]`: the column sums of a row-major matrix.
func columnSums(_ src: UnsafePointer<Float>, rows: Int, cols: Int, into dst: UnsafeMutablePointer<Float>, accumulate: Bool) {
    var c0 = 0
    while c0 + 16 <= cols {
        var acc = F16(repeating: 0)
        var p = src + c0
        for _ in 0..<rows { acc += load16(p); p += cols }
        store16(accumulate ? acc + load16(dst + c0) : acc, dst + c0)
        c0 += 16
    }
    while c0 < cols {
        var s: Float = 0
        for r in 0..<rows { s += src[r * cols + c0] }
        dst[c0] = accumulate ? dst[c0] + s : s
        c0 += 1
    }
}

/// One Adam step over a parameter's `n` elements, in place.
func adamStep(_ n: Int, w: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>, m: UnsafeMutablePointer<Float>,
              v: UnsafeMutablePointer<Float>, beta1: Float, beta2: Float, stepSize: Float, invC2: Float,
              epsilon: Float, decay: Float) {
    var i = 0
    let b1 = F16(repeating: beta1), b2 = F16(repeating: beta2)
    let ob1 = F16(repeating: 1 - beta1), ob2 = F16(repeating: 1 - beta2)
    let ss = F16(repeating: stepSize), ic2 = F16(repeating: invC2), eps = F16(repeating: epsilon)
    let keep = F16(repeating: 1 - decay)
    while i + 16 <= n {
        let gi = load16(g + i)
        let mi = b1 * load16(m + i) + ob1 * gi
        let vi = b2 * load16(v + i) + ob2 * gi * gi
        store16(mi, m + i); store16(vi, v + i)
        let wi = load16(w + i) * keep
        store16(wi - ss * mi / ((vi * ic2).squareRoot() + eps), w + i)
        i += 16
    }
    while i < n {
        let gi = g[i]
        let mi = beta1 * m[i] + (1 - beta1) * gi
        let vi = beta2 * v[i] + (1 - beta2) * gi * gi
        m[i] = mi; v[i] = vi
        w[i] = w[i] * (1 - decay) - stepSize * mi / ((vi * invC2).squareRoot() + epsilon)
        i += 1
    }
}

/// `dst (+)= src`, elementwise.
func addInto(_ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>, _ n: Int, accumulate: Bool) {
    if !accumulate { dst.update(from: src, count: n); return }
    var i = 0
    while i + 16 <= n { store16(load16(dst + i) + load16(src + i), dst + i); i += 16 }
    while i < n { dst[i] += src[i]; i += 1 }
}

/// `p[i] = max(p[i], 0)`.
func reluInPlace(_ p: UnsafeMutablePointer<Float>, _ n: Int) {
    var i = 0
    let zero = F16(repeating: 0)
    while i + 16 <= n { store16(pointwiseMax(load16(p + i), zero), p + i); i += 16 }
    while i < n { p[i] = Swift.max(p[i], 0); i += 1 }
}

/// `out[i] = y[i] > 0 ? g[i] : 0`: the gradient through a ReLU, from its output.
func reluGrad(_ g: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ n: Int) {
    var i = 0
    let zero = F16(repeating: 0)
    while i + 16 <= n {
        store16(zero.replacing(with: load16(g + i), where: load16(y + i) .> zero), out + i)
        i += 16
    }
    while i < n { out[i] = y[i] > 0 ? g[i] : 0; i += 1 }
}

/// `c[r, j] = max(c[r, j] + bias[j], 0)`, for `cols` a multiple of 16.
func biasReluInPlace(_ c: UnsafeMutablePointer<Float>, _ bias: UnsafePointer<Float>, rows: Int, cols: Int) {
    let zero = F16(repeating: 0)
    for r in 0..<rows {
        let row = c + r * cols
        var j = 0
        while j < cols { store16(pointwiseMax(load16(row + j) + load16(bias + j), zero), row + j); j += 16 }
    }
}
