import StableText

/// Serialising a figure.
extension Figure {
    /// The figure as a stand-alone SVG document (UTF-8 text).
    ///
    /// Element ids (for the title, description and clip paths) are derived
    /// from a hash of the figure's own markup, so several figures can share
    /// a page and the output stays deterministic.
    public func svg() -> String {
        let placeholder = "nbfig-@@"
        var w = SVGWriter()
        var root: [(String, String)] = [
            ("xmlns", "http://www.w3.org/2000/svg"), ("id", placeholder), ("class", "nbrun-figure"),
            ("width", c(width)), ("height", c(height)), ("viewBox", "0 0 \(c(width)) \(c(height))"),
            ("role", "img"), ("aria-labelledby", "\(placeholder)-title \(placeholder)-desc"),
            ("font-family", fontFamily),
        ]
        if style == .light { root.append(("color", "#262626")) }
        w.open("svg", root)
        w.textElement("title", [("id", "\(placeholder)-title")], accessibleTitle)
        w.textElement("desc", [("id", "\(placeholder)-desc")], description ?? summary)
        switch style {
        case .adaptive:
            // Only matches when the SVG is its own document (an <img> or a file):
            // inline, `:root` is the page's <html>, whose colour the figure inherits.
            w.textElement("style", [], "@media (prefers-color-scheme: dark) { #\(placeholder):root { color: #e6e6e6; } }")
        case .light:
            w.element("rect", [("width", c(width)), ("height", c(height)), ("fill", "#ffffff")])
        }
        let pad = 6.0
        var top = pad
        if let title {
            w.textElement("text", [("x", c(width / 2)), ("y", c(pad + 15)), ("text-anchor", "middle"),
                                   ("font-size", "15"), ("fill", "currentColor")], title)
            top += 26
        }
        let cellW = (width - 2 * pad) / Double(columns), cellH = (height - top - pad) / Double(rows)
        for (i, panel) in panels.enumerated() {
            guard let ax = panel else { continue }
            let cell = Rect(x: pad + Double(i % columns) * cellW, y: top + Double(i / columns) * cellH,
                            width: cellW, height: cellH)
            ax.render(into: &w, cell: cell, id: "\(placeholder)-\(i)", style: style)
        }
        w.end("svg")
        let hash = StableHash.fnv1a64(w.output.utf8)
        let hex = String(hash, radix: 16)
        let id = "nbfig-" + String(repeating: "0", count: 16 - hex.count) + hex
        return w.output.replacingAll(placeholder, with: id)
    }

    /// The SVG bytes as UTF-8, for writing to a file.
    public func svgData() -> [UInt8] { Array(svg().utf8) }

    /// The `<title>`: the figure's title, else the panels' titles.
    var accessibleTitle: String {
        if let title { return title }
        let titles = allAxes.compactMap { $0.title }
        return titles.isEmpty ? "Figure" : titles.joined(separator: "; ")
    }

    /// A generated `<desc>`: what each panel draws and over which ranges.
    var summary: String {
        let described = allAxes.enumerated().map { i, ax in
            (allAxes.count > 1 ? "Panel \(i + 1)" : "Plot") + (ax.title.map { " \"\($0)\"" } ?? "") + ": " + ax.summary + "."
        }
        return described.isEmpty ? "An empty figure." : described.joined(separator: " ")
    }
}

/// A rectangle in SVG pixels, y downwards.
struct Rect {
    var x: Double, y: Double, width: Double, height: Double
    var maxX: Double { x + width }
    var maxY: Double { y + height }
    var midX: Double { x + width / 2 }
    var midY: Double { y + height / 2 }
}

extension String {
    /// Every occurrence of `target` replaced (no Foundation).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = ""
        var rest = self[...]
        while let r = rest.firstRange(of: target) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        out += rest
        return out
    }
}
