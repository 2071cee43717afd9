/// Escaping text for HTML and XML: the one escaper of every module that
/// writes markup (the site's pages, SVG figures, a cell's HTML tables).
/// Inlinable: the highlighter escapes a page's code one scalar at a time.
public enum Markup {
    /// `s` with `&`, `<`, `>`, `"` and `'` escaped, safe in element content
    /// and in quoted attribute values.
    @inlinable
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars { appendEscaped(c, to: &out) }
        return out
    }

    /// Appends one scalar to `out`, escaped as `escape` does.
    @inlinable @inline(__always)
    public static func appendEscaped(_ c: Unicode.Scalar, to out: inout String) {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.unicodeScalars.append(c)
        }
    }

    /// `escape`, and the control characters XML 1.0 forbids (all below
    /// U+0020 but tab and newline, U+FFFE and U+FFFF) dropped: for markup an
    /// XML parser reads, such as SVG.
    @inlinable
    public static func escapeXML(_ s: String) -> String {
        // Fast path: coordinates and colours never need escaping.
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x80 && $0 != 0x26 && $0 != 0x3c && $0 != 0x3e && $0 != 0x22 && $0 != 0x27 }) {
            return s
        }
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            if u.value < 0x20 && u != "\n" && u != "\t" { continue }
            if u.value == 0xFFFE || u.value == 0xFFFF { continue }
            appendEscaped(u, to: &out)
        }
        return out
    }
}
