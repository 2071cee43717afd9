/// Splits a run of lines into MyST block constructs and plain markdown.
///
/// libcmark knows nothing of MyST's line-level syntax, so this scanner finds
/// it first: `%` comments, `+++` breaks, `(label)=` targets, `$$` math,
/// `:::{name}` colon directives, `[^label]:` footnotes and GFM pipe tables.
/// Everything else is handed to libcmark in runs. Lines inside backtick or
/// tilde fences are never looked at, so code is never misread.
///
/// - Complexity: O(n) in the number of lines (colon fences scan their body once
///   per nesting level, which the parser caps).
struct BlockScanner {
    /// A construct found by the scanner; `lines` are indices into the scanned lines.
    struct Segment {
        enum Kind {
            case markdown
            case comment(String)
            case blockBreak(meta: String?)
            case target(String)
            case math(latex: String, label: String?)
            case colonDirective(name: String, argument: String, body: Range<Int>, closed: Bool)
            case footnote(label: String, body: [Substring])
            case table
            /// A `$$` that is never closed: reported, then read as text.
            case unclosedMath
        }
        var kind: Kind
        var lines: Range<Int>
    }

    let lines: [Substring]

    func scan() -> [Segment] {
        var segments: [Segment] = []
        var markdownStart: Int?
        var fence: (char: UInt8, count: Int)?
        var i = 0
        func flush(_ end: Int) {
            if let start = markdownStart, start < end { segments.append(Segment(kind: .markdown, lines: start..<end)) }
            markdownStart = nil
        }
        while i < lines.count {
            let line = lines[i]
            if let open = fence {
                if LineSyntax.closesFence(line, char: open.char, count: open.count) { fence = nil }
                i += 1
                continue
            }
            if let f = LineSyntax.codeFence(line) {
                fence = (f.char, f.count)
                if markdownStart == nil { markdownStart = i }
                i += 1
                continue
            }
            let previousBlank = i == 0 || LineSyntax.isBlank(lines[i - 1])
            if let segment = construct(at: i, previousBlank: previousBlank) {
                flush(i)
                segments.append(segment)
                i = max(segment.lines.upperBound, i + 1)
                continue
            }
            if markdownStart == nil { markdownStart = i }
            i += 1
        }
        flush(lines.count)
        return segments
    }

    /// The MyST construct starting at line `i`, if any.
    private func construct(at i: Int, previousBlank: Bool) -> Segment? {
        let line = lines[i]
        guard LineSyntax.indentation(line) < 4 else { return nil }
        let text = LineSyntax.stripped(line)
        guard let first = text.utf8.first else { return nil }
        switch first {
        case UInt8(ascii: "%"):
            var j = i
            var parts: [String] = []
            // Bytes, not characters: "%" followed by a combining mark is one Character.
            while j < lines.count, LineSyntax.indentation(lines[j]) < 4,
                  LineSyntax.stripped(lines[j]).utf8.first == UInt8(ascii: "%") {
                parts.append(String(LineSyntax.dropBytes(1, of: LineSyntax.stripped(lines[j])).trimmed))
                j += 1
            }
            return Segment(kind: .comment(parts.joined(separator: "\n")), lines: i..<j)
        case UInt8(ascii: "+"):
            guard text.hasPrefix("+++") else { return nil }
            let rest = LineSyntax.dropBytes(3, of: text).trimmed
            if rest.hasPrefix("+") { return nil }
            return Segment(kind: .blockBreak(meta: rest.isEmpty ? nil : String(rest)), lines: i..<(i + 1))
        case UInt8(ascii: "("):
            let t = text.trimmed
            guard t.hasSuffix(")="), t.count > 3 else { return nil }
            let label = t.dropFirst().dropLast(2)
            guard !label.contains(")"), !label.contains("("), !label.trimmed.isEmpty else { return nil }
            return Segment(kind: .target(String(label)), lines: i..<(i + 1))
        case UInt8(ascii: "$"):
            guard text.hasPrefix("$$") else { return nil }
            // Indented display math may sit in a list item: ContainerFences keeps it there.
            if LineSyntax.indentation(line) > 0 { return nil }
            return displayMath(at: i)
        case UInt8(ascii: ":"):
            if LineSyntax.indentation(line) > 0 { return nil }
            return colonDirective(at: i)
        case UInt8(ascii: "["):
            return footnote(at: i)
        default:
            if text.utf8.contains(UInt8(ascii: "|")) { return table(at: i) }
            return nil
        }
    }

    /// `$$ latex $$ (label)` on one line, or `$$` ... `$$ (label)` over several.
    private func displayMath(at i: Int) -> Segment? {
        let text = LineSyntax.stripped(lines[i]).trimmed
        guard text.hasPrefix("$$") else { return nil }
        var body = LineSyntax.dropBytes(2, of: text)
        var parts: [Substring] = []
        var j = i
        while true {
            if let close = body.range(of: "$$") {
                parts.append(body[..<close.lowerBound])
                let after = body[close.upperBound...].trimmed
                var label: String?
                if after.hasPrefix("("), after.hasSuffix(")"), after.count > 2 {
                    label = String(after.dropFirst().dropLast()).trimmed
                } else if !after.isEmpty {
                    return nil
                }
                let latex = parts.map(String.init).joined(separator: "\n").trimmed
                return Segment(kind: .math(latex: latex, label: label), lines: i..<(j + 1))
            }
            parts.append(body)
            j += 1
            let unclosed = Segment(kind: .unclosedMath, lines: i..<(i + 1))
            guard j < lines.count else { return unclosed }
            if LineSyntax.isBlank(lines[j]) && j + 1 < lines.count && LineSyntax.isBlank(lines[j + 1]) { return unclosed }
            body = lines[j][...]
        }
    }

    /// The opening line of a colon fence: `:::{name} argument`.
    static func colonOpening(_ line: Substring) -> (count: Int, name: String, argument: String)? {
        guard LineSyntax.indentation(line) < 4 else { return nil }
        let text = LineSyntax.stripped(line)
        let count = LineSyntax.run(of: UInt8(ascii: ":"), in: text)
        guard count >= 3 else { return nil }
        let rest = LineSyntax.dropBytes(count, of: text)
        guard rest.hasPrefix("{"), let close = rest.firstIndex(of: "}") else { return nil }
        let name = rest[rest.index(after: rest.startIndex)..<close].trimmed
        guard !name.isEmpty, !name.contains(" ") else { return nil }
        return (count, String(name), String(rest[rest.index(after: close)...].trimmed))
    }

    func colonDirective(at i: Int) -> Segment? {
        guard let open = Self.colonOpening(lines[i]) else { return nil }
        var depth = 0
        var fence: (char: UInt8, count: Int)?
        var j = i + 1
        while j < lines.count {
            let line = lines[j]
            if let f = fence {
                if LineSyntax.closesFence(line, char: f.char, count: f.count) { fence = nil }
            } else if let f = LineSyntax.codeFence(line) {
                fence = (f.char, f.count)
            } else if Self.colonOpening(line) != nil {
                depth += 1
            } else if LineSyntax.indentation(line) < 4 {
                let t = LineSyntax.stripped(line)
                let n = LineSyntax.run(of: UInt8(ascii: ":"), in: t)
                if n >= 3, LineSyntax.isBlank(LineSyntax.dropBytes(n, of: t)) {
                    if depth == 0 && n >= open.count {
                        return Segment(kind: .colonDirective(name: open.name, argument: open.argument,
                                                             body: (i + 1)..<j, closed: true), lines: i..<(j + 1))
                    }
                    depth = max(0, depth - 1)
                }
            }
            j += 1
        }
        return Segment(kind: .colonDirective(name: open.name, argument: open.argument,
                                             body: (i + 1)..<lines.count, closed: false), lines: i..<lines.count)
    }

    /// `[^label]: text` and its indented continuation.
    private func footnote(at i: Int) -> Segment? {
        let text = LineSyntax.stripped(lines[i])
        guard text.hasPrefix("[^"), let close = text.range(of: "]:") else { return nil }
        let label = text[text.index(text.startIndex, offsetBy: 2)..<close.lowerBound]
        guard !label.isEmpty, !label.contains("]"), !label.contains(" ") else { return nil }
        var body: [Substring] = [text[close.upperBound...].drop { $0 == " " || $0 == "\t" }]
        var j = i + 1
        while j < lines.count {
            let line = lines[j]
            if LineSyntax.isBlank(line) {
                body.append(line)
            } else if LineSyntax.indentation(line) >= 4 {
                body.append(LineSyntax.dedent(line, by: 4))
            } else if !LineSyntax.isBlank(lines[j - 1]) && !LineSyntax.stripped(line).hasPrefix("[^")
                        && construct(at: j, previousBlank: false) == nil {
                body.append(line)
            } else {
                break
            }
            j += 1
        }
        while j > i + 1, LineSyntax.isBlank(lines[j - 1]) { j -= 1; body.removeLast() }
        return Segment(kind: .footnote(label: String(label), body: body), lines: i..<j)
    }

    /// A GFM pipe table: a header row, a delimiter row, then rows until a blank line.
    private func table(at i: Int) -> Segment? {
        guard i + 1 < lines.count else { return nil }
        let header = PipeTable.cells(of: lines[i])
        guard let aligns = PipeTable.delimiterRow(lines[i + 1]), aligns.count == header.count else { return nil }
        var j = i + 2
        while j < lines.count, !LineSyntax.isBlank(lines[j]), lines[j].contains("|") { j += 1 }
        return Segment(kind: .table, lines: i..<j)
    }
}
