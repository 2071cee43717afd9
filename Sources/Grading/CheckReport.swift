import ChapterExecution

/// The outcome of one check on one submission.
public struct CheckOutcome: Sendable, Hashable, Codable {
    public var name: String
    public var hidden: Bool
    public var points: Int
    public var earned: Int
    public var passed: Bool
    /// Why it failed: the assertion's message, the trap, the timeout.
    public var message: String?

    public init(name: String, hidden: Bool, points: Int, earned: Int, passed: Bool, message: String?) {
        self.name = name; self.hidden = hidden; self.points = points; self.earned = earned; self.passed = passed; self.message = message
    }
}

/// One submission file checked against one exercise.
public struct CheckReport: Sendable, Hashable, Codable {
    public var exercise: String
    public var file: String
    /// Compile errors in the submission (at its own lines), or why it was not checked.
    public var errors: [Diagnostic]
    public var checks: [CheckOutcome]
    /// What the submission printed while checked (first few kB), for feedback.
    public var output: String

    public init(exercise: String, file: String, errors: [Diagnostic] = [], checks: [CheckOutcome] = [], output: String = "") {
        self.exercise = exercise; self.file = file; self.errors = errors; self.checks = checks; self.output = output
    }

    public var earned: Int { checks.reduce(0) { $0 + $1.earned } }
    public var possible: Int { checks.reduce(0) { $0 + $1.points } }
    public var allPassed: Bool { errors.isEmpty && !checks.isEmpty && checks.allSatisfy(\.passed) }

    /// The report as a student reads it. Hidden checks show only passed or failed.
    public func text(title: String) -> String {
        var out = "\(TerminalText.line(file)) · \(title)\n"
        for e in errors { let e = TerminalText.block(e.description); out += e.hasSuffix("\n") ? e : e + "\n" }
        let width = max(20, checks.map { $0.hidden ? 12 : $0.name.count }.max() ?? 20)
        for c in checks {
            let name = c.hidden ? "hidden check" : c.name
            let pad = String(repeating: " ", count: max(1, width - name.count + 2))
            out += "  \(c.passed ? "✔" : "✘") \(name)\(pad)\(c.earned)/\(c.points)\n"
            if !c.passed, !c.hidden, let m = c.message { out += "      \(TerminalText.line(m))\n" }
        }
        out += "  \(earned)/\(possible) points\n"
        return out
    }
}
