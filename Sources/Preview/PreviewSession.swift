import ChapterExecution
import Course
import Foundation
import Plumbing

/// What a change asks of the preview: which chapters run their cells again.
/// Every page is rendered again (a heading or a label in one chapter can
/// change the numbers and references of others), but only a chapter whose
/// cells, seed, limits or data changed is executed; a prose edit is not.
public struct PreviewPlan: Equatable, Sendable {
    /// The chapters (toc files) whose cells run again.
    public var execute: [String]

    /// The plan from the chapters' sources in the last build (by toc file) to
    /// `project`, when the files `changed` (absolute paths): a chapter runs
    /// again when its program changed or a data file it reads did.
    public static func make(previous: [String: ChapterSource], project: CourseProject, changed: [String] = []) -> PreviewPlan {
        let changed = Set(changed.map { URL(fileURLWithPath: $0).standardizedFileURL.path })
        return PreviewPlan(execute: project.chapters.filter { chapter in
            guard !chapter.cells.isEmpty else { return false }
            let source = chapter.source
            guard let before = previous[chapter.file], before.runsTheSame(as: source) else { return true }
            return source.dataFiles.contains { changed.contains(URL(fileURLWithPath: $0).standardizedFileURL.path) }
        }.map(\.file))
    }
}

/// The live preview's state: the last good site in memory (pages with the
/// live script), the last build's problems, each chapter's last result, and
/// the browsers listening.
///
/// A rebuild never waits for cells to run: it renders at once with the
/// results it has (a chapter whose program changed shows its previous
/// outputs, marked stale in the browser) and hands the chapters to run to a
/// background worker, which asks for another rebuild when they finish.
/// Rebuilds run one at a time on the caller's thread; the server and the
/// worker read and write the state from their own.
public final class PreviewSession: Sendable {
    /// The project folder.
    public let project: String
    let options: BuildOptions
    /// Prints a line on the terminal.
    let say: @Sendable (String) -> Void
    let documents = DocumentCache()

    typealias Known = (source: ChapterSource, result: Result<ChapterResult, ExecutionError>)

    struct State {
        var files: [String: Data] = [:]
        var generation = 0
        var last: CourseBuild?
        var diagnostics: [Diagnostic] = []
        var building: String?
        /// Each chapter's latest result (by toc file), whichever build ran it.
        var known: [String: Known] = [:]
        /// Chapters whose result arrived since the last rebuild.
        var arrived: Set<String> = []
        /// Chapters waiting for the worker, and those it runs now (with the
        /// program it runs).
        var waiting: Set<String> = []
        var running: [String: ChapterSource] = [:]
        var workerActive = false
        var latestProject: CourseProject?
        var rebuildWanted = false
        var listeners: [UUID: AsyncStream<String>.Continuation] = [:]
        /// What each connected browser last said it shows (its JSON).
        var shown: [UUID: String] = [:]
    }
    private let state = Locked(State())
    /// Names this run of the server, so a page from an earlier one reloads.
    let instance = String(UUID().uuidString.prefix(8))

    public init(project: String, options: BuildOptions, say: @escaping @Sendable (String) -> Void) {
        self.project = project
        self.options = options
        self.say = say
    }

    // MARK: Building

    /// Builds the course and tells the browsers. Never throws: every problem
    /// becomes a diagnostic in the overlay and on the terminal.
    ///
    /// - Parameters:
    ///   - changed: the files that changed (absolute paths).
    ///   - libraryChanged: the flow library's sources changed, so every
    ///     chapter runs again.
    ///   - wait: run the chapters' cells before rendering (the first build)
    ///     instead of in the background.
    @discardableResult
    public func rebuild(because changed: [String] = [], libraryChanged: Bool = false, wait: Bool = false) -> PreviewPlan {
        let started = Date()
        var plan = PreviewPlan(execute: [])
        do {
            let project = try CourseProject.load(self.project, relativeTo: options.displayBase, documents: documents)
            let (previous, known, arrived) = state.withLock { s in
                if libraryChanged { s.known = [:] }
                s.rebuildWanted = false
                defer { s.arrived = [] }
                return (s.last, s.known, s.arrived)
            }
            plan = PreviewPlan.make(previous: known.mapValues(\.source), project: project, changed: changed)
            let build = CourseBuild(project, options: options)
            build.onEvent = { [weak self] event in self?.forward(event, project: project) }
            if wait && !plan.execute.isEmpty {
                setBuilding("running " + plan.execute.joined(separator: ", "))
                try build.execute(only: Set(plan.execute))
                state.withLock { s in for (file, r) in build.results { s.known[file] = (r.source, r.result) } }
            }
            let background = wait ? [] : plan.execute
            for chapter in project.chapters {
                if !background.contains(chapter.file), build.results[chapter.file] == nil, let k = known[chapter.file] {
                    build.record(chapter, result: k.result, of: k.source, cached: true)
                } else if background.contains(chapter.file), let k = known[chapter.file], case .success(let r) = k.result {
                    build.recordStale(chapter, result: r, of: k.source)
                }
            }
            try build.validateExercises(reusing: libraryChanged ? nil : previous)
            // Chapters to number and render again: those whose file changed
            // (the others keep their numbering), and to render again those
            // whose results arrived or which start running.
            let changedPaths = Set(changed.map(Self.standardized))
            let edited = Set(project.chapters.filter { changedPaths.contains(Self.standardized(project.root.appendingPathComponent($0.file).path)) }.map(\.file))
            build.number(reusing: previous, changed: edited)
            build.render(reusing: previous, changed: edited.union(arrived).union(background))
            var report = build.report
            // A running chapter's page shows its previous outputs: what they
            // lack (glued values) is not news until its cells have run.
            let runningPaths = Set(project.chapters.filter { background.contains($0.file) }.map(\.path))
            report.diagnostics.removeAll { $0.code == .missingGlue && runningPaths.contains($0.range.file) }
            let site = build.site?.files ?? [:]
            let before = previous?.site?.files ?? [:]
            let pages = site.keys.filter { $0.hasSuffix(".html") && site[$0] != before[$0] }.sorted()
            let pageOf = Dictionary(project.chapters.map { ($0.file, $0.page) }, uniquingKeysWith: { a, _ in a })
            let generation = state.withLock { s -> Int in
                if previous == nil { s.files = Self.withLiveScript(site) } else {
                    for name in s.files.keys where site[name] == nil && name != LiveScript.path { s.files[name] = nil }
                    for (name, data) in site where before[name] != data { s.files[name] = name.hasSuffix(".html") ? Self.withLiveScript(data) : data }
                }
                s.last = build
                s.latestProject = project
                s.diagnostics = report.diagnostics
                s.generation += 1
                s.building = nil
                // A chapter already running this very program is not queued again.
                let sources = Dictionary(project.chapters.map { ($0.file, $0.source) }, uniquingKeysWith: { a, _ in a })
                s.waiting.formUnion(background.filter { s.running[$0] == nil || s.running[$0] != sources[$0] })
                return s.generation
            }
            for d in report.diagnostics where d.severity != .note { say(d.description) }
            let seconds = Date().timeIntervalSince(started)
            say(String(format: "rebuilt in %.2f s: %d error%@, %d warning%@", seconds, report.errors, report.errors == 1 ? "" : "s",
                       report.warnings, report.warnings == 1 ? "" : "s")
                + (changed.isEmpty ? "" : " (" + changed.map { ($0 as NSString).lastPathComponent }.joined(separator: ", ") + " changed)")
                + (background.isEmpty ? "" : "; running " + background.joined(separator: ", ")))
            let running = state.withLock { $0.waiting.union($0.running.keys) }
            broadcast(siteMessage(generation: generation, diagnostics: report.diagnostics, changed: previous == nil ? nil : pages,
                                  running: running.compactMap { pageOf[$0] }.sorted()))
            if !background.isEmpty { startWorker() }
        } catch {
            // The course cannot be loaded (myst.yml) or the runner cannot work:
            // the previous site stays, the problem shows over it.
            let diagnostic = (error as? CourseProject.LoadError)?.diagnostic
                ?? Diagnostic(.error, .chapterFailed, at: SourceRange(file: project, line: 1, column: 1), "\(error)")
            let generation = state.withLock { s -> Int in
                s.diagnostics = [diagnostic]
                s.building = nil
                return s.generation
            }
            say(diagnostic.description)
            broadcast(siteMessage(generation: generation, diagnostics: [diagnostic], changed: [], running: []))
        }
        return plan
    }

    /// True once (then false until the next time) when the background worker
    /// has results that the site does not show yet: call `rebuild()` then.
    public func takeRebuildRequest() -> Bool {
        state.withLock { s in
            defer { s.rebuildWanted = false }
            return s.rebuildWanted
        }
    }

    /// Runs the waiting chapters, the newest version of each, one batch at a
    /// time, on a thread of its own; each result is kept and a rebuild asked for.
    func startWorker() {
        let start = state.withLock { s -> Bool in
            guard !s.workerActive else { return false }
            s.workerActive = true
            return true
        }
        guard start else { return }
        Thread.detachNewThread { [self] in
            while true {
                let next = state.withLock { s -> (CourseProject, Set<String>)? in
                    guard !s.waiting.isEmpty, let project = s.latestProject else {
                        s.workerActive = false
                        s.running = [:]
                        return nil
                    }
                    let files = s.waiting
                    s.running = Dictionary(project.chapters.filter { files.contains($0.file) }.map { ($0.file, $0.source) },
                                           uniquingKeysWith: { a, _ in a })
                    s.waiting = []
                    return (project, files)
                }
                guard let (project, files) = next else { return }
                let build = CourseBuild(project, options: options)
                build.onEvent = { [weak self] event in self?.forward(event, project: project) }
                var failure: String?
                do { try build.execute(only: files) } catch { failure = "\(error)" }
                state.withLock { s in
                    for (file, r) in build.results {
                        s.known[file] = (r.source, r.result)
                        s.arrived.insert(file)
                    }
                    // When the runner itself failed (the library does not
                    // build), each chapter's result is that failure, so that
                    // it shows and is not tried again until something changes.
                    if let failure {
                        for chapter in project.chapters where files.contains(chapter.file) && build.results[chapter.file] == nil {
                            s.known[chapter.file] = (chapter.source, .failure(ExecutionError(failure)))
                            s.arrived.insert(chapter.file)
                        }
                    }
                    s.running = [:]
                    s.rebuildWanted = true
                }
            }
        }
    }

    /// A build event, to the terminal and the browsers.
    func forward(_ event: BuildEvent, project: CourseProject) {
        switch event {
        case .progress(let path, let cell, let line):
            var fields = ["type": "progress", "text": path + (line.isEmpty ? ": running" : ": " + line)]
            if let chapter = project.chapter(atPath: path) {
                fields["page"] = chapter.page
                if let cell, let index = Self.shownIndex(ofCell: cell, in: chapter) {
                    fields["cell"] = String(index)
                    fields["line"] = line
                }
            }
            broadcast(Self.message(fields))
        case .chapter(let chapter):
            switch chapter.outcome {
            case .ran(let s): say("  ran     \(chapter.path) in " + String(format: "%.1f s", s))
            case .failed: say("  failed  \(chapter.path)")
            case .cached: break
            }
        case .note(let text):
            // Every rebuild checks the exercises; only news is worth a line.
            if !text.hasSuffix("all unchanged") { say(text) }
        }
    }

    /// Where the chapter's Swift cell `cell` stands among the Swift cells its
    /// page shows (`div.cell[data-language=swift]`), or nil if it shows none.
    static func shownIndex(ofCell cell: Int, in chapter: CourseChapter) -> Int? {
        guard cell < chapter.cells.count else { return nil }
        let range = chapter.cells[cell].range
        let shown = chapter.document.codeCells.filter { $0.cell.language == "swift" && !$0.cell.tags.contains(.removeCell) }
        return shown.firstIndex { $0.range == range }
    }

    static func standardized(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }

    func setBuilding(_ what: String) {
        state.withLock { $0.building = what }
        broadcast(Self.message(["type": "building", "text": what]))
    }

    // MARK: Serving

    /// The file at `path` of the site (`/` is `index.html`), or nil.
    public func file(_ path: String) -> (data: Data, type: String)? {
        var name = path.split(separator: "?").first.map(String.init) ?? path
        name = name.removingPercentEncoding ?? name
        while name.hasPrefix("/") { name.removeFirst() }
        if name.isEmpty || name.hasSuffix("/") { name += "index.html" }
        guard !name.split(separator: "/").contains("..") else { return nil }
        guard let data = state.withLock({ $0.files[name] }) else { return nil }
        return (data, Self.mimeType(name))
    }

    /// The current generation of the site and its problems.
    public var current: (generation: Int, diagnostics: [Diagnostic]) {
        state.withLock { ($0.generation, $0.diagnostics) }
    }

    /// A stream of messages for browser `id`: first the current state, then
    /// every build's. Ends when the browser goes.
    public func listen(_ id: UUID) -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(64))
        let (generation, diagnostics, building, running) = state.withLock { s in
            s.listeners[id] = continuation
            return (s.generation, s.diagnostics, s.building, s.waiting.union(s.running.keys).compactMap { file in
                s.latestProject?.chapters.first { $0.file == file }?.page
            })
        }
        continuation.yield(siteMessage(generation: generation, diagnostics: diagnostics, changed: [], running: running.sorted()))
        if let building { continuation.yield(Self.message(["type": "building", "text": building])) }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { s in
                s.listeners.removeValue(forKey: id)
                s.shown.removeValue(forKey: id)
            }
        }
        return stream
    }

    /// Records what browser `id` says it shows.
    public func browser(_ id: UUID, shows json: String) {
        state.withLock { $0.shown[id] = json }
    }

    /// What the connected browsers show, as a JSON array of their reports.
    public var browsers: String {
        "[" + state.withLock { Array($0.shown.values) }.sorted().joined(separator: ",") + "]"
    }

    func broadcast(_ message: String) {
        let listeners = state.withLock { Array($0.listeners.values) }
        for l in listeners { l.yield(message) }
    }

    // MARK: Messages

    static func message(_ fields: [String: String]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// `{"type":"site","generation":n,"problems":[...],"changed":[...],"running":[...]}`:
    /// a browser whose page is older and among the `changed` pages (nil: all)
    /// shows the new one; pages whose chapters are `running` mark their
    /// outputs stale; the problems show over the page.
    func siteMessage(generation: Int, diagnostics: [Diagnostic], changed: [String]?, running: [String]) -> String {
        let problems: [[String: Any]] = diagnostics.filter { $0.severity != .note }.map { d in
            ["severity": d.severity.rawValue, "location": "\(d.range.file):\(d.line):\(d.column)", "message": d.message,
             "code": d.code.name, "excerpt": Self.excerpt(d)]
        }
        var object: [String: Any] = ["type": "site", "server": instance, "generation": generation, "problems": problems, "running": running]
        if let changed { object["changed"] = changed }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// The diagnostic's line of its file with a caret under its column.
    static func excerpt(_ d: Diagnostic) -> String {
        guard let text = try? String(contentsOfFile: d.range.file, encoding: .utf8) else { return "" }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard d.line >= 1, d.line <= lines.count else { return "" }
        let line = String(lines[d.line - 1])
        return line + "\n" + String(repeating: " ", count: max(0, min(d.column - 1, line.count))) + "^"
    }

    // MARK: Pages

    /// The site's pages with the live script before `</body>`; other files as they are.
    static func withLiveScript(_ files: [String: Data]) -> [String: Data] {
        var out = files
        for (name, data) in files where name.hasSuffix(".html") { out[name] = withLiveScript(data) }
        out[LiveScript.path] = Data(LiveScript.source.utf8)
        return out
    }

    /// A page with the live script before its `</body>`.
    static func withLiveScript(_ page: Data) -> Data {
        let html = String(decoding: page, as: UTF8.self)
        guard let end = html.range(of: "</body>", options: .backwards) else { return page }
        return Data((html[..<end.lowerBound] + LiveScript.tag + html[end.lowerBound...]).utf8)
    }

    static func mimeType(_ name: String) -> String {
        switch (name as NSString).pathExtension.lowercased() {
        case "html": "text/html; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "jpg", "jpeg": "image/jpeg"
        case "json": "application/json"
        case "woff2": "font/woff2"
        case "woff": "font/woff"
        case "txt", "md", "csv": "text/plain; charset=utf-8"
        default: "application/octet-stream"
        }
    }
}
