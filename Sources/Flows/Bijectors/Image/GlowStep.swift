/// How a Glow step mixes its channels before the coupling.
public enum ChannelMixing: String, Sendable, CaseIterable {
    /// `LUInvertibleConv1x1`: a learned 1x1 convolution in LU form, log-det `H W sum(logS)` (Glow's default).
    case lu
    /// `InvertibleConv1x1`: a learned 1x1 convolution with a free weight, log-det `H W log|det W|`.
    case conv1x1
    /// `Permutation.reverse`: the channels in reverse order (RealNVP's fixed alternation), log-det 0.
    case reverse
    /// `Permutation.shuffle`: a fixed random order drawn from the generator, log-det 0.
    case shuffle
}

/// One step of Glow: `ActNorm -> invertible 1x1 convolution -> GlowCoupling`,
/// on `[batch, C, H, W]` (data -> latent in that order; `inverse` runs them backwards).
public final class GlowStep: Bijector {
    public let actNorm: ActNorm
    /// `LUInvertibleConv1x1` (default), `InvertibleConv1x1` or `Permutation`, as chosen by `mixingKind`.
    public let mixing: any Bijector
    /// Which channel mixing this step uses.
    public let mixingKind: ChannelMixing
    public let coupling: GlowCoupling

    /// - Parameters:
    ///   - channels: `C`, even.
    ///   - hidden: width of the coupling network.
    ///   - conditionChannels: length of the coupling's condition vector, 0 for none.
    ///   - mixing: the channel mixing between ActNorm and the coupling: `.lu` (default),
    ///     `.conv1x1`, `.reverse` or `.shuffle` (drawn from `rng`, saved with the state).
    public init(channels: Int, hidden: Int, conditionChannels: Int = 0, mixing: ChannelMixing = .lu,
                using rng: inout RandomGenerator) {
        actNorm = ActNorm(channels: channels)
        mixingKind = mixing
        switch mixing {
        case .lu: self.mixing = LUInvertibleConv1x1(channels: channels, using: &rng)
        case .conv1x1: self.mixing = InvertibleConv1x1(channels: channels, using: &rng)
        case .reverse: self.mixing = Permutation.reverse(channels)
        case .shuffle: self.mixing = Permutation.shuffle(channels, using: &rng)
        }
        coupling = GlowCoupling(channels: channels, hidden: hidden, conditionChannels: conditionChannels, using: &rng)
    }

    /// The same with `luDecomposed: true` for `.lu` and `false` for `.conv1x1`.
    public convenience init(channels: Int, hidden: Int, conditionChannels: Int = 0, luDecomposed: Bool,
                            using rng: inout RandomGenerator) {
        self.init(channels: channels, hidden: hidden, conditionChannels: conditionChannels,
                  mixing: luDecomposed ? .lu : .conv1x1, using: &rng)
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
