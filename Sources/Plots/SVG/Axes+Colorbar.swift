/// The colour bar beside a heatmap: the map as a vertical gradient with ticks.
extension Axes {
    static let colorbarGap = 12.0, colorbarBar = 13.0

    func colorbarTicks(_ h: HeatmapMark, height: Double) -> [(Double, String)] {
        let t = Ticks.linear(h.range.lowerBound, h.range.upperBound, target: max(3, min(6, Int(height / 45))))
        return Array(zip(t, Ticks.linearLabels(t)))
    }

    /// Horizontal room the colour bar needs right of the plot.
    func colorbarWidth(_ h: HeatmapMark, height: Double) -> Double {
        let labels = colorbarTicks(h, height: height).map { textWidth($0.1, size: Self.tickFont) }.max() ?? 0
        return Self.colorbarGap + Self.colorbarBar + Self.tickLength + Self.tickPad + labels
            + (h.colorbarLabel == nil ? 0 : 6 + Self.labelFont)
    }

    func drawColorbar(_ h: HeatmapMark, into w: inout SVGWriter, frame f: Frame) {
        let p = f.plot
        let bar = Rect(x: p.maxX + Self.colorbarGap, y: p.y, width: Self.colorbarBar, height: p.height)
        var gradient = RasterImage(width: 1, height: h.colormap.count)
        for i in 0..<h.colormap.count {
            gradient[0, h.colormap.count - 1 - i] = h.colormap.color(at: (Double(i) + 0.5) / Double(h.colormap.count))
        }
        w.open("g", [("class", "colorbar")])
        w.element("image", [("x", c(bar.x)), ("y", c(bar.y)), ("width", c(bar.width)), ("height", c(bar.height)),
                            ("preserveAspectRatio", "none"), ("href", gradient.pngDataURI())])
        w.element("rect", [("x", c(bar.x)), ("y", c(bar.y)), ("width", c(bar.width)), ("height", c(bar.height)),
                           ("fill", "none"), ("stroke", "currentColor"), ("stroke-width", "0.8"), ("stroke-opacity", "0.85")])
        let map = AxisMap(scale: .linear, lower: h.range.lowerBound, upper: h.range.upperBound, from: bar.maxY, to: bar.y)
        let ticks = colorbarTicks(h, height: p.height)
        var d = ""
        for (v, _) in ticks { d += "M\(c(bar.maxX)) \(c(map(v)))h\(c(Self.tickLength))" }
        if !d.isEmpty {
            w.element("path", [("d", d), ("stroke", "currentColor"), ("stroke-width", "0.8"), ("stroke-opacity", "0.85")])
        }
        w.open("g", [("font-size", c(Self.tickFont)), ("fill", "currentColor")])
        for (v, label) in ticks {
            w.textElement("text", [("x", c(bar.maxX + Self.tickLength + Self.tickPad)), ("y", c(map(v) + Self.tickFont * 0.36))], label)
        }
        w.end("g")
        if let label = h.colorbarLabel {
            let labels = ticks.map { textWidth($0.1, size: Self.tickFont) }.max() ?? 0
            let x = bar.maxX + Self.tickLength + Self.tickPad + labels + 6 + Self.labelFont * 0.78
            w.textElement("text", [("transform", "translate(\(c(x)) \(c(bar.midY))) rotate(-90)"), ("text-anchor", "middle"),
                                   ("font-size", c(Self.labelFont)), ("fill", "currentColor")], label)
        }
        w.end("g")
    }
}
