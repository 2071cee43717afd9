/// mdast for directives: a `mystDirective` node whose children are its meaning.
extension MDASTExporter {
    func directive(_ d: Directive, range r: SourceRange) -> JSON {
        let value = d.body.trimmed
        guard let children = meaning(of: d, range: r) else {
            return node("mystDirective", [("name", .string(d.name)), ("args", d.argument.isEmpty ? nil : .string(d.argument)),
                                          ("value", value.isEmpty ? nil : .string(value))], range: r)
        }
        let options: JSON? = d.options.isEmpty ? nil : .object(d.options.map { option in
            switch option.value {
            case .string(let s): return (option.name, .string(s))
            case .int(let i): return (option.name, .int(i))
            case .flag: return (option.name, .bool(true))
            }
        })
        return node("mystDirective", [("name", .string(d.name)), ("args", d.argument.isEmpty ? nil : .string(d.argument)),
                                      ("options", options), ("value", value.isEmpty ? nil : .string(value)),
                                      ("children", .array(children))], range: r)
    }

    /// The nodes a known directive stands for; nil for an unknown one.
    private func meaning(of d: Directive, range r: SourceRange) -> [JSON]? {
        switch d.content {
        case .unknown:
            return nil
        case .admonition(let a):
            let title: [JSON] = a.title.map { [node("admonitionTitle", [("children", .array(inlines($0)))], range: r)] } ?? []
            if d.name == "dropdown" {
                return [node("details", [("open", d.option("open") != nil ? .bool(true) : nil),
                                         ("children", .array([node("summary", [("children", .array(inlines(a.title ?? [])))], range: r)]
                                                             + blocks(a.content)))], range: r)]
            }
            return [node("admonition", [("kind", a.kind.map { .string($0) }), ("class", a.className.map { .string($0) }),
                                        ("children", .array(title + blocks(a.content)))], range: r)]
        case .figure(let f):
            var children = [image(f.image, range: r)]
            if !f.caption.isEmpty { children.append(node("caption", [("children", .array(blocks(f.caption)))], range: r)) }
            if !f.legend.isEmpty { children.append(node("legend", [("children", .array(blocks(f.legend)))], range: r)) }
            return [node("container", [("kind", .string("figure"))] + labelled(f.label) + [("children", .array(children))], range: r)]
        case .image(let i):
            return [image(i, range: r)]
        case .code(let c):
            return [code(c, range: r)]
        case .math(let m):
            return [math(m, range: r)]
        case .table(let t):
            var children: [JSON] = []
            if !t.caption.isEmpty {
                children.append(node("caption", [("children", .array([node("paragraph", [("children", .array(inlines(t.caption)))], range: r)]))], range: r))
            }
            children.append(table(t.table, range: r))
            return [node("container", [("kind", .string("table"))] + labelled(t.label) + [("children", .array(children))], range: r)]
        case .codeCell(let c):
            let tags = c.tags.map(\.rawValue) + c.otherTags
            let code = node("code", [("lang", .string(c.language)), ("executable", .bool(c.isExecutable)),
                                     ("value", .string(c.code))], range: r)
            return [node("block", [("kind", .string("notebook-code"))] + labelled(c.label)
                         + [("data", tags.isEmpty ? nil : .object([("tags", .array(tags.map { .string($0) }))])),
                            ("children", .array([code]))], range: r)]
        case .exercise(let e):
            let title: [JSON] = e.title.isEmpty ? [] : [node("admonitionTitle", [("children", .array(inlines(e.title)))], range: r)]
            return [node("exercise", labelled(e.label) + [
                ("class", e.className.map { .string($0) }), ("hidden", e.hidden ? .bool(true) : nil),
                ("enumerated", .bool(!e.nonumber)), ("points", e.points.map { .int($0) }),
                ("children", .array(title + blocks(e.content))),
            ], range: r)]
        case .solution(let s):
            return [node("solution", labelled(s.label) + [
                ("exercise", .string(s.exercise)), ("class", s.className.map { .string($0) }),
                ("hidden", s.hidden ? .bool(true) : nil), ("children", .array(blocks(s.content))),
            ], range: r)]
        case .glue(let g, let caption):
            let glued = glue(g, range: r)
            if g.format == .figure {
                var children = [glued]
                if !caption.isEmpty { children.append(node("caption", [("children", .array(blocks(caption)))], range: r)) }
                return [node("container", [("kind", .string("figure"))] + labelled(d.option("name")?.text)
                             + [("children", .array(children))], range: r)]
            }
            return [glued] + blocks(caption)
        case .container(let c):
            return blocks(c)
        }
    }

    func image(_ i: Image, range: SourceRange?) -> JSON {
        node("image", [("url", .string(i.url)), ("alt", i.alt.isEmpty ? nil : .string(i.alt)),
                       ("title", i.title.isEmpty ? nil : .string(i.title)), ("class", i.className.map { .string($0) }),
                       ("width", i.width.map { .string($0) }), ("height", i.height.map { .string($0) }),
                       ("align", i.align.map { .string($0) })], range: range)
    }

    func glue(_ g: Glue, range: SourceRange?) -> JSON {
        node("glue", [("key", .string(g.key)), ("format", .string(g.format.rawValue)),
                      ("spec", g.spec.map { .string($0) })], range: range)
    }
}
