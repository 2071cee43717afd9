import Foundation
import Grading
import MyST
import Publishing

/// The exercises of a project, in toc order, numbered as the site numbers them.
struct ProjectExercises {
    var specs: [ExerciseSpec] = []
    var problems: [String] = []
    /// Each chapter's file as the toc names it (relative to the project
    /// folder), by its path as specs give it (`ExerciseSpec.chapter`).
    var tocFiles: [String: String] = [:]

    init(project: String) throws {
        let root = URL(fileURLWithPath: project).standardizedFileURL
        let configPath = displayPath(root.appendingPathComponent("myst.yml").path)
        guard let text = try? String(contentsOf: root.appendingPathComponent("myst.yml"), encoding: .utf8) else {
            throw ProjectError(description: "\(configPath):1:1: error: cannot read the project's myst.yml (name the project folder with --project)")
        }
        let (config, warnings) = try Project.parse(text, path: configPath)
        problems += warnings
        var chapter = 0
        for (i, entry) in config.pages.enumerated() {
            let url = root.appendingPathComponent(entry.file)
            guard let source = try? String(contentsOf: url, encoding: .utf8) else {
                problems.append("\(configPath):1:1: error: '\(entry.file)' is listed in the toc but cannot be read")
                continue
            }
            let document = MyST.parse(source, file: displayPath(url.path))
            tocFiles[document.file] = entry.file
            let isLanding = i == 0 && (entry.file as NSString).lastPathComponent == "index.md"
            if !isLanding { chapter += 1 }
            let numbering = PageNumbering(document: document, chapter: isLanding ? nil : chapter, page: "")
            let numbers = numbering.targets.compactMapValues { $0.kind == .exercise ? $0.number : nil }
            let (found, issues) = ExerciseSpec.all(in: document, numbers: numbers)
            specs += found
            problems += issues.map(\.description)
        }
        var seen: Set<String> = []
        for spec in specs where !seen.insert(Labels.normalize(spec.label)).inserted {
            problems.append("\(spec.chapter):\(spec.line):1: error: two exercises are labelled '\(spec.label)'")
        }
    }

    func spec(_ label: String) -> ExerciseSpec? {
        specs.first { Labels.normalize($0.label) == Labels.normalize(label) }
    }

    struct ProjectError: Error, CustomStringConvertible { var description: String }
}
