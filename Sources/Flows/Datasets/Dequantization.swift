/// Uniform dequantisation of integer data with `levels` levels:
/// `(x + u) / levels` with `u ~ U[0, 1)` drawn from `rng`, then `+ offset`.
///
/// The result lies in `[offset, 1 + offset)`; the glow-digits workload uses
/// `offset = -0.5`. Not a bijector: it turns a discrete distribution into a
/// continuous one whose density lower-bounds the discrete likelihood (the
/// `+ log(levels)` term in bits per dimension).
public func uniformDequantize(_ x: Tensor, levels: Int, offset: Float = 0, using rng: inout RandomGenerator) -> Tensor {
    precondition(levels > 0, "uniformDequantize: levels must be positive, got \(levels)")
    let n = x.count
    let inv = 1 / Float(levels)
    var r = rng
    let out = Tensor.make(x.shape) { p in
        x.withUnsafeBufferPointer { src in
            for i in 0..<n { p[i] = (src[i] + r.nextUniform()) * inv + offset }
        }
    }
    rng = r
    return out
}
