/// Inline math that an author wrapped onto the next line:
///
///     the density $p(x) = p(z)
///     |\det J|$ follows
///
/// The span is protected like one-line math; the second line keeps what
/// follows the closing `$`, so the run keeps its number of lines.
extension InlineShield {
    /// The two rewritten lines if `line` ends with an open `$` that `next` closes.
    func rewriteWrappedMath(_ line: Substring, _ next: Substring, at index: Int) -> (String, String)? {
        guard !LineSyntax.isBlank(next), LineSyntax.codeFence(next) == nil,
              let opener = Self.openDollar(Array(line.utf8)),
              let closer = Self.closingDollar(Array(next.utf8)) else { return nil }
        let lineBytes = Array(line.utf8), nextBytes = Array(next.utf8)
        let latex = String(decoding: lineBytes[(opener + 1)...], as: UTF8.self) + "\n"
            + String(decoding: nextBytes[..<closer], as: UTF8.self)
        let raw = String(decoding: lineBytes[opener...], as: UTF8.self) + "\n"
            + String(decoding: nextBytes[...closer], as: UTF8.self)

        currentLine = index
        var first = Array(rewrite(line[..<line.utf8.index(line.utf8.startIndex, offsetBy: opener)]).utf8)
        replace(opener..<lineBytes.count, with: .math(latex: latex, raw: raw, display: false), in: &first)
        // `replace` recorded the span at the prefix's rewritten length, which is where it sits.

        currentLine = index + 1
        shifts[index + 1, default: []].append((0, closer + 1, 0))
        let rest = next[next.utf8.index(next.utf8.startIndex, offsetBy: closer + 1)...]
        let second = rest.utf8.contains(where: { $0 == UInt8(ascii: "$") || $0 == UInt8(ascii: "{") }) ? rewrite(rest) : String(rest)
        return (String(decoding: first, as: UTF8.self), second)
    }

    /// The last single `$` of a line that opens math and is not closed on the line:
    /// an odd count of unescaped single dollars outside code spans, the last one
    /// followed by a non-space.
    static func openDollar(_ bytes: [UInt8]) -> Int? {
        var dollars: [Int] = []
        var i = 0
        var inCode = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\\") { i += 2; continue }
            if b == UInt8(ascii: "`") {
                var n = 0
                while i < bytes.count, bytes[i] == b { n += 1; i += 1 }
                if inCode == 0 { inCode = n } else if inCode == n { inCode = 0 }
                continue
            }
            if b == UInt8(ascii: "$") && inCode == 0 {
                if i + 1 < bytes.count, bytes[i + 1] == b { i += 2; continue }
                dollars.append(i)
            }
            i += 1
        }
        guard inCode == 0, dollars.count % 2 == 1, let last = dollars.last, last + 1 < bytes.count,
              bytes[last + 1] != 0x20, bytes[last + 1] != 0x09 else { return nil }
        return last
    }

    /// The first `$` of a line that can close math: not escaped, not doubled,
    /// no space before it, no digit after it.
    static func closingDollar(_ bytes: [UInt8]) -> Int? {
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\\") { i += 2; continue }
            if b == UInt8(ascii: "`") { return nil }
            if b == UInt8(ascii: "$") {
                if i + 1 < bytes.count, bytes[i + 1] == b { return nil }
                if i == 0 || bytes[i - 1] == 0x20 || bytes[i - 1] == 0x09 { return nil }
                if i + 1 < bytes.count, bytes[i + 1] >= 0x30, bytes[i + 1] <= 0x39 { return nil }
                return i
            }
            i += 1
        }
        return nil
    }
}
