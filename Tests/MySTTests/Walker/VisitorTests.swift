import Testing
@testable import MyST

/// A visitor with a result, as a renderer would be written.
@Suite struct VisitorTests {
    /// Renders a tiny outline: headings, cells, exercises, math.
    struct Outline: MarkupVisitor {
        mutating func defaultVisit(_ block: Block) -> String {
            block.children.blocks.map { visit($0) }.joined()
        }
        mutating func defaultVisit(_ inline: Inline) -> String { inline.plainText }
        mutating func visitHeading(level: Int, content: [Inline], block: Block) -> String {
            String(repeating: "#", count: level) + " " + content.map { visit($0) }.joined() + "\n"
        }
        mutating func visitCodeCell(_ cell: CodeCell, directive: Directive, block: Block) -> String {
            "cell(\(cell.language)) at \(block.range.start.line)\n"
        }
        mutating func visitExercise(_ exercise: Exercise, directive: Directive, block: Block) -> String {
            "exercise \(exercise.label ?? "?"):\n" + exercise.content.map { visit($0) }.joined()
        }
        mutating func visitMath(_ math: MathBlock, block: Block) -> String { "math \(math.label ?? "")\n" }
        mutating func visitInlineMath(_ latex: String, inline: Inline) -> String { "$" + latex + "$" }
    }

    @Test func outlineOfTheRichFixture() throws {
        let doc = Document.parse(try fixture("everything.md"), file: "everything.md")
        var outline = Outline()
        let text = doc.blocks.map { outline.visit($0) }.joined()
        #expect(text == """
            # Coupling flows
            math eq-change
            cell(swift) at 32
            exercise ex-invert:
            cell(swift) at 81

            """)
    }
}
