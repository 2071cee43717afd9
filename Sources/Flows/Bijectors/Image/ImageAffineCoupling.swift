/// Which entries of an image pass through a RealNVP coupling unchanged.
public enum ImageMask: Sendable, Equatable {
    /// Pixels with `(i + j + parity)` even pass through (RealNVP's spatial checkerboard).
    case checkerboard(parity: Int)
    /// The first half of the channels pass through (parity 0), or the second half (parity 1).
    case channel(parity: Int)

    /// The mask as `[1, C, H, W]` ones (pass through) and zeros (transformed).
    func tensor(channels c: Int, height h: Int, width w: Int) -> Tensor {
        var v = [Float](repeating: 0, count: c * h * w)
        for ch in 0..<c {
            for i in 0..<h {
                for j in 0..<w {
                    switch self {
                    case .checkerboard(let p): v[(ch * h + i) * w + j] = (i + j + p) % 2 == 0 ? 1 : 0
                    case .channel(let p): v[(ch * h + i) * w + j] = (ch < c / 2) == (p % 2 == 0) ? 1 : 0
                    }
                }
            }
        }
        return Tensor(shape: [1, c, h, w], scalars: v)
    }
}

/// RealNVP's affine coupling on images (Dinh et al. 2017), with a checkerboard
/// or channel mask `m` of fixed image size.
///
/// Data -> latent on `[batch, C, H, W]`, with `h = net(x * m)` (`CouplingConvNet`,
/// `C -> hidden -> 2C`), `shift = h[:, :C]` and a bounded scale
/// `scale = sigmoid(h[:, C:] + 2)` (the same choice as Glow: in (0, 1), starting
/// near 0.88):
///
///     y = x*m + (1 - m) * (x + shift) * scale,   log|det| = sum((1 - m) * log scale)
///
/// Inverse (latent -> data): `x = y*m + (1 - m) * (y / scale - shift)`. An
/// optional condition `[batch, conditionChannels]` reaches the net as constant channels.
public final class ImageAffineCoupling: Bijector {
    public let mask: ImageMask
    public let net: CouplingConvNet
    /// `[C, H, W]` of the images the mask was made for.
    public let imageShape: [Int]
    private let m: Tensor, notM: Tensor

    public init(mask: ImageMask, imageShape: [Int], hidden: Int, conditionChannels: Int = 0, using rng: inout RandomGenerator) {
        precondition(imageShape.count == 3 && imageShape.allSatisfy { $0 > 0 },
                     "ImageAffineCoupling: imageShape must be [C, H, W], got \(imageShape)")
        if case .channel = mask {
            precondition(imageShape[0] % 2 == 0, "ImageAffineCoupling: a channel mask needs an even number of channels, got \(imageShape)")
        }
        self.mask = mask
        self.imageShape = imageShape
        let c = imageShape[0]
        m = mask.tensor(channels: c, height: imageShape[1], width: imageShape[2])
        notM = 1 - m
        net = CouplingConvNet(inChannels: c, outChannels: 2 * c, hidden: hidden, conditionChannels: conditionChannels, using: &rng)
    }

    public var parameters: [Tensor] { net.parameters }
    public var name: String { "ImageAffineCoupling" }

    /// `(shift, -log scale)` restricted to the transformed entries, each `[batch, C, H, W]`.
    private func affine(_ xm: Tensor, _ condition: Tensor?) -> (shift: Tensor, negLogScale: Tensor) {
        let parts = net(xm, condition: condition, layer: name).chunked(2, axis: 1)
        // -log sigmoid(raw + 2) = softplus(-raw - 2).
        return (parts[0] * notM, (-2 - parts[1]).softplus() * notM)
    }

    private func check(_ x: Tensor) {
        precondition(x.rank == 4 && Array(x.shape.dims.dropFirst()) == imageShape,
                     "\(name): input \(x.shape) does not match the mask's image shape \(imageShape) (expected [batch, \(imageShape.map(String.init).joined(separator: ", "))])")
    }

    /// data -> latent.
    public func forward(_ x: Tensor, condition: Tensor?) -> (y: Tensor, logDet: Tensor) {
        check(x)
        let xm = x * m
        let (shift, negLogScale) = affine(xm, condition)
        let y = xm + (x + shift) * (-negLogScale).exp() * notM
        return (y, -sumPerSample(negLogScale))
    }

    /// latent -> data.
    public func inverse(_ y: Tensor, condition: Tensor?) -> (x: Tensor, logDet: Tensor) {
        check(y)
        let ym = y * m
        let (shift, negLogScale) = affine(ym, condition)
        let x = ym + (y * negLogScale.exp() - shift) * notM
        return (x, sumPerSample(negLogScale))
    }
}
