import Foundation
import ChapterExecution
import MyST

/// One page to build: its markdown file, parsed, and its cells' outputs.
public struct SitePage: Sendable {
    /// The file as listed in the toc, relative to the project folder.
    public var file: String
    public var document: Document
    /// The outputs of the page's Swift cells, by the cell's block.
    public var outputs: [SourceRange: CellOutput]
    /// Values the page's cells glued, by name.
    public var glue: [String: DisplayRecord]
    /// True when the cells ran (a page built with --no-execute shows no outputs).
    public var executed: Bool
    public var part: String?

    public init(file: String, document: Document, outputs: [SourceRange: CellOutput] = [:],
                glue: [String: DisplayRecord] = [:], executed: Bool = false, part: String? = nil) {
        self.file = file
        self.document = document
        self.outputs = outputs
        self.glue = glue
        self.executed = executed
        self.part = part
    }
}

/// The whole site in memory: every file by its path in the site, and the
/// problems found while rendering.
public struct Site: Sendable {
    public var files: [String: Data]
    public var diagnostics: [Diagnostic]
    public var pageCount: Int
    /// What each page's rendering made, by its toc file: what a later render
    /// of the same site can keep (`SiteBuilder.render(_:root:reusing:)`).
    public var pages: [String: RenderedPage] = [:]

    /// One page's share of the site.
    public struct RenderedPage: Sendable {
        /// The files it wrote: the page, then its figures.
        public var files: [String]
        public var sections: [SearchSection]
        public var diagnostics: [Diagnostic]
    }
}

/// Every page named and numbered, every label resolved: what rendering a
/// page needs to know about the others.
public struct SiteNumbering: Sendable {
    public var project: Project
    /// The pages, the generated landing page first when there is one.
    public var pages: [SitePage]
    public var numberings: [PageNumbering]
    public var landingIsGenerated: Bool
    public var context: SiteContext
    /// Labels defined twice.
    public var diagnostics: [Diagnostic]

    /// True when every page but those in `changed` would render the same with
    /// this numbering as with `other`: the same project, pages, titles,
    /// chapter numbers and labels. Then only the changed pages need rendering.
    public func othersRenderTheSame(as other: SiteNumbering) -> Bool {
        project == other.project && landingIsGenerated == other.landingIsGenerated
            && context.student == other.context.student && context.targets == other.context.targets
            && context.pages.count == other.context.pages.count
            && context.pages.allSatisfy { key, value in other.context.pages[key].map { $0 == value } ?? false }
            && pages.map(\.file) == other.pages.map(\.file) && pages.map(\.part) == other.pages.map(\.part)
            && numberings.map { [$0.page, $0.title, $0.chapter.map(String.init) ?? ""] }
                == other.numberings.map { [$0.page, $0.title, $0.chapter.map(String.init) ?? ""] }
    }

    /// Each page's numbering by its toc file.
    public func numbering(of file: String) -> PageNumbering? {
        zip(pages, numberings).first { $0.0.file == file }?.1
    }
}

/// Turns a project's parsed pages into a site: numbering across chapters,
/// cross-references, pages, figures, the search index and the assets.
///
/// A first toc entry named `index.md` is the landing page; otherwise one is
/// written from the project's title, description and chapter list. The other
/// pages are chapters, numbered in toc order.
public enum SiteBuilder {
    /// Numbers every page and renders it: `number`, then `render`.
    public static func build(_ project: Project, pages input: [SitePage], root: URL?, student: Bool = false) -> Site {
        let numbered = number(project, pages: input, student: student)
        var site = render(numbered, root: root)
        site.diagnostics = (numbered.diagnostics + site.diagnostics).sortedByLocation()
        return site
    }

    /// The numbering step: page names, chapter numbers, every label and
    /// what it refers to, across all pages (references between chapters
    /// need all of it before any page renders). Given an earlier numbering
    /// of the same site, a page whose toc file is not in `changed`, at the
    /// same place with the same name and number, keeps its page numbering.
    public static func number(_ project: Project, pages input: [SitePage], student: Bool = false,
                              reusing previous: SiteNumbering? = nil, changed: Set<String> = []) -> SiteNumbering {
        var input = input
        var landingIsGenerated = false
        if (input.first?.file as NSString?)?.lastPathComponent != "index.md" {
            landingIsGenerated = true
            let document = Document.parse(landingMarkdown(project, input), file: "(index)")
            input.insert(SitePage(file: "index.md", document: document), at: 0)
        }

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
            if let previous, i > 0 || !landingIsGenerated, i < previous.pages.count, previous.pages[i].file == page.file,
               !changed.contains(page.file), previous.numberings[i].page == name, previous.numberings[i].chapter == number {
                numberings.append(previous.numberings[i])
                continue
            }
            numberings.append(PageNumbering(document: page.document, chapter: number, page: name))
        }
        var targets: [String: Target] = [:]
        var diagnostics: [Diagnostic] = []
        for (page, numbering) in zip(input, numberings) {
            for (label, target) in numbering.targets.sorted(by: { $0.key < $1.key }) {
                if let first = targets[label], first.page != target.page {
                    let at = page.document.labels.first { $0.identifier == label }?.range
                        ?? SourceRange(file: page.document.file, start: SourceLocation(line: 1, column: 1), end: SourceLocation(line: 1, column: 1))
                    diagnostics.append(Diagnostic(.warning, .duplicateLabel, at: at,
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
        return SiteNumbering(project: project, pages: input, numberings: numberings, landingIsGenerated: landingIsGenerated,
                             context: SiteContext(targets: targets, pages: pageIndex, student: student),
                             diagnostics: diagnostics)
    }

    /// The render step: every page in its frame, the search index and the
    /// assets, with the problems rendering found (the numbering's are its own).
    ///
    /// Given the `previous` render of the same site, only the pages whose toc
    /// files are in `changed` are rendered again; the others keep what they
    /// made. The caller vouches that nothing else changed: a numbering, a
    /// label or a title that other pages show means rendering them all.
    public static func render(_ numbered: SiteNumbering, root: URL?, reusing previous: Site? = nil, changed: Set<String> = []) -> Site {
        let input = numbered.pages, numberings = numbered.numberings
        let links = zip(input, numberings).map {
            PageTemplate.Link(page: $1.page, title: $1.title, chapter: $1.chapter, part: $0.part)
        }
        var files: [String: Data] = [:]
        var pages: [String: Site.RenderedPage] = [:]
        var searchPages: [(page: String, title: String, sections: [SearchSection])] = []
        for (i, (page, numbering)) in zip(input, numberings).enumerated() {
            if let previous, !changed.contains(page.file), let kept = previous.pages[page.file], kept.files.first == numbering.page {
                for name in kept.files { files[name] = previous.files[name] }
                pages[page.file] = kept
                searchPages.append((numbering.page, numbering.title, kept.sections))
                continue
            }
            var renderer = ChapterRenderer(document: page.document, numbering: numbering, context: numbered.context,
                                           file: page.file, outputs: page.outputs, glue: page.glue,
                                           executed: page.executed, root: root)
            let rendered = renderer.render()
            let template = PageTemplate(project: numbered.project, pages: links, current: i, outline: numbering.outline,
                                        description: page.document.frontMatter?.values["description"]?.text)
            files[numbering.page] = Data(template.html(body: rendered.body).utf8)
            let figures = rendered.files.keys.sorted()
            for name in figures where files[name] == nil { files[name] = rendered.files[name] }
            pages[page.file] = Site.RenderedPage(files: [numbering.page] + figures, sections: rendered.sections,
                                                 diagnostics: numbered.landingIsGenerated && i == 0 ? [] : rendered.diagnostics)
            searchPages.append((numbering.page, numbering.title, rendered.sections))
        }
        files["_static/search-index.js"] = Data(SearchIndex.script(searchPages).utf8)
        for (path, data) in SiteAssets.files() { files["_static/" + path] = data }
        files[".nbrun-site"] = Data("This folder is written by `nbrun build`; it is replaced whole on every build.\n".utf8)
        let diagnostics = input.flatMap { pages[$0.file]?.diagnostics ?? [] }
        return Site(files: files, diagnostics: diagnostics.sortedByLocation(), pageCount: input.count, pages: pages)
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
