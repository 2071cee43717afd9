/// A piece of a model with trainable parameters.
///
/// Modules are classes: a parameter is one variable however many places hold
/// the module, and optimisers update parameters in place.
public protocol Module: AnyObject {
    /// Every trainable tensor of the module and its sub-modules, in a fixed order.
    var parameters: [Tensor] { get }
    /// State that is saved with the parameters but not trained (for example
    /// whether ActNorm has been initialised from data), in a fixed order.
    var buffers: [Tensor] { get }
}

extension Module {
    public var buffers: [Tensor] { [] }

    /// The number of trainable scalars.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

    /// Clears the gradients of every parameter.
    public func zeroGrad() { for p in parameters { p.zeroGrad() } }
}

/// A module that maps one tensor to another.
public protocol Layer: Module {
    func callAsFunction(_ x: Tensor) -> Tensor
}

/// Layers applied one after another.
public final class Sequential: Layer {
    public let layers: [any Layer]

    public init(_ layers: [any Layer]) { self.layers = layers }
    public init(@SequentialBuilder _ build: () -> [any Layer]) { self.layers = build() }

    public var parameters: [Tensor] { layers.flatMap { $0.parameters } }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        layers.reduce(x) { $1($0) }
    }
}

/// Builds the layer list of a `Sequential`, with loops and conditionals.
@resultBuilder public enum SequentialBuilder {
    public static func buildExpression(_ l: any Layer) -> [any Layer] { [l] }
    public static func buildBlock(_ parts: [any Layer]...) -> [any Layer] { parts.flatMap { $0 } }
    public static func buildArray(_ parts: [[any Layer]]) -> [any Layer] { parts.flatMap { $0 } }
    public static func buildOptional(_ p: [any Layer]?) -> [any Layer] { p ?? [] }
    public static func buildEither(first p: [any Layer]) -> [any Layer] { p }
    public static func buildEither(second p: [any Layer]) -> [any Layer] { p }
}

/// An activation as a layer with no parameters.
public final class ActivationLayer: Layer {
    public let apply: (Tensor) -> Tensor
    public init(_ apply: @escaping (Tensor) -> Tensor) { self.apply = apply }
    public var parameters: [Tensor] { [] }
    public func callAsFunction(_ x: Tensor) -> Tensor { apply(x) }

    public static var relu: ActivationLayer { ActivationLayer { $0.relu() } }
    public static var tanh: ActivationLayer { ActivationLayer { $0.tanh() } }
    public static var sigmoid: ActivationLayer { ActivationLayer { $0.sigmoid() } }
    public static func leakyRelu(_ slope: Float = 0.01) -> ActivationLayer { ActivationLayer { $0.leakyRelu(slope: slope) } }
    public static func elu(_ alpha: Float = 1) -> ActivationLayer { ActivationLayer { $0.elu(alpha: alpha) } }
}
