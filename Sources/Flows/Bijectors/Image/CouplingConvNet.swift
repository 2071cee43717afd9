/// The network inside Glow's and RealNVP's image couplings:
/// `Conv3x3(in -> hidden) - ReLU - Conv1x1(hidden -> hidden) - ReLU - ZeroConv3x3(hidden -> out)`.
///
/// The last convolution starts at zero with a learned output scale
/// `exp(3 * logScale)` (`ZeroConv2d`), so a coupling starts as a fixed
/// elementwise map. Class-conditional: when `conditionChannels > 0`, a condition
/// `[batch, conditionChannels]` (for example a one-hot label) is appended to the
/// input as constant channels, `[batch, in + conditionChannels, H, W]`.
public final class CouplingConvNet: Module {
    public let first: Conv2d
    public let middle: Conv2d
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
        middle = Conv2d(hidden, hidden, kernelSize: 1, activation: .relu, using: &rng)
        last = ZeroConv2d(hidden, outChannels, kernelSize: 3)
    }

    public var parameters: [Tensor] { first.parameters + middle.parameters + last.parameters }

    /// `[batch, in, H, W]` (+ condition `[batch, conditionChannels]`) -> `[batch, out, H, W]`.
    public func callAsFunction(_ x: Tensor, condition: Tensor?, layer: String) -> Tensor {
        last(middle(first(withCondition(x, condition, layer: layer))))
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
