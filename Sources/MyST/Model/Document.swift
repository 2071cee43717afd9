/// A parsed chapter: front matter, blocks, labels and diagnostics.
///
/// This is what execution, rendering and grading read. Every node carries a
/// ``SourceRange`` in ``file``.
public struct Document: Hashable, Sendable {
    /// The path given to the parser.
    public var file: String
    public var frontMatter: FrontMatter?
    public var blocks: [Block]
    /// Every label defined in the chapter, in source order.
    public var labels: [Label]
    /// Problems found, in source order.
    public var diagnostics: [Diagnostic]

    public init(file: String, frontMatter: FrontMatter?, blocks: [Block], labels: [Label], diagnostics: [Diagnostic]) {
        self.file = file
        self.frontMatter = frontMatter
        self.blocks = blocks
        self.labels = labels
        self.diagnostics = diagnostics
    }

    /// The code cells, in source order, with the range of their directive.
    public var codeCells: [(cell: CodeCell, range: SourceRange)] {
        var found: [(CodeCell, SourceRange)] = []
        forEachBlock { block in
            if case .directive(let d) = block.kind, case .codeCell(let cell) = d.content {
                found.append((cell, block.range))
            }
        }
        return found
    }

    /// The exercises, in source order, with the range of their directive.
    public var exercises: [(exercise: Exercise, range: SourceRange)] {
        var found: [(Exercise, SourceRange)] = []
        forEachBlock { block in
            if case .directive(let d) = block.kind, case .exercise(let e) = d.content {
                found.append((e, block.range))
            }
        }
        return found
    }

    /// The solutions, in source order.
    public var solutions: [(solution: Solution, range: SourceRange)] {
        var found: [(Solution, SourceRange)] = []
        forEachBlock { block in
            if case .directive(let d) = block.kind, case .solution(let s) = d.content {
                found.append((s, block.range))
            }
        }
        return found
    }

    /// The label named `identifier` (normalized), if defined.
    public func label(_ name: String) -> Label? {
        let id = Labels.normalize(name)
        return labels.first { $0.identifier == id }
    }

    /// Calls `body` on every block in document order, depth first.
    public func forEachBlock(_ body: (Block) -> Void) {
        withoutActuallyEscaping(body) { body in
            var walker = ClosureWalker(onBlock: body)
            walker.walk(self)
        }
    }
}

/// A named target in the document: `(label)=`, `:name:`, `:label:`, `$$ (label)`.
public struct Label: Hashable, Sendable {
    /// What the label names.
    public enum Kind: String, Hashable, Sendable {
        case heading, figure, table, equation, code, exercise, solution, section, block
    }

    /// The normalized form references are matched against.
    public var identifier: String
    /// The label as written.
    public var name: String
    public var kind: Kind
    public var range: SourceRange

    public init(name: String, kind: Kind, range: SourceRange) {
        self.name = name
        self.identifier = Labels.normalize(name)
        self.kind = kind
        self.range = range
    }
}

/// Label normalization shared by targets and references.
public enum Labels {
    /// Trims, collapses runs of whitespace to one space and lowercases, as MyST does.
    public static func normalize(_ label: String) -> String {
        label.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).joined(separator: " ").lowercased()
    }
}
