#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The planar flow of Rezende & Mohamed (2015), defined in the generating
/// direction (latent -> data):
///
///     x = z + û tanh(wᵀz + b),   log|det dx/dz| = log|1 + ûᵀw (1 - tanh²(wᵀz + b))|
///
/// with `û = u + (m(wᵀu) - wᵀu) w / |w|²` and `m(a) = -1 + softplus(a)`, so that
/// `wᵀû > -1` and the map is invertible for any parameters.
///
/// The normalizing direction (`forward`, data -> latent) has no closed form:
/// with `α = wᵀz`, the data fixes `wᵀx = α + wᵀû tanh(α + b)`, a strictly
/// increasing function of `α` whose root lies in `[wᵀx - |wᵀû|, wᵀx + |wᵀû|]`.
/// It is found by Newton steps safeguarded by bisection, which always
/// converges, and differentiated through the implicit function theorem.
public final class PlanarFlow: Bijector {
    public var w: Tensor, u: Tensor, b: Tensor
    public let dimension: Int

    /// Small random `w`, `u` (normal, std 0.1) and `b = 0`, as is usual.
    public init(dimension: Int, using rng: inout RandomGenerator) {
        self.dimension = dimension
        w = (Tensor.normal([dimension], std: 0.1, using: &rng)).requiringGrad()
        u = (Tensor.normal([dimension], std: 0.1, using: &rng)).requiringGrad()
        b = Tensor.zeros([1]).requiringGrad()
    }

    public var parameters: [Tensor] { [w, u, b] }
    public var name: String { "PlanarFlow" }

    /// `û`, the constrained `u`.
    public var uHat: Tensor {
        let wu = (w * u).sum()
        let m = wu.softplus() - 1
        return u + (m - wu) * w / (w.square().sum() + 1e-12)
    }

    func check(_ x: Tensor) {
        precondition(x.rank == 2 && x.shape[1] == dimension,
                     "PlanarFlow: input \(x.shape) does not match dimension \(dimension) (expected [batch, \(dimension)])")
    }

    /// latent -> data, in closed form.
    public func inverse(_ z: Tensor, condition: Tensor?) -> (x: Tensor, logDet: Tensor) {
        check(z)
        let uh = uHat
        let a = (z.matmul(w.reshaped(dimension, 1)).reshaped(-1) + b).tanh()      // [n]
        let x = z + a.reshaped(-1, 1) * uh
        let wu = (w * uh).sum()
        let logDet = (1 + wu * (1 - a.square())).abs().log()
        return (x, logDet)
    }

    /// data -> latent, by the safeguarded 1-D solve.
    public func forward(_ x: Tensor, condition: Tensor?) -> (y: Tensor, logDet: Tensor) {
        check(x)
        let uh = uHat
        let s = x.matmul(w.reshaped(dimension, 1)).reshaped(-1)   // wᵀx, [n]
        let c = (w * uh).sum().reshaped(1)                          // wᵀû, [1]
        let alpha = planarSolve(s: s, c: c, b: b)
        let a = (alpha + b).tanh()
        let z = x - a.reshaped(-1, 1) * uh
        let logDet = -(1 + c * (1 - a.square())).abs().log()
        return (z, logDet)
    }
}

/// Solves `α + c tanh(α + b) = s` for each entry of `s` (with `c > -1`), and
/// differentiates the root implicitly: with `g' = 1 + c sech²(α + b)`,
/// `dα/ds = 1/g'`, `dα/dc = -tanh(α + b)/g'`, `dα/db = -c sech²(α + b)/g'`.
func planarSolve(s: Tensor, c: Tensor, b: Tensor) -> Tensor {
    let cv = Double(c.item), bv = Double(b.item)
    precondition(cv > -1, "PlanarFlow: wᵀû = \(cv) must exceed -1 for the flow to be invertible")
    let roots = s.scalars.map { sv -> Float in
        let target = Double(sv)
        var lo = target - Swift.abs(cv) - 1e-9, hi = target + Swift.abs(cv) + 1e-9
        var alpha = target
        var previous = Double.infinity
        for _ in 0..<200 {
            let t = tanh(alpha + bv)
            let g = alpha + cv * t - target
            if Swift.abs(g) < 1e-12 { break }
            if g > 0 { hi = alpha } else { lo = alpha }
            var next = alpha - g / (1 + cv * (1 - t * t))
            // Bisect when Newton leaves the bracket, or when it does not halve the
            // residual (steep layers make it bounce between two points).
            if !(next > lo && next < hi) || Swift.abs(g) > 0.5 * previous { next = 0.5 * (lo + hi) }
            previous = Swift.abs(g)
            if Swift.abs(next - alpha) < 1e-13 { alpha = next; break }
            alpha = next
        }
        return Float(alpha)
    }
    let alpha = Tensor(roots)
    return Tensor.custom("planarSolve", value: alpha, inputs: [s, c, b]) { g in
        let t = (alpha + b).tanh()
        let sech2 = 1 - t.square()
        let inv = 1 / (1 + c * sech2)
        return [g * inv, (-(g * t * inv)).sum().reshaped(1), (-(g * c * sech2 * inv)).sum().reshaped(1)]
    }
}
