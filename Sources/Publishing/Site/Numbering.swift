import MyST

/// Where a label points and how references show it.
public struct Target: Sendable, Equatable {
    /// The page file, e.g. `01-change-of-variables.html`.
    public var page: String
    public var anchor: String
    public var kind: Label.Kind
    /// "2.3" for the third numbered figure of chapter 2; nil when unnumbered.
    public var number: String?
    /// Plain text: a heading's text, a caption, an exercise's title.
    public var title: String

    /// The word `{numref}` puts before the number.
    public var noun: String {
        switch kind {
        case .figure: return "Figure"
        case .table: return "Table"
        case .equation: return "Equation"
        case .exercise: return "Exercise"
        case .solution: return "Solution"
        case .code: return "Listing"
        case .heading, .section, .block: return number.map { $0.contains(".") ? "Section" : "Chapter" } ?? "Section"
        }
    }
}

extension Target {
    /// What a reference of role `kind` (`ref`, `numref`, `eq`) to this target
    /// reads as, given the reference's own `text` if it has one: "Figure 3.2",
    /// "(1.12)", "2.3 Masks".
    public func referenceText(kind: String, text: String? = nil) -> String {
        switch kind {
        case "eq":
            return text ?? number.map { "(\($0))" } ?? title
        case "numref":
            guard let number else { return text ?? title }
            let format = text ?? "\(noun) %s"
            return format.replacingOccurrences(of: "%s", with: number)
                .replacingOccurrences(of: "{number}", with: number)
                .replacingOccurrences(of: "{name}", with: title)
        default:
            if let text { return text }
            if self.kind == .figure || self.kind == .table || self.kind == .exercise || self.kind == .equation,
               let number { return "\(noun) \(number)" }
            if let number, self.kind == .section || self.kind == .heading {
                return "\(number) \(title)"
            }
            return title.isEmpty ? anchor : title
        }
    }
}

/// Anchors and numbers of one page, found in one pass before rendering and
/// looked up by each block's source range while rendering.
///
/// Chapters are numbered in table-of-contents order (the landing page is not);
/// sections, figures, tables, equations and exercises within a chapter as
/// `chapter.n`, so references across chapters read "Figure 3.2".
public struct PageNumbering: Sendable {
    public struct Heading: Sendable, Equatable {
        public var id: String
        public var number: String?
        public var level: Int
        public var text: String
    }

    public var chapter: Int?
    public var page: String
    /// The page's title: front matter `title`, else its first level-1 heading.
    public var title: String
    public private(set) var headings: [SourceRange: Heading] = [:]
    /// The headings in order, for the in-page contents.
    public private(set) var outline: [Heading] = []
    /// Anchors of labelled blocks (figures, equations, exercises, cells, tables).
    public private(set) var anchors: [SourceRange: String] = [:]
    /// Numbers of figures, tables and exercises.
    public private(set) var numbers: [SourceRange: String] = [:]
    /// Display equations: the conversion and the number of each row.
    public private(set) var equations: [SourceRange: (math: MathConversion, rowNumbers: [String?])] = [:]
    /// Every label of the page.
    public private(set) var targets: [String: Target] = [:]

    private var usedIDs: Set<String> = []
    private var sectionCounters = [0, 0, 0, 0, 0, 0, 0]
    private var figureCount = 0, tableCount = 0, equationCount = 0, exerciseCount = 0

    public init(document: Document, chapter: Int?, page: String) {
        self.chapter = chapter
        self.page = page
        self.title = document.frontMatter?.title ?? ""
        visit(document.blocks)
        if title.isEmpty { title = outline.first { $0.level == 1 }?.text ?? page }
    }

    private func number(_ n: Int) -> String { chapter.map { "\($0).\(n)" } ?? "\(n)" }

    /// A page-unique, URL-friendly id from `text`.
    mutating func uniqueID(_ text: String) -> String {
        var slug = ""
        for c in text.lowercased().unicodeScalars {
            if isWordScalar(c) { slug.unicodeScalars.append(c) }
            else if c == " " || c == "-" || c == "_" || c == "." { if !slug.hasSuffix("-") && !slug.isEmpty { slug += "-" } }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        if slug.isEmpty { slug = "section" }
        if slug.first!.isNumber { slug = "s-" + slug }
        var id = slug, k = 2
        while !usedIDs.insert(id).inserted { id = "\(slug)-\(k)"; k += 1 }
        return id
    }

    private mutating func labelAnchor(_ label: String?, fallback: String) -> String {
        guard let label else { return uniqueID(fallback) }
        return uniqueID(label)
    }

    private mutating func addTarget(_ label: String?, anchor: String, kind: Label.Kind, number: String?, title: String) {
        guard let label else { return }
        let id = Labels.normalize(label)
        if targets[id] == nil {
            targets[id] = Target(page: page, anchor: anchor, kind: kind, number: number, title: title)
        }
    }

    private mutating func visit(_ blocks: [Block]) {
        var pending: String?
        for block in blocks {
            if case .target(let label) = block.kind { pending = label; continue }
            visit(block, label: pending)
            pending = nil
        }
    }

    private mutating func visit(_ block: Block, label: String?) {
        switch block.kind {
        case .heading(let level, let content):
            let text = content.map(\.plainText).joined()
            var number: String?
            if level >= 2, let chapter {
                sectionCounters[level] += 1
                for deeper in (level + 1)..<sectionCounters.count { sectionCounters[deeper] = 0 }
                if level <= 3 {
                    number = ([chapter] + sectionCounters[2...level]).map(String.init).joined(separator: ".")
                }
            }
            let id = label.map { uniqueID($0) } ?? uniqueID(text)
            let heading = Heading(id: id, number: number, level: level, text: text)
            headings[block.range] = heading
            outline.append(heading)
            addTarget(label, anchor: id, kind: level == 1 ? .heading : .section, number: level == 1 ? chapter.map(String.init) : number, title: text)
        case .math(let math):
            equation(math, block: block, label: label)
        case .blockQuote(let blocks), .footnoteDefinition(_, let blocks):
            visit(blocks)
        case .list(let list):
            for item in list.items { visit(item) }
        case .table:
            if let label { anchors[block.range] = uniqueID(label); addTarget(label, anchor: anchors[block.range]!, kind: .table, number: nil, title: label) }
        case .directive(let d):
            directive(d, block: block, label: label)
        default:
            if let label { anchors[block.range] = uniqueID(label); addTarget(label, anchor: anchors[block.range]!, kind: .block, number: nil, title: label) }
        }
    }

    private mutating func equation(_ math: MathBlock, block: Block, label: String?) {
        let conversion = LaTeXToMathML.convert(math.latex, display: true)
        let label = math.label ?? label
        var rowNumbers: [String?] = []
        if conversion.rows.count == 1 {
            let row = conversion.rows[0]
            if let tag = row.tag { rowNumbers = [tag] }
            else if label != nil || row.label != nil { equationCount += 1; rowNumbers = [number(equationCount)] }
            else { rowNumbers = [nil] }
        } else {
            for row in conversion.rows {
                if let tag = row.tag { rowNumbers.append(tag) }
                else if row.numbered { equationCount += 1; rowNumbers.append(number(equationCount)) }
                else { rowNumbers.append(nil) }
            }
        }
        let anchor = labelAnchor(label ?? conversion.rows.first?.label, fallback: "equation")
        anchors[block.range] = anchor
        equations[block.range] = (conversion, rowNumbers)
        let first = rowNumbers.compactMap { $0 }.first
        addTarget(label, anchor: anchor, kind: .equation, number: first, title: math.latex)
        for (row, n) in zip(conversion.rows, rowNumbers) where row.label != nil && row.label != label {
            addTarget(row.label, anchor: anchor, kind: .equation, number: n, title: math.latex)
        }
    }

    private mutating func directive(_ d: Directive, block: Block, label: String?) {
        switch d.content {
        case .math(let math):
            equation(math, block: block, label: label)
        case .figure(let figure):
            figureCount += 1
            let n = number(figureCount)
            let lab = figure.label ?? label
            let anchor = labelAnchor(lab, fallback: "figure-\(n)")
            anchors[block.range] = anchor
            numbers[block.range] = n
            addTarget(lab, anchor: anchor, kind: .figure, number: n, title: figure.caption.plainText)
        case .table(let table):
            tableCount += 1
            let n = number(tableCount)
            let lab = table.label ?? label
            let anchor = labelAnchor(lab, fallback: "table-\(n)")
            anchors[block.range] = anchor
            numbers[block.range] = n
            addTarget(lab, anchor: anchor, kind: .table, number: n, title: table.caption.map(\.plainText).joined())
        case .codeCell(let cell):
            let lab = cell.label ?? label
            if cell.caption != nil {
                figureCount += 1
                numbers[block.range] = number(figureCount)
            }
            let anchor = labelAnchor(lab, fallback: "cell")
            anchors[block.range] = anchor
            addTarget(lab, anchor: anchor, kind: cell.caption != nil ? .figure : .code,
                      number: numbers[block.range], title: cell.caption ?? "")
        case .glue(_, let caption):
            if !caption.isEmpty {
                figureCount += 1
                let n = number(figureCount)
                let lab = d.option("name")?.text ?? d.option("label")?.text ?? label
                let anchor = labelAnchor(lab, fallback: "figure-\(n)")
                anchors[block.range] = anchor
                numbers[block.range] = n
                addTarget(lab, anchor: anchor, kind: .figure, number: n, title: caption.plainText)
            }
        case .exercise(let exercise):
            var n: String?
            if !exercise.nonumber { exerciseCount += 1; n = number(exerciseCount) }
            let lab = exercise.label ?? label
            let anchor = labelAnchor(lab, fallback: "exercise-\(n ?? "")")
            anchors[block.range] = anchor
            if let n { numbers[block.range] = n }
            addTarget(lab, anchor: anchor, kind: .exercise, number: n, title: exercise.title.map(\.plainText).joined())
            visit(exercise.content)
        case .solution(let solution):
            let anchor = labelAnchor(solution.label ?? label, fallback: "solution")
            anchors[block.range] = anchor
            addTarget(solution.label ?? label, anchor: anchor, kind: .solution, number: nil, title: "Solution")
            visit(solution.content)
        case .admonition(let a):
            if let label { anchors[block.range] = uniqueID(label); addTarget(label, anchor: anchors[block.range]!, kind: .block, number: nil, title: a.title?.map(\.plainText).joined() ?? label) }
            visit(a.content)
        case .container(let blocks):
            if let label { anchors[block.range] = uniqueID(label); addTarget(label, anchor: anchors[block.range]!, kind: .block, number: nil, title: label) }
            visit(blocks)
        default:
            if let label { anchors[block.range] = uniqueID(label); addTarget(label, anchor: anchors[block.range]!, kind: .block, number: nil, title: label) }
        }
    }
}

extension Array where Element == Block {
    /// The blocks' text with markup removed, paragraphs joined by spaces.
    var plainText: String {
        compactMap { block -> String? in
            if case .paragraph(let content) = block.kind { return content.map(\.plainText).joined() }
            return nil
        }.joined(separator: " ")
    }
}

func isWordScalar(_ c: Unicode.Scalar) -> Bool {
    c.properties.isAlphabetic || ("0"..."9").contains(c)
}
