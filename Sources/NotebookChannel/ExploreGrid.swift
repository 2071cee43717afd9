/// An explorer cell's parameters: each a name with a finite list of values
/// and a default, and at most one progression (a parameter, such as training
/// steps, computed from one run that records a snapshot at each value
/// instead of one run per value).
///
/// A *run* is one combination of the other parameters' values: the chapter
/// forks one child process per run. A *frame* is what the page shows for one
/// combination of all parameters: with a progression, each run gives one
/// frame per progression value. Runs and frames are named by keys such as
/// `layers=4,hidden=64` and `layers=4,hidden=64,steps=500`, the parameters
/// in declaration order.
///
/// The chapter receives the grid as text in its generated source
/// (``encoded``); the runner writes the keys of the runs to do (those not in
/// its cache) to ``ChapterChannel/exploreTodoFile(cell:)``.
public struct ExploreGrid: Hashable, Sendable, Codable {
    public struct Parameter: Hashable, Sendable, Codable {
        public var name: String
        public var values: [String]
        public var defaultIndex: Int

        public init(name: String, values: [String], defaultIndex: Int = 0) {
            self.name = name
            self.values = values
            self.defaultIndex = defaultIndex
        }

        public var defaultValue: String { values[defaultIndex] }
    }

    public var parameters: [Parameter]
    /// The name of the progression parameter, if there is one.
    public var progression: String?

    public init(parameters: [Parameter], progression: String? = nil) {
        self.parameters = parameters
        self.progression = progression
    }

    /// The parameters that make runs (all but the progression).
    public var runParameters: [Parameter] { parameters.filter { $0.name != progression } }

    /// The progression parameter, if any.
    public var progressionParameter: Parameter? { parameters.first { $0.name == progression } }

    /// Every run, each as the values of `runParameters` in order.
    public var runs: [[String]] { Self.product(runParameters.map(\.values)) }

    /// Every frame, each as the values of all parameters in order.
    public var frames: [[String]] { Self.product(parameters.map(\.values)) }

    /// The default values of all parameters, in order.
    public var defaults: [String] { parameters.map(\.defaultValue) }

    /// The key of a run: `runParameters`' names and `values`; `run` for the
    /// one run of a grid that is only a progression.
    public func runKey(_ values: [String]) -> String {
        runParameters.isEmpty ? "run" : zip(runParameters, values).map { "\($0.name)=\($1)" }.joined(separator: ",")
    }

    /// The key of a frame: all parameters' names and `values`.
    public func frameKey(_ values: [String]) -> String {
        zip(parameters, values).map { "\($0.name)=\($1)" }.joined(separator: ",")
    }

    /// The frame key of a run's snapshot at progression value `step` (or the
    /// run's only frame when there is no progression).
    public func frameKey(run: [String], step: String?) -> String {
        var it = run.makeIterator()
        return frameKey(parameters.map { $0.name == progression ? (step ?? "") : (it.next() ?? "") })
    }

    static func product(_ lists: [[String]]) -> [[String]] {
        lists.reduce([[]]) { partial, list in partial.flatMap { prefix in list.map { prefix + [$0] } } }
    }

    /// The grid as one line: `name=v1|v2|v3@default;...`, then `>progression`.
    /// Values never hold `|`, `;`, `,`, `=`, `@`, `>` or `/` (the parser refuses them).
    public var encoded: String {
        parameters.map { "\($0.name)=" + $0.values.joined(separator: "|") + "@\($0.defaultIndex)" }.joined(separator: ";")
            + (progression.map { ">" + $0 } ?? "")
    }

    public init?(encoded text: String) {
        var body = Substring(text)
        var progression: String?
        if let arrow = body.lastIndex(of: ">") {
            progression = String(body[body.index(after: arrow)...])
            body = body[..<arrow]
        }
        var parameters: [Parameter] = []
        for part in body.split(separator: ";") {
            guard let eq = part.firstIndex(of: "="), let at = part.lastIndex(of: "@"),
                  let index = Int(part[part.index(after: at)...]) else { return nil }
            let values = part[part.index(after: eq)..<at].split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            guard index >= 0, index < values.count else { return nil }
            parameters.append(Parameter(name: String(part[..<eq]), values: values, defaultIndex: index))
        }
        self.init(parameters: parameters, progression: progression)
    }
}

extension ChapterChannel {
    /// The variable holding how many of an explorer's runs go at once.
    public static let exploreJobsVariable = "NBRUN_EXPLORE_JOBS"
    /// The folder of run `key` of explorer cell `index`; it holds the run's
    /// `cell-<index>.out`/`.err`, displays, glue and `status`, and one folder
    /// per progression snapshot (`steps=500`) holding the same files.
    public static func exploreRunFolder(cell index: Int, key: String) -> String { "explore-\(index)/\(key)" }
    /// The runs explorer cell `index` must do, one key a line (all when absent).
    public static func exploreTodoFile(cell index: Int) -> String { "explore-\(index).todo" }
    /// How long explorer cell `index`'s runs took, in seconds, written by the chapter.
    public static func exploreSecondsFile(cell index: Int) -> String { "explore-\(index).seconds" }
    /// A run's exit status, as a decimal number.
    public static let exploreStatusFile = "status"
}
