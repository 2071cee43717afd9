#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An unnormalised density `p*(z) ∝ exp(logDensity(z))` on `[batch, d]`,
/// the target of reverse-KL fitting. `logDensity` must be differentiable.
public protocol UnnormalizedDensity {
    var dimension: Int { get }
    /// `log p*(z)` up to a constant, `[batch, d] -> [batch]`.
    func logDensity(_ z: Tensor) -> Tensor
}

/// The four 2-D potentials of Rezende & Mohamed (2015, table 1): `p*(z) ∝ exp(-U(z))`.
///
///     w1(z) = sin(2π z1 / 4),  w2(z) = 3 exp(-((z1 - 1)/0.6)² / 2),  w3(z) = 3 σ((z1 - 1)/0.3)
///     U1 = ((|z| - 2)/0.4)²/2 - log(exp(-((z1 - 2)/0.6)²/2) + exp(-((z1 + 2)/0.6)²/2))
///     U2 = ((z2 - w1)/0.4)²/2
///     U3 = -log(exp(-((z2 - w1)/0.35)²/2) + exp(-((z2 - w1 + w2)/0.35)²/2))
///     U4 = -log(exp(-((z2 - w1)/0.4)²/2) + exp(-((z2 - w1 + w3)/0.35)²/2))
public enum Potential: Int, CaseIterable, Sendable, UnnormalizedDensity {
    case u1 = 1, u2, u3, u4

    public var dimension: Int { 2 }

    /// `U(z)`, `[batch, 2] -> [batch]`.
    public func energy(_ z: Tensor) -> Tensor {
        precondition(z.rank == 2 && z.shape[1] == 2, "Potential \(self): expected [batch, 2], got \(z.shape)")
        let z1 = z.slice(axis: 1, 0..<1).reshaped(-1), z2 = z.slice(axis: 1, 1..<2).reshaped(-1)
        let w1 = (z1 * Float(2 * Double.pi / 4)).sine()
        func gaussTerm(_ t: Tensor, _ s: Float) -> Tensor { (t / s).square() * -0.5 }
        func logAddExp(_ a: Tensor, _ b: Tensor) -> Tensor { stack([a, b]).logSumExp(axis: 0) }
        switch self {
        case .u1:
            let norm = (z.square().sum(axis: 1) + 1e-12).sqrt()
            return ((norm - 2) / 0.4).square() * 0.5 - logAddExp(gaussTerm(z1 - 2, 0.6), gaussTerm(z1 + 2, 0.6))
        case .u2:
            return ((z2 - w1) / 0.4).square() * 0.5
        case .u3:
            let w2 = (gaussTerm(z1 - 1, 0.6)).exp() * 3
            return -logAddExp(gaussTerm(z2 - w1, 0.35), gaussTerm(z2 - w1 + w2, 0.35))
        case .u4:
            let w3 = ((z1 - 1) / 0.3).sigmoid() * 3
            return -logAddExp(gaussTerm(z2 - w1, 0.4), gaussTerm(z2 - w1 + w3, 0.35))
        }
    }

    public func logDensity(_ z: Tensor) -> Tensor { -energy(z) }
}

/// A mixture of isotropic Gaussians in `d` dimensions (normalised).
public struct GaussianMixture: UnnormalizedDensity, Sendable {
    public let means: [[Float]]
    public let std: Float
    public let weights: [Float]

    public init(means: [[Float]], std: Float, weights: [Float]? = nil) {
        precondition(!means.isEmpty && means.allSatisfy { $0.count == means[0].count }, "GaussianMixture: means must be non-empty and of equal length")
        let w = weights ?? Array(repeating: 1 / Float(means.count), count: means.count)
        precondition(w.count == means.count, "GaussianMixture: \(w.count) weights for \(means.count) components")
        self.means = means; self.std = std; self.weights = w
    }

    /// `k` components evenly spaced on a circle of the given radius.
    public static func ring(components k: Int, radius: Float, std: Float) -> GaussianMixture {
        GaussianMixture(means: (0..<k).map { i in
            let a = 2 * Float.pi * Float(i) / Float(k)
            return [radius * cosf(a), radius * sinf(a)]
        }, std: std)
    }

    public var dimension: Int { means[0].count }

    public func logDensity(_ z: Tensor) -> Tensor {
        precondition(z.rank == 2 && z.shape[1] == dimension, "GaussianMixture: expected [batch, \(dimension)], got \(z.shape)")
        let d = Float(dimension)
        let terms = zip(means, weights).map { (mu, w) -> Tensor in
            ((z - Tensor(mu)).square().sum(axis: 1) * (-0.5 / (std * std)))
                + (logf(w) - d * logf(std) - d * halfLogTwoPi)
        }
        return stack(terms).logSumExp(axis: 0)
    }

    /// Exact samples from the mixture.
    public func sample(_ n: Int, using rng: inout RandomGenerator) -> Tensor {
        var out: [Float] = []
        out.reserveCapacity(n * dimension)
        for _ in 0..<n {
            var u = rng.nextUniform(), k = 0
            while k < weights.count - 1 && u >= weights[k] { u -= weights[k]; k += 1 }
            for j in 0..<dimension { out.append(means[k][j] + std * rng.nextNormal()) }
        }
        return Tensor(shape: [n, dimension], scalars: out)
    }
}
