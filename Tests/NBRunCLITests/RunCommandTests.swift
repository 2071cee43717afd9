import Testing
import Foundation

/// End to end: the built `nbrun` binary runs fixture chapters.
@Suite(.serialized) struct RunCommandTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `nbrun` built next to this test bundle.
    static var nbrun: URL {
        var dir = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("nbrun")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return packageRoot.appendingPathComponent(".build/debug/nbrun")
    }

    struct Run { let status: Int32; let stdout: String; let stderr: String }

    func run(_ markdown: String, _ extra: [String] = []) throws -> Run {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nbrun-e2e-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try markdown.write(to: dir.appendingPathComponent("chapter.md"), atomically: true, encoding: .utf8)
        return try run(in: dir, ["chapter.md"] + extra)
    }

    func run(in dir: URL, _ arguments: [String]) throws -> Run {
        let p = Process()
        p.executableURL = Self.nbrun
        p.arguments = ["run"] + arguments
        p.currentDirectoryURL = dir
        var env = ProcessInfo.processInfo.environment
        env["NBRUN_HOME"] = Self.packageRoot.path
        env["NBRUN_SCRATCH_PATH"] = ".build-kernel-tests"   // `swift test` holds the lock on .build
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    func cell(_ code: String, tags: String? = nil) -> String {
        "```{code-cell} swift\n" + (tags.map { ":tags: [\($0)]\n" } ?? "") + code + "\n```\n"
    }

    @Test func compileErrorInTheMiddle() throws {
        let r = try run("# T\n\n" + cell("print(\"one\")") + "\ntext\n\n" + cell("let n: Int = \"two\"") + "\n" + cell("print(\"three\")"))
        #expect(r.status == 1)
        #expect(r.stdout.contains("one\n"))
        #expect(r.stdout.contains("chapter.md:10:14: error: cannot convert value of type 'String' to specified type 'Int'\n    let n: Int = \"two\"\n                 ^\n"), "\(r.stdout)")
        #expect(r.stdout.contains("note: not run: cell 2 (line 10) failed to compile"))
        #expect(!r.stdout.contains("three\n"))
    }

    @Test func trapAndExpectedFailure() throws {
        let r = try run(cell("let a = [1]\nprint(a[3])", tags: "raises-exception") + "\n" + cell("print(\"goes on\")"))
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stdout.contains("note: expected error: Index out of range"))
        #expect(r.stdout.contains("goes on"))
        let bad = try run(cell("let a = [1]\nprint(a[3])"))
        #expect(bad.status == 1)
        #expect(bad.stdout.contains("chapter.md:2:1: error: Index out of range"))
    }

    @Test func infiniteLoopAndFlood() throws {
        let r = try run(cell("while true {}"), ["--cell-timeout", "1"])
        #expect(r.status == 1)
        #expect(r.stdout.contains("error: the cell ran longer than its limit of 1 s and was stopped"))
        let flood = try run(cell("for _ in 0..<1_000_000 { print(\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\") }"))
        #expect(flood.status == 1)
        #expect(flood.stdout.contains("printed more than its limit"))
    }

    @Test func frontMatterSetsTheLimitsAndTheSeed() throws {
        let r = try run("---\nexecute:\n  timeout: 1\n  seed: 7\n---\n" + cell("var r7 = RandomGenerator(seed: 7)\nprint(rng.next() == r7.next())\nwhile true {}"))
        #expect(r.stdout.contains("true\n"))
        #expect(r.stdout.contains("ran longer than its limit of 1 s"))
    }

    @Test func severalChaptersAndTheCache() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nbrun-e2e-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for i in 1...3 { try ("# \(i)\n\n" + cell("print(\(i) * 10)")).write(to: dir.appendingPathComponent("c\(i).md"), atomically: true, encoding: .utf8) }
        let first = try run(in: dir, ["c1.md", "c2.md", "c3.md", "--jobs", "2"])
        #expect(first.status == 0)
        #expect(first.stdout.contains("━━ c2.md") && first.stdout.contains("20\n") && first.stdout.contains("30\n"))
        #expect(!first.stderr.contains("from the cache"))
        // Prose edited: the outputs come from the cache.
        try ("# One, retitled\n\nNew prose.\n\n" + cell("print(1 * 10)")).write(to: dir.appendingPathComponent("c1.md"), atomically: true, encoding: .utf8)
        let second = try run(in: dir, ["c1.md", "c2.md", "c3.md"])
        #expect(second.stdout.contains("c1.md:6") && second.stdout.contains("10\n"))
        #expect(second.stderr.contains("3 of 3 chapters from the cache"))
        let forced = try run(in: dir, ["c1.md", "--force"])
        #expect(!forced.stderr.contains("from the cache"))
    }

    @Test func projectSettingsComeFromMystYml() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nbrun-e2e-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("book"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "version: 1\nproject:\n  title: T\n  execute:\n    timeout: 1\n".write(to: dir.appendingPathComponent("book/myst.yml"), atomically: true, encoding: .utf8)
        try cell("while true {}").write(to: dir.appendingPathComponent("book/a.md"), atomically: true, encoding: .utf8)
        let r = try run(in: dir, ["book/a.md"])
        #expect(r.stdout.contains("ran longer than its limit of 1 s"), "\(r.stdout)\n\(r.stderr)")
        // A chapter's front matter overrides the project.
        try ("---\nexecute:\n  timeout: 2\n---\n" + cell("while true {}")).write(to: dir.appendingPathComponent("book/b.md"), atomically: true, encoding: .utf8)
        #expect(try run(in: dir, ["book/b.md"]).stdout.contains("limit of 2 s"))
    }

    @Test func htmlAndControlCharactersPassThroughUnchanged() throws {
        let r = try run(cell("print(\"<script>alert(1)</script> \\u{1b}[31mred\\u{1b}[0m\")"))
        #expect(r.status == 0)
        #expect(r.stdout.contains("<script>alert(1)</script> \u{1b}[31mred\u{1b}[0m"))
    }

    @Test func otherKernelsAndEmptyChapters() throws {
        let r = try run("```{code-cell} python\nprint(1)\n```\n")
        #expect(r.status == 0)
        #expect(!r.stdout.contains("cell 1"))
        let empty = try run("# Only prose\n\nNothing to run.\n")
        #expect(empty.status == 0)
        #expect(empty.stdout.isEmpty)
    }
}
