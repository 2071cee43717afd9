/// A problem found while parsing, located in the file, with a hint to fix it.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    /// How serious the problem is.
    public enum Severity: String, Hashable, Sendable, Comparable {
        case note, warning, error

        public static func < (a: Severity, b: Severity) -> Bool {
            let order: [Severity] = [.note, .warning, .error]
            return order.firstIndex(of: a)! < order.firstIndex(of: b)!
        }
    }

    public var severity: Severity
    /// A stable identifier of the kind of problem, e.g. `unknown-directive`.
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

    /// The kinds of problems the parser reports.
    public enum Code: String, Hashable, Sendable, CaseIterable {
        case unknownDirective = "unknown-directive"
        case unknownRole = "unknown-role"
        case unknownOption = "unknown-option"
        case badOptionValue = "bad-option-value"
        case unclosedFence = "unclosed-fence"
        case unclosedMath = "unclosed-math"
        case unclosedRole = "unclosed-role"
        case invalidFrontMatter = "invalid-front-matter"
        case duplicateLabel = "duplicate-label"
        case invalidMath = "invalid-math"
        case nonSwiftCell = "non-swift-cell"
        case unknownTag = "unknown-tag"
        case missingArgument = "missing-argument"
        case tooDeep = "nesting-too-deep"
        case malformedDirective = "malformed-directive"
        /// Found while building the site: a reference to a label no page defines.
        case unresolvedReference = "unresolved-reference"
        /// A `{glue}` key no cell glued.
        case missingGlue = "missing-glue"
        /// An image or file the page names that does not exist.
        case missingFile = "missing-file"
        /// A cell failed: compile error, trap, timeout, output limit.
        case cellError = "cell-error"
    }

    /// The compiler's format: `file:line:col: warning: message`, then the hint as a note.
    public var description: String {
        var text = "\(range.file):\(range.start.line):\(range.start.column): \(severity.rawValue): \(message) [\(code.rawValue)]"
        if let hint {
            text += "\n\(range.file):\(range.start.line):\(range.start.column): note: \(hint)"
        }
        return text
    }
}

/// The name to use where another module's `Diagnostic` is also in scope
/// (the module `MyST` has a type `MyST`, so `MyST.Diagnostic` cannot be spelled).
public typealias DocumentDiagnostic = Diagnostic
