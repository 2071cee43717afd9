import Foundation
import ChapterExecution
import MyST
import StableText

extension ChapterRenderer {
    public mutating func visitCodeCell(_ cell: CodeCell, directive: Directive, block: Block) -> String {
        let tags = Set(cell.tags)
        if tags.contains(.removeCell) { return "" }
        cellIndex += 1
        let id = " id=\"\(numbering.anchors[block.range] ?? "cell-\(cellIndex)")\""
        var input = ""
        if !tags.contains(.removeInput) {
            input = codeBlock(cell.code, language: cell.language, className: "cell-input code-block")
            if tags.contains(.hideInput) { input = "<details class=\"cell-fold\"><summary>Show code</summary>\n\(input)</details>\n" }
        }
        if let explore = cell.explore, let result = outputs[block.range], let frames = result.explore {
            return explorer(explore, frames: frames, cell: cell, block: block, input: input, id: id)
        }
        var output = ""
        if let result = outputs[block.range] {
            output = cellOutputs(result, cell: cell, block: block)
        }
        if !output.isEmpty && tags.contains(.removeOutput) && result(for: block)?.error == nil { output = "" }
        if !output.isEmpty {
            output = "<div class=\"cell-output\">\n\(output)</div>\n"
            if tags.contains(.hideOutput) { output = "<details class=\"cell-fold\"><summary>Show output</summary>\n\(output)</details>\n" }
        }
        var html = input + output
        if tags.contains(.hideCell) { html = "<details class=\"cell-fold\"><summary>Show cell</summary>\n\(html)</details>\n" }
        let language = Markup.escape(cell.language)
        return "<div class=\"cell\" data-language=\"\(language)\"\(id)>\n\(html)</div>\n"
    }

    func result(for block: Block) -> CellOutput? { outputs[block.range] }

    /// stdout, stderr, displays (figures inside a numbered `<figure>` when the
    /// cell has a caption) and the cell's error, if any. For one frame of an
    /// explorer, `setting` names its combination: the explorer is the figure,
    /// and the alt text says which combination each image shows.
    mutating func cellOutputs(_ o: CellOutput, cell: CodeCell, block: Block, setting: String? = nil) -> String {
        var out = ""
        if !o.stdout.isEmpty { out += "<pre class=\"output stdout\">\(Markup.escape(o.stdout))</pre>\n" }
        if !o.stderr.isEmpty { out += "<pre class=\"output stderr\">\(Markup.escape(o.stderr))</pre>\n" }
        var images: [String] = []
        for d in o.displays {
            if d.mime.hasPrefix("image/") {
                let alt = (cell.caption.map { captionText($0) } ?? (d.mime.hasPrefix("image/svg") ? Self.svgTitle(d.data) : nil)
                    ?? "Figure drawn by the cell at line \(cell.codeLine)") + (setting.map { " (\($0))" } ?? "")
                images.append(figureImage(d, alt: alt, range: block.range))
            } else if d.mime == "text/html" {
                out += "<div class=\"output html\">\(d.data)</div>\n"
            } else {
                out += "<pre class=\"output\">\(Markup.escape(d.data))</pre>\n"
            }
        }
        if !images.isEmpty {
            if let caption = cell.caption, setting == nil {
                let captionBlocks = Document.parse(caption, file: document.file).blocks
                out += "<figure class=\"figure\">\(images.joined(separator: "\n"))\n\(figureCaption(numbering.numbers[block.range], caption: captionBlocks))</figure>\n"
            } else {
                out += images.map { "<div class=\"output image\">\($0)</div>\n" }.joined()
            }
        }
        if let error = o.error { out += cellError(error, cell: cell, expected: o.errorExpected) }
        return out
    }

    /// The error box: where, what, and the offending line under a caret.
    func cellError(_ error: CellError, cell: CodeCell, expected: Bool) -> String {
        var items: [(location: String, message: String, excerpt: String)] = []
        switch error {
        case .compile(let ds):
            for d in ds where d.severity != .note || ds.count == 1 {
                items.append(("\(document.file):\(d.line):\(d.column)", d.message, d.excerpt(code: cell.code, firstLine: cell.codeLine)))
            }
        case .runtime(let message, let line):
            let at = line ?? cell.codeLine
            items.append(("\(document.file):\(at)", message, ""))
        case .notRun(let reason):
            return "<p class=\"cell-not-run\">Not run: \(Markup.escape(reason))</p>\n"
        default:
            items.append(("\(document.file):\(cell.codeLine)", error.summary, ""))
        }
        let heading = expected ? "Expected error" : "Error"
        var out = "<div class=\"cell-error\(expected ? " expected" : "")\"\(expected ? "" : " role=\"alert\"")>\n"
        for item in items {
            out += "<p><strong>\(heading)</strong> at <code>\(Markup.escape(item.location))</code>: \(Markup.escape(item.message))</p>\n"
            if !item.excerpt.isEmpty { out += "<pre>\(Markup.escape(item.excerpt))</pre>\n" }
        }
        return out + "</div>\n"
    }

    public mutating func visitSolution(_ solution: Solution, directive: Directive, block: Block) -> String {
        if context.student && block.isWithheldFromStudents { return "" }
        let id = numbering.anchors[block.range].map { " id=\"\($0)\"" } ?? ""
        var title = "Solution"
        if let target = context.targets[Labels.normalize(solution.exercise)] {
            title = "Solution to " + (target.number.map { "Exercise \($0)" } ?? target.title)
        } else {
            report(.warning, .unresolvedReference, at: block.range, "{solution} names exercise '\(solution.exercise)', which no page defines",
                   hint: "give the exercise :label: \(solution.exercise)")
        }
        return "<details class=\"solution\"\(id)><summary>\(Markup.escape(title))</summary>\n\(visit(solution.content))</details>\n"
    }
}
