/// A fixed reordering of axis 1: the features of a vector batch `[batch, d]`
/// or the channels of an image batch `[batch, C, H, W]`. The cheap mixings
/// put between coupling layers (NICE, RealNVP), and the baselines Glow's 1x1
/// convolution is compared with.
///
/// Data -> latent: `y[n, k, ...] = x[n, order[k], ...]`; `inverse` applies the
/// inverse permutation exactly. A permutation has `|det| = 1`, so both
/// log-determinants are zero.
///
/// The order is kept in the buffer `order` (as floats), so it is saved and
/// loaded with the model's state: a shuffle drawn from the generator at
/// construction survives a round trip through a state file, whatever seed the
/// loading program used.
public final class Permutation: Bijector {
    /// `[d]`: `order[k]` is the input feature that becomes output feature `k`. Saved in state files.
    public let order: Tensor
    /// The length of axis 1.
    public let count: Int

    /// `order[k]` is the input feature (or channel) that becomes output `k`.
    public init(_ order: [Int]) {
        precondition(!order.isEmpty && Set(order) == Set(0..<order.count),
                     "Permutation: \(order) is not a permutation of 0..<\(order.count)")
        count = order.count
        self.order = Tensor(order.map(Float.init))
    }

    /// The features (or channels) in reverse order.
    public static func reverse(_ count: Int) -> Permutation { Permutation(Array((0..<count).reversed())) }

    /// A fixed random order drawn from `rng`.
    public static func shuffle(_ count: Int, using rng: inout RandomGenerator) -> Permutation {
        Permutation(rng.permutation(count))
    }

    public var parameters: [Tensor] { [] }
    public var buffers: [Tensor] { [order] }
    public var name: String { "Permutation" }

    /// The order as integers, read from the buffer (which loading may have replaced).
    public var indices: [Int] {
        let idx = order.scalars.map { Int($0.rounded()) }
        precondition(Set(idx) == Set(0..<count), "Permutation: the stored order \(idx) is not a permutation")
        return idx
    }

    func check(_ x: Tensor) {
        precondition(x.rank >= 2 && x.shape[1] == count,
                     "Permutation: input \(x.shape) does not have \(count) features or channels on axis 1")
    }

    /// data -> latent: axis 1 reordered, log-det 0.
    public func forward(_ x: Tensor, condition: Tensor?) -> (y: Tensor, logDet: Tensor) {
        check(x)
        return (x.gather(axis: 1, indices), zeroLogDet(x))
    }

    /// latent -> data: the inverse reordering, log-det 0.
    public func inverse(_ y: Tensor, condition: Tensor?) -> (x: Tensor, logDet: Tensor) {
        check(y)
        var inv = [Int](repeating: 0, count: count)
        for (k, o) in indices.enumerated() { inv[o] = k }
        return (y.gather(axis: 1, inv), zeroLogDet(y))
    }
}
