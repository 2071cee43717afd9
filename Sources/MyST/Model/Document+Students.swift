/// What students may see of a chapter: the one definition that the students'
/// site (`nbrun build --student`) and the students' kit (`nbrun release`)
/// share.
///
/// Withheld: every `{solution}`, wherever it is, and every `{check}` with
/// `:hidden:`. Everything else is shown, including a `{question}`'s `:answer:`
/// (the page checks answers in the browser, so the site ships them anyway),
/// `{setup}` and `{starter}` code, visible checks and hints.
extension Block {
    /// True for blocks students are never shown: a `{solution}`, or a
    /// `{check}` with `:hidden:`.
    public var isWithheldFromStudents: Bool {
        guard case .directive(let d) = kind else { return false }
        if case .solution = d.content { return true }
        return d.name == "check" && d.option("hidden") != nil
    }
}

extension Document {
    /// The line ranges of the blocks students are never shown, in source
    /// order, outermost only (a hidden check inside a solution goes with the
    /// solution). A `(label)=` target directly above such a block names it,
    /// and goes with it.
    public var withheldFromStudents: [SourceRange] {
        var found: [SourceRange] = []
        func scan(_ blocks: [Block]) {
            for (i, block) in blocks.enumerated() {
                if block.isWithheldFromStudents {
                    var range = block.range
                    if i > 0, case .target = blocks[i - 1].kind { range.start = blocks[i - 1].range.start }
                    found.append(range)
                } else if block.hasChildBlocks {
                    scan(block.children.blocks)
                }
            }
        }
        scan(blocks)
        return found.sorted { $0.start < $1.start }
    }

    /// `source`, the text this document was parsed from, without the lines of
    /// the blocks students are never shown (``withheldFromStudents``); every
    /// other byte is kept as it was, line endings included.
    ///
    /// Where a removed block stood between two blank lines, one of them goes
    /// too, so the text reads as if the block had never been written. Where it
    /// stood between two lines of text, a blank line takes its place so the
    /// two do not run together. A block that starts after a list marker on its
    /// first line (`- ```{check}`) keeps the marker.
    public func studentSource(_ source: String) -> String {
        let ranges = withheldFromStudents
        guard !ranges.isEmpty else { return source }
        let lines = SourceLines(source)
        var drop = Array(repeating: false, count: lines.count + 2)   // 1-based, with room past the end
        var keepPrefix: [Int: [UInt8]] = [:]
        for range in ranges {
            let first = max(1, range.start.line), last = min(lines.count, range.end.line)
            guard first <= last else { continue }
            for line in first...last { drop[line] = true }
            let prefix = lines.content(first).prefix(max(0, range.start.column - 1))
            if prefix.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x3E }) {
                keepPrefix[first] = Array(prefix)
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(source.utf8.count)
        // The bytes of the blank line `out` ends with (0 at the start of the
        // text), or nil when it ends with a line of text.
        var trailingBlank: Int? = 0
        var line = 1
        while line <= lines.count {
            guard drop[line] else {
                let bytes = lines.full(line)
                out += bytes
                trailingBlank = lines.isBlank(line) ? bytes.count : nil
                line += 1
                continue
            }
            var last = line
            while last + 1 <= lines.count && drop[last + 1] { last += 1 }
            let after = last < lines.count ? lines.isBlank(last + 1) : true
            if let prefix = keepPrefix[line] {
                out += prefix + lines.terminator(last)
                trailingBlank = nil
            } else if let blank = trailingBlank, after {
                // Blank on both sides: one of the two goes, the one after, or
                // at the end of the text the one before.
                if last < lines.count { last += 1 } else { out.removeLast(blank) }
            } else if trailingBlank == nil && !after {
                let newline = lines.terminator(last).isEmpty ? [0x0A] : lines.terminator(last)
                out += newline
                trailingBlank = newline.count
            }
            line = last + 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// A source text's lines as the parser numbers them: `\n`, `\r\n` and a lone
/// `\r` each end a line.
private struct SourceLines {
    /// Byte offsets: where each line starts, where its content ends, where its terminator ends.
    private var spans: [(start: Int, contentEnd: Int, end: Int)] = []
    private let bytes: [UInt8]

    init(_ text: String) {
        bytes = Array(text.utf8)
        var start = 0, i = 0
        while i < bytes.count {
            if bytes[i] == 0x0A || bytes[i] == 0x0D {
                let contentEnd = i
                if bytes[i] == 0x0D && i + 1 < bytes.count && bytes[i + 1] == 0x0A { i += 1 }
                spans.append((start, contentEnd, i + 1))
                start = i + 1
            }
            i += 1
        }
        if start < bytes.count { spans.append((start, bytes.count, bytes.count)) }
    }

    var count: Int { spans.count }
    func full(_ line: Int) -> ArraySlice<UInt8> { bytes[spans[line - 1].start..<spans[line - 1].end] }
    func content(_ line: Int) -> ArraySlice<UInt8> { bytes[spans[line - 1].start..<spans[line - 1].contentEnd] }
    func terminator(_ line: Int) -> [UInt8] { Array(bytes[spans[line - 1].contentEnd..<spans[line - 1].end]) }
    func isBlank(_ line: Int) -> Bool { content(line).allSatisfy { $0 == 0x20 || $0 == 0x09 } }
}
