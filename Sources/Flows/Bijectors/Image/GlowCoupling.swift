/// Glow's affine coupling on images (Kingma & Dhariwal 2018): the first half of
/// the channels passes through and parametrises an affine map of the second.
///
/// Data -> latent on `[batch, C, H, W]`, with `a, b` the first and last `C/2`
/// channels and `h = net(a)` (`CouplingConvNet`, `C/2 -> hidden -> C`):
///
///     shift = h[:, 0::2],  scale = sigmoid(h[:, 1::2] + 2)
///     y = concat(a, (b + shift) * scale),   log|det| = sum(log scale)
///
/// The scale is bounded in (0, 1) and starts near `sigmoid(2) = 0.88` (the
/// last convolution starts at zero). Inverse (latent -> data):
/// `b = y_b / scale - shift`. With `conditionChannels > 0` the net also sees a
/// condition `[batch, conditionChannels]` (a one-hot class) as constant channels.
public final class GlowCoupling: Bijector {
    public let net: CouplingConvNet
    public let channels: Int
    private let shiftChannels: [Int], scaleChannels: [Int]

    public init(channels: Int, hidden: Int, conditionChannels: Int = 0, using rng: inout RandomGenerator) {
        precondition(channels >= 2 && channels % 2 == 0, "GlowCoupling: needs an even number of channels, got \(channels)")
        self.channels = channels
        net = CouplingConvNet(inChannels: channels / 2, outChannels: channels, hidden: hidden,
                              conditionChannels: conditionChannels, using: &rng)
        shiftChannels = Array(stride(from: 0, to: channels, by: 2))
        scaleChannels = Array(stride(from: 1, to: channels, by: 2))
    }

    public var parameters: [Tensor] { net.parameters }
    public var name: String { "GlowCoupling" }

    /// `(shift, -log scale)` for the second half, each `[batch, C/2, H, W]`.
    private func affine(_ a: Tensor, _ condition: Tensor?) -> (shift: Tensor, negLogScale: Tensor) {
        let h = net(a, condition: condition, layer: name)
        let raw = h.gather(axis: 1, scaleChannels)
        // -log sigmoid(raw + 2) = softplus(-raw - 2), stable for any raw.
        return (h.gather(axis: 1, shiftChannels), (-2 - raw).softplus())
    }

    /// data -> latent.
    public func forward(_ x: Tensor, condition: Tensor?) -> (y: Tensor, logDet: Tensor) {
        _ = checkImage(x, channels: channels, layer: name)
        let halves = x.chunked(2, axis: 1)
        let (shift, negLogScale) = affine(halves[0], condition)
        let b = (halves[1] + shift) * (-negLogScale).exp()
        return (concat([halves[0], b], axis: 1), -sumPerSample(negLogScale))
    }

    /// latent -> data.
    public func inverse(_ y: Tensor, condition: Tensor?) -> (x: Tensor, logDet: Tensor) {
        _ = checkImage(y, channels: channels, layer: name)
        let halves = y.chunked(2, axis: 1)
        let (shift, negLogScale) = affine(halves[0], condition)
        let b = halves[1] * negLogScale.exp() - shift
        return (concat([halves[0], b], axis: 1), sumPerSample(negLogScale))
    }
}
