import Foundation
import ChapterExecution
import MyST
import StableText

extension ChapterRenderer {
    public mutating func visitDirective(_ directive: Directive, block: Block) -> String {
        let id = numbering.anchors[block.range].map { " id=\"\($0)\"" } ?? ""
        switch directive.content {
        case .image(let image):
            return "<p class=\"image\"\(id)>\(self.image(image, range: block.range))</p>\n"
        case .code(let code):
            let caption = directive.option("caption")?.text
            let listing = codeBlock(code.code, language: code.language, id: caption == nil ? numbering.anchors[block.range] : nil)
            guard let caption else { return listing }
            return "<figure class=\"listing\"\(id)>\(listing)<figcaption>\(Markup.escape(caption))</figcaption></figure>\n"
        case .math(let math):
            return visitMath(math, block: block)
        case .table(let table):
            let number = numbering.numbers[block.range]
            var caption = ""
            if !table.caption.isEmpty || number != nil {
                let label = number.map { "<span class=\"caption-number\">Table \($0).</span> " } ?? ""
                caption = "<caption>\(label)\(inlines(table.caption))</caption>\n"
                index(text(table.caption))
            }
            return "<div class=\"table-wrap\"\(id)><table>\n\(caption)\(tableRows(table.table))</table></div>\n"
        case .glue(let glue, let caption):
            return gluedFigure(glue, caption: caption, block: block)
        case .container(let blocks):
            let name = Markup.escape(directive.name)
            let extra = directive.option("class").map { " " + Markup.escape($0.text) } ?? ""
            return "<div class=\"container \(name)\(extra)\"\(id)>\n\(visit(blocks))</div>\n"
        case .codeCell, .exercise, .solution, .admonition, .figure:
            return ""   // reached through their own visit methods
        case .unknown:
            return "<div class=\"unknown-directive\"\(id)><p class=\"admonition-title\">{\(Markup.escape(directive.name))}</p><pre>\(Markup.escape(directive.body))</pre></div>\n"
        }
    }

    public mutating func visitAdmonition(_ admonition: Admonition, directive: Directive, block: Block) -> String {
        let id = numbering.anchors[block.range].map { " id=\"\($0)\"" } ?? ""
        let kind = admonition.kind ?? "note"
        let title = admonition.title.map { inlines($0) } ?? Markup.escape(kind.prefix(1).uppercased() + kind.dropFirst())
        let classes = "admonition \(Markup.escape(kind))" + (admonition.className.map { " " + Markup.escape($0) } ?? "")
        let body = visit(admonition.content)
        if admonition.isDropdown {
            let open = directive.option("open") != nil ? " open" : ""
            return "<details class=\"\(classes) dropdown\"\(id)\(open)><summary>\(title)</summary>\n\(body)</details>\n"
        }
        return "<div class=\"\(classes)\" role=\"note\"\(id)>\n<p class=\"admonition-title\">\(title)</p>\n\(body)</div>\n"
    }

    public mutating func visitFigure(_ figure: Figure, directive: Directive, block: Block) -> String {
        let id = numbering.anchors[block.range].map { " id=\"\($0)\"" } ?? ""
        var image = figure.image
        if image.alt.isEmpty { image.alt = text(figure.caption) }
        if image.alt.isEmpty {
            report(.warning, .missingAltText, at: block.range, "figure without a caption or alt text",
                   hint: "give the figure a caption (its body's first paragraph) or :alt: text for readers who cannot see it")
        }
        let img = self.image(image, range: block.range)
        return "<figure class=\"figure\"\(id)>\(img)\n\(figureCaption(numbering.numbers[block.range], caption: figure.caption, legend: figure.legend))</figure>\n"
    }

    mutating func figureCaption(_ number: String?, caption: [Block], legend: [Block] = []) -> String {
        let label = number.map { "<span class=\"caption-number\">Figure \($0).</span> " } ?? ""
        var html = ""
        for block in caption { if case .paragraph(let c) = block.kind { html += inlines(c); index(text(c)) } }
        let legendHTML = legend.isEmpty ? "" : "<div class=\"legend\">\(visit(legend))</div>"
        return "<figcaption>\(label)\(html)\(legendHTML)</figcaption>\n"
    }

    mutating func gluedFigure(_ glue: Glue, caption: [Block], block: Block) -> String {
        let id = numbering.anchors[block.range].map { " id=\"\($0)\"" } ?? ""
        guard let record = self.glue[glue.key] else {
            if executed {
                report(.warning, .missingGlue, at: block.range, "no cell glued a value named '\(glue.key)'",
                       hint: "call glue(\"\(glue.key)\", value) in a cell of this chapter")
            }
            return "<p class=\"glue-missing\"\(id)>\(Markup.escape(glue.key))</p>\n"
        }
        let content = record.mime.hasPrefix("image/")
            ? figureImage(record, alt: caption.isEmpty ? glue.key : text(caption), range: block.range)
            : record.mime == "text/html" ? record.data : "<pre class=\"output\">\(Markup.escape(record.data))</pre>"
        if caption.isEmpty { return "<div class=\"glue-block\"\(id)>\(content)</div>\n" }
        return "<figure class=\"figure\"\(id)>\(content)\n\(figureCaption(numbering.numbers[block.range], caption: caption))</figure>\n"
    }

    /// An image display: written to `_images/` under a name derived from its
    /// bytes, so unchanged figures keep their names between builds.
    mutating func figureImage(_ record: DisplayRecord, alt: String, range: SourceRange) -> String {
        let data: Data
        let ext: String
        if record.mime.hasPrefix("image/svg") {
            data = Data(record.data.utf8); ext = "svg"
        } else if let decoded = Data(base64Encoded: record.data, options: .ignoreUnknownCharacters) {
            data = decoded; ext = record.mime == "image/jpeg" ? "jpg" : "png"
        } else {
            report(.warning, .badDisplay, at: range, "a \(record.mime) display could not be decoded")
            return ""
        }
        let name = "_images/\(stem)-\(StableHash.fnv1a64Hex(data)).\(ext)"
        files[name] = data
        var size = ""
        if ext == "svg", let (w, h) = Self.svgSize(record.data) { size = " width=\"\(w)\" height=\"\(h)\"" }
        return "<img src=\"\(name)\" alt=\"\(Markup.escape(alt))\"\(size) loading=\"lazy\">"
    }

    /// The page file's name without extension.
    var stem: String { (numbering.page as NSString).deletingPathExtension }

    /// The `width` and `height` of an SVG's root element, to reserve its space.
    static func svgSize(_ svg: String) -> (Int, Int)? {
        guard let open = svg.range(of: "<svg") else { return nil }
        let head = svg[open.upperBound...].prefix { $0 != ">" }
        func attribute(_ name: String) -> Int? {
            guard let r = head.range(of: " \(name)=\"") else { return nil }
            let value = head[r.upperBound...].prefix { $0 != "\"" }
            return Double(value).map { Int($0.rounded()) }
        }
        guard let w = attribute("width"), let h = attribute("height") else { return nil }
        return (w, h)
    }

    /// The `<title>` of an SVG, for alt text when a figure has no caption.
    static func svgTitle(_ svg: String) -> String? {
        // `<title>` or `<title id="...">` (as Plots writes it).
        guard let open = svg.range(of: "<title"), let gt = svg[open.upperBound...].firstIndex(of: ">"),
              let close = svg.range(of: "</title>", range: gt..<svg.endIndex)
        else { return nil }
        let title = unescapeXML(String(svg[svg.index(after: gt)..<close.lowerBound]))
        return title.isEmpty ? nil : title
    }

    static func unescapeXML(_ s: String) -> String {
        s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&apos;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
    }
}
