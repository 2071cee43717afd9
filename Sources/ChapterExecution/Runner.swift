import Foundation
import NotebookChannel
import Plumbing
#if canImport(Glibc)
import Glibc
#endif

/// A folder the chapter's runtime wrote to: the runner's own, or one of an
/// explorer's runs or snapshots.
struct ChannelFolder {
    let directory: URL
    init(_ directory: URL) { self.directory = directory }

    /// A file's text, empty when it is missing.
    func text(of name: String) -> String {
        guard let d = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path) else { return "" }
        return String(decoding: d, as: UTF8.self)
    }

    /// The records of `displays.jsonl` or `glue.jsonl`; a line that does
    /// not decode (a chapter that wrote there itself) is skipped.
    func displayLines(_ name: String) -> [ChapterChannel.DisplayLine] {
        let decoder = JSONDecoder()
        return text(of: name).split(separator: "\n").compactMap {
            try? decoder.decode(ChapterChannel.DisplayLine.self, from: Data($0.utf8))
        }
    }
}

/// Runs a compiled chapter under its limits and reads what the runtime wrote.
struct Runner {
    let executable: URL
    let directory: URL
    let limits: ExecutionLimits
    let seed: UInt64
    let threads: Int?
    /// Called with the runtime's latest progress line whenever it changes.
    /// Told the running cell (an index into the chapter) when one begins,
    /// and its progress line when that changes.
    var onProgress: ((Int?, String) -> Void)? = nil
    /// Explorer cells' runs at a time, and each explorer cell's time limit
    /// as a multiple of one cell's (its runs share it).
    var exploreJobs = 1
    var cellTimeScale: [Int: Double] = [:]

    enum Stop: Sendable {
        case none(status: Int32)
        case crashed(status: Int32)
        case timeout(seconds: Double)
        case outputLimit(bytes: Int)
    }

    struct Outcome {
        let directory: URL
        let stop: Stop
        /// The cell in which the run was stopped by a limit.
        let stoppedCell: Int?
        let lastBegun: Int?
        /// True when the program reached its end.
        let finished: Bool
        let expectedFailures: [(cell: Int, status: Int32)]

        func text(of name: String) -> String { ChannelFolder(directory).text(of: name) }
        func displayLines(_ name: String) -> [ChapterChannel.DisplayLine] { ChannelFolder(directory).displayLines(name) }
    }

    func run() throws -> Outcome {
        var env = ProcessInfo.processInfo.environment
        env[ChapterChannel.directoryVariable] = directory.path
        env[ChapterChannel.seedVariable] = String(seed)
        env.merge(compiledProgramEnvironment) { _, fixed in fixed }
        if let threads { env[ChapterChannel.threadsVariable] = String(threads) }
        env[ChapterChannel.exploreJobsVariable] = String(exploreJobs)

        // The watchdog: the cell's and the chapter's time, the cell's output.
        let start = Date()
        var current: Int? = nil
        var currentStart = start
        var stop: Stop? = nil
        var stoppedCell: Int? = nil
        var controlOffset = 0
        var control = ""
        var lastProgress = ""
        let watch = {
            control = readControl(&controlOffset, control)
            let begun = lastBegun(control)
            if begun != current {
                current = begun; currentStart = Date()
                onProgress?(current, "")
            }
            if let onProgress, let d = FileManager.default.contents(atPath: directory.appendingPathComponent(ChapterChannel.progressFile).path) {
                let line = String(decoding: d, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                if !line.isEmpty && line != lastProgress { lastProgress = line; onProgress(current, line) }
            }
            let now = Date()
            let cellSeconds = limits.cellSeconds * (current.flatMap { cellTimeScale[$0] } ?? 1)
            if now.timeIntervalSince(currentStart) > cellSeconds {
                stop = .timeout(seconds: cellSeconds); stoppedCell = current
            } else if now.timeIntervalSince(start) > limits.chapterSeconds {
                stop = .timeout(seconds: limits.chapterSeconds); stoppedCell = current
            } else if let c = current, outputSize(c) > limits.outputBytes {
                stop = .outputLimit(bytes: limits.outputBytes); stoppedCell = c
            }
            return stop != nil
        }
        // The memory limit is set by the shell before it becomes the chapter.
        let result = try Subprocess.run(["/bin/sh", "-c", "ulimit -v \(limits.memoryMegabytes * 1024) 2>/dev/null; exec \"$0\"", executable.path],
                                        environment: env, directory: directory.path, output: URL(fileURLWithPath: "/dev/null"),
                                        watch: watch)
        control = readControl(&controlOffset, control)
        let records = ChapterChannel.ControlLine.all(in: control)
        let finished = records.last == .end
        let status = result.status
        let outcome: Stop = stop ?? (finished && status == 0 ? .none(status: status) : .crashed(status: status))
        var expected: [(Int, Int32)] = []
        for case .expected(let cell, let status) in records { expected.append((cell, status)) }
        return Outcome(directory: directory, stop: outcome, stoppedCell: stoppedCell, lastBegun: lastBegun(control),
                       finished: finished && status == 0, expectedFailures: expected)
    }

    func readControl(_ offset: inout Int, _ sofar: String) -> String {
        guard let d = FileManager.default.contents(atPath: directory.appendingPathComponent(ChapterChannel.controlFile).path) else { return sofar }
        offset = d.count
        return String(decoding: d, as: UTF8.self)
    }

    func lastBegun(_ control: String) -> Int? {
        for record in ChapterChannel.ControlLine.all(in: control).reversed() {
            if case .begin(let cell) = record { return cell }
        }
        return nil
    }

    func outputSize(_ cell: Int) -> Int {
        let fm = FileManager.default
        return [ChapterChannel.stdoutFile(cell: cell), ChapterChannel.stderrFile(cell: cell)].reduce(0) { total, name in
            let path = directory.appendingPathComponent(name).path
            return total + ((try? fm.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
        }
    }
}

/// What every program nbrun compiles (a chapter, a check) runs with: no
/// backtrace of addresses (a trap's output must be the same bytes every
/// build), and deterministic hashing, since sets and dictionaries otherwise
/// iterate in an order seeded per process and a program that prints or sums
/// over one would give other bytes on every run.
package let compiledProgramEnvironment: [String: String] = [
    "SWIFT_BACKTRACE": "enable=no",
    "SWIFT_DETERMINISTIC_HASHING": "1",
]
