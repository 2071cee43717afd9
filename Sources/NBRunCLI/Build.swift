import ArgumentParser
import Foundation
import Grading
import Kernel
import MyST
import Publishing

extension NBRun {
    /// `nbrun build`: the course site from a project folder.
    public struct Build: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "build",
            abstract: "Build the course site: run every chapter's cells and write the HTML pages.",
            discussion: """
                Reads PROJECT/myst.yml (title, authors, description, toc, execute settings), runs \
                the Swift cells of every chapter it lists (reusing cached outputs when nothing \
                they depend on changed), and writes a static site to --output. The new site \
                replaces the old one in one step, and only when the build succeeded: with \
                errors (or warnings under --strict) the previous site stays and the new \
                pages go to .nbrun/failed-site so the errors can be seen in place.
                """
        )

        @Argument(help: "The project folder, holding myst.yml.")
        public var project: String = "Notebooks"

        @Option(name: .shortAndLong, help: "Where the site goes.")
        public var output: String = "Site"

        @Flag(help: "Fail on warnings as well as errors.")
        public var strict = false

        @Option(help: "Chapters to run at the same time (default: the machine's cores).")
        public var jobs: Int?

        @Flag(help: "Run every chapter even when its cached outputs are still valid.")
        public var force = false

        @Flag(help: "Render without running cells (pages show no outputs).")
        public var noExecute = false

        @Flag(help: "Build the students' site: solutions are left out.")
        public var student = false

        public init() {}

        public func validate() throws {
            if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: project, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("'\(project)' is not a folder; name the project folder that holds myst.yml")
            }
        }

        public func run() throws {
            let started = Date()
            let root = URL(fileURLWithPath: project).standardizedFileURL
            let configPath = displayPath(root.appendingPathComponent("myst.yml").path)
            guard let configText = try? String(contentsOf: root.appendingPathComponent("myst.yml"), encoding: .utf8) else {
                printError("\(configPath):1:1: error: cannot read the project's myst.yml")
                throw ExitCode(1)
            }
            let config: Project
            var messages: [String] = []
            do {
                let (parsed, warnings) = try Project.parse(configText, path: configPath)
                config = parsed
                messages += warnings
            } catch {
                printError("\(error)")
                throw ExitCode(1)
            }

            // Parse every page; a missing file is an error that does not stop the others.
            var pages: [SitePage] = []
            var diagnostics: [DocumentDiagnostic] = []
            for entry in config.pages {
                let url = root.appendingPathComponent(entry.file)
                let path = displayPath(url.path)
                guard let source = try? String(contentsOf: url, encoding: .utf8) else {
                    messages.append("\(configPath):1:1: error: '\(entry.file)' is listed in the toc but cannot be read")
                    continue
                }
                let document = MyST.parse(source, file: path)
                diagnostics += document.diagnostics
                pages.append(SitePage(file: entry.file, document: document, result: nil, part: entry.part))
            }

            if !noExecute {
                messages += try execute(&pages, root: root)
                diagnostics += try validateExercises(pages)
            }

            let site = SiteBuilder.build(config, pages: pages, root: root, student: student || config.student)
            diagnostics += site.diagnostics
            diagnostics.sort { ($0.range.file, $0.range.start.line, $0.range.start.column) < ($1.range.file, $1.range.start.line, $1.range.start.column) }

            // The report: every problem in compiler format, then one summary line.
            for m in messages { printError(m) }
            for d in diagnostics where d.severity != .note { printError(d.description) }
            let errors = diagnostics.filter { $0.severity == .error }.count + messages.filter { $0.contains(": error: ") }.count
            let warnings = diagnostics.filter { $0.severity == .warning }.count + messages.filter { $0.contains(": warning: ") }.count
            let failed = errors > 0 || (strict && warnings > 0)
            let target = failed ? URL(fileURLWithPath: ".nbrun/failed-site") : URL(fileURLWithPath: output)
            do {
                if failed { try FileManager.default.createDirectory(atPath: ".nbrun", withIntermediateDirectories: true) }
                try SiteWriter.write(site.files, to: target)
            } catch {
                printError("error: \(error)")
                throw ExitCode(1)
            }
            let seconds = String(format: "%.2f", Date().timeIntervalSince(started))
            let counts = "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")"
            if failed {
                let why = errors > 0 ? counts : "\(counts) (--strict)"
                printError("build failed in \(seconds) s: \(why); \(output)/ was left as it was; the failed pages are in .nbrun/failed-site/")
                throw ExitCode(1)
            }
            printError("built \(site.pageCount) pages into \(output)/ in \(seconds) s: \(counts)")
        }

        /// Runs the chapters' cells (through the cache), printing a line per
        /// chapter; fills in each page's result. Returns problems as messages.
        func execute(_ pages: inout [SitePage], root: URL) throws -> [String] {
            var messages: [String] = []
            let project = Run.projectSettings(near: root.appendingPathComponent("myst.yml").path)
            var chapters: [ChapterSource] = []
            var pageOfChapter: [Int] = []
            for (i, page) in pages.enumerated() {
                var settings = project
                let document = page.document
                let location = document.frontMatter.map { "\($0.range.file):\($0.range.start.line):\($0.range.start.column)" } ?? document.file
                messages += settings.apply(document.frontMatter?.values, at: location)
                var chapter = Run.chapterSource(document, path: document.file)
                guard !chapter.cells.isEmpty else { continue }
                chapter.seed = settings.seed
                chapter.limits = settings.limits
                chapter.dataFiles = settings.dataFiles.map {
                    URL(fileURLWithPath: document.file).deletingLastPathComponent().appendingPathComponent($0).path
                }
                chapters.append(chapter)
                pageOfChapter.append(i)
            }
            guard !chapters.isEmpty else { return messages }
            let toolchain = try Toolchain.locate()
            try toolchain.ensureLibrary { printError($0) }
            let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            let kernel = Kernel(toolchain: toolchain, workDirectory: here.appendingPathComponent(".nbrun/work"))
            let live = isatty(2) != 0
            let console = Console(live: live)
            if live {
                kernel.onProgress = { path, line in console.status(displayPath(path) + ": " + line) }
            }
            let cache = ExecutionCache(directory: here.appendingPathComponent(".nbrun/cache"))
            let sources = chapters
            let results = kernel.runAll(chapters, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount,
                                        cache: cache, force: force) { i, result, hit in
                console.done(Self.chapterLine(sources[i], result, hit: hit))
            }
            console.clear()
            for (k, result) in results.enumerated() {
                let page = pageOfChapter[k]
                switch result {
                case .success(let r):
                    pages[page].result = r
                case .failure(let e):
                    messages.append("\(chapters[k].path):1:1: error: \(e.description)")
                }
            }
            return messages
        }

        /// `cached`, `ran ... in 3.2 s` or `failed`, one line per chapter as it finishes.
        /// Every exercise's solution against its checks, and its starter.
        func validateExercises(_ pages: [SitePage]) throws -> [DocumentDiagnostic] {
            var specs: [ExerciseSpec] = []
            var problems: [DocumentDiagnostic] = []
            for page in pages {
                let (found, issues) = ExerciseSpec.all(in: page.document)
                specs += found
                problems += issues
            }
            guard !specs.isEmpty else { return problems }
            let toolchain = try Toolchain.locate()
            try toolchain.ensureLibrary { printError($0) }
            let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            let validation = ExerciseValidation(
                // The instructor's own code: no jail needed.
                checker: ExerciseChecker(toolchain: toolchain, workDirectory: here.appendingPathComponent(".nbrun/check"), jailed: false),
                cacheDirectory: here.appendingPathComponent(".nbrun/cache"),
                fingerprint: (try? toolchain.fingerprint()) ?? "unknown")
            let box = DiagnosticBox(count: specs.count)
            let started = Date()
            DispatchQueue.concurrentPerform(iterations: specs.count) { i in box.set(i, validation.problems(specs[i])) }
            let found = box.values.flatMap { $0 }
            let seconds = Date().timeIntervalSince(started)
            printError("  checked \(specs.count) exercise\(specs.count == 1 ? "" : "s") (solutions pass, starters fail)"
                       + (seconds > 0.05 ? String(format: " in %.1f s", seconds) : ", all unchanged"))
            return problems + found
        }

        static func chapterLine(_ chapter: ChapterSource, _ result: Result<ChapterResult, KernelError>, hit: Bool) -> String {
            switch result {
            case .success(let r):
                let failures = r.cells.filter(\.isFailure).count
                if failures > 0 {
                    return "  failed  \(chapter.path): \(failures) cell\(failures == 1 ? "" : "s") failed" + (hit ? " (cached)" : "")
                }
                if hit { return "  cached  \(chapter.path)" }
                return "  ran     \(chapter.path) in " + String(format: "%.1f s", r.compileSeconds + r.runSeconds)
            case .failure(let e):
                return "  failed  \(chapter.path): \(e.description)"
            }
        }
    }
}

/// Diagnostics filled in from several threads.
final class DiagnosticBox: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [[DocumentDiagnostic]]
    init(count: Int) { storage = Array(repeating: [], count: count) }
    func set(_ i: Int, _ d: [DocumentDiagnostic]) { lock.lock(); storage[i] = d; lock.unlock() }
    var values: [[DocumentDiagnostic]] { lock.lock(); defer { lock.unlock() }; return storage }
}

/// Lines on standard error while building, with a status line below them on a terminal.
final class Console: @unchecked Sendable {
    private let lock = NSLock()
    private let live: Bool
    private var hasStatus = false

    init(live: Bool) { self.live = live }

    func status(_ text: String) {
        lock.lock(); defer { lock.unlock() }
        FileHandle.standardError.write(Data(("\r\u{1b}[2K" + String(text.prefix(100))).utf8))
        hasStatus = true
    }

    func done(_ line: String) {
        lock.lock(); defer { lock.unlock() }
        let clear = hasStatus ? "\r\u{1b}[2K" : ""
        FileHandle.standardError.write(Data((clear + line + "\n").utf8))
        hasStatus = false
    }

    func clear() {
        lock.lock(); defer { lock.unlock() }
        if hasStatus { FileHandle.standardError.write(Data("\r\u{1b}[2K".utf8)); hasStatus = false }
    }
}

/// A path relative to the current folder when it is inside it.
func displayPath(_ path: String) -> String {
    let cwd = FileManager.default.currentDirectoryPath + "/"
    return path.hasPrefix(cwd) ? String(path.dropFirst(cwd.count)) : path
}
