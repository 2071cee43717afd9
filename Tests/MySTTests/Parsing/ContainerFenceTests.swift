import Testing
@testable import MyST

/// MyST fences inside list items stay in the item.
@Suite struct ContainerFenceTests {
    let source = """
        - first

          $$
          \\frac{a}{b} \\\\ c
          $$ (eq-a)

          :::{note} Title
          inside *note*
          :::
        - second

          $$y = 1$$
        """

    @Test func displayMathAndColonFencesStayInTheirItem() throws {
        let doc = Document.parse(source, file: "l.md")
        #expect(doc.blocks.count == 1)
        guard case .list(let list) = doc.blocks[0].kind else { Issue.record("no list"); return }
        #expect(list.items.count == 2)
        let first = list.items[0]
        guard case .math(let math) = first[1].kind else { Issue.record("no math"); return }
        #expect(math.latex == "\\frac{a}{b} \\\\ c")
        #expect(math.label == "eq-a")
        #expect(first[1].range.start.line == 3)
        guard case .directive(let note) = first[2].kind, case .admonition = note.content else { Issue.record("no note"); return }
        #expect(first[2].range.start.line == 7)
        guard case .math(let inline) = list.items[1][1].kind else { Issue.record("no single-line math"); return }
        #expect(inline.latex == "y = 1")
        #expect(doc.labels.map(\.name) == ["eq-a"])
    }

    @Test func fenceIsLongerThanBackticksInside() {
        let doc = Document.parse("- item\n\n  :::{note}\n  ```swift\n  let x = 1\n  ```\n  :::\n", file: "l.md")
        guard case .list(let list) = doc.blocks[0].kind, case .directive(let note) = list.items[0][1].kind,
              case .admonition(let a) = note.content, case .code(let code) = a.content.first?.kind else {
            Issue.record("structure lost"); return
        }
        #expect(code.code == "let x = 1")
        #expect(doc.diagnostics.isEmpty)
    }
}
