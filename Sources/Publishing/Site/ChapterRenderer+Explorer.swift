import Foundation
import ChapterExecution
import MyST
import StableText

/// An explorer cell on the page: `<figure class="explorer">` with a control
/// per parameter (a slider over its values, or a menu when they are not
/// numbers; a play button for the progression), the default combination's
/// outputs and caption in place (what a page without script, and print,
/// show), and every distinct frame in a `<template>`, with a JSON index from
/// each combination's key to its frame. The site's script swaps frames;
/// nothing is fetched, so the page works from `file://`.
extension ChapterRenderer {
    mutating func explorer(_ explore: Explore, frames: [String: ExploreFrame], cell: CodeCell, block: Block,
                           input: String, id: String) -> String {
        let grid = ExploreGrid(parameters: explore.parameters.map { .init(name: $0.name, values: $0.values, defaultIndex: $0.defaultIndex) },
                               progression: explore.progression)
        let number = numbering.numbers[block.range]
        let captionBlocks = cell.caption.map { Document.parse($0, file: document.file).blocks } ?? []
        let pageGlue = glue

        // Each frame's outputs and caption, rendered once per distinct frame.
        var distinct: [String: Int] = [:]
        var templates: [String] = []
        var index: [String: Int] = [:]
        var defaultHTML: String?
        let defaultKey = grid.frameKey(grid.defaults)
        for values in grid.frames {
            let key = grid.frameKey(values)
            guard let frame = frames[key] else { continue }
            glue = pageGlue.merging(frame.glue) { _, own in own }
            var output = CellOutput()
            output.stdout = frame.stdout
            output.stderr = frame.stderr
            output.displays = frame.displays
            output.error = frame.error
            let setting = zip(grid.parameters, values).map { "\($0.name) = \($1)" }.joined(separator: ", ")
            let body = cellOutputs(output, cell: cell, block: block, setting: setting)
            let caption = captionBlocks.isEmpty ? "" : captionHTML(number, captionBlocks)
            let html = "<div class=\"explorer-out\">\n\(body)</div>\n<div class=\"explorer-caption\">\(caption)</div>\n"
            if key == defaultKey { defaultHTML = body }
            if let n = distinct[html] { index[key] = n; continue }
            distinct[html] = templates.count
            index[key] = templates.count
            templates.append(html)
        }
        glue = pageGlue
        guard let defaultHTML else {
            report(.warning, .badDisplay, at: block.range, "the explorer has no outputs for its defaults (\(defaultKey))")
            return "<div class=\"cell\" data-language=\"swift\"\(id)>\n\(input)</div>\n"
        }

        // The default frame in place: its caption indexed for search.
        for block in captionBlocks { if case .paragraph(let c) = block.kind { self.index(text(c)) } }
        let defaultCaption = captionBlocks.isEmpty ? "" : captionHTML(number, captionBlocks)

        var controls = ""
        for p in grid.parameters {
            let name = Markup.escape(p.name)
            let values = p.values.map(Markup.escape).joined(separator: " ")
            let control = "explore-\(numbering.page)-\(cellIndex)-\(p.name)".replacingOccurrences(of: ".", with: "-")
            let numeric = p.values.allSatisfy { Double($0) != nil }
            controls += "<div class=\"explorer-param\">"
            if numeric {
                controls += "<label for=\"\(control)\">\(name)</label> "
                    + "<input type=\"range\" id=\"\(control)\" min=\"0\" max=\"\(p.values.count - 1)\" step=\"1\" value=\"\(p.defaultIndex)\" "
                    + "data-param=\"\(name)\" data-values=\"\(values)\" aria-valuetext=\"\(Markup.escape(p.defaultValue))\"> "
                    + "<output for=\"\(control)\">\(Markup.escape(p.defaultValue))</output>"
            } else {
                controls += "<label for=\"\(control)\">\(name)</label> <select id=\"\(control)\" data-param=\"\(name)\" data-values=\"\(values)\">"
                    + p.values.enumerated().map { "<option value=\"\($0.offset)\"\($0.offset == p.defaultIndex ? " selected" : "")>\(Markup.escape($0.element))</option>" }.joined()
                    + "</select>"
            }
            if p.name == grid.progression {
                controls += " <button type=\"button\" class=\"explorer-play\" data-param=\"\(name)\" aria-label=\"Play \(name) from the start\">Play</button>"
            }
            controls += "</div>\n"
        }
        let json = "{\"frames\":{" + index.sorted { $0.key < $1.key }.map { "\(SearchIndex.json($0.key)):\($0.value)" }.joined(separator: ",") + "}}"
        var html = "<figure class=\"explorer\"\(id) data-frames=\"\(templates.count)\" data-combinations=\"\(index.count)\">\n"
        html += input
        html += "<div class=\"explorer-controls\" role=\"group\" aria-label=\"Parameters\" hidden>\n\(controls)</div>\n"
        html += "<div class=\"cell-output explorer-frame\" aria-live=\"polite\">\n\(defaultHTML)</div>\n"
        html += templates.enumerated().map { "<template data-frame=\"\($0.offset)\">\($0.element)</template>\n" }.joined()
        html += "<script type=\"application/json\" class=\"explorer-index\">\(json)</script>\n"
        html += defaultCaption
        return html + "</figure>\n"
    }

    /// The caption's `<figcaption>`, without adding it to the search index.
    mutating func captionHTML(_ number: String?, _ caption: [Block]) -> String {
        let label = number.map { "<span class=\"caption-number\">Figure \($0).</span> " } ?? ""
        var html = ""
        for block in caption { if case .paragraph(let c) = block.kind { html += inlines(c) } }
        return "<figcaption>\(label)\(html)</figcaption>\n"
    }

    /// A caption as plain text, for alt text: roles resolved (references as
    /// their numbers, glue as its value), math as plain symbols.
    func captionText(_ caption: String) -> String {
        text(Document.parse(caption, file: document.file).blocks).split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
