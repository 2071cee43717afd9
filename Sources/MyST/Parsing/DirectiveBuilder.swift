/// Turns a directive's name, argument and body into a ``Directive`` block.
extension DocumentParser {
    /// Builds the directive found at `range`; its body starts at file line `bodyLine`.
    func directive(name: String, argument: String, body: [Substring], bodyLine: Int, column: Int,
                   range: SourceRange, depth: Int) -> Block {
        guard depth <= Self.maxDepth else {
            return tooDeep(text: body.joined(separator: "\n"), at: range)
        }
        guard let spec = DirectiveSpec.options(of: name) else {
            report(.warning, .unknownDirective, at: range, "unknown directive {\(name)}; its content is shown as written",
                   hint: "check the name; known directives include note, warning, figure, image, code-cell, exercise, solution, math, list-table")
            let directive = Directive(name: name, argument: argument, options: [], body: body.joined(separator: "\n"),
                                      bodyLine: bodyLine, content: .unknown)
            return Block(.directive(directive), range: range)
        }
        let (options, start) = OptionReader(parser: self, directive: name, spec: spec).read(body, bodyLine: bodyLine, column: column)
        let lines = Array(body[start...])
        var directive = Directive(name: name, argument: argument, options: options,
                                  body: lines.joined(separator: "\n").trimmingFinalNewline,
                                  bodyLine: bodyLine + start, content: .unknown)
        let context = DirectiveContext(parser: self, lines: lines, column: column, range: range, depth: depth)
        directive.content = context.content(of: directive)
        return Block(.directive(directive), range: range)
    }
}

/// What a directive builder needs: its body lines and where they are.
struct DirectiveContext {
    let parser: DocumentParser
    let lines: [Substring]
    let column: Int
    let range: SourceRange
    let depth: Int

    /// The body parsed as markdown.
    func blocks(of directive: Directive) -> [Block] {
        parser.parseBlocks(lines, firstLine: directive.bodyLine, column: column, depth: depth)
    }

    func inlines(_ text: String) -> [Inline] {
        parser.inlines(text, line: range.start.line, column: range.start.column)
    }

    func requireArgument(_ directive: Directive, _ what: String) {
        if directive.argument.isEmpty {
            parser.report(.error, .missingArgument, at: range, "{\(directive.name)} needs \(what) after its name",
                          hint: "write ```{\(directive.name)} <\(what)>")
        }
    }

    func content(of d: Directive) -> Directive.Content {
        switch d.name {
        case _ where Admonition.kinds.contains(d.name):
            var content = blocks(of: d)
            if !d.argument.isEmpty {
                content.insert(Block(.paragraph(inlines(d.argument)), range: range), at: 0)
            }
            let className = d.option("class")?.text
            return .admonition(Admonition(kind: d.name, title: nil, className: className,
                                          isDropdown: className?.split(separator: " ").contains("dropdown") ?? false,
                                          content: content))
        case "admonition", "dropdown":
            if d.name == "admonition" { requireArgument(d, "a title") }
            let className = d.option("class")?.text
            return .admonition(Admonition(kind: nil, title: d.argument.isEmpty ? nil : inlines(d.argument),
                                          className: className,
                                          isDropdown: d.name == "dropdown" || (className?.split(separator: " ").contains("dropdown") ?? false),
                                          content: blocks(of: d)))
        case "figure":
            requireArgument(d, "an image path")
            let content = blocks(of: d)
            let caption = content.first.map { b -> [Block] in if case .paragraph = b.kind { return [b] }; return [] } ?? []
            return .figure(Figure(image: image(d), label: d.option("name")?.text ?? d.option("label")?.text,
                                  caption: caption, legend: Array(content.dropFirst(caption.count))))
        case "image":
            requireArgument(d, "an image path")
            return .image(image(d))
        case "code", "code-block", "sourcecode":
            return .code(code(d))
        case "math":
            let latex = d.body.trimmed
            MathCheck(parser: parser).check(latex, at: range)
            let label = d.option("label")?.text ?? d.option("name")?.text ?? MathCheck.label(in: latex)
            return .math(MathBlock(latex: latex, label: label))
        case "list-table", "table":
            return .table(TableBuilder(context: self).table(d))
        case "code-cell":
            return .codeCell(codeCell(d))
        case "exercise", "exercise-start":
            return .exercise(exercise(d))
        case "solution", "solution-start":
            return .solution(solution(d))
        case "starter", "setup":
            // Swift unless another language is named.
            return .code(CodeBlock(language: d.argument.split(separator: " ").first.map(String.init) ?? "swift", code: d.body))
        case "check":
            requireArgument(d, "the check's name")
            return .code(CodeBlock(language: "swift", code: d.body))
        case "question":
            requireArgument(d, "the question")
            if d.option("answer") == nil {
                parser.report(.warning, .missingArgument, at: range, "{question} without :answer:; the page cannot check it",
                              hint: "give :answer: 0.5 (with :tolerance:) or the letter of the right choice")
            }
            return .container(blocks(of: d))
        case "glue", "glue:figure", "glue:any", "glue:md", "glue:math":
            requireArgument(d, "the glued name")
            let format: Glue.Format = d.name == "glue:md" ? .markdown : d.name == "glue:figure" ? .figure : .any
            return .glue(Glue(key: d.argument, format: format), caption: blocks(of: d))
        default:
            return .container(blocks(of: d))
        }
    }

    private func image(_ d: Directive) -> Image {
        var image = Image(url: d.argument, alt: d.option("alt")?.text ?? "")
        image.className = d.name == "image" ? d.option("class")?.text : nil
        image.width = d.option("width")?.text
        image.height = d.option("height")?.text
        image.align = d.option("align")?.text
        return image
    }

    private func code(_ d: Directive) -> CodeBlock {
        var code = CodeBlock(language: d.argument.split(separator: " ").first.map(String.init) ?? "", code: d.body)
        code.label = d.option("name")?.text
        code.className = d.option("class")?.text
        if let start = d.option("number-lines") {
            code.showLineNumbers = true
            if case .int(let n) = start, n != 1 { code.startingLineNumber = n }
        }
        if d.option("linenos") != nil { code.showLineNumbers = true }
        if case .int(let n) = d.option("lineno-start") {
            code.showLineNumbers = true
            code.startingLineNumber = n
        }
        if let lines = d.option("emphasize-lines")?.text {
            code.emphasizeLines = lines.split(whereSeparator: { $0 == "," || $0 == " " }).compactMap { Int($0) }
        }
        return code
    }
}
