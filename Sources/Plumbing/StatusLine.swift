import Foundation

/// Lines on standard error while a command works, with a live status line
/// below them on a terminal (rewritten in place, never left behind): the one
/// terminal-line writer of the commands. Safe to call from several threads.
public final class StatusLine: Sendable {
    /// True on a terminal: status lines are shown. Elsewhere only `line` prints.
    public let live: Bool
    /// Whether a status line is on the screen; held while writing, so lines do not interleave.
    private let hasStatus = Locked(false)

    public init(live: Bool = isatty(2) != 0) { self.live = live }

    /// Shows `text` (cut to 100 characters) as the status line.
    public func status(_ text: String) {
        guard live else { return }
        hasStatus.withLock { shown in
            write("\r\u{1b}[2K" + String(text.prefix(100)))
            shown = true
        }
    }

    /// Prints a line above the status line.
    public func line(_ text: String) {
        hasStatus.withLock { shown in
            write((shown ? "\r\u{1b}[2K" : "") + text + "\n")
            shown = false
        }
    }

    /// Removes the status line.
    public func clear() {
        hasStatus.withLock { shown in
            if shown { write("\r\u{1b}[2K"); shown = false }
        }
    }

    private func write(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }
}
