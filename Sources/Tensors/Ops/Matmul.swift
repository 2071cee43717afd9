/// Activations that `linear` can fuse into its output pass.
public enum Activation: Sendable, Hashable {
    case identity, relu, tanh, sigmoid

    func apply(_ x: Tensor) -> Tensor {
        switch self {
        case .identity: return x
        case .relu: return x.relu()
        case .tanh: return x.tanh()
        case .sigmoid: return x.sigmoid()
        }
    }
}

extension Tensor {
    /// Matrix product over the last two axes: `[..., m, k] x [..., k, n] -> [..., m, n]`.
    /// Rank-3 operands are batches; a rank-2 operand is shared by every batch.
    public func matmul(_ other: Tensor) -> Tensor { Tensor.matmul(self, other) }

    static func matmul(_ a: Tensor, _ b: Tensor) -> Tensor {
        _ = blasSetup
        precondition(a.rank >= 2 && b.rank >= 2 && a.rank <= 3 && b.rank <= 3,
                     "matmul: operands must have rank 2 or 3, got \(a.shape) and \(b.shape)")
        let m = a.shape[a.rank - 2], k = a.shape[a.rank - 1]
        let k2 = b.shape[b.rank - 2], n = b.shape[b.rank - 1]
        precondition(k == k2, "matmul: inner dimensions differ: \(a.shape) x \(b.shape)")
        let batchA = a.rank == 3 ? a.shape[0] : 1, batchB = b.rank == 3 ? b.shape[0] : 1
        precondition(batchA == batchB || batchA == 1 || batchB == 1,
                     "matmul: batch sizes differ: \(a.shape) x \(b.shape)")
        let batch = Swift.max(batchA, batchB)
        let outShape: Shape = (a.rank == 3 || b.rank == 3) ? [batch, m, n] : [m, n]
        let sa = batchA == 1 ? 0 : m * k, sb = batchB == 1 ? 0 : k * n
        let out = Tensor.make(outShape) { c in
            for i in 0..<batch {
                sgemm(transA: false, transB: false, m: m, n: n, k: k, a: a.base + i * sa, lda: k,
                      b: b.base + i * sb, ldb: n, beta: 0, c: c + i * m * n, ldc: n)
            }
        }
        return Tensor.record("matmul", out, inputs: [a, b]) { g, nodes in
            // dA = g B^T, dB = A^T g; shared operands accumulate over the batch.
            nodes[0]?.withGradBuffer { d, acc in
                for i in 0..<batch {
                    let beta: Float = (acc || (sa == 0 && i > 0)) ? 1 : 0
                    sgemm(transA: false, transB: true, m: m, n: k, k: n, a: g.base + i * m * n, lda: n,
                          b: b.base + i * sb, ldb: n, beta: beta, c: d + i * sa, ldc: k)
                }
            }
            nodes[1]?.withGradBuffer { d, acc in
                for i in 0..<batch {
                    let beta: Float = (acc || (sb == 0 && i > 0)) ? 1 : 0
                    sgemm(transA: true, transB: false, m: k, n: n, k: m, a: a.base + i * sa, lda: k,
                          b: g.base + i * m * n, ldb: n, beta: beta, c: d + i * sb, ldc: n)
                }
            }
        }
    }
}

/// `activation(x W + b)` in one pass: the affine map of a dense layer.
///
/// - Parameters:
///   - x: `[batch, in]`.
///   - weight: `[in, out]` (note: input-major, so no transpose is needed).
///   - bias: `[out]`, or nil.
/// - Returns: `[batch, out]`.
public func linear(_ x: Tensor, _ weight: Tensor, _ bias: Tensor? = nil, activation: Activation = .identity) -> Tensor {
    _ = blasSetup
    precondition(x.rank == 2 && weight.rank == 2 && x.shape[1] == weight.shape[0],
                 "linear: input \(x.shape) does not match weight \(weight.shape) (expected [batch, \(weight.rank == 2 ? weight.shape[0] : -1)])")
    let batch = x.shape[0], fin = weight.shape[0], fout = weight.shape[1]
    if let bias { precondition(bias.shape == [fout], "linear: bias \(bias.shape) does not match weight \(weight.shape)") }
    let y = Tensor.make([batch, fout]) { c in
        sgemm(transA: false, transB: false, m: batch, n: fout, k: fin, a: x.base, lda: fin,
              b: weight.base, ldb: fout, beta: 0, c: c, ldc: fout)
        biasActivationInPlace(activation, c, bias?.base, rows: batch, cols: fout)
    }
    let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
    return Tensor.record("linear", y, inputs: inputs) { g, nodes in
        // The gradient at the pre-activation.
        let gz: Tensor
        if activation == .identity { gz = g } else {
            gz = Tensor.make(g.shape) { activationGrad(activation, g.base, y.base, $0, batch * fout) }
        }
        nodes[0]?.withGradBuffer { d, acc in
            sgemm(transA: false, transB: true, m: batch, n: fin, k: fout, a: gz.base, lda: fout,
                  b: weight.base, ldb: fout, beta: acc ? 1 : 0, c: d, ldc: fin)
        }
        nodes[1]?.withGradBuffer { d, acc in
            sgemm(transA: true, transB: false, m: fin, n: fout, k: batch, a: x.base, lda: fin,
                  b: gz.base, ldb: fout, beta: acc ? 1 : 0, c: d, ldc: fout)
        }
        if nodes.count > 2, let nb = nodes[2] {
            nb.withGradBuffer { columnSums(gz.base, rows: batch, cols: fout, into: $0, accumulate: $1) }
        }
    }
}

/// `c[r, j] = act(c[r, j] + bias[j])` in one pass over the rows.
func biasActivationInPlace(_ act: Activation, _ c: UnsafeMutablePointer<Float>, _ bias: UnsafePointer<Float>?,
                           rows: Int, cols: Int) {
    if let bias {
        if act == .relu {
            biasReluInPlace(c, bias, rows: rows, cols: cols)
            return
        }
        for r in 0..<rows { addInto(c + r * cols, bias, cols, accumulate: true) }
    }
    let n = rows * cols
    switch act {
    case .identity: return
    case .relu: reluInPlace(c, n)
    case .tanh: for i in 0..<n { c[i] = tanhf(c[i]) }
    case .sigmoid: for i in 0..<n { c[i] = 1 / (1 + expf(-c[i])) }
    }
}

/// `out = g * act'(.)` expressed through the activation's output `y`.
func activationGrad(_ act: Activation, _ g: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ n: Int) {
    switch act {
    case .identity: out.update(from: g, count: n)
    case .relu: reluGrad(g, y, out, n)
    case .tanh: for i in 0..<n { out[i] = g[i] * (1 - y[i] * y[i]) }
    case .sigmoid: for i in 0..<n { out[i] = g[i] * y[i] * (1 - y[i]) }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
