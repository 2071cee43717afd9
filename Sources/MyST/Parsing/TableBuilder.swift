/// Tables from `{list-table}` bodies and GFM pipe rows.
struct TableBuilder {
    let context: DirectiveContext

    /// `{list-table} caption`: a bullet list of rows, each a bullet list of cells.
    func table(_ d: Directive) -> TableContainer {
        let caption = d.argument.isEmpty ? [] : context.inlines(d.argument)
        let label = d.option("name")?.text ?? d.option("label")?.text
        var headerRows = 0
        if case .int(let n) = d.option("header-rows") { headerRows = n }
        let blocks = context.blocks(of: d)
        guard d.name == "list-table" else {
            for block in blocks { if case .table(let t) = block.kind { return TableContainer(label: label, caption: caption, table: t) } }
            return TableContainer(label: label, caption: caption, table: Table(rows: []))
        }
        var rows: [[Table.Cell]] = []
        var malformed = blocks.count != 1
        for block in blocks {
            guard case .list(let list) = block.kind else { malformed = true; continue }
            for item in list.items {
                guard item.count == 1, case .list(let cells) = item[0].kind else { malformed = true; continue }
                let header = rows.count < headerRows
                rows.append(cells.items.map { Table.Cell(header: header, alignment: nil, content: Self.inlines(of: $0)) })
            }
        }
        if malformed {
            context.parser.report(.warning, .malformedDirective, at: context.range,
                                  "{list-table} body is not a list of lists; rows that are not were left out",
                                  hint: "write each row as '* - cell' followed by '  - cell' lines")
        }
        return TableContainer(label: label, caption: caption, table: Table(rows: rows))
    }

    /// The inline content of a cell's blocks (paragraphs joined by line breaks).
    static func inlines(of blocks: [Block]) -> [Inline] {
        var result: [Inline] = []
        for block in blocks {
            if !result.isEmpty { result.append(Inline(.hardBreak, range: block.range)) }
            switch block.kind {
            case .paragraph(let content), .heading(_, let content): result += content
            default: result.append(Inline(.text(blockText(block)), range: block.range))
            }
        }
        return result
    }

    private static func blockText(_ block: Block) -> String {
        if case .code(let code) = block.kind { return code.code }
        return block.children.inlines.map(\.plainText).joined()
    }
}

extension DocumentParser {
    /// A GFM pipe table from its lines: header, delimiter row, body rows.
    func tableBlock(_ lines: [Substring], range: SourceRange, depth: Int) -> Block {
        let aligns = PipeTable.delimiterRow(lines[1]) ?? []
        var rows: [[Table.Cell]] = []
        for (index, line) in lines.enumerated() where index != 1 {
            let cells = PipeTable.cells(of: line)
            let lineNumber = range.start.line + index
            rows.append(aligns.indices.map { column in
                let text = column < cells.count ? PipeTable.unescapePipes(cells[column]) : ""
                // Cells are slices of the line, so their offset gives their column.
                let offset = column < cells.count ? line.utf8.distance(from: line.startIndex, to: cells[column].startIndex) : 0
                return Table.Cell(header: index == 0, alignment: aligns[column],
                                  content: text.isEmpty ? [] : inlines(text, line: lineNumber, column: range.start.column + offset))
            })
        }
        return Block(.table(Table(rows: rows)), range: range)
    }
}
