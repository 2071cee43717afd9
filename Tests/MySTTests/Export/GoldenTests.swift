import Testing
@testable import MyST

/// The rich fixture's mdast, compared with a recorded golden file.
@Suite struct GoldenTests {
    @Test func everythingMatchesGoldenMDAST() throws {
        let document = Document.parse(try fixture("everything.md"), file: "everything.md")
        let json = MDASTExporter().export(document).serialized(indent: 2) + "\n"
        try assertGolden(json, "everything.mdast.json")
    }

    @Test func everythingHasNoDiagnosticsButTheExpectedOnes() throws {
        let document = Document.parse(try fixture("everything.md"), file: "everything.md")
        #expect(document.diagnostics.map(\.code) == [])
    }

    @Test func positionsAreExportedOnRequest() {
        let json = MDASTExporter(includePositions: true).export(Document.parse("# Hi\n", file: "a.md")).serialized()
        #expect(json.contains(#""position":{"start":{"line":1,"column":1},"end":{"line":1,"column":4}}"#))
    }

    @Test func jsonEscapesControlCharacters() {
        let json = JSON.string("a\"b\\c\n\u{1}").serialized()
        #expect(json == #""a\"b\\c\n\u0001""#)
    }
}
