import Foundation
import Grading
import Plumbing

/// Grading a class: every student's file of every exercise, checked against
/// what the reference solutions' runs expect, several at a time. What
/// `nbrun grade` calls; the jail and the limits are the checker's.
public struct ClassGrading: Sendable {
    public let specs: [ExerciseSpec]
    /// The folder with a folder per student.
    public let submissions: String
    public let checker: ExerciseChecker

    public init(specs: [ExerciseSpec], submissions: String, checker: ExerciseChecker) {
        self.specs = specs
        self.submissions = submissions
        self.checker = checker
    }

    /// The students (their folders' names, sorted), and those whose folder is
    /// refused with the reason (a symbolic link could point at a classmate's).
    public static func studentFolders(_ submissions: String) -> (students: [String], refused: [String: String]) {
        var students: [String] = []
        var refused: [String: String] = [:]
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: submissions)) ?? []).sorted() where !name.hasPrefix(".") {
            let full = (submissions as NSString).appendingPathComponent(name)
            guard let type = try? FileManager.default.attributesOfItem(atPath: full)[.type] as? FileAttributeType else { continue }
            if type == .typeDirectory { students.append(name) }
            else if type == .typeSymbolicLink { students.append(name); refused[name] = "the student's folder is a symbolic link; grade real folders" }
        }
        return (students, refused)
    }

    /// The gradebook of `students`: first what every check expects, from the
    /// reference solutions, before any submission runs; then every file.
    public func grade(_ students: [String], refused: [String: String] = [:], jobs: Int,
                      onProblem: (Diagnostic) -> Void = { _ in },
                      onProgress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) -> Gradebook {
        let specs = self.specs, checker = self.checker
        let references = Parallel.map(specs.count) { checker.reference(specs[$0]) }
        for reference in references { reference.problems.forEach(onProblem) }
        let work = students.flatMap { s in specs.indices.map { (s, $0) } }
        let done = Locked(0)
        let reports = Parallel.map(work.count, jobs: jobs) { i in
            let (student, k) = work[i]
            let shown = student + "/" + specs[k].label + ".swift"
            let report = refused[student].map { Self.zero(specs[k], shown: shown, $0) }
                ?? gradeFile(student, specs[k], reference: references[k])
            let n = done.withLock { count -> Int in count += 1; return count }
            onProgress(n, work.count)
            return report
        }
        return Gradebook(
            exercises: specs.map { Gradebook.ExerciseColumn(label: $0.label, name: $0.name + ($0.title.isEmpty ? "" : ": " + $0.title), points: $0.totalPoints) },
            students: students.enumerated().map { k, s in
                Gradebook.Student(student: s, reports: Array(reports[(k * specs.count)..<((k + 1) * specs.count)]))
            })
    }

    /// No points, with the reason, for a file that was not checked.
    static func zero(_ spec: ExerciseSpec, shown: String, _ reason: String) -> CheckReport {
        CheckReport(exercise: spec.label, file: shown,
                    errors: [Diagnostic(.error, .submissionRejected, at: SourceRange(file: shown, line: 1, column: 1), reason)],
                    checks: spec.checks.map {
                        CheckOutcome(name: $0.name, hidden: $0.hidden, points: $0.points, earned: 0, passed: false, message: "not run")
                    })
    }

    /// One student's file of one exercise: the file itself (not a link to a
    /// classmate's), read as UTF-8, graded.
    func gradeFile(_ student: String, _ spec: ExerciseSpec, reference: ExerciseChecker.Reference) -> CheckReport {
        let folder = (submissions as NSString).appendingPathComponent(student)
        let path = (folder as NSString).appendingPathComponent(spec.label + ".swift")
        let shown = student + "/" + spec.label + ".swift"
        func zero(_ reason: String) -> CheckReport { Self.zero(spec, shown: shown, reason) }
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else {
            return zero("missing: no file \(spec.label).swift")
        }
        // attributesOfItem does not follow links.
        guard attributes[.type] as? FileAttributeType == .typeRegular else {
            return zero("refused: \(spec.label).swift is \(attributes[.type] as? FileAttributeType == .typeSymbolicLink ? "a symbolic link" : "not a regular file"); submit the file itself")
        }
        guard let data = FileManager.default.contents(atPath: path) else { return zero("unreadable: \(spec.label).swift cannot be read") }
        guard let source = String(data: data, encoding: .utf8) else { return zero("unreadable: \(spec.label).swift is not UTF-8 text") }
        return checker.grade(spec, source: source, path: shown, reference: reference)
    }
}
