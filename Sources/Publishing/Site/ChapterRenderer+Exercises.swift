import MyST
import StableText

extension ChapterRenderer {
    /// An exercise: statement, setup, starter code with a copy button, the
    /// checks and their points, the command that checks a solution, hints and
    /// short questions. The students' build leaves hidden checks out.
    public mutating func visitExercise(_ exercise: Exercise, directive: Directive, block: Block) -> String {
        let anchor = numbering.anchors[block.range] ?? "exercise-\(cellIndex)"
        let number = numbering.numbers[block.range]
        let name = number.map { "Exercise \($0)" } ?? "Exercise"
        let title = exercise.title.isEmpty ? "" : " <span class=\"exercise-title\">\(inlines(exercise.title))</span>"
        let total = exercise.checks.isEmpty ? exercise.points : exercise.totalPoints
        let points = total.map { " <span class=\"points\">\($0) point\($0 == 1 ? "" : "s")</span>" } ?? ""
        let difficulty = exercise.difficulty.map { " <span class=\"difficulty difficulty-\($0.rawValue)\" title=\"difficulty\">\($0.rawValue)</span>" } ?? ""
        sections.append(SearchSection(anchor: anchor, title: name + (exercise.title.isEmpty ? "" : ": " + text(exercise.title)), text: ""))
        var body = ""
        var questions = 0
        for part in exercise.content {
            guard case .directive(let d) = part.kind else { body += visit(part); continue }
            switch d.name {
            case "setup":
                body += "<details class=\"exercise-part setup\"><summary>Setup code, shared by your code and the checks</summary>\n"
                    + codeBlock(d.body, language: "swift") + "</details>\n"
            case "starter":
                body += "<div class=\"exercise-part starter\"><p class=\"part-title\">Starter code</p>\n"
                    + codeBlock(d.body, language: "swift") + "</div>\n"
            case "check":
                if context.student && part.isWithheldFromStudents { continue }
                let hidden = d.option("hidden") != nil
                var n = 1
                if case .int(let p)? = d.option("points") { n = p }
                let label = (hidden ? "Hidden check: " : "Check: ") + Markup.escape(d.argument)
                body += "<details class=\"exercise-part check\(hidden ? " hidden-check" : "")\"><summary>\(label) "
                    + "<span class=\"points\">\(n) point\(n == 1 ? "" : "s")</span></summary>\n"
                    + codeBlock(d.body, language: "swift") + "</details>\n"
            case "question":
                questions += 1
                body += question(d, id: "\(anchor)-q\(questions)")
            default:
                if case .admonition(let a) = d.content, a.kind == "hint" {
                    body += "<details class=\"admonition hint dropdown\"><summary>Hint</summary>\n\(visit(a.content))</details>\n"
                } else {
                    body += visit(part)
                }
            }
        }
        if let label = exercise.label, !exercise.checks.isEmpty {
            let hidden = exercise.checks.filter(\.hidden)
            if context.student && !hidden.isEmpty {
                let p = hidden.reduce(0) { $0 + $1.points }
                body += "<p class=\"hidden-checks\">And \(hidden.count) hidden check\(hidden.count == 1 ? "" : "s") worth \(p) point\(p == 1 ? "" : "s"), run when your work is graded.</p>\n"
            }
            body += "<div class=\"exercise-command\"><p class=\"part-title\">Check your solution</p>\n"
                + codeBlock("# once: a starter file for every exercise\nnbrun exercises Notebooks/ --into exercises\n# after each change\nnbrun check exercises/\(label).swift", language: "sh")
                + "</div>\n"
        }
        return "<div class=\"exercise\" id=\"\(anchor)\" role=\"region\" aria-label=\"\(Markup.escape(name))\">\n"
            + "<p class=\"exercise-heading\"><a href=\"#\(anchor)\">\(name)</a>\(title)\(difficulty)\(points)</p>\n"
            + body + "</div>\n"
    }

    /// A short question the page checks: a number within a tolerance, or one
    /// of the lettered choices of its list.
    mutating func question(_ d: Directive, id: String) -> String {
        var content: [Block] = []
        if case .container(let blocks) = d.content { content = blocks }
        let answer = d.option("answer")?.text ?? ""
        let tolerance = d.option("tolerance")?.text ?? "0"
        var out = "<div class=\"exercise-part question\" data-answer=\"\(Markup.escape(answer))\" data-tolerance=\"\(Markup.escape(tolerance))\">\n"
        out += "<p class=\"part-title\">Question</p>\n<p>\(inlines(Document.parse(d.argument, file: document.file).blocks.first.flatMap { b -> [Inline]? in if case .paragraph(let c) = b.kind { return c }; return nil } ?? []))</p>\n"
        var choices: [[Block]] = []
        for block in content {
            if case .list(let list) = block.kind, choices.isEmpty { choices = list.items; continue }
            out += visit(block)
        }
        if choices.isEmpty {
            out += "<p><label for=\"\(id)\">Your answer</label> <input id=\"\(id)\" type=\"text\" autocomplete=\"off\"> "
        } else {
            out += "<fieldset><legend>Choose one</legend>\n"
            for (k, item) in choices.enumerated() {
                let letter = String(UnicodeScalar(UInt8(97 + k % 26)))
                var html = ""
                for b in item { if case .paragraph(let c) = b.kind { html += inlines(c) } else { html += visit(b) } }
                out += "<label class=\"choice\"><input type=\"radio\" name=\"\(id)\" value=\"\(letter)\"> (\(letter)) \(html)</label>\n"
            }
            out += "</fieldset>\n<p>"
        }
        out += "<button type=\"button\" class=\"check-answer\">Check</button> <span class=\"verdict\" role=\"status\"></span></p>\n"
        return out + "</div>\n"
    }
}
