/// A fixed reordering of the channels of an image batch `[batch, C, H, W]`:
/// the cheap channel mixings that RealNVP used between couplings, and the
/// baselines Glow's 1x1 convolution is compared with.
///
/// Data -> latent: `y[n, k, i, j] = x[n, order[k], i, j]`; `inverse` applies the
/// inverse permutation exactly. A permutation has `|det| = 1`, so both
/// log-determinants are zero.
///
/// The order is kept in the buffer `order` (as floats), so it is saved and
/// loaded with the model's state: a shuffle drawn from the generator at
/// construction survives a round trip through a state file, whatever seed the
/// loading program used.
public final class ChannelPermutation: Bijector {
    /// `[C]`: `order[k]` is the input channel that becomes output channel `k`. Saved in state files.
    public let order: Tensor
    public let channels: Int

    /// `order[k]` is the input channel that becomes output channel `k`.
    public init(_ order: [Int]) {
        precondition(!order.isEmpty && Set(order) == Set(0..<order.count),
                     "ChannelPermutation: \(order) is not a permutation of 0..<\(order.count)")
        channels = order.count
        self.order = Tensor(order.map(Float.init))
    }

    /// The channels in reverse order (Glow's "reverse" baseline).
    public static func reverse(_ channels: Int) -> ChannelPermutation {
        ChannelPermutation(Array((0..<channels).reversed()))
    }

    /// A fixed random order drawn from `rng` (Glow's "shuffle" baseline).
    public static func shuffle(_ channels: Int, using rng: inout RandomGenerator) -> ChannelPermutation {
        ChannelPermutation(rng.permutation(channels))
    }

    public var parameters: [Tensor] { [] }
    public var buffers: [Tensor] { [order] }
    public var name: String { "ChannelPermutation" }

    /// The order as integers, read from the buffer (which loading may have replaced).
    public var indices: [Int] {
        let idx = order.scalars.map { Int($0.rounded()) }
        precondition(Set(idx) == Set(0..<channels), "ChannelPermutation: the stored order \(idx) is not a permutation")
        return idx
    }

    /// data -> latent: the channels reordered, log-det 0.
    public func forward(_ x: Tensor, condition: Tensor?) -> (y: Tensor, logDet: Tensor) {
        _ = checkImage(x, channels: channels, layer: name)
        return (x.gather(axis: 1, indices), zeroLogDet(x))
    }

    /// latent -> data: the inverse reordering, log-det 0.
    public func inverse(_ y: Tensor, condition: Tensor?) -> (x: Tensor, logDet: Tensor) {
        _ = checkImage(y, channels: channels, layer: name)
        var inv = [Int](repeating: 0, count: channels)
        for (k, o) in indices.enumerated() { inv[o] = k }
        return (y.gather(axis: 1, inv), zeroLogDet(y))
    }
}
