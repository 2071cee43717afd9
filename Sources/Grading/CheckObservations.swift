import CheckReports
import Foundation

/// What one run of a check reported: its assertions in order, and whether it
/// ran to its end, read from lines in `CheckReportLine`'s format (which the
/// check program's `CheckRecorder` writes).
struct CheckObservations: Sendable, Hashable, Codable {
    enum Kind: String, Sendable, Hashable, Codable { case bool, equal, close, less, greater, fail }

    struct Assertion: Sendable, Hashable, Codable {
        var kind: Kind
        var line: Int
        /// The assertion's label ("the value") or, for `expect`/`fail`, its message.
        var what: String
        /// `expectEqual`: the value's description; `expect`: "1" or "0".
        var actualText: String = ""
        var actual: [Double] = []
        var actualShape: String = ""
        /// nil in a blind run: the expected side was never computed.
        var expectedText: String?
        var expected: [Double]?
        var expectedShape: String?
        var tolerance: Double = 0
    }

    var assertions: [Assertion] = []
    /// The check returned normally.
    var finished = false
    /// The check threw: its error.
    var thrown: String?
    /// A line that is not an observation (something else wrote to the channel).
    var malformed: Int?

    init(parsing text: String) {
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !raw.isEmpty {
            if finished || thrown != nil { malformed = malformed ?? n; break }
            let f = CheckReportLine.decode(raw)
            switch f[0] {
            case "end" where f.count == 2 && Int(f[1]) == assertions.count: finished = true
            case "threw" where f.count == 2: thrown = f[1]
            default:
                guard let a = Self.assertion(f) else { malformed = malformed ?? n; return }
                assertions.append(a)
            }
        }
    }

    static func assertion(_ f: [String]) -> Assertion? {
        guard f.count >= 3, let kind = Kind(rawValue: f[0]), let line = Int(f[1]) else { return nil }
        var a = Assertion(kind: kind, line: line, what: f[2])
        switch (kind, f.count) {
        case (.bool, 4): a.actualText = f[3]
        case (.fail, 3): break
        case (.equal, 5): a.actualText = f[3]; a.expectedText = f[4] == CheckReportLine.withheld ? nil : f[4]
        case (.less, 5), (.greater, 5):
            guard let x = Double(f[3]) else { return nil }
            a.actual = [x]
            if f[4] != CheckReportLine.withheld { guard let b = Double(f[4]) else { return nil }; a.expected = [b] }
        case (.close, 8):
            guard let values = CheckReportLine.numbers(parsing: f[4]), let tolerance = Double(f[7]) else { return nil }
            a.actualShape = f[3]; a.actual = values; a.tolerance = tolerance
            if f[5] != CheckReportLine.withheld {
                guard let e = CheckReportLine.numbers(parsing: f[6]) else { return nil }
                a.expectedShape = f[5]; a.expected = e
            }
        default: return nil
        }
        return a
    }
}

/// The verdict on a check, decided in the grader's process from what the
/// check's run reported.
///
/// Graded against a reference: every assertion of the submission's (blind)
/// run must line up with the reference solution's run of the same check
/// (same count, kinds and lines) and its value must meet what the
/// reference run computed as expected: within the tolerance, equal, or on the
/// right side of the bound. A submission that wants the points has to produce
/// those values. Without a reference (a student checking their own work),
/// each assertion is judged against the expected side its own run computed.
enum CheckVerdict {
    static func decide(_ run: CheckObservations, reference: CheckObservations?, file: String) -> (passed: Bool, message: String?) {
        if let thrown = run.thrown { return (false, "the check threw an error: \(thrown)") }
        if run.malformed != nil { return (false, "the check's report was tampered with (something else wrote to it)") }
        guard run.finished else { return (false, "the program ended before the check finished") }
        guard !run.assertions.isEmpty else { return (false, "the check made no assertions") }
        if let reference {
            guard reference.finished, reference.assertions.count == run.assertions.count else {
                return (false, "the check took another path than with the reference solution (\(run.assertions.count) assertions made, \(reference.assertions.count) expected)")
            }
        }
        for (k, a) in run.assertions.enumerated() {
            let r = reference?.assertions[k]
            if let r, r.kind != a.kind || r.line != a.line {
                return (false, "the check took another path than with the reference solution (at \(file):\(a.line))")
            }
            if let failure = judge(a, expectedFrom: r ?? a) {
                return (false, failure + " (\(file):\(a.line))")
            }
        }
        return (true, nil)
    }

    /// Why `a` fails, judged against the expected side of `e`; nil when it holds.
    static func judge(_ a: CheckObservations.Assertion, expectedFrom e: CheckObservations.Assertion) -> String? {
        switch a.kind {
        case .fail:
            return a.what
        case .bool:
            return a.actualText == "1" ? nil : a.what
        case .equal:
            guard let expected = e.expectedText else { return "\(a.what): nothing to compare with" }
            return a.actualText == expected ? nil : "\(a.what): expected \(expected), got \(a.actualText)"
        case .less, .greater:
            guard let bound = e.expected?.first, let x = a.actual.first else { return "\(a.what): nothing to compare with" }
            let holds = x.isFinite && (a.kind == .less ? x < bound : x > bound)
            return holds ? nil : "\(a.what): expected \(a.kind == .less ? "below" : "above") \(format(bound)), got \(format(x))"
        case .close:
            guard let expected = e.expected, let shape = e.expectedShape else { return "\(a.what): nothing to compare with" }
            if a.actualShape != shape || a.actual.count != expected.count {
                let noun = shape.contains("x") || a.actualShape.contains("x") ? "shape" : "values"
                return noun == "shape" ? "\(a.what): expected shape [\(shape.replacingOccurrences(of: "x", with: ", "))], got [\(a.actualShape.replacingOccurrences(of: "x", with: ", "))]"
                    : "\(a.what): expected \(expected.count) values, got \(a.actual.count)"
            }
            let tolerance = e.tolerance
            for (i, (x, y)) in zip(a.actual, expected).enumerated() {
                let allowed = tolerance * max(1, abs(y))
                if !(x.isFinite && abs(x - y) <= allowed) {
                    let name = shape.isEmpty ? a.what : "\(a.what)[\(i)]"
                    return "\(name): expected \(format(y)) ± \(format(allowed)), got \(format(x))"
                }
            }
            return nil
        }
    }

    /// Six significant digits, as `%g` prints them.
    static func format(_ x: Double) -> String { String(format: "%.6g", x) }
}
