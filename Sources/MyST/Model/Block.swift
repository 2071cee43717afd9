/// A block of a document: paragraphs, headings, lists, code, directives...
public struct Block: Hashable, Sendable {
    /// What the block is.
    public var kind: Kind
    /// Where it came from.
    public var range: SourceRange

    public init(_ kind: Kind, range: SourceRange) {
        self.kind = kind
        self.range = range
    }

    /// The kinds of blocks.
    public indirect enum Kind: Hashable, Sendable {
        case paragraph([Inline])
        /// `#` to `######` or a setext heading; `level` is 1...6.
        case heading(level: Int, content: [Inline])
        case thematicBreak
        case blockQuote([Block])
        case list(ListBlock)
        /// A fenced or indented code block that is not a directive.
        case code(CodeBlock)
        /// A raw HTML block, passed through.
        case html(String)
        /// `$$...$$` display math, optionally `(label)` after it.
        case math(MathBlock)
        /// A GFM pipe table.
        case table(Table)
        /// A `{name}` directive in a backtick or colon fence.
        case directive(Directive)
        /// `(label)=`: names the block that follows.
        case target(label: String)
        /// `% text`: a comment, not rendered.
        case comment(String)
        /// `+++ {json}`: a break between notebook cells, with optional metadata.
        case blockBreak(meta: String?)
        /// `[^label]: text`.
        case footnoteDefinition(label: String, content: [Block])
    }
}

/// An ordered or bullet list.
public struct ListBlock: Hashable, Sendable {
    public var ordered: Bool
    /// The first number of an ordered list.
    public var start: Int
    /// A tight list has no blank lines between its items; its paragraphs render bare.
    public var tight: Bool
    public var items: [[Block]]

    public init(ordered: Bool, start: Int, tight: Bool, items: [[Block]]) {
        self.ordered = ordered
        self.start = start
        self.tight = tight
        self.items = items
    }
}

/// A code block: fenced, indented, or from `{code}` / `{code-block}`.
public struct CodeBlock: Hashable, Sendable {
    /// The language (first word of the info string), empty if none.
    public var language: String
    /// The rest of the info string.
    public var meta: String?
    /// The code, without its final newline.
    public var code: String
    public var label: String?
    public var className: String?
    public var showLineNumbers = false
    public var startingLineNumber: Int?
    public var emphasizeLines: [Int] = []

    public init(language: String, meta: String? = nil, code: String) {
        self.language = language
        self.meta = meta
        self.code = code
    }
}

/// Display math: `$$ ... $$ (label)` or the `{math}` directive.
public struct MathBlock: Hashable, Sendable {
    /// The LaTeX source.
    public var latex: String
    /// The equation's label, from `(label)`, `:label:` or `\label{...}`.
    public var label: String?

    public init(latex: String, label: String? = nil) {
        self.latex = latex
        self.label = label
    }
}

/// A table: a GFM pipe table or a `{list-table}`.
public struct Table: Hashable, Sendable {
    /// Column alignment.
    public enum Alignment: String, Hashable, Sendable { case left, center, right }

    /// One cell's content and whether it is a header cell.
    public struct Cell: Hashable, Sendable {
        public var header: Bool
        public var alignment: Alignment?
        public var content: [Inline]

        public init(header: Bool, alignment: Alignment?, content: [Inline]) {
            self.header = header
            self.alignment = alignment
            self.content = content
        }
    }

    public var rows: [[Cell]]

    public init(rows: [[Cell]]) { self.rows = rows }
}
