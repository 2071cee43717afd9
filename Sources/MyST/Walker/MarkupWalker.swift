/// Visits a document's nodes depth first, in source order.
///
/// Implement the `visit` methods you need; call `descend(into:)` to visit a
/// node's children (the default implementations do). Later stages (execution,
/// rendering, grading) are walkers.
///
///     struct HeadingCounter: MarkupWalker {
///         var count = 0
///         mutating func visit(_ block: Block) {
///             if case .heading = block.kind { count += 1 }
///             descend(into: block)
///         }
///     }
public protocol MarkupWalker {
    mutating func visit(_ block: Block)
    mutating func visit(_ inline: Inline)
}

extension MarkupWalker {
    public mutating func visit(_ block: Block) { descend(into: block) }
    public mutating func visit(_ inline: Inline) { descend(into: inline) }

    /// Walks every block of `document`.
    public mutating func walk(_ document: Document) {
        for block in document.blocks { visit(block) }
    }

    /// Visits the child blocks and inlines of `block`.
    public mutating func descend(into block: Block) {
        let (blocks, inlines) = block.children
        for child in blocks { visit(child) }
        for child in inlines { visit(child) }
    }

    /// Visits the child inlines of `inline`.
    public mutating func descend(into inline: Inline) {
        for child in inline.children { visit(child) }
    }
}

extension Block {
    /// The blocks and inlines directly inside this block, in source order.
    public var children: (blocks: [Block], inlines: [Inline]) {
        switch kind {
        case .paragraph(let c), .heading(_, let c): return ([], c)
        case .blockQuote(let c), .footnoteDefinition(_, let c): return (c, [])
        case .list(let list): return (list.items.flatMap { $0 }, [])
        case .table(let table): return ([], table.rows.flatMap { $0.flatMap(\.content) })
        case .directive(let d):
            switch d.content {
            case .admonition(let a): return (a.content, a.title ?? [])
            case .figure(let f): return (f.caption + f.legend, [])
            case .table(let t): return ([], t.caption + t.table.rows.flatMap { $0.flatMap(\.content) })
            case .exercise(let e): return (e.content, e.title)
            case .solution(let s): return (s.content, s.title)
            case .container(let c), .glue(_, let c): return (c, [])
            case .unknown, .image, .code, .math, .codeCell: return ([], [])
            }
        case .thematicBreak, .code, .html, .math, .target, .comment, .blockBreak: return ([], [])
        }
    }
}

extension Block {
    /// False for blocks that cannot hold other blocks (a quick test before ``children``).
    var hasChildBlocks: Bool {
        switch kind {
        case .blockQuote, .footnoteDefinition, .list, .directive: return true
        default: return false
        }
    }
}

extension Inline {
    /// The inlines directly inside this one.
    public var children: [Inline] {
        switch kind {
        case .emphasis(let c), .strong(let c): return c
        case .link(let link): return link.content
        case .role(let role):
            switch role.content {
            case .abbreviation(_, let c), .subscript(let c), .superscript(let c): return c
            case .crossReference(let x): return x.content
            default: return []
            }
        default: return []
        }
    }
}

/// A walker that calls closures; used by ``Document/forEachBlock(_:)``.
public struct ClosureWalker: MarkupWalker {
    var onBlock: (Block) -> Void
    var onInline: (Inline) -> Void = { _ in }

    public init(onBlock: @escaping (Block) -> Void, onInline: @escaping (Inline) -> Void = { _ in }) {
        self.onBlock = onBlock
        self.onInline = onInline
    }

    public mutating func visit(_ block: Block) {
        onBlock(block)
        descend(into: block)
    }

    public mutating func visit(_ inline: Inline) {
        onInline(inline)
        descend(into: inline)
    }
}
