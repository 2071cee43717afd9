import ArgumentParser
import ChapterExecution
import Course
import Foundation
import MyST
import Plumbing

extension NBRun {
    /// `nbrun run`: executes one chapter and prints each cell's outputs: the
    /// author's quick loop.
    public struct Run: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Run a chapter's Swift cells and print their outputs and errors.",
            discussion: """
                Compiles the chapter's `{code-cell} swift` cells into one program against the \
                flow library (building the library first if needed), runs it, and prints every \
                cell's output. Errors are printed as file:line:col: error: message. The exit \
                status is 1 when a cell failed without the raises-exception tag.
                """
        )

        @Argument(help: "The chapters' markdown files.")
        public var files: [String]

        @Option(help: "Seconds one cell may run (overrides the chapters' settings).")
        public var cellTimeout: Double?

        @Option(help: "Chapters to run at the same time (default: the machine's cores).")
        public var jobs: Int?

        @Flag(help: "Run every chapter even when its cached outputs are still valid.")
        public var force = false

        public init() {}

        public func validate() throws {
            guard !files.isEmpty else { throw ValidationError("name at least one chapter") }
            for file in files where !FileManager.default.isReadableFile(atPath: file) {
                throw ValidationError("cannot read '\(file)': no such readable file")
            }
            if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        }

        public func run() throws {
            let loaded = try CourseProject.chapters(files)
            for d in loaded.diagnostics { printError(d.description) }
            var chapters = loaded.chapters.map(\.source)
            if let cellTimeout {
                for i in chapters.indices {
                    var limits = chapters[i].limits ?? .default
                    limits.cellSeconds = cellTimeout
                    chapters[i].limits = limits
                }
            }
            let toolchain = try Toolchain.locate()
            try toolchain.ensureLibrary { printError($0) }
            let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            let executor = ChapterExecutor(toolchain: toolchain, workDirectory: here.appendingPathComponent(".nbrun/work"))
            // A live status line on the terminal; it never enters the outputs.
            let terminal = StatusLine()
            if terminal.live { executor.onProgress = { path, _, line in if !line.isEmpty { terminal.status(path + ": " + line) } } }
            let cache = ExecutionCache(directory: here.appendingPathComponent(".nbrun/cache"))
            let cached = Locked(0)
            let results = executor.runAll(chapters, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount,
                                          cache: cache, force: force) { _, _, hit in if hit { cached.withLock { $0 += 1 } } }
            terminal.clear()
            var failed = false
            for (chapter, result) in zip(chapters, results) {
                if chapters.count > 1 { print("━━ \(chapter.path)") }
                switch result {
                case .success(let r):
                    print(Self.transcript(r, chapter: chapter), terminator: "")
                    failed = failed || r.hasFailures
                case .failure(let e):
                    printError(Diagnostic(.error, .chapterFailed, at: SourceRange(file: chapter.path, line: 1, column: 1), e.description).description)
                    failed = true
                }
            }
            if cached.current > 0 { printError("\(cached.current) of \(chapters.count) chapters from the cache (--force runs them again)") }
            if failed { throw ExitCode(1) }
        }

        /// What `run` prints: each cell's outputs and errors, in order.
        public static func transcript(_ result: ChapterResult, chapter: ChapterSource) -> String {
            var out = ""
            for (i, (cell, o)) in zip(chapter.cells, result.cells).enumerated() {
                out += "── cell \(i + 1) · \(chapter.path):\(cell.line)\(o.skipped ? " · skipped" : "")\n"
                out += o.stdout
                if !o.stdout.isEmpty && !o.stdout.hasSuffix("\n") { out += "\n" }
                out += o.stderr
                if !o.stderr.isEmpty && !o.stderr.hasSuffix("\n") { out += "\n" }
                for d in o.displays {
                    out += d.mime.hasPrefix("text/plain") ? d.data + "\n" : "[\(d.mime), \(d.data.utf8.count) bytes]\n"
                }
                for w in o.warnings { out += w.description + "\n" }
                if let e = o.error { out += describe(e, cell: cell, path: chapter.path, expected: o.errorExpected) }
            }
            return out
        }

        static func describe(_ e: CellError, cell: CellSource, path: String, expected: Bool) -> String {
            let kind = expected ? "note: expected error" : "error"
            switch e {
            case .compile(let ds): return ds.map { $0.description + "\n" + $0.excerpt(code: cell.code, firstLine: cell.line) }.joined()
            case .runtime(let message, let line): return "\(path):\(line ?? cell.line):1: \(kind): \(message)\n"
            case .notRun(let reason): return "\(path):\(cell.line):1: note: not run: \(reason)\n"
            default: return "\(path):\(cell.line):1: \(kind): \(e.summary)\n"
            }
        }
    }
}
