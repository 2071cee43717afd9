/// A span of inline content: text, emphasis, links, roles, math.
public struct Inline: Hashable, Sendable {
    /// What the node is.
    public var kind: Kind
    /// Where it came from. Inline ranges are those libcmark reports, or the
    /// enclosing block's range where libcmark reports none.
    public var range: SourceRange

    public init(_ kind: Kind, range: SourceRange) {
        self.kind = kind
        self.range = range
    }

    /// The kinds of inline content.
    public indirect enum Kind: Hashable, Sendable {
        case text(String)
        case emphasis([Inline])
        case strong([Inline])
        /// A code span's content.
        case code(String)
        case link(Link)
        case image(Image)
        /// Raw inline HTML, passed through.
        case html(String)
        /// A line ending inside a paragraph (rendered as a space or newline).
        case softBreak
        /// A hard line break (`\` or two spaces before the newline).
        case hardBreak
        /// `$...$` inline math (LaTeX source).
        case math(String)
        /// `` {name}`content` ``.
        case role(Role)
        /// `[^label]`.
        case footnoteReference(label: String)
    }

    /// The text of this node and its children with markup removed.
    public var plainText: String {
        switch kind {
        case .text(let s), .code(let s), .math(let s): return s
        case .emphasis(let c), .strong(let c): return c.map(\.plainText).joined()
        case .link(let link): return link.content.map(\.plainText).joined()
        case .image(let image): return image.alt
        case .html: return ""
        case .softBreak, .hardBreak: return "\n"
        case .role(let role): return role.value
        case .footnoteReference: return ""
        }
    }
}

/// A link `[content](url "title")`, an autolink, or a reference link resolved by libcmark.
public struct Link: Hashable, Sendable {
    public var url: String
    public var title: String
    public var content: [Inline]

    public init(url: String, title: String = "", content: [Inline]) {
        self.url = url
        self.title = title
        self.content = content
    }
}

/// An image: the markdown `![alt](url)` or the `{image}` / `{figure}` directives.
public struct Image: Hashable, Sendable {
    public var url: String
    public var title: String = ""
    /// The alternative text (plain text of the description).
    public var alt: String = ""
    public var className: String?
    public var width: String?
    public var height: String?
    public var align: String?

    public init(url: String, title: String = "", alt: String = "") {
        self.url = url
        self.title = title
        self.alt = alt
    }
}
