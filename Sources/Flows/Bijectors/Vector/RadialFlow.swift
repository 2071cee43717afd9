/// The radial flow of Rezende & Mohamed (2015), in the generating direction
/// (latent -> data):
///
///     x = z + β h(r) (z - z₀),   h(r) = 1/(α + r),   r = |z - z₀|
///     log|det dx/dz| = (d - 1) log(1 + β h) + log(1 + β α / (α + r)²)
///
/// with `α = softplus(α')` and `β = -α + softplus(β')`, so that `β > -α` and the
/// map is invertible. The normalizing direction has a closed form: the data's
/// radius `ρ = |x - z₀| = r (1 + β/(α + r))` gives `r` as the positive root of
/// `r² + (α + β - ρ) r - αρ = 0`, and `z - z₀ = (x - z₀) r / ρ`.
public final class RadialFlow: Bijector {
    public var center: Tensor, alphaRaw: Tensor, betaRaw: Tensor
    public let dimension: Int

    public init(dimension: Int, using rng: inout RandomGenerator) {
        self.dimension = dimension
        center = Tensor.normal([dimension], std: 1, using: &rng).requiringGrad()
        alphaRaw = Tensor.normal([1], std: 0.1, using: &rng).requiringGrad()
        betaRaw = Tensor.normal([1], std: 0.1, using: &rng).requiringGrad()
    }

    public var parameters: [Tensor] { [center, alphaRaw, betaRaw] }
    public var name: String { "RadialFlow" }

    var alpha: Tensor { alphaRaw.softplus() }
    var beta: Tensor { -alpha + betaRaw.softplus() }

    func check(_ x: Tensor) {
        precondition(x.rank == 2 && x.shape[1] == dimension,
                     "RadialFlow: input \(x.shape) does not match dimension \(dimension) (expected [batch, \(dimension)])")
    }

    func logDet(r: Tensor, alpha a: Tensor, beta bt: Tensor) -> Tensor {
        let h = 1 / (a + r)
        return (1 + bt * h).log() * Float(dimension - 1) + (1 + bt * a * h.square()).log()
    }

    /// latent -> data, in closed form.
    public func inverse(_ z: Tensor, condition: Tensor?) -> (x: Tensor, logDet: Tensor) {
        check(z)
        let (a, bt) = (alpha, beta)
        let diff = z - center
        let r = (diff.square().sum(axis: 1) + 1e-12).sqrt()
        let x = z + (bt / (a + r)).reshaped(-1, 1) * diff
        return (x, logDet(r: r, alpha: a, beta: bt))
    }

    /// data -> latent, in closed form.
    public func forward(_ x: Tensor, condition: Tensor?) -> (y: Tensor, logDet: Tensor) {
        check(x)
        let (a, bt) = (alpha, beta)
        let diff = x - center
        let rho = (diff.square().sum(axis: 1) + 1e-12).sqrt()
        let p = a + bt - rho
        let r = ((p.square() + 4 * a * rho).sqrt() - p) * 0.5
        let z = center + (r / rho).reshaped(-1, 1) * diff
        return (z, -logDet(r: r, alpha: a, beta: bt))
    }
}
