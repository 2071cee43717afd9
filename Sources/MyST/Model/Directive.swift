/// A directive: `` ```{name} argument `` or `:::{name} argument`, options, a body.
public struct Directive: Hashable, Sendable {
    /// The directive's name, e.g. `note`, `figure`, `code-cell`.
    public var name: String
    /// The text after `{name}` on the opening line, trimmed.
    public var argument: String
    /// Options from `:key: value` lines or a `---` YAML block, in source order.
    public var options: [Option]
    /// The body after the options, verbatim (without the final newline).
    public var body: String
    /// The line where the body starts in the file.
    public var bodyLine: Int
    /// What the engine understood of the directive.
    public var content: Content

    public init(name: String, argument: String, options: [Option], body: String,
                bodyLine: Int, content: Content) {
        self.name = name
        self.argument = argument
        self.options = options
        self.body = body
        self.bodyLine = bodyLine
        self.content = content
    }

    /// The value of option `key`, if given.
    public func option(_ key: String) -> OptionValue? {
        options.first { $0.name == key }?.value
    }

    /// One `:name: value` option.
    public struct Option: Hashable, Sendable {
        public var name: String
        public var value: OptionValue

        public init(name: String, value: OptionValue) {
            self.name = name
            self.value = value
        }
    }

    /// The interpretation of a known directive.
    public enum Content: Hashable, Sendable {
        /// A directive the engine does not know; kept with a warning.
        case unknown
        case admonition(Admonition)
        case figure(Figure)
        case image(Image)
        case code(CodeBlock)
        case math(MathBlock)
        /// `{list-table}` or `{table}`: a table with an optional caption.
        case table(TableContainer)
        case codeCell(CodeCell)
        case exercise(Exercise)
        case solution(Solution)
        /// `{glue:figure}` and `{glue}` as a directive.
        case glue(Glue, caption: [Block])
        /// Directives that just hold markdown (`div`, `container`, `margin`, `epigraph`...).
        case container([Block])
    }
}

/// A typed option value.
public enum OptionValue: Hashable, Sendable, CustomStringConvertible {
    case string(String)
    case int(Int)
    /// A flag option given without a value (`:linenos:`).
    case flag

    public var description: String {
        switch self {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .flag: return "true"
        }
    }

    /// The value as text.
    public var text: String { description }
}

/// `{note}`, `{warning}`, ..., `{admonition} Title`, `{dropdown} Title`.
public struct Admonition: Hashable, Sendable {
    /// `note`, `tip`, ...; nil for the generic `{admonition}`.
    public var kind: String?
    public var title: [Inline]?
    /// `:class:`; `dropdown` in it makes the admonition collapsible.
    public var className: String?
    /// True for `{dropdown}` and for `:class: dropdown`.
    public var isDropdown: Bool
    public var content: [Block]

    /// The admonition kinds that have their own directive.
    public static let kinds: Set<String> = [
        "note", "tip", "hint", "warning", "important", "seealso", "attention",
        "caution", "danger", "error",
    ]

    public init(kind: String?, title: [Inline]?, className: String?, isDropdown: Bool, content: [Block]) {
        self.kind = kind
        self.title = title
        self.className = className
        self.isDropdown = isDropdown
        self.content = content
    }
}

/// `{figure} url` with a caption (first paragraph) and a legend (the rest).
public struct Figure: Hashable, Sendable {
    public var image: Image
    public var label: String?
    public var caption: [Block]
    public var legend: [Block]

    public init(image: Image, label: String?, caption: [Block], legend: [Block]) {
        self.image = image
        self.label = label
        self.caption = caption
        self.legend = legend
    }
}

/// A table directive's table with its caption and label.
public struct TableContainer: Hashable, Sendable {
    public var label: String?
    public var caption: [Inline]
    public var table: Table

    public init(label: String?, caption: [Inline], table: Table) {
        self.label = label
        self.caption = caption
        self.table = table
    }
}
