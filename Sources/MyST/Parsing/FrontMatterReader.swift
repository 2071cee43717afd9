import Yams

/// Reads the YAML front matter between `---` lines at the top of a chapter.
struct FrontMatterReader {
    let parser: DocumentParser

    /// The front matter if the first line is `---` and a closing `---` or `...` follows.
    ///
    /// Only a YAML mapping (or text that fails to parse as YAML, reported) counts:
    /// `---` lines around a plain line are a thematic break and a setext heading.
    func read(_ lines: [Substring]) -> FrontMatter? {
        guard let first = lines.first, first.trimmed == "---" else { return nil }
        guard let close = lines.indices.dropFirst().first(where: { lines[$0].trimmed == "---" || lines[$0].trimmed == "..." })
        else { return nil }
        let raw = lines[1..<close].joined(separator: "\n")
        guard !raw.trimmed.isEmpty else { return nil }
        let range = SourceRange(file: parser.file, lines: 1, close + 1)
        do {
            guard let node = try Yams.compose(yaml: raw) else { return nil }
            let value = Self.convert(node)
            guard case .mapping = value else { return nil }
            return FrontMatter(raw: raw, values: value, range: range)
        } catch {
            report(error, range: range)
            return FrontMatter(raw: raw, values: .mapping([]), range: range)
        }
    }

    private func report(_ error: Error, range: SourceRange) {
        var at = range
        var problem = Self.describe(error)
        if let yamlError = error as? YamlError {
            switch yamlError {
            case .scanner(_, let p, let mark, _), .parser(_, let p, let mark, _), .composer(_, let p, let mark, _):
                // Marks are 1-based within the YAML, which starts on the file's line 2.
                at.start = .init(line: mark.line + 1, column: max(1, mark.column))
                problem = p
            default: break
            }
        }
        parser.report(.error, .invalidFrontMatter, at: at, "front matter is not valid YAML: \(problem)",
                      hint: "fix the YAML between the '---' lines; its values are ignored until then")
    }

    private static func describe(_ error: Error) -> String {
        let text = String(describing: error)
        return text.split(separator: "\n").first.map(String.init) ?? text
    }

    /// Converts a Yams node, resolving plain scalars to bool, int, double or string.
    static func convert(_ node: Node) -> MetadataValue {
        switch node {
        case .scalar(let scalar):
            if scalar.style != .plain { return .string(scalar.string) }
            if let b = Bool.construct(from: scalar) { return .bool(b) }
            if let i = Int.construct(from: scalar) { return .int(i) }
            if let d = Double.construct(from: scalar) { return .double(d) }
            if scalar.string == "~" || scalar.string == "null" || scalar.string.isEmpty { return .null }
            return .string(scalar.string)
        case .sequence(let sequence):
            return .array(sequence.map(convert))
        case .mapping(let mapping):
            return .mapping(mapping.map { (key: $0.key.string ?? "", value: convert($0.value)) })
        }
    }
}
