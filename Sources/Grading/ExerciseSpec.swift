import MyST

/// An exercise as grading sees it: where it is, its statement, and the code
/// that starts, solves and checks it.
public struct ExerciseSpec: Sendable, Hashable {
    /// The exercise's `:label:`; also the name of its student file.
    public var label: String
    /// "Exercise 2.1", or "Exercise" when unnumbered.
    public var name: String
    public var title: String
    /// The chapter file, as given to the parser.
    public var chapter: String
    /// The statement as plain text, paragraphs separated by blank lines.
    public var statement: String
    public var setup: CodeSnippet?
    public var starter: CodeSnippet?
    public var solution: CodeSnippet?
    public var checks: [ExerciseCheck]
    /// Where the `{exercise}` directive starts.
    public var line: Int
    /// `easy`, `medium` or `hard`, when the exercise says.
    public var difficulty: Exercise.Difficulty? = nil

    public var totalPoints: Int { checks.reduce(0) { $0 + $1.points } }

    /// The gradable exercises of a chapter (those with a label and checks), and
    /// problems with the others. `numbers` maps labels to "2.1"; `references`
    /// says what a cross-reference reads as on the site ("Figure 1.2",
    /// "(1.12)"), when the site's numbering is known.
    public static func all(in document: Document, numbers: [String: String] = [:],
                           references: ((CrossReference) -> String?)? = nil) -> (specs: [ExerciseSpec], problems: [Diagnostic]) {
        var specs: [ExerciseSpec] = []
        var problems: [Diagnostic] = []
        let solutions = document.solutions
        for (exercise, range) in document.exercises {
            let checks = exercise.checks
            guard !checks.isEmpty || exercise.starter != nil else { continue }   // a prose exercise
            guard let label = exercise.label else {
                problems.append(Diagnostic(.error, .exerciseIncomplete, at: range, "an exercise with checks needs a :label:",
                                                   hint: "the label names the student's file, e.g. :label: ex-planar-logdet"))
                continue
            }
            if checks.isEmpty {
                problems.append(Diagnostic(.warning, .exerciseIncomplete, at: range, "exercise '\(label)' has starter code but no {check}",
                                                   hint: "add ```{check} name with :points: and code that calls expect(...) or expectClose(...)"))
            }
            if exercise.starter == nil {
                problems.append(Diagnostic(.warning, .exerciseIncomplete, at: range, "exercise '\(label)' has checks but no {starter} code",
                                                   hint: "add ```{starter} with the declarations a student completes"))
            }
            let solution = solutions.first { Labels.normalize($0.solution.exercise) == Labels.normalize(label) }?.solution.code
            let statement = exercise.content.compactMap { block -> String? in
                switch block.kind {
                case .paragraph(let c): return Self.text(c, references: references)
                case .list(let list):
                    // Each item on a line of its own (wrapping keeps the markers' lines apart).
                    return list.items.enumerated().map { k, item -> String in
                        let marker = list.ordered ? "\(list.start + k)." : "-"
                        let text = item.compactMap { b -> String? in
                            if case .paragraph(let c) = b.kind { return Self.text(c, references: references) }
                            return nil
                        }.joined(separator: " ")
                        return marker + " " + text
                    }.joined(separator: "\n\n")
                default: return nil
                }
            }.joined(separator: "\n\n")
            let number = numbers[Labels.normalize(label)]
            specs.append(ExerciseSpec(label: label, name: number.map { "Exercise \($0)" } ?? "Exercise",
                                      title: exercise.title.map(\.plainText).joined(), chapter: document.file,
                                      statement: statement, setup: exercise.setup, starter: exercise.starter,
                                      solution: solution, checks: checks, line: range.start.line,
                                      difficulty: exercise.difficulty))
        }
        return (specs, problems)
    }

    /// Inline content as a comment reads it: math as its LaTeX, references
    /// as the site shows them ("Figure 1.2", "equation (1.12)"), or, without
    /// the site's numbering, as "'fig-label' in the course".
    static func text(_ content: [Inline], references: ((CrossReference) -> String?)? = nil) -> String {
        content.map { inline -> String in
            switch inline.kind {
            case .emphasis(let c), .strong(let c): return text(c, references: references)
            case .math(let latex): return "$" + latex + "$"
            case .role(let role):
                guard case .crossReference(let ref) = role.content else { return inline.plainText }
                if let shown = references?(ref) { return ref.kind == "eq" && ref.text == nil ? "equation " + shown : shown }
                if let t = ref.text { return t }
                switch ref.kind {
                case "eq": return "equation (\(ref.label)) of the chapter"
                case "doc": return ref.label
                default: return "'\(ref.label)' in the course"
                }
            default: return inline.plainText
            }
        }.joined()
    }

    /// The student's starter file: a header naming the exercise, the statement
    /// as comments, how to check it, then the starter code.
    public func starterFile(checkCommand: String) -> String {
        var out = "// nbrun exercise \(label) · \(chapter)\n"
        let level = difficulty.map { ", \($0.rawValue)" } ?? ""
        out += "// \(name)\(title.isEmpty ? "" : ": " + title) (\(totalPoints) point\(totalPoints == 1 ? "" : "s")\(level))\n//\n"
        for paragraph in statement.components(separatedBy: "\n\n") {
            for line in Self.wrap(paragraph, width: 76) { out += "// \(line)\n" }
            out += "//\n"
        }
        let visible = checks.filter { !$0.hidden }
        if !visible.isEmpty {
            out += "// Checks: " + visible.map { "\($0.name) (\($0.points))" }.joined(separator: ", ")
            let hidden = checks.count - visible.count
            out += hidden > 0 ? ", and \(hidden) hidden.\n" : ".\n"
        }
        out += "// Check your work: \(checkCommand)\n"
        out += "// Write declarations only (functions, types, constants); statements at the top level do not compile here.\n\n"
        let code = starter?.code ?? ""
        if !code.contains("import NotebookRuntime") { out += Self.imports + "\n" }
        out += code + "\n"
        return out
    }

    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            if !line.isEmpty && line.count + 1 + word.count > width { lines.append(line); line = "" }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    /// What every exercise file imports: what chapters' cells see.
    public static let imports = "import Foundation\nimport NotebookRuntime\n"

    /// The label in a student file's first line (`// nbrun exercise LABEL · chapter`).
    public static func label(inStudentFile text: Substring) -> String? {
        guard let first = text.split(separator: "\n", maxSplits: 1).first,
              first.hasPrefix("// nbrun exercise ") else { return nil }
        return first.dropFirst("// nbrun exercise ".count).split(separator: " ").first.map(String.init)
    }
}

extension Diagnostic.Code {
    /// An exercise without a part it needs (a label, checks, a starter, a solution).
    public static let exerciseIncomplete = Self(.exercise, "exercise-incomplete")
    /// The reference solution fails a check, or does not compile.
    public static let solutionFails = Self(.exercise, "solution-fails")
    /// The starter code passes every check: the checks cannot tell right from wrong.
    public static let starterPasses = Self(.exercise, "starter-passes")
    /// A student's file that was not checked: refused, too large, not compiling with the checks.
    public static let submissionRejected = Self(.exercise, "submission-rejected")
    /// Two exercises share a label, which names the students' files.
    public static let duplicateExercise = Self(.exercise, "duplicate-exercise")
}
