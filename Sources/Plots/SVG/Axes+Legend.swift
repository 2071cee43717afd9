#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The legend: one row per labelled series, placed in the emptiest corner.
extension Axes {
    enum SwatchKind { case marker(Double), line(Double, [Double]?), patch, arrow(Double) }

    struct LegendEntry {
        var label: String
        var kind: SwatchKind
        var color: Color
        var alpha: Double
    }

    var legendEntries: [LegendEntry] {
        marks.compactMap { m -> LegendEntry? in
            switch m {
            case .scatter(let s): return s.label.map { LegendEntry(label: $0, kind: .marker(s.size), color: s.color, alpha: max(s.alpha, 0.6)) }
            case .line(let l): return l.label.map { LegendEntry(label: $0, kind: .line(l.width, l.dash), color: l.color, alpha: l.alpha) }
            case .bars(let b): return b.label.map { LegendEntry(label: $0, kind: .patch, color: b.color, alpha: b.alpha) }
            case .contour(let ct):
                return ct.label.map { LegendEntry(label: $0, kind: .line(ct.width, nil), color: ct.color ?? ct.colormap.color(at: 0.5), alpha: 1) }
            case .trajectories(let t): return t.label.map { LegendEntry(label: $0, kind: .arrow(t.width), color: t.color, alpha: max(t.alpha, 0.6)) }
            case .heatmap, .image: return nil
            }
        }
    }

    /// Pixel positions of the data, for choosing the legend's corner.
    func dataPoints(_ f: Frame) -> [(Double, Double)] {
        var pts: [(Double, Double)] = []
        for m in marks {
            switch m {
            case .scatter(let s): pts += zip(s.x, s.y).map { (f.x($0.0), f.y($0.1)) }
            case .line(let l):
                let p = zip(l.x, l.y).map { (f.x($0.0), f.y($0.1)) }
                pts += p
                // Sample the segments too, so a steep line keeps the legend away.
                for i in p.indices.dropLast() {
                    let n = min(50, max(2, Int(hypot(p[i + 1].0 - p[i].0, p[i + 1].1 - p[i].1) / 6)))
                    for k in 1..<n {
                        let t = Double(k) / Double(n)
                        pts.append((p[i].0 + t * (p[i + 1].0 - p[i].0), p[i].1 + t * (p[i + 1].1 - p[i].1)))
                    }
                }
            case .bars(let b):
                // Bars are areas: sample each across its width and up its height.
                for i in b.heights.indices {
                    let x0 = f.x(b.edges[i]), x1 = f.x(b.edges[i + 1])
                    for x in [x0 + 1, (x0 + x1) / 2, x1 - 1] {
                        for k in 0...8 { pts.append((x, f.y(b.heights[i] * Double(k) / 8))) }
                    }
                }
            case .contour(let ct): for l in ct.lines { pts += l.points.map { (f.x($0.0), f.y($0.1)) } }
            case .trajectories(let t): for p in t.paths { pts += p.map { (f.x($0.0), f.y($0.1)) } }
            case .heatmap, .image: break
            }
        }
        return pts
    }

    func drawLegend(into w: inout SVGWriter, frame f: Frame, style: Figure.Style) {
        let entries = legendEntries
        guard !entries.isEmpty else { return }
        let font = 10.5, row = 17.0, pad = 7.0, swatch = 20.0, inset = 8.0
        let textW = entries.map { textWidth($0.label, size: font) }.max() ?? 0
        let bw = pad + swatch + 6 + textW + pad, bh = pad * 2 + row * Double(entries.count) - 4
        let p = f.plot
        let corners: [(LegendPosition, Double, Double)] = [
            (.upperRight, p.maxX - inset - bw, p.y + inset), (.upperLeft, p.x + inset, p.y + inset),
            (.lowerLeft, p.x + inset, p.maxY - inset - bh), (.lowerRight, p.maxX - inset - bw, p.maxY - inset - bh),
        ]
        var chosen = corners[0]
        if legend == .best {
            // The four corners first, then, as matplotlib's "best" does, the
            // middles of the edges and the centre: a line that crosses every
            // corner (a reference level, a long curve) leaves one of them free.
            let midX = p.x + (p.width - bw) / 2, midY = p.y + (p.height - bh) / 2
            let middles: [(LegendPosition, Double, Double)] = [
                (.best, p.maxX - inset - bw, midY), (.best, p.x + inset, midY),
                (.best, midX, p.y + inset), (.best, midX, p.maxY - inset - bh), (.best, midX, midY),
            ]
            let pts = dataPoints(f)
            var bestCount = Int.max
            for corner in corners + middles {
                // Points near the box count too: a legend touching the data reads as clutter.
                let m = 10.0
                let n = pts.filter { $0.0 >= corner.1 - m && $0.0 <= corner.1 + bw + m && $0.1 >= corner.2 - m && $0.1 <= corner.2 + bh + m }.count
                if n < bestCount { bestCount = n; chosen = corner }
            }
        } else if let c = corners.first(where: { $0.0 == legend }) {
            chosen = c
        }
        let x = chosen.1, y = chosen.2
        w.open("g", [("class", "legend")])
        var box: [(String, String)] = [("x", c(x)), ("y", c(y)), ("width", c(bw)), ("height", c(bh)), ("rx", "3"),
                                       ("stroke", "currentColor"), ("stroke-opacity", "0.22"), ("stroke-width", "0.8")]
        box.append(style == .light ? ("fill", "#ffffff") : ("fill", "none"))
        if style == .light { box.append(("fill-opacity", "0.85")) }
        w.element("rect", box)
        for (i, e) in entries.enumerated() {
            let cy = y + pad + row * Double(i) + row / 2 - 2
            let sx = x + pad
            switch e.kind {
            case .marker(let size):
                w.element("circle", [("cx", c(sx + swatch / 2)), ("cy", c(cy)), ("r", c(min(max(size / 2, 2.5), 5))),
                                     ("fill", e.color.hexString), ("fill-opacity", c(e.alpha))])
            case .line(let width, let dash):
                var a = [("d", "M\(c(sx)) \(c(cy))h\(c(swatch))"), ("stroke", e.color.hexString), ("stroke-width", c(width)),
                         ("stroke-linecap", "round")]
                if e.alpha < 1 { a.append(("stroke-opacity", c(e.alpha))) }
                if let dash { a.append(("stroke-dasharray", dash.map(c).joined(separator: " "))) }
                w.element("path", a)
            case .patch:
                w.element("rect", [("x", c(sx + 2)), ("y", c(cy - 5)), ("width", c(swatch - 4)), ("height", "10"),
                                   ("fill", e.color.hexString), ("fill-opacity", c(e.alpha))])
            case .arrow(let width):
                w.element("path", [("d", "M\(c(sx)) \(c(cy))h\(c(swatch - 6))"), ("stroke", e.color.hexString),
                                   ("stroke-width", c(max(width, 1.25))), ("stroke-opacity", c(e.alpha))])
                w.element("path", [("d", "M\(c(sx + swatch)) \(c(cy))l-7 -3v6Z"), ("fill", e.color.hexString),
                                   ("fill-opacity", c(e.alpha))])
            }
            w.textElement("text", [("x", c(sx + swatch + 6)), ("y", c(cy + font * 0.36)), ("font-size", c(font)),
                                   ("fill", "currentColor")], e.label)
        }
        w.end("g")
    }
}
