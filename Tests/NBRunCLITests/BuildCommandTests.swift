import Course
import Foundation
@testable import NBRunCLI
import Testing

/// `nbrun build` on small projects: the binary end to end (what it prints,
/// its exit status, the site it leaves), and the pipeline it calls.
@Suite(.serialized) struct BuildCommandTests {
    struct Output { let status: Int32; let stderr: String }

    /// A project folder with `myst.yml` and the given chapters, in a fresh directory.
    func project(_ chapters: [String: String], toc: [String]? = nil) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nbrun-build-\(getpid())-\(UUID().uuidString)")
        let book = dir.appendingPathComponent("book")
        try FileManager.default.createDirectory(at: book, withIntermediateDirectories: true)
        let files = toc ?? chapters.keys.sorted()
        let yml = "version: 1\nproject:\n  title: Tiny\n  toc:\n" + files.map { "    - file: \($0)\n" }.joined()
        try yml.write(to: book.appendingPathComponent("myst.yml"), atomically: true, encoding: .utf8)
        for (name, text) in chapters { try text.write(to: book.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return dir
    }

    func build(_ dir: URL, _ extra: [String] = []) throws -> Output {
        let p = Process()
        p.executableURL = RunCommandTests.nbrun
        p.arguments = ["build", "book"] + extra
        p.currentDirectoryURL = dir
        var env = ProcessInfo.processInfo.environment
        env["NBRUN_HOME"] = RunCommandTests.packageRoot.path
        env["NBRUN_SCRATCH_PATH"] = ".build-kernel-tests"
        p.environment = env
        let err = Pipe()
        p.standardOutput = FileHandle.nullDevice
        p.standardError = err
        try p.run()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Output(status: p.terminationStatus, stderr: String(decoding: e, as: UTF8.self))
    }

    func read(_ dir: URL, _ path: String) -> String {
        (try? String(contentsOf: dir.appendingPathComponent(path), encoding: .utf8)) ?? ""
    }

    static let first = """
        # First

        (sec-a)=
        ## A section

        ```{code-cell} swift
        print("hello from a cell")
        glue("answer", 42)
        ```

        The answer is {glue:text}`answer`.
        """

    @Test func buildsRunsCachesAndIsDeterministic() throws {
        let dir = try project(["01-first.md": Self.first, "02-second.md": "# Second\n\nBack to {ref}`sec-a`.\n"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try build(dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("  ran     book/01-first.md in "))
        #expect(r.stderr.contains("built 3 pages into Site/"))
        let page = read(dir, "Site/01-first.html")
        #expect(page.contains("<pre class=\"output stdout\">hello from a cell\n</pre>"))
        #expect(page.contains("The answer is <span class=\"glue\">42</span>."))
        #expect(read(dir, "Site/02-second.html").contains("<a class=\"reference\" href=\"01-first.html#sec-a\">1.1 A section</a>"))
        let again = try build(dir)
        #expect(again.stderr.contains("  cached  book/01-first.md"), "\(again.stderr)")
        #expect(read(dir, "Site/01-first.html") == page)
    }

    @Test func strictFailsOnWarningsAndKeepsTheOldSite() throws {
        let dir = try project(["01-a.md": "# A\n\nSee {ref}`nowhere`.\n"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let lenient = try build(dir)
        #expect(lenient.status == 0)
        #expect(lenient.stderr.contains("book/01-a.md:3:5: warning: no label 'nowhere' for {ref} to refer to [unresolved-reference]"), "\(lenient.stderr)")
        let before = read(dir, "Site/01-a.html")
        try "# A\n\nChanged. See {ref}`nowhere`.\n".write(to: dir.appendingPathComponent("book/01-a.md"), atomically: true, encoding: .utf8)
        let strict = try build(dir, ["--strict"])
        #expect(strict.status == 1)
        #expect(strict.stderr.contains("build failed"))
        #expect(read(dir, "Site/01-a.html") == before)
        #expect(read(dir, ".nbrun/failed-site/01-a.html").contains("Changed."))
    }

    /// The pipeline in this process, naming files as `nbrun build book` run in `dir` names them.
    func pipeline(_ dir: URL, execute: Bool = true, output: String = "Site") throws -> BuildReport {
        var options = BuildOptions()
        options.toolchain = CourseBuildTests.toolchain
        options.workDirectory = dir.appendingPathComponent(".nbrun")
        options.displayBase = dir
        options.execute = execute
        options.jobs = 2
        return try CourseBuild.load("book", options: options).run(output: dir.appendingPathComponent(output))
    }

    @Test func aFailingCellIsReportedAtItsLineAndOtherChaptersBuild() throws {
        let broken = "# Broken\n\n```{code-cell} swift\nlet n: Int = \"two\"\n```\n"
        let dir = try project(["01-ok.md": "# Fine\n\nProse only.\n", "02-broken.md": broken, "03-missing.md": "x"],
                              toc: ["01-ok.md", "02-broken.md", "04-gone.md"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try pipeline(dir)
        #expect(r.failed)
        let chapter = try #require(r.chapters.first { $0.path == "book/02-broken.md" })
        #expect(NBRun.Build.chapterLine(chapter) == "  failed  book/02-broken.md: 1 cell failed", "\(r.chapters)")
        let printed = r.diagnostics.map(\.description)
        #expect(printed.contains { $0.hasPrefix("book/02-broken.md:4:14: error: cannot convert value of type 'String' to specified type 'Int'") }, "\(printed)")
        #expect(printed.contains { $0.hasPrefix("book/myst.yml:1:1: error: '04-gone.md' is listed in the toc but cannot be read") }, "\(printed)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("Site").path))
        #expect(read(dir, ".nbrun/failed-site/01-ok.html").contains("Prose only."))
        #expect(read(dir, ".nbrun/failed-site/02-broken.html").contains("<code>book/02-broken.md:4:14</code>"))
    }

    @Test func noExecuteRendersWithoutRunning() throws {
        let dir = try project(["01-first.md": Self.first])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try pipeline(dir, execute: false, output: "out")
        #expect(!r.failed, "\(r.diagnostics)")
        #expect(r.chapters.isEmpty)
        let page = read(dir, "out/01-first.html")
        #expect(page.contains("<div class=\"cell\"") && !page.contains("hello from a cell\n</pre>"))
    }
}
