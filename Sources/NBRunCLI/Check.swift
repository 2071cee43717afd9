import ArgumentParser
import Course
import Foundation
import Plumbing
import Grading
import ChapterExecution

extension NBRun {
    /// `nbrun check`: a student's files against their exercises' checks.
    public struct Check: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Check exercise files: compile each with its checks and report points.",
            discussion: """
                Each file names its exercise in its first line (as `nbrun exercises` writes it). \
                Every check runs in a process of its own with time and memory limits. The exit \
                status is 0 only when every check of every file passed.
                """
        )

        @Argument(help: "Exercise files, or folders of them.")
        public var paths: [String] = ["exercises"]

        @Option(help: "The project folder, holding myst.yml.")
        public var project: String = "Notebooks"

        @Option(help: "Seconds each check may run.")
        public var timeout: Double = 20

        @Option(help: "Files to check at the same time (default: the machine's cores).")
        public var jobs: Int?

        public init() {}

        public func run() throws {
            let (exercises, _) = try loadExercises(project)
            var files: [String] = []
            for path in paths {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                    printError("error: '\(path)' does not exist"); throw ExitCode(1)
                }
                if isDirectory.boolValue {
                    let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                    files += names.filter { $0.hasSuffix(".swift") }.sorted().map { (path as NSString).appendingPathComponent($0) }
                } else {
                    files.append(path)
                }
            }
            guard !files.isEmpty else { printError("error: no .swift files to check"); throw ExitCode(1) }
            let toolchain = try Toolchain.locate()
            try toolchain.ensureLibrary { printError($0) }
            var limits = CheckLimits()
            limits.seconds = timeout
            let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            let checker = ExerciseChecker(toolchain: toolchain, limits: limits,
                                          workDirectory: here.appendingPathComponent(".nbrun/check"))
            let specs = exercises, paths = files
            let reports = Parallel.map(paths.count, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount) {
                Self.check(paths[$0], specs, checker)
            }
            var earned = 0, possible = 0, allPassed = true
            for (report, title) in reports {
                print(report.text(title: title))
                earned += report.earned; possible += report.possible
                allPassed = allPassed && report.allPassed
            }
            if files.count > 1 { print("total: \(earned)/\(possible) points") }
            if !allPassed { throw ExitCode(1) }
        }

        static func check(_ file: String, _ exercises: CourseExercises, _ checker: ExerciseChecker) -> (CheckReport, String) {
            guard let data = FileManager.default.contents(atPath: file) else {
                return (CheckReport(exercise: "", file: file, errors: [Diagnostic(.error, .submissionRejected, at: SourceRange(file: file, line: 1, column: 1), "cannot read the file")], checks: [], output: ""), "?")
            }
            let source = String(decoding: data, as: UTF8.self)
            let label = ExerciseSpec.label(inStudentFile: Substring(source)) ?? ((file as NSString).lastPathComponent as NSString).deletingPathExtension
            guard let spec = exercises.spec(label) else {
                let known = exercises.specs.map(\.label).joined(separator: ", ")
                return (CheckReport(exercise: label, file: file, errors: [
                    Diagnostic(.error, .submissionRejected, at: SourceRange(file: file, line: 1, column: 1),
                               "no exercise is labelled '\(label)' in the project (known: \(known.isEmpty ? "none" : known))"),
                ], checks: [], output: ""), label)
            }
            let title = spec.name + (spec.title.isEmpty ? "" : ": " + spec.title)
            return (checker.check(spec, source: source, path: file), title)
        }
    }
}
