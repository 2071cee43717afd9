#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A probability distribution over tensors of a fixed per-sample shape.
public protocol Distribution: Module {
    /// The shape of one sample (without the batch axis).
    var eventShape: [Int] { get }
    /// `log p(x)` per sample, `[batch, eventShape...] -> [batch]`, in nats.
    func logProb(_ x: Tensor, condition: Tensor?) -> Tensor
    /// `n` draws, `[n, eventShape...]`; `temperature` scales the spread (1 = the distribution itself).
    func sample(_ n: Int, temperature: Float, condition: Tensor?, using rng: inout RandomGenerator) -> Tensor
}

extension Distribution {
    public func logProb(_ x: Tensor) -> Tensor { logProb(x, condition: nil) }
    public func sample(_ n: Int, temperature: Float = 1, using rng: inout RandomGenerator) -> Tensor {
        sample(n, temperature: temperature, condition: nil, using: &rng)
    }
    public var parameters: [Tensor] { [] }

    /// The number of scalars in one sample.
    public var dimension: Int { eventShape.reduce(1, *) }

    func checkEvent(_ x: Tensor, _ who: String) {
        precondition(x.rank == eventShape.count + 1 && Array(x.shape.dims.dropFirst()) == eventShape,
                     "\(who).logProb: expected [batch, \(eventShape.map(String.init).joined(separator: ", "))], got \(x.shape)")
    }
}

let halfLogTwoPi = Float(0.5 * log(2 * Double.pi))

/// The standard normal `N(0, I)`.
public final class StandardNormal: Distribution {
    public let eventShape: [Int]
    public init(shape: [Int]) { eventShape = shape }
    public convenience init(dimension: Int) { self.init(shape: [dimension]) }

    public func logProb(_ x: Tensor, condition: Tensor?) -> Tensor {
        checkEvent(x, "StandardNormal")
        return sumPerSample(x.square()) * -0.5 - Float(dimension) * halfLogTwoPi
    }

    public func sample(_ n: Int, temperature: Float, condition: Tensor?, using rng: inout RandomGenerator) -> Tensor {
        Tensor.normal(Shape([n] + eventShape), std: temperature, using: &rng)
    }
}

/// A Gaussian with learnable mean and per-dimension log standard deviation.
public final class DiagonalGaussian: Distribution {
    public let eventShape: [Int]
    public var mean: Tensor
    public var logStd: Tensor

    public init(shape: [Int]) {
        eventShape = shape
        mean = Tensor.zeros(Shape(shape)).requiringGrad()
        logStd = Tensor.zeros(Shape(shape)).requiringGrad()
    }

    public var parameters: [Tensor] { [mean, logStd] }

    public func logProb(_ x: Tensor, condition: Tensor?) -> Tensor {
        checkEvent(x, "DiagonalGaussian")
        let z = (x - mean) * (-logStd).exp()
        return sumPerSample(z.square() * -0.5 - logStd) - Float(dimension) * halfLogTwoPi
    }

    public func sample(_ n: Int, temperature: Float, condition: Tensor?, using rng: inout RandomGenerator) -> Tensor {
        let e = Tensor.normal(Shape([n] + eventShape), std: temperature, using: &rng)
        return e * logStd.exp() + mean
    }
}

/// The standard logistic distribution, independently in every dimension
/// (NICE's prior): `log p(x) = -sum(softplus(x) + softplus(-x))`.
public final class StandardLogistic: Distribution {
    public let eventShape: [Int]
    public init(shape: [Int]) { eventShape = shape }
    public convenience init(dimension: Int) { self.init(shape: [dimension]) }

    public func logProb(_ x: Tensor, condition: Tensor?) -> Tensor {
        checkEvent(x, "StandardLogistic")
        return -sumPerSample(x.softplus() + (-x).softplus())
    }

    public func sample(_ n: Int, temperature: Float, condition: Tensor?, using rng: inout RandomGenerator) -> Tensor {
        let u = Tensor.uniform(Shape([n] + eventShape), low: 1e-6, high: 1 - 1e-6, using: &rng)
        return (u.log() - (1 - u).log()) * temperature
    }
}
