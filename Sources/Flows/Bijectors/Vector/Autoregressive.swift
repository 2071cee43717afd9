/// A dense layer whose weights are multiplied by a fixed 0/1 mask:
/// `y = activation(x (W * M) + b)`. MADE's building block: the mask cuts the
/// connections that would let an output see inputs it must not depend on.
public final class MaskedLinear: Layer {
    public var weight: Tensor
    public var bias: Tensor
    /// `[in, out]`, 1 where a connection is kept.
    public let mask: Tensor
    public let activation: Activation

    public init(_ inputs: Int, _ outputs: Int, mask: [Float], activation: Activation = .identity,
                using rng: inout RandomGenerator) {
        precondition(mask.count == inputs * outputs, "MaskedLinear: a mask of \(mask.count) entries for \(inputs) x \(outputs) weights")
        weight = Tensor.kaimingUniform([inputs, outputs], fanIn: inputs, using: &rng).requiringGrad()
        bias = Tensor.kaimingUniform([outputs], fanIn: inputs, using: &rng).requiringGrad()
        self.mask = Tensor(shape: [inputs, outputs], scalars: mask)
        self.activation = activation
    }

    public var parameters: [Tensor] { [weight, bias] }

    public func callAsFunction(_ x: Tensor) -> Tensor { linear(x, weight * mask, bias, activation: activation) }
}

/// The order in which an autoregressive model takes the coordinates.
public enum AutoregressiveOrder: Sendable, Equatable {
    /// x1, x2, ..., xD.
    case natural
    /// xD, ..., x1 (alternate it with `.natural` between layers).
    case reversed
    /// A random order, drawn once from `seed`.
    case random(seed: UInt64)

    /// The position of each coordinate in the order (0-based): coordinate `i`
    /// is the `positions[i]`-th to be generated.
    public func positions(_ d: Int) -> [Int] {
        switch self {
        case .natural: return Array(0..<d)
        case .reversed: return Array((0..<d).reversed())
        case .random(let seed):
            var rng = RandomGenerator(seed: seed)
            var order = Array(0..<d)
            for i in stride(from: d - 1, to: 0, by: -1) { order.swapAt(i, rng.choice(i + 1, count: 1)[0]) }
            return order
        }
    }
}

/// MADE (Germain et al. 2015): an MLP whose masks make output `k * D + i`
/// depend only on the inputs that come before coordinate `i` in the order,
/// and on the condition (which every hidden unit sees).
///
/// Degrees: input `i` has degree `positions[i] + 1`; hidden units have
/// degrees 1 ... D - 1, assigned in turn; a hidden unit sees the units
/// below with a degree no larger than its own, and output `i` sees the
/// hidden units with a degree smaller than input `i`'s.
public final class MADE: Layer {
    public let dimension: Int
    public let outputsPerDimension: Int
    public let conditionDimension: Int
    public let positions: [Int]
    public let layers: [MaskedLinear]

    public init(dimension d: Int, hidden: [Int], outputsPerDimension: Int = 2, order: AutoregressiveOrder = .natural,
                conditionDimension: Int = 0, using rng: inout RandomGenerator) {
        precondition(d >= 2, "MADE: needs at least two coordinates, got \(d)")
        precondition(!hidden.isEmpty && hidden.allSatisfy { $0 >= d - 1 },
                     "MADE: every hidden layer needs at least \(d - 1) units so that each degree is present, got \(hidden)")
        dimension = d
        self.outputsPerDimension = outputsPerDimension
        self.conditionDimension = conditionDimension
        positions = order.positions(d)
        // Degrees of the inputs (the condition has degree 0: seen by all).
        var previous = positions.map { $0 + 1 } + Array(repeating: 0, count: conditionDimension)
        var made: [MaskedLinear] = []
        for width in hidden {
            let degrees = (0..<width).map { $0 % (d - 1) + 1 }
            var mask = [Float](repeating: 0, count: previous.count * width)
            for (a, da) in previous.enumerated() {
                for (b, db) in degrees.enumerated() where db >= da { mask[a * width + b] = 1 }
            }
            made.append(MaskedLinear(previous.count, width, mask: mask, activation: .relu, using: &rng))
            previous = degrees
        }
        let outputs = d * outputsPerDimension
        var mask = [Float](repeating: 0, count: previous.count * outputs)
        for (a, da) in previous.enumerated() {
            for k in 0..<outputsPerDimension {
                for i in 0..<d where da < positions[i] + 1 { mask[a * outputs + k * d + i] = 1 }
            }
        }
        made.append(MaskedLinear(previous.count, outputs, mask: mask, using: &rng))
        layers = made
    }

    public var parameters: [Tensor] { layers.flatMap(\.parameters) }

    /// `[batch, D] -> [batch, D * outputsPerDimension]`.
    public func callAsFunction(_ x: Tensor) -> Tensor { callAsFunction(x, condition: nil) }

    public func callAsFunction(_ x: Tensor, condition: Tensor?) -> Tensor {
        var h = x
        if conditionDimension > 0 {
            guard let condition, condition.rank == 2, condition.shape[1] == conditionDimension else {
                preconditionFailure("MADE: expects a condition of shape [batch, \(conditionDimension)], got \(condition?.shape.description ?? "none")")
            }
            h = concat([x, condition], axis: 1)
        }
        return layers.reduce(h) { $1($0) }
    }
}

/// A masked autoregressive flow layer: a monotone map of each coordinate
/// whose parameters come from a MADE of the coordinates before it in the
/// order. The map is affine (a shift `mu_i` and log-scale `alpha_i`) or a
/// rational-quadratic spline (Durkan et al. 2019), one per coordinate.
///
/// - **MAF** (Papamakarios et al. 2017), data -> latent: for the affine map
///   `z_i = (x_i - mu_i(x_<i)) * exp(-alpha_i(x_<i))`, log|det| = -sum(alpha).
///   Density evaluation is one pass of the MADE; sampling is D passes.
/// - **IAF** (Kingma et al. 2016) is the same kind of map taken the other way
///   round: latent -> data is `x_i = (z_i - mu_i(z_<i)) * exp(-alpha_i(z_<i))`,
///   one pass of the MADE, so sampling is fast; evaluating a density is D
///   passes.
///
/// As in the coupling layers, the affine log-scale is bounded:
/// `alpha = tanh(raw)`, so one layer scales by at most e; depth gives range.
public final class MaskedAutoregressive: Bijector {
    public enum Direction: Sendable { case maf, iaf }

    /// The map applied to each coordinate.
    public enum Transform: Sendable, Equatable {
        /// `(x - mu) * exp(-alpha)`: two parameters per coordinate.
        case affine
        /// A rational-quadratic spline: `shape.parameterCount` per coordinate.
        case spline(SplineShape)

        public var parametersPerCoordinate: Int {
            switch self {
            case .affine: return 2
            case .spline(let shape): return shape.parameterCount
            }
        }
    }

    public let made: MADE
    public let direction: Direction
    public let transform: Transform

    public init(made: MADE, direction: Direction = .maf, transform: Transform = .affine) {
        precondition(made.outputsPerDimension == transform.parametersPerCoordinate,
                     "MaskedAutoregressive: the MADE gives \(made.outputsPerDimension) outputs per coordinate, the transform needs \(transform.parametersPerCoordinate)")
        self.made = made
        self.direction = direction
        self.transform = transform
    }

    /// A MADE with `hiddenLayers` layers of `hidden` units (ReLU).
    public convenience init(dimension: Int, hidden: Int, hiddenLayers: Int = 2, order: AutoregressiveOrder = .natural,
                            direction: Direction = .maf, transform: Transform = .affine, conditionDimension: Int = 0,
                            using rng: inout RandomGenerator) {
        self.init(made: MADE(dimension: dimension, hidden: Array(repeating: hidden, count: hiddenLayers),
                             outputsPerDimension: transform.parametersPerCoordinate, order: order,
                             conditionDimension: conditionDimension, using: &rng),
                  direction: direction, transform: transform)
    }

    public var parameters: [Tensor] { made.parameters }
    public var name: String {
        let kind = direction == .maf ? "MAF" : "IAF"
        if case .spline = transform { return kind + "-spline" }
        return kind
    }

    func check(_ x: Tensor) {
        precondition(x.rank == 2 && x.shape[1] == made.dimension,
                     "\(name): input \(x.shape) does not match \(made.dimension) coordinates (expected [batch, \(made.dimension)])")
    }

    /// The map of every coordinate of `v`, with parameters from the MADE of `u`
    /// (`inverse`: the map's inverse); the per-sample log|det|.
    func elementwise(_ v: Tensor, given u: Tensor, _ condition: Tensor?, inverse: Bool) -> (Tensor, Tensor) {
        let h = made(u, condition: condition)
        let n = v.shape[0], d = made.dimension
        switch transform {
        case .affine:
            let mu = h.slice(axis: 1, 0..<d), alpha = h.slice(axis: 1, d..<(2 * d)).tanh()
            return inverse ? (v * alpha.exp() + mu, alpha.sum(axis: 1)) : ((v - mu) * (-alpha).exp(), -alpha.sum(axis: 1))
        case .spline(let shape):
            return rationalQuadraticSpline(v, parameters: h.reshaped([n, shape.parameterCount, d]), shape: shape, inverse: inverse)
        }
    }

    /// `z = g(x; theta(x))` in one pass.
    func normalize(_ x: Tensor, _ condition: Tensor?) -> (Tensor, Tensor) {
        elementwise(x, given: x, condition, inverse: false)
    }

    /// The inverse of `normalize`, one coordinate at a time in the order; the
    /// log|det| is that of `normalize` at the result, negated (the parameters
    /// of coordinate i depend only on the coordinates before it, which were
    /// final when it was made).
    func generateSequentially(_ z: Tensor, _ condition: Tensor?) -> (Tensor, Tensor) {
        let d = made.dimension
        var x = Tensor.zeros(z.shape)
        for position in 0..<d {
            let i = made.positions.firstIndex(of: position)!
            var pick = [Float](repeating: 0, count: d)
            pick[i] = 1
            let e = Tensor(shape: [d], scalars: pick)
            x = x * (1 - e) + elementwise(z, given: x, condition, inverse: true).0 * e
        }
        return (x, -normalize(x, condition).1)
    }

    public func forward(_ x: Tensor, condition: Tensor?) -> (y: Tensor, logDet: Tensor) {
        check(x)
        switch direction {
        case .maf:
            return normalize(x, condition)
        case .iaf:
            return generateSequentially(x, condition)
        }
    }

    public func inverse(_ y: Tensor, condition: Tensor?) -> (x: Tensor, logDet: Tensor) {
        check(y)
        switch direction {
        case .maf:
            return generateSequentially(y, condition)
        case .iaf:
            return normalize(y, condition)
        }
    }
}
