/// An executable cell: `` ```{code-cell} swift `` with its options.
public struct CodeCell: Hashable, Sendable {
    /// The cell tags nbrun understands (Jupyter Book's names).
    public enum Tag: String, Hashable, Sendable, CaseIterable {
        case removeCell = "remove-cell"
        case removeInput = "remove-input"
        case removeOutput = "remove-output"
        case hideInput = "hide-input"
        case hideOutput = "hide-output"
        case hideCell = "hide-cell"
        case raisesException = "raises-exception"
        case skipExecution = "skip-execution"
    }

    /// The kernel language from the argument (`swift`, `ipython3`, ...).
    public var language: String
    /// The source code of the cell, without its final newline.
    public var code: String
    /// The file line of the code's first line, for `#sourceLocation`.
    public var codeLine: Int
    /// Known tags, in source order.
    public var tags: [Tag]
    /// Tags nbrun does not know, kept for other tools.
    public var otherTags: [String]
    public var label: String?
    public var caption: String?
    /// An explorer cell's parameters (`:explore-NAME:` options), or nil.
    public var explore: Explore?
    /// True when the cell is run: a Swift cell without `skip-execution`.
    public var isExecutable: Bool { language == "swift" && !tags.contains(.skipExecution) }

    public init(language: String, code: String, codeLine: Int, tags: [Tag] = [],
                otherTags: [String] = [], label: String? = nil, caption: String? = nil) {
        self.language = language
        self.code = code
        self.codeLine = codeLine
        self.tags = tags
        self.otherTags = otherTags
        self.label = label
        self.caption = caption
    }
}


/// An explorer cell's parameters, as written: each `:explore-NAME: v1, *v2, v3`
/// option is a parameter with its values (`*` marks the default, else the
/// first) or a range `a...b by s`; `:progression: NAME` names the one
/// computed from one run with a snapshot at each value.
public struct Explore: Hashable, Sendable {
    public struct Parameter: Hashable, Sendable {
        public var name: String
        public var values: [String]
        public var defaultIndex: Int

        public init(name: String, values: [String], defaultIndex: Int) {
            self.name = name
            self.values = values
            self.defaultIndex = defaultIndex
        }
    }

    public var parameters: [Parameter]
    public var progression: String?

    public init(parameters: [Parameter], progression: String?) {
        self.parameters = parameters
        self.progression = progression
    }

    /// How many combinations the page can show.
    public var frameCount: Int { parameters.reduce(1) { $0 * $1.values.count } }
    /// How many runs make them (the progression's values come from one run).
    public var runCount: Int { parameters.filter { $0.name != progression }.reduce(1) { $0 * $1.values.count } }
}
