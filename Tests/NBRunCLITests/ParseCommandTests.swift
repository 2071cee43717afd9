import Foundation
import Testing
import ArgumentParser
@testable import NBRunCLI

/// `nbrun parse [--format mdast|diagnostics] FILE|-`.
@Suite struct ParseCommandTests {
    @Test func parsesArguments() throws {
        let command = try NBRun.Parse.parse(["--format", "diagnostics", "-"])
        #expect(command.format == .diagnostics)
        #expect(command.file == "-")
        #expect(try NBRun.Parse.parse(["-"]).format == .mdast)
    }

    @Test func isRegisteredAsSubcommand() throws {
        let command = try NBRun.parseAsRoot(["parse", "-"])
        #expect(command is NBRun.Parse)
    }

    @Test func rejectsUnknownFormatAndMissingFile() {
        #expect(throws: (any Error).self) { try NBRun.Parse.parse(["--format", "html", "-"]) }
        #expect(throws: (any Error).self) {
            var command = try NBRun.Parse.parse(["/no/such/chapter.md"])
            try command.validate()
            command.positions = false
        }
    }

    @Test func mdastIsTheSpecTree() throws {
        let result = NBRun.Parse.render(Array("# Hi {sub}`2`\n".utf8), file: "a.md", format: .mdast)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        #expect(json["type"] as? String == "root")
        let heading = try #require((json["children"] as? [[String: Any]])?.first)
        #expect(heading["type"] as? String == "heading")
        #expect(result.errors.isEmpty)
    }

    @Test func diagnosticsUseCompilerFormat() {
        let source = "text\n\n```{sparkle}\nx\n```\n\n```swift\nlet open = 1\n"
        let result = NBRun.Parse.render(Array(source.utf8), file: "ch.md", format: .diagnostics)
        let lines = result.output.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("ch.md:3:1: warning: unknown directive {sparkle}") })
        #expect(lines.contains { $0.hasPrefix("ch.md:7:1: error: code fence opened with ``` is never closed") })
        #expect(lines.contains { $0.hasPrefix("ch.md:3:1: note: ") })
        #expect(result.hasErrors)
    }

    @Test func mdastModeSendsDiagnosticsToStandardError() {
        let result = NBRun.Parse.render(Array("{nope}`x`\n".utf8), file: "<stdin>", format: .mdast)
        #expect(result.errors.hasPrefix("<stdin>:1:1: warning: unknown role {nope}"))
        #expect(!result.hasErrors)
    }

    @Test func positionsFlagAddsPositions() {
        let result = NBRun.Parse.render(Array("# Hi\n".utf8), file: "a.md", format: .mdast, positions: true)
        #expect(result.output.contains("\"position\""))
    }

    @Test func readsAFile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("nbrun-parse-\(UUID()).md")
        try "```{note}\nHello\n```\n".write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        var command = try NBRun.Parse.parse(["--format", "diagnostics", url.path])
        try command.validate()
        try command.run()
    }
}
