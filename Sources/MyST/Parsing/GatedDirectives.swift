/// sphinx-exercise's gated form: `{exercise-start}` ... `{exercise-end}`.
///
/// In a notebook, code cells cannot sit inside a directive, so an exercise
/// (or solution) that holds cells is written as a start and an end directive
/// around ordinary blocks. This pass folds the blocks between them into the
/// exercise's content, so that later stages see one `{exercise}` either way.
struct GatedDirectives {
    let parser: DocumentParser

    func fold(_ blocks: [Block]) -> [Block] {
        guard blocks.contains(where: { gate(of: $0) != nil }) else { return blocks }
        var result: [Block] = []
        var index = 0
        while index < blocks.count {
            let block = blocks[index]
            guard let (kind, isStart) = gate(of: block) else { result.append(block); index += 1; continue }
            guard isStart else {
                parser.report(.warning, .malformedDirective, at: block.range, "{\(kind)-end} without {\(kind)-start}",
                              hint: "remove it, or add ```{\(kind)-start} before the blocks it closes")
                index += 1
                continue
            }
            guard let end = matchingEnd(blocks, from: index + 1, kind: kind) else {
                parser.report(.error, .unclosedFence, at: block.range, "{\(kind)-start} is never ended",
                              hint: "add ```{\(kind)-end}``` after the \(kind)'s last block; it now holds nothing")
                result.append(block)
                index += 1
                continue
            }
            let inner = fold(Array(blocks[(index + 1)..<end]))
            result.append(folded(block, content: inner, end: blocks[end].range.end))
            index = end + 1
        }
        return result
    }

    /// (`exercise` or `solution`, is it the start) for a gate directive.
    private func gate(of block: Block) -> (String, Bool)? {
        guard case .directive(let d) = block.kind else { return nil }
        switch d.name {
        case "exercise-start": return ("exercise", true)
        case "exercise-end": return ("exercise", false)
        case "solution-start": return ("solution", true)
        case "solution-end": return ("solution", false)
        default: return nil
        }
    }

    private func matchingEnd(_ blocks: [Block], from start: Int, kind: String) -> Int? {
        var depth = 0
        for i in start..<blocks.count {
            guard let (k, isStart) = gate(of: blocks[i]), k == kind else { continue }
            if isStart { depth += 1 } else if depth == 0 { return i } else { depth -= 1 }
        }
        return nil
    }

    private func folded(_ block: Block, content: [Block], end: SourceLocation) -> Block {
        guard case .directive(var d) = block.kind else { return block }
        switch d.content {
        case .exercise(var e): e.content += content; d.content = .exercise(e)
        case .solution(var s): s.content += content; d.content = .solution(s)
        default: break
        }
        var range = block.range
        range.end = end
        return Block(.directive(d), range: range)
    }
}
