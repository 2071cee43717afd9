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
