import ChapterExecution
import Foundation
import MyST

/// Execution settings from a chapter's front matter or `myst.yml`, under
/// `execute:` (Jupyter Book's key):
///
/// ```yaml
/// execute:
///   timeout: 120            # seconds per cell
///   chapter_timeout: 600    # seconds for the whole chapter
///   memory_mb: 8192         # address-space limit
///   output_limit: 1048576   # bytes of output per cell
///   seed: 0                 # the chapter's random seed
///   data: [data/moons.csv]  # files whose changes re-execute the chapter
/// ```
///
/// Later settings override earlier ones (project, then chapter). A bad value is
/// reported as a diagnostic at the front matter and otherwise ignored.
public struct ExecutionSettings: Sendable, Hashable {
    public var limits = ExecutionLimits.default
    public var seed: UInt64 = 0
    /// Files the chapter reads, relative to its folder.
    public var dataFiles: [String] = []
    /// An explorer cell's budget: runs (child processes), and bytes of
    /// outputs kept (figures and text, each distinct one counted once).
    public var exploreRuns = 64
    public var exploreBytes = 8_000_000

    public init() {}

    /// Applies the `execute` mapping of `metadata`; returns the problems found.
    public mutating func apply(_ metadata: MetadataValue?, at location: SourceRange) -> [Diagnostic] {
        guard let execute = metadata?["execute"] else { return [] }
        guard case .mapping(let pairs) = execute else {
            return [Diagnostic(.error, .badSetting, at: location,
                               "'execute' must be a mapping of settings (timeout, chapter_timeout, memory_mb, output_limit, seed, data, explore_runs, explore_bytes)")]
        }
        var problems: [Diagnostic] = []
        func error(_ message: String) { problems.append(Diagnostic(.error, .badSetting, at: location, message)) }
        func positive(_ v: MetadataValue, _ key: String) -> Double? {
            let x: Double?
            switch v { case .int(let i): x = Double(i); case .double(let d): x = d; default: x = nil }
            guard let x, x > 0 else {
                error("execute.\(key) must be a positive number, got '\(v.text ?? "\(v)")'")
                return nil
            }
            return x
        }
        for (key, value) in pairs {
            switch key {
            case "timeout": if let x = positive(value, key) { limits.cellSeconds = x }
            case "chapter_timeout": if let x = positive(value, key) { limits.chapterSeconds = x }
            case "memory_mb": if let x = positive(value, key) { limits.memoryMegabytes = Int(x) }
            case "output_limit": if let x = positive(value, key) { limits.outputBytes = Int(x) }
            case "explore_runs": if let x = positive(value, key) { exploreRuns = Int(x) }
            case "explore_bytes": if let x = positive(value, key) { exploreBytes = Int(x) }
            case "seed":
                if case .int(let i) = value, i >= 0 { seed = UInt64(i) }
                else { error("execute.seed must be a non-negative integer, got '\(value.text ?? "\(value)")'") }
            case "data":
                switch value {
                case .string(let s): dataFiles.append(s)
                case .array(let items): dataFiles += items.compactMap(\.text)
                default: error("execute.data must be a file name or a list of them")
                }
            default:
                problems.append(Diagnostic(.warning, .unknownSetting, at: location,
                    "unknown setting execute.\(key) (known: timeout, chapter_timeout, memory_mb, output_limit, seed, data)"))
            }
        }
        return problems
    }
}

extension Diagnostic.Code {
    /// A setting of `myst.yml` or a chapter's front matter with a value it cannot take.
    public static let badSetting = Self(.project, "bad-setting")
    /// A setting nbrun does not know.
    public static let unknownSetting = Self(.project, "unknown-setting")
    /// An explorer cell whose grid or outputs exceed the chapter's budget.
    public static let exploreOverBudget = Self(.execution, "explore-over-budget")
}
