import Foundation
import Testing
import ChapterExecution
import MyST
@testable import Publishing

/// Cells with outputs: text, figures, errors at their markdown lines, glue, tags.
@Suite struct CellRenderingTests {
    func render(_ markdown: String, _ outputs: [CellOutput], glue: [String: DisplayRecord] = [:])
        -> (html: String, files: [String: Data], diagnostics: [Diagnostic]) {
        let document = Document.parse(markdown, file: "ch.md")
        let numbering = PageNumbering(document: document, chapter: 1, page: "ch.html")
        let result = ChapterResult(cells: outputs, glue: glue, compileSeconds: 0, runSeconds: 0)
        // The cells as the chapter runner runs them, and their outputs by block, as the build hands them over.
        let swiftCells = document.codeCells.filter { $0.cell.language == "swift" }
        let chapter = ChapterSource(path: "ch.md", cells: swiftCells.map { CellSource(code: $0.cell.code, line: $0.cell.codeLine) })
        var byBlock: [SourceRange: CellOutput] = [:]
        for (cell, output) in zip(swiftCells, outputs) { byBlock[cell.range] = output }
        var renderer = ChapterRenderer(document: document, numbering: numbering,
                                       context: SiteContext(targets: numbering.targets, pages: [:]),
                                       file: "ch.md", outputs: byBlock, glue: glue, executed: true)
        let page = renderer.render()
        // The build's verdict on the cells (the execute step's) with the page's own problems.
        return (page.body, page.files, (page.diagnostics + result.diagnostics(of: chapter)).sortedByLocation())
    }

    func cell(_ code: String, _ options: String = "") -> String {
        "```{code-cell} swift\n\(options)\(code)\n```\n\n"
    }

    func output(stdout: String = "", displays: [DisplayRecord] = [], error: CellError? = nil, expected: Bool = false) -> CellOutput {
        var o = CellOutput()
        o.stdout = stdout
        o.displays = displays
        o.error = error
        o.errorExpected = expected
        return o
    }

    static let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"320\"><title>Loss &amp; steps</title></svg>"

    @Test func textAndFigures() {
        let r = render(cell("print(1)") + cell("show(fig)", ":caption: Training loss.\n:label: fig-loss\n"),
                       [output(stdout: "1 < 2\n"), output(displays: [DisplayRecord(mime: "image/svg+xml", data: Self.svg)])])
        #expect(r.html.contains("<pre class=\"output stdout\">1 &lt; 2\n</pre>"))
        #expect(r.html.contains("<span class=\"kw\">") || r.html.contains("<span class=\"fn\">print</span>"))
        let name = r.files.keys.first { $0.hasPrefix("_images/ch-") && $0.hasSuffix(".svg") }
        #expect(name != nil)
        #expect(r.html.contains("<img src=\"\(name ?? "")\" alt=\"Training loss.\" width=\"640\" height=\"320\" loading=\"lazy\">"))
        #expect(r.html.contains("<span class=\"caption-number\">Figure 1.1.</span> Training loss."))
        #expect(r.html.contains("<div class=\"cell\" data-language=\"swift\" id=\"fig-loss\">"))
        // Without a caption the SVG's own title is the alt text.
        let plain = render(cell("show(fig)"), [output(displays: [DisplayRecord(mime: "image/svg+xml", data: Self.svg)])])
        #expect(plain.html.contains("alt=\"Loss &amp; steps\""))
        #expect(r.diagnostics.isEmpty)
    }

    @Test func compileErrorsShowTheLineWithACaret() {
        let markdown = "# T\n\n" + cell("let n: Int = \"two\"")
        let d = Diagnostic(file: "ch.md", line: 4, column: 14, severity: .error,
                                   message: "cannot convert value of type 'String' to specified type 'Int'")
        let r = render(markdown, [output(error: .compile([d]))])
        #expect(r.html.contains("<strong>Error</strong> at <code>ch.md:4:14</code>: cannot convert value of type &#39;String&#39;"))
        #expect(r.html.contains("<pre>    let n: Int = &quot;two&quot;\n                 ^\n</pre>"))
        #expect(r.diagnostics.count == 1)
        #expect(r.diagnostics[0].severity == .error && r.diagnostics[0].range.start.line == 4 && r.diagnostics[0].range.start.column == 14)
    }

    @Test func expectedErrorsAreShownButNotReported() {
        let r = render(cell("fatalError()", ":tags: [raises-exception]\n"), [output(error: .runtime(message: "Fatal error", line: 3), expected: true)])
        #expect(r.html.contains("<div class=\"cell-error expected\">"))
        #expect(r.diagnostics.isEmpty)
        let bad = render(cell("fatalError()"), [output(error: .runtime(message: "Fatal error", line: 2))])
        #expect(bad.diagnostics.map(\.range.start.line) == [2])
        #expect(bad.html.contains("role=\"alert\""))
    }

    @Test func tagsHideAndRemove() {
        let code = "print(42)"
        let outs = [output(stdout: "42\n")]
        #expect(render(cell(code, ":tags: [remove-cell]\n"), outs).html.isEmpty)
        let noInput = render(cell(code, ":tags: [remove-input]\n"), outs).html
        #expect(!noInput.contains("cell-input") && noInput.contains("42\n</pre>"))
        #expect(!render(cell(code, ":tags: [remove-output]\n"), outs).html.contains("42\n</pre>"))
        #expect(render(cell(code, ":tags: [hide-input]\n"), outs).html.contains("<details class=\"cell-fold\"><summary>Show code</summary>"))
        #expect(render(cell(code, ":tags: [hide-output]\n"), outs).html.contains("<details class=\"cell-fold\"><summary>Show output</summary>"))
    }

    @Test func gluedValuesAreFormatted() {
        let md = "Loss {glue:text}`nll:.3f`, raw {glue}`nll`, missing {glue}`nope`.\n"
        let r = render(md, [], glue: ["nll": DisplayRecord(mime: "text/plain", data: "0.34449")])
        #expect(r.html.contains("Loss <span class=\"glue\">0.344</span>, raw <span class=\"glue\">0.34449</span>"))
        #expect(r.diagnostics.map(\.code) == [.missingGlue])
        #expect(GlueFormat.apply(",d", to: "1234567") == "1,234,567")
        #expect(GlueFormat.apply(".1%", to: "0.256") == "25.6%")
        #expect(GlueFormat.apply(".2e", to: "12345") == "1.23e+04")
        #expect(GlueFormat.apply(".2f", to: "not a number") == "not a number")
    }

    /// An explorer: controls for its parameters, the default frame in place,
    /// each distinct frame once (two equal frames share a template, and a
    /// figure shared by frames is one file), and the caption's glue per frame.
    @Test func anExplorerStoresEachDistinctFrameOnceAndShowsItsDefault() throws {
        func frame(_ text: String, _ total: String, figure: String? = nil) -> ExploreFrame {
            var f = ExploreFrame()
            f.stdout = text
            f.glue = ["total": DisplayRecord(mime: "text/plain", data: total, name: "total")]
            if let figure { f.displays = [DisplayRecord(mime: "image/svg+xml", data: figure)] }
            return f
        }
        var o = output(stdout: "a=2\n")
        o.explore = [
            "a=1,data=moons": frame("a=1\n", "10", figure: Self.svg),
            "a=2,data=moons": frame("a=2\n", "20", figure: Self.svg),
            "a=1,data=spirals": frame("same\n", "0"),
            "a=2,data=spirals": frame("same\n", "0"),
        ]
        let markdown = "# Ch\n\n" + cell("print(explore.int(\"a\"), explore.string(\"data\"))",
                                           ":label: fig-ex\n:caption: Total {glue:text}`total`.\n:explore-a: 1, *2\n:explore-data: moons, spirals\n")
        let (html, files, diagnostics) = render(markdown, [o], glue: ["total": DisplayRecord(mime: "text/plain", data: "20", name: "total")])
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(html.contains("<figure class=\"explorer\" id=\"fig-ex\""))
        #expect(html.contains("type=\"range\"") && html.contains("data-param=\"a\" data-values=\"1 2\""))
        #expect(html.contains("<select") && html.contains("<option value=\"1\">spirals</option>"))
        // Three distinct frames for four combinations; one figure file for two frames.
        #expect(html.components(separatedBy: "<template data-frame=").count - 1 == 3)
        #expect(files.keys.filter { $0.hasSuffix(".svg") }.count == 1)
        #expect(html.contains("{\"frames\":{\"a=1,data=moons\":0,\"a=1,data=spirals\":1,\"a=2,data=moons\":2,\"a=2,data=spirals\":1}}"))
        // The default (a = 2, moons) in place, before any script runs.
        let inPlace = try #require(html.components(separatedBy: "<div class=\"cell-output explorer-frame\"").last?.components(separatedBy: "<template").first)
        #expect(inPlace.contains("a=2") && !inPlace.contains("a=1"))
        #expect(html.hasSuffix("<figcaption><span class=\"caption-number\">Figure 1.1.</span> Total <span class=\"glue\">20</span>.</figcaption>\n</figure>\n"))
    }
}

/// Math as plain text (search snippets, alt text), whole sections in the
/// search index, and captions as plain words in alt text.
@Suite struct PlainTextTests {
    @Test func latexReadsAsPlainSymbols() {
        #expect(PlainMath.text("\\log p_X(x) = \\log p_Z(f(x)) + \\log\\left|\\det J_f(x)\\right|") == "log pX(x) = log pZ(f(x)) + log|det Jf(x)|")
        #expect(PlainMath.text("\\alpha \\in \\mathbb{R}^d, \\; \\frac{1}{2}\\lVert z \\rVert^2") == "α ∈ ℝ^d, 1/2‖ z ‖^2")
        #expect(PlainMath.text("x = e^z, \\frac{\\varphi(z)}{x + 1}") == "x = e^z, (φ(z))/(x + 1)")
        #expect(PlainMath.text("\\mathcal{N}(0, I)") == "N(0, I)")
    }

    @Test func theSearchIndexKeepsWholeSectionsAndPlainMath() {
        let long = String(repeating: "word ", count: 800) + "the-last-word"
        let script = SearchIndex.script([(page: "a.html", title: "A", sections: [SearchSection(anchor: "s", title: "S", text: long)])])
        #expect(script.contains("the-last-word"))
        let document = Document.parse("# T\n\n## Density\n\nWith $\\log p_X(x)$ and $\\alpha$.\n", file: "t.md")
        let numbering = PageNumbering(document: document, chapter: 1, page: "t.html")
        var renderer = ChapterRenderer(document: document, numbering: numbering, context: SiteContext(targets: [:], pages: [:]), file: "t.md")
        let sections = renderer.render().sections
        #expect(sections.contains { $0.text.contains("With log pX(x) and α.") }, "\(sections)")
    }

    @Test func altTextIsTheCaptionInPlainWords() {
        var o = CellOutput()
        o.displays = [DisplayRecord(mime: "image/svg+xml", data: "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"></svg>")]
        let md = "# T\n\n(sec-a)=\n## A\n\n```{code-cell} swift\n:caption: The density $p_X$ of {ref}`sec-a`.\nshow(x)\n```\n"
        let document = Document.parse(md, file: "t.md")
        let numbering = PageNumbering(document: document, chapter: 1, page: "t.html")
        let cell = document.codeCells[0]
        var renderer = ChapterRenderer(document: document, numbering: numbering, context: SiteContext(targets: numbering.targets, pages: [:]),
                                       file: "t.md", outputs: [cell.range: o], executed: true)
        let html = renderer.render().body
        #expect(html.contains("alt=\"The density pX of 1.1 A.\""), "\(html)")
    }
}
