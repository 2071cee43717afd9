import Testing
@testable import MyST

/// A Jupyter notebook saved as MyST by jupytext parses without an error.
@Suite struct NotebookTests {
    @Test func jupytextNotebookParsesWithoutErrors() throws {
        let doc = Document.parse(try fixture("jupytext-notebook.md"), file: "nb.md")
        #expect(!doc.diagnostics.contains { $0.severity == .error })
        #expect(doc.frontMatter?.kernelspec?.name == "python3")
        #expect(doc.frontMatter?.jupytext?.formatName == "myst")
        let cells = doc.codeCells.map(\.cell)
        #expect(cells.count == 3)
        #expect(cells.allSatisfy { $0.language == "ipython3" && !$0.isExecutable })
        #expect(cells[0].tags == [.hideInput])
        #expect(cells[1].tags == [.removeOutput])
        #expect(cells[1].code.hasPrefix("x = np.random"))
        #expect(cells[2].code.isEmpty)
        #expect(doc.diagnostics.filter { $0.code == .nonSwiftCell }.count == 3)
        #expect(doc.labels.map(\.name) == ["eq:cov"])
    }
}
