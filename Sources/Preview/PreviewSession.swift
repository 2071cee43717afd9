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
/// live script), the last build's problems, and the browsers listening.
/// Rebuilds run one at a time on the caller's thread; the server reads the
/// state from its own.
public final class PreviewSession: Sendable {
    /// The project folder.
    public let project: String
    let options: BuildOptions
    /// Prints a line on the terminal.
    let say: @Sendable (String) -> Void

    struct State {
        var files: [String: Data] = [:]
        var generation = 0
        var sources: [String: ChapterSource] = [:]
        var diagnostics: [Diagnostic] = []
        var building: String?
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

    /// Builds the course (through the execution cache), keeps the site if the
    /// course could be loaded, and tells the browsers. Never throws: every
    /// problem becomes a diagnostic in the overlay and on the terminal.
    @discardableResult
    public func rebuild(because changed: [String] = []) -> PreviewPlan {
        let started = Date()
        var plan = PreviewPlan(execute: [])
        do {
            let build = try CourseBuild.load(project, options: options)
            plan = PreviewPlan.make(previous: state.withLock { $0.sources }, project: build.project, changed: changed)
            setBuilding(plan.execute.isEmpty ? "rendering" : "running " + plan.execute.joined(separator: ", "))
            build.onEvent = { [weak self] event in
                switch event {
                case .progress(let path, let line): self?.broadcast(Self.message(["type": "progress", "text": path + ": " + line]))
                case .chapter(let chapter): if case .ran(let s) = chapter.outcome { self?.say("  ran     \(chapter.path) in " + String(format: "%.1f s", s)) }
                case .note(let text): self?.say(text)
                }
            }
            try build.execute()
            try build.validateExercises()
            build.number()
            build.render()
            let report = build.report
            let files = (build.site?.files ?? [:]).mapValues { $0 }
            let sources = Dictionary(build.project.chapters.map { ($0.file, $0.source) }, uniquingKeysWith: { a, _ in a })
            let generation = state.withLock { s -> Int in
                s.files = Self.withLiveScript(files)
                s.sources = sources
                s.diagnostics = report.diagnostics
                s.generation += 1
                s.building = nil
                return s.generation
            }
            for d in report.diagnostics where d.severity != .note { say(d.description) }
            let seconds = Date().timeIntervalSince(started)
            say(String(format: "rebuilt in %.2f s: %d error%@, %d warning%@", seconds, report.errors, report.errors == 1 ? "" : "s",
                       report.warnings, report.warnings == 1 ? "" : "s")
                + (changed.isEmpty ? "" : " (" + changed.map { ($0 as NSString).lastPathComponent }.joined(separator: ", ") + " changed)"))
            broadcast(reloadMessage(generation: generation, diagnostics: report.diagnostics))
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
            broadcast(reloadMessage(generation: generation, diagnostics: [diagnostic]))
        }
        return plan
    }

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
        let (generation, diagnostics, building) = state.withLock { s in
            s.listeners[id] = continuation
            return (s.generation, s.diagnostics, s.building)
        }
        continuation.yield(reloadMessage(generation: generation, diagnostics: diagnostics))
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

    /// `{"type":"site","generation":n,"problems":[...]}`: the browser reloads when
    /// its page's generation is older, and shows the problems.
    func reloadMessage(generation: Int, diagnostics: [Diagnostic]) -> String {
        let problems: [[String: Any]] = diagnostics.filter { $0.severity != .note }.map { d in
            ["severity": d.severity.rawValue, "location": "\(d.range.file):\(d.line):\(d.column)", "message": d.message,
             "code": d.code.name, "excerpt": Self.excerpt(d)]
        }
        let object: [String: Any] = ["type": "site", "server": instance, "generation": generation, "problems": problems]
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
        for (name, data) in files where name.hasSuffix(".html") {
            let html = String(decoding: data, as: UTF8.self)
            guard let end = html.range(of: "</body>", options: .backwards) else { continue }
            out[name] = Data((html[..<end.lowerBound] + LiveScript.tag + html[end.lowerBound...]).utf8)
        }
        out[LiveScript.path] = Data(LiveScript.source.utf8)
        return out
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
