import Foundation
import Testing
@testable import MyST

/// `:explore-NAME:` options make a code cell an explorer; bad declarations
/// are errors at the cell, with what to write instead.
@Suite struct ExploreTests {
    func cell(_ options: String, code: String = "print(explore.int(\"layers\"))") -> (CodeCell?, [Diagnostic]) {
        let doc = Document.parse("# T\n\n```{code-cell} swift\n\(options)\n\(code)\n```\n", file: "t.md")
        return (doc.codeCells.first?.cell, doc.diagnostics.filter { $0.code == .badExplore })
    }

    @Test func parametersDefaultsRangesAndTheProgression() throws {
        let (c, problems) = cell("""
            :label: fig-grid
            :explore-layers: 2, *4, 8
            :explore-data: moons, circles
            :explore-steps: 0...300 by 100
            :progression: steps
            """)
        #expect(problems.isEmpty, "\(problems)")
        let explore = try #require(c?.explore)
        #expect(explore.parameters.map(\.name) == ["layers", "data", "steps"])
        #expect(explore.parameters[0].values == ["2", "4", "8"] && explore.parameters[0].defaultIndex == 1)
        #expect(explore.parameters[1].defaultIndex == 0)
        #expect(explore.parameters[2].values == ["0", "100", "200", "300"])
        #expect(explore.parameters[2].defaultIndex == 3)          // a progression shows its end
        #expect(explore.progression == "steps")
        #expect(explore.runCount == 6 && explore.frameCount == 24)
        #expect(c?.label == "fig-grid")
        // No warning that explore-* are unknown options.
        let doc = Document.parse("```{code-cell} swift\n:explore-layers: 2, 4\nprint(explore.int(\"layers\"))\n```\n", file: "t.md")
        #expect(doc.diagnostics.isEmpty, "\(doc.diagnostics)")
    }

    @Test func badDeclarationsAreLocatedErrors() {
        let cases: [(String, String)] = [
            (":explore-layers:", "needs a list of values"),
            (":explore-layers: 2, 2, 4", "lists a value twice"),
            (":explore-layers: *2, *4", "marks two defaults"),
            (":explore-layers: 9...1 by 2", "is not a range of whole numbers"),
            (":explore-layers: 2, 4\n:progression: steps", "which is not a parameter"),
            (":explore-layers: 2, 4\n:explore-steps: 100, 50\n:progression: steps", "needs increasing whole numbers"),
            (":explore-layers: 2, 4\n:tags: [raises-exception]", "must be a Swift cell that runs"),
            (":explore-layers: a b, c", "values are single words or numbers"),
        ]
        for (options, message) in cases {
            let (_, problems) = cell(options)
            #expect(problems.contains { $0.message.contains(message) && $0.severity == .error && $0.line == 3 }, "\(options): \(problems)")
        }
    }

    @Test func readingAnUndeclaredParameterIsAnError() {
        let (_, problems) = cell(":explore-layers: 2, 4", code: "let w = explore.int(\"width\")\nlet l = explore.int(\"layers\")")
        #expect(problems.map(\.message) == ["the cell reads explore parameter 'width', which it does not declare"])
        let (_, none) = cell("", code: "let w = explore.double(\"lr\")")
        #expect(none.map(\.message) == ["the cell reads explore parameter 'lr' but declares no parameters"])
    }
}
