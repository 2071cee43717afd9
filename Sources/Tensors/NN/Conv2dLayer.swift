#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A 2-D convolution layer (stride 1) on NCHW tensors.
public final class Conv2d: Layer {
    /// `[out, in, kh, kw]`.
    public var weight: Tensor
    public var bias: Tensor?
    public let padding: Int
    public let activation: Activation

    /// PyTorch's default initialisation; `padding` defaults to "same" for odd kernels.
    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, padding: Int? = nil, bias: Bool = true,
                activation: Activation = .identity, using rng: inout RandomGenerator) {
        let fanIn = inChannels * kernelSize * kernelSize
        weight = Tensor.kaimingUniform([outChannels, inChannels, kernelSize, kernelSize], fanIn: fanIn, using: &rng).requiringGrad()
        self.bias = bias ? Tensor.kaimingUniform([outChannels], fanIn: fanIn, using: &rng).requiringGrad() : nil
        self.padding = padding ?? kernelSize / 2
        self.activation = activation
    }

    public var parameters: [Tensor] { bias.map { [weight, $0] } ?? [weight] }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        conv2d(x, weight, bias, padding: padding, activation: activation)
    }
}

/// A convolution that starts at zero, with a learned per-channel output scale
/// `exp(logScaleFactor * logScale)`: Glow's last layer in a coupling network,
/// so that every coupling starts as the identity.
public final class ZeroConv2d: Layer {
    public var weight: Tensor
    public var bias: Tensor
    /// `[out]`, starts at zero.
    public var logScale: Tensor
    public let padding: Int
    public let logScaleFactor: Float

    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int = 3, logScaleFactor: Float = 3) {
        weight = Tensor.zeros([outChannels, inChannels, kernelSize, kernelSize]).requiringGrad()
        bias = Tensor.zeros([outChannels]).requiringGrad()
        logScale = Tensor.zeros([outChannels]).requiringGrad()
        padding = kernelSize / 2
        self.logScaleFactor = logScaleFactor
    }

    public var parameters: [Tensor] { [weight, bias, logScale] }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        let y = conv2d(x, weight, bias, padding: padding)
        let scale = (logScale * logScaleFactor).exp().reshaped([1, weight.shape[0], 1, 1])
        return y * scale
    }
}
