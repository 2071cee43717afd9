/// Multi-scale Glow (Kingma & Dhariwal 2018) as one bijector from images to a
/// flat latent: `[batch, C, H, W] -> [batch, C*H*W]` (data -> latent).
///
/// Level `l` of `levels` squeezes (2x2 space to channels), runs `steps`
/// `GlowStep`s, and, except for the last level, factors out the second half of
/// its channels: that half goes straight to the latent and the first half
/// continues. The latent is the concatenation of the factored parts (flattened,
/// level 0 first) and the last level's output, so nothing is lost and `inverse`
/// (latent -> data) is exact. With a `StandardNormal(dimension: C*H*W)` base
/// this is Glow's standard normal prior on every factored part:
///
/// ```swift
/// var rng = RandomGenerator(seed: 0)
/// let glow = Glow(imageShape: [1, 8, 8], levels: 2, steps: 8, hidden: 64, using: &rng)
/// let flow = glow.flow()                     // Flow(base: StandardNormal(dimension: 64)) { glow }
/// ```
///
/// H and W must be divisible by `2^levels`. With `conditionChannels > 0` every
/// coupling network also sees the condition `[batch, conditionChannels]` (for
/// example a one-hot digit class), so that samples can be drawn for a chosen class.
public final class Glow: Bijector {
    /// `[C, H, W]` of the data.
    public let imageShape: [Int]
    /// `levels[l]` holds the steps of level `l`.
    public let levels: [[GlowStep]]
    /// `[C, H, W]` inside each level (after its squeeze).
    public let levelShapes: [[Int]]
    public let conditionChannels: Int

    /// - Parameters:
    ///   - imageShape: `[C, H, W]` of the data.
    ///   - levels: `L`, the number of scales.
    ///   - steps: `K`, Glow steps per level.
    ///   - hidden: width of the coupling networks.
    ///   - conditionChannels: length of the condition vector (classes of a one-hot label), 0 for none.
    ///   - mixing: the channel mixing of every step: LU-parametrised 1x1 convolutions
    ///     (`.lu`, the default), plain ones (`.conv1x1`), or the fixed permutations
    ///     `.reverse` and `.shuffle` (a shuffle per step, drawn from `rng` and saved with the state).
    public init(imageShape: [Int], levels: Int, steps: Int, hidden: Int, conditionChannels: Int = 0,
                mixing: ChannelMixing = .lu, using rng: inout RandomGenerator) {
        precondition(imageShape.count == 3, "Glow: imageShape must be [C, H, W], got \(imageShape)")
        precondition(levels >= 1 && steps >= 1 && hidden >= 1, "Glow: levels, steps and hidden must be positive, got \(levels), \(steps), \(hidden)")
        let scale = 1 << levels
        precondition(imageShape[1] % scale == 0 && imageShape[2] % scale == 0,
                     "Glow: height and width of \(imageShape) must be divisible by 2^levels = \(scale)")
        self.imageShape = imageShape
        self.conditionChannels = conditionChannels
        var c = imageShape[0], h = imageShape[1], w = imageShape[2]
        var shapes: [[Int]] = [], all: [[GlowStep]] = []
        for l in 0..<levels {
            c *= 4; h /= 2; w /= 2
            shapes.append([c, h, w])
            all.append((0..<steps).map { _ in
                GlowStep(channels: c, hidden: hidden, conditionChannels: conditionChannels, mixing: mixing, using: &rng)
            })
            if l < levels - 1 { c /= 2 }
        }
        self.levels = all
        levelShapes = shapes
    }

    /// The same with `luDecomposed: true` for `.lu` and `false` for `.conv1x1`.
    public convenience init(imageShape: [Int], levels: Int, steps: Int, hidden: Int, conditionChannels: Int = 0,
                            luDecomposed: Bool, using rng: inout RandomGenerator) {
        self.init(imageShape: imageShape, levels: levels, steps: steps, hidden: hidden,
                  conditionChannels: conditionChannels, mixing: luDecomposed ? .lu : .conv1x1, using: &rng)
    }

    public var parameters: [Tensor] { levels.flatMap { $0.flatMap { $0.parameters } } }
    public var buffers: [Tensor] { levels.flatMap { $0.flatMap { $0.buffers } } }
    public var name: String { "Glow" }

    /// The dimension of the latent: `C * H * W`.
    public var latentDimension: Int { imageShape.reduce(1, *) }

    /// Entries per sample of each part of the latent, in order: the factored
    /// half of every level but the last, then the last level's output.
    public var latentSizes: [Int] {
        levelShapes.enumerated().map { l, s in
            l < levels.count - 1 ? s.reduce(1, *) / 2 : s.reduce(1, *)
        }
    }

    /// A flow with this Glow and a standard normal base of dimension `C*H*W`.
    public func flow() -> Flow { Flow(base: StandardNormal(dimension: latentDimension), bijectors: [self]) }

    /// data -> latent: `[batch, C, H, W] -> ([batch, C*H*W], [batch])`.
    public func forward(_ x: Tensor, condition: Tensor?) -> (y: Tensor, logDet: Tensor) {
        precondition(x.rank == 4 && Array(x.shape.dims.dropFirst()) == imageShape,
                     "Glow: input \(x.shape) does not match the image shape \(imageShape) (expected [batch, \(imageShape.map(String.init).joined(separator: ", "))])")
        var h = x
        var logDet: Tensor? = nil
        var latents: [Tensor] = []
        for (l, steps) in levels.enumerated() {
            h = squeezed(h, layer: name)
            for step in steps {
                let (y, ld) = step.forward(h, condition: condition)
                h = y
                logDet = logDet.map { $0 + ld } ?? ld
            }
            if l < levels.count - 1 { MultiScaleLatent.factorOut(&h, into: &latents) }
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
        for l in stride(from: levels.count - 1, through: 0, by: -1) {
            if l < levels.count - 1 { h = MultiScaleLatent.restore(h, parts[l]) }
            for step in levels[l].reversed() {
                let (x, ld) = step.inverse(h, condition: condition)
                h = x
                logDet = logDet.map { $0 + ld } ?? ld
            }
            h = unsqueezed(h, layer: name)
        }
        return (h, logDet!)
    }

    /// Runs the data-dependent initialisation of every ActNorm on `x` (one
    /// forward pass without gradients). Call once before data-parallel training.
    public func initialize(from x: Tensor, condition: Tensor? = nil) {
        _ = withoutGrad { forward(x, condition: condition) }
    }
}
