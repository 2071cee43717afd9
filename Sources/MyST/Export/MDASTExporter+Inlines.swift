/// mdast for inline content.
extension MDASTExporter {
    /// Inlines, with soft breaks folded into the neighbouring text as `\n`.
    func inlines(_ inlines: [Inline]) -> [JSON] {
        var result: [JSON] = []
        var text: String?
        var textRange: SourceRange?
        func flush() {
            if let t = text { result.append(node("text", [("value", .string(t))], range: textRange)) }
            text = nil
        }
        for inline in inlines {
            switch inline.kind {
            case .text(let s):
                if text == nil { textRange = inline.range }
                text = (text ?? "") + s
            case .softBreak:
                if text == nil { textRange = inline.range }
                text = (text ?? "") + "\n"
            default:
                flush()
                result.append(self.inline(inline))
            }
        }
        flush()
        return result
    }

    func inline(_ i: Inline) -> JSON {
        let r = i.range
        switch i.kind {
        case .text(let s): return node("text", [("value", .string(s))], range: r)
        case .softBreak: return node("text", [("value", .string("\n"))], range: r)
        case .hardBreak: return node("break", [], range: r)
        case .emphasis(let c): return node("emphasis", [("children", .array(inlines(c)))], range: r)
        case .strong(let c): return node("strong", [("children", .array(inlines(c)))], range: r)
        case .code(let s): return node("inlineCode", [("value", .string(s))], range: r)
        case .html(let s): return node("html", [("value", .string(s))], range: r)
        case .math(let s): return node("inlineMath", [("value", .string(s))], range: r)
        case .link(let link):
            return node("link", [("url", .string(URLNormalizer.normalize(link.url))), ("title", link.title.isEmpty ? nil : .string(link.title)),
                                 ("children", .array(inlines(link.content)))], range: r)
        case .image(var image):
            image.url = URLNormalizer.normalize(image.url)
            return self.image(image, range: r)
        case .footnoteReference(let label):
            return node("footnoteReference", [("identifier", .string(Labels.normalize(label))), ("label", .string(label))], range: r)
        case .role(let role): return self.role(role, range: r)
        }
    }

    private func role(_ role: Role, range r: SourceRange) -> JSON {
        let meaning: JSON?
        switch role.content {
        case .unknown: meaning = nil
        case .crossReference(let x):
            meaning = node("crossReference", [("kind", .string(x.kind)), ("identifier", .string(x.identifier)),
                                              ("label", .string(x.label)),
                                              ("children", x.content.isEmpty ? nil : .array(inlines(x.content)))], range: r)
        case .abbreviation(let title, let c):
            meaning = node("abbreviation", [("title", .string(title)), ("children", .array(inlines(c)))], range: r)
        case .subscript(let c): meaning = node("subscript", [("children", .array(inlines(c)))], range: r)
        case .superscript(let c): meaning = node("superscript", [("children", .array(inlines(c)))], range: r)
        case .math(let s): meaning = node("inlineMath", [("value", .string(s))], range: r)
        case .code(let s): meaning = node("inlineCode", [("value", .string(s))], range: r)
        case .glue(let g): meaning = glue(g, range: r)
        }
        return node("mystRole", [("name", .string(role.name)), ("value", .string(role.value)),
                                 ("children", meaning.map { .array([$0]) })], range: r)
    }
}
