/// Helpers for looking at one source line as UTF-8 bytes.
enum LineSyntax {
    /// Leading spaces (tabs count to the next multiple of 4).
    static func indentation(_ line: Substring) -> Int {
        var width = 0
        for byte in line.utf8 {
            if byte == 0x20 { width += 1 } else if byte == 0x09 { width += 4 - width % 4 } else { break }
        }
        return width
    }

    /// The line without leading spaces and tabs.
    static func stripped(_ line: Substring) -> Substring {
        line.drop { $0 == " " || $0 == "\t" }
    }

    static func isBlank(_ line: Substring) -> Bool {
        line.utf8.allSatisfy { $0 == 0x20 || $0 == 0x09 }
    }

    /// The length of the run of `byte` at the start of `text`.
    static func run(of byte: UInt8, in text: Substring) -> Int {
        var count = 0
        for b in text.utf8 { if b == byte { count += 1 } else { break } }
        return count
    }

    /// If `line` opens a backtick or tilde code fence: its character and length.
    static func codeFence(_ line: Substring) -> (char: UInt8, count: Int, info: Substring)? {
        guard indentation(line) < 4 else { return nil }
        let text = stripped(line)
        guard let first = text.utf8.first, first == 0x60 || first == 0x7E else { return nil }
        let count = run(of: first, in: text)
        guard count >= 3 else { return nil }
        let info = text.dropFirst(count)
        if first == 0x60 && info.utf8.contains(0x60) { return nil }
        return (first, count, info)
    }

    /// True if `line` closes a fence opened with `count` times `char`.
    static func closesFence(_ line: Substring, char: UInt8, count: Int) -> Bool {
        guard indentation(line) < 4 else { return false }
        let text = stripped(line)
        let n = run(of: char, in: text)
        return n >= count && isBlank(text.dropFirst(n))
    }

    /// Removes up to `width` columns of indentation.
    static func dedent(_ line: Substring, by width: Int) -> Substring {
        var removed = 0
        var index = line.startIndex
        while removed < width, index < line.endIndex {
            let c = line[index]
            if c == " " { removed += 1 } else if c == "\t" { removed += 4 - removed % 4 } else { break }
            index = line.index(after: index)
        }
        return line[index...]
    }
}

extension Substring {
    /// The text without leading and trailing spaces, tabs and newlines.
    var trimmed: Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return self[endIndex...] }
        let last = lastIndex(where: { !isSpace($0) })!
        return self[first...last]
    }
}

extension String {
    /// The text without leading and trailing spaces, tabs and newlines.
    var trimmed: String { String(self[...].trimmed) }
}
