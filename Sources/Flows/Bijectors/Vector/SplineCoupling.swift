/// A coupling layer whose transform is a rational-quadratic spline per
/// coordinate (the coupling form of Durkan et al. 2019's neural spline flow).
///
/// The features where the mask is 1 pass through and, with the condition
/// when there is one, feed a network that gives the knots of a spline for
/// each of the other features. Inside `[-bound, bound]` the map is any
/// monotone spline; outside it, the identity.
public final class SplineCoupling: Bijector {
    public let mask: Mask
    public let shape: SplineShape
    public let net: any Layer
    public let conditionDimension: Int
    /// The features that pass, then those transformed; and how to undo that order.
    private let passing: [Int], transformed: [Int], restore: [Int]

    /// `net` maps `[batch, passing + conditionDimension]` to
    /// `[batch, shape.parameterCount * transformed]`, parameter-major.
    public init(mask: Mask, shape: SplineShape, net: any Layer, conditionDimension: Int = 0) {
        self.mask = mask
        self.shape = shape
        self.net = net
        self.conditionDimension = conditionDimension
        passing = mask.values.indices.filter { mask.values[$0] == 1 }
        transformed = mask.values.indices.filter { mask.values[$0] == 0 }
        var back = [Int](repeating: 0, count: mask.count)
        for (position, feature) in (passing + transformed).enumerated() { back[feature] = position }
        restore = back
    }

    /// An MLP `passing (+ condition) -> hidden (x layers) -> knots` with ReLU.
    public convenience init(mask: Mask, shape: SplineShape = SplineShape(), hidden: Int, hiddenLayers: Int = 2,
                            conditionDimension: Int = 0, using rng: inout RandomGenerator) {
        let inputs = Int(mask.values.reduce(0, +)) + conditionDimension
        let outputs = shape.parameterCount * (mask.count - Int(mask.values.reduce(0, +)))
        self.init(mask: mask, shape: shape,
                  net: MLP([inputs] + Array(repeating: hidden, count: hiddenLayers) + [outputs], using: &rng),
                  conditionDimension: conditionDimension)
    }

    public var parameters: [Tensor] { net.parameters }
    public var name: String { "SplineCoupling" }

    private func apply(_ x: Tensor, _ condition: Tensor?, inverse: Bool) -> (Tensor, Tensor) {
        mask.check(x, name)
        let n = x.shape[0]
        let a = x.gather(axis: 1, passing), b = x.gather(axis: 1, transformed)
        var input = a
        if conditionDimension > 0 {
            guard let condition, condition.rank == 2, condition.shape[1] == conditionDimension else {
                preconditionFailure("\(name): expects a condition of shape [batch, \(conditionDimension)], got \(condition?.shape.description ?? "none")")
            }
            input = concat([a, condition], axis: 1)
        }
        let knots = net(input).reshaped([n, shape.parameterCount, transformed.count])
        let (moved, logDet) = rationalQuadraticSpline(b, parameters: knots, shape: shape, inverse: inverse)
        return (concat([a, moved], axis: 1).gather(axis: 1, restore), logDet)
    }

    public func forward(_ x: Tensor, condition: Tensor?) -> (y: Tensor, logDet: Tensor) { apply(x, condition, inverse: false) }
    public func inverse(_ y: Tensor, condition: Tensor?) -> (x: Tensor, logDet: Tensor) { apply(y, condition, inverse: true) }
}
