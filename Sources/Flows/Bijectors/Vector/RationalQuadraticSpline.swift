#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The shape of a monotone rational-quadratic spline (Durkan et al. 2019,
/// "Neural Spline Flows"): `bins` bins on `[-bound, bound]`, the identity
/// outside it (linear tails, slope 1 at the ends so the map is smooth there).
///
/// A network gives each coordinate `3 * bins - 1` unconstrained numbers:
/// `bins` widths and `bins` heights (a softmax each, so they fill the
/// interval), and the derivatives at the `bins - 1` inner knots (softplus,
/// so they are positive). The minimums keep bins from collapsing.
public struct SplineShape: Sendable, Equatable {
    public var bins: Int
    public var bound: Float
    public var minBinWidth: Float
    public var minBinHeight: Float
    public var minDerivative: Float

    public init(bins: Int = 8, bound: Float = 4, minBinWidth: Float = 1e-3, minBinHeight: Float = 1e-3,
                minDerivative: Float = 1e-3) {
        precondition(bins >= 2, "SplineShape: needs at least 2 bins, got \(bins)")
        precondition(bound > 0, "SplineShape: the bound must be positive, got \(bound)")
        precondition(minBinWidth * Float(bins) < 1 && minBinHeight * Float(bins) < 1,
                     "SplineShape: \(bins) bins of the minimum width do not fit")
        self.bins = bins; self.bound = bound
        self.minBinWidth = minBinWidth; self.minBinHeight = minBinHeight; self.minDerivative = minDerivative
    }

    /// The unconstrained numbers per coordinate: widths, heights, inner derivatives.
    public var parameterCount: Int { 3 * bins - 1 }
}

/// Applies a rational-quadratic spline to every coordinate of `x` (`[n, d]`),
/// each with its own knots from `parameters` (`[n, shape.parameterCount, d]`:
/// parameter-major, as MADE lays out its outputs). Returns the transformed
/// values and the per-sample log|det| (`[n]`); with `inverse`, the inverse
/// map and its log|det|.
///
/// One graph node: the kernel works each coordinate out in Double and keeps,
/// for the backward pass, the derivatives of the value and of the log-slope
/// with respect to the input and to every parameter.
public func rationalQuadraticSpline(_ x: Tensor, parameters: Tensor, shape: SplineShape,
                                    inverse: Bool = false) -> (y: Tensor, logDet: Tensor) {
    let n = x.shape[0], d = x.shape[1], p = shape.parameterCount
    precondition(x.rank == 2, "rationalQuadraticSpline: expects [batch, d], got \(x.shape)")
    precondition(parameters.shape.dims == [n, p, d],
                 "rationalQuadraticSpline: expects parameters of shape [\(n), \(p), \(d)], got \(parameters.shape)")
    let kernel = SplineKernel(shape)
    let xv = x.scalars, pv = parameters.scalars
    let stride = 1 + p   // the input's derivative, then the parameters'
    var out = [Float](repeating: 0, count: n * (d + 1))
    // Per coordinate: d value / d (input, params), then d log-slope / d (input, params).
    var jac = [Float](repeating: 0, count: n * d * 2 * stride)
    var raw = [Double](repeating: 0, count: p)
    for r in 0..<n {
        var logDet: Double = 0
        for i in 0..<d {
            for k in 0..<p { raw[k] = Double(pv[(r * p + k) * d + i]) }
            let base = (r * d + i) * 2 * stride
            let (value, slope) = jac.withUnsafeMutableBufferPointer { buffer in
                kernel.apply(Double(xv[r * d + i]), raw, inverse: inverse,
                             valueRow: UnsafeMutableBufferPointer(rebasing: buffer[base..<(base + stride)]),
                             logSlopeRow: UnsafeMutableBufferPointer(rebasing: buffer[(base + stride)..<(base + 2 * stride)]))
            }
            out[r * (d + 1) + i] = Float(value)
            logDet += slope
        }
        out[r * (d + 1) + d] = Float(logDet)
    }
    let packed = Tensor.custom("rationalQuadraticSpline", value: Tensor(shape: [n, d + 1], scalars: out),
                               inputs: [x, parameters]) { g in
        let gv = g.scalars
        var gx = [Float](repeating: 0, count: n * d), gp = [Float](repeating: 0, count: n * p * d)
        for r in 0..<n {
            let gl = gv[r * (d + 1) + d]
            for i in 0..<d {
                let gy = gv[r * (d + 1) + i]
                let base = (r * d + i) * 2 * stride
                gx[r * d + i] = gy * jac[base] + gl * jac[base + stride]
                for k in 0..<p {
                    gp[(r * p + k) * d + i] = gy * jac[base + 1 + k] + gl * jac[base + stride + 1 + k]
                }
            }
        }
        return [Tensor(shape: x.shape, scalars: gx), Tensor(shape: parameters.shape, scalars: gp)]
    }
    let parts = packed.split(axis: 1, sizes: [d, 1])
    return (parts[0], parts[1].reshaped([n]))
}

/// One coordinate of the spline and its derivatives.
struct SplineKernel {
    let bins: Int, bound: Double
    let minWidth: Double, minHeight: Double, minDerivative: Double

    init(_ shape: SplineShape) {
        bins = shape.bins; bound = Double(shape.bound)
        minWidth = Double(shape.minBinWidth); minHeight = Double(shape.minBinHeight)
        minDerivative = Double(shape.minDerivative)
    }

    /// The value (forward: y = g(x); inverse: x = g⁻¹(y)) and its log-slope
    /// (log g'(x), or -log g'(x) for the inverse). Writes the derivatives of
    /// each with respect to the input (index 0) and to the raw parameters
    /// (1...) into the two rows.
    func apply(_ input: Double, _ raw: [Double], inverse: Bool,
               valueRow: UnsafeMutableBufferPointer<Float>, logSlopeRow: UnsafeMutableBufferPointer<Float>) -> (Double, Double) {
        let k = bins
        for j in 0..<valueRow.count { valueRow[j] = 0; logSlopeRow[j] = 0 }
        guard input >= -bound && input <= bound else {
            valueRow[0] = 1   // a linear tail: the identity
            return (input, 0)
        }
        // Widths and heights: softmax, floored, scaled to the interval.
        let sw = softmax(raw[0..<k]), sh = softmax(raw[k..<(2 * k)])
        let widthScale = 2 * bound * (1 - minWidth * Double(k)), heightScale = 2 * bound * (1 - minHeight * Double(k))
        let w = sw.map { 2 * bound * minWidth + widthScale * $0 }
        let h = sh.map { 2 * bound * minHeight + heightScale * $0 }
        // Derivatives at the knots: 1 at the ends (to meet the tails).
        var slope = [Double](repeating: 1, count: k + 1)
        for j in 1..<k { slope[j] = minDerivative + softplus(raw[2 * k + j - 1]) }
        var xs = [Double](repeating: -bound, count: k + 1), ys = xs
        for j in 0..<k { xs[j + 1] = xs[j] + w[j]; ys[j + 1] = ys[j] + h[j] }
        xs[k] = bound; ys[k] = bound

        let knots = inverse ? ys : xs
        var b = 0
        while b < k - 1 && input >= knots[b + 1] { b += 1 }
        let wb = w[b], hb = h[b], s = hb / wb, d0 = slope[b], d1 = slope[b + 1]
        let c1 = d0 + d1 - 2 * s

        var xi: Double
        if inverse {
            let delta = input - ys[b]
            let a = hb * (s - d0) + delta * c1, bq = hb * d0 - delta * c1, c = -s * delta
            let disc = Swift.max(bq * bq - 4 * a * c, 0)
            xi = 2 * c / (-bq - disc.squareRoot())
        } else {
            xi = (input - xs[b]) / wb
        }
        xi = Swift.min(Swift.max(xi, 0), 1)
        let t = xi * (1 - xi)
        let num = s * xi * xi + d0 * t, den = s + c1 * t
        let f = num / den
        let m = d1 * xi * xi + 2 * s * t + d0 * (1 - xi) * (1 - xi)
        let value = ys[b] + hb * f
        let logSlope = 2 * log(s) + log(m) - 2 * log(den)

        // Partial derivatives in (xi, s, d0, d1).
        let numXi = 2 * s * xi + d0 * (1 - 2 * xi), numS = xi * xi, numD0 = t
        let denXi = c1 * (1 - 2 * xi), denS = 1 - 2 * t, denD = t
        let fXi = (numXi * den - num * denXi) / (den * den)
        let fS = (numS * den - num * denS) / (den * den)
        let fD0 = (numD0 * den - num * denD) / (den * den)
        let fD1 = -num * denD / (den * den)
        let mXi = 2 * d1 * xi + 2 * s * (1 - 2 * xi) - 2 * d0 * (1 - xi)
        let mS = 2 * t, mD0 = (1 - xi) * (1 - xi), mD1 = xi * xi
        let lXi = mXi / m - 2 * denXi / den
        let lS = 2 / s + mS / m - 2 * denS / den
        let lD0 = mD0 / m - 2 * denD / den, lD1 = mD1 / m - 2 * denD / den

        // In (x, left knot x, width, left knot y, height, d0, d1), forward direction.
        struct Partials { var x = 0.0, xk = 0.0, w = 0.0, yk = 0.0, h = 0.0, d0 = 0.0, d1 = 0.0 }
        var py = Partials(x: hb * fXi / wb, xk: -hb * fXi / wb, w: -hb * (fXi * xi + fS * s) / wb, yk: 1,
                          h: f + hb * fS / wb, d0: hb * fD0, d1: hb * fD1)
        var pl = Partials(x: lXi / wb, xk: -lXi / wb, w: -(lXi * xi + lS * s) / wb, yk: 0,
                          h: lS / wb, d0: lD0, d1: lD1)
        if inverse {
            // x = g⁻¹(y; θ): dx/dy = 1/g', dx/dθ = -(dg/dθ)/g'; the log-slope is -L(x(y; θ), θ).
            let gx = py.x, lx = pl.x
            func invert(_ a: Double) -> Double { -a / gx }
            let ix = Partials(x: 1 / gx, xk: invert(py.xk), w: invert(py.w), yk: invert(py.yk), h: invert(py.h),
                              d0: invert(py.d0), d1: invert(py.d1))
            pl = Partials(x: -lx * ix.x, xk: -(pl.xk + lx * ix.xk), w: -(pl.w + lx * ix.w), yk: -(pl.yk + lx * ix.yk),
                          h: -(pl.h + lx * ix.h), d0: -(pl.d0 + lx * ix.d0), d1: -(pl.d1 + lx * ix.d1))
            py = ix
        }

        // Back to the raw parameters: knots are running sums of widths and
        // heights, which are a softmax of theirs; derivatives a softplus.
        func write(_ q: Partials, _ row: UnsafeMutableBufferPointer<Float>) {
            row[0] = Float(q.x)
            var gw = [Double](repeating: 0, count: k), gh = gw
            for j in 0..<b { gw[j] = q.xk; gh[j] = q.yk }
            gw[b] += q.w; gh[b] += q.h
            let dotW = zip(gw, sw).reduce(0) { $0 + $1.0 * $1.1 }, dotH = zip(gh, sh).reduce(0) { $0 + $1.0 * $1.1 }
            for j in 0..<k {
                row[1 + j] = Float(widthScale * sw[j] * (gw[j] - dotW))
                row[1 + k + j] = Float(heightScale * sh[j] * (gh[j] - dotH))
            }
            if b >= 1 { row[1 + 2 * k + b - 1] = Float(q.d0 * sigmoid(raw[2 * k + b - 1])) }
            if b + 1 <= k - 1 { row[1 + 2 * k + b] = Float(q.d1 * sigmoid(raw[2 * k + b])) }
        }
        write(py, valueRow)
        write(pl, logSlopeRow)
        return inverse ? (xs[b] + xi * wb, -logSlope) : (value, logSlope)
    }

    private func softmax(_ v: ArraySlice<Double>) -> [Double] {
        let top = v.max() ?? 0
        let e = v.map { exp($0 - top) }
        let total = e.reduce(0, +)
        return e.map { $0 / total }
    }

    private func softplus(_ v: Double) -> Double { v > 20 ? v : log1p(exp(v)) }
    private func sigmoid(_ v: Double) -> Double { 1 / (1 + exp(-v)) }
}
