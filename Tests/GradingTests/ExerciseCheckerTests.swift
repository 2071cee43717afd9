import Foundation
import Testing
import CheckReports
import ChapterExecution
import MyST
@testable import Grading

/// Submissions checked for real against the release-built flow library: right
/// and wrong answers, and submissions that try to earn points they should not.
@Suite(.serialized) struct ExerciseCheckerTests {
    static let checker: ExerciseChecker = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let toolchain = Toolchain(packageRoot: root, swiftc: Toolchain.findSwiftc(), scratchPath: ".build-kernel-tests")
        try! toolchain.ensureLibrary { print($0) }
        var limits = CheckLimits()
        limits.seconds = 3
        limits.memoryMegabytes = 1024
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("nbrun-grading-tests-\(getpid())")
        return ExerciseChecker(toolchain: toolchain, limits: limits, workDirectory: work)
    }()

    static let reference: ExerciseChecker.Reference = checker.reference(spec)

    static let chapter = """
        # Squares

        ::::{exercise} Squares
        :label: ex-square

        Write `square(_:)`, which returns its argument squared.

        ```{setup}
        let offset: Float = 0
        ```

        ```{starter}
        func square(_ x: Float) -> Float {
            return 0
        }
        ```

        ```{check} small numbers
        :points: 2
        expectClose(square(3), 9)
        expectClose(square(-2), 4)
        ```

        ```{check} large numbers
        :points: 3
        :hidden:
        expectClose(square(1000) + offset, 1_000_000)
        ```
        ::::

        ::::{solution} ex-square
        ```swift
        func square(_ x: Float) -> Float { x * x }
        ```
        ::::
        """

    static let spec: ExerciseSpec = {
        let (specs, problems) = ExerciseSpec.all(in: Document.parse(chapter, file: "ch.md"), numbers: ["ex-square": "1.1"])
        precondition(problems.isEmpty && specs.count == 1, "\(problems)")
        return specs[0]
    }()

    /// Graded against the reference solution's run, as `nbrun grade` does.
    func check(_ body: String) -> CheckReport {
        Self.checker.grade(Self.spec, source: "import NotebookRuntime\n\n" + body + "\n", path: "sub/ex-square.swift", reference: Self.reference)
    }

    @Test func readsTheExercise() {
        let s = Self.spec
        #expect(s.name == "Exercise 1.1" && s.title == "Squares" && s.totalPoints == 5)
        #expect(s.checks.map(\.name) == ["small numbers", "large numbers"] && s.checks.map(\.hidden) == [false, true])
        #expect(s.checks[0].line == 20)
        #expect(s.solution?.code == "func square(_ x: Float) -> Float { x * x }")
        #expect(s.starterFile(checkCommand: "nbrun check x.swift").hasPrefix("// nbrun exercise ex-square · ch.md\n// Exercise 1.1: Squares (5 points)\n"))
        var hard = s
        hard.difficulty = .hard
        #expect(hard.starterFile(checkCommand: "x").contains("// Exercise 1.1: Squares (5 points, hard)\n"))
    }

    @Test func theSolutionPassesAndTheStarterFails() {
        let good = check(Self.spec.solution!.code)
        #expect(good.allPassed && good.earned == 5, "\(good)")
        let starter = Self.checker.check(Self.spec, source: Self.spec.starterFile(checkCommand: "x"), path: "s.swift")
        #expect(!starter.allPassed && starter.earned == 0)
        #expect(starter.checks[0].message == "the value: expected 9 ± 0.0009, got 0 (ch.md:20)", "\(starter)")
        // Feedback never shows a hidden check's name or message.
        let text = starter.text(title: "Squares")
        #expect(text.contains("✘ hidden check") && !text.contains("large numbers") && !text.contains("1e+06"))
    }

    @Test func compileErrorsPointAtTheStudentsFile() {
        let r = check("func square(_ x: Float) -> Float {\n    return x * \"x\"\n}")
        #expect(r.earned == 0)
        #expect(r.errors.first?.description.hasPrefix("sub/ex-square.swift:4:") ?? false, "\(r.errors)")
        let statement = check("print(\"hello\")\nfunc square(_ x: Float) -> Float { x * x }")
        #expect(statement.earned == 0 && !statement.errors.isEmpty)
    }

    // Hardening: none of these earns a point, and none stalls the checker.

    @Test func exitingEarlyEarnsNothing() {
        let r = check("import Foundation\nfunc square(_ x: Float) -> Float { exit(0) }")
        #expect(r.earned == 0)
        #expect(r.checks[0].message?.contains("before the check finished") ?? false, "\(r.checks)")
    }

    @Test func writingAFakeReportEarnsNothing() {
        // Observations that agree with themselves, and the end line, on every descriptor.
        let r = check("""
            import Foundation
            func square(_ x: Float) -> Float {
                print("✔ small numbers 2/2")
                let fake = "close\\t20\\tthe value\\t\\t0.0\\t\\t0.0\\t0.0001\\nclose\\t21\\tthe value\\t\\t0.0\\t\\t0.0\\t0.0001\\nend\\t2\\n"
                for fd in Int32(3)..<64 { _ = fake.withCString { write(fd, $0, strlen($0)) } }
                exit(0)
            }
            """)
        #expect(r.earned == 0, "\(r)")
        // In a student's own check, where expected values come from the same run, it passes nothing either:
        // the run ends before the check's own end line is written.
        let own = Self.checker.check(Self.spec, source: "import NotebookRuntime\nimport Foundation\nfunc square(_ x: Float) -> Float { _ = \"end\\t0\\n\".withCString { write(3, $0, strlen($0)) }; exit(0) }\n", path: "x.swift")
        #expect(own.earned == 0, "\(own)")
    }

    @Test func trapsLoopsAndMemoryHogsFailTheirCheckOnly() {
        let trap = check("func square(_ x: Float) -> Float { let a = [Float](); return a[1] }")
        #expect(trap.earned == 0 && (trap.checks[0].message?.contains("crashed") ?? false), "\(trap.checks)")
        let loop = check("func square(_ x: Float) -> Float { while true {} }")
        #expect(loop.earned == 0 && (loop.checks[0].message?.contains("longer than 3 s") ?? false), "\(loop.checks)")
        let hog = check("func square(_ x: Float) -> Float { var a: [[Float]] = []; while true { a.append([Float](repeating: 1, count: 1 << 24)) } }")
        #expect(hog.earned == 0, "\(hog.checks)")
        // Right for small numbers, wrong for large: partial credit.
        let partial = check("func square(_ x: Float) -> Float { abs(x) < 100 ? x * x : 0 }")
        #expect(partial.earned == 2 && partial.checks.map(\.passed) == [true, false])
    }

    @Test func redefiningTheAssertionsEarnsNothing() {
        let global = check("""
            func square(_ x: Float) -> Float { 0 }
            func expectClose(_ a: Float, _ b: Float, tolerance: Double = 0) {}
            """)
        #expect(global.earned == 0, "\(global.checks)")
        let member = check("""
            import CheckRuntime
            func square(_ x: Float) -> Float { 0 }
            extension CheckRecorder {
                public func expectClose(actual: [Double], shape: [Int], expected: () -> ([Double], [Int]), tolerance: Double,
                                        _ what: String, line: UInt) {}
            }
            public struct NBRunCheck {}
            """)
        #expect(member.earned == 0, "\(member.checks)")
    }

    @Test func aChildProcessThatOutlivesTheCheckDoesNotStallIt() {
        let start = Date()
        let r = check("""
            import Foundation
            func square(_ x: Float) -> Float {
                let p = Process()
                p.executableURL = URL(fileURLWithPath: "/bin/sleep")
                p.arguments = ["30"]
                try? p.run()
                return x * x
            }
            """)
        #expect(r.earned == 5, "\(r.checks)")
        #expect(Date().timeIntervalSince(start) < 20)
    }

    @Test(.enabled(if: Sandbox.isAvailable, "needs bubblewrap"))
    func aProcessFloodDoesNotStarveAClassmateGradedBesideIt() {
        let flood = """
            import Foundation
            func square(_ x: Float) -> Float {
                let p = Process()
                p.executableURL = URL(fileURLWithPath: "/bin/sh")
                p.arguments = ["-c", "while :; do sleep 1000 & done"]
                try? p.run()
                sleep(2)
                return x * x
            }
            """
        let reports = LockedReports()
        DispatchQueue.concurrentPerform(iterations: 4) { i in
            reports.add(i, i % 2 == 0 ? check(flood) : check("func square(_ x: Float) -> Float { x * x }"))
        }
        for (i, r) in reports.all where i % 2 == 1 { #expect(r.earned == 5, "\(r)") }
    }

    /// The report's one format: what the recorder writes, the grader reads back.
    @Test func reportLinesRoundTripAndAreJudgedInTheGrader() {
        let what = "tab\there, line\nbreak, back\\slash \\t"
        let line = CheckReportLine.encode(["close", "20", what, "2", CheckReportLine.numbers([1, .nan]), "2", "1,2", "0.001"])
        #expect(line.filter { $0 == "\n" }.count == 1 && line.hasSuffix("\n"))
        #expect(CheckReportLine.decode(line.dropLast()) == ["close", "20", what, "2", "1.0,nan", "2", "1,2", "0.001"])
        let run = CheckObservations(parsing: line + CheckReportLine.encode(["end", "1"]))
        #expect(run.finished && run.assertions.count == 1 && run.assertions[0].what == what)
        // NaN is never close; a blind run's withheld side is judged against the reference's.
        #expect(CheckVerdict.decide(run, reference: nil, file: "ch.md").passed == false)
        let blind = CheckObservations(parsing: CheckReportLine.encode(["close", "20", "v", "", "3.0", CheckReportLine.withheld, CheckReportLine.withheld, "0"])
                                      + CheckReportLine.encode(["end", "1"]))
        let reference = CheckObservations(parsing: CheckReportLine.encode(["close", "20", "v", "", "3.0", "", "3.0", "0.0001"])
                                          + CheckReportLine.encode(["end", "1"]))
        #expect(CheckVerdict.decide(blind, reference: reference, file: "ch.md").passed)
        #expect(CheckVerdict.decide(blind, reference: nil, file: "ch.md").message?.contains("nothing to compare with") ?? false)
        // Lines after the end are someone else's.
        let extra = CheckObservations(parsing: CheckReportLine.encode(["end", "0"]) + CheckReportLine.encode(["bool", "1", "m", "1"]))
        #expect(extra.malformed != nil)
    }

    /// Graded programs do not contain the code of the assertions' expected side.
    @Test func theExpectedSideIsCutOutOfGradedPrograms() {
        let code = """
            expectClose(square(3), 9 + offset, tolerance: 1e-4, "the value")
            expectLess(nll, than: bound(
                "a, b"), "the NLL \\(f(x, y))")
            let s = "expectClose(a, secret)" // expectEqual(b, secret2)
            expectEqual(xs.map { $0 * 2 }, [2, 4], "doubled")
            expectGreater(a ? b : c, than: 1e-3)
            """
        let blind = CheckProgram.withholdingExpected(code)
        #expect(blind == """
            expectClose(square(3), nbrunWithheld(), tolerance: 1e-4, "the value")
            expectLess(nll, than: nbrunWithheld()
            , "the NLL \\(f(x, y))")
            let s = "expectClose(a, secret)" // expectEqual(b, secret2)
            expectEqual(xs.map { $0 * 2 }, nbrunWithheld(), "doubled")
            expectGreater(a ? b : c, than: nbrunWithheld())
            """, "\(blind)")
        #expect(blind.split(separator: "\n", omittingEmptySubsequences: false).count == code.split(separator: "\n", omittingEmptySubsequences: false).count)
        let program = CheckProgram(spec: Self.spec).checks(blind: true)
        #expect(!program.contains("1_000_000") && !program.contains("expectClose(square(3), 9)"))
    }

    /// The second line of defence behind refusing the attributes in the
    /// source: an object that defines another module's symbol, or code that
    /// runs before `main`, is refused. Compiled here from trusted text, since
    /// a submission with these attributes never reaches the compiler.
    @Test func objectsWithForeignSymbolsAreRefused() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nbrun-symbols-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func object(_ name: String, _ source: String) throws -> URL {
            let file = dir.appendingPathComponent(name + ".swift")
            try source.write(to: file, atomically: true, encoding: .utf8)
            let out = dir.appendingPathComponent(name + ".o")
            let p = Process()
            p.executableURL = URL(fileURLWithPath: Toolchain.findSwiftc())
            p.arguments = ["-parse-as-library", "-c", "-module-name", "Submission", file.path, "-o", out.path]
            try p.run(); p.waitUntilExit()
            #expect(p.terminationStatus == 0)
            return out
        }
        let honest = try object("honest", "struct P: Equatable { var a: Int }\nextension Array { func foo() -> Int { 1 } }\nfunc square(_ x: Float) -> Float { x * x }\n")
        #expect(Self.checker.foreignSymbols(honest, results: dir) == nil)
        let cdecl = try object("cdecl", "@_cdecl(\"fputs\") public func f(_ s: UnsafePointer<CChar>, _ p: OpaquePointer) -> Int32 { 0 }\n")
        #expect(Self.checker.foreignSymbols(cdecl, results: dir)?.contains("'fputs'") ?? false)
        let silgen = try object("silgen", "@_silgen_name(\"$s12CheckRuntime13CheckRecorderC6expect__4lineySb_SSSutF\") func g(_ c: Bool, _ m: String, _ l: UInt) {}\n")
        #expect(Self.checker.foreignSymbols(silgen, results: dir)?.contains("another module") ?? false)
        let constructor = try object("ctor", "@_used @_section(\".init_array\") let early: @convention(c) () -> Void = { print(1) }\n")
        #expect(Self.checker.foreignSymbols(constructor, results: dir)?.contains(".init_array") ?? false)
        // And the source is refused before any of this.
        #expect(ExerciseChecker.forbiddenConstruct("func f() {}\n@_silgen_name(\"x\") func g()")?.line == 2)
        #expect(ExerciseChecker.forbiddenConstruct("@convention(c) func f() {}") == nil)
    }
}

final class LockedReports: @unchecked Sendable {
    private let lock = NSLock()
    private var reports: [(Int, CheckReport)] = []
    func add(_ i: Int, _ r: CheckReport) { lock.lock(); reports.append((i, r)); lock.unlock() }
    var all: [(Int, CheckReport)] { lock.lock(); defer { lock.unlock() }; return reports }
}
