/// Keeps indented MyST fences inside the list items that hold them.
///
/// ``BlockScanner`` cuts the chapter at MyST constructs that start a line,
/// which would end a list if the construct belongs to one of its items. So
/// indented `:::{name}` colon fences and `$$` display math are instead
/// rewritten, in place and line for line, into backtick fences that libcmark
/// nests like any code block:
///
///       :::{note}            ```{note}
///       Body           ->    Body
///       :::                  ```
///
///       $$                   ```{<math>} label
///       x                ->  x
///       $$ (label)           ```
///
/// ``CmarkReader`` then turns them into directives and math blocks. The
/// fence is one backtick longer than any backtick run inside.
enum ContainerFences {
    /// The info string marking rewritten display math (a private-use name no author writes).
    static let mathInfo = "{\u{E001}math}"

    /// True for a line that opens multi-line display math: `$$` alone.
    static func isMathOpening(_ text: Substring) -> Bool {
        text.trimmed == "$$"
    }

    static func rewrite(_ lines: [Substring]) -> [Substring] {
        guard lines.contains(where: { LineSyntax.indentation($0) > 0 && needsLook(LineSyntax.stripped($0)) }) else { return lines }
        var out = lines
        // No colon fence can close after the last line of bare colons: skip the
        // scan then, which keeps a run of unclosed openers linear.
        let lastColonLine = lines.lastIndex { line in
            let t = LineSyntax.stripped(line)
            let n = LineSyntax.run(of: UInt8(ascii: ":"), in: t)
            return n >= 3 && LineSyntax.isBlank(LineSyntax.dropBytes(n, of: t))
        } ?? -1
        var fence: (char: UInt8, count: Int)?
        var i = 0
        while i < lines.count {
            let line = lines[i]
            if let f = fence {
                if LineSyntax.closesFence(line, char: f.char, count: f.count) { fence = nil }
                i += 1; continue
            }
            if let f = LineSyntax.codeFence(line) { fence = (f.char, f.count); i += 1; continue }
            let indent = LineSyntax.indentation(line)
            guard indent > 0, indent < 4 else { i += 1; continue }
            let text = LineSyntax.stripped(line)
            let prefix = String(line[line.startIndex..<text.startIndex])
            if isMathOpening(text), let close = mathClose(lines, from: i + 1) {
                let ticks = String(repeating: "`", count: fenceLength(lines[(i + 1)..<close.line]))
                let label: String = close.label.map { " " + $0 } ?? ""
                out[i] = Substring(prefix + ticks + mathInfo + label)
                out[close.line] = Substring(prefix + ticks)
                i = close.line + 1
                continue
            }
            if i < lastColonLine, let open = BlockScanner.colonOpening(line),
               let segment = BlockScanner(lines: lines).colonDirective(at: i),
               case .colonDirective(_, _, let body, true) = segment.kind {
                let ticks = String(repeating: "`", count: fenceLength(lines[body]))
                let argument: String = open.argument.isEmpty ? "" : " " + open.argument
                out[i] = Substring(prefix + ticks + "{\(open.name)}" + argument)
                out[body.upperBound] = Substring(prefix + ticks)
                // Inner colon fences are rewritten when the directive's body is parsed.
                i = body.upperBound + 1
                continue
            }
            i += 1
        }
        return out
    }

    private static func needsLook(_ text: Substring) -> Bool {
        text.hasPrefix("$$") || text.hasPrefix(":::")
    }

    /// The line closing display math opened before `start`: `$$` with an optional `(label)`.
    private static func mathClose(_ lines: [Substring], from start: Int) -> (line: Int, label: String?)? {
        var j = start
        while j < lines.count {
            let t = lines[j].trimmed
            if t.hasPrefix("$$") {
                let after = t.dropFirst(2).trimmed
                if after.isEmpty { return (j, nil) }
                if after.hasPrefix("("), after.hasSuffix(")"), after.count > 2 { return (j, String(after.dropFirst().dropLast()).trimmed) }
                return nil
            }
            if t.contains("$$") || (LineSyntax.isBlank(lines[j]) && j + 1 < lines.count && LineSyntax.isBlank(lines[j + 1])) { return nil }
            j += 1
        }
        return nil
    }

    /// Three backticks, or one more than the longest run starting a body line.
    private static func fenceLength(_ body: ArraySlice<Substring>) -> Int {
        var longest = 0
        for line in body { longest = max(longest, LineSyntax.run(of: UInt8(ascii: "`"), in: LineSyntax.stripped(line))) }
        return max(3, longest + 1)
    }
}
