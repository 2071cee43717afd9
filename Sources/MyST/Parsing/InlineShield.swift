/// Protects MyST inline syntax from CommonMark before libcmark sees it.
///
/// `$x_1*y$` or `` {math}`\{a\}` `` would be mangled by CommonMark's emphasis
/// and escapes, so each role and each `$...$` span is replaced by a code span
/// holding a private-use marker and an index into ``entries``. libcmark keeps
/// code spans verbatim; the reader turns the markers back into roles and math,
/// and ``restore(_:)`` puts the original text back anywhere else a marker ends
/// up (raw HTML, link destinations).
final class InlineShield {
    /// The original text of one protected span.
    enum Entry {
        /// `display` is true for `$$...$$`.
        case math(latex: String, raw: String, display: Bool)
        case role(name: String, value: String, raw: String)

        var raw: String {
            switch self {
            case .math(_, let raw, _), .role(_, _, let raw): return raw
            }
        }
    }

    static let marker: Character = "\u{E000}"
    private(set) var entries: [Entry] = []

    /// The lines joined by `\n`, with the MyST inline spans rewritten; fenced and
    /// indented code is copied unchanged.
    func protect(_ lines: [Substring]) -> String {
        var out = ""
        out.reserveCapacity(lines.reduce(lines.count) { $0 + $1.utf8.count })
        var fence: (char: UInt8, count: Int)?
        var inIndentedCode = false
        var i = -1
        while i + 1 < lines.count {
            i += 1
            let line = lines[i]
            if i > 0 { out += "\n" }
            if let f = fence {
                if LineSyntax.closesFence(line, char: f.char, count: f.count) { fence = nil }
                out += line; continue
            }
            if let f = LineSyntax.codeFence(line) {
                fence = (f.char, f.count); out += line; continue
            }
            let blank = LineSyntax.isBlank(line)
            if LineSyntax.indentation(line) >= 4 && (inIndentedCode || i == 0 || LineSyntax.isBlank(lines[i - 1])) {
                inIndentedCode = true; out += line; continue
            }
            if !blank { inIndentedCode = false }
            if i + 1 < lines.count, line.utf8.contains(UInt8(ascii: "$")),
               let (first, second) = rewriteWrappedMath(line, lines[i + 1], at: i) {
                out += first + "\n" + second
                i += 1
                continue
            }
            if line.utf8.contains(where: { $0 == UInt8(ascii: "$") || $0 == UInt8(ascii: "{") }) {
                currentLine = i
                out += rewrite(line)
            } else {
                out += line
            }
        }
        return out
    }

    /// Where placeholders sit on each rewritten line, to map columns back.
    var shifts: [Int: [(start: Int, rawLength: Int, newLength: Int)]] = [:]
    var currentLine = 0

    /// Backtick run lengths known to have no closing run later on the current line.
    private var unclosedRuns: Set<Int> = []

    /// Rewrites one line.
    func rewrite(_ line: Substring) -> String {
        let bytes = Array(line.utf8)
        unclosedRuns.removeAll(keepingCapacity: true)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 16)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\\") {
                out.append(b)
                if i + 1 < bytes.count { out.append(bytes[i + 1]) }
                i += 2
                continue
            }
            if b == UInt8(ascii: "`") {
                let n = runLength(bytes, i, b)
                if let end = closingRun(bytes, from: i + n, length: n) {
                    out.append(contentsOf: bytes[i..<(end + n)]); i = end + n
                } else {
                    out.append(contentsOf: bytes[i..<(i + n)]); i += n
                }
                continue
            }
            if b == UInt8(ascii: "{"), let (end, entry) = role(bytes, at: i) {
                replace(i..<end, with: entry, in: &out); i = end
                continue
            }
            if b == UInt8(ascii: "$"), let (end, entry) = math(bytes, at: i) {
                replace(i..<end, with: entry, in: &out); i = end
                continue
            }
            out.append(b)
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    func replace(_ span: Range<Int>, with entry: Entry, in out: inout [UInt8]) {
        entries.append(entry)
        let placeholder = Array("`\(Self.marker)\(entries.count - 1)`".utf8)
        shifts[currentLine, default: []].append((out.count, span.count, placeholder.count))
        out += placeholder
    }

    /// The column in the original line of 1-based byte `column` on rewritten line `line` (0-based).
    /// A column inside a placeholder maps to the start of its original span, or its end for `end`.
    func originalColumn(line: Int, column: Int, end: Bool = false) -> Int {
        guard let spans = shifts[line] else { return column }
        var offset = 0
        for span in spans {
            if column - 1 < span.start { break }
            if column - 1 < span.start + span.newLength { return span.start + offset + (end ? span.rawLength : 1) }
            offset += span.rawLength - span.newLength
        }
        return column + offset
    }

    private func runLength(_ bytes: [UInt8], _ i: Int, _ b: UInt8, limit: Int = .max) -> Int {
        var n = 0
        while i + n < bytes.count, n < limit, bytes[i + n] == b { n += 1 }
        return n
    }

    /// The index of the next run of exactly `length` backticks at or after `from`.
    ///
    /// A length found to have no closer is remembered for the rest of the line,
    /// as libcmark does, so that a line of unmatched runs stays linear.
    private func closingRun(_ bytes: [UInt8], from: Int, length: Int) -> Int? {
        if unclosedRuns.contains(length) { return nil }
        var j = from
        while j < bytes.count {
            if bytes[j] == UInt8(ascii: "`") {
                let n = runLength(bytes, j, bytes[j])
                if n == length { return j }
                j += n
            } else {
                j += 1
            }
        }
        unclosedRuns.insert(length)
        return nil
    }

    /// `` {name}`value` `` at `i`: the end index and the entry.
    private func role(_ bytes: [UInt8], at i: Int) -> (Int, Entry)? {
        var j = i + 1
        while j < bytes.count, j - i <= 40, isRoleNameByte(bytes[j]) { j += 1 }
        guard j > i + 1, j < bytes.count, bytes[j] == UInt8(ascii: "}"),
              j + 1 < bytes.count, bytes[j + 1] == UInt8(ascii: "`") else { return nil }
        let name = String(decoding: bytes[(i + 1)..<j], as: UTF8.self)
        let open = j + 1
        let n = runLength(bytes, open, UInt8(ascii: "`"))
        guard let close = closingRun(bytes, from: open + n, length: n) else { return nil }
        let value = String(decoding: bytes[(open + n)..<close], as: UTF8.self)
        let raw = String(decoding: bytes[i..<(close + n)], as: UTF8.self)
        return (close + n, .role(name: name, value: value, raw: raw))
    }

    private func isRoleNameByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39)
            || b == UInt8(ascii: "-") || b == UInt8(ascii: "_") || b == UInt8(ascii: ":")
            || b == UInt8(ascii: "+") || b == UInt8(ascii: ".")
    }

    /// `$...$` or `$$...$$` at `i`, following the dollarmath rules: no space
    /// after the opening `$`, none before the closing one, no digit after it.
    private func math(_ bytes: [UInt8], at i: Int) -> (Int, Entry)? {
        let dollar = UInt8(ascii: "$")
        let n = runLength(bytes, i, dollar, limit: 2)
        let start = i + n
        guard start < bytes.count else { return nil }
        if n == 1 && (bytes[start] == 0x20 || bytes[start] == 0x09) { return nil }
        var j = start
        while j < bytes.count {
            if bytes[j] == UInt8(ascii: "\\") { j += 2; continue }
            if bytes[j] == dollar {
                if n == 2 {
                    guard j + 1 < bytes.count, bytes[j + 1] == dollar else { j += 1; continue }
                    guard j > start else { return nil }
                    let latex = String(decoding: bytes[start..<j], as: UTF8.self)
                    return (j + 2, .math(latex: latex.trimmed, raw: String(decoding: bytes[i..<(j + 2)], as: UTF8.self), display: true))
                }
                let before = bytes[j - 1]
                let after: UInt8? = j + 1 < bytes.count ? bytes[j + 1] : nil
                if j == start || before == 0x20 || before == 0x09 { return nil }
                if let after, after >= 0x30 && after <= 0x39 { return nil }
                let latex = String(decoding: bytes[start..<j], as: UTF8.self)
                return (j + 1, .math(latex: latex, raw: String(decoding: bytes[i..<(j + 1)], as: UTF8.self), display: false))
            }
            j += 1
        }
        return nil
    }

    /// The entry a code span's content stands for, if it is a placeholder.
    func entry(forCode code: String) -> Entry? {
        guard code.first == Self.marker, let index = Int(code.dropFirst()), entries.indices.contains(index) else { return nil }
        return entries[index]
    }

    /// Puts original text back in place of any placeholder inside `text`.
    func restore(_ text: String) -> String {
        guard !entries.isEmpty, text.utf8.contains(0xEE) else { return text }
        var result = ""
        var rest = text[...]
        while let m = rest.firstIndex(of: Self.marker) {
            var prefix = rest[..<m]
            let digits = rest[rest.index(after: m)...].prefix { $0.isASCII && $0.isNumber }
            guard let index = Int(digits), entries.indices.contains(index) else {
                result += rest[...m]; rest = rest[rest.index(after: m)...]; continue
            }
            var after = digits.endIndex
            if prefix.hasSuffix("`"), after < rest.endIndex, rest[after] == "`" {
                prefix = prefix.dropLast(); after = rest.index(after: after)
            }
            result += prefix
            result += entries[index].raw
            rest = rest[after...]
        }
        return result + rest
    }
}
