/// Glow's squeeze: every 2x2 block of pixels becomes four channels, so an image
/// `[batch, C, H, W]` becomes `[batch, 4C, H/2, W/2]` (data -> latent).
///
/// Channel `4c + 2dy + dx` of the output holds pixel `(2i + dy, 2j + dx)` of
/// input channel `c` (PyTorch's `view(b, c, h/2, 2, w/2, 2).permute(0, 1, 3, 5, 2, 4)`).
/// A permutation of the entries, so `log|det| = 0`. `inverse` (latent -> data)
/// puts the pixels back. H and W must be even.
public final class Squeeze: Bijector {
    public init() {}
    public var parameters: [Tensor] { [] }
    public var name: String { "Squeeze" }

    /// data -> latent: `[batch, C, H, W] -> [batch, 4C, H/2, W/2]`, log-det 0.
    public func forward(_ x: Tensor, condition: Tensor?) -> (y: Tensor, logDet: Tensor) {
        (squeezed(x, layer: name), zeroLogDet(x))
    }

    /// latent -> data: `[batch, 4C, H/2, W/2] -> [batch, C, H, W]`, log-det 0.
    public func inverse(_ y: Tensor, condition: Tensor?) -> (x: Tensor, logDet: Tensor) {
        (unsqueezed(y, layer: name), zeroLogDet(y))
    }
}

/// The reverse of `Squeeze`: four channels become a 2x2 block of pixels,
/// `[batch, 4C, H, W] -> [batch, C, 2H, 2W]` (data -> latent). The channel count must
/// be a multiple of 4.
public final class Unsqueeze: Bijector {
    public init() {}
    public var parameters: [Tensor] { [] }
    public var name: String { "Unsqueeze" }

    /// data -> latent: `[batch, 4C, H, W] -> [batch, C, 2H, 2W]`, log-det 0.
    public func forward(_ x: Tensor, condition: Tensor?) -> (y: Tensor, logDet: Tensor) {
        (unsqueezed(x, layer: name), zeroLogDet(x))
    }

    /// latent -> data: `[batch, C, 2H, 2W] -> [batch, 4C, H, W]`, log-det 0.
    public func inverse(_ y: Tensor, condition: Tensor?) -> (x: Tensor, logDet: Tensor) {
        (squeezed(y, layer: name), zeroLogDet(y))
    }
}

/// Space to channels, `[n, c, h, w] -> [n, 4c, h/2, w/2]`, differentiable.
func squeezed(_ x: Tensor, layer: String) -> Tensor {
    precondition(x.rank == 4, "\(layer): expected an image batch [batch, C, H, W], got \(x.shape)")
    let n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3]
    precondition(h % 2 == 0 && w % 2 == 0,
                 "\(layer): input \(x.shape) has an odd height or width; squeezing needs even H and W (pad or crop the images)")
    let order = squeezeOrder(c: c, h: h, w: w)
    return x.reshaped([n, c * h * w]).gather(axis: 1, order).reshaped([n, 4 * c, h / 2, w / 2])
}

/// Channels to space, `[n, 4c, h, w] -> [n, c, 2h, 2w]`, differentiable.
func unsqueezed(_ y: Tensor, layer: String) -> Tensor {
    precondition(y.rank == 4, "\(layer): expected an image batch [batch, C, H, W], got \(y.shape)")
    let n = y.shape[0], c4 = y.shape[1], h = y.shape[2], w = y.shape[3]
    precondition(c4 % 4 == 0, "\(layer): input \(y.shape) has \(c4) channels; unsqueezing needs a multiple of 4")
    let c = c4 / 4
    let order = squeezeOrder(c: c, h: 2 * h, w: 2 * w)
    var inverse = [Int](repeating: 0, count: order.count)
    for (i, o) in order.enumerated() { inverse[o] = i }
    return y.reshaped([n, c4 * h * w]).gather(axis: 1, inverse).reshaped([n, c, 2 * h, 2 * w])
}

/// For each entry of a squeezed sample (row-major `[4c, h/2, w/2]`), the flat
/// index of its source in the `[c, h, w]` image.
func squeezeOrder(c: Int, h: Int, w: Int) -> [Int] {
    var order: [Int] = []
    order.reserveCapacity(c * h * w)
    for ch in 0..<c {
        for dy in 0..<2 {
            for dx in 0..<2 {
                for i in 0..<(h / 2) {
                    for j in 0..<(w / 2) { order.append((ch * h + 2 * i + dy) * w + 2 * j + dx) }
                }
            }
        }
    }
    return order
}
