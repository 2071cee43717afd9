/// A normalizing flow: bijectors from data to latent, and a base distribution
/// on the latent.
///
/// ```swift
/// var rng = RandomGenerator(seed: 0)
/// let flow = Flow(base: StandardNormal(dimension: 2)) {
///     for i in 0..<8 {
///         AffineCoupling(mask: .alternating(2, parity: i % 2), hidden: 64, using: &rng)
///     }
/// }
/// let nll = flow.negativeLogLikelihood(batch)   // mean over the batch, nats
/// let samples = flow.sample(500, using: &rng)
/// ```
///
/// The builder accepts loops, conditionals and nested arrays of bijectors.
/// `logProb(x) = base.logProb(f(x)) + log|det df/dx|`, where `f` runs the
/// bijectors in order (data -> latent); sampling runs them backwards.
public final class Flow: Bijector {
    public let base: any Distribution
    public let bijectors: [any Bijector]

    public init(base: any Distribution, bijectors: [any Bijector]) {
        self.base = base
        self.bijectors = bijectors
    }

    public convenience init(base: any Distribution, @FlowBuilder _ build: () -> [any Bijector]) {
        self.init(base: base, bijectors: build())
    }

    public var parameters: [Tensor] { bijectors.flatMap { $0.parameters } + base.parameters }
    public var buffers: [Tensor] { bijectors.flatMap { $0.buffers } + base.buffers }
    public var name: String { "Flow" }

    /// data -> latent through every bijector: `(z, log|det dz/dx|)`.
    public func forward(_ x: Tensor, condition: Tensor? = nil) -> (y: Tensor, logDet: Tensor) {
        var h = x
        var total: Tensor? = nil
        for b in bijectors {
            let (y, ld) = b.forward(h, condition: condition)
            h = y
            total = total.map { $0 + ld } ?? ld
        }
        return (h, total ?? zeroLogDet(x))
    }

    /// latent -> data through every bijector, last first: `(x, log|det dx/dz|)`.
    public func inverse(_ z: Tensor, condition: Tensor? = nil) -> (x: Tensor, logDet: Tensor) {
        var h = z
        var total: Tensor? = nil
        for b in bijectors.reversed() {
            let (x, ld) = b.inverse(h, condition: condition)
            h = x
            total = total.map { $0 + ld } ?? ld
        }
        return (h, total ?? zeroLogDet(z))
    }

    /// Data-dependent initialisation: passes `x` through the bijectors in
    /// order, without gradients, and initialises every `DataInitializable`
    /// layer (ActNorm, Scaling) from the batch that reaches it.
    public func initialize(from x: Tensor, condition: Tensor? = nil) {
        withoutGrad {
            var h = x
            for b in bijectors {
                if let layer = b as? DataInitializable { layer.initialize(from: h) }
                h = b.forward(h, condition: condition).y
            }
        }
    }

    /// `log p(x)` per sample, in nats: `[batch, ...] -> [batch]`.
    public func logProb(_ x: Tensor, condition: Tensor? = nil) -> Tensor {
        let (z, logDet) = forward(x, condition: condition)
        return base.logProb(z, condition: condition) + logDet
    }

    /// The mean negative log-likelihood of a batch, in nats per sample: the training loss.
    public func negativeLogLikelihood(_ x: Tensor, condition: Tensor? = nil) -> Tensor {
        -logProb(x, condition: condition).mean()
    }

    /// `n` samples: latent draws from the base (scaled by `temperature`) mapped to data.
    public func sample(_ n: Int, temperature: Float = 1, condition: Tensor? = nil, using rng: inout RandomGenerator) -> Tensor {
        withoutGrad {
            let z = base.sample(n, temperature: temperature, condition: condition, using: &rng)
            return inverse(z, condition: condition).x
        }
    }

    /// Samples with their log-density under the flow, differentiably: for
    /// reverse-KL fitting, where the loss is `E[log q(x) - log p*(x)]`.
    public func sampleWithLogProb(_ n: Int, condition: Tensor? = nil, using rng: inout RandomGenerator) -> (x: Tensor, logProb: Tensor) {
        let z = base.sample(n, temperature: 1, condition: condition, using: &rng)
        let logQz = base.logProb(z, condition: condition)
        let (x, logDet) = inverse(z, condition: condition)
        return (x, logQz - logDet)
    }

    /// The data after each bijector in the normalizing direction: element 0 is
    /// `x`, the last is the latent. For drawing how points move through a flow.
    public func trajectory(_ x: Tensor, condition: Tensor? = nil) -> [Tensor] {
        withoutGrad {
            var out = [x]
            for b in bijectors { out.append(b.forward(out.last!, condition: condition).y) }
            return out
        }
    }

    /// The latent after each bijector in the generating direction: element 0 is
    /// `z`, the last is the data.
    public func inverseTrajectory(_ z: Tensor, condition: Tensor? = nil) -> [Tensor] {
        withoutGrad {
            var out = [z]
            for b in bijectors.reversed() { out.append(b.inverse(out.last!, condition: condition).x) }
            return out
        }
    }
}

/// Builds a flow's list of bijectors, with `for` loops, `if`/`else` and arrays.
@resultBuilder public enum FlowBuilder {
    public static func buildExpression(_ b: any Bijector) -> [any Bijector] { [b] }
    public static func buildExpression(_ bs: [any Bijector]) -> [any Bijector] { bs }
    public static func buildBlock(_ parts: [any Bijector]...) -> [any Bijector] { parts.flatMap { $0 } }
    public static func buildArray(_ parts: [[any Bijector]]) -> [any Bijector] { parts.flatMap { $0 } }
    public static func buildOptional(_ p: [any Bijector]?) -> [any Bijector] { p ?? [] }
    public static func buildEither(first p: [any Bijector]) -> [any Bijector] { p }
    public static func buildEither(second p: [any Bijector]) -> [any Bijector] { p }
    public static func buildLimitedAvailability(_ p: [any Bijector]) -> [any Bijector] { p }
}

/// Bijectors applied in order, as one bijector (a sub-flow without a base).
public final class Chain: Bijector {
    public let bijectors: [any Bijector]
    public init(_ bijectors: [any Bijector]) { self.bijectors = bijectors }
    public init(@FlowBuilder _ build: () -> [any Bijector]) { self.bijectors = build() }
    public var parameters: [Tensor] { bijectors.flatMap { $0.parameters } }
    public var buffers: [Tensor] { bijectors.flatMap { $0.buffers } }

    public func forward(_ x: Tensor, condition: Tensor?) -> (y: Tensor, logDet: Tensor) {
        var h = x, total = zeroLogDet(x)
        for b in bijectors { let (y, ld) = b.forward(h, condition: condition); h = y; total = total + ld }
        return (h, total)
    }

    public func inverse(_ y: Tensor, condition: Tensor?) -> (x: Tensor, logDet: Tensor) {
        var h = y, total = zeroLogDet(y)
        for b in bijectors.reversed() { let (x, ld) = b.inverse(h, condition: condition); h = x; total = total + ld }
        return (h, total)
    }
}
