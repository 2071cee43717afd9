#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Glow's invertible 1x1 convolution in LU form: `W = P L (U + diag(sign * exp(logS)))`.
///
/// `P` is a fixed permutation, `L` unit lower triangular, `U` strictly upper
/// triangular, and the diagonal `sign * exp(logS)` has a fixed sign and a
/// learned log-magnitude, so `log|det W| = sum(logS)` costs nothing and `W`
/// stays invertible. All start from the LU decomposition of a random rotation
/// (the Q of the QR decomposition of a Gaussian matrix).
///
/// Data -> latent on `[batch, C, H, W]`: `y[n, :, i, j] = W x[n, :, i, j]`,
/// `log|det| = H * W * sum(logS)`. The inverse (latent -> data) uses `W^-1`
/// computed in float64 (`Tensor.inverse()`).
public final class LUInvertibleConv1x1: Bijector {
    /// `[C, C]`, fixed: the permutation matrix.
    public let permutation: Tensor
    /// `[C, C]`: the entries below the diagonal are L's (the rest are ignored).
    public let lower: Tensor
    /// `[C, C]`: the entries above the diagonal are U's (the rest are ignored).
    public let upper: Tensor
    /// `[C]`: log of the magnitude of U's diagonal.
    public let logS: Tensor
    /// `[C]`, fixed: the sign (+1 or -1) of U's diagonal.
    public let sign: Tensor
    public let channels: Int
    private let lowerMask: Tensor, upperMask: Tensor, identity: Tensor

    public init(channels c: Int, using rng: inout RandomGenerator) {
        precondition(c > 0, "LUInvertibleConv1x1: channels must be positive, got \(c)")
        channels = c
        let lu = LUDecomposition(randomRotation(c, using: &rng))
        // LUDecomposition gives P' A = L U with P' the row permutation; Glow's form is A = P L U, so P = P'^T.
        permutation = Tensor(shape: [c, c], scalars: lu.permutationMatrix.map(Float.init)).transposed
        let diag = lu.diagonalOfU
        lower = Tensor(shape: [c, c], scalars: lu.lower.map(Float.init)).requiringGrad()
        var u = lu.upper
        for i in 0..<c { u[i * c + i] = 0 }
        upper = Tensor(shape: [c, c], scalars: u.map(Float.init)).requiringGrad()
        logS = Tensor(diag.map { Float(log(Swift.abs($0))) }).requiringGrad()
        sign = Tensor(diag.map { $0 < 0 ? -1 : 1 })
        var lm = [Float](repeating: 0, count: c * c), um = lm, id = lm
        for i in 0..<c {
            for j in 0..<c { if j < i { lm[i * c + j] = 1 } else if j > i { um[i * c + j] = 1 } }
            id[i * c + i] = 1
        }
        lowerMask = Tensor(shape: [c, c], scalars: lm)
        upperMask = Tensor(shape: [c, c], scalars: um)
        identity = Tensor(shape: [c, c], scalars: id)
    }

    public var parameters: [Tensor] { [lower, upper, logS] }
    public var buffers: [Tensor] { [permutation, sign] }
    public var name: String { "LUInvertibleConv1x1" }

    /// The `[C, C]` weight `P L (U + diag(sign * exp(logS)))`, differentiable.
    public var weight: Tensor {
        let l = lower * lowerMask + identity
        let u = upper * upperMask + identity * (sign * logS.exp()).reshaped([1, channels])
        return permutation.matmul(l.matmul(u))
    }

    /// data -> latent: `(W x, H*W*sum(logS))`.
    public func forward(_ x: Tensor, condition: Tensor?) -> (y: Tensor, logDet: Tensor) {
        let spatial = checkImage(x, channels: channels, layer: name)
        let logDet = (logS.sum() * Float(spatial)).broadcast(to: [x.shape[0]])
        return (mixChannels(x, weight), logDet)
    }

    /// latent -> data: `(W^-1 y, -H*W*sum(logS))`, with `W^-1` computed in float64.
    public func inverse(_ y: Tensor, condition: Tensor?) -> (x: Tensor, logDet: Tensor) {
        let spatial = checkImage(y, channels: channels, layer: name)
        let logDet = (logS.sum() * Float(-spatial)).broadcast(to: [y.shape[0]])
        return (mixChannels(y, weight.inverse()), logDet)
    }
}
