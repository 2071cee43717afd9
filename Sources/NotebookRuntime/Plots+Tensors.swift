@_exported import Plots

extension Figure: Displayable {
    public var display: Display { Display(mime: "image/svg+xml", data: svg()) }
}

/// Drawing tensors and flows: the adapters between the flow library and the
/// plain-array `Plots` API.
extension Axes {
    /// The points of an `[n, 2]` tensor.
    public mutating func scatter(_ points: Tensor, size: Double = 4, color: Color? = nil, alpha: Double = 0.6, label: String? = nil) {
        precondition(points.rank == 2 && points.shape[1] == 2, "scatter: expected points of shape [n, 2], got \(points.shape)")
        let v = points.scalars
        scatter(x: stride(from: 0, to: v.count, by: 2).map { v[$0] }, y: stride(from: 1, to: v.count, by: 2).map { v[$0] },
                size: size, color: color, alpha: alpha, label: label)
    }

    /// The density `exp(log p)` of a 2-D flow on a grid, as a heatmap with a
    /// colour bar (and optionally contour lines).
    public mutating func density(_ flow: Flow, x: ClosedRange<Double>, y: ClosedRange<Double>, resolution: Int = 120,
                                 contours: Bool = false, colorbarLabel: String? = "density") {
        let (values, rows, columns) = Self.grid(x: x, y: y, resolution: resolution) { flow.logProb($0) }
        let p = values.map { Double($0).isFinite ? libmExp(Double($0)) : 0 }
        heatmap(p, rows: rows, columns: columns, x: x, y: y, colorbarLabel: colorbarLabel)
        if contours { contour(p, rows: rows, columns: columns, x: x, y: y, color: Color.white.opacity(0.6)) }
    }

    /// An unnormalised target density `exp(log p*)` on a grid, as a heatmap.
    public mutating func density(_ target: any UnnormalizedDensity, x: ClosedRange<Double>, y: ClosedRange<Double>,
                                 resolution: Int = 120, colorbarLabel: String? = nil) {
        let (values, rows, columns) = Self.grid(x: x, y: y, resolution: resolution) { target.logDensity($0) }
        heatmap(values.map { libmExp(Double($0)) }, rows: rows, columns: columns, x: x, y: y, colorbarLabel: colorbarLabel)
    }

    /// How points move through a flow: `layers` as returned by `Flow.trajectory`
    /// (each `[n, 2]`, the input first).
    public mutating func trajectories(_ layers: [Tensor], color: Color? = nil, alpha: Double = 0.6, endColor: Color? = nil) {
        let paths = layers.map { t -> (x: [Float], y: [Float]) in
            precondition(t.rank == 2 && t.shape[1] == 2, "trajectories: expected layers of shape [n, 2], got \(t.shape)")
            let v = t.scalars
            return (stride(from: 0, to: v.count, by: 2).map { v[$0] }, stride(from: 1, to: v.count, by: 2).map { v[$0] })
        }
        trajectories(layers: paths, color: color, alpha: alpha, endColor: endColor)
    }

    /// Images of an `[n, 1, h, w]` (or `[n, h, w]`) tensor in a grid.
    public mutating func images(_ t: Tensor, columns: Int = 8, range: ClosedRange<Double> = 0...1) {
        precondition(t.rank == 3 || (t.rank == 4 && t.shape[1] == 1), "images: expected [n, 1, h, w] or [n, h, w], got \(t.shape)")
        let n = t.shape[0], h = t.shape[t.rank - 2], w = t.shape[t.rank - 1]
        let v = t.scalars
        imageGrid((0..<n).map { Array(v[($0 * h * w)..<(($0 + 1) * h * w)]) }, imageWidth: w, imageHeight: h, columns: columns, range: range)
    }

    /// Evaluates `f` on the centres of a `resolution x resolution` grid (row 0 at the bottom).
    static func grid(x: ClosedRange<Double>, y: ClosedRange<Double>, resolution: Int,
                     _ f: (Tensor) -> Tensor) -> ([Float], Int, Int) {
        let n = Swift.max(2, resolution)
        var pts: [Float] = []
        pts.reserveCapacity(2 * n * n)
        for r in 0..<n {
            let yy = y.lowerBound + (Double(r) + 0.5) * (y.upperBound - y.lowerBound) / Double(n)
            for c in 0..<n {
                let xx = x.lowerBound + (Double(c) + 0.5) * (x.upperBound - x.lowerBound) / Double(n)
                pts += [Float(xx), Float(yy)]
            }
        }
        let values = withoutGrad { f(Tensor(shape: [n * n, 2], scalars: pts)) }.scalars
        return (values, n, n)
    }
}

#if canImport(Glibc)
import Glibc
@inline(__always) func libmExp(_ x: Double) -> Double { Glibc.exp(x) }
#elseif canImport(Darwin)
import Darwin
@inline(__always) func libmExp(_ x: Double) -> Double { Darwin.exp(x) }
#endif
