import Foundation
import NotebookChannel

/// Where a chapter's explorer runs are remembered, and what their keys need.
public struct ExplorerCache: Sendable {
    public var cache: ExecutionCache
    public var fingerprint: String
    public var dataFiles: [URL]
    /// False to run every combination again (`--force`), still storing them.
    public var reuse: Bool

    public init(cache: ExecutionCache, fingerprint: String, dataFiles: [URL] = [], reuse: Bool = true) {
        self.cache = cache
        self.fingerprint = fingerprint
        self.dataFiles = dataFiles
        self.reuse = reuse
    }
}

/// Explorer cells: each runs once per combination of its parameters, in
/// processes the chapter forks (`Notebook.exploreRuns`). Before the chapter
/// runs, the runs already in the cache are looked up and the others listed
/// for the chapter to do; after, every run's frames are read from its
/// folder, stored, and put together with the cached ones.
extension ChapterExecutor {
    struct ExplorerPlan {
        /// By explorer cell: its key, and the cached frames of the runs it need not do.
        var keys: [Int: String] = [:]
        var cached: [Int: [String: [String: ExploreFrame]]] = [:]
        var timeScale: [Int: Double] = [:]
    }

    func planExplorers(_ chapter: ChapterSource, cells: [Int], limits: ExecutionLimits, in dir: URL,
                       cache: ExplorerCache?, jobs: Int) throws -> ExplorerPlan {
        var plan = ExplorerPlan()
        for i in cells {
            guard let grid = chapter.cells[i].explore else { continue }
            var todo: [String] = []
            var cached: [String: [String: ExploreFrame]] = [:]
            let key = cache.map { $0.cache.exploreKey(chapter, cell: i, limits: limits, fingerprint: $0.fingerprint, dataFiles: $0.dataFiles) }
            for run in grid.runs {
                let runKey = grid.runKey(run)
                if let key, let cache, cache.reuse, let frames = cache.cache.lookupRun(key, run: runKey) {
                    cached[runKey] = frames
                } else {
                    todo.append(runKey)
                }
            }
            try (todo.joined(separator: "\n") + "\n").write(to: dir.appendingPathComponent(ChapterChannel.exploreTodoFile(cell: i)),
                                                           atomically: true, encoding: .utf8)
            plan.keys[i] = key
            plan.cached[i] = cached
            // The runs share the cell's time: each may take one cell's limit.
            plan.timeScale[i] = Swift.max(1, (Double(todo.count) / Double(Swift.max(1, jobs))).rounded(.up))
        }
        return plan
    }

    func collectExplorers(_ plan: ExplorerPlan, run: Runner.Outcome, chapter: ChapterSource,
                          into outputs: inout [CellOutput], glue: inout [String: DisplayRecord], cache: ExplorerCache?) {
        for (i, cached) in plan.cached.sorted(by: { $0.key < $1.key }) {
            guard let grid = chapter.cells[i].explore else { continue }
            var frames: [String: ExploreFrame] = [:]
            for values in grid.runs {
                let runKey = grid.runKey(values)
                if let hit = cached[runKey] {
                    frames.merge(hit) { a, _ in a }
                    continue
                }
                let folder = run.directory.appendingPathComponent(ChapterChannel.exploreRunFolder(cell: i, key: runKey))
                let (made, finished) = readRun(folder, grid: grid, values: values, cell: i, chapter: chapter)
                frames.merge(made) { a, _ in a }
                if finished, let key = plan.keys[i], let cache { try? cache.cache.storeRun(key, run: runKey, frames: made) }
            }
            outputs[i].explore = frames
            let seconds = Double(run.text(of: ChapterChannel.exploreSecondsFile(cell: i)).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
            outputs[i].exploreRuns = ExploreRuns(total: grid.runs.count, ran: grid.runs.count - cached.count, seconds: seconds)
            // The page without script, and the chapter's prose, see the defaults.
            if let first = frames[grid.frameKey(grid.defaults)] {
                outputs[i].stdout = first.stdout
                outputs[i].stderr = first.stderr
                outputs[i].displays = first.displays
                if outputs[i].error == nil { outputs[i].error = first.error }
                for (name, value) in first.glue where glue[name] == nil { glue[name] = value }
            }
        }
    }

    /// The frames of one run: what it wrote outside snapshots, followed (with
    /// a progression) by each snapshot's; and whether it ended by itself.
    func readRun(_ folder: URL, grid: ExploreGrid, values: [String], cell: Int, chapter: ChapterSource) -> ([String: ExploreFrame], Bool) {
        func read(_ folder: URL) -> ExploreFrame {
            let files = ChannelFolder(folder)
            var frame = ExploreFrame()
            frame.stdout = files.text(of: ChapterChannel.stdoutFile(cell: cell))
            frame.stderr = cleanTrapOutput(files.text(of: ChapterChannel.stderrFile(cell: cell)), path: chapter.path)
            frame.displays = files.displayLines(ChapterChannel.displaysFile).map { DisplayRecord(mime: $0.mime, data: $0.data, name: nil) }
            for record in files.displayLines(ChapterChannel.glueFile) {
                if let name = record.name { frame.glue[name] = DisplayRecord(mime: record.mime, data: record.data, name: name) }
            }
            return frame
        }
        func join(_ a: ExploreFrame, _ b: ExploreFrame) -> ExploreFrame {
            var f = a
            f.stdout += b.stdout
            f.stderr += b.stderr
            f.displays += b.displays
            f.glue.merge(b.glue) { _, new in new }
            return f
        }
        let statusText = FileManager.default.fileExists(atPath: folder.appendingPathComponent(ChapterChannel.exploreStatusFile).path)
            ? ChannelFolder(folder).text(of: ChapterChannel.exploreStatusFile).trimmingCharacters(in: .whitespacesAndNewlines) : nil
        let common = read(folder)
        var error: CellError?
        switch statusText.flatMap({ Int32($0) }) {
        case nil:
            error = .notRun(reason: "the chapter stopped before this combination finished")
        case 0?:
            break
        case let status?:
            error = .runtime(message: trapMessage(common.stderr) ?? "the run for \(grid.runKey(values)) stopped (status \(status))",
                             line: trapLine(common.stderr, chapter.path))
        }
        var frames: [String: ExploreFrame] = [:]
        if let progression = grid.progressionParameter {
            for step in progression.values {
                let snapshot = folder.appendingPathComponent("\(progression.name)=\(step)")
                var frame: ExploreFrame
                if FileManager.default.fileExists(atPath: snapshot.path) {
                    frame = join(common, read(snapshot))
                } else {
                    frame = common
                    frame.error = .notRun(reason: "the run recorded no snapshot at \(progression.name) = \(step) (call explore.snapshot(at: \(step)) { ... })")
                }
                if let error { frame.error = error }
                frames[grid.frameKey(run: values, step: step)] = frame
            }
        } else {
            var frame = common
            frame.error = error
            frames[grid.frameKey(run: values, step: nil)] = frame
        }
        return (frames, statusText != nil)
    }
}
