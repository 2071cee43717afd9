import Foundation
import StableText

/// Reuses a chapter's outputs when nothing that can change them changed.
///
/// The key covers the cells' code and execution options (tags), the seed, the
/// limits, the flow library's build and the compiler (`Toolchain.fingerprint`),
/// the data files the chapter declares, and `formatVersion`. It does not cover
/// the prose or where the cells sit in the file: text-only edits never
/// re-execute, and the line numbers in cached diagnostics are moved to the
/// cells' current lines when an entry is read.
///
/// Entries are JSON files written atomically (a temporary file renamed into
/// place); an entry that does not decode (corrupt, partial, older format) is
/// ignored and overwritten by the next run.
public struct ExecutionCache: Sendable {
    /// Bump when the stored outputs change meaning or shape.
    public static let formatVersion = 3

    public let directory: URL

    public init(directory: URL) { self.directory = directory }

    struct Entry: Codable {
        var format: Int
        var lines: [Int]
        var path: String
        var result: ChapterResult
    }

    /// The key of a chapter run.
    public func key(_ chapter: ChapterSource, limits: ExecutionLimits, fingerprint: String, dataFiles: [URL] = []) -> String {
        var h = StableHash()
        h.add("format \(Self.formatVersion)")
        h.add(ProgramBuilder.prelude)
        h.add(fingerprint)
        h.add("seed \(chapter.seed)")
        h.add("limits \(limits.cellSeconds) \(limits.chapterSeconds) \(limits.memoryMegabytes) \(limits.outputBytes)")
        for c in chapter.cells {
            h.add("cell \(c.raisesException) \(c.skip)" + (c.explore.map { " explore " + $0.encoded } ?? ""))
            h.add(c.code)
        }
        for f in dataFiles.sorted(by: { $0.path < $1.path }) {
            h.add(f.lastPathComponent)
            h.add(FileManager.default.contents(atPath: f.path) ?? Data("missing".utf8))
        }
        return h.hex
    }

    /// The cached result for `key`, moved to the chapter's current lines, or nil.
    public func lookup(_ key: String, chapter: ChapterSource) -> ChapterResult? {
        guard let data = FileManager.default.contents(atPath: file(key).path),
              let entry = try? JSONDecoder().decode(Entry.self, from: data),
              entry.format == Self.formatVersion, entry.lines.count == chapter.cells.count,
              entry.result.cells.count == chapter.cells.count else { return nil }
        var result = entry.result
        for i in result.cells.indices {
            let shift = chapter.cells[i].line - entry.lines[i]
            result.cells[i].relocate(by: shift, from: entry.path, to: chapter.path)
        }
        return result
    }

    /// Stores a result atomically.
    public func store(_ key: String, chapter: ChapterSource, result: ChapterResult) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let entry = Entry(format: Self.formatVersion, lines: chapter.cells.map(\.line), path: chapter.path, result: result)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(entry)
        let tmp = directory.appendingPathComponent(".\(key).\(getpid()).\(UUID().uuidString).tmp")
        try data.write(to: tmp)
        if rename(tmp.path, file(key).path) != 0 {
            try? FileManager.default.removeItem(at: tmp)
            throw ExecutionError("cannot write the cache entry \(file(key).path)")
        }
    }

    func file(_ key: String) -> URL { directory.appendingPathComponent("\(key).json") }

    // MARK: Explorer runs

    /// The key of what an explorer cell's runs depend on besides their own
    /// values: the chapter up to and including the cell (the code, the options
    /// and the grid's parameter names and progression values, not the other
    /// parameters' values or defaults), the seed, the limits, the library,
    /// the data. Adding a value to a parameter leaves the other runs' keys as
    /// they were.
    public func exploreKey(_ chapter: ChapterSource, cell index: Int, limits: ExecutionLimits, fingerprint: String, dataFiles: [URL] = []) -> String {
        var h = StableHash()
        h.add("explore \(Self.formatVersion)")
        h.add(ProgramBuilder.prelude)
        h.add(fingerprint)
        h.add("seed \(chapter.seed)")
        h.add("limits \(limits.cellSeconds) \(limits.chapterSeconds) \(limits.memoryMegabytes) \(limits.outputBytes)")
        for c in chapter.cells[...index] {
            h.add("cell \(c.raisesException) \(c.skip)")
            if let grid = c.explore {
                h.add("grid " + grid.parameters.map(\.name).joined(separator: ",") + " progression "
                      + (grid.progressionParameter.map { $0.name + "=" + $0.values.joined(separator: "|") } ?? ""))
            }
            h.add(c.code)
        }
        for f in dataFiles.sorted(by: { $0.path < $1.path }) {
            h.add(f.lastPathComponent)
            h.add(FileManager.default.contents(atPath: f.path) ?? Data("missing".utf8))
        }
        return h.hex
    }

    /// The frames of the run `runKey` of the explorer whose key is `key`, if cached.
    public func lookupRun(_ key: String, run runKey: String) -> [String: ExploreFrame]? {
        guard let data = FileManager.default.contents(atPath: runFile(key, runKey).path) else { return nil }
        return try? JSONDecoder().decode([String: ExploreFrame].self, from: data)
    }

    /// Stores a run's frames atomically.
    public func storeRun(_ key: String, run runKey: String, frames: [String: ExploreFrame]) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let file = runFile(key, runKey)
        let tmp = directory.appendingPathComponent(".\(file.lastPathComponent).\(getpid()).\(UUID().uuidString).tmp")
        try encoder.encode(frames).write(to: tmp)
        if rename(tmp.path, file.path) != 0 {
            try? FileManager.default.removeItem(at: tmp)
            throw ExecutionError("cannot write the cache entry \(file.path)")
        }
    }

    func runFile(_ key: String, _ runKey: String) -> URL {
        var h = StableHash()
        h.add(key)
        h.add(runKey)
        return directory.appendingPathComponent("explore-\(h.hex).json")
    }
}

extension CellOutput {
    /// Moves diagnostics and error lines by `shift` and renames the file.
    mutating func relocate(by shift: Int, from old: String, to new: String) {
        func move(_ d: Diagnostic) -> Diagnostic {
            var d = d
            if d.range.file == old {
                d.range.file = new
                d.range.start.line += shift
                d.range.end.line += shift
            }
            return d
        }
        warnings = warnings.map(move)
        switch error {
        case .compile(let ds)?: error = .compile(ds.map(move))
        case .runtime(let m, let line)?: error = .runtime(message: m, line: line.map { $0 + shift })
        default: break
        }
    }
}
