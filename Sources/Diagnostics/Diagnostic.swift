import Foundation

/// A problem found anywhere in a build, located in a source file, with a hint
/// to fix it: the one kind of diagnostic every part of nbrun emits (the
/// parser, the compiler's output as the chapter runner reads it, the exercise
/// checker, the settings, the site) and the commands print and count.
public struct Diagnostic: Hashable, Sendable, Codable, CustomStringConvertible {
    /// How serious the problem is.
    public enum Severity: String, Hashable, Sendable, Codable, Comparable {
        case note, warning, error

        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }

        var rank: Int {
            switch self { case .note: 0; case .warning: 1; case .error: 2 }
        }
    }

    public var severity: Severity
    /// A stable identifier of the kind of problem, e.g. `myst/unknown-directive`.
    public var code: Code
    public var range: SourceRange
    /// What is wrong, in one sentence.
    public var message: String
    /// What to do about it.
    public var hint: String?

    public init(_ severity: Severity, _ code: Code, at range: SourceRange, _ message: String, hint: String? = nil) {
        self.severity = severity
        self.code = code
        self.range = range
        self.message = message
        self.hint = hint
    }

    /// A diagnostic of the Swift compiler, at a line and column of a chapter.
    public init(file: String, line: Int, column: Int, severity: Severity, message: String) {
        self.init(severity, .swiftCompiler, at: SourceRange(file: file, line: line, column: column), message)
    }

    public var file: String { range.file }
    public var line: Int { range.start.line }
    public var column: Int { range.start.column }

    /// The compiler's format: `file:line:col: warning: message [code]`, then the
    /// hint as a note. The Swift compiler's own diagnostics are printed as it
    /// wrote them, without a code.
    public var description: String {
        let at = "\(range.file):\(range.start.line):\(range.start.column)"
        var text = "\(at): \(severity.rawValue): \(message)"
        if code != .swiftCompiler { text += " [\(code.name)]" }
        if let hint { text += "\n\(at): note: \(hint)" }
        return text
    }
}

extension Diagnostic {
    /// The kind of a problem: a namespace (the part of nbrun that finds it)
    /// and a name unique across namespaces, which is what the printed form
    /// shows in brackets. Each code means one thing; the parts declare theirs
    /// as static members (`Diagnostic.Code.unknownDirective`).
    public struct Code: Hashable, Sendable, Codable, CustomStringConvertible {
        public var namespace: Namespace
        public var name: String

        public init(_ namespace: Namespace, _ name: String) {
            self.namespace = namespace
            self.name = name
        }

        /// `namespace/name`.
        public var description: String { "\(namespace.rawValue)/\(name)" }

        /// The parts of nbrun that report problems.
        public enum Namespace: String, Hashable, Sendable, Codable, CaseIterable {
            /// The MyST parser: markup, directives, roles, front matter.
            case myst
            /// The project: `myst.yml`, the toc, execution settings.
            case project
            /// Running chapters: the compiler, cells that fail.
            case execution
            /// Exercises: their parts, solutions and starters against their checks.
            case exercise
            /// The site: references, numbering, figures, glue.
            case site
        }
    }
}

extension Diagnostic.Code {
    /// What the Swift compiler reported about a cell's code.
    public static let swiftCompiler = Self(.execution, "swift")
}

extension Array where Element == Diagnostic {
    /// How many are errors.
    public var errorCount: Int { lazy.filter { $0.severity == .error }.count }
    /// How many are warnings.
    public var warningCount: Int { lazy.filter { $0.severity == .warning }.count }

    /// In reading order: by file, line and column (stable for equal places).
    public func sortedByLocation() -> [Diagnostic] {
        enumerated().sorted { a, b in
            let (x, y) = (a.element.range, b.element.range)
            if (x.file, x.start.line, x.start.column) != (y.file, y.start.line, y.start.column) {
                return (x.file, x.start.line, x.start.column) < (y.file, y.start.line, y.start.column)
            }
            return a.offset < b.offset
        }.map(\.element)
    }
}

extension Diagnostic {
    /// The `file:line:col: severity: message` lines of a compiler's output,
    /// as diagnostics (other lines are skipped).
    public static func parseCompilerOutput(_ output: String) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for line in output.split(separator: "\n") {
            guard let parsed = parseCompilerLine(line) else { continue }
            out.append(parsed)
        }
        return out
    }

    /// One line `<file>:<line>:<col>: <severity>: <message>`, split at the
    /// first location-and-severity in it, so a file name may hold colons.
    static func parseCompilerLine(_ line: Substring) -> Diagnostic? {
        guard let marker = line.range(of: #":\d+:\d+: (error|warning|note): "#, options: .regularExpression) else { return nil }
        let file = String(line[..<marker.lowerBound])
        let fields = line[marker].dropFirst().split(separator: ":", maxSplits: 3)
        guard fields.count >= 3, let l = Int(fields[0]), let c = Int(fields[1]),
              let severity = Severity(rawValue: fields[2].trimmingCharacters(in: .whitespaces)) else { return nil }
        return Diagnostic(file: file, line: l, column: c, severity: severity, message: String(line[marker.upperBound...]))
    }
}
