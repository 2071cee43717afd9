import Testing
@testable import MyST

/// One test per problem the parser reports: severity, location, message, hint.
@Suite struct DiagnosticTests {
    @Test func unknownDirectiveIsKeptAndReported() throws {
        let doc = Document.parse("text\n\n```{sparkle} arg\nbody\n```\n", file: "d.md")
        let d = try #require(doc.diagnostics.first)
        #expect(d.code == .unknownDirective && d.severity == .warning)
        #expect(d.description.hasPrefix("d.md:3:1: warning: unknown directive {sparkle}"))
        #expect(d.hint != nil)
        guard case .directive(let directive) = doc.blocks[1].kind else { Issue.record("dropped"); return }
        #expect(directive.body == "body")
    }

    @Test func unknownRoleIsKeptAndReported() throws {
        let doc = Document.parse("a {sparkle}`b` c\n", file: "d.md")
        let d = try #require(doc.diagnostics.first)
        #expect(d.code == .unknownRole)
        #expect(d.range.start == SourceLocation(line: 1, column: 3))
        #expect(MDASTExporter().export(doc).serialized().contains(#""type":"mystRole","name":"sparkle","value":"b""#))
    }

    @Test func badOptionValues() {
        let found = diagnostics("```{code-block} swift\n:lineno-start: ten\nx\n```\n", .badOptionValue)
        #expect(found.count == 1)
        #expect(found.first?.range.start.line == 2)
        #expect(found.first?.message.contains("whole number") == true)
        #expect(diagnostics("```{exercise}\n:hidden: maybe\n```\n", .badOptionValue).count == 1)
    }

    @Test func exerciseDifficulty() {
        let doc = Document.parse("```{exercise} Hard one\n:label: ex-a\n:difficulty: Hard\nx\n```\n", file: "t.md")
        #expect(doc.exercises.first?.exercise.difficulty == .hard)
        #expect(doc.diagnostics.isEmpty)
        let bad = diagnostics("```{exercise}\n:difficulty: tricky\nx\n```\n", .badOptionValue)
        #expect(bad.count == 1 && bad.first?.message.contains("tricky") == true && bad.first?.hint?.contains("easy, medium, hard") == true)
    }

    @Test func unknownOption() {
        let found = diagnostics("```{note}\n:colour: red\nx\n```\n", .unknownOption)
        #expect(found.first?.range.start.line == 2)
    }

    @Test func unclosedFences() {
        let backtick = diagnostics("text\n\n```swift\nlet x = 1\n", .unclosedFence)
        #expect(backtick.first?.range.start.line == 3)
        #expect(backtick.first?.severity == .error)
        let colon = diagnostics(":::{note}\nnever closed\n", .unclosedFence)
        #expect(colon.first?.range.start.line == 1)
        #expect(diagnostics("```\nclosed\n```\n", .unclosedFence).isEmpty)
    }

    @Test func invalidFrontMatter() throws {
        let found = diagnostics("---\ntitle: [unclosed\nother: 1\n---\n# H\n", .invalidFrontMatter)
        let d = try #require(found.first)
        #expect(d.severity == .error)
        #expect(d.range.start.line >= 2)
    }

    @Test func duplicateLabel() {
        let found = diagnostics("(a)=\n# One\n\n(A)=\n# Two\n", .duplicateLabel)
        #expect(found.count == 1)
        #expect(found.first?.range.start.line == 4)
        #expect(found.first?.message.contains("already defined at 1:1") == true)
    }

    @Test func mathThatDoesNotParse() {
        #expect(diagnostics("$$\n\\frac{a}{b\n$$\n", .invalidMath).count == 1)
        #expect(diagnostics("Inline $\\begin{x} y$ here\n", .invalidMath).count == 1)
        #expect(diagnostics("```{math}\n\\left( x\n```\n", .invalidMath).count == 1)
        #expect(diagnostics("$$\n\\frac{a}{b}\n$$\n", .invalidMath).isEmpty)
    }

    @Test func cellForAnotherKernel() throws {
        let doc = Document.parse("```{code-cell} ipython3\nprint(1)\n```\n", file: "d.md")
        let d = try #require(doc.diagnostics.first { $0.code == .nonSwiftCell })
        #expect(d.severity == .warning)
        #expect(doc.codeCells.first?.cell.language == "ipython3")
        #expect(doc.codeCells.first?.cell.isExecutable == false)
    }

    @Test func unclosedRoleAndMath() {
        #expect(diagnostics("see {ref}`label without end\n", .unclosedRole).count == 1)
        #expect(diagnostics("$$\nx = 1\n", .unclosedMath).count == 1)
    }

    @Test func missingArgumentAndUnknownTag() {
        #expect(diagnostics("```{figure}\ncaption\n```\n", .missingArgument).count == 1)
        #expect(diagnostics("```{solution}\nx\n```\n", .missingArgument).count == 1)
        #expect(diagnostics("```{code-cell} swift\n:tags: [sparkle]\nx\n```\n", .unknownTag).count == 1)
    }

    @Test func compilerFormatWithHintAsNote() {
        let d = Diagnostic(.error, .unclosedFence, at: SourceRange(file: "f.md", lines: 7, 9, column: 3), "oops", hint: "fix it")
        #expect(d.description == "f.md:7:3: error: oops [unclosed-fence]\nf.md:7:3: note: fix it")
    }
}
