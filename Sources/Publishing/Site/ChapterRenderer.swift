import Foundation
import ChapterExecution
import MyST
import StableText

/// What rendering one page produced.
public struct RenderedPage: Sendable {
    /// The `<article>` content.
    public var body: String
    /// Files the page refers to (figures), by path relative to the site root.
    public var files: [String: Data]
    /// Problems found while rendering: unresolved references, missing glue,
    /// figures (a cell's failure is the execute step's to report, rendered or not).
    public var diagnostics: [Diagnostic]
    /// The page's sections for the search index.
    public var sections: [SearchSection]
}

/// Everything a page can refer to beyond itself.
public struct SiteContext: Sendable {
    /// Every label of the site.
    public var targets: [String: Target]
    /// Markdown file (relative to the project) -> page file, for `{doc}` and links.
    public var pages: [String: (page: String, title: String)]
    /// Build a student's site: solutions are left out entirely.
    public var student = false

    public init(targets: [String: Target], pages: [String: (page: String, title: String)], student: Bool = false) {
        self.targets = targets
        self.pages = pages
        self.student = student
    }
}

/// Renders one parsed chapter, with its cells' outputs, to HTML.
///
/// One walker over the document with a string result, as swift-markdown's
/// `HTMLFormatter`. Numbers and anchors come from ``PageNumbering``, computed
/// before any page renders, so references across chapters resolve.
public struct ChapterRenderer: MarkupVisitor {
    public typealias Result = String

    let document: Document
    let numbering: PageNumbering
    let context: SiteContext
    /// The markdown file relative to the project folder (for `{doc}` and images).
    let file: String
    /// The outputs of each Swift cell, by the cell's source range.
    let outputs: [SourceRange: CellOutput]
    var glue: [String: DisplayRecord]
    let executed: Bool
    /// The project folder, to find images the page names.
    let root: URL?

    var files: [String: Data] = [:]
    var diagnostics: [Diagnostic] = []
    var sections: [SearchSection] = []
    var footnotes: [String] = []
    var footnoteNumbers: [String: Int] = [:]
    var footnoteDefinitions: [String: [Block]] = [:]
    var cellIndex = 0

    /// - Parameters:
    ///   - outputs: each Swift cell's output, by the cell's block.
    ///   - executed: the cells ran (else the page shows no outputs and no glue is missing).
    public init(document: Document, numbering: PageNumbering, context: SiteContext, file: String,
                outputs: [SourceRange: CellOutput] = [:], glue: [String: DisplayRecord] = [:], executed: Bool = false,
                root: URL? = nil) {
        self.document = document
        self.numbering = numbering
        self.context = context
        self.file = file
        self.root = root
        self.outputs = outputs
        self.glue = glue
        self.executed = executed
    }

    /// Renders the page.
    public mutating func render() -> RenderedPage {
        document.forEachBlock { block in
            if case .footnoteDefinition(let label, let content) = block.kind { footnoteDefinitions[label] = content }
        }
        sections = [SearchSection(anchor: "", title: numbering.title, text: "")]
        var body = visit(document.blocks)
        body += renderFootnotes()
        return RenderedPage(body: body, files: files, diagnostics: diagnostics, sections: sections)
    }

    // MARK: Blocks

    mutating func visit(_ blocks: [Block]) -> String {
        var out = ""
        for block in blocks where !(context.student && block.isWithheldFromStudents) { out += visit(block) }
        return out
    }

    public mutating func defaultVisit(_ block: Block) -> String {
        switch block.kind {
        case .thematicBreak: return "<hr>\n"
        case .blockQuote(let blocks): return "<blockquote>\n\(visit(blocks))</blockquote>\n"
        case .html(let html): return html + "\n"
        case .target, .comment, .blockBreak, .footnoteDefinition: return ""
        default: return ""
        }
    }

    public mutating func visitParagraph(_ content: [Inline], block: Block) -> String {
        let html = inlines(content)
        index(text(content))
        return "<p>\(html)</p>\n"
    }

    public mutating func visitHeading(level: Int, content: [Inline], block: Block) -> String {
        guard let h = numbering.headings[block.range] else { return "<h\(level)>\(inlines(content))</h\(level)>\n" }
        if level == 1 {
            let number = numbering.chapter.map { "<span class=\"chapter-number\">Chapter \($0)</span> " } ?? ""
            return "<h1 id=\"\(h.id)\">\(number)\(inlines(content))</h1>\n"
        }
        sections.append(SearchSection(anchor: h.id, title: (h.number.map { $0 + " " } ?? "") + h.text, text: ""))
        let number = h.number.map { "<span class=\"section-number\">\($0)</span> " } ?? ""
        return "<h\(level) id=\"\(h.id)\">\(number)\(inlines(content))<a class=\"anchor\" href=\"#\(h.id)\" aria-label=\"Link to this section\">#</a></h\(level)>\n"
    }

    public mutating func visitList(_ list: ListBlock, block: Block) -> String {
        let tag = list.ordered ? "ol" : "ul"
        let start = list.ordered && list.start != 1 ? " start=\"\(list.start)\"" : ""
        var out = "<\(tag)\(start)>\n"
        for item in list.items {
            out += "<li>"
            if list.tight, item.count == 1, case .paragraph(let content) = item[0].kind {
                out += inlines(content)
                index(text(content))
            } else if list.tight {
                for (k, b) in item.enumerated() {
                    if case .paragraph(let content) = b.kind {
                        out += inlines(content) + (k + 1 < item.count ? "\n" : "")
                        index(text(content))
                    } else { out += visit(b) }
                }
            } else {
                out += "\n" + visit(item)
            }
            out += "</li>\n"
        }
        return out + "</\(tag)>\n"
    }

    public mutating func visitCode(_ code: CodeBlock, block: Block) -> String {
        codeBlock(code.code, language: code.language, id: code.label.flatMap { numbering.targets[Labels.normalize($0)]?.anchor })
    }

    /// A highlighted listing with a copy button.
    func codeBlock(_ code: String, language: String, id: String? = nil, className: String = "code-block") -> String {
        let idAttr = id.map { " id=\"\($0)\"" } ?? ""
        let highlighted = language == "swift" ? SwiftHighlighter.html(code) : Markup.escape(code)
        let lang = language.isEmpty ? "" : " class=\"language-\(Markup.escape(language))\""
        return "<div class=\"\(className)\"\(idAttr)><pre><code\(lang)>\(highlighted)</code></pre>"
            + "<button class=\"copy\" type=\"button\" aria-label=\"Copy code\">Copy</button></div>\n"
    }

    public mutating func visitMath(_ math: MathBlock, block: Block) -> String {
        guard let (conversion, rowNumbers) = numbering.equations[block.range] else { return "" }
        report(conversion, latex: math.latex, at: block.range)
        let anchor = numbering.anchors[block.range].map { " id=\"\($0)\"" } ?? ""
        var mathml = conversion.mathml
        let numbers = rowNumbers.compactMap { $0 }
        if rowNumbers.count > 1 && !numbers.isEmpty {
            mathml = MathRows.number(mathml, rowNumbers.map { n in n.map { "(\($0))" } })
            return "<div class=\"math-display numbered-rows\"\(anchor)>\(mathml)</div>\n"
        }
        let eqno = numbers.first.map { "<span class=\"eqno\">(\($0))</span>" } ?? ""
        return "<div class=\"math-display\"\(anchor)>\(mathml)\(eqno)</div>\n"
    }

    public mutating func visitTable(_ table: Table, block: Block) -> String {
        let id = numbering.anchors[block.range].map { " id=\"\($0)\"" } ?? ""
        return "<div class=\"table-wrap\"\(id)><table>\n\(tableRows(table))</table></div>\n"
    }

    mutating func tableRows(_ table: Table) -> String {
        var out = ""
        let headerRows = table.rows.prefix { row in row.allSatisfy(\.header) }
        if !headerRows.isEmpty {
            out += "<thead>\n"
            for row in headerRows { out += tableRow(row) }
            out += "</thead>\n"
        }
        out += "<tbody>\n"
        for row in table.rows.dropFirst(headerRows.count) { out += tableRow(row) }
        return out + "</tbody>\n"
    }

    mutating func tableRow(_ row: [Table.Cell]) -> String {
        var out = "<tr>"
        for cell in row {
            let tag = cell.header ? "th" : "td"
            let align = cell.alignment.map { " class=\"align-\($0.rawValue)\"" } ?? ""
            out += "<\(tag)\(align)>\(inlines(cell.content))</\(tag)>"
            index(text(cell.content))
        }
        return out + "</tr>\n"
    }

    // MARK: Footnotes

    mutating func footnoteNumber(_ label: String) -> Int {
        if let n = footnoteNumbers[label] { return n }
        footnotes.append(label)
        footnoteNumbers[label] = footnotes.count
        return footnotes.count
    }

    mutating func renderFootnotes() -> String {
        guard !footnotes.isEmpty else { return "" }
        var out = "<section class=\"footnotes\" aria-label=\"Footnotes\">\n<ol>\n"
        var k = 0
        while k < footnotes.count {   // footnotes may cite further footnotes
            let label = footnotes[k]
            let id = Self.footnoteID(label)
            let content = footnoteDefinitions[label].map { visit($0) } ?? "<p>(missing footnote)</p>"
            out += "<li id=\"fn-\(id)\">\(content)<a class=\"footnote-back\" href=\"#fnref-\(id)\" aria-label=\"Back to the text\">↩</a></li>\n"
            k += 1
        }
        return out + "</ol>\n</section>\n"
    }

    static func footnoteID(_ label: String) -> String {
        String(label.unicodeScalars.map { isWordScalar($0) ? Character($0) : "-" })
    }

    // MARK: Diagnostics and search

    mutating func report(_ severity: Diagnostic.Severity, _ code: Diagnostic.Code, at range: SourceRange,
                         _ message: String, hint: String? = nil) {
        diagnostics.append(Diagnostic(severity, code, at: range, message, hint: hint))
    }

    mutating func report(_ conversion: MathConversion, latex: String, at range: SourceRange) {
        for d in conversion.diagnostics {
            report(.warning, .invalidMath, at: range, "math: \(d.message)",
                   hint: "the formula is shown with the problem marked; source: \(latex.split(whereSeparator: \.isNewline).joined(separator: " ").prefix(60))")
        }
    }

    /// Adds text to the current section of the search index.
    mutating func index(_ text: String) {
        guard !text.isEmpty else { return }
        if sections[sections.count - 1].text.isEmpty { sections[sections.count - 1].text = text }
        else { sections[sections.count - 1].text += " " + text }
    }
}
