/// A named piece of Swift that checks a solution, worth points.
public struct ExerciseCheck: Hashable, Sendable {
    public var name: String
    public var points: Int
    /// Hidden checks are left out of the students' site and files, and their
    /// feedback says only passed or failed.
    public var hidden: Bool
    public var code: String
    /// The line of the check's first line of code in the chapter.
    public var line: Int
}

/// A short question whose answer the page checks in the browser.
public struct ExerciseQuestion: Hashable, Sendable {
    public var prompt: String
    /// A number, or the letter of the right choice (a, b, ...).
    public var answer: String
    public var tolerance: Double?
    public var content: [Block]
}

/// A piece of Swift code and the line of its first line in the chapter.
public struct CodeSnippet: Hashable, Sendable {
    public var code: String
    public var line: Int
}

/// The graded parts of an exercise, read from its body:
///
/// ````markdown
/// ::::{exercise} The planar flow's log-determinant
/// :label: ex-planar
///
/// Statement...
///
/// ```{setup}
/// let w: [Float] = [1, 0.5]          // shared by the starter, solution and checks
/// ```
///
/// ```{starter}
/// func planarLogDet(_ z: [Float]) -> Float { 0 }
/// ```
///
/// ```{check} Matches the determinant lemma
/// :points: 2
/// expectClose(planarLogDet([0.3, -1.2]), 0.1237, tolerance: 1e-4)
/// ```
///
/// ```{check} Random parameters
/// :points: 3
/// :hidden:
/// ...
/// ```
/// ::::
/// ````
extension Exercise {
    /// The directives of the exercise's body with `name`, in order.
    func parts(_ name: String) -> [Directive] {
        content.compactMap { block in
            if case .directive(let d) = block.kind, d.name == name { return d }
            return nil
        }
    }

    /// The code a student starts from.
    public var starter: CodeSnippet? {
        parts("starter").first.map { CodeSnippet(code: $0.body, line: $0.bodyLine) }
    }

    /// Code the starter, the solution and the checks all see.
    public var setup: CodeSnippet? {
        parts("setup").first.map { CodeSnippet(code: $0.body, line: $0.bodyLine) }
    }

    public var checks: [ExerciseCheck] {
        parts("check").map { d in
            var points = 1
            if case .int(let n)? = d.option("points") { points = n }
            return ExerciseCheck(name: d.argument, points: points, hidden: d.option("hidden") != nil,
                                 code: d.body, line: d.bodyLine)
        }
    }

    public var questions: [ExerciseQuestion] {
        parts("question").map { d in
            var content: [Block] = []
            if case .container(let blocks) = d.content { content = blocks }
            return ExerciseQuestion(prompt: d.argument, answer: d.option("answer")?.text ?? "",
                                    tolerance: d.option("tolerance").flatMap { Double($0.text) }, content: content)
        }
    }

    /// The points of the checks.
    public var totalPoints: Int { checks.reduce(0) { $0 + $1.points } }
}

extension Solution {
    /// The solution's Swift code: its first Swift code block.
    public var code: CodeSnippet? {
        for block in content {
            if case .code(let c) = block.kind, c.language == "swift" || c.language.isEmpty {
                // A fenced block's code starts on the line after its fence.
                return CodeSnippet(code: c.code, line: block.range.start.line + 1)
            }
            if case .directive(let d) = block.kind, case .code(let c) = d.content, c.language == "swift" {
                return CodeSnippet(code: c.code, line: d.bodyLine)
            }
        }
        return nil
    }
}
