import Foundation
import ChapterExecution
import MyST
import StableText

extension ChapterRenderer {
    mutating func inlines(_ content: [Inline]) -> String {
        var out = ""
        for inline in content { out += visit(inline) }
        return out
    }

    /// What a reader sees of `content` as plain text: references as their
    /// numbers or titles, glued values as their values (for the search index
    /// and alt text).
    func text(_ content: [Inline]) -> String {
        content.map { inline -> String in
            switch inline.kind {
            case .emphasis(let c), .strong(let c): return text(c)
            case .math(let latex): return PlainMath.text(latex)
            case .link(let link): return link.content.isEmpty ? link.url : text(link.content)
            case .role(let role):
                switch role.content {
                case .crossReference(let ref):
                    if ref.kind == "doc" {
                        let path = ref.label.hasSuffix(".md") ? ref.label : ref.label + ".md"
                        return ref.text ?? context.pages[resolve(path)]?.title ?? ref.label
                    }
                    guard let target = context.targets[ref.identifier] else { return ref.text ?? ref.label }
                    return referenceText(target, kind: ref.kind, text: ref.text)
                case .glue(let g): return glue[g.key].map { GlueFormat.apply(g.spec, to: $0.data) } ?? ""
                case .abbreviation(_, let c), .subscript(let c), .superscript(let c): return text(c)
                default: return inline.plainText
                }
            default: return inline.plainText
            }
        }.joined()
    }

    /// The plain text of the paragraphs of `blocks`.
    func text(_ blocks: [Block]) -> String {
        blocks.compactMap { block -> String? in
            if case .paragraph(let c) = block.kind { return text(c) }
            return nil
        }.joined(separator: " ")
    }

    public mutating func defaultVisit(_ inline: Inline) -> String {
        switch inline.kind {
        case .text(let s): return Markup.escape(s)
        case .emphasis(let c): return "<em>\(inlines(c))</em>"
        case .strong(let c): return "<strong>\(inlines(c))</strong>"
        case .code(let s): return "<code>\(Markup.escape(s))</code>"
        case .image(let image): return self.image(image, range: inline.range)
        case .html(let html): return html
        case .softBreak: return "\n"
        case .hardBreak: return "<br>\n"
        case .footnoteReference(let label):
            let n = footnoteNumber(label)
            let id = Self.footnoteID(label)
            if footnoteDefinitions[label] == nil {
                report(.warning, .unresolvedReference, at: inline.range, "footnote [^\(label)] has no definition",
                       hint: "define it on a line of its own: [^\(label)]: text")
            }
            return "<sup class=\"footnote-ref\"><a id=\"fnref-\(id)\" href=\"#fn-\(id)\">\(n)</a></sup>"
        case .math(let latex): return visitInlineMath(latex, inline: inline)
        case .link(let link): return visitLink(link, inline: inline)
        case .role(let role): return visitRole(role, inline: inline)
        }
    }

    public mutating func visitInlineMath(_ latex: String, inline: Inline) -> String {
        let conversion = LaTeXToMathML.convert(latex, display: false)
        report(conversion, latex: latex, at: inline.range)
        return conversion.mathml
    }

    public mutating func visitLink(_ link: Link, inline: Inline) -> String {
        let title = link.title.isEmpty ? "" : " title=\"\(Markup.escape(link.title))\""
        // `[text](#label)`: a cross-reference in MyST.
        if link.url.hasPrefix("#"), let target = context.targets[Labels.normalize(String(link.url.dropFirst()))] {
            let text = link.content.isEmpty ? Markup.escape(referenceText(target, kind: "ref")) : inlines(link.content)
            return "<a href=\"\(href(target))\"\(title)>\(text)</a>"
        }
        var url = link.url
        var empty = Markup.escape(link.url)
        if let page = pageLink(url) {
            url = page
            // `[](chapter.md)` shows the chapter's title.
            let path = String(link.url.split(separator: "#", maxSplits: 1)[0])
            if let title = context.pages[resolve(path)]?.title { empty = Markup.escape(title) }
        }
        let text = link.content.isEmpty ? empty : inlines(link.content)
        return "<a href=\"\(Markup.escape(url))\"\(title)>\(text)</a>"
    }

    /// `chapter.md#part` -> `chapter.html#part` for a page of the site.
    func pageLink(_ url: String) -> String? {
        guard !url.contains("://"), !url.hasPrefix("mailto:") else { return nil }
        let parts = url.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        guard let path = parts.first, path.hasSuffix(".md") else { return nil }
        guard let page = context.pages[resolve(String(path))]?.page else { return nil }
        return parts.count > 1 ? page + "#" + parts[1] : page
    }

    /// A path relative to this page's file, as a path relative to the project.
    func resolve(_ path: String) -> String {
        let dir = (file as NSString).deletingLastPathComponent
        let joined = dir.isEmpty ? path : dir + "/" + path
        return (joined as NSString).standardizingPath
    }

    func href(_ target: Target) -> String {
        target.page == numbering.page ? "#\(target.anchor)" : "\(target.page)#\(target.anchor)"
    }

    /// What a reference shows: `{numref}` and `{eq}` use the number, `{ref}` the title.
    func referenceText(_ target: Target, kind: String, text: String? = nil) -> String {
        target.referenceText(kind: kind, text: text)
    }

    public mutating func visitRole(_ role: Role, inline: Inline) -> String {
        switch role.content {
        case .crossReference(let ref):
            return crossReference(ref, range: inline.range)
        case .abbreviation(let title, let content):
            return title.isEmpty ? inlines(content) : "<abbr title=\"\(Markup.escape(title))\">\(inlines(content))</abbr>"
        case .subscript(let c): return "<sub>\(inlines(c))</sub>"
        case .superscript(let c): return "<sup>\(inlines(c))</sup>"
        case .math(let latex): return visitInlineMath(latex, inline: inline)
        case .code(let code): return "<code>\(Markup.escape(code))</code>"
        case .glue(let glue): return glued(glue, range: inline.range)
        case .unknown: return "<code class=\"unknown-role\">{\(Markup.escape(role.name))}`\(Markup.escape(role.value))`</code>"
        }
    }

    mutating func crossReference(_ ref: CrossReference, range: SourceRange) -> String {
        if ref.kind == "doc" {
            let path = ref.label.hasSuffix(".md") ? ref.label : ref.label + ".md"
            if let page = context.pages[resolve(path)] {
                return "<a href=\"\(page.page)\">\(Markup.escape(ref.text ?? page.title))</a>"
            }
            report(.warning, .unresolvedReference, at: range, "{doc} names '\(ref.label)', which is not a page of the site",
                   hint: "name a markdown file listed in myst.yml's toc, relative to this file")
            return "<span class=\"unresolved\">\(Markup.escape(ref.text ?? ref.label))</span>"
        }
        if ref.kind == "term" || ref.kind == "download" {
            return "<span class=\"term\">\(Markup.escape(ref.text ?? ref.label))</span>"
        }
        guard let target = context.targets[ref.identifier] else {
            let known = context.targets.keys.sorted().filter { $0.hasPrefix(String(ref.identifier.prefix(3))) }.prefix(5)
            report(.warning, .unresolvedReference, at: range, "no label '\(ref.label)' for {\(ref.kind)} to refer to",
                   hint: known.isEmpty ? "define it with (\(ref.label))= before a heading, :label: on a directive, or $$ ... $$ (\(ref.label))"
                                       : "labels that start alike: " + known.joined(separator: ", "))
            return "<span class=\"unresolved\">\(Markup.escape(ref.text ?? ref.label))</span>"
        }
        if ref.kind == "numref" && target.number == nil {
            report(.warning, .unresolvedReference, at: range, "{numref} to '\(ref.label)', which has no number",
                   hint: "use {ref} for unnumbered targets")
        }
        let text = referenceText(target, kind: ref.kind, text: ref.text)
        return "<a class=\"reference\" href=\"\(href(target))\">\(Markup.escape(text))</a>"
    }

    /// A value a cell glued, as inline text.
    mutating func glued(_ glue: Glue, range: SourceRange) -> String {
        guard let record = self.glue[glue.key] else {
            if executed {
                report(.warning, .missingGlue, at: range, "no cell glued a value named '\(glue.key)'",
                       hint: "call glue(\"\(glue.key)\", value) in a cell of this chapter")
            }
            return "<span class=\"glue-missing\">\(Markup.escape(glue.key))</span>"
        }
        if record.mime.hasPrefix("image/") { return figureImage(record, alt: glue.key, range: range) }
        if record.mime == "text/html" { return record.data }
        return "<span class=\"glue\">\(Markup.escape(GlueFormat.apply(glue.spec, to: record.data)))</span>"
    }

    /// `![alt](path)`: a local image is copied into the site.
    mutating func image(_ image: Image, range: SourceRange) -> String {
        var attributes = ""
        if let w = image.width { attributes += " style=\"width: \(Markup.escape(w))\"" }
        if !image.title.isEmpty { attributes += " title=\"\(Markup.escape(image.title))\"" }
        return "<img src=\"\(Markup.escape(copyImage(image.url, range: range)))\" alt=\"\(Markup.escape(image.alt))\"\(attributes)>"
    }

    mutating func copyImage(_ url: String, range: SourceRange) -> String {
        if url.contains("://") || url.hasPrefix("data:") {
            if !url.hasPrefix("data:") {
                report(.warning, .remoteImage, at: range, "image '\(url)' is on the web; the site would load it from there",
                       hint: "download it into the project and name the local file, so the site works offline")
            }
            return url
        }
        let relative = resolve(url)
        guard let root, let data = FileManager.default.contents(atPath: root.appendingPathComponent(relative).path) else {
            report(.warning, .missingFile, at: range, "image '\(url)' not found",
                   hint: "paths are relative to the chapter's file")
            return url
        }
        let name = "_images/" + relative.replacingOccurrences(of: "/", with: "-")
        files[name] = data
        return name
    }
}

/// Formats a glued number with a Python-style spec: `.3f`, `.2e`, `.1%`, `,d`.
enum GlueFormat {
    static func apply(_ spec: String?, to text: String) -> String {
        guard let spec, !spec.isEmpty, let value = Double(text.trimmingCharacters(in: .whitespaces)) else { return text }
        var s = Substring(spec)
        let grouping = s.hasPrefix(",")
        if grouping { s = s.dropFirst() }
        var precision: Int?
        if s.hasPrefix(".") {
            s = s.dropFirst()
            let digits = s.prefix { $0.isNumber }
            precision = Int(digits)
            s = s.dropFirst(digits.count)
        }
        switch s {
        case "f": return String(format: "%.\(precision ?? 6)f", value)
        case "e": return String(format: "%.\(precision ?? 6)e", value)
        case "g": return String(format: "%.\(precision ?? 6)g", value)
        case "%": return String(format: "%.\(precision ?? 6)f%%", value * 100)
        case "d", "":
            let n = Int(value.rounded())
            guard grouping else { return String(n) }
            let digits = String(abs(n))
            var grouped = ""
            for (i, c) in digits.enumerated() {
                if i > 0 && (digits.count - i) % 3 == 0 { grouped += "," }
                grouped.append(c)
            }
            return (n < 0 ? "-" : "") + grouped
        default: return text
        }
    }
}
