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

/// The posterior of a Bayesian logistic regression without intercept, as an
/// unnormalised density over the weights `w` (`[batch, features]`):
///
///     log p*(w) = -|w|² / (2 σ²) + Σ_i [ y_i (w · x_i) - log(1 + exp(w · x_i)) ]
///
/// a Gaussian prior `N(0, σ² I)` times a Bernoulli likelihood for labels
/// `y_i ∈ {0, 1}`. Its normaliser is the model's evidence `p(y | X)` (up to
/// the prior's constant `(2π σ²)^{-d/2}`, which `logDensity` includes). On a few
/// points the posterior is skewed and curved: a small problem where a
/// Gaussian approximation is visibly wrong and a flow is not.
public struct LogisticRegressionPosterior: UnnormalizedDensity, Sendable {
    /// `[n, features]`.
    public let features: Tensor
    /// `[n]`, each 0 or 1.
    public let labels: Tensor
    public let priorStd: Float

    public init(features: Tensor, labels: Tensor, priorStd: Float = 2) {
        precondition(features.rank == 2 && labels.rank == 1 && labels.shape[0] == features.shape[0],
                     "LogisticRegressionPosterior: expects features [n, d] and labels [n], got \(features.shape) and \(labels.shape)")
        precondition(labels.scalars.allSatisfy { $0 == 0 || $0 == 1 }, "LogisticRegressionPosterior: labels must be 0 or 1")
        self.features = features; self.labels = labels; self.priorStd = priorStd
    }

    /// `n` points with two features, standard normal, labelled by a noisy
    /// logistic model with weights `truth`.
    public static func synthetic(_ n: Int, truth: [Float] = [1.5, -1], priorStd: Float = 2,
                                 using rng: inout RandomGenerator) -> LogisticRegressionPosterior {
        let x = Tensor.normal([n, truth.count], using: &rng)
        let v = x.scalars
        let y = (0..<n).map { i -> Float in
            let logit = (0..<truth.count).reduce(Float(0)) { $0 + truth[$1] * v[i * truth.count + $1] }
            return rng.nextUniform() < 1 / (1 + expf(-logit)) ? 1 : 0
        }
        return LogisticRegressionPosterior(features: x, labels: Tensor(y), priorStd: priorStd)
    }

    public var dimension: Int { features.shape[1] }

    public func logDensity(_ w: Tensor) -> Tensor {
        precondition(w.rank == 2 && w.shape[1] == dimension, "LogisticRegressionPosterior: expected [batch, \(dimension)], got \(w.shape)")
        let logits = w.matmul(features.transposed)                       // [batch, n]
        let likelihood = (logits * labels).sum(axis: 1) - logits.softplus().sum(axis: 1)
        let prior = w.square().sum(axis: 1) * (-0.5 / (priorStd * priorStd))
            - Float(dimension) * (logf(priorStd) + halfLogTwoPi)
        return likelihood + prior
    }
}
