/// The references a chapter makes, for the cross-referencing stage.
extension Document {
    /// Every reference in source order: `{ref}`, `{numref}`, `{eq}`, `{doc}` roles, and
    /// markdown links whose destination is a label defined in this chapter
    /// (`[text](label)` or `[](#label)`), reported with kind `link`.
    ///
    /// References to labels of other chapters are resolved when all chapters are known.
    public var crossReferences: [(reference: CrossReference, range: SourceRange)] {
        let defined = Set(labels.map(\.identifier))
        var found: [(CrossReference, SourceRange)] = []
        let onInline: (Inline) -> Void = { inline in
            switch inline.kind {
            case .role(let role):
                if case .crossReference(let x) = role.content { found.append((x, inline.range)) }
            case .link(let link):
                let target = link.url.hasPrefix("#") ? String(link.url.dropFirst()) : link.url
                if defined.contains(Labels.normalize(target)) {
                    found.append((CrossReference(kind: "link", label: target, text: nil, content: link.content), inline.range))
                }
            default:
                break
            }
        }
        withoutActuallyEscaping(onInline) { onInline in
            var walker = ClosureWalker(onBlock: { _ in }, onInline: onInline)
            walker.walk(self)
        }
        return found
    }
}
