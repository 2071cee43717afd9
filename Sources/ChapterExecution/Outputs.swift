@_exported import Diagnostics
@_exported import NotebookChannel

/// Why a cell has no normal result.
public enum CellError: Sendable, Hashable, Codable {
    /// The cell did not compile; every diagnostic of the cell.
    case compile([Diagnostic])
    /// The cell stopped with a runtime error (a trap, a crash).
    case runtime(message: String, line: Int?)
    /// The cell ran past its time limit.
    case timeout(seconds: Double)
    /// The cell printed more than its output limit.
    case outputLimit(bytes: Int)
    /// The cell did not run because an earlier one failed.
    case notRun(reason: String)

    /// One line for the terminal.
    public var summary: String {
        switch self {
        case .compile(let ds): return ds.first(where: { $0.severity == .error })?.message ?? "compile error"
        case .runtime(let m, _): return m
        case .timeout(let s): return "the cell ran longer than its limit of \(formatSeconds(s)) and was stopped"
        case .outputLimit(let b): return "the cell printed more than its limit of \(b) bytes and was stopped"
        case .notRun(let r): return "not run: \(r)"
        }
    }
}

/// What an explorer cell shows for one combination of its parameters.
public struct ExploreFrame: Sendable, Hashable, Codable {
    public var stdout = ""
    public var stderr = ""
    public var displays: [DisplayRecord] = []
    /// Values the run glued, by name.
    public var glue: [String: DisplayRecord] = [:]
    public var error: CellError?

    public init() {}
}

/// What an explorer cell's execution cost.
public struct ExploreRuns: Sendable, Hashable, Codable {
    public var total: Int
    public var ran: Int
    public var seconds: Double

    public init(total: Int, ran: Int, seconds: Double) {
        self.total = total
        self.ran = ran
        self.seconds = seconds
    }
}

/// What one cell produced.
public struct CellOutput: Sendable, Hashable, Codable {
    public var stdout = ""
    public var stderr = ""
    /// Rich displays in order: `(mime, data)`.
    public var displays: [DisplayRecord] = []
    /// Compiler warnings of the cell (errors go in `error`).
    public var warnings: [Diagnostic] = []
    public var error: CellError?
    /// True when the cell was skipped on purpose (`skip-execution`).
    public var skipped = false
    /// True when the error was expected (`raises-exception`).
    public var errorExpected = false
    /// An explorer cell's frames, by frame key (`ExploreGrid.frameKey`); the
    /// cell's own outputs above are its default frame's.
    public var explore: [String: ExploreFrame]?
    /// An explorer cell's runs: how many, how many ran (the others came from
    /// the cache), and the seconds they took.
    public var exploreRuns: ExploreRuns?

    public init() {}

    /// A failure that should fail the build: an error that was not expected.
    public var isFailure: Bool {
        guard let error else { return false }
        if case .notRun = error { return false }
        return !errorExpected
    }
}

/// A display or glued value recorded by the chapter's runtime.
public struct DisplayRecord: Sendable, Hashable, Codable {
    public var mime: String
    public var data: String
    /// The glue name, for glued values.
    public var name: String?

    public init(mime: String, data: String, name: String? = nil) {
        self.mime = mime; self.data = data; self.name = name
    }
}

/// What a chapter produced.
public struct ChapterResult: Sendable, Hashable, Codable {
    public var cells: [CellOutput]
    /// Values named with `glue`, by name.
    public var glue: [String: DisplayRecord]
    /// Seconds spent compiling and running.
    public var compileSeconds: Double
    public var runSeconds: Double

    public init(cells: [CellOutput], glue: [String: DisplayRecord] = [:], compileSeconds: Double = 0, runSeconds: Double = 0) {
        self.cells = cells; self.glue = glue; self.compileSeconds = compileSeconds; self.runSeconds = runSeconds
    }

    /// True when some cell failed without `raises-exception`.
    public var hasFailures: Bool { cells.contains { $0.isFailure } }
}

func formatSeconds(_ s: Double) -> String {
    s == s.rounded() ? "\(Int(s)) s" : "\((s * 10).rounded() / 10) s"
}

extension Diagnostic {
    /// The diagnostic's line of `code` (whose first line is `firstLine` of the
    /// file) with a caret under its column, indented, as compilers print it;
    /// empty when the line is outside the code.
    public func excerpt(code: String, firstLine: Int) -> String {
        let lines = code.split(separator: "\n", omittingEmptySubsequences: false)
        let i = line - firstLine
        guard i >= 0, i < lines.count else { return "" }
        let text = String(lines[i])
        let caret = String(repeating: " ", count: Swift.max(0, Swift.min(column - 1, text.count))) + "^"
        return "    \(text)\n    \(caret)\n"
    }
}

extension Diagnostic.Code {
    /// A cell failed: compile error, trap, timeout, output limit.
    public static let cellError = Self(.execution, "cell-error")
    /// The compiler warned about a cell's code.
    public static let cellWarning = Self(.execution, "cell-warning")
    /// A chapter could not be run at all (no compiler, no library, a program
    /// that does not compile for reasons outside its cells).
    public static let chapterFailed = Self(.execution, "chapter-failed")
}

extension ChapterResult {
    /// The build's verdict on the chapter's cells, wherever (and whether) they
    /// are shown: every failure that was not expected is an error at its
    /// line, every compiler warning a warning. `chapter` is the source this
    /// result is of.
    public func diagnostics(of chapter: ChapterSource) -> [Diagnostic] {
        var found: [Diagnostic] = []
        for (cell, output) in zip(chapter.cells, cells) {
            let at = SourceRange(file: chapter.path, line: cell.line, column: 1)
            for w in output.warnings {
                found.append(Diagnostic(.warning, .cellWarning, at: SourceRange(file: chapter.path, line: w.line, column: w.column), w.message))
            }
            guard let error = output.error, !output.errorExpected else { continue }
            switch error {
            case .compile(let ds):
                for d in ds where d.severity == .error {
                    found.append(Diagnostic(.error, .cellError, at: SourceRange(file: chapter.path, line: d.line, column: d.column), d.message))
                }
            case .runtime(let message, let line):
                found.append(Diagnostic(.error, .cellError, at: SourceRange(file: chapter.path, line: line ?? cell.line, column: 1), message))
            case .notRun:
                break
            case .timeout, .outputLimit:
                found.append(Diagnostic(.error, .cellError, at: at, error.summary))
            }
        }
        return found
    }
}
