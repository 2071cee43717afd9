import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import Plots

/// Collects what the tests look at while parsing an SVG with XMLParser.
final class SVGProbe: NSObject, XMLParserDelegate {
    var elements: [String: Int] = [:]
    var texts: [String] = []
    var title = "", desc = ""
    var rootAttributes: [String: String] = [:]
    var ids: [String] = []
    private var stack: [String] = []
    private var text = ""

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if stack.isEmpty { rootAttributes = attributes }
        if let id = attributes["id"] { ids.append(id) }
        elements[name, default: 0] += 1
        stack.append(name)
        text = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "title" where stack.count == 2: title = text
        case "desc": desc = text
        case "text": texts.append(text)
        default: break
        }
        stack.removeLast()
        text = ""
    }

    static func parse(_ svg: String) -> (SVGProbe, Bool) {
        let probe = SVGProbe()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = probe
        let ok = parser.parse()
        return (probe, ok)
    }
}

@Test(arguments: Gallery.all.map(\.0))
func galleryFigureIsWellFormedAndAccessible(name: String) {
    let svg = Gallery.all.first { $0.0 == name }!.1().svg()
    let (probe, ok) = SVGProbe.parse(svg)
    #expect(ok, "\(name).svg is not well-formed XML")
    #expect(probe.rootAttributes["xmlns"] == "http://www.w3.org/2000/svg")
    #expect(probe.rootAttributes["role"] == "img")
    #expect(!probe.title.isEmpty && !probe.desc.isEmpty)
    let labelled = probe.rootAttributes["aria-labelledby"]?.split(separator: " ").map(String.init) ?? []
    #expect(labelled.count == 2 && labelled.allSatisfy { probe.ids.contains($0) })
    #expect(Set(probe.ids).count == probe.ids.count, "ids must be unique")
    #expect(probe.elements["text", default: 0] > 0, "text is real SVG text")
}

@Test func textIsEscapedAndDescribed() {
    var fig = Figure(width: 300, height: 200)
    fig.axes { ax in
        ax.line(x: [1.0, 2, 3], y: [1.0, 4, 9], label: "a < b & \"c\"")
        ax.title = "x<y> & 'z'"
        ax.xLabel = "step"
    }
    let svg = fig.svg()
    let (probe, ok) = SVGProbe.parse(svg)
    #expect(ok)
    #expect(probe.texts.contains("x<y> & 'z'"))
    #expect(probe.texts.contains("a < b & \"c\""))
    #expect(probe.title == "x<y> & 'z'")
    #expect(probe.desc.contains("line of 3 points"))
    #expect(probe.desc.contains("x axis \"step\""))
}

@Test func theSameFigureGivesTheSameBytes() {
    for (_, make) in Gallery.all {
        #expect(make().svg() == make().svg())
    }
    // Different figures get different ids, so they can share a page.
    let (a, _) = SVGProbe.parse(Gallery.scatterFigure().svg())
    let (b, _) = SVGProbe.parse(Gallery.lossCurves().svg())
    #expect(Set(a.ids).isDisjoint(with: Set(b.ids)))
}

@Test func styleControlsTheBackground() {
    var fig = Gallery.lossCurves()
    let adaptive = fig.svg()
    #expect(!adaptive.contains("fill=\"#ffffff\""))
    #expect(adaptive.contains("currentColor"))
    fig.style = .light
    let light = fig.svg()
    #expect(light.contains("<rect width=\"480\" height=\"340\" fill=\"#ffffff\"/>"))
    #expect(light.contains("color=\"#262626\""))
}

@Test func heatmapEmbedsADecodablePNG() throws {
    var fig = Figure(width: 300, height: 240)
    fig.axes { ax in ax.heatmap([0.0, 1, 2, 3, 4, 5], rows: 2, columns: 3, x: 0...3, y: 0...2, colorbar: false) }
    let svg = fig.svg()
    let prefix = "href=\"data:image/png;base64,"
    let start = try #require(svg.range(of: prefix)).upperBound
    let end = try #require(svg[start...].firstIndex(of: "\""))
    let bytes = try #require(Data(base64Encoded: String(svg[start..<end])))
    let png = try ReferenceDecoder.decode(Array(bytes))
    #expect(png.width == 3 && png.height == 2 && png.colorType == 2)
    // Top row of the image is the highest data row (values 3, 4, 5); 5 is the map's top.
    let v = Colormap.viridis.color(at: 1).rgba8
    #expect(Array(png.pixels[6..<9]) == [v.r, v.g, v.b])
    let lo = Colormap.viridis.color(at: 0).rgba8
    #expect(Array(png.pixels[9..<12]) == [lo.r, lo.g, lo.b])
}

@Test func smallFigureMatchesGolden() throws {
    var fig = Figure(width: 320, height: 220)
    fig.axes { ax in
        ax.scatter(x: [0.0, 1, 2, 3], y: [1.0, 0.5, 2, 1.5], classes: [0, 1, 0, 1], classNames: ["a", "b"])
        ax.line(x: [0.0, 3], y: [0.5, 2], color: .black, width: 1, dash: [4, 2], label: "fit")
        ax.title = "Golden"
        ax.xLabel = "x"
        ax.yLabel = "y"
    }
    try assertSnapshot(fig.svg(), named: "small.svg")
}

/// Compares `actual` with `Snapshots/<name>`; `RECORD_SNAPSHOTS=1` rewrites the file.
func assertSnapshot(_ actual: String, named name: String, filePath: String = #filePath) throws {
    let dir = URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
    let url = dir.appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try actual.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    let expected = try String(contentsOf: url, encoding: .utf8)
    #expect(actual == expected, "\(name) differs from its snapshot; re-record with RECORD_SNAPSHOTS=1 if the change is intended")
}

@Test func manyPointsRender() {
    var rng = SeededRandom(seed: 9)
    let xs = (0..<10_000).map { _ in rng.normal() }, ys = (0..<10_000).map { _ in rng.normal() }
    var fig = Figure(width: 640, height: 480)
    fig.axes { ax in ax.scatter(x: xs, y: ys, size: 3, alpha: 0.3) }
    let svg = fig.svg()
    #expect(svg.utf8.count < 10_000 * 60, "about 50 bytes per point")
}

@Test func degenerateInputsStillRender() {
    var figs: [Figure] = [Figure()]
    var f = Figure(width: 400, height: 300, rows: 2, columns: 3)
    f.axes { _ in }
    f.axes { ax in ax.scatter(x: [Double.nan], y: [1.0]) }
    f.axes { ax in ax.line(x: [1.0], y: [2.0], label: "one point") }
    f.axes { ax in ax.line(x: [0.0, 1, 2], y: [0.0, 0, 0]); ax.yScale = .log }
    f.axes { ax in ax.histogram([3.0, 3, 3], bins: 4) }
    f.axes { ax in
        ax.heatmap([Double](repeating: 1, count: 4), rows: 2, columns: 2, x: 0...1, y: 0...1)
        ax.contour([Double](repeating: 1, count: 4), rows: 2, columns: 2, x: 0...1, y: 0...1)
    }
    figs.append(f)
    var tiny = Figure(width: 1e-3, height: 1e6)
    tiny.axes { ax in ax.line(x: [1e-9, 2e-9], y: [1e12, 3e12]); ax.xLabel = "tiny" }
    figs.append(tiny)
    for fig in figs {
        let (_, ok) = SVGProbe.parse(fig.svg())
        #expect(ok)
    }
}

@Test func extremeTickLabelsUseScientificNotation() {
    #expect(Ticks.linearLabels([0, 1e6, 2e6]) == ["0", "1×10⁶", "2×10⁶"])
    #expect(Ticks.linearLabels([1e-5, 2e-5]) == ["1×10⁻⁵", "2×10⁻⁵"])
}

/// A legend that "best" places must avoid lines that cross every corner:
/// here a dense curve fills the lower half and a reference level runs along
/// the top, so only the middle of an edge (or the centre) is free.
@Test func bestLegendLeavesTheCornersWhenEveryCornerIsTaken() {
    var fig = Figure(width: 600, height: 400)
    fig.axes { ax in
        let xs = (0...400).map { Double($0) }
        ax.line(x: xs, y: xs.map { 0.6 * sin($0 / 5) }, label: "noisy curve")
        ax.line(x: xs, y: xs.map { -1 + 0.05 * cos($0 / 3) }, label: "floor")
        ax.line(x: [0, 400], y: [4, 4], label: "reference")
        ax.yLimits = -1.2...4.2
    }
    let svg = fig.svg()
    // The legend's frame is the first rect inside <g class="legend">.
    let legend = svg.components(separatedBy: "<g class=\"legend\">")[1]
    func attribute(_ name: String) -> Double {
        let rest = legend.components(separatedBy: " \(name)=\"")[1]
        return Double(rest.prefix { $0 != "\"" })!
    }
    let y = attribute("y"), height = attribute("height")
    // The plot spans roughly y = 30...360; the reference level is near the top
    // and the curves below the middle: the box must sit between them.
    #expect(y > 80, "legend at y = \(y) overlaps the reference level")
    #expect(y + height < 250, "legend at y = \(y)...\(y + height) overlaps the curves")
}

/// Ticks given by hand replace the automatic ones, on linear and log axes.
@Test func fixedTicksReplaceTheAutomaticOnes() {
    var fig = Figure(width: 500, height: 300)
    fig.axes { ax in
        ax.line(x: [1, 2, 4, 8, 16], y: [3, 2.5, 2.2, 2.1, 2])
        ax.xScale = .log
        ax.xTicks = [1, 2, 4, 8, 16, 64]          // 64 lies outside the limits
        ax.yTicks = [2, 2.5, 3]
    }
    let (probe, ok) = SVGProbe.parse(fig.svg())
    #expect(ok)
    for label in ["1", "2", "4", "8", "16", "2.0", "2.5", "3.0"] {
        #expect(probe.texts.contains(label), "tick label \(label) missing: \(probe.texts)")
    }
    #expect(!probe.texts.contains("10"), "an automatic decade tick is still drawn")
    #expect(!probe.texts.contains("64"))
}
