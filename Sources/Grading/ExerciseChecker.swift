import CheckReports
import Foundation
import NotebookChannel
import Plumbing
import StableText
import ChapterExecution
#if canImport(Glibc)
import Glibc
#endif

/// Limits on compiling a submission and on each check's process.
public struct CheckLimits: Sendable, Hashable, Codable {
    /// Wall-clock seconds per check (CPU time is limited to the same).
    public var seconds: Double = 20
    public var memoryMegabytes: Int = 4096
    /// Largest file the check may write, and most output it may print.
    public var fileMegabytes: Int = 16
    /// Processes (threads included) the check may have at once.
    public var processes: Int = 64
    /// Wall-clock seconds for each of the two compiler runs on a submission.
    public var compileSeconds: Double = 90
    public var compileMemoryMegabytes: Int = 6144
    /// A submission larger than this is refused before compiling.
    public var sourceKilobytes: Int = 256

    public init() {}

    var check: ProcessLimits {
        ProcessLimits(seconds: seconds, memoryMegabytes: memoryMegabytes, fileMegabytes: fileMegabytes, processes: processes)
    }
    var compile: ProcessLimits {
        // The compiler runs no submitted code; a generous process limit keeps it
        // clear of a flood in a check running as the same user.
        ProcessLimits(seconds: compileSeconds, memoryMegabytes: compileMemoryMegabytes, fileMegabytes: 512, processes: 4096)
    }
}

/// Compiles a submission with an exercise's checks and runs each check in a
/// jail of its own (see `Sandbox`), then decides each verdict in this
/// process from what the check observed (see `CheckVerdict`).
///
/// Three ways to use it: `check` (a student's own work, judged against the
/// expected values its own run computes), `reference` (the reference
/// solution's run, which `grade` compares submissions with), and `grade`.
public struct ExerciseChecker: Sendable {
    public let toolchain: Toolchain
    public let limits: CheckLimits
    /// Where exercises are prepared and submissions compiled; the jails see
    /// only the one folder they work in.
    public let workDirectory: URL
    /// Whether submitted code runs in a jail; without one it runs with the
    /// limits only, as the user running nbrun.
    public let jailed: Bool

    public init(toolchain: Toolchain, limits: CheckLimits = CheckLimits(), workDirectory: URL, jailed: Bool = Sandbox.isAvailable) {
        self.toolchain = toolchain
        self.limits = limits
        self.workDirectory = workDirectory.standardizedFileURL
        self.jailed = jailed
    }

    /// What the reference solution's run of every check observed.
    public struct Reference: Sendable {
        let observations: [CheckObservations]
        /// Problems with the reference itself (it does not compile or fails a
        /// check), at the exercise's line.
        public let problems: [Diagnostic]
        /// The reference's own blind run, judged as a submission would be:
        /// catches checks whose expected side changes what later assertions see.
        public let blind: CheckReport?
    }

    // MARK: - The three uses

    /// A student's own check: each assertion against the expected value its own run computed.
    public func check(_ spec: ExerciseSpec, source: String, path: String) -> CheckReport {
        run(spec, source: source, path: path, mode: .selfCheck)
    }

    /// Grades a submission against the reference run.
    public func grade(_ spec: ExerciseSpec, source: String, path: String, reference: Reference) -> CheckReport {
        guard reference.problems.isEmpty else {
            return failed(spec, path: path, errors: [Self.problem(path, 1, 1, "the exercise's reference solution does not pass its checks; nothing was graded")], message: "not run")
        }
        return run(spec, source: source, path: path, mode: .graded(reference.observations))
    }

    /// Runs the reference solution once, each check in reference and in blind mode.
    public func reference(_ spec: ExerciseSpec) -> Reference {
        guard let solution = spec.solution else {
            return Reference(observations: [], problems: [Self.solutionProblem(spec, "exercise '\(spec.label)' has no reference solution to grade against")], blind: nil)
        }
        var observed: [CheckObservations] = []
        let report = run(spec, source: solution.code, path: spec.chapter, mode: .reference(into: { observed = $0 }))
        // The solution's own lines are not the chapter's: each problem is put at the exercise.
        var problems = report.errors.map { Self.solutionProblem(spec, $0.message) }
        for c in report.checks where !c.passed && report.errors.isEmpty {
            problems.append(Self.solutionProblem(spec, "the reference solution fails check '\(c.name)': \(c.message ?? "failed")"))
        }
        guard problems.isEmpty else { return Reference(observations: observed, problems: problems, blind: nil) }
        let blind = run(spec, source: solution.code, path: spec.chapter, mode: .graded(observed))
        return Reference(observations: observed, problems: [], blind: blind)
    }

    // MARK: - Compile and run

    enum Mode {
        case selfCheck
        case reference(into: (([CheckObservations]) -> Void))
        case graded([CheckObservations])

        var recorderMode: String { if case .graded = self { return "blind" } else { return "reference" } }
        var trusted: Bool { if case .reference = self { return true } else { return false } }
        /// Graded submissions never write the shared module cache (one could poison it for the next).
        var graded: Bool { if case .graded = self { return true } else { return false } }
    }

    /// Paths as the compiler and the checks see them: fixed ones inside a
    /// jail (so precompiled modules match whichever folder a job has), the
    /// real ones outside.
    struct Layout {
        var work: String
        var exercise: String
        var cache: String
    }

    static let sharedUserGate = NSLock()

    static let jailWork = "/nbrun/work"
    static let jailExercise = "/nbrun/exercise"
    static let jailCache = "/nbrun/cache"

    func layout(job: URL, exercise: URL) -> Layout {
        jailed ? Layout(work: Self.jailWork, exercise: Self.jailExercise, cache: Self.jailCache)
               : Layout(work: job.path, exercise: exercise.path, cache: moduleCache.path)
    }

    var moduleCache: URL { jailFolder.appendingPathComponent(jailed ? "jail-module-cache" : "module-cache") }

    /// Where the folders that jails see go: the work folder, unless a root
    /// grader's jail user could not reach it (a folder on the way, such as
    /// a 0700 home or `mktemp -d`, lets no other user in); then a folder of
    /// its own under /var/tmp, named by the work folder.
    var jailFolder: URL {
        guard jailed, getuid() == 0, Sandbox.blockedAncestor(workDirectory.path) != nil else { return workDirectory }
        var hash = StableHash()
        hash.add(workDirectory.path)
        return JailFolders.shared.folder(named: "/var/tmp/nbrun-jails-\(hash.hex.prefix(16))")
    }

    func run(_ spec: ExerciseSpec, source: String, path: String, mode: Mode) -> CheckReport {
        if source.utf8.count > limits.sourceKilobytes * 1024 {
            return failed(spec, path: path, errors: [
                Self.problem(path, 1, 1, "the file is \(source.utf8.count / 1024) KB, over the \(limits.sourceKilobytes) KB an exercise file may be; it was not compiled"),
            ], message: "not run: the file is too large")
        }
        if !mode.trusted, let (line, column, what, why) = Self.forbiddenConstruct(source) {
            return failed(spec, path: path, errors: [
                Self.problem(path, line, column, "\(what) is not allowed in an exercise file (\(why)); remove it"),
            ], message: "not run: the file does not compile")
        }
        let program = CheckProgram(spec: spec)
        let exercise: URL
        do { exercise = try prepare(program) } catch {
            return failed(spec, path: path, errors: [Self.problem(spec.chapter, spec.line, 1, "could not prepare the exercise's checks: \(error)")], message: "not run")
        }
        if jailed, getuid() == 0, let blocked = runtimeBinds.lazy.compactMap({ Sandbox.blockedAncestor($0.source) }).first {
            // Only the compiler itself can be left unreachable here.
            return failed(spec, path: path, errors: [
                Self.problem(path, 1, 1, "the jail's user cannot reach \(blocked), which the checks need (it lets no other user in); keep nbrun and the flow library in folders others may enter (chmod o+x), or grade as an ordinary user"),
            ], message: "not run")
        }
        let jobs = jailFolder.appendingPathComponent("jobs")
        let id = "\(getpid())-\(UUID().uuidString.prefix(8))"
        let job = jobs.appendingPathComponent(id)
        let results = jobs.appendingPathComponent(id + "-results")
        defer {
            try? FileManager.default.removeItem(at: job)
            try? FileManager.default.removeItem(at: results)
        }
        let paths = layout(job: job, exercise: exercise)
        // Graded submissions each run as a user of their own (see `Sandbox.Users`).
        let user = mode.graded ? Sandbox.Users.shared.acquire() : Sandbox.nobody
        defer { Sandbox.Users.shared.release(user) }
        var report = CheckReport(exercise: spec.label, file: path)
        do {
            try makeFolder(job, forJail: true, user: user)
            try makeFolder(results, forJail: false)
            try program.submission(source, shownAs: path).write(to: job.appendingPathComponent("submission.swift"), atomically: false, encoding: .utf8)
            try program.checks(blind: mode.graded).write(to: job.appendingPathComponent("checks.swift"), atomically: false, encoding: .utf8)
            if jailed && getuid() == 0 {
                for f in ["submission.swift", "checks.swift"] { chown(job.appendingPathComponent(f).path, user, user) }
            }
        } catch {
            return failed(spec, path: path, errors: [Self.problem(path, 1, 1, "could not check the file: \(error)")], message: "not run")
        }
        // The submission as a module of its own.
        // An object file and a module, linked into the check program (no library of its own to link and load).
        let submissionArgs = compilerArguments(paths, library: false, moduleName: CheckProgram.submissionModule)
            + ["-parse-as-library", "-c", "-emit-module", "-emit-module-path", "\(paths.work)/\(CheckProgram.submissionModule).swiftmodule",
               "-enable-testing", "\(paths.work)/submission.swift", "-o", "\(paths.work)/submission.o"]
        let first = compile(submissionArgs, job: job, exercise: exercise, results: results, name: "submission", cacheWritable: !mode.graded, user: user)
        if let errors = first.errors(path: path, stage: .submission, spec: spec) {
            return failed(spec, path: path, errors: errors, message: "not run: the file does not compile")
        }
        if !mode.trusted, let problem = foreignSymbols(job.appendingPathComponent("submission.o"), results: results) {
            return failed(spec, path: path, errors: [Self.problem(path, 1, 1, problem)], message: "not run: the file was refused")
        }
        // The checks, against the names the starter declares.
        let checksArgs = compilerArguments(paths, library: false, moduleName: "Checks")
            + ["-Xlinker", "--strip-all", "\(paths.work)/checks.swift", "\(paths.work)/submission.o", "-o", "\(paths.work)/checks"]
        let second = compile(checksArgs, job: job, exercise: exercise, results: results, name: "checks", cacheWritable: !mode.graded, user: user)
        if let errors = second.errors(path: path, stage: .checks, spec: spec, instructor: mode.trusted) {
            return failed(spec, path: path, errors: errors, message: "not run: a check does not compile with this file")
        }
        // Sources (hidden checks among them) go before anything runs.
        for f in ["submission.swift", "checks.swift", "submission.o", "Submission.swiftmodule", "Submission.swiftdoc", "Submission.abi.json", "Submission.swiftsourceinfo"] {
            try? FileManager.default.removeItem(at: job.appendingPathComponent(f))
        }
        var observed: [CheckObservations] = []
        for (i, check) in spec.checks.enumerated() {
            let (observations, failure, output) = runCheck(i, mode: mode.recorderMode, job: job, exercise: exercise, results: results, paths: paths, user: user)
            observed.append(observations)
            var passed = false, message: String? = failure
            if failure == nil {
                switch mode {
                case .selfCheck, .reference:
                    (passed, message) = CheckVerdict.decide(observations, reference: nil, file: spec.chapter)
                case .graded(let reference):
                    (passed, message) = CheckVerdict.decide(observations, reference: reference.indices.contains(i) ? reference[i] : nil, file: spec.chapter)
                    if !reference.indices.contains(i) { passed = false; message = "no reference run for this check" }
                }
            }
            report.checks.append(CheckOutcome(name: check.name, hidden: check.hidden, points: check.points,
                                              earned: passed ? check.points : 0, passed: passed, message: message.map(TerminalText.line)))
            if report.output.utf8.count < 4096 { report.output += TerminalText.block(String(output.prefix(4096))) }
        }
        if case .reference(let into) = mode { into(observed) }
        if !mode.graded { shareModuleCache() }
        return report
    }

    /// Lets every graded job's user read what a trusted run put in the module
    /// cache (the compiler makes its folders private to their owner).
    func shareModuleCache() {
        guard jailed, getuid() == 0 else { return }
        Sandbox.makeReadableByOthers(moduleCache)
    }

    /// A problem with an exercise's reference solution, at the exercise.
    static func solutionProblem(_ spec: ExerciseSpec, _ message: String) -> Diagnostic {
        Diagnostic(.error, .solutionFails, at: SourceRange(file: spec.chapter, line: spec.line, column: 1), message)
    }

    /// A problem with a submission, located in its file.
    static func problem(_ file: String, _ line: Int, _ column: Int, _ message: String) -> Diagnostic {
        Diagnostic(.error, .submissionRejected, at: SourceRange(file: file, line: line, column: column), message)
    }

    func failed(_ spec: ExerciseSpec, path: String, errors: [Diagnostic], message: String) -> CheckReport {
        CheckReport(exercise: spec.label, file: path, errors: errors.map { var d = $0; d.message = TerminalText.block(d.message); return d }, checks: spec.checks.map {
            CheckOutcome(name: $0.name, hidden: $0.hidden, points: $0.points, earned: 0, passed: false, message: message)
        })
    }

    /// What a submission may not contain, with where and why: directives that
    /// make errors point at other files, and attributes that name symbols
    /// (`@_silgen_name`, `@_cdecl`, `@c`, `@section`, ...), with which a file
    /// linked into the check program could replace functions the report is
    /// written with. Comments are not spared: the rule is simple to state.
    static func forbiddenConstruct(_ source: String) -> (line: Int, column: Int, what: String, why: String)? {
        let rules: [(pattern: String, why: String)] = [
            (#"#sourceLocation"#, "it would make errors point at other files"),
            (#"@(_[A-Za-z][A-Za-z0-9_]*|c\b|section\b|used\b|export\b|extern\b)"#,
             "attributes that name or place symbols could replace the functions a check reports through"),
        ]
        for (n, line) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            for rule in rules {
                if let r = line.range(of: rule.pattern, options: .regularExpression) {
                    return (n + 1, line.distance(from: line.startIndex, to: r.lowerBound) + 1, String(line[r]), rule.why)
                }
            }
        }
        return nil
    }

    /// Why a submission's object file may not be linked into a check program,
    /// if it may not: it defines a symbol outside its own module (the linker
    /// would let it replace the recorder or any function the checks call), or
    /// code that runs before `main`. Attributes that do this are refused in
    /// the source already; this looks at what the compiler made.
    func foreignSymbols(_ object: URL, results: URL) -> String? {
        let listing = results.appendingPathComponent("symbols.txt")
        let sections = results.appendingPathComponent("sections.txt")
        guard let nm = try? Subprocess.run(["/usr/bin/nm", "-g", "--defined-only", object.path], environment: ["PATH": "/usr/bin:/bin"],
                                      output: listing, timeout: 30), nm.exitStatus == 0,
              let readelf = try? Subprocess.run(["/usr/bin/readelf", "-S", "-W", object.path], environment: ["PATH": "/usr/bin:/bin"],
                                           output: sections, timeout: 30), readelf.exitStatus == 0 else {
            return "the compiled file could not be inspected (nm and readelf, from binutils, are needed)"
        }
        let table = (try? String(contentsOf: sections, encoding: .utf8)) ?? ""
        for name in [".init_array", ".preinit_array", ".ctors", ".fini_array", ".dtors"] where table.contains(name) {
            return "the file has code that runs before or after the checks (a \(name) section); exercise files may not"
        }
        for line in ((try? String(contentsOf: listing, encoding: .utf8)) ?? "").split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 3 else { continue }
            let type = fields[1], name = fields[2...].joined(separator: " ")
            let weak = type == "W" || type == "V" || type == "w" || type == "v"
            // Weak definitions are the compiler's copies of other modules' inlinable code, never the recorder's.
            if name.contains("10Submission") && !name.contains("12CheckRuntime") { continue }
            if weak && !name.contains("12CheckRuntime") { continue }
            return "the file defines the symbol '\(TerminalText.line(String(name.prefix(120))))', which belongs to another module; exercise files may define only their own"
        }
        return nil
    }

    /// The exercise's setup module, compiled once per exercise and library
    /// build, in a folder named by their hash.
    func prepare(_ program: CheckProgram) throws -> URL {
        var hash = StableHash()
        hash.add("exercise-v2")
        hash.add(try toolchain.fingerprint())
        hash.add(program.setup)
        hash.add(jailed ? "jailed" : "plain")
        let exercise = jailFolder.appendingPathComponent("exercises").appendingPathComponent(String(hash.hex.prefix(16)))
        let done = exercise.appendingPathComponent(".ready")
        if FileManager.default.fileExists(atPath: done.path) { return exercise }
        let staging = jailFolder.appendingPathComponent("exercises").appendingPathComponent("staging-\(getpid())-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: staging) }
        try makeFolder(staging, forJail: true, shared: true)
        try makeFolder(moduleCache, forJail: true, shared: true)
        try program.setup.write(to: staging.appendingPathComponent("setup.swift"), atomically: false, encoding: .utf8)
        try CheckProgram.warmUp.write(to: staging.appendingPathComponent("warm.swift"), atomically: false, encoding: .utf8)
        if jailed && getuid() == 0 {
            for f in ["setup.swift", "warm.swift"] { chown(staging.appendingPathComponent(f).path, Sandbox.nobody, Sandbox.nobody) }
        }
        // Compiled where the exercise folder will be seen, so its module paths hold.
        let paths = layout(job: staging, exercise: staging)
        let setupArgs = compilerArguments(paths, library: true, moduleName: CheckProgram.setupModule, linkSetup: false)
            + ["-enable-testing", "\(paths.exercise)/setup.swift", "-o", "\(paths.exercise)/lib\(CheckProgram.setupModule).so"]
        let results = staging.appendingPathComponent("results")
        try makeFolder(results, forJail: false)
        let setup = compile(setupArgs, job: staging, exercise: staging, results: results, name: "setup", cacheWritable: true, exerciseWritable: true)
        guard setup.status == 0 else {
            throw GradingError("the exercise's {setup} does not compile:\n" + setup.output)
        }
        let warmArgs = compilerArguments(paths, library: false, moduleName: "Warm") + ["-typecheck", "\(paths.exercise)/warm.swift"]
        _ = compile(warmArgs, job: staging, exercise: staging, results: results, name: "warm", cacheWritable: true, exerciseWritable: true)
        try? FileManager.default.removeItem(at: results)
        shareModuleCache()
        FileManager.default.createFile(atPath: staging.appendingPathComponent(".ready").path, contents: Data())
        do {
            try FileManager.default.moveItem(at: staging, to: exercise)
        } catch where FileManager.default.fileExists(atPath: done.path) {
            // Another process prepared it first.
        }
        return exercise
    }

    func compilerArguments(_ paths: Layout, library: Bool, moduleName: String, linkSetup: Bool = true) -> [String] {
        toolchain.compilerArguments(moduleCache: paths.cache, moduleName: moduleName,
                                    searchPaths: linkSetup ? [paths.exercise, paths.work] : [],
                                    libraries: linkSetup ? [(paths.exercise, CheckProgram.setupModule)] : [])
            + (library ? ["-parse-as-library", "-emit-library", "-emit-module"] : [])
    }

    /// Folders every jail sees read-only: the flow library, its modules and C module maps, the compiler.
    var runtimeBinds: [Sandbox.Bind] {
        var binds = [Sandbox.Bind(toolchain.libraryFile.path), Sandbox.Bind(toolchain.modulesDirectory.path)]
        binds += toolchain.cModuleDirectories.map { Sandbox.Bind($0.path) }
        let compiler = URL(fileURLWithPath: toolchain.swiftc).resolvingSymlinksInPath()
        let prefix = compiler.deletingLastPathComponent().deletingLastPathComponent()   // .../usr
        if !prefix.path.hasPrefix("/usr") { binds.append(Sandbox.Bind(prefix.path)) }
        guard jailed, getuid() == 0 else { return binds }
        // A root grader's jail user cannot enter a project kept in a private
        // folder: the flow library's files are copied where it can, and seen
        // at their own paths.
        return binds.map { bind in
            guard Sandbox.blockedAncestor(bind.source) != nil, let copy = RuntimeCopies.shared.copy(bind.source, into: jailFolder) else { return bind }
            return Sandbox.Bind(copy, at: bind.target)
        }
    }

    var environment: [String: String] {
        compiledProgramEnvironment.merging(["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", ChapterChannel.threadsVariable: "1"]) { fixed, _ in fixed }
    }

    struct Compiled {
        enum Stage { case submission, checks }
        var status: Int32
        var output: String
        var timedOut = false
        var seconds: Double = 0

        /// The compiler's errors, each at the student's file. Anything from the
        /// submission's own compilation is the submission's; a check that does
        /// not compile against it is named (a hidden one only as hidden).
        func errors(path: String, stage: Stage, spec: ExerciseSpec, instructor: Bool = false) -> [Diagnostic]? {
            if timedOut {
                return [ExerciseChecker.problem(path, 1, 1, "the compiler took longer than \(Int(seconds)) s on this file and was stopped; simplify the expressions it is slow to type-check")]
            }
            guard status != 0 else { return nil }
            let diagnostics = Diagnostic.parseCompilerOutput(output).filter { $0.severity == .error }
            var located: [Diagnostic] = []
            for d in diagnostics {
                switch stage {
                case .submission:
                    // The compiler's own words, at the student's line.
                    located.append(Diagnostic(file: path, line: d.file == path ? d.line : 1, column: d.file == path ? d.column : 1,
                                              severity: .error, message: d.message))
                case .checks:
                    if d.file == spec.chapter, let check = spec.checks.last(where: { $0.line <= d.line }) {
                        located.append(check.hidden && !instructor
                            ? ExerciseChecker.problem(path, 1, 1, "a hidden check does not compile with this file; declare everything as the starter does")
                            : ExerciseChecker.problem(path, 1, 1, "check '\(check.name)' does not compile with this file: \(d.message)"))
                    } else {
                        located.append(ExerciseChecker.problem(path, 1, 1, "the checks do not compile with this file: \(d.message)"))
                    }
                }
            }
            if located.isEmpty {
                if status == 137 || status == 9 { return [ExerciseChecker.problem(path, 1, 1, "the compiler ran out of memory or time on this file and was stopped")] }
                // The checks' compilation may quote their code (a crash dump does): only the instructor sees it.
                if stage == .checks && !instructor {
                    return [ExerciseChecker.problem(path, 1, 1, "the checks could not be compiled with this file (the compiler stopped without saying why)")]
                }
                return [ExerciseChecker.problem(path, 1, 1, "the file does not compile (the compiler said:\n\(output.prefix(2000)))")]
            }
            var unique: [Diagnostic] = []
            for l in located where !unique.contains(l) { unique.append(l) }
            return unique
        }
    }

    func compile(_ args: [String], job: URL, exercise: URL, results: URL, name: String, cacheWritable: Bool,
                 exerciseWritable: Bool = false, user: UInt32 = Sandbox.nobody) -> Compiled {
        let output = results.appendingPathComponent("\(name).log")
        let argv: [String]
        if jailed {
            let binds = runtimeBinds + [
                Sandbox.Bind(moduleCache.path, at: Self.jailCache, writable: cacheWritable),
                Sandbox.Bind(exercise.path, at: Self.jailExercise, writable: exerciseWritable),
                Sandbox.Bind(job.path, at: Self.jailWork, writable: true),
            ]
            argv = Sandbox.command([toolchain.swiftc] + args, binds: binds, directory: Self.jailWork,
                                   environment: environment.merging(["HOME": Self.jailWork, "TMPDIR": "/tmp"]) { a, _ in a },
                                   limits: limits.compile, user: user)
        } else {
            argv = Sandbox.unjailed([toolchain.swiftc] + args, limits: limits.compile)
        }
        let start = Date()
        do {
            let r = try Subprocess.run(argv, environment: jailed ? ["PATH": "/usr/bin:/bin"] : ProcessInfo.processInfo.environment,
                                  directory: job.path, output: output, timeout: limits.compileSeconds)
            let text = String(decoding: (FileManager.default.contents(atPath: output.path) ?? Data()).prefix(65_536), as: UTF8.self)
                .replacingOccurrences(of: Self.jailWork + "/", with: "")
            return Compiled(status: r.exitStatus ?? 128 + (r.signal ?? 9), output: text, timedOut: r.timedOut,
                            seconds: r.timedOut ? limits.compileSeconds : Date().timeIntervalSince(start))
        } catch {
            return Compiled(status: 127, output: "\(error)")
        }
    }

    /// Runs check `index`; what it observed, why it failed to report, and what it printed.
    func runCheck(_ index: Int, mode: String, job: URL, exercise: URL, results: URL, paths: Layout,
                  user: UInt32) -> (CheckObservations, String?, String) {
        let run = job.appendingPathComponent("run-\(index)")
        do { try makeFolder(run, forJail: true, user: user) } catch { return (CheckObservations(parsing: ""), "could not start the check: \(error)", "") }
        let output = results.appendingPathComponent("output-\(index)")
        let program = ["\(paths.work)/checks", String(index), mode]
        let argv: [String]
        var env = environment
        if jailed {
            env["HOME"] = "\(Self.jailWork)/run-\(index)"; env["TMPDIR"] = "/tmp"
            let binds = runtimeBinds + [
                Sandbox.Bind(exercise.path, at: Self.jailExercise),
                Sandbox.Bind(job.path, at: Self.jailWork),
            ]
            argv = Sandbox.command(program, binds: binds, scratch: ["\(Self.jailWork)/run-\(index)"], directory: "\(Self.jailWork)/run-\(index)", environment: env, limits: limits.check, user: user)
        } else {
            env["HOME"] = run.path; env["TMPDIR"] = run.path
            argv = Sandbox.unjailed(program, limits: limits.check)
        }
        let result: Subprocess.Result
        // Graded by an ordinary user, every jail runs as that user and the
        // process limit counts them all: checks run one at a time, so that a
        // flood in one cannot keep a classmate's check from starting.
        let gate = jailed && getuid() != 0 ? Self.sharedUserGate : nil
        gate?.lock()
        defer { gate?.unlock() }
        do {
            result = try Subprocess.run(argv, environment: jailed ? ["PATH": "/usr/bin:/bin"] : env, directory: run.path,
                                   output: output, channel: true, timeout: limits.seconds)
        } catch {
            return (CheckObservations(parsing: ""), "could not start the check: \(error)", "")
        }
        let printed = String(decoding: (FileManager.default.contents(atPath: output.path) ?? Data()).prefix(16_384), as: UTF8.self)
        let observations = CheckObservations(parsing: String(decoding: result.channel, as: UTF8.self))
        if result.timedOut { return (observations, "took longer than \(Int(limits.seconds)) s and was stopped", printed) }
        if result.channelOverflowed { return (observations, "the check's report was larger than 16 MB and was stopped", printed) }
        if result.exitStatus == CheckReportLine.tamperedExitStatus {
            return (observations, "the check's report was tampered with (its channel was replaced)", printed)
        }
        if (observations.finished || observations.thrown != nil) && result.exitStatus == 0 { return (observations, nil, printed) }
        if let trap = trapMessage(printed) { return (observations, "crashed: \(trap)", printed) }
        if let signal = result.signal {
            return (observations, "crashed (signal \(signal)\(signal == 9 || signal == 24 ? ", perhaps out of memory or CPU time" : ""))", printed)
        }
        return (observations, "the program ended (status \(result.exitStatus ?? -1)) before the check finished", printed)
    }

    /// A folder the jail's user may write in (when grading as root, that user
    /// is `nobody` or a graded job's own).
    func makeFolder(_ url: URL, forJail: Bool, user: UInt32 = Sandbox.nobody, shared: Bool = false) throws {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        // Private to its user (checks' sources pass through it), unless every jail reads it.
        chmod(url.path, shared ? 0o755 : 0o700)
        if forJail && jailed && getuid() == 0 {
            chown(url.path, user, user)
        }
    }
}

/// Copies of the flow library's files for jails that cannot reach the
/// originals, made once per file version and process.
final class RuntimeCopies: Sendable {
    static let shared = RuntimeCopies()
    private let made = Locked<[String: String]>([:])

    func copy(_ source: String, into folder: URL) -> String? {
        made.withLock { made in Self.copy(source, into: folder, made: &made) }
    }

    private static func copy(_ source: String, into folder: URL, made: inout [String: String]) -> String? {
        let attributes = try? FileManager.default.attributesOfItem(atPath: source)
        var hash = StableHash()
        hash.add(source)
        hash.add(String((attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0))
        let key = String(hash.hex.prefix(16))
        if let done = made[key] { return done }
        let base = folder.appendingPathComponent("runtime").appendingPathComponent(key)
        let target = base.appendingPathComponent((source as NSString).lastPathComponent)
        if !FileManager.default.fileExists(atPath: target.path) {
            let staging = folder.appendingPathComponent("runtime").appendingPathComponent("staging-\(getpid())-\(key)")
            try? FileManager.default.removeItem(at: staging)
            do {
                try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
                try FileManager.default.copyItem(atPath: source, toPath: staging.appendingPathComponent(target.lastPathComponent).path)
                Sandbox.makeReadableByOthers(staging)
                chmod(folder.appendingPathComponent("runtime").path, 0o755)
                try FileManager.default.moveItem(at: staging, to: base)
            } catch {
                try? FileManager.default.removeItem(at: staging)
                if !FileManager.default.fileExists(atPath: target.path) { return nil }
            }
        }
        made[key] = target.path
        return target.path
    }
}

/// Root's folders under /var/tmp, where any local user may have created the
/// name first: one is used only when it is a real folder that root owns and
/// no one else may write; otherwise a fresh one is made for this process.
final class JailFolders: Sendable {
    static let shared = JailFolders()
    private let chosen = Locked<[String: URL]>([:])

    func folder(named path: String) -> URL {
        chosen.withLock { chosen in Self.folder(named: path, chosen: &chosen) }
    }

    private static func folder(named path: String, chosen: inout [String: URL]) -> URL {
        if let url = chosen[path] { return url }
        mkdir(path, 0o755)
        var url = URL(fileURLWithPath: path)
        if !safe(path) {
            var template = Array((path + "-XXXXXX").utf8CString)
            url = template.withUnsafeMutableBufferPointer { buffer in
                mkdtemp(buffer.baseAddress!).map { URL(fileURLWithPath: String(cString: $0)) } ?? URL(fileURLWithPath: path + "-\(getpid())")
            }
            chmod(url.path, 0o755)
        }
        chosen[path] = url
        return url
    }

    static func safe(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR && info.st_uid == 0 && (info.st_mode & 0o022) == 0
    }
}
