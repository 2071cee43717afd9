/// Interprets a role's name and content.
struct RoleBuilder {
    let parser: DocumentParser

    /// Roles shown as code.
    static let codeRoles: Set<String> = ["code", "kbd", "samp", "command", "file", "literal"]

    func role(name: String, value: String, range: SourceRange) -> Role {
        let content: Role.Content
        switch name {
        case "ref", "numref", "eq", "doc", "term", "download":
            content = .crossReference(crossReference(kind: name, value: value, range: range))
        case "abbr":
            content = abbreviation(value, range: range)
        case "sub", "subscript":
            content = .subscript([Inline(.text(value), range: range)])
        case "sup", "superscript":
            content = .superscript([Inline(.text(value), range: range)])
        case "math":
            MathCheck(parser: parser).check(value, at: range)
            content = .math(value)
        case "glue", "glue:", "glue:any":
            content = .glue(Glue(key: value.trimmed, format: .any))
        case "glue:text":
            let parts = value.trimmed.split(separator: ":", maxSplits: 1)
            content = .glue(Glue(key: parts.first.map(String.init) ?? "", format: .text,
                                 spec: parts.count > 1 ? String(parts[1]) : nil))
        case "glue:md":
            content = .glue(Glue(key: value.trimmed, format: .markdown))
        case _ where Self.codeRoles.contains(name):
            content = .code(value)
        default:
            parser.report(.warning, .unknownRole, at: range, "unknown role {\(name)}; it is shown as written",
                          hint: "known roles: ref, numref, eq, doc, math, abbr, sub, sup, glue, glue:text, code")
            content = .unknown
        }
        return Role(name: name, value: value, content: content)
    }

    /// `label` or `text <label>`.
    private func crossReference(kind: String, value: String, range: SourceRange) -> CrossReference {
        if value.hasSuffix(">"), let open = value.lastIndex(of: "<") {
            let label = String(value[value.index(after: open)..<value.index(before: value.endIndex)])
            let text = String(value[..<open]).trimmed
            if !text.isEmpty {
                return CrossReference(kind: kind, label: label, text: text,
                                      content: [Inline(.text(text), range: range)])
            }
        }
        return CrossReference(kind: kind, label: value, text: nil)
    }

    /// `CSS (Cascading Style Sheets)`: the title is the last parenthesis at the end.
    private func abbreviation(_ value: String, range: SourceRange) -> Role.Content {
        let trimmed = value.trimmed
        if trimmed.hasSuffix(")"), let open = trimmed.lastIndex(of: "(") {
            let title = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]).trimmed
            let text = String(trimmed[..<open]).trimmed
            return .abbreviation(title: title, content: [Inline(.text(text), range: range)])
        }
        return .abbreviation(title: "", content: [Inline(.text(trimmed), range: range)])
    }
}
