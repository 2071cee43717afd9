import ArgumentParser
import Foundation
import Grading
import Kernel

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
            let exercises: ProjectExercises
            do { exercises = try ProjectExercises(project: project) } catch {
                printError("\(error)"); throw ExitCode(1)
            }
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
            let reports = ReportBox(count: files.count)
            let specs = exercises
            DispatchQueue.concurrentPerform(iterations: files.count) { i in
                reports.set(i, Self.check(files[i], specs, checker))
            }
            var earned = 0, possible = 0, allPassed = true
            for (report, title) in reports.values {
                print(report.text(title: title))
                earned += report.earned; possible += report.possible
                allPassed = allPassed && report.allPassed
            }
            if files.count > 1 { print("total: \(earned)/\(possible) points") }
            if !allPassed { throw ExitCode(1) }
        }

        static func check(_ file: String, _ exercises: ProjectExercises, _ checker: ExerciseChecker) -> (CheckReport, String) {
            guard let data = FileManager.default.contents(atPath: file) else {
                return (CheckReport(exercise: "", file: file, errors: ["\(file):1:1: error: cannot read the file"], checks: [], output: ""), "?")
            }
            let source = String(decoding: data, as: UTF8.self)
            let label = ExerciseSpec.label(inStudentFile: Substring(source)) ?? ((file as NSString).lastPathComponent as NSString).deletingPathExtension
            guard let spec = exercises.spec(label) else {
                let known = exercises.specs.map(\.label).joined(separator: ", ")
                return (CheckReport(exercise: label, file: file, errors: [
                    "\(file):1:1: error: no exercise is labelled '\(label)' in the project (known: \(known.isEmpty ? "none" : known))",
                ], checks: [], output: ""), label)
            }
            let title = spec.name + (spec.title.isEmpty ? "" : ": " + spec.title)
            return (checker.check(spec, source: source, path: file), title)
        }
    }
}

/// Reports filled in from several threads.
final class ReportBox: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [(CheckReport, String)?]
    init(count: Int) { storage = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: (CheckReport, String)) { lock.lock(); storage[i] = r; lock.unlock() }
    var values: [(CheckReport, String)] { lock.lock(); defer { lock.unlock() }; return storage.compactMap { $0 } }
}
