/// Multi-scale RealNVP (Dinh, Sohl-Dickstein & Bengio 2017) as one bijector
/// from images to a flat latent: `[batch, C, H, W] -> [batch, C*H*W]`
/// (data -> latent).
///
/// Level `l` of `levels` works at the resolution it receives, `[C_l, H_l, W_l]`
/// (the data's at level 0). Every level but the last runs `couplings`
/// `ImageAffineCoupling`s with checkerboard masks of alternating parity, then
/// squeezes (2x2 space to channels, `[4 C_l, H_l/2, W_l/2]`), runs `couplings`
/// couplings with channel masks of alternating parity, and factors out the
/// second half of the channels: that half goes straight to the latent and the
/// first half, `[2 C_l, H_l/2, W_l/2]`, continues to the next level. The last
/// level runs `couplings + 1` checkerboard couplings and goes to the latent whole.
///
/// The latent is the concatenation of the factored parts (flattened, level 0
/// first) and the last level's output, so nothing is lost and `inverse`
/// (latent -> data) is exact. With a `StandardNormal(dimension: C*H*W)` base
/// every factored part gets RealNVP's standard normal prior:
///
/// ```swift
/// var rng = RandomGenerator(seed: 0)
/// let nvp = RealNVP(imageShape: [1, 8, 8], levels: 2, couplings: 3, hidden: 32, using: &rng)
/// let flow = nvp.flow()                      // Flow(base: StandardNormal(dimension: 64)) { nvp }
/// // level 0: 3 checkerboard couplings on [1, 8, 8], squeeze, 3 channel couplings on [4, 4, 4],
/// //          2 channels factored out; level 1: 4 checkerboard couplings on [2, 4, 4].
/// ```
///
/// H and W must be divisible by `2^(levels - 1)` (one squeeze per level but the
/// last). The couplings' scales are bounded (`sigmoid(raw + 2)`, see
/// `ImageAffineCoupling`); there is no batch normalisation, so inputs should be
/// roughly centred (for example after a `LogitTransform`). With
/// `conditionChannels > 0` every coupling network also sees the condition
/// `[batch, conditionChannels]`.
public final class RealNVP: Bijector {
    /// `[C, H, W]` of the data.
    public let imageShape: [Int]
    /// `checkerboard[l]`: the checkerboard couplings of level `l` (`couplings`, or `couplings + 1` at the last level).
    public let checkerboard: [[ImageAffineCoupling]]
    /// `channel[l]`: the channel couplings of level `l`, after its squeeze (empty at the last level).
    public let channel: [[ImageAffineCoupling]]
    /// `[C, H, W]` entering each level (where its checkerboard couplings work).
    public let levelShapes: [[Int]]
    public let conditionChannels: Int

    /// - Parameters:
    ///   - imageShape: `[C, H, W]` of the data.
    ///   - levels: `L`, the number of scales (`L - 1` squeezes and factor-outs).
    ///   - couplings: checkerboard couplings and channel couplings per level (the last level has `couplings + 1` checkerboard ones).
    ///   - hidden: width of the coupling networks (`CouplingConvNet`).
    ///   - conditionChannels: length of the condition vector (classes of a one-hot label), 0 for none.
    public init(imageShape: [Int], levels: Int, couplings: Int = 3, hidden: Int, conditionChannels: Int = 0,
                using rng: inout RandomGenerator) {
        precondition(imageShape.count == 3 && imageShape.allSatisfy { $0 > 0 },
                     "RealNVP: imageShape must be [C, H, W], got \(imageShape)")
        precondition(levels >= 1 && couplings >= 1 && hidden >= 1,
                     "RealNVP: levels, couplings and hidden must be positive, got \(levels), \(couplings), \(hidden)")
        let scale = 1 << (levels - 1)
        precondition(imageShape[1] % scale == 0 && imageShape[2] % scale == 0,
                     "RealNVP: height and width of \(imageShape) must be divisible by 2^(levels - 1) = \(scale) (one squeeze per level but the last)")
        self.imageShape = imageShape
        self.conditionChannels = conditionChannels
        var c = imageShape[0], h = imageShape[1], w = imageShape[2]
        var shapes: [[Int]] = [], boards: [[ImageAffineCoupling]] = [], channels: [[ImageAffineCoupling]] = []
        for l in 0..<levels {
            let last = l == levels - 1
            shapes.append([c, h, w])
            boards.append((0..<(last ? couplings + 1 : couplings)).map { k in
                ImageAffineCoupling(mask: .checkerboard(parity: k % 2), imageShape: [c, h, w], hidden: hidden,
                                    conditionChannels: conditionChannels, using: &rng)
            })
            if last {
                channels.append([])
            } else {
                c *= 4; h /= 2; w /= 2
                channels.append((0..<couplings).map { k in
                    ImageAffineCoupling(mask: .channel(parity: k % 2), imageShape: [c, h, w], hidden: hidden,
                                        conditionChannels: conditionChannels, using: &rng)
                })
                c /= 2
            }
        }
        checkerboard = boards
        channel = channels
        levelShapes = shapes
    }

    public var parameters: [Tensor] {
        zip(checkerboard, channel).flatMap { b, c in b.flatMap { $0.parameters } + c.flatMap { $0.parameters } }
    }
    public var name: String { "RealNVP" }

    /// The number of levels.
    public var levelCount: Int { levelShapes.count }

    /// The dimension of the latent: `C * H * W`.
    public var latentDimension: Int { imageShape.reduce(1, *) }

    /// A flow with this RealNVP and a standard normal base of dimension `C*H*W`.
    public func flow() -> Flow { Flow(base: StandardNormal(dimension: latentDimension), bijectors: [self]) }

    /// Entries per sample of each part of the latent, in order: the factored
    /// half of every level but the last, then the last level's output.
    public var latentSizes: [Int] {
        levelShapes.enumerated().map { l, s in
            l < levelCount - 1 ? s.reduce(1, *) / 2 : s.reduce(1, *)
        }
    }

    /// data -> latent: `[batch, C, H, W] -> ([batch, C*H*W], [batch])`.
    public func forward(_ x: Tensor, condition: Tensor?) -> (y: Tensor, logDet: Tensor) {
        precondition(x.rank == 4 && Array(x.shape.dims.dropFirst()) == imageShape,
                     "RealNVP: input \(x.shape) does not match the image shape \(imageShape) (expected [batch, \(imageShape.map(String.init).joined(separator: ", "))])")
        var h = x
        var logDet: Tensor? = nil
        var latents: [Tensor] = []
        func run(_ b: ImageAffineCoupling) {
            let (y, ld) = b.forward(h, condition: condition)
            h = y
            logDet = logDet.map { $0 + ld } ?? ld
        }
        for l in 0..<levelCount {
            checkerboard[l].forEach(run)
            if l < levelCount - 1 {
                h = squeezed(h, layer: name)
                channel[l].forEach(run)
                MultiScaleLatent.factorOut(&h, into: &latents)
            }
        }
        latents.append(h.flattened())
        return (MultiScaleLatent.join(latents), logDet!)
    }

    /// latent -> data: `[batch, C*H*W] -> ([batch, C, H, W], [batch])`. A latent
    /// of any other shape with `C*H*W` entries per sample is read as flattened.
    public func inverse(_ latent: Tensor, condition: Tensor?) -> (x: Tensor, logDet: Tensor) {
        let parts = MultiScaleLatent.split(latent, sizes: latentSizes, layer: name)
        var h = parts.last!.reshaped([latent.shape[0]] + levelShapes.last!)
        var logDet: Tensor? = nil
        func run(_ b: ImageAffineCoupling) {
            let (x, ld) = b.inverse(h, condition: condition)
            h = x
            logDet = logDet.map { $0 + ld } ?? ld
        }
        for l in stride(from: levelCount - 1, through: 0, by: -1) {
            if l < levelCount - 1 {
                h = MultiScaleLatent.restore(h, parts[l])
                channel[l].reversed().forEach(run)
                h = unsqueezed(h, layer: name)
            }
            checkerboard[l].reversed().forEach(run)
        }
        return (h, logDet!)
    }
}
