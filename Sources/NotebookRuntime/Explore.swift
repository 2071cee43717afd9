#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NotebookChannel
import Tensors

/// The parameters of an explorer cell (`:explore-NAME:` options), as the
/// cell's code reads them: `explore.int("layers")`, `explore.double("lr")`,
/// `explore.string("data")`. A progression parameter (`:progression:`) is
/// read whole, `explore.progression("steps")`, and the cell records what the
/// page shows at each value with `explore.snapshot(at:)`.
///
/// Run by the chapter runner, the cell runs once per combination of the
/// other parameters, each in a child process forked from the chapter at
/// that point (so every run starts from the same state, and the chapter
/// goes on from the state before the cell: the cell's names are its own).
/// Run by hand, it runs once, with the defaults.
public let explore = Explore()

public final class Explore: @unchecked Sendable {
    var grid = ExploreGrid(parameters: [])
    /// The values of this run (all parameters; the progression's is its default).
    var values: [String: String] = [:]
    /// The run's folder, when the runner collects its outputs, and its key.
    var runFolder: String?
    var runKey: String?

    /// The value of parameter `name` as a whole number.
    public func int(_ name: String) -> Int {
        guard let n = Int(value(name)) else { fatalError("explore parameter '\(name)' is '\(value(name))', not a whole number") }
        return n
    }

    /// The value of parameter `name` as a number.
    public func double(_ name: String) -> Double {
        guard let x = Double(value(name)) else { fatalError("explore parameter '\(name)' is '\(value(name))', not a number") }
        return x
    }

    /// The value of parameter `name` as written.
    public func string(_ name: String) -> String { value(name) }

    /// Every value of the progression parameter `name`, in order, as whole numbers.
    public func progression(_ name: String) -> [Int] {
        guard name == grid.progression, let p = grid.progressionParameter else {
            fatalError("'\(name)' is not the cell's progression; declare it with :progression: \(name)")
        }
        return p.values.map { v in
            guard let n = Int(v) else { fatalError("progression '\(name)' has the value '\(v)', not a whole number") }
            return n
        }
    }

    func value(_ name: String) -> String {
        guard let v = values[name] else {
            fatalError("the cell has no explore parameter '\(name)'; declare it with :explore-\(name): v1, v2, ...")
        }
        return v
    }

    /// Records what `body` prints and shows as the page's frame at progression
    /// value `step`. Outside a snapshot, what the run prints and shows belongs
    /// to every one of its frames.
    public func snapshot(at step: Int, _ body: () throws -> Void) rethrows {
        guard let run = runFolder, let progression = grid.progression, let dir = Notebook.directory else {
            try body()
            return
        }
        let folder = run + "/\(progression)=\(step)"
        mkdir(folder, 0o755)
        fflush(stdout); fflush(stderr)
        let cell = Notebook.currentCell
        Notebook.directory = folder
        Notebook.redirect(1, to: "\(folder)/" + ChapterChannel.stdoutFile(cell: cell))
        Notebook.redirect(2, to: "\(folder)/" + ChapterChannel.stderrFile(cell: cell))
        defer {
            fflush(stdout); fflush(stderr)
            Notebook.directory = dir
            Notebook.redirect(1, to: "\(run)/" + ChapterChannel.stdoutFile(cell: cell))
            Notebook.redirect(2, to: "\(run)/" + ChapterChannel.stderrFile(cell: cell))
        }
        try body()
    }
}

extension Notebook {
    /// For an explorer cell: forks one child per run to do, up to
    /// `NBRUN_EXPLORE_JOBS` at a time. Each child gets its run's values and
    /// folder and runs the cell (returns true); the parent waits for all,
    /// writes each run's exit status, and skips the cell (returns false).
    /// Run by hand, the cell runs in place once, with the defaults.
    public static func exploreRuns(cell: Int, grid text: String) -> Bool {
        guard let grid = ExploreGrid(encoded: text) else { fatalError("explorer cell \(cell): unreadable grid '\(text)'") }
        explore.grid = grid
        explore.values = Dictionary(uniqueKeysWithValues: zip(grid.parameters.map(\.name), grid.defaults))
        guard let dir = directory else { return true }
        var todo = grid.runs
        if let listed = readFile("\(dir)/" + ChapterChannel.exploreTodoFile(cell: cell)) {
            let keys = Set(listed.split(separator: "\n").map(String.init))
            todo = todo.filter { keys.contains(grid.runKey($0)) }
        }
        let jobs = max(1, getenv(ChapterChannel.exploreJobsVariable).flatMap { Int(String(cString: $0)) } ?? 1)
        fflush(stdout); fflush(stderr)
        var started = timespec()
        clock_gettime(CLOCK_MONOTONIC, &started)
        defer {
            var ended = timespec()
            clock_gettime(CLOCK_MONOTONIC, &ended)
            let seconds = Double(ended.tv_sec - started.tv_sec) + Double(ended.tv_nsec - started.tv_nsec) / 1e9
            let fd = open("\(dir)/" + ChapterChannel.exploreSecondsFile(cell: cell), O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            if fd >= 0 { writeAll(fd, "\(seconds)\n"); close(fd) }
        }
        var running: [Int32: String] = [:]
        var next = 0
        while next < todo.count || !running.isEmpty {
            while next < todo.count && running.count < jobs {
                let run = todo[next]
                next += 1
                let key = grid.runKey(run)
                let folder = "\(dir)/" + ChapterChannel.exploreRunFolder(cell: cell, key: key)
                mkdir("\(dir)/explore-\(cell)", 0o755)
                mkdir(folder, 0o755)
                let pid = fork()
                if pid == 0 {
                    ThreadPool.shared.runSeriallyFromNowOn()
                    for (p, v) in zip(grid.runParameters, run) { explore.values[p.name] = v }
                    explore.runFolder = folder
                    explore.runKey = key
                    directory = folder
                    redirect(1, to: "\(folder)/" + ChapterChannel.stdoutFile(cell: cell))
                    redirect(2, to: "\(folder)/" + ChapterChannel.stderrFile(cell: cell))
                    return true
                }
                if pid < 0 { writeStatus(-1, to: folder); continue }
                running[pid] = folder
            }
            var status: Int32 = 0
            let pid = waitpid(-1, &status, 0)
            if pid < 0 {
                if errno == EINTR { continue }
                break
            }
            if let folder = running.removeValue(forKey: pid) { writeStatus(status, to: folder) }
        }
        return false
    }

    /// Ends an explorer cell's child after its run.
    public static func endExploreRun() {
        fflush(stdout); fflush(stderr)
        guard explore.runFolder != nil else { return }
        _exit(0)
    }

    static func writeStatus(_ status: Int32, to folder: String) {
        let fd = open("\(folder)/" + ChapterChannel.exploreStatusFile, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { return }
        writeAll(fd, "\(status)\n")
        close(fd)
    }

    static func readFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
