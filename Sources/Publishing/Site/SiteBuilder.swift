import Foundation
import Kernel
import MyST

/// One page to build: its markdown file, parsed, and its cells' outputs.
public struct SitePage: Sendable {
    /// The file as listed in the toc, relative to the project folder.
    public var file: String
    public var document: Document
    /// Outputs of the page's Swift cells; nil when not executed.
    public var result: ChapterResult?
    public var part: String?

    public init(file: String, document: Document, result: ChapterResult?, part: String? = nil) {
        self.file = file
        self.document = document
        self.result = result
        self.part = part
    }
}

/// The whole site in memory: every file by its path in the site, and the
/// problems found while rendering.
public struct Site: Sendable {
    public var files: [String: Data]
    public var diagnostics: [DocumentDiagnostic]
    public var pageCount: Int
}

/// Turns a project's parsed pages into a site: numbering across chapters,
/// cross-references, pages, figures, the search index and the assets.
///
/// A first toc entry named `index.md` is the landing page; otherwise one is
/// written from the project's title, description and chapter list. The other
/// pages are chapters, numbered in toc order.
public enum SiteBuilder {
    public static func build(_ project: Project, pages input: [SitePage], root: URL?, student: Bool = false) -> Site {
        var input = input
        var landingIsGenerated = false
        if (input.first?.file as NSString?)?.lastPathComponent != "index.md" {
            landingIsGenerated = true
            let document = MyST.parse(landingMarkdown(project, input), file: "(index)")
            input.insert(SitePage(file: "index.md", document: document, result: nil), at: 0)
        }

        // Pass 1: names, numbers and labels of every page.
        var usedNames: Set<String> = []
        var numberings: [PageNumbering] = []
        var chapter = 0
        for (i, page) in input.enumerated() {
            var name = i == 0 ? "index.html"
                : ((page.file as NSString).lastPathComponent as NSString).deletingPathExtension + ".html"
            if !usedNames.insert(name).inserted {
                name = (page.file as NSString).deletingPathExtension.replacingOccurrences(of: "/", with: "-") + ".html"
                usedNames.insert(name)
            }
            var number: Int?
            if i > 0 { chapter += 1; number = chapter }
            numberings.append(PageNumbering(document: page.document, chapter: number, page: name))
        }
        var targets: [String: Target] = [:]
        var diagnostics: [DocumentDiagnostic] = []
        for (page, numbering) in zip(input, numberings) {
            for (label, target) in numbering.targets.sorted(by: { $0.key < $1.key }) {
                if let first = targets[label], first.page != target.page {
                    let at = page.document.labels.first { $0.identifier == label }?.range
                        ?? SourceRange(file: page.document.file, start: SourceLocation(line: 1, column: 1), end: SourceLocation(line: 1, column: 1))
                    diagnostics.append(DocumentDiagnostic(.warning, .duplicateLabel, at: at,
                        "label '\(label)' is also defined in \(first.page); references go there",
                        hint: "labels are shared by all chapters; make this one unique"))
                    continue
                }
                targets[label] = target
            }
        }
        var pageIndex: [String: (page: String, title: String)] = [:]
        for (page, numbering) in zip(input, numberings) {
            pageIndex[(page.file as NSString).standardizingPath] = (numbering.page, numbering.title)
        }
        let context = SiteContext(targets: targets, pages: pageIndex, student: student)
        let links = zip(input, numberings).map {
            PageTemplate.Link(page: $1.page, title: $1.title, chapter: $1.chapter, part: $0.part)
        }

        // Pass 2: render every page in its frame.
        var files: [String: Data] = [:]
        var searchPages: [(page: String, title: String, sections: [SearchSection])] = []
        for (i, (page, numbering)) in zip(input, numberings).enumerated() {
            var renderer = ChapterRenderer(document: page.document, numbering: numbering, context: context,
                                           file: page.file, result: page.result, root: root)
            let rendered = renderer.render()
            if !(landingIsGenerated && i == 0) { diagnostics += rendered.diagnostics }
            let template = PageTemplate(project: project, pages: links, current: i, outline: numbering.outline,
                                        description: page.document.frontMatter?.values["description"]?.text)
            files[numbering.page] = Data(template.html(body: rendered.body).utf8)
            files.merge(rendered.files) { a, _ in a }
            searchPages.append((numbering.page, numbering.title, rendered.sections))
        }
        files["_static/search-index.js"] = Data(SearchIndex.script(searchPages).utf8)
        for (path, data) in SiteAssets.files() { files["_static/" + path] = data }
        files[".nbrun-site"] = Data("This folder is written by `nbrun build`; it is replaced whole on every build.\n".utf8)
        diagnostics.sort { ($0.range.file, $0.range.start.line, $0.range.start.column) < ($1.range.file, $1.range.start.line, $1.range.start.column) }
        return Site(files: files, diagnostics: diagnostics, pageCount: input.count)
    }

    /// The landing page written when the toc does not start with `index.md`.
    static func landingMarkdown(_ project: Project, _ pages: [SitePage]) -> String {
        var md = "# \(project.title)\n\n"
        if let d = project.description { md += d + "\n\n" }
        if !project.authors.isEmpty { md += "By " + project.authors.joined(separator: ", ") + ".\n\n" }
        md += "## Chapters\n\n"
        for (i, page) in pages.enumerated() {
            let title = page.document.frontMatter?.title
                ?? page.document.blocks.lazy.compactMap { b -> String? in
                    if case .heading(1, let c) = b.kind { return c.map(\.plainText).joined() }
                    return nil
                }.first ?? page.file
            md += "\(i + 1). [\(title)](\(page.file))\n"
        }
        return md
    }
}
