/// An inline role `` {name}`value` ``, with what the engine understood of it.
public struct Role: Hashable, Sendable {
    /// The role's name, e.g. `ref`, `math`, `sub`, `glue:text`.
    public var name: String
    /// The text between the backticks, verbatim.
    public var value: String
    /// The interpretation of a known role; `.unknown` for others.
    public var content: Content

    public init(name: String, value: String, content: Content) {
        self.name = name
        self.value = value
        self.content = content
    }

    /// What a role means.
    public enum Content: Hashable, Sendable {
        /// A role the engine does not know; reported by a warning.
        case unknown
        /// `{ref}`, `{numref}`, `{eq}`, `{doc}`: a reference to a label.
        case crossReference(CrossReference)
        /// `{abbr}`: `CSS (Cascading Style Sheets)`.
        case abbreviation(title: String, content: [Inline])
        case `subscript`([Inline])
        case superscript([Inline])
        /// `{math}`: inline LaTeX.
        case math(String)
        /// `{code}` or `{kbd}`-like roles shown as code.
        case code(String)
        /// `{glue}`, `{glue:text}`: a value computed by a cell, filled in after execution.
        case glue(Glue)
    }
}

/// A reference to a labelled target, from a role or a link whose URL is a label.
public struct CrossReference: Hashable, Sendable {
    /// `ref`, `numref`, `eq` or `doc`.
    public var kind: String
    /// The normalized label (trimmed, whitespace collapsed, lowercased).
    public var identifier: String
    /// The label as written.
    public var label: String
    /// Explicit link text (`{ref}`text <label>``), if any; parsed as markdown for `ref`.
    public var text: String?
    public var content: [Inline]

    public init(kind: String, label: String, text: String?, content: [Inline] = []) {
        self.kind = kind
        self.label = label
        self.identifier = Labels.normalize(label)
        self.text = text
        self.content = content
    }
}

/// A value glued by a code cell (`glue(name, value)` in Swift) and shown here.
public struct Glue: Hashable, Sendable {
    /// How the value is shown.
    public enum Format: String, Hashable, Sendable {
        /// `{glue}`: the value's rich display.
        case any = "glue"
        /// `{glue:text}`: the value as text, with an optional format spec.
        case text = "glue:text"
        /// `{glue:figure}`: the value as a figure.
        case figure = "glue:figure"
        /// `{glue:md}`: the value as markdown.
        case markdown = "glue:md"
    }

    /// The name the cell glued its value under.
    public var key: String
    public var format: Format
    /// For `{glue:text}`: what follows `:` in `name:spec`, e.g. `.2f`.
    public var spec: String?

    public init(key: String, format: Format, spec: String? = nil) {
        self.key = key
        self.format = format
        self.spec = spec
    }
}
