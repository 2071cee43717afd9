import StableText

/// Accumulates SVG markup. Escaping of text and attribute values happens here
/// and nowhere else; numbers go through `NumberFormat.coord`, so output is
/// byte-for-byte reproducible.
struct SVGWriter {
    private(set) var output = ""

    /// `<name a="v" ...>` (or `/>` when `close`), attributes in the given order.
    mutating func open(_ name: String, _ attributes: [(String, String)] = [], close: Bool = false) {
        output += "<" + name
        for (k, v) in attributes { output += " " + k + "=\"" + Markup.escapeXML(v) + "\"" }
        output += close ? "/>\n" : ">"
        if !close && name != "text" && name != "title" && name != "desc" && name != "style" { output += "\n" }
    }

    mutating func element(_ name: String, _ attributes: [(String, String)]) {
        open(name, attributes, close: true)
    }

    mutating func end(_ name: String) { output += "</" + name + ">\n" }

    /// `<name ...>text</name>` with `text` escaped.
    mutating func textElement(_ name: String, _ attributes: [(String, String)], _ text: String) {
        open(name, attributes)
        output += Markup.escapeXML(text)
        end(name)
    }

    mutating func raw(_ s: String) { output += s }
}

/// Short for `NumberFormat.coord`.
func c(_ v: Double) -> String { NumberFormat.coord(v) }

/// Approximate advance width of `s` in a DejaVu/Helvetica-like sans-serif at
/// `size` pixels: enough to lay out margins and legends without font files.
func textWidth(_ s: String, size: Double) -> Double {
    var em = 0.0
    for ch in s {
        switch ch {
        case "0"..."9": em += 0.636
        case " ", ".", ",", ":", ";", "'", "|", "!", "i", "j", "l", "I": em += 0.3
        case "f", "t", "r", "(", ")", "[", "]", "-": em += 0.4
        case "m", "w", "M", "W", "\u{2212}", "×", "—": em += 0.86
        case "A"..."Z": em += 0.7
        default: em += 0.6
        }
    }
    return em * size
}
