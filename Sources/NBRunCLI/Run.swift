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

        @Argument(help: "The chapter's markdown file.")
        public var file: String

        @Option(help: "Seconds one cell may run.")
        public var cellTimeout: Double?

        public init() {}

        public func validate() throws {
            guard FileManager.default.isReadableFile(atPath: file) else {
                throw ValidationError("cannot read '\(file)': no such readable file")
            }
        }

        public func run() throws {
            let source = try String(contentsOfFile: file, encoding: .utf8)
            let document = MyST.parse(source, file: file)
            for d in document.diagnostics { printError(d.description) }
            var settings = ExecutionSettings()
            let location = document.frontMatter.map { "\($0.range.file):\($0.range.start.line):\($0.range.start.column)" } ?? file
            let problems = settings.apply(document.frontMatter?.values, at: location)
            for p in problems { printError(p) }
            var chapter = Self.chapterSource(document, path: file)
            chapter.seed = settings.seed
            var limits = settings.limits
            if let cellTimeout { limits.cellSeconds = cellTimeout }
            let toolchain = try Toolchain.locate()
            try toolchain.ensureLibrary { printError($0) }
            let work = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".nbrun/work")
            let kernel = Kernel(toolchain: toolchain, limits: limits, workDirectory: work)
            let live = isatty(2) != 0
            if live {
                // A live status line on the terminal; it never enters the outputs.
                kernel.onProgress = { _, line in
                    FileHandle.standardError.write(Data(("\r\u{1b}[2K" + String(line.prefix(100))).utf8))
                }
            }
            let result = try kernel.run(chapter)
            if live { FileHandle.standardError.write(Data("\r\u{1b}[2K".utf8)) }
            print(Self.transcript(result, chapter: chapter), terminator: "")
            if result.hasFailures { throw ExitCode(1) }
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
            case .compile(let ds): return ds.map { $0.description + "\n" }.joined()
            case .runtime(let message, let line): return "\(path):\(line ?? cell.line):1: \(kind): \(message)\n"
            case .notRun(let reason): return "\(path):\(cell.line):1: note: not run: \(reason)\n"
            default: return "\(path):\(cell.line):1: \(kind): \(e.summary)\n"
            }
        }
    }
}

func printError(_ s: String) {
    FileHandle.standardError.write(Data((s + "\n").utf8))
}
