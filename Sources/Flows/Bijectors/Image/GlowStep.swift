/// One step of Glow: `ActNorm -> invertible 1x1 convolution -> GlowCoupling`,
/// on `[batch, C, H, W]` (data -> latent in that order; `inverse` runs them backwards).
public final class GlowStep: Bijector {
    public let actNorm: ActNorm
    /// `LUInvertibleConv1x1` (default) or `InvertibleConv1x1`.
    public let mixing: any Bijector
    public let coupling: GlowCoupling

    /// - Parameters:
    ///   - channels: `C`, even.
    ///   - hidden: width of the coupling network.
    ///   - conditionChannels: length of the coupling's condition vector, 0 for none.
    ///   - luDecomposed: the LU-parametrised 1x1 convolution (true) or the plain one.
    public init(channels: Int, hidden: Int, conditionChannels: Int = 0, luDecomposed: Bool = true,
                using rng: inout RandomGenerator) {
        actNorm = ActNorm(channels: channels)
        mixing = luDecomposed ? LUInvertibleConv1x1(channels: channels, using: &rng)
                              : InvertibleConv1x1(channels: channels, using: &rng)
        coupling = GlowCoupling(channels: channels, hidden: hidden, conditionChannels: conditionChannels, using: &rng)
    }

    private var layers: [any Bijector] { [actNorm, mixing, coupling] }
    public var parameters: [Tensor] { layers.flatMap { $0.parameters } }
    public var buffers: [Tensor] { layers.flatMap { $0.buffers } }
    public var name: String { "GlowStep" }

    /// data -> latent.
    public func forward(_ x: Tensor, condition: Tensor?) -> (y: Tensor, logDet: Tensor) {
        let (h1, l1) = actNorm.forward(x, condition: condition)
        let (h2, l2) = mixing.forward(h1, condition: condition)
        let (y, l3) = coupling.forward(h2, condition: condition)
        return (y, l1 + l2 + l3)
    }

    /// latent -> data.
    public func inverse(_ y: Tensor, condition: Tensor?) -> (x: Tensor, logDet: Tensor) {
        let (h2, l3) = coupling.inverse(y, condition: condition)
        let (h1, l2) = mixing.inverse(h2, condition: condition)
        let (x, l1) = actNorm.inverse(h1, condition: condition)
        return (x, l1 + l2 + l3)
    }
}
