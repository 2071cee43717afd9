#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Drawing each kind of mark in pixel space.
extension Axes {
    func draw(_ mark: Mark, into w: inout SVGWriter, frame f: Frame) {
        switch mark {
        case .scatter(let s):
            var attrs = [("fill", s.color.hexString), ("fill-opacity", c(s.alpha))]
            if s.edge { attrs += [("stroke", "currentColor"), ("stroke-opacity", "0.6"), ("stroke-width", "0.5")] }
            w.open("g", attrs)
            for i in s.x.indices {
                let px = f.x(s.x[i]), py = f.y(s.y[i])
                guard px.isFinite && py.isFinite else { continue }
                let r = (s.sizes?[i] ?? s.size) / 2
                w.element("circle", [("cx", c(px)), ("cy", c(py)), ("r", c(r))])
            }
            w.end("g")

        case .line(let l):
            let d = Self.pathData(zip(l.x, l.y).map { (f.x($0.0), f.y($0.1)) })
            guard !d.isEmpty else { return }
            var attrs = [("d", d), ("fill", "none"), ("stroke", l.color.hexString), ("stroke-width", c(l.width)),
                         ("stroke-linejoin", "round"), ("stroke-linecap", "round")]
            if l.alpha < 1 { attrs.append(("stroke-opacity", c(l.alpha))) }
            if let dash = l.dash { attrs.append(("stroke-dasharray", dash.map(c).joined(separator: " "))) }
            w.element("path", attrs)
            if l.markers {
                w.open("g", [("fill", l.color.hexString)])
                for (x, y) in zip(l.x, l.y) {
                    let px = f.x(x), py = f.y(y)
                    if px.isFinite && py.isFinite { w.element("circle", [("cx", c(px)), ("cy", c(py)), ("r", c(l.width + 1.25))]) }
                }
                w.end("g")
            }

        case .bars(let b):
            var d = ""
            let base = f.y(yScale == .log ? f.y.lower : 0)
            for i in b.heights.indices where b.heights[i] != 0 {
                let x0 = f.x(b.edges[i]), x1 = f.x(b.edges[i + 1]), y1 = f.y(b.heights[i])
                guard x0.isFinite && x1.isFinite && y1.isFinite && base.isFinite else { continue }
                d += "M\(c(x0)) \(c(base))V\(c(y1))H\(c(x1))V\(c(base))Z"
            }
            guard !d.isEmpty else { return }
            var attrs = [("d", d), ("fill", b.color.hexString), ("fill-opacity", c(b.alpha))]
            if b.outline { attrs += [("stroke", b.color.hexString), ("stroke-width", "1"), ("stroke-linejoin", "miter")] }
            w.element("path", attrs)

        case .heatmap(let h):
            let raster = RasterImage.heatmap(h.values, rows: h.rows, columns: h.columns, colormap: h.colormap, range: h.range)
            drawImage(raster, x: h.x, y: h.y, smooth: h.smooth, into: &w, frame: f)

        case .image(let i):
            drawImage(i.image, x: i.x, y: i.y, smooth: i.smooth, into: &w, frame: f)

        case .contour(let ct):
            let span = ct.range.upperBound - ct.range.lowerBound
            w.open("g", [("fill", "none"), ("stroke-width", c(ct.width)), ("stroke-linejoin", "round")])
            for level in ct.levels {
                let paths = ct.lines.filter { $0.level == level }
                guard !paths.isEmpty else { continue }
                var d = ""
                for path in paths { d += Self.pathData(path.points.map { (f.x($0.0), f.y($0.1)) }, closeLoops: true) }
                // Levels use the middle of the map (10 %...85 %): viridis' darkest purple
                // vanishes on dark pages and its brightest yellow on white ones.
                let t = span > 0 ? (level - ct.range.lowerBound) / span : 0.5
                let color = ct.color ?? ct.colormap.color(at: 0.1 + 0.75 * t)
                var attrs = [("d", d), ("stroke", color.hexString)]
                if color.alpha < 1 { attrs.append(("stroke-opacity", c(color.alpha))) }
                w.element("path", attrs)
            }
            w.end("g")

        case .trajectories(let t):
            drawTrajectories(t, into: &w, frame: f)
        }
    }

    func drawImage(_ image: RasterImage, x: ClosedRange<Double>, y: ClosedRange<Double>, smooth: Bool,
                   into w: inout SVGWriter, frame f: Frame) {
        let x0 = f.x(x.lowerBound), x1 = f.x(x.upperBound), y0 = f.y(y.upperBound), y1 = f.y(y.lowerBound)
        guard x0.isFinite && x1.isFinite && y0.isFinite && y1.isFinite else { return }
        var attrs = [("x", c(min(x0, x1))), ("y", c(min(y0, y1))), ("width", c(abs(x1 - x0))), ("height", c(abs(y1 - y0))),
                     ("preserveAspectRatio", "none")]
        if !smooth { attrs += [("image-rendering", "optimizeSpeed"), ("style", "image-rendering:pixelated")] }
        attrs.append(("href", image.pngDataURI()))
        w.element("image", attrs)
    }

    func drawTrajectories(_ t: TrajectoryMark, into w: inout SVGWriter, frame f: Frame) {
        var heads = ""
        if let e = t.endColor {
            // Under the paths, so the arrow heads stay visible on top of the dots.
            w.open("g", [("fill", e.hexString), ("fill-opacity", c(e.alpha))])
            for path in t.paths {
                guard let last = path.last.map({ (f.x($0.0), f.y($0.1)) }), last.0.isFinite && last.1.isFinite else { continue }
                w.element("circle", [("cx", c(last.0)), ("cy", c(last.1)), ("r", c(max(2.5, t.width * 2)))])
            }
            w.end("g")
        }
        w.open("g", [("fill", "none"), ("stroke", t.color.hexString), ("stroke-opacity", c(t.alpha)),
                     ("stroke-width", c(t.width)), ("stroke-linejoin", "round"), ("stroke-linecap", "round")])
        var starts: [(Double, Double)] = []
        for path in t.paths {
            var pts = path.map { (f.x($0.0), f.y($0.1)) }.filter { $0.0.isFinite && $0.1.isFinite }
            guard let first = pts.first, let last = pts.last else { continue }
            starts.append(first)
            if t.arrowHeads, pts.count >= 2 {
                // Direction of the last segment of visible length.
                var k = pts.count - 2
                while k > 0 && hypot(last.0 - pts[k].0, last.1 - pts[k].1) < 0.5 { k -= 1 }
                let dx = last.0 - pts[k].0, dy = last.1 - pts[k].1, len = hypot(dx, dy)
                if len >= 0.5 {
                    let ux = dx / len, uy = dy / len
                    let l = min(t.headSize, max(len * 0.8, t.headSize * 0.5)), hw = l * 0.42
                    let bx = last.0 - ux * l, by = last.1 - uy * l
                    heads += "M\(c(last.0)) \(c(last.1))L\(c(bx - uy * hw)) \(c(by + ux * hw))L\(c(bx + uy * hw)) \(c(by - ux * hw))Z"
                    // Stop the line inside the head so its end does not poke through the tip.
                    pts[pts.count - 1] = (bx + ux * l * 0.3, by + uy * l * 0.3)
                    if k < pts.count - 2 { pts.removeSubrange((k + 1)..<(pts.count - 1)) }
                }
            }
            let d = Self.pathData(pts)
            if !d.isEmpty { w.element("path", [("d", d)]) }
        }
        w.end("g")
        if !heads.isEmpty {
            w.element("path", [("d", heads), ("fill", t.color.hexString), ("fill-opacity", c(min(1, t.alpha + 0.15)))])
        }
        if t.showStartPoints {
            w.open("g", [("fill", t.color.hexString), ("fill-opacity", c(t.alpha))])
            for s in starts { w.element("circle", [("cx", c(s.0)), ("cy", c(s.1)), ("r", c(max(1.5, t.width * 1.2)))]) }
            w.end("g")
        }
    }

    /// `M x y L x y ...`, starting a new subpath after every non-finite point.
    static func pathData(_ pts: [(Double, Double)], closeLoops: Bool = false) -> String {
        var d = "", pen = false, count = 0
        var start: (Double, Double)? = nil
        for (x, y) in pts {
            guard x.isFinite && y.isFinite else { pen = false; continue }
            if !pen { start = (x, y); count = 0 }
            let closes = closeLoops && count > 1 && start.map { abs($0.0 - x) < 1e-6 && abs($0.1 - y) < 1e-6 } == true
            d += closes ? "Z" : (pen ? "L" : "M") + c(x) + " " + c(y)
            pen = !closes
            count += 1
        }
        return d
    }
}
