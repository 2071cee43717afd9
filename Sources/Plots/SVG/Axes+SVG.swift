/// Drawing one axes: layout, grid, marks, spines, ticks, labels, legend, colour bar.
extension Axes {
    static let tickFont = 10.5, labelFont = 12.0, titleFont = 13.0
    static let tickLength = 3.5, tickPad = 3.5

    /// Pixel geometry of a laid-out axes.
    struct Frame {
        var plot: Rect
        var x: AxisMap, y: AxisMap
        var xTicks: [(Double, String)], yTicks: [(Double, String)]
        var xMinor: [Double], yMinor: [Double]
        var yTickWidth: Double
    }

    func layout(cell: Rect) -> Frame {
        let (ex, ey) = extents()
        let xl = Self.limits(ex, scale: xScale, fixed: xLimits)
        let yl = Self.limits(ey, scale: yScale, fixed: yLimits)
        let xTarget = max(3, min(tickCount, Int(cell.width / 70)))
        let yTarget = max(3, min(tickCount, Int(cell.height / 45)))
        let xt = ticks(xl, scale: xScale, target: xTarget, fixed: xTicks)
        let yt = ticks(yl, scale: yScale, target: yTarget, fixed: yTicks)
        let yTickWidth = showAxes ? (yt.major.map { textWidth($0.1, size: Self.tickFont) }.max() ?? 0) : 0

        var left = 4.0, bottom = 4.0, right = 10.0
        var top = title == nil ? 8.0 : Self.titleFont + 14
        if showAxes {
            left += yTickWidth + Self.tickLength + Self.tickPad
            bottom += Self.tickLength + Self.tickPad + Self.tickFont
            top = max(top, 8)
        } else {
            right = 4
        }
        if yLabel != nil { left += Self.labelFont + 6 }
        if xLabel != nil { bottom += Self.labelFont + 7 }
        if let h = colorbarSource { right += colorbarWidth(h, height: cell.height - top - bottom) }
        var plot = Rect(x: cell.x + left, y: cell.y + top,
                        width: max(cell.width - left - right, 10), height: max(cell.height - top - bottom, 10))
        if aspect == .equal {
            let dx = abs(xScale.transform(xl.upperBound) - xScale.transform(xl.lowerBound))
            let dy = abs(yScale.transform(yl.upperBound) - yScale.transform(yl.lowerBound))
            if dx > 0 && dy > 0 {
                let s = min(plot.width / dx, plot.height / dy)
                let w = dx * s, h = dy * s
                plot = Rect(x: plot.x + (plot.width - w) / 2, y: plot.y + (plot.height - h) / 2, width: w, height: h)
            }
        }
        return Frame(plot: plot,
                     x: AxisMap(scale: xScale, lower: xl.lowerBound, upper: xl.upperBound, from: plot.x, to: plot.maxX),
                     y: AxisMap(scale: yScale, lower: yl.lowerBound, upper: yl.upperBound, from: plot.maxY, to: plot.y),
                     xTicks: xt.major.filter { Self.inside($0.0, xl) }, yTicks: yt.major.filter { Self.inside($0.0, yl) },
                     xMinor: xt.minor.filter { Self.inside($0, xl) }, yMinor: yt.minor.filter { Self.inside($0, yl) },
                     yTickWidth: yTickWidth)
    }

    static func inside(_ v: Double, _ r: ClosedRange<Double>) -> Bool {
        let eps = (r.upperBound - r.lowerBound) * 1e-9
        return v >= r.lowerBound - eps && v <= r.upperBound + eps
    }

    func render(into w: inout SVGWriter, cell: Rect, id: String, style: Figure.Style) {
        let f = layout(cell: cell)
        let p = f.plot
        w.open("g", [("class", "axes")])

        // Grid under the data.
        if grid && showAxes {
            var d = ""
            for (v, _) in f.xTicks {
                let px = f.x(v)
                if abs(px - p.x) > 0.5 && abs(px - p.maxX) > 0.5 { d += "M\(c(px)) \(c(p.y))V\(c(p.maxY))" }
            }
            for (v, _) in f.yTicks {
                let py = f.y(v)
                if abs(py - p.y) > 0.5 && abs(py - p.maxY) > 0.5 { d += "M\(c(p.x)) \(c(py))H\(c(p.maxX))" }
            }
            if !d.isEmpty {
                w.element("path", [("d", d), ("fill", "none"), ("stroke", "currentColor"),
                                   ("stroke-opacity", "0.13"), ("stroke-width", "0.8")])
            }
        }

        // Marks, clipped to the plotting area.
        w.open("clipPath", [("id", id + "-clip")])
        w.element("rect", [("x", c(p.x)), ("y", c(p.y)), ("width", c(p.width)), ("height", c(p.height))])
        w.end("clipPath")
        w.open("g", [("clip-path", "url(#\(id)-clip)")])
        for m in marks { draw(m, into: &w, frame: f) }
        w.end("g")

        if showAxes { drawAxisLines(into: &w, frame: f) }

        // Labels and title.
        if let xLabel {
            let y = p.maxY + (showAxes ? Self.tickLength + Self.tickPad + Self.tickFont : 0) + 7 + Self.labelFont * 0.8
            w.textElement("text", [("x", c(p.midX)), ("y", c(y)), ("text-anchor", "middle"),
                                   ("font-size", c(Self.labelFont)), ("fill", "currentColor")], xLabel)
        }
        if let yLabel {
            let x = p.x - (showAxes ? Self.tickLength + Self.tickPad + f.yTickWidth : 0) - 6 - Self.labelFont * 0.22
            w.textElement("text", [("transform", "translate(\(c(x)) \(c(p.midY))) rotate(-90)"), ("text-anchor", "middle"),
                                   ("font-size", c(Self.labelFont)), ("fill", "currentColor")], yLabel)
        }
        if let title {
            w.textElement("text", [("x", c(p.midX)), ("y", c(p.y - 9)), ("text-anchor", "middle"),
                                   ("font-size", c(Self.titleFont)), ("fill", "currentColor")], title)
        }
        if legend != .none { drawLegend(into: &w, frame: f, style: style) }
        if let h = colorbarSource { drawColorbar(h, into: &w, frame: f) }
        w.end("g")
    }

    func drawAxisLines(into w: inout SVGWriter, frame f: Frame) {
        let p = f.plot
        let box = hasRaster
        var spines = "M\(c(p.x)) \(c(p.y))V\(c(p.maxY))H\(c(p.maxX))"
        if box { spines += "V\(c(p.y))Z" }
        w.element("path", [("d", spines), ("fill", "none"), ("stroke", "currentColor"), ("stroke-width", "0.8"),
                           ("stroke-linecap", "square"), ("stroke-opacity", "0.85")])
        var ticks = ""
        for (v, _) in f.xTicks { ticks += "M\(c(f.x(v))) \(c(p.maxY))v\(c(Self.tickLength))" }
        for (v, _) in f.yTicks { ticks += "M\(c(p.x)) \(c(f.y(v)))h\(c(-Self.tickLength))" }
        for v in f.xMinor { ticks += "M\(c(f.x(v))) \(c(p.maxY))v2" }
        for v in f.yMinor { ticks += "M\(c(p.x)) \(c(f.y(v)))h-2" }
        if !ticks.isEmpty {
            w.element("path", [("d", ticks), ("fill", "none"), ("stroke", "currentColor"), ("stroke-width", "0.8"),
                               ("stroke-opacity", "0.85")])
        }
        w.open("g", [("font-size", c(Self.tickFont)), ("fill", "currentColor")])
        let xBase = p.maxY + Self.tickLength + Self.tickPad + Self.tickFont * 0.76
        for (v, label) in f.xTicks {
            w.textElement("text", [("x", c(f.x(v))), ("y", c(xBase)), ("text-anchor", "middle")], label)
        }
        for (v, label) in f.yTicks {
            w.textElement("text", [("x", c(p.x - Self.tickLength - Self.tickPad)), ("y", c(f.y(v) + Self.tickFont * 0.36)),
                                   ("text-anchor", "end")], label)
        }
        w.end("g")
    }
}
