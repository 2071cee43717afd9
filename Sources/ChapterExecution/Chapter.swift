/// A cell's identity in its chapter, assigned once when the chapter is
/// loaded: its `:label:` when it has one, else `cell-<n>` for the n-th Swift
/// cell. Outputs are found by it, never by counting cells again.
public struct CellID: Hashable, Sendable, Codable, CustomStringConvertible {
    public var rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
}

/// One executable cell of a chapter, as the runner sees it.
public struct CellSource: Sendable, Hashable {
    /// The cell's identity (not part of the cache key: naming a cell does not
    /// re-run it). The course gives it; a chapter built by hand gets `line-<n>`.
    public var id: CellID
    /// The Swift code.
    public var code: String
    /// The line of the markdown file on which the code's first line stands (1-based).
    public var line: Int
    /// The cell is expected to stop with a runtime error (`raises-exception`):
    /// its error is shown and the chapter goes on from the state before it.
    public var raisesException: Bool
    /// The cell is shown but not run (`skip-execution`).
    public var skip: Bool
    /// An explorer cell's parameters: the cell runs once per combination.
    public var explore: ExploreGrid?

    public init(id: CellID? = nil, code: String, line: Int, raisesException: Bool = false, skip: Bool = false, explore: ExploreGrid? = nil) {
        self.id = id ?? CellID("line-\(line)")
        self.code = code; self.line = line; self.raisesException = raisesException; self.skip = skip; self.explore = explore
    }
}

/// A chapter's cells, in order, and where they come from.
public struct ChapterSource: Sendable, Hashable {
    /// The markdown file as diagnostics should name it (e.g. `Notebooks/03-coupling.md`).
    public var path: String
    public var cells: [CellSource]
    /// The seed the chapter's random generator starts from.
    public var seed: UInt64
    /// The chapter's own limits (from its front matter), or nil for the runner's.
    public var limits: ExecutionLimits?
    /// Files the chapter reads: their contents are part of its cache key.
    public var dataFiles: [String]

    public init(path: String, cells: [CellSource], seed: UInt64 = 0, limits: ExecutionLimits? = nil, dataFiles: [String] = []) {
        self.path = path; self.cells = cells; self.seed = seed; self.limits = limits; self.dataFiles = dataFiles
    }
}

/// Time, memory and output limits for running a chapter.
public struct ExecutionLimits: Sendable, Hashable, Codable {
    /// Wall-clock seconds one cell may run.
    public var cellSeconds: Double
    /// Wall-clock seconds the whole chapter may run.
    public var chapterSeconds: Double
    /// Address-space limit of the chapter's process, in megabytes.
    public var memoryMegabytes: Int
    /// Bytes of standard output and error one cell may print.
    public var outputBytes: Int

    /// Defaults that suit the course: a cell trains a small model in seconds.
    public static let `default` = ExecutionLimits(cellSeconds: 120, chapterSeconds: 600, memoryMegabytes: 8192, outputBytes: 1 << 20)

    public init(cellSeconds: Double, chapterSeconds: Double, memoryMegabytes: Int, outputBytes: Int) {
        self.cellSeconds = cellSeconds; self.chapterSeconds = chapterSeconds
        self.memoryMegabytes = memoryMegabytes; self.outputBytes = outputBytes
    }
}

extension ChapterResult {
    /// Each cell's output by the cell's identity in `chapter` (whose cells
    /// this result is of, in order).
    public func outputsByCell(of chapter: ChapterSource) -> [CellID: CellOutput] {
        var out: [CellID: CellOutput] = [:]
        for (cell, output) in zip(chapter.cells, cells) { out[cell.id] = output }
        return out
    }
}

extension ChapterSource {
    /// True when running `other` would run the same program as running this:
    /// the same cells and options, seed, limits and data files. Where the cells
    /// stand in the markdown does not matter (a prose edit moves them).
    public func runsTheSame(as other: ChapterSource) -> Bool {
        cells.map { [$0.code, "\($0.raisesException)", "\($0.skip)", $0.explore?.encoded ?? ""] }
            == other.cells.map { [$0.code, "\($0.raisesException)", "\($0.skip)", $0.explore?.encoded ?? ""] }
            && seed == other.seed && limits == other.limits && dataFiles == other.dataFiles
    }
}
