import Foundation

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
        var cell = CodeCell(language: language, code: d.body, codeLine: d.bodyLine, tags: tags, otherTags: other,
                            label: d.option("label")?.text ?? d.option("name")?.text, caption: d.option("caption")?.text)
        cell.explore = explore(d, cell: cell)
        return cell
    }

    /// The `:explore-NAME:` options of a code cell, checked: each domain
    /// finite, non-empty, without repeats, one default; the progression one
    /// of them, of increasing whole numbers; every `explore.int("NAME")`
    /// (and `double`, `string`, `progression`) the code reads declared.
    func explore(_ d: Directive, cell: CodeCell) -> Explore? {
        var parameters: [Explore.Parameter] = []
        for option in d.options where option.name.hasPrefix("explore-") {
            let name = String(option.name.dropFirst("explore-".count))
            guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }), !name.isEmpty else {
                parser.report(.error, .badExplore, at: range, "'\(name)' is not a parameter name",
                              hint: "use letters, digits, '_' and '-': :explore-layers: 2, 4, 8")
                continue
            }
            if case .flag = option.value {
                parser.report(.error, .badExplore, at: range, "explore parameter '\(name)' needs a list of values",
                              hint: "e.g. :explore-\(name): 2, *4, 8 (the starred value is the default)")
                continue
            }
            if let p = parameter(name, option.value.text) { parameters.append(p) }
        }
        let progression = d.option("progression")?.text
        let reads = Self.exploreReads(cell.code)
        guard !parameters.isEmpty else {
            if progression != nil {
                parser.report(.error, .badExplore, at: range, ":progression: needs the parameter it names, declared as :explore-\(progression!): v1, v2, ...")
            }
            if let first = reads.first {
                parser.report(.error, .badExplore, at: range, "the cell reads explore parameter '\(first)' but declares no parameters",
                              hint: "declare it: :explore-\(first): v1, v2, ...")
            }
            return nil
        }
        if cell.tags.contains(.raisesException) || cell.tags.contains(.skipExecution) || cell.language != "swift" {
            parser.report(.error, .badExplore, at: range, "an explorer cell must be a Swift cell that runs",
                          hint: "remove raises-exception or skip-execution, or the :explore-: options")
        }
        let names = Set(parameters.map(\.name))
        if Set(parameters.map { $0.name.lowercased() }).count != parameters.count {
            parser.report(.error, .badExplore, at: range, "two explore parameters have the same name")
        }
        if let progression {
            if let i = parameters.firstIndex(where: { $0.name == progression }) {
                let p = parameters[i]
                // A progression shows its end unless a value is starred.
                if d.option("explore-" + progression)?.text.contains("*") != true { parameters[i].defaultIndex = p.values.count - 1 }
                let steps = p.values.map { Int($0) }
                if steps.contains(where: { $0 == nil }) || zip(steps, steps.dropFirst()).contains(where: { $0! >= $1! }) {
                    parser.report(.error, .badExplore, at: range, "the progression '\(progression)' needs increasing whole numbers, not \(p.values.joined(separator: ", "))",
                                  hint: "for example :explore-\(progression): 250, 500, 1000 or 0...1000 by 100")
                }
            } else {
                parser.report(.error, .badExplore, at: range, ":progression: names '\(progression)', which is not a parameter",
                              hint: "parameters: " + parameters.map(\.name).joined(separator: ", "))
            }
        }
        for name in reads where !names.contains(name) {
            parser.report(.error, .badExplore, at: range, "the cell reads explore parameter '\(name)', which it does not declare",
                          hint: "declare it: :explore-\(name): v1, v2, ... (declared: \(parameters.map(\.name).joined(separator: ", ")))")
        }
        return Explore(parameters: parameters, progression: progression)
    }

    /// One parameter's values: `v1, *v2, v3` or `a...b by s`.
    func parameter(_ name: String, _ text: String) -> Explore.Parameter? {
        var values: [String] = []
        var defaultIndex: Int?
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let dots = trimmed.range(of: "...") {
            let low = trimmed[..<dots.lowerBound].trimmingCharacters(in: .whitespaces)
            let rest = trimmed[dots.upperBound...]
            let parts = rest.components(separatedBy: " by ")
            let high = parts[0].trimmingCharacters(in: .whitespaces)
            let step = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : "1"
            guard let a = Int(low), let b = Int(high), let s = Int(step), s > 0, b >= a, (b - a) / s < 1000 else {
                parser.report(.error, .badExplore, at: range, "explore parameter '\(name)': '\(text)' is not a range of whole numbers",
                              hint: "write a...b by s with a <= b and s > 0, e.g. 0...1000 by 100, or list the values")
                return nil
            }
            values = stride(from: a, through: b, by: s).map(String.init)
            defaultIndex = values.count - 1
        } else {
            for (i, raw) in trimmed.split(separator: ",").enumerated() {
                var value = raw.trimmingCharacters(in: .whitespaces)
                if value.hasPrefix("*") {
                    value.removeFirst()
                    value = value.trimmingCharacters(in: .whitespaces)
                    if defaultIndex != nil {
                        parser.report(.error, .badExplore, at: range, "explore parameter '\(name)' marks two defaults with '*'")
                    }
                    defaultIndex = i
                }
                values.append(value)
            }
        }
        if values.isEmpty || values.contains(where: \.isEmpty) {
            parser.report(.error, .badExplore, at: range, "explore parameter '\(name)' needs a list of values, not '\(text)'",
                          hint: "e.g. :explore-\(name): 2, *4, 8 (the starred value is the default)")
            return nil
        }
        if let bad = values.first(where: { $0.contains(where: { "|;,=@>/ \t".contains($0) }) }) {
            parser.report(.error, .badExplore, at: range, "explore parameter '\(name)' has the value '\(bad)'; values are single words or numbers")
            return nil
        }
        if Set(values).count != values.count {
            parser.report(.error, .badExplore, at: range, "explore parameter '\(name)' lists a value twice: \(values.joined(separator: ", "))")
            return nil
        }
        return Explore.Parameter(name: name, values: values, defaultIndex: defaultIndex ?? 0)
    }

    /// The parameter names the code reads: `explore.int("NAME")` and its kin.
    static func exploreReads(_ code: String) -> [String] {
        var names: [String] = []
        var rest = Substring(code)
        while let r = rest.range(of: "explore.") {
            rest = rest[r.upperBound...]
            let method = rest.prefix { $0.isLetter }
            guard ["int", "double", "string", "progression"].contains(String(method)) else { continue }
            var after = rest.dropFirst(method.count)
            guard after.hasPrefix("(\"") else { continue }
            after = after.dropFirst(2)
            let name = after.prefix { $0 != "\"" && $0 != "\n" }
            if !name.isEmpty && !names.contains(String(name)) { names.append(String(name)) }
        }
        return names
    }

    /// `{exercise} Title` with sphinx-exercise's options and the grading options.
    func exercise(_ d: Directive) -> Exercise {
        var points: Int?
        if case .int(let n) = d.option("points") { points = n }
        var difficulty: Exercise.Difficulty?
        if let text = d.option("difficulty")?.text {
            difficulty = Exercise.Difficulty(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased())
            if difficulty == nil {
                parser.report(.warning, .badOptionValue, at: range, "':difficulty: \(text)' is not a difficulty",
                              hint: "use one of " + Exercise.Difficulty.allCases.map(\.rawValue).joined(separator: ", "))
            }
        }
        return Exercise(label: d.option("label")?.text ?? d.option("name")?.text,
                        title: d.argument.isEmpty ? [] : inlines(d.argument),
                        className: d.option("class")?.text, hidden: d.option("hidden") != nil,
                        nonumber: d.option("nonumber") != nil, points: points, difficulty: difficulty,
                        content: blocks(of: d))
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
