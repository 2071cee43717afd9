/// Gathers the labels a document defines and reports duplicates.
struct LabelCollector {
    let parser: DocumentParser

    func collect(_ blocks: [Block]) -> [Label] {
        var labels: [Label] = []
        gather(blocks, into: &labels, depth: 0)
        var seen: [String: Label] = [:]
        for label in labels {
            if let first = seen[label.identifier] {
                parser.report(.warning, .duplicateLabel, at: label.range,
                              "label '\(label.name)' is already defined at \(first.range.start)",
                              hint: "rename one of them; references go to the first")
            } else {
                seen[label.identifier] = label
            }
        }
        return labels
    }

    private func gather(_ blocks: [Block], into labels: inout [Label], depth: Int) {
        guard depth <= DocumentParser.maxDepth * 2 else { return }
        for (index, block) in blocks.enumerated() {
            switch block.kind {
            case .target(let name):
                let next = blocks.dropFirst(index + 1).first { if case .comment = $0.kind { return false }; return true }
                labels.append(Label(name: name, kind: kind(of: next), range: block.range))
            case .math(let math):
                if let name = math.label { labels.append(Label(name: name, kind: .equation, range: block.range)) }
            case .directive(let directive):
                if let (name, kind) = label(of: directive) {
                    labels.append(Label(name: name, kind: kind, range: block.range))
                }
            default:
                break
            }
            if block.hasChildBlocks { gather(block.children.blocks, into: &labels, depth: depth + 1) }
        }
    }

    private func kind(of block: Block?) -> Label.Kind {
        guard let block else { return .section }
        switch block.kind {
        case .heading: return .heading
        case .math: return .equation
        case .table: return .table
        case .code: return .code
        case .directive(let d): return label(of: d)?.1 ?? .block
        default: return .block
        }
    }

    private func label(of directive: Directive) -> (String, Label.Kind)? {
        switch directive.content {
        case .figure(let f): return f.label.map { ($0, .figure) }
        case .table(let t): return t.label.map { ($0, .table) }
        case .math(let m): return m.label.map { ($0, .equation) }
        case .code(let c): return c.label.map { ($0, .code) }
        case .codeCell(let c): return c.label.map { ($0, .code) }
        case .exercise(let e): return e.label.map { ($0, .exercise) }
        case .solution(let s): return s.label.map { ($0, .solution) }
        case .glue(let g, _) where g.format == .figure:
            return (directive.option("name") ?? directive.option("label")).map { ($0.text, .figure) }
        default:
            let name = directive.option("name") ?? directive.option("label")
            return name.map { ($0.text, .block) }
        }
    }
}
