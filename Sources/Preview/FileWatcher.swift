import Foundation
import StableText

/// Watches a set of folders for changed files by polling: a snapshot of
/// every file's size and modification time, compared every few
/// milliseconds, and a content hash for the files whose stamp moved, so a
/// file saved again with the same bytes is no change. Polling works on every
/// file system (inotify does not see edits made through some editors' and
/// network mounts' paths) and costs a `stat` per file: about 200 files here.
public struct FileWatcher: Sendable {
    /// What the watcher knows of one file.
    public struct Stamp: Hashable, Sendable {
        public var size: Int
        public var modified: Double
        public var hash: String
    }

    /// The folders watched, and the suffixes of the files that count.
    public let folders: [URL]
    public let suffixes: Set<String>
    public private(set) var stamps: [String: Stamp] = [:]

    public init(folders: [URL], suffixes: Set<String>) {
        self.folders = folders
        self.suffixes = suffixes
        stamps = scan(previous: [:]).stamps
    }

    /// The files that changed since the last call (added, removed, or new
    /// bytes), sorted; empty when nothing did.
    public mutating func changes() -> [String] {
        let (now, changed) = scan(previous: stamps)
        stamps = now
        return changed
    }

    /// Every watched file's stamp, and the paths whose content differs from `previous`.
    func scan(previous: [String: Stamp]) -> (stamps: [String: Stamp], changed: [String]) {
        var now: [String: Stamp] = [:]
        var changed: [String] = []
        let fm = FileManager.default
        // Paths and lstat, not URLs and resource values: a scan runs 50 times a
        // second, and URL resource values cost ten times more on Linux.
        for folder in folders {
            let root = folder.standardizedFileURL.path
            var info = stat()
            guard lstat(root, &info) == 0 else { continue }
            var stack = (info.st_mode & S_IFMT) == S_IFDIR ? [root] : []
            if (info.st_mode & S_IFMT) == S_IFREG { visit(root, info) }
            while let dir = stack.popLast() {
                for name in (try? fm.contentsOfDirectory(atPath: dir)) ?? [] where !name.hasPrefix(".") && name != "Site" {
                    let path = dir + "/" + name
                    guard lstat(path, &info) == 0 else { continue }
                    switch info.st_mode & S_IFMT {
                    case S_IFDIR: stack.append(path)
                    case S_IFREG: visit(path, info)
                    default: break
                    }
                }
            }
        }
        func visit(_ path: String, _ info: stat) {
            guard suffixes.contains((path as NSString).pathExtension.lowercased()) else { return }
            let size = Int(info.st_size)
            let modified = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
            if let old = previous[path], old.size == size, old.modified == modified {
                now[path] = old
                return
            }
            let hash = StableHash.fnv1a64Hex(fm.contents(atPath: path) ?? Data())
            now[path] = Stamp(size: size, modified: modified, hash: hash)
            if previous[path]?.hash != hash { changed.append(path) }
        }
        for path in previous.keys where now[path] == nil { changed.append(path) }
        return (now, changed.sorted())
    }
}

/// Waits for a burst of changes to settle: editors write a file in several
/// steps (a temporary file, a rename, a second write), and a build started
/// on the first would be thrown away.
public struct Debouncer: Sendable {
    /// How long no change must last.
    public var quiet: Double
    /// The longest a burst may delay the build.
    public var longest: Double
    private var first: Double?
    private var last: Double?
    private var pending: Set<String> = []

    public init(quiet: Double = 0.04, longest: Double = 0.5) {
        self.quiet = quiet
        self.longest = longest
    }

    /// Records the changes seen at time `now` (seconds); returns the files to
    /// rebuild for once the burst has settled, else nil.
    public mutating func observe(_ changed: [String], at now: Double) -> [String]? {
        if !changed.isEmpty {
            pending.formUnion(changed)
            if first == nil { first = now }
            last = now
        }
        guard let first, let last, !pending.isEmpty else { return nil }
        guard now - last >= quiet || now - first >= longest else { return nil }
        defer { self.first = nil; self.last = nil; pending = [] }
        return pending.sorted()
    }
}
