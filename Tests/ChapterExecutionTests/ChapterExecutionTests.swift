import Testing
import Foundation
@testable import ChapterExecution

/// The kernel against small fixture chapters, compiled and run for real
/// against the release-built flow library (built first if missing or stale).
@Suite(.serialized) struct ChapterExecutionTests {
    static let executor: ChapterExecutor = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        // A build folder of its own: `swift test` holds the lock on `.build`.
        let toolchain = Toolchain(packageRoot: root, swiftc: Toolchain.findSwiftc(), scratchPath: ".build-kernel-tests")
        try! toolchain.ensureLibrary { print($0) }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("nbrun-kernel-tests-\(getpid())")
        return ChapterExecutor(toolchain: toolchain, workDirectory: work)
    }()

    func chapter(_ cells: [(String, Int)], raising: Set<Int> = [], skip: Set<Int> = []) -> ChapterSource {
        ChapterSource(path: "Notebooks/fixture.md", cells: cells.enumerated().map { i, c in
            CellSource(code: c.0, line: c.1, raisesException: raising.contains(i), skip: skip.contains(i))
        })
    }

    @Test func stateCarriesAcrossCellsAndOutputsStayInTheirCell() throws {
        let r = try Self.executor.run(chapter([
            ("let x = 20\nprint(\"first\")", 10),
            ("print(x + 1, terminator: \"\")", 20),       // no trailing newline
            ("show(Tensor([1, 2]))\nglue(\"answer\", x * 2)\nprint(\"<b>&\\u{7}</b>\")", 30),
        ]))
        #expect(r.cells.map(\.stdout) == ["first\n", "21", "<b>&\u{7}</b>\n"])
        #expect(r.cells.allSatisfy { $0.error == nil })
        #expect(r.cells[2].displays.first?.mime == "text/plain")
        #expect(r.cells[2].displays.first?.data.contains("1.0") == true)
        #expect(r.glue["answer"]?.data == "40")
        #expect(!r.hasFailures)
    }

    @Test func compileErrorInTheMiddle() throws {
        let r = try Self.executor.run(chapter([
            ("print(\"before\")", 5),
            ("let y = 1\nlet z: Int = \"text\"", 12),
            ("print(\"after\")", 20),
        ]))
        #expect(r.cells[0].stdout == "before\n")
        guard case .compile(let ds)? = r.cells[1].error else { Issue.record("expected a compile error, got \(String(describing: r.cells[1].error))"); return }
        #expect(ds.contains { $0.line == 13 && $0.file == "Notebooks/fixture.md" && $0.severity == .error })
        #expect(ds.first.map { $0.column > 0 } == true)
        guard case .notRun(let why)? = r.cells[2].error else { Issue.record("cell 3 should not run"); return }
        #expect(why.contains("cell 2 (line 12)"))
        #expect(r.hasFailures)
    }

    @Test func compileErrorInTheFirstCell() throws {
        let r = try Self.executor.run(chapter([("let a: Int = \"x\"", 3), ("print(1)", 9)]))
        guard case .compile? = r.cells[0].error else { Issue.record("expected a compile error"); return }
        guard case .notRun? = r.cells[1].error else { Issue.record("cell 2 should not run"); return }
    }

    @Test func runtimeTrapIsLocated() throws {
        let r = try Self.executor.run(chapter([
            ("print(\"ok\")", 3),
            ("let a = [1, 2, 3]\nprint(\"partial\", terminator: \"\")\nprint(a[5])", 8),
            ("print(\"never\")", 15),
        ]))
        #expect(r.cells[1].stdout == "partial")
        guard case .runtime(let message, _)? = r.cells[1].error else { Issue.record("expected a runtime error, got \(String(describing: r.cells[1].error))"); return }
        #expect(message.contains("Index out of range"))
        guard case .notRun? = r.cells[2].error else { Issue.record("cell 3 should not run"); return }
    }

    @Test func shapeErrorsFromTheLibraryReachTheCell() throws {
        let r = try Self.executor.run(chapter([("let q = Tensor.zeros([2, 3]) + Tensor.zeros([4])", 7)]))
        guard case .runtime(let message, _)? = r.cells[0].error else { Issue.record("expected a runtime error"); return }
        #expect(message.contains("add: shapes [2, 3] and [4] do not broadcast"))
    }

    @Test func infiniteLoopTimesOut() throws {
        var limits = ExecutionLimits.default
        limits.cellSeconds = 1
        let r = try Self.executor.run(chapter([("print(\"start\")", 1), ("var i = 0\nwhile true { i &+= 1 }", 4), ("print(1)", 9)]), limits: limits)
        #expect(r.cells[0].stdout == "start\n")
        #expect(r.cells[1].error == .timeout(seconds: 1))
        guard case .notRun? = r.cells[2].error else { Issue.record("cell 3 should not run"); return }
    }

    @Test func outputFloodIsStopped() throws {
        var limits = ExecutionLimits.default
        limits.outputBytes = 10_000
        let r = try Self.executor.run(chapter([("while true { print(\"flood flood flood\") }", 2)]), limits: limits)
        #expect(r.cells[0].error == .outputLimit(bytes: 10_000))
    }

    @Test func memoryLimitStopsTheCell() throws {
        var limits = ExecutionLimits.default
        limits.memoryMegabytes = 2048
        let r = try Self.executor.run(chapter([("print(\"small\")", 1), ("let big = [Float](repeating: 1, count: 1_500_000_000)\nprint(big.count)", 4)]), limits: limits)
        #expect(r.cells[0].stdout == "small\n")
        guard case .runtime? = r.cells[1].error else { Issue.record("expected the allocation to fail, got \(String(describing: r.cells[1].error))"); return }
        #expect(!r.cells[1].stdout.contains("1500000000"))
    }

    @Test func expectedFailureLetsTheChapterGoOn() throws {
        let r = try Self.executor.run(chapter([
            ("var n = 1", 1),
            ("n = 100\nlet bad = [Int]()\nprint(bad[0])", 5),
            ("print(n)", 9),
        ], raising: [1]))
        #expect(r.cells[1].errorExpected)
        guard case .runtime? = r.cells[1].error else { Issue.record("cell 2 should record its error"); return }
        #expect(r.cells[2].stdout == "1\n")   // the state from before the failing cell
        #expect(!r.hasFailures)
    }

    @Test func skippedCellsAndEmptyChapters() throws {
        let r = try Self.executor.run(chapter([("print(1)", 1), ("this is not swift", 4), ("print(2)", 8)], skip: [1]))
        #expect(r.cells[1].skipped)
        #expect(r.cells.map(\.stdout) == ["1\n", "", "2\n"])
        let empty = try Self.executor.run(chapter([]))
        #expect(empty.cells.isEmpty)
    }

    /// `nbrun run` gives a chapter every core, `nbrun build` splits them over
    /// the chapters: the numbers must not change with the thread count.
    @Test func trainingGivesTheSameBitsForAnyThreadCount() throws {
        let code = """
            let data = Toy2D.moons(4_096, noise: 0.05, using: &rng)
            let flow = Flow(base: StandardNormal(dimension: 2)) {
                for i in 0..<4 { AffineCoupling(mask: .alternating(2, parity: i % 2), hidden: 128, using: &rng) }
            }
            let history = flow.fit(data, options: TrainingOptions(steps: 30, batchSize: 512), using: &rng)
            print(history.trainLoss.map { $0.bitPattern })
            print(flow.sample(64, using: &rng).scalars.map { $0.bitPattern }.reduce(0, &+))
            """
        let one = try Self.executor.run(chapter([(code, 1)]), threads: 1)
        let two = try Self.executor.run(chapter([(code, 1)]), threads: 2)
        #expect(!one.hasFailures && !two.hasFailures)
        #expect(one.cells[0].stdout.count > 40)
        #expect(one.cells[0].stdout == two.cells[0].stdout)
    }

    /// A chapter that prints a set or sums a dictionary's values must give
    /// the same bytes on every run (Swift seeds hashing per process).
    @Test func setsAndDictionariesIterateInTheSameOrderEveryRun() throws {
        let code = """
            let words = Set((0..<40).map { "word\\($0)" })
            print(Array(words).prefix(8))
            """
        let first = try Self.executor.run(chapter([(code, 1)]))
        let second = try Self.executor.run(chapter([(code, 1)]))
        #expect(first.cells[0].stdout.contains("word"))
        #expect(first.cells[0].stdout == second.cells[0].stdout)
    }

    /// clang's precompiled modules remember the cache folder they were built
    /// in; a project folder that was copied (or moved) with its `.nbrun/`
    /// must still compile its chapters.
    @Test func aCopiedWorkFolderStillCompiles() throws {
        let fm = FileManager.default
        let base = fm.temporaryDirectory.appendingPathComponent("nbrun-copied-work-\(getpid())")
        defer { try? fm.removeItem(at: base) }
        let original = base.appendingPathComponent("original"), copy = base.appendingPathComponent("copy")
        let first = try ChapterExecutor(toolchain: Self.executor.toolchain, workDirectory: original).run(chapter([("print(1)", 1)]))
        #expect(first.cells.map(\.stdout) == ["1\n"])
        try fm.copyItem(at: original, to: copy)
        let again = try ChapterExecutor(toolchain: Self.executor.toolchain, workDirectory: copy).run(chapter([("print(2)", 1)]))
        #expect(again.cells.map(\.stdout) == ["2\n"])
        #expect(!again.hasFailures)
    }
}

@Suite struct DiagnosticParsingTests {
    @Test func parsesCompilerLines() {
        let ds = Diagnostic.parseCompilerOutput("""
            Notebooks/a.md:13:14: error: cannot convert value of type 'String' to specified type 'Int'
            Notebooks/a.md:12:5: warning: initialization of immutable value 'y' was never used
            some other line
            """)
        #expect(ds.count == 2)
        #expect(ds[0] == Diagnostic(file: "Notebooks/a.md", line: 13, column: 14, severity: .error,
                                    message: "cannot convert value of type 'String' to specified type 'Int'"))
        #expect(ds[1].severity == .warning)
        #expect(ds[0].description == "Notebooks/a.md:13:14: error: cannot convert value of type 'String' to specified type 'Int'")
    }

    @Test func trapMessages() {
        #expect(trapMessage("x\nNotebooks/a.md:9: Fatal error: Index out of range\n") == "Index out of range")
        #expect(trapLine("Notebooks/a.md:9: Fatal error: Index out of range", "Notebooks/a.md") == 9)
        #expect(trapMessage("nothing") == nil)
    }
}

@Suite(.serialized) struct CacheTests {
    func cacheDir() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("nbrun-cache-tests-\(getpid())-\(UUID().uuidString)")
    }

    @Test func hitsSurviveProseEditsAndMoveTheirLines() throws {
        let cache = ExecutionCache(directory: cacheDir())
        defer { try? FileManager.default.removeItem(at: cache.directory) }
        let a = ChapterSource(path: "ch.md", cells: [CellSource(code: "print(1)", line: 3), CellSource(code: "let s: Int = \"x\"", line: 8)])
        let ka = cache.key(a, limits: .default, fingerprint: "f")
        let result = try ChapterExecutionTests.executor.run(a)
        try cache.store(ka, chapter: a, result: result)
        // Prose added above: same cells, lines moved by 5.
        var b = a
        b.cells[0].line = 8; b.cells[1].line = 13
        let kb = cache.key(b, limits: .default, fingerprint: "f")
        #expect(ka == kb)
        let hit = try #require(cache.lookup(kb, chapter: b))
        guard case .compile(let ds)? = hit.cells[1].error else { Issue.record("expected the cached compile error"); return }
        #expect(ds.allSatisfy { $0.line == 13 })
        #expect(hit.cells[0].stdout == "1\n")
    }

    @Test func keysChangeWithCodeTagsFingerprintAndData() throws {
        let cache = ExecutionCache(directory: cacheDir())
        let base = ChapterSource(path: "ch.md", cells: [CellSource(code: "print(1)", line: 3)])
        let k = cache.key(base, limits: .default, fingerprint: "f")
        var code = base; code.cells[0].code = "print(2)"
        var tag = base; tag.cells[0].raisesException = true
        var seed = base; seed.seed = 7
        #expect(Set([k, cache.key(code, limits: .default, fingerprint: "f"), cache.key(tag, limits: .default, fingerprint: "f"),
                     cache.key(seed, limits: .default, fingerprint: "f"), cache.key(base, limits: .default, fingerprint: "g")]).count == 5)
        let data = cacheDir().appendingPathExtension("csv")
        try Data("1,2\n".utf8).write(to: data)
        defer { try? FileManager.default.removeItem(at: data) }
        let k1 = cache.key(base, limits: .default, fingerprint: "f", dataFiles: [data])
        try Data("1,3\n".utf8).write(to: data)
        #expect(k1 != cache.key(base, limits: .default, fingerprint: "f", dataFiles: [data]))
    }

    @Test func corruptEntriesAreIgnored() throws {
        let cache = ExecutionCache(directory: cacheDir())
        defer { try? FileManager.default.removeItem(at: cache.directory) }
        let ch = ChapterSource(path: "ch.md", cells: [CellSource(code: "print(1)", line: 1)])
        try FileManager.default.createDirectory(at: cache.directory, withIntermediateDirectories: true)
        try Data("{\"format\": 1, \"lin".utf8).write(to: cache.file("abc"))
        #expect(cache.lookup("abc", chapter: ch) == nil)
    }

    @Test func runAllUsesTheCacheAndKeepsOrder() throws {
        let cache = ExecutionCache(directory: cacheDir())
        defer { try? FileManager.default.removeItem(at: cache.directory) }
        let chapters = (0..<3).map { i in ChapterSource(path: "c\(i).md", cells: [CellSource(code: "print(\(i))", line: 2)]) }
        let hits = HitCounter()
        let first = ChapterExecutionTests.executor.runAll(chapters, jobs: 2, cache: cache) { _, _, hit in hits.add(hit) }
        #expect(first.map { (try? $0.get())?.cells[0].stdout } == ["0\n", "1\n", "2\n"])
        let second = ChapterExecutionTests.executor.runAll(chapters, jobs: 2, cache: cache) { _, _, hit in hits.add(hit) }
        #expect(second.map { (try? $0.get())?.cells[0].stdout } == ["0\n", "1\n", "2\n"])
        #expect(hits.hits == 3 && hits.misses == 3)
    }
}

final class HitCounter: @unchecked Sendable {
    private let lock = NSLock()
    var hits = 0, misses = 0
    func add(_ hit: Bool) { lock.lock(); if hit { hits += 1 } else { misses += 1 }; lock.unlock() }
}

/// Trap output without the run-to-run addresses of the stack trace.
@Test func trapOutputIsReproducible() {
    let raw = """
        chapter/03-coupling.md:39: Precondition failed: demo
        Current stack trace:
        0    libswiftCore.so                    0x00007fa36fb5f130 swift_reportError + 33
        7    chapter                            0x000055f38911bf21 <unavailable> + 3873
        after
        """
    #expect(cleanTrapOutput(raw, path: "Notebooks/03-coupling.md") == "Notebooks/03-coupling.md:39: Precondition failed: demo\nafter")
    #expect(trapMessage(cleanTrapOutput(raw, path: "Notebooks/03-coupling.md")) == "Precondition failed: demo")
    #expect(cleanTrapOutput("plain\n", path: "x.md") == "plain\n")
}
