/// Glow's invertible 1x1 convolution with an unconstrained weight: a learned
/// mixing of the channels at every pixel.
///
/// Data -> latent on `[batch, C, H, W]`: `y[n, :, i, j] = W x[n, :, i, j]` with
/// `W` a `C x C` matrix, `log|det| = H * W * log|det W|`. The log-determinant and
/// the inverse `W^-1` (for `inverse`, latent -> data) are computed in float64
/// (`LUDecomposition`), so that round-off does not pile up over many layers.
/// `W` starts as a random rotation (the Q of the QR decomposition of a Gaussian
/// matrix). See `LUInvertibleConv1x1` for the cheaper LU-parametrised form.
public final class InvertibleConv1x1: Bijector {
    /// `[C, C]`: output channel by input channel.
    public let weight: Tensor
    public let channels: Int

    public init(channels: Int, using rng: inout RandomGenerator) {
        precondition(channels > 0, "InvertibleConv1x1: channels must be positive, got \(channels)")
        self.channels = channels
        weight = randomRotation(channels, using: &rng).requiringGrad()
    }

    public var parameters: [Tensor] { [weight] }
    public var name: String { "InvertibleConv1x1" }

    /// data -> latent: `(W x, H*W*log|det W|)`.
    public func forward(_ x: Tensor, condition: Tensor?) -> (y: Tensor, logDet: Tensor) {
        let spatial = checkImage(x, channels: channels, layer: name)
        let logDet = (weight.logAbsDeterminant() * Float(spatial)).broadcast(to: [x.shape[0]])
        return (mixChannels(x, weight), logDet)
    }

    /// latent -> data: `(W^-1 y, -H*W*log|det W|)`.
    public func inverse(_ y: Tensor, condition: Tensor?) -> (x: Tensor, logDet: Tensor) {
        let spatial = checkImage(y, channels: channels, layer: name)
        let logDet = (weight.logAbsDeterminant() * Float(-spatial)).broadcast(to: [y.shape[0]])
        return (mixChannels(y, weight.inverse()), logDet)
    }
}

/// `y[n, o, i, j] = sum_c w[o, c] x[n, c, i, j]`: a 1x1 convolution without bias.
func mixChannels(_ x: Tensor, _ w: Tensor) -> Tensor {
    conv2d(x, w.reshaped([w.shape[0], w.shape[1], 1, 1]))
}

/// Checks that `x` is `[batch, channels, H, W]`; returns `H * W`.
func checkImage(_ x: Tensor, channels: Int, layer: String) -> Int {
    precondition(x.rank == 4 && x.shape[1] == channels,
                 "\(layer): input \(x.shape) does not match \(channels) channels (expected [batch, \(channels), H, W])")
    return x.shape[2] * x.shape[3]
}

/// A random `n x n` rotation: the Q factor of the QR decomposition of a matrix
/// of standard normal draws (Householder reflections in float64; Q's columns
/// are signed so that R has a positive diagonal).
func randomRotation(_ n: Int, using rng: inout RandomGenerator) -> Tensor {
    var a = (0..<(n * n)).map { _ in Double(rng.nextNormal()) }   // row-major, reduced in place to R
    var q = [Double](repeating: 0, count: n * n)
    for i in 0..<n { q[i * n + i] = 1 }
    for k in 0..<n {
        // Householder vector for column k below the diagonal.
        var v = [Double](repeating: 0, count: n)
        var norm = 0.0
        for i in k..<n { v[i] = a[i * n + k]; norm += v[i] * v[i] }
        norm = norm.squareRoot()
        if norm == 0 { continue }
        v[k] += v[k] >= 0 ? norm : -norm
        let vv = v[k...].reduce(0) { $0 + $1 * $1 }
        if vv == 0 { continue }
        // A <- (I - 2vv^T/v^Tv) A and Q <- Q (I - 2vv^T/v^Tv).
        for j in 0..<n {
            var s = 0.0
            for i in k..<n { s += v[i] * a[i * n + j] }
            let f = 2 * s / vv
            for i in k..<n { a[i * n + j] -= f * v[i] }
        }
        for i in 0..<n {
            var s = 0.0
            for j in k..<n { s += q[i * n + j] * v[j] }
            let f = 2 * s / vv
            for j in k..<n { q[i * n + j] -= f * v[j] }
        }
    }
    for j in 0..<n where a[j * n + j] < 0 {
        for i in 0..<n { q[i * n + j] = -q[i * n + j] }
    }
    return Tensor(shape: [n, n], scalars: q.map(Float.init))
}
