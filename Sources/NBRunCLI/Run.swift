import ArgumentParser
import Foundation
import Kernel
import MyST

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
            var chapters: [ChapterSource] = []
            let project = Self.projectSettings(near: files[0])
            for file in files {
                let source = try String(contentsOfFile: file, encoding: .utf8)
                let document = MyST.parse(source, file: file)
                for d in document.diagnostics { printError(d.description) }
                var settings = project
                let location = document.frontMatter.map { "\($0.range.file):\($0.range.start.line):\($0.range.start.column)" } ?? file
                for p in settings.apply(document.frontMatter?.values, at: location) { printError(p) }
                if let cellTimeout { settings.limits.cellSeconds = cellTimeout }
                var chapter = Self.chapterSource(document, path: file)
                chapter.seed = settings.seed
                chapter.limits = settings.limits
                chapter.dataFiles = settings.dataFiles.map {
                    URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent($0).path
                }
                chapters.append(chapter)
            }
            let toolchain = try Toolchain.locate()
            try toolchain.ensureLibrary { printError($0) }
            let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            let kernel = Kernel(toolchain: toolchain, workDirectory: here.appendingPathComponent(".nbrun/work"))
            let live = isatty(2) != 0
            if live {
                // A live status line on the terminal; it never enters the outputs.
                kernel.onProgress = { path, line in
                    FileHandle.standardError.write(Data(("\r\u{1b}[2K" + String((path + ": " + line).prefix(100))).utf8))
                }
            }
            let cache = ExecutionCache(directory: here.appendingPathComponent(".nbrun/cache"))
            let cached = Counter()
            let results = kernel.runAll(chapters, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount,
                                        cache: cache, force: force) { _, _, hit in if hit { cached.add() } }
            if live { FileHandle.standardError.write(Data("\r\u{1b}[2K".utf8)) }
            var failed = false
            for (chapter, result) in zip(chapters, results) {
                if chapters.count > 1 { print("━━ \(chapter.path)") }
                switch result {
                case .success(let r):
                    print(Self.transcript(r, chapter: chapter), terminator: "")
                    failed = failed || r.hasFailures
                case .failure(let e):
                    printError("\(chapter.path):1:1: error: \(e.description)")
                    failed = true
                }
            }
            if cached.value > 0 { printError("\(cached.value) of \(chapters.count) chapters from the cache (--force runs them again)") }
            if failed { throw ExitCode(1) }
        }

        /// Execution settings of the project: the `execute:` section of the first
        /// `myst.yml` in the chapter's folder or above it (chapters override them).
        static func projectSettings(near file: String) -> ExecutionSettings {
            var settings = ExecutionSettings()
            var dir = URL(fileURLWithPath: file).standardizedFileURL.deletingLastPathComponent()
            while true {
                let config = dir.appendingPathComponent("myst.yml")
                if let text = try? String(contentsOf: config, encoding: .utf8) {
                    let path = config.path.hasPrefix(FileManager.default.currentDirectoryPath + "/")
                        ? String(config.path.dropFirst(FileManager.default.currentDirectoryPath.count + 1)) : config.path
                    do {
                        let values = try MetadataValue.parseYAML(text)
                        // mystmd keeps project settings under `project:`; accept both places.
                        for p in settings.apply(values["project"] ?? values, at: "\(path):1:1") { printError(p) }
                        if values["project"] != nil { for p in settings.apply(values, at: "\(path):1:1") { printError(p) } }
                    } catch {
                        printError("\(path):1:1: error: \(error)")
                    }
                    return settings
                }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { return settings }
                dir = parent
            }
        }

        /// The kernel's view of a parsed chapter: its Swift cells in order.
        public static func chapterSource(_ document: Document, path: String) -> ChapterSource {
            let cells = document.codeCells.map(\.cell).filter { $0.language == "swift" }.map { c in
                CellSource(code: c.code, line: c.codeLine,
                           raisesException: c.tags.contains(.raisesException),
                           skip: c.tags.contains(.skipExecution))
            }
            return ChapterSource(path: path, cells: cells)
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

/// A thread-safe count.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func add() { lock.lock(); n += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return n }
}

func printError(_ s: String) {
    FileHandle.standardError.write(Data((s + "\n").utf8))
}
