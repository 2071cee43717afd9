/// Plain-language summaries of an axes, for the figure's `<desc>`.
extension Axes {
    var summary: String {
        var parts: [String] = []
        for m in marks {
            switch m {
            case .scatter(let s): parts.append("scatter of \(s.x.count) points" + (s.label.map { " (\($0))" } ?? ""))
            case .line(let l): parts.append("line of \(l.x.count) points" + (l.label.map { " (\($0))" } ?? ""))
            case .bars(let b): parts.append("histogram with \(b.heights.count) bins" + (b.label.map { " (\($0))" } ?? ""))
            case .heatmap(let h):
                parts.append("\(h.columns) by \(h.rows) heatmap, \(h.colormap.name) colour map from "
                             + "\(Ticks.shortest(h.range.lowerBound)) to \(Ticks.shortest(h.range.upperBound))")
            case .contour(let ct): parts.append("contour lines at \(ct.levels.count) levels")
            case .image(let i): parts.append("\(i.image.width) by \(i.image.height) pixel image")
            case .trajectories(let t): parts.append("\(t.paths.count) arrows" + (t.label.map { " (\($0))" } ?? ""))
            }
        }
        var s = parts.isEmpty ? "no data" : parts.joined(separator: ", ")
        if showAxes {
            let (ex, ey) = extents()
            let xl = Self.limits(ex, scale: xScale, fixed: xLimits), yl = Self.limits(ey, scale: yScale, fixed: yLimits)
            s += "; x axis" + (xLabel.map { " \"\($0)\"" } ?? "") + (xScale == .log ? " (log scale)" : "")
                + " from \(Ticks.shortest(xl.lowerBound)) to \(Ticks.shortest(xl.upperBound))"
            s += "; y axis" + (yLabel.map { " \"\($0)\"" } ?? "") + (yScale == .log ? " (log scale)" : "")
                + " from \(Ticks.shortest(yl.lowerBound)) to \(Ticks.shortest(yl.upperBound))"
        }
        return s
    }
}
