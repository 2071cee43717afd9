@_exported import Diagnostics
import ChapterExecution
import Foundation
import MyST
import Plumbing
import Publishing

/// A course project loaded once: `myst.yml` (settings included) and every
/// chapter it lists, parsed, with its execution settings, its number, its
/// page's name and its cells' identities. Every command starts here.
public struct CourseProject: Sendable {
    /// The project folder.
    public var root: URL
    /// `myst.yml` as messages name it.
    public var configPath: String
    public var config: Project
    /// The project's execution settings (`execute:` in `myst.yml`).
    public var settings: ExecutionSettings
    /// The toc's pages in reading order (the landing page first when the toc has one).
    public var chapters: [CourseChapter]
    /// Problems found while loading: the configuration's warnings, files the
    /// toc lists that cannot be read, parse diagnostics, bad settings.
    public var diagnostics: [Diagnostic]

    /// Why a project cannot be loaded at all.
    public struct LoadError: Error, CustomStringConvertible {
        public var diagnostic: Diagnostic
        public var description: String { diagnostic.description }
    }

    /// Loads the project in `folder`. Throws only when `myst.yml` cannot be
    /// read or used; a chapter that cannot be read is a diagnostic, and the
    /// others load. Files are named relative to `base` (the current folder
    /// unless given) in diagnostics and pages.
    public static func load(_ folder: String, relativeTo base: URL? = nil, documents: DocumentCache? = nil) throws -> CourseProject {
        let root = (folder.hasPrefix("/") || base == nil ? URL(fileURLWithPath: folder) : base!.appendingPathComponent(folder))
            .standardizedFileURL
        let configURL = root.appendingPathComponent("myst.yml")
        func displayPath(_ path: String) -> String { Course.displayPath(path, relativeTo: base) }
        let configPath = displayPath(configURL.path)
        guard let text = try? String(contentsOf: configURL, encoding: .utf8) else {
            throw LoadError(diagnostic: Diagnostic(.error, .unreadableConfig, at: SourceRange(file: configPath, line: 1, column: 1),
                                                   "cannot read the project's myst.yml",
                                                   hint: "name the folder that holds the course's myst.yml"))
        }
        let config: Project
        var diagnostics: [Diagnostic]
        do {
            (config, diagnostics) = try Project.parse(text, path: configPath)
        } catch let error as Project.ConfigError {
            throw LoadError(diagnostic: error.diagnostic)
        }
        var project = CourseProject(root: root, configPath: configPath, config: config, settings: ExecutionSettings(),
                                    chapters: [], diagnostics: [])
        diagnostics += project.settings.applyProject(config, at: SourceRange(file: configPath, line: 1, column: 1))

        for entry in config.pages {
            let url = root.appendingPathComponent(entry.file)
            guard let source = try? String(contentsOf: url, encoding: .utf8) else {
                diagnostics.append(Diagnostic(.error, .unreadableChapter, at: SourceRange(file: configPath, line: 1, column: 1),
                                              "'\(entry.file)' is listed in the toc but cannot be read"))
                continue
            }
            let document = documents?.document(source, file: displayPath(url.path)) ?? Document.parse(source, file: displayPath(url.path))
            var chapter = CourseChapter(file: entry.file, document: document, settings: project.settings,
                                        number: nil, page: "", part: entry.part)
            diagnostics += document.diagnostics
            diagnostics += chapter.applyFrontMatterSettings()
            diagnostics += chapter.exploreProblems
            project.chapters.append(chapter)
        }
        // Names and numbers as the site gives them, to the pages it has: a
        // first page `index.md` is the landing page, else the site writes one.
        let landing = (project.chapters.first?.file as NSString?)?.lastPathComponent == "index.md"
        var names = PageNames(generatedLanding: !landing)
        var number = 0
        for i in project.chapters.indices {
            project.chapters[i].page = names.name(for: project.chapters[i].file)
            if i > 0 || !landing { number += 1; project.chapters[i].number = number }
        }
        project.diagnostics = diagnostics
        return project
    }

    /// Loose chapter files (`nbrun run`), with the settings of the nearest
    /// `myst.yml` in their folder or above it, numbered in the order given.
    public static func chapters(_ files: [String]) throws -> (settings: ExecutionSettings, chapters: [CourseChapter], diagnostics: [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var settings = ExecutionSettings()
        if let config = nearestConfig(above: files.first ?? ".") {
            let path = displayPath(config.path)
            let text = (try? String(contentsOf: config, encoding: .utf8)) ?? ""
            do {
                let values = try MetadataValue.parseYAML(text)
                var project = Project(title: "", pages: [], settings: values["project"] ?? values)
                if values["project"] != nil { project.topLevel = values }
                diagnostics += settings.applyProject(project, at: SourceRange(file: path, line: 1, column: 1))
            } catch {
                diagnostics.append(Diagnostic(.error, .invalidYAML, at: SourceRange(file: path, line: 1, column: 1), "\(error)"))
            }
        }
        var chapters: [CourseChapter] = []
        for (i, file) in files.enumerated() {
            let source = try String(contentsOfFile: file, encoding: .utf8)
            let document = Document.parse(source, file: file)
            var chapter = CourseChapter(file: file, document: document, settings: settings, number: i + 1,
                                        page: ((file as NSString).lastPathComponent as NSString).deletingPathExtension + ".html", part: nil)
            diagnostics += document.diagnostics
            diagnostics += chapter.applyFrontMatterSettings()
            diagnostics += chapter.exploreProblems
            chapters.append(chapter)
        }
        return (settings, chapters, diagnostics)
    }

    /// The first `myst.yml` in the folder of `file` or above it.
    static func nearestConfig(above file: String) -> URL? {
        var dir = URL(fileURLWithPath: file).standardizedFileURL.deletingLastPathComponent()
        while true {
            let config = dir.appendingPathComponent("myst.yml")
            if FileManager.default.isReadableFile(atPath: config.path) { return config }
            let parent = dir.deletingLastPathComponent()
            if parent.path == dir.path { return nil }
            dir = parent
        }
    }

    /// The chapter whose markdown file is `path` (as diagnostics name it).
    public func chapter(atPath path: String) -> CourseChapter? {
        chapters.first { $0.path == path }
    }

    /// The chapters as the site builder takes them, with their outputs.
    public func sitePages(outputs: [String: ChapterOutputs] = [:]) -> [SitePage] {
        chapters.map { chapter in
            var page = SitePage(file: chapter.file, document: chapter.document, part: chapter.part)
            if let o = outputs[chapter.file] {
                page.outputs = o.byBlock
                page.glue = o.glue
                page.executed = true
            }
            return page
        }
    }
}

extension CourseChapter {
    /// A cell's explorer grid as the runner takes it: over the chapter's
    /// budget of runs, only the defaults run (and `exploreProblems` says so).
    func grid(of cell: CodeCell) -> ExploreGrid? {
        guard let explore = cell.explore else { return nil }
        let over = explore.runCount > settings.exploreRuns
        return ExploreGrid(parameters: explore.parameters.map { p in
            over && p.name != explore.progression
                ? ExploreGrid.Parameter(name: p.name, values: [p.values[p.defaultIndex]], defaultIndex: 0)
                : ExploreGrid.Parameter(name: p.name, values: p.values, defaultIndex: p.defaultIndex)
        }, progression: explore.progression)
    }

    /// Explorer cells over the chapter's budget of runs.
    public var exploreProblems: [Diagnostic] {
        cells.compactMap { c -> Diagnostic? in
            guard let explore = c.cell.explore, explore.runCount > settings.exploreRuns else { return nil }
            let sizes = explore.parameters.filter { $0.name != explore.progression }.map { String($0.values.count) }.joined(separator: " x ")
            return Diagnostic(.error, .exploreOverBudget, at: c.range,
                              "this explorer needs \(sizes) = \(explore.runCount) runs, over the chapter's budget of \(settings.exploreRuns); only its defaults run",
                              hint: "drop values, make a training-length parameter the :progression: (one run records every value), or raise execute.explore_runs")
        }
    }
}

/// Parsed chapters by file and text, for loading a project again and again
/// (the preview): a file whose text did not change is not parsed again.
public final class DocumentCache: Sendable {
    private let parsed = Locked<[String: (text: String, document: Document)]>([:])

    public init() {}

    /// `text` parsed as the markdown file `file`, parsed again only if the text changed.
    public func document(_ text: String, file: String) -> Document {
        if let hit = parsed.withLock({ $0[file] }), hit.text == text { return hit.document }
        let document = Document.parse(text, file: file)
        parsed.withLock { $0[file] = (text, document) }
        return document
    }
}

/// One page of a course: its markdown parsed, its settings, its place.
public struct CourseChapter: Sendable {
    /// The file as the toc lists it, relative to the project folder.
    public var file: String
    /// The parsed markdown.
    public var document: Document
    /// Execution settings: the project's, then the chapter's front matter.
    public var settings: ExecutionSettings
    /// The chapter's number; nil for the landing page.
    public var number: Int?
    /// The page's file in the site, e.g. `03-coupling-layers.html`.
    public var page: String
    /// The title of the part this chapter starts, if it starts one.
    public var part: String?
    /// The Swift cells, each with its identity, in order.
    public var cells: [CourseCell]

    public init(file: String, document: Document, settings: ExecutionSettings, number: Int?, page: String, part: String?) {
        self.file = file
        self.document = document
        self.settings = settings
        self.number = number
        self.page = page
        self.part = part
        // Labels first, so that `cell-<n>` never takes a name a label gave.
        let swiftCells = document.codeCells.filter { $0.cell.language == "swift" }
        var used = Set(swiftCells.compactMap { $0.cell.label.map(Labels.normalize) })
        var labelled: Set<String> = []
        var cells: [CourseCell] = []
        for (n, (cell, range)) in swiftCells.enumerated() {
            var id: String
            if let label = cell.label.map(Labels.normalize), labelled.insert(label).inserted {
                id = label
            } else {
                id = "cell-\(n + 1)"
                var k = 2
                while used.contains(id) { id = "cell-\(n + 1)-\(k)"; k += 1 }
                used.insert(id)
            }
            cells.append(CourseCell(id: CellID(id), cell: cell, range: range))
        }
        self.cells = cells
    }

    /// The markdown file as diagnostics name it.
    public var path: String { document.file }

    /// Applies the front matter's `execute:` settings over the project's.
    mutating func applyFrontMatterSettings() -> [Diagnostic] {
        let at = document.frontMatter?.range ?? SourceRange(file: document.file, line: 1, column: 1)
        return settings.apply(document.frontMatter?.values, at: SourceRange(file: at.file, start: at.start, end: at.start))
    }

    /// What the chapter runner runs: the Swift cells in order, with the
    /// chapter's seed, limits and data files.
    public var source: ChapterSource {
        let cells = cells.map { c in
            CellSource(id: c.id, code: c.cell.code, line: c.cell.codeLine,
                       raisesException: c.cell.tags.contains(.raisesException),
                       skip: c.cell.tags.contains(.skipExecution), explore: grid(of: c.cell))
        }
        let folder = URL(fileURLWithPath: document.file).deletingLastPathComponent()
        return ChapterSource(path: document.file, cells: cells, seed: settings.seed, limits: settings.limits,
                             dataFiles: settings.dataFiles.map { folder.appendingPathComponent($0).path })
    }
}

/// A Swift cell of a chapter: its identity, the parsed cell and its place.
public struct CourseCell: Sendable, Hashable {
    public var id: CellID
    public var cell: CodeCell
    /// The whole `{code-cell}` block in the markdown.
    public var range: SourceRange
}

/// A chapter's outputs, found by cell: what the execute step hands the render step.
public struct ChapterOutputs: Sendable {
    public var byCell: [CellID: CellOutput]
    public var glue: [String: DisplayRecord]
    /// The same outputs by the cells' blocks, as the renderer finds them.
    public var byBlock: [SourceRange: CellOutput]

    public init(chapter: CourseChapter, result: ChapterResult) {
        self.init(chapter: chapter, byCell: result.outputsByCell(of: chapter.source), glue: result.glue)
    }

    public init(chapter: CourseChapter, byCell: [CellID: CellOutput], glue: [String: DisplayRecord]) {
        self.byCell = byCell
        self.glue = glue
        var byBlock: [SourceRange: CellOutput] = [:]
        for cell in chapter.cells { byBlock[cell.range] = byCell[cell.id] }
        self.byBlock = byBlock
    }
}

/// The site's page names: `index.html` for the first page, then each file's
/// name with `.html`, made unique by its folder when two files share a name.
struct PageNames {
    private var used: Set<String> = []
    private var count = 0

    /// - Parameter generatedLanding: the site writes a landing page of its own
    ///   (the toc does not start with `index.md`), which takes `index.html`.
    init(generatedLanding: Bool) {
        if generatedLanding { used.insert("index.html"); count = 1 }
    }

    mutating func name(for file: String) -> String {
        defer { count += 1 }
        var name = count == 0 ? "index.html"
            : ((file as NSString).lastPathComponent as NSString).deletingPathExtension + ".html"
        if !used.insert(name).inserted {
            name = (file as NSString).deletingPathExtension.replacingOccurrences(of: "/", with: "-") + ".html"
            used.insert(name)
        }
        return name
    }
}

extension ExecutionSettings {
    /// The `execute:` settings of `myst.yml`: under `project:` (mystmd's
    /// place) and then at the top level, when the file has both.
    mutating func applyProject(_ config: Project, at location: SourceRange) -> [Diagnostic] {
        var found = apply(config.settings, at: location)
        if config.topLevel != .null { found += apply(config.topLevel, at: location) }
        return found
    }
}

extension Diagnostic.Code {
    /// The project's `myst.yml` cannot be read.
    public static let unreadableConfig = Self(.project, "unreadable-config")
}

/// A path relative to `base` (the current folder unless given) when it is
/// inside it: how files are named in diagnostics and in pages.
public func displayPath(_ path: String, relativeTo base: URL? = nil) -> String {
    let folder = (base?.standardizedFileURL.path ?? FileManager.default.currentDirectoryPath) + "/"
    return path.hasPrefix(folder) ? String(path.dropFirst(folder.count)) : path
}
