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
    var scratch = SplineKernel.Scratch(bins: shape.bins)
    jac.withUnsafeMutableBufferPointer { buffer in
        for r in 0..<n {
            var logDet: Double = 0
            for i in 0..<d {
                for k in 0..<p { scratch.raw[k] = Double(pv[(r * p + k) * d + i]) }
                let base = (r * d + i) * 2 * stride
                let (value, slope) = kernel.apply(Double(xv[r * d + i]), inverse: inverse, &scratch,
                                                  valueRow: buffer.baseAddress! + base, logSlopeRow: buffer.baseAddress! + base + stride)
                out[r * (d + 1) + i] = Float(value)
                logDet += slope
            }
            out[r * (d + 1) + d] = Float(logDet)
        }
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

    /// Working space for one coordinate, allocated once per call.
    struct Scratch {
        /// The raw parameters of the coordinate: widths, heights, inner derivatives.
        var raw: [Double]
        var sw: [Double], sh: [Double], w: [Double], h: [Double], gw: [Double], gh: [Double]
        var slope: [Double], xs: [Double], ys: [Double]

        init(bins k: Int) {
            raw = Array(repeating: 0, count: 3 * k - 1)
            sw = Array(repeating: 0, count: k); sh = sw; w = sw; h = sw; gw = sw; gh = sw
            slope = Array(repeating: 0, count: k + 1); xs = slope; ys = slope
        }
    }

    /// The value (forward: y = g(x); inverse: x = g⁻¹(y)) and its log-slope
    /// (log g'(x), or -log g'(x) for the inverse), for the raw parameters in
    /// `scratch.raw`. Writes the derivatives of each with respect to the
    /// input (index 0) and to the raw parameters (1...) into the two rows.
    func apply(_ input: Double, inverse: Bool, _ sc: inout Scratch,
               valueRow: UnsafeMutablePointer<Float>, logSlopeRow: UnsafeMutablePointer<Float>) -> (Double, Double) {
        let k = bins, stride = 3 * k
        valueRow.update(repeating: 0, count: stride)
        logSlopeRow.update(repeating: 0, count: stride)
        guard input >= -bound && input <= bound else {
            valueRow[0] = 1   // a linear tail: the identity
            return (input, 0)
        }
        // Widths and heights: softmax, floored, scaled to the interval.
        softmax(sc.raw, 0, into: &sc.sw)
        softmax(sc.raw, k, into: &sc.sh)
        let widthScale = 2 * bound * (1 - minWidth * Double(k)), heightScale = 2 * bound * (1 - minHeight * Double(k))
        // Derivatives at the knots: 1 at the ends (to meet the tails).
        sc.slope[0] = 1; sc.slope[k] = 1
        for j in 1..<k { sc.slope[j] = minDerivative + softplus(sc.raw[2 * k + j - 1]) }
        sc.xs[0] = -bound; sc.ys[0] = -bound
        for j in 0..<k {
            sc.w[j] = 2 * bound * minWidth + widthScale * sc.sw[j]
            sc.h[j] = 2 * bound * minHeight + heightScale * sc.sh[j]
            sc.xs[j + 1] = sc.xs[j] + sc.w[j]; sc.ys[j + 1] = sc.ys[j] + sc.h[j]
        }
        sc.xs[k] = bound; sc.ys[k] = bound

        var b = 0
        if inverse {
            while b < k - 1 && input >= sc.ys[b + 1] { b += 1 }
        } else {
            while b < k - 1 && input >= sc.xs[b + 1] { b += 1 }
        }
        let wb = sc.w[b], hb = sc.h[b], s = hb / wb, d0 = sc.slope[b], d1 = sc.slope[b + 1]
        let c1 = d0 + d1 - 2 * s

        var xi: Double
        if inverse {
            let delta = input - sc.ys[b]
            let a = hb * (s - d0) + delta * c1, bq = hb * d0 - delta * c1, c = -s * delta
            let disc = Swift.max(bq * bq - 4 * a * c, 0)
            xi = 2 * c / (-bq - disc.squareRoot())
        } else {
            xi = (input - sc.xs[b]) / wb
        }
        xi = Swift.min(Swift.max(xi, 0), 1)
        let t = xi * (1 - xi)
        let num = s * xi * xi + d0 * t, den = s + c1 * t
        let f = num / den
        let m = d1 * xi * xi + 2 * s * t + d0 * (1 - xi) * (1 - xi)
        let value = sc.ys[b] + hb * f
        let logSlope = 2 * log(s) + log(m) - 2 * log(den)

        // Partial derivatives in (xi, s, d0, d1).
        let numXi = 2 * s * xi + d0 * (1 - 2 * xi), numS = xi * xi, numD0 = t
        let denXi = c1 * (1 - 2 * xi), denS = 1 - 2 * t, denD = t
        let den2 = den * den
        let fXi = (numXi * den - num * denXi) / den2
        let fS = (numS * den - num * denS) / den2
        let fD0 = (numD0 * den - num * denD) / den2
        let fD1 = -num * denD / den2
        let mXi = 2 * d1 * xi + 2 * s * (1 - 2 * xi) - 2 * d0 * (1 - xi)
        let mS = 2 * t, mD0 = (1 - xi) * (1 - xi), mD1 = xi * xi
        let lXi = mXi / m - 2 * denXi / den
        let lS = 2 / s + mS / m - 2 * denS / den
        let lD0 = mD0 / m - 2 * denD / den, lD1 = mD1 / m - 2 * denD / den

        // In (x, left knot x, width, left knot y, height, d0, d1), forward direction.
        var py = Partials(x: hb * fXi / wb, xk: -hb * fXi / wb, w: -hb * (fXi * xi + fS * s) / wb, yk: 1,
                          h: f + hb * fS / wb, d0: hb * fD0, d1: hb * fD1)
        var pl = Partials(x: lXi / wb, xk: -lXi / wb, w: -(lXi * xi + lS * s) / wb, yk: 0,
                          h: lS / wb, d0: lD0, d1: lD1)
        if inverse {
            // x = g⁻¹(y; θ): dx/dy = 1/g', dx/dθ = -(dg/dθ)/g'; the log-slope is -L(x(y; θ), θ).
            let gx = py.x, lx = pl.x
            let ix = Partials(x: 1 / gx, xk: -py.xk / gx, w: -py.w / gx, yk: -py.yk / gx, h: -py.h / gx,
                              d0: -py.d0 / gx, d1: -py.d1 / gx)
            pl = Partials(x: -lx * ix.x, xk: -(pl.xk + lx * ix.xk), w: -(pl.w + lx * ix.w), yk: -(pl.yk + lx * ix.yk),
                          h: -(pl.h + lx * ix.h), d0: -(pl.d0 + lx * ix.d0), d1: -(pl.d1 + lx * ix.d1))
            py = ix
        }
        write(py, bin: b, valueRow, &sc, widthScale: widthScale, heightScale: heightScale)
        write(pl, bin: b, logSlopeRow, &sc, widthScale: widthScale, heightScale: heightScale)
        return inverse ? (sc.xs[b] + xi * wb, -logSlope) : (value, logSlope)
    }

    /// Derivatives with respect to the input and the quantities of bin `b`.
    struct Partials { var x = 0.0, xk = 0.0, w = 0.0, yk = 0.0, h = 0.0, d0 = 0.0, d1 = 0.0 }

    /// Back to the raw parameters: the knots are running sums of widths and
    /// heights, which are a softmax of theirs; the derivatives a softplus.
    private func write(_ q: Partials, bin b: Int, _ row: UnsafeMutablePointer<Float>, _ sc: inout Scratch,
                       widthScale: Double, heightScale: Double) {
        let k = bins
        row[0] = Float(q.x)
        for j in 0..<k { sc.gw[j] = j < b ? q.xk : 0; sc.gh[j] = j < b ? q.yk : 0 }
        sc.gw[b] += q.w; sc.gh[b] += q.h
        var dotW = 0.0, dotH = 0.0
        for j in 0..<k { dotW += sc.gw[j] * sc.sw[j]; dotH += sc.gh[j] * sc.sh[j] }
        for j in 0..<k {
            row[1 + j] = Float(widthScale * sc.sw[j] * (sc.gw[j] - dotW))
            row[1 + k + j] = Float(heightScale * sc.sh[j] * (sc.gh[j] - dotH))
        }
        if b >= 1 { row[1 + 2 * k + b - 1] = Float(q.d0 * sigmoid(sc.raw[2 * k + b - 1])) }
        if b + 1 <= k - 1 { row[1 + 2 * k + b] = Float(q.d1 * sigmoid(sc.raw[2 * k + b])) }
    }

    private func softmax(_ v: [Double], _ start: Int, into out: inout [Double]) {
        var top = -Double.infinity
        for j in 0..<bins { top = Swift.max(top, v[start + j]) }
        var total = 0.0
        for j in 0..<bins { out[j] = exp(v[start + j] - top); total += out[j] }
        for j in 0..<bins { out[j] /= total }
    }

    private func softplus(_ v: Double) -> Double { v > 20 ? v : log1p(exp(v)) }
    private func sigmoid(_ v: Double) -> Double { 1 / (1 + exp(-v)) }
}
