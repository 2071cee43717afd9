/// GFM pipe tables, which libcmark does not parse.
enum PipeTable {
    /// The cells of a table row, split on `|` that are not escaped or inside code spans.
    static func cells(of line: Substring) -> [Substring] {
        var text = line.trimmed
        if text.hasPrefix("|") { text = text.dropFirst() }
        if text.hasSuffix("|") && !text.hasSuffix("\\|") { text = text.dropLast() }
        var cells: [Substring] = []
        var start = text.startIndex
        var index = text.startIndex
        var inCode = 0
        while index < text.endIndex {
            let c = text[index]
            if c == "\\" {
                index = text.index(after: index)
                if index < text.endIndex { index = text.index(after: index) }
                continue
            }
            if c == "`" {
                var n = 0
                while index < text.endIndex, text[index] == "`" { n += 1; index = text.index(after: index) }
                if inCode == 0 { inCode = n } else if inCode == n { inCode = 0 }
                continue
            }
            if c == "|" && inCode == 0 {
                cells.append(text[start..<index].trimmed)
                start = text.index(after: index)
            }
            index = text.index(after: index)
        }
        cells.append(text[start...].trimmed)
        return cells
    }

    /// The alignments of a delimiter row such as `|:---|---:|`, or nil if `line` is not one.
    static func delimiterRow(_ line: Substring) -> [Table.Alignment?]? {
        guard LineSyntax.indentation(line) < 4 else { return nil }
        let cells = cells(of: line)
        guard !cells.isEmpty else { return nil }
        var result: [Table.Alignment?] = []
        for cell in cells {
            let left = cell.hasPrefix(":"), right = cell.hasSuffix(":")
            let dashes = cell.drop { $0 == ":" }.reversed().drop { $0 == ":" }
            guard !dashes.isEmpty, dashes.allSatisfy({ $0 == "-" }) else { return nil }
            result.append(left && right ? .center : left ? .left : right ? .right : nil)
        }
        // A single cell needs a pipe somewhere, or `---` would be a thematic break.
        if cells.count == 1 && !line.contains("|") { return nil }
        return result
    }

    /// Unescapes `\|` inside a cell before its inline markdown is parsed.
    static func unescapePipes(_ cell: Substring) -> String {
        cell.replacingOccurrences(of: "\\|", with: "|")
    }
}

private extension Substring {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        String(self).split(separator: target, omittingEmptySubsequences: false)
            .joined(separator: replacement)
    }
}
