import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a compiled chapter under its limits and reads what the runtime wrote.
struct Runner {
    let executable: URL
    let directory: URL
    let limits: ExecutionLimits
    let seed: UInt64
    let threads: Int?
    /// Called with the runtime's latest progress line whenever it changes.
    var onProgress: ((String) -> Void)? = nil

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

        func text(of name: String) -> String {
            guard let d = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path) else { return "" }
            return String(decoding: d, as: UTF8.self)
        }

        func jsonLines(_ name: String) -> [[String: Any]] {
            text(of: name).split(separator: "\n").compactMap {
                (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
            }
        }
    }

    func run() throws -> Outcome {
        let p = Process()
        // The memory limit is set by the shell before it becomes the chapter.
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "ulimit -v \(limits.memoryMegabytes * 1024) 2>/dev/null; exec \"$0\"", executable.path]
        p.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env["NBRUN_OUTPUT_DIR"] = directory.path
        env["NBRUN_SEED"] = String(seed)
        env.merge(compiledProgramEnvironment) { _, fixed in fixed }
        if let threads { env["NBFLOWS_THREADS"] = String(threads) }
        p.environment = env
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()

        let start = Date()
        var current: Int? = nil
        var currentStart = start
        var stop: Stop? = nil
        var stoppedCell: Int? = nil
        var controlOffset = 0
        var control = ""
        var lastProgress = ""
        while p.isRunning {
            usleep(5_000)
            if let onProgress, let d = FileManager.default.contents(atPath: directory.appendingPathComponent("progress").path) {
                let line = String(decoding: d, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                if !line.isEmpty && line != lastProgress { lastProgress = line; onProgress(line) }
            }
            control = readControl(&controlOffset, control)
            let begun = lastBegun(control)
            if begun != current { current = begun; currentStart = Date() }
            let now = Date()
            if now.timeIntervalSince(currentStart) > limits.cellSeconds {
                stop = .timeout(seconds: limits.cellSeconds); stoppedCell = current
            } else if now.timeIntervalSince(start) > limits.chapterSeconds {
                stop = .timeout(seconds: limits.chapterSeconds); stoppedCell = current
            } else if let c = current, outputSize(c) > limits.outputBytes {
                stop = .outputLimit(bytes: limits.outputBytes); stoppedCell = c
            }
            if stop != nil {
                kill(p.processIdentifier, SIGKILL)
                break
            }
        }
        p.waitUntilExit()
        control = readControl(&controlOffset, control)
        let finished = control.hasSuffix("end\n")
        let status = p.terminationStatus
        let outcome: Stop = stop ?? (finished && status == 0 ? .none(status: status) : .crashed(status: status))
        var expected: [(Int, Int32)] = []
        for line in control.split(separator: "\n") where line.hasPrefix("expected ") {
            let parts = line.split(separator: " ")
            if parts.count == 3, let c = Int(parts[1]), let s = Int32(parts[2]) { expected.append((c, s)) }
        }
        return Outcome(directory: directory, stop: outcome, stoppedCell: stoppedCell, lastBegun: lastBegun(control),
                       finished: finished && status == 0, expectedFailures: expected)
    }

    func readControl(_ offset: inout Int, _ sofar: String) -> String {
        guard let d = FileManager.default.contents(atPath: directory.appendingPathComponent("control").path) else { return sofar }
        offset = d.count
        return String(decoding: d, as: UTF8.self)
    }

    func lastBegun(_ control: String) -> Int? {
        guard let line = control.split(separator: "\n").last(where: { $0.hasPrefix("begin ") }) else { return nil }
        return Int(line.dropFirst(6))
    }

    func outputSize(_ cell: Int) -> Int {
        let fm = FileManager.default
        return ["out", "err"].reduce(0) { total, ext in
            let path = directory.appendingPathComponent("cell-\(cell).\(ext)").path
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
