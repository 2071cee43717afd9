/// A dense layer `y = activation(x W + b)`.
///
/// `weight` is `[in, out]` and `bias` `[out]`; both start from PyTorch's default
/// (uniform in `±1/sqrt(in)`). The activation is fused into the layer's pass.
public final class Linear: Layer {
    public var weight: Tensor
    public var bias: Tensor?
    public let activation: Activation

    public init(_ inputs: Int, _ outputs: Int, bias: Bool = true, activation: Activation = .identity,
                using rng: inout RandomGenerator) {
        precondition(inputs > 0 && outputs > 0, "Linear: sizes must be positive, got \(inputs) -> \(outputs)")
        weight = Tensor.kaimingUniform([inputs, outputs], fanIn: inputs, using: &rng).requiringGrad()
        self.bias = bias ? Tensor.kaimingUniform([outputs], fanIn: inputs, using: &rng).requiringGrad() : nil
        self.activation = activation
    }

    /// A layer with given weights (`[in, out]`) and bias (`[out]`), as parameters.
    public init(weight: Tensor, bias: Tensor?, activation: Activation = .identity) {
        self.weight = weight.isParameter ? weight : weight.requiringGrad()
        self.bias = bias.map { $0.isParameter ? $0 : $0.requiringGrad() }
        self.activation = activation
    }

    public var inputSize: Int { weight.shape[0] }
    public var outputSize: Int { weight.shape[1] }

    public var parameters: [Tensor] { bias.map { [weight, $0] } ?? [weight] }

    /// `[batch, in] -> [batch, out]`.
    public func callAsFunction(_ x: Tensor) -> Tensor { linear(x, weight, bias, activation: activation) }
}

/// A multilayer perceptron: dense layers with a hidden activation between them
/// and an optional output activation.
public final class MLP: Layer {
    public let layers: [Linear]

    /// - Parameters:
    ///   - sizes: input size, hidden sizes..., output size (at least two entries).
    public init(_ sizes: [Int], hidden: Activation = .relu, output: Activation = .identity, using rng: inout RandomGenerator) {
        precondition(sizes.count >= 2, "MLP: needs at least an input and an output size, got \(sizes)")
        var ls: [Linear] = []
        for i in 0..<(sizes.count - 1) {
            let last = i == sizes.count - 2
            ls.append(Linear(sizes[i], sizes[i + 1], activation: last ? output : hidden, using: &rng))
        }
        layers = ls
    }

    public var parameters: [Tensor] { layers.flatMap { $0.parameters } }

    public func callAsFunction(_ x: Tensor) -> Tensor { layers.reduce(x) { $1($0) } }
}
