import Foundation
import Testing
@testable import Plots

/// Writes the gallery (SVG files and an HTML page showing them on light and
/// dark backgrounds) when `PLOTS_GALLERY` names a folder; otherwise checks
/// that every gallery figure renders.
@Test func galleryRenders() throws {
    let dir = ProcessInfo.processInfo.environment["PLOTS_GALLERY"]
    var html = "<!doctype html><meta charset=utf-8><style>body{margin:0;font-family:sans-serif}"
        + ".pane{padding:16px;display:flex;flex-wrap:wrap;gap:12px}.light{background:#fff;color:#1a1a1a}"
        + ".dark{background:#1b1d22;color:#e6e6e6}</style>"
    var cards = ""
    for (name, make) in Gallery.all + [("everything-light", { var f = Gallery.everything(); f.style = .light; return f })] {
        let svg = make().svg()
        #expect(svg.hasPrefix("<svg"))
        cards += "<div>" + svg + "</div>"
        if let dir {
            try svg.write(toFile: dir + "/" + name + ".svg", atomically: true, encoding: .utf8)
        }
    }
    html += "<div class='pane light'>" + cards + "</div><div class='pane dark'>" + cards + "</div>"
    if let dir {
        try html.write(toFile: dir + "/index.html", atomically: true, encoding: .utf8)
        // Rasters as PNG files: digit samples (scaled up 8x by repeating pixels) and a density.
        let digits = ImageGridRaster.render(Gallery.digits(), imageWidth: 8, imageHeight: 8, columns: 8)
        var big = RasterImage(width: digits.width * 8, height: digits.height * 8)
        for y in 0..<big.height { for x in 0..<big.width { big[x, y] = digits[x / 8, y / 8] } }
        try Data(big.png()).write(to: URL(fileURLWithPath: dir + "/digits.png"))
        let density = RasterImage.heatmap(Gallery.density(rows: 200, columns: 200), rows: 200, columns: 200)
        try Data(density.png()).write(to: URL(fileURLWithPath: dir + "/density.png"))
    }
}
