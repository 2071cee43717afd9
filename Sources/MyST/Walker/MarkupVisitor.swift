/// Visits one node and returns a result: the shape of renderers.
///
/// Every `visitX` method defaults to `defaultVisit`, so a visitor implements
/// only what it treats specially. Dispatch with ``visit(_:)-(Block)`` and
/// ``visit(_:)-(Inline)``; a renderer calls them on children itself.
///
///     struct PlainText: MarkupVisitor {
///         mutating func defaultVisit(_ block: Block) -> String {
///             block.children.blocks.map { visit($0) }.joined()
///                 + block.children.inlines.map { visit($0) }.joined()
///         }
///         mutating func defaultVisit(_ inline: Inline) -> String { inline.plainText }
///     }
public protocol MarkupVisitor {
    associatedtype Result

    mutating func defaultVisit(_ block: Block) -> Result
    mutating func defaultVisit(_ inline: Inline) -> Result

    mutating func visitParagraph(_ content: [Inline], block: Block) -> Result
    mutating func visitHeading(level: Int, content: [Inline], block: Block) -> Result
    mutating func visitList(_ list: ListBlock, block: Block) -> Result
    mutating func visitCode(_ code: CodeBlock, block: Block) -> Result
    mutating func visitMath(_ math: MathBlock, block: Block) -> Result
    mutating func visitTable(_ table: Table, block: Block) -> Result
    mutating func visitDirective(_ directive: Directive, block: Block) -> Result
    mutating func visitCodeCell(_ cell: CodeCell, directive: Directive, block: Block) -> Result
    mutating func visitExercise(_ exercise: Exercise, directive: Directive, block: Block) -> Result
    mutating func visitSolution(_ solution: Solution, directive: Directive, block: Block) -> Result
    mutating func visitAdmonition(_ admonition: Admonition, directive: Directive, block: Block) -> Result
    mutating func visitFigure(_ figure: Figure, directive: Directive, block: Block) -> Result

    mutating func visitText(_ text: String, inline: Inline) -> Result
    mutating func visitInlineMath(_ latex: String, inline: Inline) -> Result
    mutating func visitLink(_ link: Link, inline: Inline) -> Result
    mutating func visitRole(_ role: Role, inline: Inline) -> Result
}

extension MarkupVisitor {
    public mutating func visitParagraph(_ content: [Inline], block: Block) -> Result { defaultVisit(block) }
    public mutating func visitHeading(level: Int, content: [Inline], block: Block) -> Result { defaultVisit(block) }
    public mutating func visitList(_ list: ListBlock, block: Block) -> Result { defaultVisit(block) }
    public mutating func visitCode(_ code: CodeBlock, block: Block) -> Result { defaultVisit(block) }
    public mutating func visitMath(_ math: MathBlock, block: Block) -> Result { defaultVisit(block) }
    public mutating func visitTable(_ table: Table, block: Block) -> Result { defaultVisit(block) }
    public mutating func visitDirective(_ directive: Directive, block: Block) -> Result { defaultVisit(block) }
    public mutating func visitCodeCell(_ cell: CodeCell, directive: Directive, block: Block) -> Result {
        visitDirective(directive, block: block)
    }
    public mutating func visitExercise(_ exercise: Exercise, directive: Directive, block: Block) -> Result {
        visitDirective(directive, block: block)
    }
    public mutating func visitSolution(_ solution: Solution, directive: Directive, block: Block) -> Result {
        visitDirective(directive, block: block)
    }
    public mutating func visitAdmonition(_ admonition: Admonition, directive: Directive, block: Block) -> Result {
        visitDirective(directive, block: block)
    }
    public mutating func visitFigure(_ figure: Figure, directive: Directive, block: Block) -> Result {
        visitDirective(directive, block: block)
    }
    public mutating func visitText(_ text: String, inline: Inline) -> Result { defaultVisit(inline) }
    public mutating func visitInlineMath(_ latex: String, inline: Inline) -> Result { defaultVisit(inline) }
    public mutating func visitLink(_ link: Link, inline: Inline) -> Result { defaultVisit(inline) }
    public mutating func visitRole(_ role: Role, inline: Inline) -> Result { defaultVisit(inline) }

    /// Dispatches `block` to the matching `visitX` method.
    public mutating func visit(_ block: Block) -> Result {
        switch block.kind {
        case .paragraph(let content): return visitParagraph(content, block: block)
        case .heading(let level, let content): return visitHeading(level: level, content: content, block: block)
        case .list(let list): return visitList(list, block: block)
        case .code(let code): return visitCode(code, block: block)
        case .math(let math): return visitMath(math, block: block)
        case .table(let table): return visitTable(table, block: block)
        case .directive(let d):
            switch d.content {
            case .codeCell(let cell): return visitCodeCell(cell, directive: d, block: block)
            case .exercise(let exercise): return visitExercise(exercise, directive: d, block: block)
            case .solution(let solution): return visitSolution(solution, directive: d, block: block)
            case .admonition(let admonition): return visitAdmonition(admonition, directive: d, block: block)
            case .figure(let figure): return visitFigure(figure, directive: d, block: block)
            default: return visitDirective(d, block: block)
            }
        default: return defaultVisit(block)
        }
    }

    /// Dispatches `inline` to the matching `visitX` method.
    public mutating func visit(_ inline: Inline) -> Result {
        switch inline.kind {
        case .text(let text): return visitText(text, inline: inline)
        case .math(let latex): return visitInlineMath(latex, inline: inline)
        case .link(let link): return visitLink(link, inline: inline)
        case .role(let role): return visitRole(role, inline: inline)
        default: return defaultVisit(inline)
        }
    }
}
