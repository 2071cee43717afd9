import Yams

/// The options each known directive accepts, and how their values are read.
enum OptionKind {
    /// Any text.
    case text
    /// A whole number.
    case int
    /// A flag: present or not (`:linenos:`).
    case flag
}

/// Known directives and their options.
enum DirectiveSpec {
    static let common: [String: OptionKind] = ["name": .text, "class": .text, "label": .text]

    static let admonition: [String: OptionKind] = [:]
    static let image: [String: OptionKind] = [
        "alt": .text, "width": .text, "height": .text, "align": .text, "scale": .text, "target": .text,
    ]
    static let figure = image.merging(["figwidth": .text, "figclass": .text]) { a, _ in a }
    static let code: [String: OptionKind] = [
        "number-lines": .int, "linenos": .flag, "lineno-start": .int, "emphasize-lines": .text,
        "caption": .text, "dedent": .int, "force": .flag, "filename": .text,
    ]
    static let table: [String: OptionKind] = [
        "header-rows": .int, "stub-columns": .int, "widths": .text, "width": .text, "align": .text,
    ]
    static let codeCell: [String: OptionKind] = [
        "tags": .text, "caption": .text, "load": .text, "linenos": .flag, "emphasize-lines": .text, "progression": .text,
    ]
    static let exercise: [String: OptionKind] = ["hidden": .flag, "nonumber": .flag, "points": .int, "starter": .text, "difficulty": .text]
    static let solution: [String: OptionKind] = ["hidden": .flag]
    /// The parts of an exercise: `{starter}`, `{setup}`, `{check}`, `{question}`.
    static let starter: [String: OptionKind] = ["filename": .text]
    static let check: [String: OptionKind] = ["points": .int, "hidden": .flag]
    static let question: [String: OptionKind] = ["answer": .text, "tolerance": .text, "points": .int]
    static let dropdown: [String: OptionKind] = ["open": .flag, "color": .text, "icon": .text]
    static let math: [String: OptionKind] = ["nowrap": .flag, "enumerated": .flag]
    static let glue: [String: OptionKind] = ["figwidth": .text, "figclass": .text, "alt": .text, "align": .text]
    /// Directives whose body is plain markdown.
    static let containers: Set<String> = [
        "div", "container", "margin", "sidebar", "epigraph", "pull-quote", "topic", "card", "aside", "blockquote",
    ]

    /// The options of directive `name`, or nil for an unknown directive.
    static func options(of name: String) -> [String: OptionKind]? {
        let own: [String: OptionKind]?
        switch name {
        case _ where Admonition.kinds.contains(name) || name == "admonition": own = admonition
        case "figure": own = figure
        case "image": own = image
        case "code", "code-block", "sourcecode": own = code
        case "math": own = math
        case "list-table", "table": own = table
        case "code-cell": own = codeCell
        case "exercise", "exercise-start": own = exercise
        case "solution", "solution-start": own = solution
        case "exercise-end", "solution-end": own = [:]
        case "starter", "setup": own = starter
        case "check": own = check
        case "question": own = question
        case "dropdown": own = dropdown
        case "glue", "glue:figure", "glue:any", "glue:md", "glue:math": own = glue
        case _ where containers.contains(name): own = [:]
        default: own = nil
        }
        return own?.merging(common) { a, _ in a }
    }
}

/// Reads the option block at the start of a directive's body.
struct OptionReader {
    let parser: DocumentParser
    let directive: String
    let spec: [String: OptionKind]

    /// The options and the index of the first body line after them.
    func read(_ body: [Substring], bodyLine: Int, column: Int) -> ([Directive.Option], Int) {
        var raw: [(String, String?, Int)] = []
        var index = 0
        if body.first?.trimmed == "---", let close = body.indices.dropFirst().first(where: { body[$0].trimmed == "---" }) {
            let yaml = body[1..<close].joined(separator: "\n")
            if let node = try? Yams.compose(yaml: yaml), case .mapping(let pairs) = FrontMatterReader.convert(node) {
                for (key, value) in pairs { raw.append((key, Self.text(value), bodyLine)) }
            } else {
                parser.report(.error, .badOptionValue, at: at(bodyLine, column), "{\(directive)} option block is not a YAML mapping",
                              hint: "write 'key: value' lines between the '---' lines")
            }
            index = close + 1
        } else {
            while index < body.count, let (key, value) = Self.optionLine(body[index]) {
                raw.append((key, value, bodyLine + index))
                index += 1
            }
        }
        if index > 0, index < body.count, LineSyntax.isBlank(body[index]) { index += 1 }
        return (raw.map { typed($0.0, $0.1, line: $0.2, column: column) }, index)
    }

    private func at(_ line: Int, _ column: Int) -> SourceRange {
        SourceRange(file: parser.file, lines: line, line, column: column)
    }

    /// `:key: value` → (key, value); `:key:` → (key, nil).
    static func optionLine(_ line: Substring) -> (String, String?)? {
        let text = line.trimmed
        guard text.hasPrefix(":"), text.count > 2 else { return nil }
        let rest = text.dropFirst()
        guard let colon = rest.firstIndex(of: ":") else { return nil }
        let key = rest[..<colon]
        guard !key.isEmpty, !key.contains(" ") else { return nil }
        let value = rest[rest.index(after: colon)...].trimmed
        return (String(key), value.isEmpty ? nil : String(value))
    }

    private static func text(_ value: MetadataValue) -> String? {
        switch value {
        case .null: return nil
        case .bool(true): return nil
        case .array(let items): return "[" + items.compactMap(\.text).joined(separator: ", ") + "]"
        default: return value.text ?? ""
        }
    }

    private func typed(_ key: String, _ value: String?, line: Int, column: Int) -> Directive.Option {
        // An explorer cell's parameters: `:explore-NAME: values`.
        guard let kind = spec[key] ?? (directive == "code-cell" && key.hasPrefix("explore-") ? .text : nil) else {
            parser.report(.warning, .unknownOption, at: at(line, column), "{\(directive)} has no option '\(key)'; it is ignored",
                          hint: "known options: " + spec.keys.sorted().joined(separator: ", "))
            return .init(name: key, value: value.map { .string($0) } ?? .flag)
        }
        switch kind {
        case .flag:
            if let value, !["true", "yes", ""].contains(value.lowercased()) {
                parser.report(.warning, .badOptionValue, at: at(line, column), "option '\(key)' of {\(directive)} is a flag, not '\(value)'",
                              hint: "write ':\(key):' alone to set it, or leave it out")
            }
            return .init(name: key, value: .flag)
        case .int:
            guard let value else { return .init(name: key, value: .flag) }
            if let number = Int(value) { return .init(name: key, value: .int(number)) }
            parser.report(.warning, .badOptionValue, at: at(line, column),
                          "option '\(key)' of {\(directive)} needs a whole number, not '\(value)'",
                          hint: "write for example ':\(key): 1'")
            return .init(name: key, value: .string(value))
        case .text:
            return .init(name: key, value: value.map { .string($0) } ?? .flag)
        }
    }
}
