/// Text that came from a submission (what it printed, trapped with or made
/// the compiler say), made safe to show in a terminal or a feedback file:
/// control characters are shown as visible escapes (`\e`, `\r`, `\u{7}`), so
/// no escape sequence moves the cursor, recolours or rewrites the report
/// around it, and a carriage return cannot overwrite a line.
public enum TerminalText {
    /// One line: line breaks become visible too.
    public static func line(_ s: String) -> String { escape(s, keepNewlines: false) }

    /// Several lines, each kept on a line of its own.
    public static func block(_ s: String) -> String { escape(s, keepNewlines: true) }

    static func escape(_ s: String, keepNewlines: Bool) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar.value {
            case 0x0A where keepNewlines: out += "\n"
            case 0x0A: out += "\\n"
            case 0x09: out += "\t"
            case 0x1B: out += "\\e"
            case 0x0D: out += "\\r"
            case 0x00..<0x20, 0x7F, 0x80..<0xA0, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069:
                // C0 and C1 controls, line separators, bidirectional overrides.
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
