import Foundation
import MyST

/// A course project: the part of mystmd's `myst.yml` a course needs.
///
/// ```yaml
/// version: 1
/// project:
///   title: Normalizing flows, in Swift
///   authors: [Ada Lovelace]        # or [{name: Ada Lovelace}]
///   description: One sentence for the index page and search engines.
///   github: https://github.com/owner/course   # or `repository:`
///   student: true                  # the students' site (as --student)
///   execute: {timeout: 300}        # execution settings (ExecutionSettings)
///   toc:
///     - file: index.md             # the first file is the landing page
///     - title: Part one            # a part: a title and its chapters
///       children:
///         - file: 01-basics.md
///     - file: 02-more.md
/// ```
public struct Project: Sendable, Equatable {
    /// One page of the table of contents.
    public struct Entry: Sendable, Equatable {
        /// The markdown file, relative to the project folder.
        public var file: String
        /// The title of the part this page starts, if it starts one.
        public var part: String?
    }

    public var title: String
    public var description: String?
    public var authors: [String]
    public var repository: String?
    /// The pages in reading order.
    public var pages: [Entry]
    /// `student: true`: the students' site, without solutions or hidden checks
    /// (as `nbrun build --student`).
    public var student = false
    /// The whole `project` mapping (execution settings and anything else).
    public var settings: MetadataValue
    /// The whole file, when `project:` is a part of it (settings may also
    /// stand at its top level, as older mystmd files have them); else null.
    public var topLevel: MetadataValue = .null

    public init(title: String, description: String? = nil, authors: [String] = [], repository: String? = nil,
                pages: [Entry], settings: MetadataValue = .null) {
        self.title = title
        self.description = description
        self.authors = authors
        self.repository = repository
        self.pages = pages
        self.settings = settings
    }

    /// A configuration that cannot be used: the problem, located in `myst.yml`.
    public struct ConfigError: Error, CustomStringConvertible {
        public var diagnostic: Diagnostic
        public var description: String { diagnostic.description }
    }

    /// Reads `myst.yml` text. `path` names the file in messages. Problems that
    /// do not stop the build come back as warnings.
    public static func parse(_ text: String, path: String) throws -> (Project, warnings: [Diagnostic]) {
        let top = SourceRange(file: path, line: 1, column: 1)
        func fail(_ code: Diagnostic.Code, _ message: String) -> ConfigError {
            ConfigError(diagnostic: Diagnostic(.error, code, at: top, message))
        }
        let root: MetadataValue
        do { root = try MetadataValue.parseYAML(text) } catch {
            throw fail(.invalidYAML, "not valid YAML: \(error)")
        }
        let project = root["project"] ?? root
        var warnings: [Diagnostic] = []
        let title = project["title"]?.text ?? "Course"
        if project["title"] == nil {
            warnings.append(Diagnostic(.warning, .missingTitle, at: top, "project.title is missing; the site is called 'Course'"))
        }
        var authors: [String] = []
        if case .array(let items)? = project["authors"] {
            authors = items.compactMap { $0.text ?? $0["name"]?.text }
        } else if let one = project["authors"]?.text {
            authors = [one]
        }
        guard case .array(let toc)? = project["toc"] else {
            throw fail(.missingToc, "project.toc is missing; list the chapters as `toc: [{file: 01-intro.md}, ...]`")
        }
        var pages: [Entry] = []
        func collect(_ items: [MetadataValue], part: String?) {
            var part = part
            for item in items {
                if let file = item["file"]?.text {
                    pages.append(Entry(file: file, part: part))
                    part = nil
                    if case .array(let children)? = item["children"] { collect(children, part: nil) }
                } else if case .array(let children)? = item["children"] ?? item["chapters"] {
                    collect(children, part: item["title"]?.text ?? item["caption"]?.text)
                    part = nil
                } else {
                    warnings.append(Diagnostic(.warning, .badTocEntry, at: top, "a toc entry has neither `file:` nor `children:`; it is skipped"))
                }
            }
        }
        collect(toc, part: nil)
        if pages.isEmpty {
            throw fail(.missingToc, "project.toc lists no files")
        }
        var seen: Set<String> = []
        for page in pages where !seen.insert(page.file).inserted {
            throw fail(.badTocEntry, "'\(page.file)' appears twice in project.toc")
        }
        var result = Project(title: title, description: project["description"]?.text, authors: authors,
                             repository: project["github"]?.text ?? project["repository"]?.text,
                             pages: pages, settings: project)
        if case .bool(let b)? = project["student"] { result.student = b }
        if root["project"] != nil { result.topLevel = root }
        return (result, warnings)
    }
}

extension Diagnostic.Code {
    /// `myst.yml` is not YAML.
    public static let invalidYAML = Self(.project, "invalid-yaml")
    /// `myst.yml` lists no chapters.
    public static let missingToc = Self(.project, "missing-toc")
    /// A toc entry that names no file, or a file twice.
    public static let badTocEntry = Self(.project, "bad-toc-entry")
    /// `myst.yml` gives the course no title.
    public static let missingTitle = Self(.project, "missing-title")
    /// A file the toc lists that cannot be read.
    public static let unreadableChapter = Self(.project, "unreadable-chapter")
}
