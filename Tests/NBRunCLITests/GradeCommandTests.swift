import Testing
import Foundation

/// End to end: `nbrun exercises`, `nbrun check` and `nbrun grade` on a small project.
@Suite(.serialized) struct GradeCommandTests {
    static let chapter = """
        # Squares

        ::::{exercise} Squares
        :label: ex-square

        Write `square(_:)`, which returns its argument squared.

        ```{starter}
        func square(_ x: Float) -> Float {
            return 0
        }
        ```

        ```{check} small numbers
        :points: 2
        expectClose(square(3), 9)
        ```

        ```{check} large numbers
        :points: 3
        :hidden:
        expectClose(square(1000), 1_000_000)
        ```
        ::::

        ::::{solution} ex-square
        ```swift
        func square(_ x: Float) -> Float { x * x }
        ```
        ::::
        """

    static let solution = "import NotebookRuntime\nfunc square(_ x: Float) -> Float { x * x }\n"

    func folder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nbrun-grade-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("book"), withIntermediateDirectories: true)
        try "version: 1\nproject:\n  title: T\n  toc:\n    - file: 01-squares.md\n"
            .write(to: dir.appendingPathComponent("book/myst.yml"), atomically: true, encoding: .utf8)
        try Self.chapter.write(to: dir.appendingPathComponent("book/01-squares.md"), atomically: true, encoding: .utf8)
        return dir
    }

    func nbrun(_ dir: URL, _ arguments: [String]) throws -> (status: Int32, output: String) {
        try Self.launch(RunCommandTests.nbrun, arguments, in: dir)
    }

    /// A program run in `dir` with the environment the CLI tests give `nbrun`
    /// (the package, its test build folder) plus `environment`; its output
    /// and errors together.
    static func launch(_ executable: URL, _ arguments: [String], in dir: URL,
                       environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = executable
        p.arguments = arguments
        p.currentDirectoryURL = dir
        var env = ProcessInfo.processInfo.environment
        env["NBRUN_HOME"] = RunCommandTests.packageRoot.path
        env["NBRUN_SCRATCH_PATH"] = ".build-kernel-tests"
        p.environment = env.merging(environment) { _, given in given }
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func write(_ text: String, _ dir: URL, _ path: String) throws {
        let url = dir.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    func read(_ dir: URL, _ path: String) -> String {
        (try? String(contentsOf: dir.appendingPathComponent(path), encoding: .utf8)) ?? ""
    }

    @Test func studentsWriteStarterFilesAndCheckThem() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let written = try nbrun(dir, ["exercises", "book", "--into", "mine"])
        #expect(written.status == 0 && written.output.contains("1 starter file written to mine/"), "\(written.output)")
        #expect(read(dir, "mine/ex-square.swift").contains("// Write square(_:), which returns its argument squared."))
        let failing = try nbrun(dir, ["check", "mine", "--project", "book"])
        #expect(failing.status == 1)
        #expect(failing.output.contains("✘ small numbers"))
        #expect(failing.output.contains("the value: expected 9 ± 0.0009, got 0"))
        #expect(failing.output.contains("✘ hidden check") && !failing.output.contains("large numbers"))
        #expect(failing.output.contains("0/5 points"))
        // Work is never overwritten.
        try write(Self.solution, dir, "mine/ex-square.swift")
        _ = try nbrun(dir, ["exercises", "book", "--into", "mine"])
        #expect(read(dir, "mine/ex-square.swift") == Self.solution)
        let passing = try nbrun(dir, ["check", "mine/ex-square.swift", "--project", "book"])
        #expect(passing.status == 0, "\(passing.output)")
        #expect(passing.output.contains("5/5 points"))
    }

    @Test func gradingAClassInShardsGivesTheSameGradebook() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try write(Self.solution, dir, "subs/ann/ex-square.swift")
        try write("import NotebookRuntime\nfunc square(_ x: Float) -> Float { abs(x) < 100 ? x * x : 0 }\n", dir, "subs/ben/ex-square.swift")
        try write("import NotebookRuntime\nfunc square(_ x: Float) -> Float { while true {} }\n", dir, "subs/cat/ex-square.swift")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("subs/dan"), withIntermediateDirectories: true)
        let whole = try nbrun(dir, ["grade", "book", "--submissions", "subs", "--out", "out/grades.csv", "--timeout", "2"])
        #expect(whole.status == 0, "\(whole.output)")
        #expect(read(dir, "out/grades.csv") == "student,total,possible,ex-square\nann,5,5,5\nben,2,5,2\ncat,0,5,0\ndan,0,5,0\n")
        #expect(read(dir, "out/feedback/dan.txt").contains("missing: no file ex-square.swift"))
        #expect(read(dir, "out/feedback/ben.txt").contains("✘ hidden check          0/3"))
        #expect(!read(dir, "out/feedback/ben.txt").contains("large numbers"))
        #expect(read(dir, "out/grades.json").contains("\"student\" : \"cat\""))
        for i in 1...2 {
            let part = try nbrun(dir, ["grade", "book", "--submissions", "subs", "--out", "part\(i).csv", "--shard", "\(i)/2", "--timeout", "2"])
            #expect(part.status == 0, "\(part.output)")
        }
        let merged = try nbrun(dir, ["grade", "merge", "part1.json", "part2.json", "--out", "merged.csv"])
        #expect(merged.status == 0, "\(merged.output)")
        #expect(read(dir, "merged.csv") == read(dir, "out/grades.csv"))
        #expect(read(dir, "merged.json") == read(dir, "out/grades.json"))
        let overlap = try nbrun(dir, ["grade", "merge", "part1.json", "part1.json", "--out", "bad.csv"])
        #expect(overlap.status == 1 && overlap.output.contains("the shards overlap"))
    }

    @Test func studentsCheckTheirWorkFromTheReleasedKitAlone() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let released = try nbrun(dir, ["release", "book", "--into", "kit"])
        #expect(released.status == 0, "\(released.output)")
        // The kit, moved away from the instructor's project, is all the student has.
        try FileManager.default.removeItem(at: dir.appendingPathComponent("book"))
        for case let name as String in FileManager.default.enumerator(atPath: dir.appendingPathComponent("kit").path)! {
            let text = read(dir, "kit/" + name)
            #expect(!text.contains("x * x") && !text.contains("1_000_000"), "\(name) gives away an answer")
        }
        let starter = try nbrun(dir, ["check", "kit/exercises", "--project", "kit"])
        #expect(starter.status == 1 && starter.output.contains("0/2 points"), "\(starter.output)")
        try write(Self.solution, dir, "kit/exercises/ex-square.swift")
        let solved = try nbrun(dir, ["check", "kit/exercises/ex-square.swift", "--project", "kit"])
        #expect(solved.status == 0 && solved.output.contains("2/2 points"), "\(solved.output)")
    }
}

