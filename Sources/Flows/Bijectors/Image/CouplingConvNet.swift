/// The network inside Glow's and RealNVP's image couplings:
/// `Conv3x3(in -> hidden) - ReLU - Conv1x1(hidden -> hidden) - ReLU - ZeroConv3x3(hidden -> out)`.
///
/// The last convolution starts at zero with a learned output scale
/// `exp(3 * logScale)` (`ZeroConv2d`), so a coupling starts as a fixed
/// elementwise map. Class-conditional: when `conditionChannels > 0`, a condition
/// `[batch, conditionChannels]` (for example a one-hot label) is appended to the
/// input as constant channels, `[batch, in + conditionChannels, H, W]`.
///
/// The hidden activations are kept pixel-major (`[batch*H*W, hidden]`), where
/// the 1x1 convolution is a dense layer (`middle`, weight `[hidden, hidden]` as
/// input by output); see `conv2dToPixelMajor`.
public final class CouplingConvNet: Module {
    public let first: Conv2d
    /// The 1x1 convolution, applied to pixel-major rows.
    public let middle: Linear
    public let last: ZeroConv2d
    public let inChannels: Int
    public let conditionChannels: Int

    /// - Parameters:
    ///   - inChannels: image channels fed to the net.
    ///   - outChannels: channels produced (shift and raw scale together).
    ///   - hidden: width of the two hidden convolutions.
    ///   - conditionChannels: length of the condition vector, 0 for none.
    public init(inChannels: Int, outChannels: Int, hidden: Int, conditionChannels: Int = 0, using rng: inout RandomGenerator) {
        precondition(inChannels > 0 && outChannels > 0 && hidden > 0 && conditionChannels >= 0,
                     "CouplingConvNet: sizes must be positive, got \(inChannels) -> \(hidden) -> \(outChannels), condition \(conditionChannels)")
        self.inChannels = inChannels
        self.conditionChannels = conditionChannels
        first = Conv2d(inChannels + conditionChannels, hidden, kernelSize: 3, activation: .relu, using: &rng)
        middle = Linear(hidden, hidden, activation: .relu, using: &rng)
        last = ZeroConv2d(hidden, outChannels, kernelSize: 3)
    }

    public var parameters: [Tensor] { first.parameters + middle.parameters + last.parameters }

    /// `[batch, in, H, W]` (+ condition `[batch, conditionChannels]`) -> `[batch, out, H, W]`.
    public func callAsFunction(_ x: Tensor, condition: Tensor?, layer: String) -> Tensor {
        let input = withCondition(x, condition, layer: layer)
        let n = input.shape[0], h = input.shape[2], w = input.shape[3]
        let hidden = middle(conv2dToPixelMajor(input, first.weight, first.bias, activation: .relu))
        let out = conv2dFromPixelMajor(hidden, imageShape: [n, h, w], last.weight, last.bias)
        let scale = (last.logScale * last.logScaleFactor).exp().reshaped([1, last.weight.shape[0], 1, 1])
        return out * scale
    }

    private func withCondition(_ x: Tensor, _ condition: Tensor?, layer: String) -> Tensor {
        precondition(x.rank == 4 && x.shape[1] == inChannels,
                     "\(layer): the coupling net expects [batch, \(inChannels), H, W], got \(x.shape)")
        guard conditionChannels > 0 else { return x }
        guard let condition else {
            preconditionFailure("\(layer): a class-conditional layer needs a condition [batch, \(conditionChannels)], got none")
        }
        let n = x.shape[0], h = x.shape[2], w = x.shape[3]
        precondition(condition.shape == [n, conditionChannels],
                     "\(layer): condition \(condition.shape) does not match input \(x.shape) (expected [\(n), \(conditionChannels)])")
        let planes = condition.reshaped([n, conditionChannels, 1, 1]).broadcast(to: [n, conditionChannels, h, w])
        return concat([x, planes], axis: 1)
    }
}
