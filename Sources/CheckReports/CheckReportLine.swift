/// The report a check program sends the grader: one line per assertion, then
/// how the check ended. The one definition of the format, used by the check
/// program's recorder (`CheckRuntime`, inside the flow library) to write it and
/// by the grader (`Grading`) to read it.
///
/// A line is tab-separated fields, each escaped (`\\`, `\t`, `\n`, `\r`):
///
///     bool     LINE  MESSAGE  0|1
///     equal    LINE  WHAT  ACTUAL  EXPECTED|-
///     close    LINE  WHAT  SHAPE  ACTUAL  SHAPE|-  EXPECTED|-  TOLERANCE
///     less     LINE  WHAT  ACTUAL  BOUND|-
///     greater  LINE  WHAT  ACTUAL  BOUND|-
///     fail     LINE  MESSAGE
///     threw    ERROR
///     end      COUNT
///
/// Numbers are Swift's shortest round-trip decimal (`nan`, `inf`); lists are
/// comma-separated; shapes are dimensions joined by `x`; `-` stands for an
/// expected side that a blind (graded) run never computed.
public enum CheckReportLine {
    /// The exit status of a check program whose report descriptor was no
    /// longer the pipe it started with (a submission put its own in between).
    public static let tamperedExitStatus: Int32 = 97

    /// The marker of an expected side that was not computed.
    public static let withheld = "-"

    public static func encode(_ fields: [String]) -> String {
        fields.map(escape).joined(separator: "\t") + "\n"
    }

    /// The fields of one line (without its line break).
    public static func decode<S: StringProtocol>(_ line: S) -> [String] {
        line.split(separator: "\t", omittingEmptySubsequences: false).map { unescape(String($0)) }
    }

    public static func number(_ x: Double) -> String { x.description }
    public static func numbers(_ xs: [Double]) -> String { xs.map(number).joined(separator: ",") }
    public static func shape(_ dims: [Int]) -> String { dims.map(String.init).joined(separator: "x") }

    public static func numbers(parsing s: String) -> [Double]? {
        if s.isEmpty { return [] }
        var out: [Double] = []
        for part in s.split(separator: ",") {
            guard let x = Double(part) else { return nil }
            out.append(x)
        }
        return out
    }

    static func escape(_ s: String) -> String {
        var o = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "\\": o += "\\\\"
            case "\t": o += "\\t"
            case "\n": o += "\\n"
            case "\r": o += "\\r"
            default: o.unicodeScalars.append(ch)
            }
        }
        return o
    }

    static func unescape(_ s: String) -> String {
        guard s.contains("\\") else { return s }
        var out = ""
        var escaped = false
        for c in s {
            if escaped {
                switch c { case "t": out += "\t"; case "n": out += "\n"; case "r": out += "\r"; default: out.append(c) }
                escaped = false
            } else if c == "\\" { escaped = true } else { out.append(c) }
        }
        return out
    }
}
