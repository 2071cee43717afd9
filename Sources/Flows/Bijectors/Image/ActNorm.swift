#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Activation normalisation (Glow, Kingma & Dhariwal 2018): a learned affine
/// map per channel, initialised from data.
///
/// Data -> latent: `y = (x + bias) * exp(logScale)`, per channel of an NCHW
/// image `[batch, C, H, W]` or per feature of a vector batch `[batch, C]`;
/// `log|det| = H * W * sum(logScale)` for images and `sum(logScale)` for vectors.
///
/// **Data-dependent initialisation.** The first call of `forward` sets
/// `bias = -mean` and `logScale = -log(std + 1e-6)` from that batch (mean and
/// unbiased standard deviation per channel, over the batch and spatial axes), so
/// the layer's output starts with zero mean and unit variance. Whether this has
/// happened is kept in the `initialized` buffer (0 or 1), which is saved with the
/// parameters: a loaded layer is not re-initialised. Initialise on one batch
/// before data-parallel training (`Tensor.meanLossBackward`), whose shards must
/// not each see a different first batch. `inverse` before initialisation uses
/// the identity (`bias = 0, logScale = 0`).
public final class ActNorm: Bijector, DataInitializable {
    /// `[C]`, starts at zero.
    public let bias: Tensor
    /// `[C]`, the log of the per-channel scale; starts at zero.
    public let logScale: Tensor
    /// `[1]`: 1 once the data-dependent initialisation has run, else 0.
    public let initialized: Tensor
    /// The number of channels (or features).
    public let channels: Int

    public init(channels: Int) {
        precondition(channels > 0, "ActNorm: channels must be positive, got \(channels)")
        self.channels = channels
        bias = Tensor.zeros([channels]).requiringGrad()
        logScale = Tensor.zeros([channels]).requiringGrad()
        initialized = Tensor.zeros([1])
    }

    public var parameters: [Tensor] { [bias, logScale] }
    public var buffers: [Tensor] { [initialized] }
    public var name: String { "ActNorm" }

    /// True once the data-dependent initialisation has run (or was loaded).
    public var isInitialized: Bool { initialized.item != 0 }

    /// data -> latent; initialises the layer from `x` on the first call.
    public func forward(_ x: Tensor, condition: Tensor?) -> (y: Tensor, logDet: Tensor) {
        let spatial = check(x)
        if !isInitialized { initialize(from: x) }
        let shape = x.rank == 4 ? [1, channels, 1, 1] : [1, channels]
        let y = (x + bias.reshaped(shape)) * logScale.exp().reshaped(shape)
        let logDet = (logScale.sum() * Float(spatial)).broadcast(to: [x.shape[0]])
        return (y, logDet)
    }

    /// latent -> data: `x = y * exp(-logScale) - bias`.
    public func inverse(_ y: Tensor, condition: Tensor?) -> (x: Tensor, logDet: Tensor) {
        let spatial = check(y)
        let shape = y.rank == 4 ? [1, channels, 1, 1] : [1, channels]
        let x = y * (-logScale).exp().reshaped(shape) - bias.reshaped(shape)
        let logDet = (logScale.sum() * Float(-spatial)).broadcast(to: [y.shape[0]])
        return (x, logDet)
    }

    /// Sets `bias` and `logScale` so that `forward(x)` has zero mean and unit
    /// (unbiased) standard deviation per channel, and marks the layer initialised.
    public func initialize(from x: Tensor) {
        _ = check(x)
        let (mean, std) = channelStatistics(x, channels: channels)
        bias.assign(Tensor(mean.map { Float(-$0) }))
        logScale.assign(Tensor(std.map { Float(-log($0 + 1e-6)) }))
        initialized.assign(Tensor([1]))
    }

    /// Checks the input's shape; returns the number of positions per channel (H*W, or 1).
    private func check(_ x: Tensor) -> Int {
        precondition((x.rank == 4 || x.rank == 2) && x.shape[1] == channels,
                     "ActNorm: input \(x.shape) does not match \(channels) channels (expected [batch, \(channels), H, W] or [batch, \(channels)])")
        return x.rank == 4 ? x.shape[2] * x.shape[3] : 1
    }
}

/// Mean and unbiased standard deviation per channel of `[batch, C, H, W]`
/// (over the batch and the pixels) or per feature of `[batch, C]`, in Double:
/// the statistics of data-dependent initialisation (ActNorm, Scaling).
func channelStatistics(_ x: Tensor, channels: Int) -> (mean: [Double], std: [Double]) {
    let n = x.shape[0]
    let inner = x.rank == 4 ? x.shape[2] * x.shape[3] : 1
    let count = Double(n * inner)
    var mean = [Double](repeating: 0, count: channels)
    var sq = [Double](repeating: 0, count: channels)
    x.withUnsafeBufferPointer { p in
        for i in 0..<n {
            for c in 0..<channels {
                let row = (i * channels + c) * inner
                for k in 0..<inner { mean[c] += Double(p[row + k]) }
            }
        }
        for c in 0..<channels { mean[c] /= count }
        for i in 0..<n {
            for c in 0..<channels {
                let row = (i * channels + c) * inner
                for k in 0..<inner { let d = Double(p[row + k]) - mean[c]; sq[c] += d * d }
            }
        }
    }
    return (mean, sq.map { ($0 / Swift.max(count - 1, 1)).squareRoot() })
}
