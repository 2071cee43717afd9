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
                var (students, refused) = ClassGrading.studentFolders(submissions)
                if let shard { students = try Shard(shard).select(students) }
                let toolchain = try Toolchain.locate()
                try toolchain.ensureLibrary { printError($0) }
                var limits = CheckLimits()
                limits.seconds = timeout
                limits.compileSeconds = compileTimeout
                let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
                let checker = ExerciseChecker(toolchain: toolchain, limits: limits, workDirectory: here.appendingPathComponent(".nbrun/grade"),
                                              jailed: Sandbox.isAvailable)
                let grading = ClassGrading(specs: exercises.specs, submissions: submissions, checker: checker)
                let terminal = StatusLine()
                let book = grading.grade(students, refused: refused, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount,
                                         onProblem: { printError($0.description) },
                                         onProgress: { done, total in terminal.status("graded \(done)/\(total) files") })
                terminal.clear()
                try write(book)
                let seconds = Date().timeIntervalSince(started)
                let specs = exercises.specs, files = students.count * specs.count
                print(String(format: "graded %d student%@ × %d exercise%@ in %.1f s (%.0f files a minute); gradebook in %@",
                             students.count, students.count == 1 ? "" : "s", specs.count, specs.count == 1 ? "" : "s",
                             seconds, Double(files) / max(seconds, 0.001) * 60, out))
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
