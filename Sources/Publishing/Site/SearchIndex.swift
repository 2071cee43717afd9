import Foundation

/// One searchable section of a page: a heading (or exercise) and its text.
public struct SearchSection: Sendable, Equatable {
    public var anchor: String
    public var title: String
    public var text: String
}

/// The site's search index: a script that sets `window.nbrunSearch`, so that
/// pages load it with a `<script>` element, which works from `file://` where
/// `fetch` of a JSON file does not.
enum SearchIndex {
    static func script(_ pages: [(page: String, title: String, sections: [SearchSection])]) -> String {
        var out = "window.nbrunSearch=[\n"
        for (p, page) in pages.enumerated() {
            for section in page.sections where !(section.text.isEmpty && section.anchor.isEmpty && p > 0 && page.sections.count > 1) {
                let url = section.anchor.isEmpty ? page.page : page.page + "#" + section.anchor
                out += "{u:\(json(url)),p:\(json(page.title)),t:\(json(section.title)),x:\(json(section.text))},\n"
            }
        }
        return out + "];\n"
    }

    /// A JSON string literal (also safe inside a script: `<` is escaped).
    static func json(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<": out += "\\u003c"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if c.value < 0x20 { out += String(format: "\\u%04x", c.value) } else { out.unicodeScalars.append(c) }
            }
        }
        return out + "\""
    }
}
