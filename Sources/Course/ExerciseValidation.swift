import ChapterExecution
import Foundation
import Grading
import MyST
import StableText

/// `nbrun build` checks every exercise: the reference solution must pass all
/// its checks and the starter code must fail at least one, or the checks
/// cannot tell right from wrong. Results are remembered per exercise content
/// and library build, so an unchanged exercise is not checked again.
struct ExerciseValidation {
    let checker: ExerciseChecker
    let cacheDirectory: URL
    let fingerprint: String

    func problems(_ spec: ExerciseSpec) -> [Diagnostic] {
        let at = SourceRange(file: spec.chapter, line: spec.line, column: 1)
        guard let solution = spec.solution else {
            return [Diagnostic(.warning, .exerciseIncomplete, at: at, "exercise '\(spec.label)' has checks but no reference solution",
                               hint: "add ::::{solution} \(spec.label) with the solution in a ```swift block, so the build can test the checks")]
        }
        let key = cacheKey(spec, solution)
        let stamp = cacheDirectory.appendingPathComponent("exercise-\(key)")
        if FileManager.default.fileExists(atPath: stamp.path) { return [] }
        var found: [Diagnostic] = []
        let reference = checker.reference(spec)
        for p in reference.problems {
            found.append(Diagnostic(.error, .solutionFails, at: at, "exercise '\(spec.label)': \(p.message)",
                                    hint: "fix the solution or the check; students cannot pass a check the solution fails"))
        }
        if let blind = reference.blind {
            for c in blind.checks where !c.passed {
                found.append(Diagnostic(.error, .solutionFails, at: at,
                    "check '\(c.name)' of '\(spec.label)' fails when graded with the reference solution: \(c.message ?? "failed")",
                    hint: "when grading, an assertion's expected side is not computed in the submission's process; compute it without side effects (draw random numbers before the assertion, not inside it)"))
            }
        }
        if reference.problems.isEmpty {
            let starter = checker.grade(spec, source: spec.starterFile(checkCommand: "nbrun check"), path: "starter of \(spec.label)", reference: reference)
            if starter.errors.isEmpty && starter.allPassed {
                found.append(Diagnostic(.error, .starterPasses, at: at, "the starter code of '\(spec.label)' passes every check",
                                        hint: "the checks cannot tell right from wrong; add a check the starter fails"))
            }
        }
        if found.isEmpty {
            try? FileManager.default.createDirectory(at: cacheDirectory, withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: stamp.path, contents: Data("ok\n".utf8))
        }
        return found
    }

    func cacheKey(_ spec: ExerciseSpec, _ solution: CodeSnippet) -> String {
        var text = "v4\u{1}\(fingerprint)\u{1}\(spec.setup?.code ?? "")\u{1}\(spec.starter?.code ?? "")\u{1}\(solution.code)"
        for c in spec.checks { text += "\u{1}\(c.name)\u{1}\(c.points)\u{1}\(c.hidden)\u{1}\(c.line)\u{1}\(c.code)" }
        return String(StableHash.fnv1a64(text.utf8), radix: 16)
    }
}
