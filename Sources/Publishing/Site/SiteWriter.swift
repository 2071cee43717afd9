import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes a site so that it appears whole or not at all: into a sibling
/// folder first, then swapped with the old one.
public enum SiteWriter {
    public struct WriteError: Error, CustomStringConvertible {
        public var description: String
    }

    /// The marker file of a folder nbrun wrote; a folder without it is never replaced.
    static let marker = ".nbrun-site"

    /// Writes `files` to `output`, replacing a previous site there. On any
    /// failure the previous site is left as it was.
    public static func write(_ files: [String: Data], to output: URL) throws {
        let fm = FileManager.default
        let output = output.standardizedFileURL
        var isDirectory: ObjCBool = false
        let exists = fm.fileExists(atPath: output.path, isDirectory: &isDirectory)
        if exists {
            let empty = (try? fm.contentsOfDirectory(atPath: output.path).isEmpty) ?? false
            guard isDirectory.boolValue, empty || fm.fileExists(atPath: output.appendingPathComponent(marker).path) else {
                throw WriteError(description: "\(output.path) exists and was not written by nbrun; choose another --output or remove it")
            }
        }
        let parent = output.deletingLastPathComponent()
        let staging = parent.appendingPathComponent(".\(output.lastPathComponent).new-\(getpid())")
        try? fm.removeItem(at: staging)
        do {
            try fm.createDirectory(at: staging, withIntermediateDirectories: true)
            var made: Set<String> = []
            for (path, data) in files.sorted(by: { $0.key < $1.key }) {
                let url = staging.appendingPathComponent(path)
                let dir = url.deletingLastPathComponent().path
                if made.insert(dir).inserted { try fm.createDirectory(atPath: dir, withIntermediateDirectories: true) }
                guard fm.createFile(atPath: url.path, contents: data) else {
                    throw WriteError(description: "cannot write \(url.path)")
                }
            }
            if exists {
                try exchange(staging, output)
                try? fm.removeItem(at: staging)   // now the old site
            } else {
                try fm.moveItem(at: staging, to: output)
            }
        } catch {
            try? fm.removeItem(at: staging)
            throw error
        }
    }

    /// Swaps two folders in one step (Linux `renameat2` with `RENAME_EXCHANGE`),
    /// falling back to two renames where the file system cannot.
    static func exchange(_ a: URL, _ b: URL) throws {
        #if os(Linux)
        // glibc has renameat2 (2.28+) but its header hides it from Swift; look it up.
        typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        if let symbol = dlsym(nil, "renameat2") {
            let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
            let exchanged = a.path.withCString { pa in
                b.path.withCString { pb in renameat2(AT_FDCWD, pa, AT_FDCWD, pb, 2 /* RENAME_EXCHANGE */) }
            }
            if exchanged == 0 { return }
        }
        #endif
        let fm = FileManager.default
        let old = b.deletingLastPathComponent().appendingPathComponent(".\(b.lastPathComponent).old-\(getpid())")
        try fm.moveItem(at: b, to: old)
        do { try fm.moveItem(at: a, to: b) } catch {
            try? fm.moveItem(at: old, to: b)
            throw error
        }
        try fm.moveItem(at: old, to: a)
    }
}
