#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// RealNVP's affine coupling layer on vectors (Dinh et al. 2017).
///
/// With a binary mask `m`, data -> latent:
///
///     y = x*m + (1 - m) * (x * exp(s(x*m)) + t(x*m)),   log|det| = sum((1 - m) * s)
///
/// The scale is bounded: the scale network ends in `tanh`, so `s` lies in
/// (-1, 1) per step. This keeps early training stable; depth gives range.
/// Inverse (latent -> data): `x = y*m + (1 - m) * (y - t) * exp(-s)`.
public final class AffineCoupling: Bijector {
    public let mask: Mask
    public let scaleNet: any Layer
    public let translationNet: any Layer
    private let m: Tensor, notM: Tensor

    /// Scale and translation networks that map `[batch, d] -> [batch, d]`.
    public init(mask: Mask, scaleNet: any Layer, translationNet: any Layer) {
        self.mask = mask
        self.scaleNet = scaleNet
        self.translationNet = translationNet
        m = mask.tensor
        notM = mask.complementTensor
    }

    /// Two MLPs `d -> hidden (x layers) -> d` with ReLU; the scale net ends in tanh.
    public convenience init(mask: Mask, hidden: Int, hiddenLayers: Int = 2, using rng: inout RandomGenerator) {
        let d = mask.count
        let sizes = [d] + Array(repeating: hidden, count: hiddenLayers) + [d]
        self.init(mask: mask,
                  scaleNet: MLP(sizes, hidden: .relu, output: .tanh, using: &rng),
                  translationNet: MLP(sizes, hidden: .relu, output: .identity, using: &rng))
    }

    public var parameters: [Tensor] { scaleNet.parameters + translationNet.parameters }
    public var name: String { "AffineCoupling" }

    public func forward(_ x: Tensor, condition: Tensor?) -> (y: Tensor, logDet: Tensor) {
        mask.check(x, name)
        let xm = x * m
        let sRaw = scaleNet(xm), tRaw = translationNet(xm)
        return (affineCombine(x, sRaw, tRaw, mask.values), (sRaw * notM).sum(axis: 1))
    }

    public func inverse(_ y: Tensor, condition: Tensor?) -> (x: Tensor, logDet: Tensor) {
        mask.check(y, name)
        let ym = y * m
        let s = scaleNet(ym) * notM
        let t = translationNet(ym) * notM
        let x = ym + notM * ((y - t) * (-s).exp())
        return (x, -s.sum(axis: 1))
    }
}

/// `y = x` where the mask is 1, `y = x * exp(s) + t` where it is 0, in one
/// pass (one graph node instead of six); `s` and `t` are the networks' raw
/// outputs, `[batch, d]`.
func affineCombine(_ x: Tensor, _ s: Tensor, _ t: Tensor, _ mask: [Float]) -> Tensor {
    let n = x.shape[0], d = x.shape[1]
    let xv = x.scalars, sv = s.scalars, tv = t.scalars
    var e = [Float](repeating: 1, count: n * d)
    var y = xv
    for r in 0..<n {
        for j in 0..<d where mask[j] == 0 {
            let k = r * d + j
            e[k] = expf(sv[k])
            y[k] = xv[k] * e[k] + tv[k]
        }
    }
    let value = Tensor(shape: x.shape, scalars: y)
    return Tensor.custom("affineCombine", value: value, inputs: [x, s, t]) { g in
        let gv = g.scalars
        var gx = gv, gs = [Float](repeating: 0, count: n * d), gt = [Float](repeating: 0, count: n * d)
        for r in 0..<n {
            for j in 0..<d where mask[j] == 0 {
                let k = r * d + j
                gx[k] = gv[k] * e[k]
                gs[k] = gv[k] * xv[k] * e[k]
                gt[k] = gv[k]
            }
        }
        return [Tensor(shape: x.shape, scalars: gx), Tensor(shape: x.shape, scalars: gs), Tensor(shape: x.shape, scalars: gt)]
    }
}

/// NICE's additive coupling layer (Dinh et al. 2015): volume preserving,
/// `y = x*m + (1 - m) * (x + t(x*m))`, log|det| = 0.
public final class AdditiveCoupling: Bijector {
    public let mask: Mask
    public let net: any Layer
    private let m: Tensor, notM: Tensor

    public init(mask: Mask, net: any Layer) {
        self.mask = mask
        self.net = net
        m = mask.tensor
        notM = mask.complementTensor
    }

    /// An MLP `d -> hidden (x layers) -> d` with ReLU.
    public convenience init(mask: Mask, hidden: Int, hiddenLayers: Int = 4, using rng: inout RandomGenerator) {
        let d = mask.count
        self.init(mask: mask, net: MLP([d] + Array(repeating: hidden, count: hiddenLayers) + [d], using: &rng))
    }

    public var parameters: [Tensor] { net.parameters }
    public var name: String { "AdditiveCoupling" }

    public func forward(_ x: Tensor, condition: Tensor?) -> (y: Tensor, logDet: Tensor) {
        mask.check(x, name)
        let xm = x * m
        return (xm + notM * (x + net(xm)), zeroLogDet(x))
    }

    public func inverse(_ y: Tensor, condition: Tensor?) -> (x: Tensor, logDet: Tensor) {
        mask.check(y, name)
        let ym = y * m
        return (ym + notM * (y - net(ym)), zeroLogDet(y))
    }
}

/// NICE's diagonal scaling layer: `y = x * exp(s)`, log|det| = sum(s), with a
/// learned `s` per feature (starts at 0, or from data: `initialize(from:)`).
public final class Scaling: Bijector, DataInitializable {
    public var logScale: Tensor

    public init(dimension: Int) { logScale = Tensor.zeros([dimension]).requiringGrad() }

    public var parameters: [Tensor] { [logScale] }
    public var name: String { "Scaling" }

    /// Sets `s = -log(std)` per feature of `x` (unbiased), so that the
    /// layer's output starts with unit variance.
    public func initialize(from x: Tensor) {
        check(x)
        logScale.assign(Tensor(channelStatistics(x, channels: logScale.count).std.map { Float(-log($0 + 1e-6)) }))
    }

    func check(_ x: Tensor) {
        precondition(x.rank == 2 && x.shape[1] == logScale.count,
                     "Scaling: input \(x.shape) does not match \(logScale.count) features (expected [batch, \(logScale.count)])")
    }

    public func forward(_ x: Tensor, condition: Tensor?) -> (y: Tensor, logDet: Tensor) {
        check(x)
        return (x * logScale.exp(), logScale.sum() + zeroLogDet(x))
    }

    public func inverse(_ y: Tensor, condition: Tensor?) -> (x: Tensor, logDet: Tensor) {
        check(y)
        return (y * (-logScale).exp(), -logScale.sum() + zeroLogDet(y))
    }
}
