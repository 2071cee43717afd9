import Testing
@testable import MyST

/// Every node knows where it came from, also inside directives.
@Suite struct SourceRangeTests {
    @Test func blocksCarryLinesAndColumns() {
        let doc = Document.parse("# Title\n\nSome *text*.\n\n- a\n- b\n", file: "c.md")
        #expect(doc.blocks.map(\.range.start.line) == [1, 3, 5])
        #expect(doc.blocks[1].range.description == "c.md:3:1")
        #expect(doc.blocks[1].range.end == SourceLocation(line: 3, column: 12))
    }

    @Test func inlinesCarryTheirOwnColumns() {
        let doc = Document.parse("Some *text* here.\n", file: "c.md")
        guard case .paragraph(let inlines) = doc.blocks[0].kind else { Issue.record("no paragraph"); return }
        #expect(inlines[1].range.start == SourceLocation(line: 1, column: 6))
    }

    @Test func directiveBodiesKeepFileLines() {
        let source = "intro\n\n:::{note}\n:class: tip\n\nInside **here**.\n\n```{warning}\nDeep.\n```\n:::\n"
        let doc = Document.parse(source, file: "c.md")
        guard case .directive(let note) = doc.blocks[1].kind, case .admonition(let a) = note.content else {
            Issue.record("no note"); return
        }
        #expect(doc.blocks[1].range.start.line == 3)
        #expect(note.bodyLine == 6)
        #expect(a.content[0].range.start.line == 6)
        #expect(a.content[1].range.start.line == 8)
        guard case .directive(let warning) = a.content[1].kind, case .admonition(let inner) = warning.content else {
            Issue.record("no warning"); return
        }
        #expect(inner.content[0].range.start.line == 9)
    }

    @Test func frontMatterShiftsLines() {
        let doc = Document.parse("---\ntitle: T\n---\n# Heading\n", file: "c.md")
        #expect(doc.frontMatter?.title == "T")
        #expect(doc.blocks[0].range.start.line == 4)
    }

    @Test func codeCellLineIsTheFirstCodeLine() {
        let doc = Document.parse("text\n\n```{code-cell} swift\n:tags: [remove-input]\n\nprint(1)\n```\n", file: "c.md")
        #expect(doc.codeCells.first?.cell.codeLine == 6)
        #expect(doc.codeCells.first?.cell.code == "print(1)")
    }

    @Test func mystLineConstructsHaveRanges() {
        let doc = Document.parse("(intro)=\n# Intro\n\n% note to self\n\n+++\n\n$$\nx\n$$ (eq)\n", file: "c.md")
        #expect(doc.blocks.map(\.range.start.line) == [1, 2, 4, 6, 8])
        #expect(doc.blocks[4].range.end.line == 10)
        #expect(doc.labels.map(\.name) == ["intro", "eq"])
    }
}

/// Inline math wrapped onto the next line is still math, and LaTeX escapes survive.
@Suite struct WrappedMathTests {
    @Test func mathAcrossTwoLines() {
        let doc = Document.parse("the density $p(x) = p(z)\n|\\det J|$ follows and $\\{a\\}$.\n", file: "m.md")
        guard case .paragraph(let inlines) = doc.blocks[0].kind else { Issue.record("no paragraph"); return }
        let maths = inlines.compactMap { inline -> String? in if case .math(let m) = inline.kind { return m }; return nil }
        #expect(maths == ["p(x) = p(z)\n|\\det J|", "\\{a\\}"])
        #expect(inlines[1].range.start == SourceLocation(line: 1, column: 13))
    }

    @Test func dollarsThatAreNotMathStayText() {
        let doc = Document.parse("costs $5 and\n$ 10 or `$x`\n", file: "m.md")
        guard case .paragraph(let inlines) = doc.blocks[0].kind else { Issue.record("no paragraph"); return }
        #expect(!inlines.contains { if case .math = $0.kind { return true }; return false })
    }
}

@Suite struct TableRangeTests {
    @Test func pipeTableCellsKnowTheirColumns() {
        let doc = Document.parse("intro\n\n| a | *bb* |\n|---|---|\n| `c` | d |\n", file: "t.md")
        guard case .table(let table) = doc.blocks[1].kind else { Issue.record("no table"); return }
        #expect(table.rows[0][1].content.first?.range.start == SourceLocation(line: 3, column: 7))
        #expect(table.rows[1][0].content.first?.range.start.line == 5)
        #expect(table.rows[1][1].content.first?.range.start == SourceLocation(line: 5, column: 9))
    }
}
