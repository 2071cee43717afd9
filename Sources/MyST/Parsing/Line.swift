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
        let info = dropBytes(count, of: text)
        if first == 0x60 && info.utf8.contains(0x60) { return nil }
        return (first, count, info)
    }

    /// True if `line` closes a fence opened with `count` times `char`.
    static func closesFence(_ line: Substring, char: UInt8, count: Int) -> Bool {
        guard indentation(line) < 4 else { return false }
        let text = stripped(line)
        let n = run(of: char, in: text)
        return n >= count && isBlank(dropBytes(n, of: text))
    }

    /// `text` without its first `n` bytes, which must be ASCII (counted by ``run(of:in:)``).
    ///
    /// Byte-based on purpose: `dropFirst(n)` drops Characters, and an ASCII mark
    /// followed by a combining character is a single Character.
    static func dropBytes(_ n: Int, of text: Substring) -> Substring {
        Substring(text.utf8.dropFirst(n))
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
    /// The text without leading and trailing spaces, tabs and newlines (scanned as UTF-8 bytes).
    var trimmed: Substring {
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        guard let first = utf8.firstIndex(where: { !isSpace($0) }) else { return self[endIndex...] }
        let last = utf8.lastIndex(where: { !isSpace($0) })!
        return self[first..<utf8.index(after: last)]
    }
}

extension String {
    /// The text without leading and trailing spaces, tabs and newlines.
    var trimmed: String { String(self[...].trimmed) }
}

extension StringProtocol {
    /// The lines of the text, split at `\n` by scanning UTF-8 bytes (much faster than `split` on characters).
    var lines: [SubSequence] {
        var result: [SubSequence] = []
        var start = startIndex
        var index = utf8.startIndex
        let end = utf8.endIndex
        while index < end {
            if utf8[index] == 0x0A {
                result.append(self[start..<index])
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        result.append(self[start..<endIndex])
        return result
    }

    /// True if the two-byte ASCII sequence `a b` occurs in the text.
    func containsBytes(_ a: UInt8, _ b: UInt8) -> Bool {
        var previous: UInt8 = 0
        for byte in utf8 {
            if previous == a && byte == b { return true }
            previous = byte
        }
        return false
    }
}
