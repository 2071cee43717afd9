/// Builders for the directives of executable, graded notebooks.
extension DirectiveContext {
    /// `{code-cell} swift` and its tags; other kernels are kept but not run.
    func codeCell(_ d: Directive) -> CodeCell {
        let language = d.argument.split(separator: " ").first.map(String.init) ?? "swift"
        if language != "swift" {
            parser.report(.warning, .nonSwiftCell, at: range,
                          "code cell for kernel '\(language)' is recorded but not executed",
                          hint: "nbrun runs Swift cells only; write ```{code-cell} swift, or use ```\(language) for a listing")
        }
        var tags: [CodeCell.Tag] = []
        var other: [String] = []
        for tag in Self.list(d.option("tags")?.text ?? "") {
            if let known = CodeCell.Tag(rawValue: tag) { tags.append(known) } else {
                other.append(tag)
                parser.report(.note, .unknownTag, at: range, "cell tag '\(tag)' has no effect in nbrun",
                              hint: "known tags: " + CodeCell.Tag.allCases.map(\.rawValue).joined(separator: ", "))
            }
        }
        return CodeCell(language: language, code: d.body, codeLine: d.bodyLine, tags: tags, otherTags: other,
                        label: d.option("label")?.text ?? d.option("name")?.text, caption: d.option("caption")?.text)
    }

    /// `{exercise} Title` with sphinx-exercise's options and the grading options.
    func exercise(_ d: Directive) -> Exercise {
        var points: Int?
        if case .int(let n) = d.option("points") { points = n }
        return Exercise(label: d.option("label")?.text ?? d.option("name")?.text,
                        title: d.argument.isEmpty ? [] : inlines(d.argument),
                        className: d.option("class")?.text, hidden: d.option("hidden") != nil,
                        nonumber: d.option("nonumber") != nil, points: points, content: blocks(of: d))
    }

    /// `{solution} exercise-label`.
    func solution(_ d: Directive) -> Solution {
        requireArgument(d, "the label of the exercise it solves")
        return Solution(exercise: d.argument, label: d.option("label")?.text ?? d.option("name")?.text,
                        title: [], className: d.option("class")?.text, hidden: d.option("hidden") != nil,
                        content: blocks(of: d))
    }

    /// `[a, b]`, `a, b` or `a b` as a list of words.
    static func list(_ text: String) -> [String] {
        text.split(whereSeparator: { "[], \t".contains($0) })
            .map { $0.trimmingQuotes }
            .filter { !$0.isEmpty }
    }
}

private extension Substring {
    var trimmingQuotes: String {
        var s = self
        while let f = s.first, f == "\"" || f == "'" { s = s.dropFirst() }
        while let l = s.last, l == "\"" || l == "'" { s = s.dropLast() }
        return String(s)
    }
}
