import Testing
@testable import MyST

/// The document model that execution, rendering and grading read.
@Suite struct DocumentTests {
    let document: Document

    init() throws {
        document = Document.parse(try fixture("everything.md"), file: "everything.md")
    }

    @Test func frontMatterCarriesJupytextAndKernelspec() throws {
        let front = try #require(document.frontMatter)
        #expect(front.title == "Coupling flows")
        #expect(front.kernelspec == Kernelspec(name: "swift", language: "swift", displayName: "Swift"))
        #expect(front.jupytext?.formatName == "myst")
        #expect(front.jupytext?.formatVersion == "0.13")
        #expect(front.range.start.line == 1 && front.range.end.line == 13)
    }

    @Test func codeCellsAreListedInOrderWithTagsAndLines() {
        let cells = document.codeCells
        #expect(cells.count == 2)
        #expect(cells[0].cell.tags == [.hideInput, .raisesException])
        #expect(cells[0].cell.code == "let x = Tensor([1, 2, 3])\nshow(x)")
        #expect(cells[0].cell.codeLine == 34)
        #expect(cells[0].range.start.line == 32)
        #expect(cells[0].cell.isExecutable)
        #expect(cells[1].cell.tags == [.skipExecution])
        #expect(!cells[1].cell.isExecutable)
        #expect(cells[1].cell.codeLine == 83)
    }

    @Test func exercisesAndSolutionsAreListed() throws {
        let exercise = try #require(document.exercises.first?.exercise)
        #expect(document.exercises.count == 1)
        #expect(exercise.label == "ex-invert")
        #expect(exercise.points == 3)
        #expect(exercise.codeCells.map(\.tags) == [[.skipExecution]])
        #expect(exercise.title.map(\.plainText).joined() == "Invert a coupling layer")
        let solution = try #require(document.solutions.first?.solution)
        #expect(solution.exercise == "ex-invert")
        #expect(solution.hidden)
    }

    @Test func labelsAreCollectedWithTheirKinds() {
        let labels = document.labels.map { "\($0.name):\($0.kind.rawValue)" }
        #expect(labels == ["coupling:heading", "eq-change:equation", "fig-moons:figure", "tab-shapes:table",
                           "ex-invert:exercise", "fig-density:figure"])
        #expect(document.label("Fig-Moons")?.range.start.line == 51)
    }

    @Test func walkerVisitsNestedBlocksAndInlines() {
        struct Counter: MarkupWalker {
            var roles: [String] = []
            var directives: [String] = []
            mutating func visit(_ block: Block) {
                if case .directive(let d) = block.kind { directives.append(d.name) }
                descend(into: block)
            }
            mutating func visit(_ inline: Inline) {
                if case .role(let r) = inline.kind { roles.append(r.name) }
                descend(into: inline)
            }
        }
        var counter = Counter()
        counter.walk(document)
        #expect(counter.directives == ["code-cell", "note", "tip", "admonition", "figure", "list-table",
                                       "exercise", "code-cell", "solution", "glue:figure"])
        #expect(counter.roles == ["ref", "numref", "sub", "sup", "abbr", "eq", "glue:text", "math"])
    }

    @Test func rolesAreInterpreted() {
        var glue: Glue?
        var reference: CrossReference?
        withoutActuallyEscaping({ (inline: Inline) in
            if case .role(let role) = inline.kind {
                if case .glue(let g) = role.content { glue = g }
                if case .crossReference(let x) = role.content, x.kind == "ref" { reference = x }
            }
        }) { onInline in
            var walker = ClosureWalker(onBlock: { _ in }, onInline: onInline)
            walker.walk(document)
        }
        #expect(glue == Glue(key: "final-loss", format: .text, spec: ".3f"))
        #expect(reference?.identifier == "fig-moons")
        #expect(reference?.text == "the figure")
    }

    @Test func admonitionWithDropdownClassIsCollapsible() throws {
        let block = try #require(document.blocks.first { if case .directive(let d) = $0.kind { return d.name == "admonition" }; return false })
        guard case .directive(let d) = block.kind, case .admonition(let a) = d.content else { Issue.record("not an admonition"); return }
        #expect(a.isDropdown)
        #expect(a.title?.map(\.plainText).joined() == "Careful")
    }
}

@Suite struct CrossReferenceTests {
    @Test func rolesAndLinksToLabelsAreListed() {
        let doc = Document.parse("(intro)=\n# Intro\n\nSee {ref}`intro`, [this](intro), [web](https://x.org) and [](#intro).\n", file: "x.md")
        let refs = doc.crossReferences
        #expect(refs.map(\.reference.kind) == ["ref", "link", "link"])
        #expect(refs.allSatisfy { $0.reference.identifier == "intro" })
        #expect(refs[0].range.start == SourceLocation(line: 4, column: 5))
    }
}
