/// Accumulates SVG markup. Escaping of text and attribute values happens here
/// and nowhere else; numbers go through `NumberFormat.coord`, so output is
/// byte-for-byte reproducible.
struct SVGWriter {
    private(set) var output = ""

    /// `<name a="v" ...>` (or `/>` when `close`), attributes in the given order.
    mutating func open(_ name: String, _ attributes: [(String, String)] = [], close: Bool = false) {
        output += "<" + name
        for (k, v) in attributes { output += " " + k + "=\"" + Self.escape(v) + "\"" }
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
        output += Self.escape(text)
        end(name)
    }

    mutating func raw(_ s: String) { output += s }

    /// Escapes `&`, `<`, `>`, `"` and `'`, and drops control characters XML forbids.
    static func escape(_ s: String) -> String {
        // Fast path: coordinates and colours never need escaping.
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x80 && $0 != 0x26 && $0 != 0x3c && $0 != 0x3e && $0 != 0x22 && $0 != 0x27 }) {
            return s
        }
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                if u.value < 0x20 && u != "\n" && u != "\t" { continue }
                if u.value == 0xFFFE || u.value == 0xFFFF { continue }
                out.unicodeScalars.append(u)
            }
        }
        return out
    }
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

/// FNV-1a, 64-bit: a stable hash for figure ids (Swift's `Hasher` is seeded per run).
func fnv1a(_ s: String) -> UInt64 {
    var h: UInt64 = 0xcbf29ce484222325
    for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
    return h
}

/// Escapes text for XML and HTML (`&`, `<`, `>`, `"`, `'`) and drops the
/// control characters XML forbids: for markup built outside the writer.
public func escapeXML(_ s: String) -> String { SVGWriter.escape(s) }
