/// Parses one chapter: front matter, MyST block constructs, markdown runs.
///
/// The parser holds what is shared while a document is read (the file name
/// and the diagnostics found so far); the work is spread over
/// ``BlockScanner`` (MyST line syntax), ``CmarkReader`` (CommonMark through
/// libcmark), ``InlineMyST`` (roles, math, footnote references) and the
/// directive builders.
final class DocumentParser {
    /// Deepest nesting of blocks converted as such; deeper content becomes text.
    static let maxDepth = 32

    let file: String
    private(set) var diagnostics: [Diagnostic] = []

    init(file: String) {
        self.file = file
    }

    func report(_ severity: Diagnostic.Severity, _ code: Diagnostic.Code, at range: SourceRange,
                _ message: String, hint: String? = nil) {
        diagnostics.append(Diagnostic(severity, code, at: range, message, hint: hint))
    }

    /// Parses a whole chapter.
    func parse(_ source: String) -> Document {
        let text = Self.normalize(source)
        let lines = text.lines
        var body = lines[...]
        var firstLine = 1
        let frontMatter = FrontMatterReader(parser: self).read(lines)
        if let frontMatter {
            body = lines[(frontMatter.range.end.line)...]
            firstLine = frontMatter.range.end.line + 1
        }
        let blocks = parseBlocks(Array(body), firstLine: firstLine, column: 1, depth: 0)
        let labels = LabelCollector(parser: self).collect(blocks)
        let sorted = diagnostics.enumerated().sorted {
            ($0.element.range.start, $0.offset) < ($1.element.range.start, $1.offset)
        }.map(\.element)
        return Document(file: file, frontMatter: frontMatter, blocks: blocks, labels: labels, diagnostics: sorted)
    }

    /// Line endings to `\n`; NUL to U+FFFD as CommonMark requires.
    static func normalize(_ source: String) -> String {
        var text = source
        if text.utf8.contains(0x0D) {
            text = text.split(separator: "\r\n", omittingEmptySubsequences: false).joined(separator: "\n")
            text = String(text.map { $0 == "\r" ? "\n" : $0 })
        }
        if text.utf8.contains(0) {
            text = String(String.UnicodeScalarView(text.unicodeScalars.map { $0 == "\0" ? "\u{FFFD}" : $0 }))
        }
        return text
    }

    /// Parses lines starting at file line `firstLine`, indented by `column - 1`.
    func parseBlocks(_ lines: [Substring], firstLine: Int, column: Int, depth: Int) -> [Block] {
        var blocks: [Block] = []
        for segment in BlockScanner(lines: lines).scan() {
            let line = firstLine + segment.lines.lowerBound
            let r = SourceRange(file: file, start: .init(line: line, column: column),
                                end: .init(line: firstLine + segment.lines.upperBound - 1, column: column))
            switch segment.kind {
            case .markdown:
                blocks += markdown(Array(lines[segment.lines]), firstLine: line, column: column, depth: depth)
            case .comment(let text):
                blocks.append(Block(.comment(text), range: r))
            case .blockBreak(let meta):
                blocks.append(Block(.blockBreak(meta: meta), range: r))
            case .target(let label):
                blocks.append(Block(.target(label: label), range: r))
            case .math(let latex, let label):
                MathCheck(parser: self).check(latex, at: r)
                blocks.append(Block(.math(MathBlock(latex: latex, label: label ?? MathCheck.label(in: latex))), range: r))
            case .colonDirective(let name, let argument, let body, let closed):
                if !closed {
                    report(.error, .unclosedFence, at: r, "colon fence ':::{\(name)}' is never closed",
                           hint: "add a line ':::' where the directive ends; it now runs to the end of its container")
                }
                blocks.append(directive(name: name, argument: argument, body: Array(lines[body]),
                                        bodyLine: firstLine + body.lowerBound, column: column, range: r, depth: depth + 1))
            case .footnote(let label, let body):
                let content = parseBlocks(body, firstLine: line, column: column, depth: depth + 1)
                blocks.append(Block(.footnoteDefinition(label: label, content: content), range: r))
            case .unclosedMath:
                report(.error, .unclosedMath, at: r, "display math opened with $$ is never closed",
                       hint: "add $$ where the equation ends; the text is shown as written")
                blocks += markdown(Array(lines[segment.lines]), firstLine: line, column: column, depth: depth)
            case .table:
                blocks.append(tableBlock(Array(lines[segment.lines]), range: r, depth: depth))
            }
        }
        return GatedDirectives(parser: self).fold(blocks)
    }

    /// CommonMark through libcmark, with MyST inline syntax protected.
    func markdown(_ lines: [Substring], firstLine: Int, column: Int, depth: Int) -> [Block] {
        let shield = InlineShield()
        let rewritten = ContainerFences.rewrite(lines)
        let protected = shield.protect(rewritten)
        let reader = CmarkReader(parser: self, shield: shield, lines: rewritten,
                                 lineOffset: firstLine - 1, columnOffset: column - 1, depth: depth)
        return reader.read(protected)
    }

    /// Inline markdown of a single line (titles, table cells, captions).
    func inlines(_ text: String, line: Int, column: Int) -> [Inline] {
        let blocks = markdown([text[...]], firstLine: line, column: column, depth: Self.maxDepth)
        return blocks.flatMap { block -> [Inline] in
            if case .paragraph(let content) = block.kind { return content }
            return [Inline(.text(text), range: block.range)]
        }
    }

    /// A placeholder for content nested deeper than ``maxDepth``.
    func tooDeep(text: String, at range: SourceRange) -> Block {
        report(.warning, .tooDeep, at: range, "content nested more than \(Self.maxDepth) levels deep is kept as plain text",
               hint: "flatten the nesting of lists, quotes or directives")
        return Block(.paragraph([Inline(.text(text), range: range)]), range: range)
    }
}
