import Foundation
import Grading
import MyST
import Publishing

/// What students receive, in memory until it is written: every file by its
/// path in the kit's folder.
public struct StudentKit: Sendable {
    public var files: [String: Data] = [:]
    public var warnings: [Diagnostic] = []
    /// The project's exercises (with their hidden checks, so the starter files
    /// count them as `nbrun exercises` does).
    public var exercises: [ExerciseSpec] = []
    public var chapters = 0
    public var solutionsRemoved = 0
    public var hiddenChecksRemoved = 0
    public var dataFiles = 0

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    /// The kit of the project in folder `project`; throws, with every error
    /// found, when a chapter or `myst.yml` cannot be released.
    public init(project: String) throws {
        let fm = FileManager.default
        let course: CourseProject
        do { course = try CourseProject.load(project) } catch let error as CourseProject.LoadError {
            throw Failure(error.description)
        }
        let root = course.root
        let configPath = course.configPath
        files["myst.yml"] = fm.contents(atPath: root.appendingPathComponent("myst.yml").path)
        var errors: [Diagnostic] = []
        func at(_ file: String) -> SourceRange { SourceRange(file: file, line: 1, column: 1) }
        // The configuration's own problems; a chapter's are reported with it below.
        for d in course.diagnostics where d.range.file == configPath {
            if d.severity == .error { errors.append(d) } else { warnings.append(d) }
        }
        // Files the chapters name (data files, images): path in the project, and who names it.
        var named: [(path: String, by: String)] = []
        for chapter in course.chapters {
            guard let relative = Self.relative(chapter.file, in: "") else {
                errors.append(Diagnostic(.error, .outsideProject, at: at(configPath),
                                         "the toc names '\(chapter.file)', outside the project folder; a kit holds only the project's own files"))
                continue
            }
            let path = chapter.path
            let document = chapter.document
            let problems = document.diagnostics.filter { $0.severity == .error }
            guard problems.isEmpty else {
                errors += problems
                errors.append(Diagnostic(.error, .unreleasable, at: at(path),
                                         "the chapter has errors; what is a solution or a hidden check is not certain until they are fixed"))
                continue
            }
            let source = String(decoding: fm.contents(atPath: root.appendingPathComponent(relative).path) ?? Data(), as: UTF8.self)
            let text = document.studentSource(source)
            let released = Document.parse(text, file: path)
            if let problem = Self.verify(source: document, released: released) {
                errors.append(Diagnostic(.error, .unreleasable, at: at(path), "\(problem) (a bug in nbrun: please report it)"))
                continue
            }
            files[relative] = Data(text.utf8)
            chapters += 1
            solutionsRemoved += document.solutions.count
            hiddenChecksRemoved += document.exercises.reduce(0) { $0 + $1.exercise.checks.filter(\.hidden).count }
            let folder = (relative as NSString).deletingLastPathComponent
            var images = ImageCollector()
            images.walk(released)
            for file in chapter.settings.dataFiles + images.urls where !file.contains("://") && !file.hasPrefix("data:") {
                guard let inProject = Self.relative(file, in: folder) else {
                    warnings.append(Diagnostic(.warning, .notInKit, at: at(path), "'\(file)' is outside the project folder and is not in the kit"))
                    continue
                }
                named.append((inProject, path))
            }
        }

        // The exercises, as `nbrun exercises` and `nbrun check` read them.
        let known = CourseExercises(course)
        for d in known.diagnostics where !errors.contains(d) {
            if d.severity == .error { errors.append(d) } else { warnings.append(d) }
        }
        guard errors.isEmpty else { throw Failure(errors.map(\.description).joined(separator: "\n")) }
        exercises = known.specs

        // Data: what the chapters name, and the data/ folder.
        var data: Set<String> = []
        for (file, by) in named {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: root.appendingPathComponent(file).path, isDirectory: &isDirectory) else {
                warnings.append(Diagnostic(.warning, .notInKit, at: at(by), "'\(file)' does not exist in the project and is not in the kit"))
                continue
            }
            if isDirectory.boolValue { data.formUnion(Self.filesUnder(root, file)) } else { data.insert(file) }
        }
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: root.appendingPathComponent("data").path, isDirectory: &isDirectory), isDirectory.boolValue {
            data.formUnion(Self.filesUnder(root, "data"))
        }
        for file in data where files[file] == nil {
            guard let bytes = fm.contents(atPath: root.appendingPathComponent(file).path) else {
                warnings.append(Diagnostic(.warning, .notInKit, at: at(displayPath(root.appendingPathComponent(file).path)), "cannot be read; not in the kit"))
                continue
            }
            files[file] = bytes
            dataFiles += 1
        }

        // The kit's own files must not meet the project's.
        for file in files.keys where file == "README.md" || file.hasPrefix("exercises/") {
            errors.append(Diagnostic(.error, .unreleasable, at: at(displayPath(root.appendingPathComponent(file).path)),
                                     "the kit writes its own README.md and exercises/; rename the project's '\(file)'"))
        }
        guard errors.isEmpty else { throw Failure(errors.map(\.description).joined(separator: "\n")) }

        for spec in exercises {
            var starter = spec
            starter.chapter = known.tocFiles[spec.chapter] ?? spec.chapter
            let path = "exercises/\(spec.label).swift"
            files[path] = Data(starter.starterFile(checkCommand: "nbrun check \(path) --project .").utf8)
            if !spec.checks.contains(where: { !$0.hidden }) {
                warnings.append(Diagnostic(.warning, .exerciseIncomplete, at: SourceRange(file: spec.chapter, line: spec.line, column: 1),
                                           "every check of exercise '\(spec.label)' is hidden, so students cannot check their work before it is graded"))
            }
        }
        files["README.md"] = Data(Self.readme(title: course.config.title, exercises: exercises, chapters: known.tocFiles).utf8)
    }

    /// Whether the released chapter holds what it should: nothing withheld,
    /// the same exercises with their visible checks. A description of the
    /// difference, or nil.
    static func verify(source: Document, released: Document) -> String? {
        if let left = released.withheldFromStudents.first {
            return "the students' copy still holds a solution or hidden check at line \(left.start.line)"
        }
        if !released.solutions.isEmpty { return "the students' copy still holds a solution" }
        let before = ExerciseSpec.all(in: source).specs.filter { $0.starter != nil || $0.checks.contains { !$0.hidden } }
        let after = ExerciseSpec.all(in: released).specs
        guard before.map(\.label) == after.map(\.label) else {
            return "the students' copy has exercises \(after.map(\.label)), the chapter \(before.map(\.label))"
        }
        for (b, a) in zip(before, after) {
            let visible = b.checks.filter { !$0.hidden }
            if a.solution != nil || a.checks.contains(where: \.hidden)
                || visible.map(\.name) != a.checks.map(\.name) || visible.map(\.code) != a.checks.map(\.code)
                || b.starter?.code != a.starter?.code || b.setup?.code != a.setup?.code || b.statement != a.statement {
                return "exercise '\(b.label)' differs in the students' copy beyond its solution and hidden checks"
            }
        }
        return nil
    }

    /// The kit's README: the students' workflow.
    static func readme(title: String, exercises: [ExerciseSpec], chapters: [String: String]) -> String {
        var out = """
            # \(title): your kit

            The course's chapters are here as markdown (`myst.yml` lists them), without the
            solutions and the hidden checks; `exercises/` holds a starter file for each exercise.

            ## Working on an exercise

            Work from this folder. Open `exercises/LABEL.swift`: it starts with the exercise's
            statement as comments and the command that checks it. Write your solution below,
            keeping the first line (it names the exercise), then run

                nbrun check exercises/ --project .                      # every exercise
                nbrun check exercises/LABEL.swift --project .           # one of them

            after each change. It prints each check as passed or failed, with the message, and
            your points. The exercise's chapter shows the visible checks' code. Hidden checks
            run only when your work is graded, so passing every visible check does not promise
            every point. The starter files are already in `exercises/`: the chapters' command
            `nbrun exercises` is not needed (it never overwrites your work anyway).

            ## Handing in

            Hand in your files from `exercises/`, named as they are, as your instructor asks.

            """
        guard !exercises.isEmpty else { return out }
        out += "\n## The exercises\n\n| file | exercise | chapter | points (hidden) |\n|---|---|---|---|\n"
        for spec in exercises {
            let hidden = spec.checks.filter(\.hidden).reduce(0) { $0 + $1.points }
            let title = spec.name + (spec.title.isEmpty ? "" : ": " + spec.title)
            out += "| `exercises/\(spec.label).swift` | \(title.replacingOccurrences(of: "|", with: "\\|")) | "
                + "\(chapters[spec.chapter] ?? spec.chapter) | \(spec.totalPoints) (\(hidden)) |\n"
        }
        return out
    }

    /// `file`, named from the project's subfolder `folder`, as a path inside
    /// the project; nil when it is absolute, on the web or outside.
    static func relative(_ file: String, in folder: String) -> String? {
        guard !file.isEmpty, !file.hasPrefix("/"), !file.contains("://"), !file.hasPrefix("data:"), !file.hasPrefix("#") else { return nil }
        let joined = ((folder.isEmpty ? file : folder + "/" + file) as NSString).standardizingPath
        guard !joined.isEmpty, joined != ".", joined != "..", !joined.hasPrefix("../"), !joined.hasPrefix("/") else { return nil }
        return joined
    }

    /// The files under the project's subfolder `folder`, as paths in the
    /// project; hidden files (`.name`) are left out.
    static func filesUnder(_ root: URL, _ folder: String) -> [String] {
        let base = root.appendingPathComponent(folder)
        guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey],
                                                          options: [.skipsHiddenFiles]) else { return [] }
        var found: [String] = []
        let prefix = base.standardizedFileURL.path + "/"
        for case let url as URL in walker {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(prefix) else { continue }
            found.append(folder + "/" + path.dropFirst(prefix.count))
        }
        return found.sorted()
    }

    /// Writes the kit into `folder`, which must be new or empty unless
    /// `overwrite`, and may be neither inside `project` nor hold it.
    public func write(into folder: String, project: String, overwrite: Bool) throws {
        let fm = FileManager.default
        let target = Self.resolved(folder), root = Self.resolved(project)
        if Self.isInside(target, root) {
            throw Failure("error: '\(folder)' is inside the project folder '\(project)'; the kit goes in a folder of its own, e.g. --into student")
        }
        if Self.isInside(root, target) {
            throw Failure("error: '\(folder)' holds the project folder '\(project)'; the kit goes in a folder of its own, e.g. --into student")
        }
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: target.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw Failure("error: '\(folder)' is a file; name a folder for the kit") }
            let existing = try fm.contentsOfDirectory(atPath: target.path)
            if !existing.isEmpty && !overwrite {
                throw Failure("error: '\(folder)' is not empty; name a new or empty folder, or give --overwrite to replace the kit's files in it")
            }
        }
        for (path, data) in files.sorted(by: { $0.key < $1.key }) {
            let url = target.appendingPathComponent(path)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url, options: .atomic)
        }
    }

    /// `path` made absolute with symbolic links resolved, as far as it exists.
    static func resolved(_ path: String) -> URL {
        var existing = URL(fileURLWithPath: path).standardizedFileURL
        var rest: [String] = []
        while !FileManager.default.fileExists(atPath: existing.path) && existing.path != "/" {
            rest.insert(existing.lastPathComponent, at: 0)
            existing = existing.deletingLastPathComponent()
        }
        var url = existing.resolvingSymlinksInPath()
        for component in rest { url.appendPathComponent(component) }
        return url.standardizedFileURL
    }

    /// Whether `inner` is `outer` or inside it.
    static func isInside(_ inner: URL, _ outer: URL) -> Bool {
        let a = inner.path, b = outer.path
        return a == b || a.hasPrefix(b.hasSuffix("/") ? b : b + "/")
    }
}

/// The local files a chapter's images name.
struct ImageCollector: MarkupWalker {
    var urls: [String] = []

    mutating func visit(_ block: Block) {
        if case .directive(let d) = block.kind {
            if case .figure(let figure) = d.content { urls.append(figure.image.url) }
            if case .image(let image) = d.content { urls.append(image.url) }
        }
        descend(into: block)
    }

    mutating func visit(_ inline: Inline) {
        if case .image(let image) = inline.kind { urls.append(image.url) }
        descend(into: inline)
    }
}

extension Diagnostic.Code {
    /// A file the toc names outside the project folder.
    public static let outsideProject = Self(.project, "outside-project")
    /// A chapter the kit cannot be made from.
    public static let unreleasable = Self(.project, "unreleasable")
    /// A file the chapters name that the kit leaves out.
    public static let notInKit = Self(.project, "not-in-kit")
}
