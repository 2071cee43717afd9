import Foundation

/// Lines on standard error while a command works, with a live status line
/// below them on a terminal (rewritten in place, never left behind): the one
/// terminal-line writer of the commands. Safe to call from several threads.
public final class StatusLine: @unchecked Sendable {
    private let lock = NSLock()
    /// True on a terminal: status lines are shown. Elsewhere only `line` prints.
    public let live: Bool
    private var hasStatus = false

    public init(live: Bool = isatty(2) != 0) { self.live = live }

    /// Shows `text` (cut to 100 characters) as the status line.
    public func status(_ text: String) {
        guard live else { return }
        lock.lock(); defer { lock.unlock() }
        write("\r\u{1b}[2K" + String(text.prefix(100)))
        hasStatus = true
    }

    /// Prints a line above the status line.
    public func line(_ text: String) {
        lock.lock(); defer { lock.unlock() }
        write((hasStatus ? "\r\u{1b}[2K" : "") + text + "\n")
        hasStatus = false
    }

    /// Removes the status line.
    public func clear() {
        lock.lock(); defer { lock.unlock() }
        if hasStatus { write("\r\u{1b}[2K"); hasStatus = false }
    }

    private func write(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }
}
