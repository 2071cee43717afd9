import Testing
import Course
import MyST

@Suite struct ExecutionSettingsTests {
    func settings(_ frontMatter: String) -> (ExecutionSettings, [String]) {
        let doc = Document.parse("---\n" + frontMatter + "\n---\n# Title\n", file: "ch.md")
        var s = ExecutionSettings()
        let problems = s.apply(doc.frontMatter?.values, at: SourceRange(file: "ch.md", line: 1, column: 1))
        return (s, problems.map(\.description))
    }

    @Test func readsEverySetting() {
        let (s, problems) = settings("execute:\n  timeout: 5\n  chapter_timeout: 30.5\n  memory_mb: 1024\n  output_limit: 2000\n  seed: 42\n  data: [a.csv, b.csv]")
        #expect(problems.isEmpty)
        #expect(s.limits.cellSeconds == 5 && s.limits.chapterSeconds == 30.5)
        #expect(s.limits.memoryMegabytes == 1024 && s.limits.outputBytes == 2000)
        #expect(s.seed == 42 && s.dataFiles == ["a.csv", "b.csv"])
    }

    @Test func badValuesAreReportedAndIgnored() {
        let (s, problems) = settings("execute:\n  timeout: -3\n  seed: soon\n  colour: blue")
        #expect(s.limits == .default && s.seed == 0)
        #expect(problems == [
            "ch.md:1:1: error: execute.timeout must be a positive number, got '-3' [bad-setting]",
            "ch.md:1:1: error: execute.seed must be a non-negative integer, got 'soon' [bad-setting]",
            "ch.md:1:1: warning: unknown setting execute.colour (known: timeout, chapter_timeout, memory_mb, output_limit, seed, data) [unknown-setting]",
        ])
        #expect(settings("execute: 3").1.count == 1)
        #expect(settings("title: x").1.isEmpty)
    }
}
