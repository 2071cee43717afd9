/// Resolving an axes' limits and ticks from its marks.
extension Axes {
    /// Data extent of the marks on one axis, with values that margins may not cross.
    struct Extent {
        var values: [Double] = []
        var sticky: [Double] = []
        var hasFree = false
    }

    func extents() -> (x: Extent, y: Extent) {
        var ex = Extent(), ey = Extent()
        func points(_ xs: [Double], _ ys: [Double]) {
            ex.values += xs; ey.values += ys; ex.hasFree = true; ey.hasFree = true
        }
        for m in marks {
            switch m {
            case .scatter(let s): points(s.x, s.y)
            case .line(let l): points(l.x, l.y)
            case .bars(let b):
                ex.values += [b.edges.first!, b.edges.last!]
                ey.values += b.heights + [0]
                ey.sticky.append(0)
                ex.hasFree = true; ey.hasFree = true
            case .heatmap(let h):
                ex.values += [h.x.lowerBound, h.x.upperBound]; ex.sticky += [h.x.lowerBound, h.x.upperBound]
                ey.values += [h.y.lowerBound, h.y.upperBound]; ey.sticky += [h.y.lowerBound, h.y.upperBound]
            case .image(let i):
                ex.values += [i.x.lowerBound, i.x.upperBound]; ex.sticky += [i.x.lowerBound, i.x.upperBound]
                ey.values += [i.y.lowerBound, i.y.upperBound]; ey.sticky += [i.y.lowerBound, i.y.upperBound]
            case .contour(let c):
                for l in c.lines { points(l.points.map { $0.0 }, l.points.map { $0.1 }) }
            case .trajectories(let t):
                for p in t.paths { points(p.map { $0.0 }, p.map { $0.1 }) }
            }
        }
        return (ex, ey)
    }

    /// Limits for one axis: fixed ones, or the data extent plus a 5 % margin
    /// (in the scale's linear space) that stops at sticky values.
    static func limits(_ e: Extent, scale: Scale, fixed: ClosedRange<Double>?) -> ClosedRange<Double> {
        if let fixed, fixed.upperBound > fixed.lowerBound { return fixed }
        let t = e.values.map(scale.transform).filter { $0.isFinite }
        guard var lo = t.min(), var hi = t.max() else { return scale == .log ? 1...10 : 0...1 }
        if hi - lo < 1e-12 {
            let pad = scale == .log ? 0.5 : max(abs(lo) * 0.05, 0.5)
            return scale.inverse(lo - pad)...scale.inverse(hi + pad)
        }
        let sticky = e.sticky.map(scale.transform)
        if e.hasFree {
            let m = 0.05 * (hi - lo)
            let loSticky = sticky.contains { abs($0 - lo) < 1e-12 }, hiSticky = sticky.contains { abs($0 - hi) < 1e-12 }
            if !loSticky { lo -= m }
            if !hiSticky { hi += m }
        }
        return scale.inverse(lo)...scale.inverse(hi)
    }

    /// Major ticks (positions and labels) and minor tick positions inside `limits`.
    func ticks(_ limits: ClosedRange<Double>, scale: Scale, target: Int,
               fixed: [Double]? = nil) -> (major: [(Double, String)], minor: [Double]) {
        if let fixed {
            let slack = (limits.upperBound - limits.lowerBound) * 1e-9
            let inside = fixed.filter { $0 >= limits.lowerBound - slack && $0 <= limits.upperBound + slack }.sorted()
            switch scale {
            case .linear: return (Array(zip(inside, Ticks.linearLabels(inside))), [])
            case .log:
                let positive = inside.filter { $0 > 0 }
                return (positive.map { ($0, Ticks.logLabel($0)) }, [])
            }
        }
        switch scale {
        case .linear:
            let t = Ticks.linear(limits.lowerBound, limits.upperBound, target: target)
            return (Array(zip(t, Ticks.linearLabels(t))), [])
        case .log:
            let t = Ticks.log(limits.lowerBound, limits.upperBound)
            let major = t.filter { $0.major }
            if major.count < 2 {
                // Less than a 1-2-5 step of range (a loss between 0.3 and 0.6): plain nice ticks.
                let lin = Ticks.linear(limits.lowerBound, limits.upperBound, target: max(3, target - 1)).filter { $0 > 0 }
                return (Array(zip(lin, Ticks.linearLabels(lin))), [])
            }
            return (major.map { ($0.value, Ticks.logLabel($0.value)) }, t.filter { !$0.major }.map { $0.value })
        }
    }

    /// The heatmap whose colour bar this axes shows, if any.
    var colorbarSource: HeatmapMark? {
        for m in marks { if case .heatmap(let h) = m, h.showColorbar { return h } }
        return nil
    }

    /// Whether the plot has raster content (drawn with a full frame).
    var hasRaster: Bool {
        marks.contains { if case .heatmap = $0 { return true }; if case .image = $0 { return true }; return false }
    }
}
