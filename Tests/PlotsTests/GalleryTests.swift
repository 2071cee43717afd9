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
    }
}
