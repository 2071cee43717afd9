/// Exports a document as MyST's mdast, the AST of the MyST specification.
///
/// Conventions follow the spec's test cases: directives and roles are wrapped
/// in `mystDirective` / `mystRole` nodes whose children are their meaning;
/// the paragraphs of a tight list item are unwrapped; a soft line break is a
/// `\n` inside the surrounding text.
public struct MDASTExporter {
    /// Include `position` (start and end line and column) on every node.
    public var includePositions: Bool

    public init(includePositions: Bool = false) {
        self.includePositions = includePositions
    }

    /// The document as an mdast `root` node.
    public func export(_ document: Document) -> JSON {
        node("root", [("children", .array(blocks(document.blocks)))], range: nil)
    }

    func node(_ type: String, _ fields: [(String, JSON?)], range: SourceRange?) -> JSON {
        var pairs: [(key: String, value: JSON)] = [("type", .string(type))]
        for (key, value) in fields { if let value { pairs.append((key, value)) } }
        if includePositions, let range {
            let point = { (l: SourceLocation) -> JSON in .object([("line", .int(l.line)), ("column", .int(l.column))]) }
            pairs.append(("position", .object([("start", point(range.start)), ("end", point(range.end))])))
        }
        return .object(pairs)
    }

    func blocks(_ blocks: [Block]) -> [JSON] { blocks.map(block) }

    func block(_ b: Block) -> JSON {
        let r = b.range
        switch b.kind {
        case .paragraph(let c): return node("paragraph", [("children", .array(inlines(c)))], range: r)
        case .heading(let level, let c):
            return node("heading", [("depth", .int(level)), ("children", .array(inlines(c)))], range: r)
        case .thematicBreak: return node("thematicBreak", [], range: r)
        case .blockQuote(let c): return node("blockquote", [("children", .array(blocks(c)))], range: r)
        case .list(let list): return self.list(list, range: r)
        case .code(let code): return self.code(code, range: r)
        case .html(let html): return node("html", [("value", .string(html))], range: r)
        case .math(let math): return self.math(math, range: r)
        case .table(let table): return self.table(table, range: r)
        case .directive(let d): return directive(d, range: r)
        case .target(let label): return node("mystTarget", [("label", .string(label))], range: r)
        case .comment(let text): return node("mystComment", [("value", .string(text))], range: r)
        case .blockBreak(let meta): return node("blockBreak", [("meta", meta.map { .string($0) })], range: r)
        case .footnoteDefinition(let label, let c):
            return node("footnoteDefinition", [("identifier", .string(Labels.normalize(label))), ("label", .string(label)),
                                               ("children", .array(blocks(c)))], range: r)
        }
    }

    private func list(_ list: ListBlock, range: SourceRange) -> JSON {
        let items: [JSON] = list.items.map { item in
            var children: [JSON] = []
            for block in item {
                if list.tight, case .paragraph(let c) = block.kind { children += inlines(c) } else { children.append(self.block(block)) }
            }
            return node("listItem", [("spread", .bool(true)), ("children", .array(children))], range: item.first?.range)
        }
        return node("list", [("ordered", .bool(list.ordered)), ("start", list.ordered ? .int(list.start) : nil),
                             ("spread", .bool(false)), ("children", .array(items))], range: range)
    }

    func code(_ code: CodeBlock, range: SourceRange?) -> JSON {
        node("code", [
            ("lang", .string(code.language)),
            ("identifier", code.label.map { .string(Labels.normalize($0)) }), ("label", code.label.map { .string($0) }),
            ("class", code.className.map { .string($0) }),
            ("showLineNumbers", code.showLineNumbers ? .bool(true) : nil),
            ("startingLineNumber", code.startingLineNumber.map { .int($0) }),
            ("emphasizeLines", code.emphasizeLines.isEmpty ? nil : .array(code.emphasizeLines.map { .int($0) })),
            ("value", .string(code.code)),
        ], range: range)
    }

    func math(_ math: MathBlock, range: SourceRange?) -> JSON {
        node("math", [("identifier", math.label.map { .string(Labels.normalize($0)) }),
                      ("label", math.label.map { .string($0) }), ("value", .string(math.latex))], range: range)
    }

    func table(_ table: Table, range: SourceRange?) -> JSON {
        let rows: [JSON] = table.rows.map { row in
            node("tableRow", [("children", .array(row.map { cell in
                node("tableCell", [("header", cell.header ? .bool(true) : nil),
                                   ("align", cell.alignment.map { .string($0.rawValue) }),
                                   ("children", .array(inlines(cell.content)))], range: range)
            }))], range: range)
        }
        return node("table", [("children", .array(rows))], range: range)
    }

    func labelled(_ label: String?) -> [(String, JSON?)] {
        [("identifier", label.map { .string(Labels.normalize($0)) }), ("label", label.map { .string($0) })]
    }
}
