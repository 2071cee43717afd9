import ArgumentParser
import Course
import Foundation
import Plumbing
import Grading
import ChapterExecution

extension NBRun {
    /// `nbrun grade`: a class's submissions against every exercise's checks.
    public struct Grade: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "grade",
            abstract: "Grade a class: every student's exercise files against all checks, hidden ones included.",
            subcommands: [Class.self, Merge.self],
            defaultSubcommand: Class.self
        )

        public init() {}

        public struct Class: ParsableCommand {
            public static let configuration = CommandConfiguration(
                commandName: "class",
                abstract: "Grade the submissions folder (the default subcommand).",
                discussion: """
                    SUBMISSIONS holds a folder per student with their exercise files, named by \
                    the exercises' labels (ex-planar.swift). A missing or unreadable file scores \
                    zero with the reason. Every file is compiled and checked in processes of its \
                    own under time and memory limits, several at a time. Writes the gradebook \
                    as CSV (--out) and JSON (same name, .json), and a feedback file per student \
                    in which hidden checks show only passed or failed.
                    """
            )

            @Argument(help: "The project folder, holding myst.yml.")
            public var project: String = "Notebooks"

            @Option(help: "A folder with a folder per student.")
            public var submissions: String

            @Option(help: "The gradebook CSV; the JSON goes beside it.")
            public var out: String = "grades.csv"

            @Option(help: "Where the feedback files go (default: feedback/ beside --out).")
            public var feedback: String?

            @Option(help: "Grade only slice i of n of the class (i/n), for job arrays; merge with `nbrun grade merge`.")
            public var shard: String?

            @Option(help: "Files to check at the same time (default: the machine's cores).")
            public var jobs: Int?

            @Option(help: "Seconds each check may run.")
            public var timeout: Double = 20

            @Option(name: .customLong("compile-timeout"), help: "Seconds the compiler may spend on each submission (twice: the file, then the checks against it).")
            public var compileTimeout: Double = 90

            @Flag(name: .customLong("no-sandbox"),
                  help: "Grade even where no jail can be made (bubblewrap with user namespaces): submissions then run as you, able to read and change what you can. Only for code you trust.")
            public var noSandbox = false

            public init() {}

            public func run() throws {
                let started = Date()
                let (exercises, problems) = try loadExercises(project)
                for p in problems { printError(p.description) }
                guard !exercises.specs.isEmpty else { printError("error: the project has no exercises with checks"); throw ExitCode(1) }
                if case .unavailable(let why) = Sandbox.availability {
                    guard noSandbox else {
                        printError("error: submissions cannot be jailed here: \(why). Grading runs every student's code, hidden checks included, and will not do so unjailed. Install bubblewrap and allow user namespaces, or pass --no-sandbox for code you trust.")
                        throw ExitCode(1)
                    }
                    printError("WARNING: --no-sandbox: submissions run UNJAILED, as \(NSUserName()), with limits only. A submission can read the solutions and change any file you can.")
                }
                var students: [String] = []
                var refused: [String: String] = [:]
                for name in ((try? FileManager.default.contentsOfDirectory(atPath: submissions)) ?? []).sorted() where !name.hasPrefix(".") {
                    let full = (submissions as NSString).appendingPathComponent(name)
                    guard let type = try? FileManager.default.attributesOfItem(atPath: full)[.type] as? FileAttributeType else { continue }
                    if type == .typeDirectory { students.append(name) }
                    else if type == .typeSymbolicLink { students.append(name); refused[name] = "the student's folder is a symbolic link; grade real folders" }
                }
                if let shard { students = try Shard(shard).select(students) }
                let toolchain = try Toolchain.locate()
                try toolchain.ensureLibrary { printError($0) }
                var limits = CheckLimits()
                limits.seconds = timeout
                limits.compileSeconds = compileTimeout
                let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
                let checker = ExerciseChecker(toolchain: toolchain, limits: limits, workDirectory: here.appendingPathComponent(".nbrun/grade"),
                                              jailed: Sandbox.isAvailable)
                let specs = exercises.specs
                // What every check expects, from the reference solutions, before any submission runs.
                let referenceRuns = Parallel.map(specs.count) { checker.reference(specs[$0]) }
                for (spec, reference) in zip(specs, referenceRuns) {
                    for p in reference.problems {
                        printError(Diagnostic(.error, .solutionFails, at: SourceRange(file: spec.chapter, line: spec.line, column: 1), p).description)
                    }
                }
                let work = students.flatMap { s in specs.indices.map { (s, $0) } }
                let terminal = StatusLine()
                let done = Locked(0)
                let refusedFolders = refused
                let reports = Parallel.map(work.count, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount) { i in
                    let (student, k) = work[i]
                    let report = refusedFolders[student].map { Self.zero(specs[k], shown: student + "/" + specs[k].label + ".swift", $0) }
                        ?? Self.grade(student, specs[k], submissions: submissions, checker: checker, reference: referenceRuns[k])
                    let n = done.withLock { count -> Int in count += 1; return count }
                    terminal.status("graded \(n)/\(work.count) files")
                    return report
                }
                terminal.clear()
                let book = Gradebook(
                    exercises: specs.map { Gradebook.ExerciseColumn(label: $0.label, name: $0.name + ($0.title.isEmpty ? "" : ": " + $0.title), points: $0.totalPoints) },
                    students: students.enumerated().map { k, s in
                        Gradebook.Student(student: s, reports: Array(reports[(k * specs.count)..<((k + 1) * specs.count)]))
                    })
                try write(book)
                let seconds = Date().timeIntervalSince(started)
                print(String(format: "graded %d student%@ × %d exercise%@ in %.1f s (%.0f files a minute); gradebook in %@",
                             students.count, students.count == 1 ? "" : "s", specs.count, specs.count == 1 ? "" : "s",
                             seconds, Double(work.count) / max(seconds, 0.001) * 60, out))
            }

            /// The gradebook first, then a feedback file per student; a feedback
            /// file that cannot be written is reported and the others still are.
            func write(_ book: Gradebook) throws {
                let folder = (out as NSString).deletingLastPathComponent
                if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
                try book.csv().write(toFile: out, atomically: true, encoding: .utf8)
                try book.json().write(to: URL(fileURLWithPath: Grade.jsonPath(out)), options: .atomic)
                let dir = feedback ?? (((out as NSString).deletingLastPathComponent as NSString).appendingPathComponent("feedback"))
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                for s in book.students {
                    let path = (dir as NSString).appendingPathComponent(s.student + ".txt")
                    do {
                        try book.feedback(s).write(toFile: path, atomically: true, encoding: .utf8)
                    } catch {
                        printError("warning: \(TerminalText.line(path)): the feedback of '\(TerminalText.line(s.student))' could not be written (is something else there?); their grades are in the gradebook")
                    }
                }
            }

            static func zero(_ spec: ExerciseSpec, shown: String, _ reason: String) -> CheckReport {
                CheckReport(exercise: spec.label, file: shown, errors: [reason], checks: spec.checks.map {
                    CheckOutcome(name: $0.name, hidden: $0.hidden, points: $0.points, earned: 0, passed: false, message: "not run")
                })
            }

            static func grade(_ student: String, _ spec: ExerciseSpec, submissions: String, checker: ExerciseChecker,
                              reference: ExerciseChecker.Reference) -> CheckReport {
                let folder = (submissions as NSString).appendingPathComponent(student)
                let path = (folder as NSString).appendingPathComponent(spec.label + ".swift")
                let shown = student + "/" + spec.label + ".swift"
                func zero(_ reason: String) -> CheckReport { Self.zero(spec, shown: shown, reason) }
                guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else {
                    return zero("missing: no file \(spec.label).swift")
                }
                // The file itself, not a link to a classmate's (attributesOfItem does not follow links).
                guard attributes[.type] as? FileAttributeType == .typeRegular else {
                    return zero("refused: \(spec.label).swift is \(attributes[.type] as? FileAttributeType == .typeSymbolicLink ? "a symbolic link" : "not a regular file"); submit the file itself")
                }
                guard let data = FileManager.default.contents(atPath: path) else { return zero("unreadable: \(spec.label).swift cannot be read") }
                guard let source = String(data: data, encoding: .utf8) else { return zero("unreadable: \(spec.label).swift is not UTF-8 text") }
                return checker.grade(spec, source: source, path: shown, reference: reference)
            }
        }

        public struct Merge: ParsableCommand {
            public static let configuration = CommandConfiguration(
                commandName: "merge",
                abstract: "Join the partial gradebooks (JSON) of a sharded run into one.")

            @Argument(help: "The partial gradebooks' JSON files.")
            public var parts: [String]

            @Option(help: "The merged gradebook CSV; the JSON goes beside it.")
            public var out: String = "grades.csv"

            public init() {}

            public func run() throws {
                let books = try parts.map { try Gradebook.read(json: Data(contentsOf: URL(fileURLWithPath: $0))) }
                let merged: Gradebook
                do { merged = try Gradebook.merge(books) } catch { printError("error: \(error)"); throw ExitCode(1) }
                try merged.csv().write(toFile: out, atomically: true, encoding: .utf8)
                try merged.json().write(to: URL(fileURLWithPath: Grade.jsonPath(out)), options: .atomic)
                print("merged \(parts.count) partial gradebooks: \(merged.students.count) students in \(out)")
            }
        }

        static func jsonPath(_ csv: String) -> String {
            (csv.hasSuffix(".csv") ? String(csv.dropLast(4)) : csv) + ".json"
        }
    }
}
