/// MyST inline syntax applied to libcmark's inlines: footnote references and
/// unclosed roles in text; roles and math come back from ``InlineShield``.
struct InlineMyST {
    let parser: DocumentParser

    /// Merges adjacent text, finds `[^label]` references and reports roles without a closing backtick.
    func process(_ inlines: [Inline]) -> [Inline] {
        var merged: [Inline] = []
        merged.reserveCapacity(inlines.count)
        for inline in inlines {
            if case .text(let b) = inline.kind, let last = merged.last, case .text(let a) = last.kind {
                var range = last.range
                range.end = max(range.end, inline.range.end)
                merged[merged.count - 1] = Inline(.text(a + b), range: range)
            } else {
                merged.append(inline)
            }
        }
        var result: [Inline] = []
        result.reserveCapacity(merged.count)
        for inline in merged {
            guard case .text(let text) = inline.kind else { result.append(inline); continue }
            if text.containsBytes(UInt8(ascii: "}"), UInt8(ascii: "`")) { reportUnclosedRole(in: text, at: inline.range) }
            if text.containsBytes(UInt8(ascii: "["), UInt8(ascii: "^")) { result += footnoteReferences(in: text, range: inline.range) } else { result.append(inline) }
        }
        return result
    }

    private func footnoteReferences(in text: String, range: SourceRange) -> [Inline] {
        var result: [Inline] = []
        var rest = text[...]
        while let open = rest.range(of: "[^") {
            let after = rest[open.upperBound...]
            guard let close = after.firstIndex(of: "]") else { break }
            let label = after[..<close]
            if label.isEmpty || label.contains(where: { $0 == " " || $0 == "\n" || $0 == "[" }) {
                result.append(Inline(.text(String(rest[..<open.upperBound])), range: range))
                rest = after
                continue
            }
            if open.lowerBound > rest.startIndex { result.append(Inline(.text(String(rest[..<open.lowerBound])), range: range)) }
            result.append(Inline(.footnoteReference(label: String(label)), range: range))
            rest = after[after.index(after: close)...]
        }
        if !rest.isEmpty { result.append(Inline(.text(String(rest)), range: range)) }
        // Re-merge text pieces that were split at rejected openings.
        var merged: [Inline] = []
        for inline in result {
            if case .text(let b) = inline.kind, let last = merged.last, case .text(let a) = last.kind {
                merged[merged.count - 1] = Inline(.text(a + b), range: range)
            } else {
                merged.append(inline)
            }
        }
        return merged
    }

    private func reportUnclosedRole(in text: String, at range: SourceRange) {
        guard let end = text.range(of: "}`"), let open = text[..<end.lowerBound].lastIndex(of: "{") else { return }
        let name = text[text.index(after: open)..<end.lowerBound]
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_:+.".contains($0) }) else { return }
        parser.report(.warning, .unclosedRole, at: range, "role {\(name)} has no closing backtick; it is shown as text",
                      hint: "close the role's content with the same number of backticks that open it")
    }
}

extension DocumentParser {
    /// The inline for a span protected by ``InlineShield``: inline math or a role.
    func inlineEntry(_ entry: InlineShield.Entry, range: SourceRange) -> Inline {
        switch entry {
        case .math(let latex, _, _):
            MathCheck(parser: self).check(latex, at: range)
            return Inline(.math(latex), range: range)
        case .role(let name, let value, _):
            return Inline(.role(RoleBuilder(parser: self).role(name: name, value: value, range: range)), range: range)
        }
    }
}
