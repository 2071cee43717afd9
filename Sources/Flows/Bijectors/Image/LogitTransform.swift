#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// RealNVP's logit preprocessing: maps data in (0, 1) to the real line.
///
/// Data -> latent, elementwise: `p = alpha + (1 - 2 alpha) x`, `y = log(p / (1 - p))`;
/// `log|det| = sum(log(1 - 2 alpha) - log p - log(1 - p))` over every entry of a
/// sample. `alpha` (RealNVP used 0.05; Glow-style image flows often 1e-6) keeps
/// `p` away from 0 and 1, so dequantised pixels near the edges stay finite.
/// Inverse (latent -> data): `x = (sigmoid(y) - alpha) / (1 - 2 alpha)`.
/// Works on any `[batch, ...]` shape.
public final class LogitTransform: Bijector {
    public let alpha: Float

    public init(alpha: Float = 0.05) {
        precondition(alpha >= 0 && alpha < 0.5, "LogitTransform: alpha must lie in [0, 0.5), got \(alpha)")
        self.alpha = alpha
    }

    public var parameters: [Tensor] { [] }
    public var name: String { "LogitTransform" }

    /// The per-entry log-derivative `log(1 - 2 alpha) - log p - log(1 - p)`.
    private func logDerivative(_ p: Tensor) -> Tensor {
        Float(log(1 - 2 * Double(alpha))) - p.log() - (1 - p).log()
    }

    /// data -> latent.
    public func forward(_ x: Tensor, condition: Tensor?) -> (y: Tensor, logDet: Tensor) {
        let (lo, hi) = (x.minValue, x.maxValue)
        precondition(lo >= 0 && hi <= 1,
                     "LogitTransform: input \(x.shape) must lie in [0, 1] (dequantised data scaled by 1/levels), got values in [\(lo), \(hi)]")
        let p = x * (1 - 2 * alpha) + alpha
        return (p.log() - (1 - p).log(), sumPerSample(logDerivative(p)))
    }

    /// latent -> data.
    public func inverse(_ y: Tensor, condition: Tensor?) -> (x: Tensor, logDet: Tensor) {
        let p = y.sigmoid()
        return ((p - alpha) * (1 / (1 - 2 * alpha)), -sumPerSample(logDerivative(p)))
    }
}
