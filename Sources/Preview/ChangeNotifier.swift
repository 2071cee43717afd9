import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Wakes the watcher when something in its folders may have changed: inotify
/// on Linux, on every folder below the roots (folders made later are added
/// at the next wake). It only says "look now"; `FileWatcher` still decides
/// what changed, by stamps and hashes. Where inotify cannot be had (another
/// system, no watches left), `available` is false and the caller polls.
public final class ChangeNotifier: @unchecked Sendable {
    private var descriptor: Int32 = -1
    private let roots: [String]

    /// True when inotify watches the roots.
    public var available: Bool { descriptor >= 0 }

    public init(folders: [URL]) {
        roots = folders.map { $0.standardizedFileURL.path }
        #if os(Linux)
        descriptor = inotify_init1(Int32(IN_NONBLOCK) | Int32(IN_CLOEXEC))
        if descriptor >= 0 && !watchFolders() {
            close(descriptor)
            descriptor = -1
        }
        #endif
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Waits up to `milliseconds` for a change; true when one came (its
    /// events are read and dropped, and new folders are watched).
    public func wait(milliseconds: Int32) -> Bool {
        guard descriptor >= 0 else { return false }
        var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&request, 1, milliseconds) > 0 else { return false }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while read(descriptor, &buffer, buffer.count) > 0 {}
        _ = watchFolders()
        return true
    }

    /// Watches every folder below the roots (a folder watched already keeps
    /// its watch; one removed and made again gets a new one); false when the
    /// system refuses one (too many watches).
    private func watchFolders() -> Bool {
        #if os(Linux)
        let mask = UInt32(IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB
                           | IN_DELETE_SELF | IN_MOVE_SELF)
        var stack = roots
        var info = stat()
        while let dir = stack.popLast() {
            guard lstat(dir, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { continue }
            guard inotify_add_watch(descriptor, dir, mask) >= 0 else { return false }
            for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] where !name.hasPrefix(".") && name != "Site" {
                stack.append(dir + "/" + name)
            }
        }
        return true
        #else
        return false
        #endif
    }
}
