import ChapterExecution
import Foundation
import Grading
import MyST
import Plumbing
import Publishing

/// How a build runs.
public struct BuildOptions: Sendable {
    /// Chapters run at the same time.
    public var jobs = ProcessInfo.processInfo.activeProcessorCount
    /// Run every chapter even when its cached outputs are still valid.
    public var force = false
    /// Run the cells (false: pages show no outputs, exercises are not checked).
    public var execute = true
    /// The students' site: solutions left out.
    public var student = false
    /// Warnings fail the build too.
    public var strict = false
    /// nbrun's own folder: scratch space, the cache, the failed site.
    public var workDirectory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".nbrun")
    /// The folder files are named relative to in diagnostics and pages (nil: the current folder).
    public var displayBase: URL?
    /// Send running chapters' progress lines (`BuildEvent.progress`); reading
    /// them costs a file read per chapter every few milliseconds.
    public var progress = true
    /// The compiler and flow library to run cells with; nil to find them (`Toolchain.locate`).
    public var toolchain: Toolchain?

    public init() {}
}

/// What a build tells the person running it while it works.
public enum BuildEvent: Sendable {
    /// A chapter finished running (or came from the cache).
    case chapter(ChapterReport)
    /// A running chapter's cell (an index into its cells) began (`line` is
    /// empty), or printed a new progress line.
    case progress(path: String, cell: Int?, line: String)
    /// A line about the build's own work (building the library, checking exercises).
    case note(String)
}

/// How one chapter's cells went.
public struct ChapterReport: Sendable {
    public enum Outcome: Sendable, Equatable {
        /// The cells ran, in this many seconds.
        case ran(seconds: Double)
        /// The outputs came from the cache.
        case cached
        /// The chapter could not be run at all.
        case failed(String)
    }
    public var path: String
    public var outcome: Outcome
    /// Cells that failed without `raises-exception`.
    public var failedCells: Int
}

/// The result of a build: every problem found, and the verdict.
public struct BuildReport: Sendable {
    /// Every problem, in reading order (file, line, column).
    public var diagnostics: [Diagnostic]
    public var chapters: [ChapterReport]
    public var pageCount: Int
    /// True when the build has errors, or warnings under `strict`.
    public var failed: Bool
    /// Where the pages were written: the site, or the failed site.
    public var writtenTo: URL?

    public var errors: Int { diagnostics.errorCount }
    public var warnings: Int { diagnostics.warningCount }
}

/// `nbrun build` as named steps over one build context, in order:
///
///     load → execute → validate exercises → number → render → write
///
/// `run` takes them all; each can be called alone, and `execute` on some
/// chapters only, as the live preview does. The verdict comes from what the
/// steps found (a failing cell is an error whether or not its page shows it),
/// never from the renderer or from text.
///
/// The steps work in parallel inside, but are called one at a time: a
/// caller on several threads (a server) serialises its calls.
public final class CourseBuild: @unchecked Sendable {
    public private(set) var project: CourseProject
    public let options: BuildOptions
    /// Each chapter's outputs, by its toc file.
    public private(set) var outputs: [String: ChapterOutputs] = [:]
    /// Each chapter's result, by its toc file, with the program that gave it.
    public private(set) var results: [String: (source: ChapterSource, result: Result<ChapterResult, ExecutionError>)] = [:]
    public private(set) var chapterReports: [ChapterReport] = []
    /// Problems found by the steps so far, by the step that found them.
    public private(set) var diagnostics: [String: [Diagnostic]] = [:]
    public private(set) var numbered: SiteNumbering?
    public private(set) var site: Site?
    /// Receives the build's events; called from several threads.
    public var onEvent: @Sendable (BuildEvent) -> Void = { _ in }

    public init(_ project: CourseProject, options: BuildOptions = BuildOptions()) {
        self.project = project
        self.options = options
        diagnostics["load"] = project.diagnostics
    }

    /// The load step: `myst.yml` and the chapters.
    public static func load(_ folder: String, options: BuildOptions = BuildOptions()) throws -> CourseBuild {
        CourseBuild(try CourseProject.load(folder, relativeTo: options.displayBase), options: options)
    }

    /// Every step in order; the report of the whole build.
    public func run(output: URL) throws -> BuildReport {
        if options.execute {
            try execute()
            try validateExercises()
        }
        number()
        render()
        return try write(to: output)
    }

    // MARK: Steps

    /// The execute step: the chapters' cells, through the cache. `only`
    /// limits it to some chapters (by toc file); the others keep their outputs.
    public func execute(only: Set<String>? = nil) throws {
        let chapters = project.chapters.filter { !$0.cells.isEmpty && (only?.contains($0.file) ?? true) }
        guard !chapters.isEmpty else { return }
        let toolchain = try options.toolchain ?? Toolchain.locate()
        try toolchain.ensureLibrary { [onEvent] in onEvent(.note($0)) }
        let executor = ChapterExecutor(toolchain: toolchain, workDirectory: options.workDirectory.appendingPathComponent("work"))
        let onEvent = self.onEvent
        if options.progress { executor.onProgress = { path, cell, line in onEvent(.progress(path: path, cell: cell, line: line)) } }
        let cache = ExecutionCache(directory: options.workDirectory.appendingPathComponent("cache"))
        let sources = chapters.map(\.source)
        let cached = Locked<Set<Int>>([])
        let results = executor.runAll(sources, jobs: options.jobs, cache: cache, force: options.force) { i, result, hit in
            if hit { cached.withLock { _ = $0.insert(i) } }
            onEvent(.chapter(Self.report(sources[i], result, hit: hit)))
        }
        let hits = cached.current
        for (i, (chapter, result)) in zip(chapters, results).enumerated() {
            record(chapter, result: result, of: sources[i], cached: hits.contains(i))
        }
    }

    /// Takes a chapter's result as the execute step would: its outputs, its
    /// problems and its report, replacing any it had. A result need not come
    /// from this build: a preview keeps results between builds, and a
    /// program that runs the same (`ChapterSource.runsTheSame`) gives the
    /// same result wherever its cells now stand in the file.
    public func record(_ chapter: CourseChapter, result: Result<ChapterResult, ExecutionError>, of program: ChapterSource, cached: Bool) {
        let source = chapter.source
        var found = diagnostics["execute"] ?? []
        found.removeAll { $0.range.file == chapter.path }
        chapterReports.removeAll { $0.path == chapter.path }
        switch result {
        case .success(let r):
            outputs[chapter.file] = ChapterOutputs(chapter: chapter, result: r)
            found += r.diagnostics(of: source)
            // Explorers: their size against the budget, and, when they ran, their cost.
            for (cell, output) in zip(chapter.cells, r.cells) {
                guard let frames = output.explore else { continue }
                let bytes = Self.distinctBytes(frames)
                if bytes > chapter.settings.exploreBytes {
                    found.append(Diagnostic(.error, .exploreOverBudget, at: cell.range,
                        String(format: "this explorer's %d frames hold %.1f MB of distinct outputs, over the chapter's budget of %.1f MB",
                               frames.count, Double(bytes) / 1e6, Double(chapter.settings.exploreBytes) / 1e6),
                        hint: "drop values, draw smaller figures, or raise execute.explore_bytes"))
                }
                guard !cached, let runs = output.exploreRuns else { continue }
                onEvent(.note("  explorer \(chapter.path):\(cell.range.start.line): \(frames.count) frames from \(runs.total) run\(runs.total == 1 ? "" : "s") "
                              + "(\(runs.ran) ran, \(runs.total - runs.ran) from the cache) in " + String(format: "%.1f s, ", runs.seconds)
                              + Self.megabytes(bytes)))
            }
        case .failure(let e):
            outputs[chapter.file] = nil
            found.append(Diagnostic(.error, .chapterFailed, at: SourceRange(file: chapter.path, line: 1, column: 1), e.description))
        }
        results[chapter.file] = (program, result)
        chapterReports.append(Self.report(source, result, hit: cached))
        diagnostics["execute"] = found
    }

    /// Shows a chapter with outputs from an earlier program while its cells
    /// run again: each cell whose code did not change keeps its output;
    /// the chapter's problems wait for the new result.
    public func recordStale(_ chapter: CourseChapter, result: ChapterResult, of program: ChapterSource) {
        let before = result.outputsByCell(of: program)
        let code = Dictionary(program.cells.map { ($0.id, $0.code) }, uniquingKeysWith: { a, _ in a })
        var byCell: [CellID: CellOutput] = [:]
        for cell in chapter.source.cells where code[cell.id] == cell.code { byCell[cell.id] = before[cell.id] }
        outputs[chapter.file] = ChapterOutputs(chapter: chapter, byCell: byCell, glue: result.glue)
        diagnostics["execute"]?.removeAll { $0.range.file == chapter.path }
        chapterReports.removeAll { $0.path == chapter.path }
    }

    /// The exercises the exercise step validated.
    public private(set) var validatedExercises: [ExerciseSpec]?

    /// The exercise step: every exercise's reference solution must pass its
    /// checks and its starter must fail one (remembered per exercise content).
    /// Given an earlier build that validated the same exercises, its findings
    /// are taken as they are.
    public func validateExercises(reusing previous: CourseBuild? = nil) throws {
        let exercises = CourseExercises(project, numbered: false)
        if let previous, let before = previous.validatedExercises, before == exercises.specs {
            diagnostics["exercises"] = previous.diagnostics["exercises"]
            validatedExercises = before
            return
        }
        var found = exercises.diagnostics
        defer { diagnostics["exercises"] = found }
        guard !exercises.specs.isEmpty else { validatedExercises = []; return }
        let toolchain = try options.toolchain ?? Toolchain.locate()
        try toolchain.ensureLibrary { [onEvent] in onEvent(.note($0)) }
        let validation = ExerciseValidation(
            // The instructor's own code: no jail needed.
            checker: ExerciseChecker(toolchain: toolchain, workDirectory: options.workDirectory.appendingPathComponent("check"), jailed: false),
            cacheDirectory: options.workDirectory.appendingPathComponent("cache"),
            fingerprint: (try? toolchain.fingerprint()) ?? "unknown")
        let specs = exercises.specs
        let started = Date()
        found += Parallel.map(specs.count) { validation.problems(specs[$0]) }.flatMap { $0 }
        validatedExercises = specs
        let seconds = Date().timeIntervalSince(started)
        onEvent(.note("  checked \(specs.count) exercise\(specs.count == 1 ? "" : "s") (solutions pass, starters fail)"
                      + (seconds > 0.05 ? String(format: " in %.1f s", seconds) : ", all unchanged")))
    }

    /// The numbering step: page names, chapter numbers and every label across
    /// the site. Given an earlier build of the same course, the chapters not
    /// in `changed` (toc files) keep their numbering.
    public func number(reusing previous: CourseBuild? = nil, changed: Set<String> = []) {
        let pages = project.sitePages(outputs: options.execute ? outputs : [:])
        let numbered = SiteBuilder.number(project.config, pages: pages, student: options.student || project.config.student,
                                          reusing: previous?.numbered, changed: changed)
        self.numbered = numbered
        diagnostics["number"] = numbered.diagnostics
    }

    /// The render step: every page, the search index and the assets, in
    /// memory. Given an earlier build of the same course, pages are rendered
    /// again only where they may differ: the chapters in `changed` (toc
    /// files), or every page when numbers, labels or titles moved.
    public func render(reusing previous: CourseBuild? = nil, changed: Set<String> = []) {
        if numbered == nil { number() }
        guard let numbered else { return }
        var reused: Site?
        if let previous, let before = previous.numbered, let site = previous.site, numbered.othersRenderTheSame(as: before) { reused = site }
        let site = SiteBuilder.render(numbered, root: project.root, reusing: reused, changed: changed)
        diagnostics["render"] = site.diagnostics
        self.site = site
    }

    /// The write step: the new site replaces the old one in one step, and
    /// only when the build succeeded; otherwise the pages go to the failed
    /// site, where the errors can be seen in place.
    public func write(to output: URL) throws -> BuildReport {
        if site == nil { render() }
        var report = self.report
        guard let site else { return report }
        let target = report.failed ? options.workDirectory.appendingPathComponent("failed-site") : output
        if report.failed { try FileManager.default.createDirectory(at: options.workDirectory, withIntermediateDirectories: true) }
        try SiteWriter.write(site.files, to: target)
        report.writtenTo = target
        return report
    }

    /// What the steps run so far found.
    public var report: BuildReport {
        let order = ["load", "execute", "exercises", "number", "render"]
        let all = order.flatMap { diagnostics[$0] ?? [] }.sortedByLocation()
        let failed = all.errorCount > 0 || (options.strict && all.warningCount > 0)
        let ordered = project.chapters.compactMap { chapter in chapterReports.first { $0.path == chapter.path } }
        return BuildReport(diagnostics: all, chapters: ordered, pageCount: site?.pageCount ?? 0, failed: failed, writtenTo: nil)
    }

    /// The bytes of an explorer's outputs, each distinct text or figure once.
    static func distinctBytes(_ frames: [String: ExploreFrame]) -> Int {
        var seen: Set<String> = []
        var bytes = 0
        for frame in frames.values {
            for text in [frame.stdout, frame.stderr] + frame.displays.map(\.data) where seen.insert(text).inserted { bytes += text.utf8.count }
        }
        return bytes
    }

    static func megabytes(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1e6) }

    static func report(_ chapter: ChapterSource, _ result: Result<ChapterResult, ExecutionError>, hit: Bool) -> ChapterReport {
        switch result {
        case .success(let r):
            return ChapterReport(path: chapter.path, outcome: hit ? .cached : .ran(seconds: r.compileSeconds + r.runSeconds),
                                 failedCells: r.cells.filter(\.isFailure).count)
        case .failure(let e):
            return ChapterReport(path: chapter.path, outcome: .failed(e.description), failedCells: 0)
        }
    }
}
