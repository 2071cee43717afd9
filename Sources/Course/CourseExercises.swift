import Foundation
import Grading
import MyST
import Publishing

/// The exercises of a course, in toc order, numbered as the site numbers them.
public struct CourseExercises: Sendable {
    public var specs: [ExerciseSpec] = []
    /// Exercises with parts missing, two exercises with one label.
    public var diagnostics: [Diagnostic] = []
    /// Each chapter's file as the toc names it (relative to the project
    /// folder), by its path as specs give it (`ExerciseSpec.chapter`).
    public var tocFiles: [String: String] = [:]

    /// The exercises of `project`, numbered by the site's own numbering step
    /// (`numbered: false` leaves them unnumbered, for the build's validation,
    /// which runs before that step and needs no numbers).
    public init(_ project: CourseProject, numbered: Bool = true) {
        let site = numbered ? SiteBuilder.number(project.config, pages: project.sitePages()) : nil
        for chapter in project.chapters {
            tocFiles[chapter.path] = chapter.file
            let numbering = site?.numbering(of: chapter.file)
            let numbers = numbering?.targets.compactMapValues { $0.kind == .exercise ? $0.number : nil } ?? [:]
            let targets = site?.context.targets
            let (found, issues) = ExerciseSpec.all(in: chapter.document, numbers: numbers, references: targets.map { targets in
                { ref in targets[ref.identifier]?.referenceText(kind: ref.kind, text: ref.text) }
            })
            specs += found
            diagnostics += issues
        }
        var seen: Set<String> = []
        for spec in specs where !seen.insert(Labels.normalize(spec.label)).inserted {
            diagnostics.append(Diagnostic(.error, .duplicateExercise, at: SourceRange(file: spec.chapter, line: spec.line, column: 1),
                                          "two exercises are labelled '\(spec.label)'"))
        }
    }

    /// The exercises of the project in `folder`, and the problems of its
    /// configuration and its exercises (a chapter's other problems are the
    /// build's to report). Throws when `myst.yml` cannot be used.
    public static func load(_ folder: String) throws -> (exercises: CourseExercises, problems: [Diagnostic]) {
        let project = try CourseProject.load(folder)
        let exercises = CourseExercises(project)
        return (exercises, project.diagnostics.filter { $0.range.file == project.configPath } + exercises.diagnostics)
    }

    /// The exercise labelled `label`.
    public func spec(_ label: String) -> ExerciseSpec? {
        specs.first { Labels.normalize($0.label) == Labels.normalize(label) }
    }
}
