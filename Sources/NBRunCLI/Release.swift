import ArgumentParser
import Course
import Foundation
import Grading
import MyST
import Publishing

extension NBRun {
    /// `nbrun release`: the students' kit, what students receive.
    public struct Release: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "release",
            abstract: "Write the students' kit: the chapters without solutions or hidden checks, and a starter file per exercise.",
            discussion: """
                Writes into --into the project's myst.yml; the chapters its toc lists with every \
                {solution} and every hidden {check} taken out of the markdown (the rest of each \
                chapter byte for byte as it was); the images and data files the chapters name and \
                the project's data/ folder; a starter file per exercise in exercises/, as `nbrun \
                exercises` writes it; and a README.md telling students what to do. From the kit's \
                folder, `nbrun check exercises/ --project .` checks their work. Nothing is written \
                when a chapter has errors. The folder must be new or empty unless --overwrite is \
                given, and may be neither inside the project nor around it.
                """
        )

        @Argument(help: "The project folder, holding myst.yml.")
        public var project: String = "Notebooks"

        @Option(help: "Where the kit goes.")
        public var into: String = "student"

        @Flag(help: "Write into a folder that is not empty, replacing the kit's files in it.")
        public var overwrite = false

        public init() {}

        public func run() throws {
            let kit: StudentKit
            do { kit = try StudentKit(project: project) } catch {
                printError("\(error)"); throw ExitCode(1)
            }
            for w in kit.warnings { printError(w.description) }
            do { try kit.write(into: into, project: project, overwrite: overwrite) } catch {
                printError("\(error)"); throw ExitCode(1)
            }
            func count(_ n: Int, _ what: String) -> String { "\(n) \(what)\(n == 1 ? "" : "s")" }
            let folder = into.hasSuffix("/") ? into : into + "/"
            print("released \(count(kit.chapters, "chapter")) into \(folder): \(count(kit.solutionsRemoved, "solution")) and "
                  + "\(count(kit.hiddenChecksRemoved, "hidden check")) removed, \(count(kit.exercises.count, "starter file")) in \(folder)exercises/"
                  + (kit.dataFiles > 0 ? ", \(count(kit.dataFiles, "data file"))" : ""))
            print("students, from the kit's folder: nbrun check exercises/ --project .")
        }
    }
}
