#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `P A = L U` of a square matrix with partial (row) pivoting, in float64.
///
/// Used for the invertible 1x1 convolutions of Glow, whose weight is a small
/// `c x c` matrix: its log|det| and inverse are computed here in double
/// precision, so that float32 round-off does not accumulate over many layers.
public struct LUDecomposition {
    /// The order of the matrix.
    public let n: Int
    /// L (unit lower, below the diagonal) and U (upper, diagonal included), row-major.
    public let lu: [Double]
    /// Row `i` of `P A` is row `pivots[i]` of `A`.
    public let pivots: [Int]
    /// +1 or -1: the sign of the permutation.
    public let permutationSign: Double
    /// True when a pivot is exactly zero (the matrix is singular).
    public let isSingular: Bool

    /// Decomposes a row-major `n x n` matrix.
    public init(_ a: [Double], n: Int) {
        precondition(a.count == n * n, "LUDecomposition: \(a.count) entries for a \(n) x \(n) matrix")
        self.n = n
        var m = a
        var perm = Array(0..<n)
        var sign = 1.0
        var singular = false
        for k in 0..<n {
            var p = k
            var best = Swift.abs(m[k * n + k])
            for i in (k + 1)..<Swift.max(n, k + 1) where Swift.abs(m[i * n + k]) > best {
                best = Swift.abs(m[i * n + k]); p = i
            }
            if p != k {
                for j in 0..<n { m.swapAt(k * n + j, p * n + j) }
                perm.swapAt(k, p)
                sign = -sign
            }
            let pivot = m[k * n + k]
            if pivot == 0 { singular = true; continue }
            for i in (k + 1)..<Swift.max(n, k + 1) {
                let f = m[i * n + k] / pivot
                m[i * n + k] = f
                if f != 0 { for j in (k + 1)..<n { m[i * n + j] -= f * m[k * n + j] } }
            }
        }
        lu = m; pivots = perm; permutationSign = sign; isSingular = singular
    }

    /// Decomposes a rank-2 square tensor.
    public init(_ t: Tensor) {
        precondition(t.rank == 2 && t.shape[0] == t.shape[1], "LUDecomposition: needs a square matrix, got \(t.shape)")
        self.init(t.scalars.map(Double.init), n: t.shape[0])
    }

    /// The diagonal of U.
    public var diagonalOfU: [Double] { (0..<n).map { lu[$0 * n + $0] } }

    /// `log |det A|` (minus infinity for a singular matrix).
    public var logAbsDeterminant: Double { diagonalOfU.reduce(0) { $0 + log(Swift.abs($1)) } }

    /// `det A`.
    public var determinant: Double { diagonalOfU.reduce(permutationSign, *) }

    /// Solves `A x = b` for one right-hand side.
    public func solve(_ b: [Double]) -> [Double] {
        precondition(b.count == n, "LUDecomposition.solve: right-hand side has \(b.count) entries, expected \(n)")
        var y = pivots.map { b[$0] }
        for i in 0..<n { for j in 0..<i { y[i] -= lu[i * n + j] * y[j] } }
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in (i + 1)..<Swift.max(n, i + 1) { y[i] -= lu[i * n + j] * y[j] }
            y[i] /= lu[i * n + i]
        }
        return y
    }

    /// `A^-1`, row-major.
    public var inverse: [Double] {
        precondition(!isSingular, "LUDecomposition.inverse: the matrix is singular")
        var inv = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            var e = [Double](repeating: 0, count: n)
            e[j] = 1
            let col = solve(e)
            for i in 0..<n { inv[i * n + j] = col[i] }
        }
        return inv
    }

    /// The permutation matrix P (row-major) with `P A = L U`.
    public var permutationMatrix: [Double] {
        var p = [Double](repeating: 0, count: n * n)
        for (i, r) in pivots.enumerated() { p[i * n + r] = 1 }
        return p
    }

    /// L with its unit diagonal, row-major.
    public var lower: [Double] {
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<i { l[i * n + j] = lu[i * n + j] }; l[i * n + i] = 1 }
        return l
    }

    /// U, row-major.
    public var upper: [Double] {
        var u = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in i..<n { u[i * n + j] = lu[i * n + j] } }
        return u
    }
}

extension Tensor {
    /// `log |det A|` of a square matrix, computed in float64; differentiable,
    /// with gradient `A^-T`.
    public func logAbsDeterminant() -> Tensor {
        let lu = LUDecomposition(self)
        precondition(!lu.isSingular, "logAbsDeterminant: the \(shape) matrix is singular")
        let n = lu.n
        let out = Tensor(Float(lu.logAbsDeterminant))
        return Tensor.record("logAbsDet", out, inputs: [self]) { g, nodes in
            let inv = lu.inverse
            let gv = Double(g.item)
            nodes[0]?.withGradBuffer { d, acc in
                for i in 0..<n { for j in 0..<n {
                    let v = Float(gv * inv[j * n + i])
                    d[i * n + j] = (acc ? d[i * n + j] : 0) + v
                } }
            }
        }
    }

    /// The inverse of a square matrix, computed in float64; differentiable, with
    /// `dA = -A^-T G A^-T`.
    public func inverse() -> Tensor {
        let lu = LUDecomposition(self)
        precondition(!lu.isSingular, "inverse: the \(shape) matrix is singular")
        let out = Tensor(shape: shape, scalars: lu.inverse.map(Float.init))
        return Tensor.record("inverse", out, inputs: [self]) { g, nodes in
            let it = out.transposed
            nodes[0]?.accumulate(-(it.matmul(g).matmul(it)))
        }
    }
}
