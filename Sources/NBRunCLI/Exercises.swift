import ArgumentParser
import Course
import Foundation
import Grading

extension NBRun {
    /// `nbrun exercises`: a starter file per exercise, for students.
    public struct Exercises: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "exercises",
            abstract: "Write one starter file per exercise, with its statement as a comment.",
            discussion: "Existing files are kept (your work is never overwritten) unless --overwrite is given."
        )

        @Argument(help: "The project folder, holding myst.yml.")
        public var project: String = "Notebooks"

        @Option(help: "Where the files go.")
        public var into: String = "exercises"

        @Flag(help: "Replace files that already exist.")
        public var overwrite = false

        public init() {}

        public func run() throws {
            let (exercises, problems) = try loadExercises(project)
            for p in problems { printError(p.description) }
            try FileManager.default.createDirectory(atPath: into, withIntermediateDirectories: true)
            var written = 0, kept = 0
            for spec in exercises.specs {
                let path = (into as NSString).appendingPathComponent(spec.label + ".swift")
                if FileManager.default.fileExists(atPath: path) && !overwrite { kept += 1; continue }
                let command = "nbrun check \(path)" + (project == "Notebooks" ? "" : " --project \(project)")
                try spec.starterFile(checkCommand: command).write(toFile: path, atomically: true, encoding: .utf8)
                written += 1
            }
            print("\(written) starter file\(written == 1 ? "" : "s") written to \(into)/" + (kept > 0 ? ", \(kept) kept as they were (--overwrite replaces them)" : ""))
        }
    }
}
