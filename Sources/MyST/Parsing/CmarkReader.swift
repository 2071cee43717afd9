internal import CCmark

/// Converts libcmark's tree for one run of markdown into blocks and inlines.
///
/// Positions from libcmark are relative to the run; `lineOffset` and
/// `columnOffset` place them in the file. Code blocks whose info string is
/// `{name}` become directives. Nesting deeper than ``DocumentParser/maxDepth``
/// is flattened to text with a diagnostic, so that a hostile file cannot
/// exhaust the stack.
struct CmarkReader {
    let parser: DocumentParser
    let shield: InlineShield
    /// The run's lines as given to libcmark (before the inline shield, which leaves fence lines alone).
    let lines: [Substring]
    let lineOffset: Int
    let columnOffset: Int
    /// Nesting depth of the run in the document (directives add to it).
    let depth: Int

    /// Parses `text` and converts the document's children.
    func read(_ text: String) -> [Block] {
        var text = text
        let root: OpaquePointer? = text.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) {
                cmark_parse_document($0.baseAddress, $0.count, CMARK_OPT_VALIDATE_UTF8)
            }
        }
        guard let root else { return [] }
        defer { cmark_node_free(root) }
        return blocks(under: root, depth: depth)
    }

    // MARK: - Positions

    func range(_ node: OpaquePointer) -> SourceRange {
        let sl = Int(cmark_node_get_start_line(node)), sc = Int(cmark_node_get_start_column(node))
        let el = Int(cmark_node_get_end_line(node)), ec = Int(cmark_node_get_end_column(node))
        if sl <= 0 {
            var parent = cmark_node_parent(node)
            while let p = parent {
                if cmark_node_get_start_line(p) > 0 { return range(p) }
                parent = cmark_node_parent(p)
            }
            return SourceRange(file: parser.file, lines: lineOffset + 1, lineOffset + 1)
        }
        let start = shield.originalColumn(line: sl - 1, column: max(1, sc))
        let end = shield.originalColumn(line: max(sl, el) - 1, column: max(1, ec), end: true)
        return SourceRange(file: parser.file,
                           start: .init(line: sl + lineOffset, column: start + columnOffset),
                           end: .init(line: max(sl, el) + lineOffset, column: end + columnOffset))
    }

    // MARK: - Blocks

    func blocks(under parent: OpaquePointer, depth: Int) -> [Block] {
        var result: [Block] = []
        var child = cmark_node_first_child(parent)
        while let node = child {
            if let block = block(node, depth: depth) { result.append(block) }
            child = cmark_node_next(node)
        }
        return result
    }

    func block(_ node: OpaquePointer, depth: Int) -> Block? {
        let r = range(node)
        if depth > DocumentParser.maxDepth {
            return parser.tooDeep(text: plainText(node), at: r)
        }
        switch cmark_node_get_type(node) {
        case CMARK_NODE_PARAGRAPH:
            if let child = cmark_node_first_child(node), cmark_node_next(child) == nil,
               cmark_node_get_type(child) == CMARK_NODE_CODE,
               case .math(let latex, _, true)? = shield.entry(forCode: literal(child)) {
                MathCheck(parser: parser).check(latex, at: r)
                return Block(.math(MathBlock(latex: latex, label: MathCheck.label(in: latex))), range: r)
            }
            return Block(.paragraph(inlines(under: node, depth: depth)), range: r)
        case CMARK_NODE_HEADING:
            return Block(.heading(level: Int(cmark_node_get_heading_level(node)),
                                  content: inlines(under: node, depth: depth)), range: r)
        case CMARK_NODE_THEMATIC_BREAK:
            return Block(.thematicBreak, range: r)
        case CMARK_NODE_BLOCK_QUOTE:
            return Block(.blockQuote(blocks(under: node, depth: depth + 1)), range: r)
        case CMARK_NODE_LIST:
            var items: [[Block]] = []
            var child = cmark_node_first_child(node)
            while let item = child {
                items.append(blocks(under: item, depth: depth + 1))
                child = cmark_node_next(item)
            }
            let list = ListBlock(ordered: cmark_node_get_list_type(node) == CMARK_ORDERED_LIST,
                                 start: Int(cmark_node_get_list_start(node)),
                                 tight: cmark_node_get_list_tight(node) != 0, items: items)
            return Block(.list(list), range: r)
        case CMARK_NODE_CODE_BLOCK:
            return codeBlock(node, range: r, depth: depth)
        case CMARK_NODE_HTML_BLOCK:
            return Block(.html(shield.restore(literal(node)).trimmingFinalNewline), range: r)
        default:
            return nil
        }
    }

    private func codeBlock(_ node: OpaquePointer, range r: SourceRange, depth: Int) -> Block {
        let info = shield.restore(string(cmark_node_get_fence_info(node)))
        let code = shield.restore(literal(node))
        checkFenceClosed(node, range: r)
        if info.hasPrefix(ContainerFences.mathInfo) {
            let label = info.dropFirst(ContainerFences.mathInfo.count).trimmed
            let latex = code.trimmed
            MathCheck(parser: parser).check(latex, at: r)
            return Block(.math(MathBlock(latex: latex, label: label.isEmpty ? MathCheck.label(in: latex) : String(label))), range: r)
        }
        if info.hasPrefix("{"), let close = info.firstIndex(of: "}") {
            let name = info[info.index(after: info.startIndex)..<close].trimmed
            if !name.isEmpty, !name.contains(" ") {
                let argument = String(info[info.index(after: close)...].trimmed)
                let bodyLines = code.trimmingFinalNewline.lines
                return parser.directive(name: String(name), argument: argument,
                                        body: code.isEmpty ? [] : bodyLines,
                                        bodyLine: r.start.line + 1, column: r.start.column, range: r, depth: depth + 1)
            }
        }
        let words = info.trimmed.split(separator: " ", maxSplits: 1)
        let language = words.first.map(String.init) ?? ""
        let meta = words.count > 1 ? String(words[1].trimmed) : nil
        return Block(.code(CodeBlock(language: language, meta: meta, code: code.trimmingFinalNewline)), range: r)
    }

    /// Reports a fenced code block that runs to the end of its container.
    private func checkFenceClosed(_ node: OpaquePointer, range r: SourceRange) {
        let startIndex = r.start.line - lineOffset - 1, endIndex = r.end.line - lineOffset - 1
        guard lines.indices.contains(startIndex), lines.indices.contains(endIndex),
              let open = LineSyntax.codeFence(lines[startIndex]) else { return }
        guard cmark_node_get_type(cmark_node_parent(node)) == CMARK_NODE_DOCUMENT else { return }
        if endIndex == startIndex || !LineSyntax.closesFence(lines[endIndex], char: open.char, count: open.count) {
            let fence = String(repeating: Character(UnicodeScalar(open.char)), count: open.count)
            parser.report(.error, .unclosedFence, at: r, "code fence opened with \(fence) is never closed",
                          hint: "add a line with \(fence) where the block ends; it now runs to the end of the file")
        }
    }

    // MARK: - Inlines

    func inlines(under parent: OpaquePointer, depth: Int) -> [Inline] {
        var result: [Inline] = []
        var child = cmark_node_first_child(parent)
        while let node = child {
            if let inline = inline(node, depth: depth + 1) { result.append(inline) }
            child = cmark_node_next(node)
        }
        return InlineMyST(parser: parser).process(result)
    }

    func inline(_ node: OpaquePointer, depth: Int) -> Inline? {
        let r = range(node)
        if depth > DocumentParser.maxDepth * 2 {
            return Inline(.text(plainText(node)), range: r)
        }
        switch cmark_node_get_type(node) {
        case CMARK_NODE_TEXT: return Inline(.text(shield.restore(literal(node))), range: r)
        case CMARK_NODE_SOFTBREAK: return Inline(.softBreak, range: r)
        case CMARK_NODE_LINEBREAK: return Inline(.hardBreak, range: r)
        case CMARK_NODE_HTML_INLINE: return Inline(.html(shield.restore(literal(node))), range: r)
        case CMARK_NODE_EMPH: return Inline(.emphasis(inlines(under: node, depth: depth)), range: r)
        case CMARK_NODE_STRONG: return Inline(.strong(inlines(under: node, depth: depth)), range: r)
        case CMARK_NODE_CODE:
            let code = literal(node)
            if let entry = shield.entry(forCode: code) { return parser.inlineEntry(entry, range: r) }
            return Inline(.code(shield.restore(code)), range: r)
        case CMARK_NODE_LINK:
            let link = Link(url: shield.restore(string(cmark_node_get_url(node))),
                            title: shield.restore(string(cmark_node_get_title(node))),
                            content: inlines(under: node, depth: depth))
            return Inline(.link(link), range: r)
        case CMARK_NODE_IMAGE:
            let alt = inlines(under: node, depth: depth).map(\.plainText).joined()
            return Inline(.image(Image(url: shield.restore(string(cmark_node_get_url(node))),
                                       title: shield.restore(string(cmark_node_get_title(node))), alt: alt)), range: r)
        default:
            return nil
        }
    }

    // MARK: - Text

    private func literal(_ node: OpaquePointer) -> String { string(cmark_node_get_literal(node)) }

    private func string(_ pointer: UnsafePointer<CChar>?) -> String {
        guard let pointer else { return "" }
        return String(cString: pointer)
    }

    /// The text of a subtree, gathered without recursion.
    func plainText(_ node: OpaquePointer) -> String {
        var text = ""
        guard let iterator = cmark_iter_new(node) else { return text }
        defer { cmark_iter_free(iterator) }
        while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
            guard event == CMARK_EVENT_ENTER, let current = cmark_iter_get_node(iterator) else { continue }
            switch cmark_node_get_type(current) {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE, CMARK_NODE_CODE_BLOCK: text += shield.restore(literal(current))
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK, CMARK_NODE_PARAGRAPH: text += "\n"
            default: break
            }
        }
        return text.trimmed
    }
}

extension String {
    /// The string without one final `\n`.
    var trimmingFinalNewline: String {
        hasSuffix("\n") ? String(dropLast()) : self
    }
}
