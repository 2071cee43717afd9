#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@_exported import Flows
import NotebookChannel

/// The runtime a compiled chapter talks to: cell boundaries, displays, glued
/// values and progress, written to the folder the runner names in
/// `NBRUN_OUTPUT_DIR` in the format `ChapterChannel` (module `NotebookChannel`) defines. Without that
/// variable (a chapter run by hand) every call is a no-op and output goes to
/// the terminal as usual.
public enum Notebook {
    nonisolated(unsafe) static var directory: String? = {
        guard let p = getenv(ChapterChannel.directoryVariable) else { return nil }
        return String(cString: p)
    }()
    nonisolated(unsafe) static var currentCell = -1
    /// The runner's folder itself: an explorer's runs write their outputs to
    /// folders of their own (`directory`), their progress here.
    static let channelFolder: String? = directory

    /// The seed every chapter starts from (`NBRUN_SEED`, default 0).
    public static var seed: UInt64 {
        guard let s = getenv(ChapterChannel.seedVariable), let v = UInt64(String(cString: s)) else { return 0 }
        return v
    }

    /// Called by the generated program before its first cell.
    public static func start() {
        _ = channelFolder
        setvbuf(stdout, nil, _IONBF, 0)
        setvbuf(stderr, nil, _IONBF, 0)
    }

    /// Called by the generated program at the start of cell `index`.
    public static func beginCell(_ index: Int) {
        currentCell = index
        guard let dir = directory else { return }
        fflush(stdout); fflush(stderr)
        redirect(1, to: "\(dir)/" + ChapterChannel.stdoutFile(cell: index))
        redirect(2, to: "\(dir)/" + ChapterChannel.stderrFile(cell: index))
        append("\(dir)/" + ChapterChannel.controlFile, ChapterChannel.ControlLine.begin(cell: index).text)
    }

    /// Called by the generated program after its last cell.
    public static func finish() {
        fflush(stdout); fflush(stderr)
        guard let dir = directory else { return }
        append("\(dir)/" + ChapterChannel.controlFile, ChapterChannel.ControlLine.end.text)
    }

    /// Records a display (mime type and payload) for the current cell.
    static func emit(_ display: Display) {
        guard let dir = directory else {
            // Run by hand: show text forms in the terminal.
            if display.mime.hasPrefix("text/plain") { print(display.data) } else { print("[\(display.mime), \(display.data.utf8.count) bytes]") }
            return
        }
        append("\(dir)/" + ChapterChannel.displaysFile,
               ChapterChannel.DisplayLine(cell: currentCell, mime: display.mime, data: display.data).text)
    }

    static func emitGlue(_ name: String, _ display: Display) {
        guard let dir = directory else { return }
        append("\(dir)/" + ChapterChannel.glueFile,
               ChapterChannel.DisplayLine(cell: currentCell, name: name, mime: display.mime, data: display.data).text)
    }

    /// Reports progress of a long computation; the command line shows the
    /// latest report on a live status line, and it never enters the cell's output.
    public static func progress(_ message: String) {
        guard let dir = channelFolder else { return }
        let path = "\(dir)/" + ChapterChannel.progressFile
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { return }
        writeAll(fd, "cell \(currentCell): " + (explore.runKey.map { "[\($0)] " } ?? "") + "\(message)\n")
        close(fd)
    }

    /// A progress callback for `Flow.fit` and `fitReverseKL`.
    public static func trainingProgress(_ p: TrainingProgress) {
        if p.step == p.totalSteps || p.step % 10 == 0 {
            var line = "step \(p.step)/\(p.totalSteps) loss \(formatted(p.loss))"
            if let t = p.testNLL { line += " test \(formatted(t))" }
            progress(line)
        }
    }

    static func redirect(_ fd: Int32, to path: String) {
        let f = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard f >= 0 else { return }
        dup2(f, fd)
        close(f)
    }

    static func append(_ path: String, _ text: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard fd >= 0 else { return }
        writeAll(fd, text)
        close(fd)
    }

    static func writeAll(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n <= 0 { return }
            offset += n
        }
    }

    static func formatted(_ x: Float) -> String {
        let v = (x * 10000).rounded() / 10000
        return "\(v)"
    }
}

extension Notebook {
    /// For a `raises-exception` cell: forks. The child runs the cell (returns
    /// true) and ends after it; the parent waits, records how the child ended,
    /// and skips the cell (returns false), so the chapter goes on from the
    /// state before the cell whether or not it failed.
    public static func forkForExpectedFailure() -> Bool {
        fflush(stdout); fflush(stderr)
        let pid = fork()
        if pid <= 0 { return true }   // the child, or no fork possible: run in place
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        if let dir = directory {
            append("\(dir)/" + ChapterChannel.controlFile, ChapterChannel.ControlLine.expected(cell: currentCell, status: status).text)
        }
        return false
    }

    /// Ends the child of `forkForExpectedFailure` after its cell.
    public static func endExpectedFailure() {
        fflush(stdout); fflush(stderr)
        _exit(0)
    }
}
