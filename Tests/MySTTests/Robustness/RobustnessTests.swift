import Testing
@testable import MyST

/// Hostile and broken input: the parser returns a document, quickly, every time.
@Suite struct RobustnessTests {
    /// Parses and exports, which must not crash; returns the document.
    @discardableResult
    func survive(_ source: String) -> Document {
        let doc = Document.parse(source, file: "r.md")
        _ = MDASTExporter().export(doc).serialized()
        var walker = ClosureWalker(onBlock: { _ in })
        walker.walk(doc)
        return doc
    }

    @Test func tenThousandNestedBlockQuotes() {
        let doc = survive(String(repeating: ">", count: 10_000) + " deep\n")
        #expect(doc.diagnostics.contains { $0.code == .tooDeep })
    }

    @Test func tenThousandNestedLists() {
        survive(String(repeating: "- ", count: 10_000) + "item\n")
        survive(String(repeating: "1. ", count: 10_000) + "item\n")
    }

    @Test func tenThousandNestedColonDirectives() {
        let open = (0..<10_000).map { _ in ":::{note}\n" }.joined()
        let close = String(repeating: ":::\n", count: 10_000)
        let doc = survive(open + "text\n" + close)
        #expect(doc.diagnostics.contains { $0.code == .tooDeep })
    }

    /// Each level needs a longer fence, so 1,000 levels already take a megabyte.
    @Test func thousandNestedBacktickDirectives() {
        var source = ""
        for depth in stride(from: 1_003, to: 3, by: -1) { source += String(repeating: "`", count: depth) + "{note}\n" }
        for depth in 4...1_003 { source += String(repeating: "`", count: depth) + "\n" }
        let doc = survive(source)
        #expect(doc.diagnostics.contains { $0.code == .tooDeep })
    }

    @Test func tenThousandNestedDirectivesInQuotes() {
        survive(String(repeating: "> ", count: 10_000) + "```{note}\nx\n")
    }

    @Test func tenThousandNestedInlines() {
        survive(String(repeating: "*", count: 10_000) + "x" + String(repeating: "*", count: 10_000) + "\n")
        survive(String(repeating: "[", count: 10_000) + "x" + String(repeating: "](u)", count: 10_000) + "\n")
        survive(String(repeating: "_a ", count: 10_000) + "\n")
    }

    @Test func hundredThousandLineChapter() {
        var lines: [String] = []
        lines.reserveCapacity(100_000)
        for i in 0..<100_000 {
            switch i % 10 {
            case 0: lines.append("## Section \(i)")
            case 1: lines.append("Some *text* with $x_\(i)$ and {ref}`sec-\(i)`.")
            case 2: lines.append("")
            case 3: lines.append("```{code-cell} swift")
            case 4: lines.append("let v\(i) = \(i)")
            case 5: lines.append("```")
            case 6: lines.append("- a list item")
            case 7: lines.append("- another")
            default: lines.append("")
            }
        }
        let doc = survive(lines.joined(separator: "\n"))
        #expect(doc.codeCells.count == 10_000)
        #expect(doc.codeCells.last?.cell.codeLine == 99_995)
    }

    @Test func invalidUTF8IsReplaced() {
        let bytes: [UInt8] = Array("# Title \u{1F600}\n\nok ".utf8) + [0xFF, 0xFE, 0xC3, 0x28, 0x80] + Array(" end\n".utf8)
        let doc = Document.parse(bytes: bytes, file: "r.md")
        guard case .paragraph(let inlines) = doc.blocks[1].kind else { Issue.record("no paragraph"); return }
        #expect(inlines.map(\.plainText).joined().contains("\u{FFFD}"))
    }

    @Test func nulBytesBecomeReplacementCharacters() {
        let doc = survive("a\0b\n\n```{note}\n\0\n```\n\0")
        guard case .paragraph(let inlines) = doc.blocks[0].kind else { Issue.record("no paragraph"); return }
        #expect(inlines.map(\.plainText).joined() == "a\u{FFFD}b")
    }

    @Test func unterminatedEverything() {
        let cases = [
            "```", "```{note}", "````{note}\n```{tip}\n", ":::{note}", "::::{note}\n:::{tip}\n",
            "$$", "$$\nx", "$x", "{ref}`x", "{ref}``x`", "(label", "(label)", "---\ntitle: x",
            "---\n: [\n---\n", "[^x]:", "[^x", "| a |\n|", "| a |\n|---|\n| b", "```{list-table}\n* x\n```",
            "+++ {", "% ", "```{code-cell}\n:tags: [\n```", "```{figure}\n---\n: :\n", "<div>", "<!--",
            "[link](", "![img](", "`code", "**bold", "\\", "{", "}`", "\r\n\r", "\t\t\t```\n",
        ]
        for source in cases { survive(source) }
    }

    /// Found by the fuzzer: `%` followed by a combining mark is one Character,
    /// which once made a comment scan stop before its first line.
    @Test func markFollowedByCombiningCharacter() {
        survive(String(decoding: [0x25, 0xD6, 0x95, 0xEF, 0x2D, 0x2D, 0x0A, 0x25, 0x0A, 0x00, 0xE1, 0x00, 0x74, 0x20], as: UTF8.self))
        for mark in ["%", "+++", "$$", ":::", "```", "(a)=", "[^a]:", "|"] {
            survive(mark + "\u{0301}x\n" + mark + "\u{0595}\n")
        }
    }

    @Test func pathologicalRepeats() {
        survive(String(repeating: "$", count: 50_000))
        survive(String(repeating: "{a}`", count: 20_000))
        survive(String(repeating: "[^", count: 20_000))
        survive(String(repeating: "|", count: 20_000) + "\n" + String(repeating: "|-", count: 10_000))
        survive(String(repeating: ":::{note}\n", count: 2_000))
        survive("- item\n\n" + String(repeating: "  :::{note}\n", count: 5_000))
        survive("- item\n\n" + String(repeating: "  $$\n  x\n", count: 5_000))
        survive(String(repeating: "a $b\nc$ d $e\n", count: 5_000))
        survive(String(repeating: "$$\n", count: 20_001))
        survive(String(repeating: "<a ", count: 20_000))
    }
}
