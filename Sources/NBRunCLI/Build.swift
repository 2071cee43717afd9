import ArgumentParser
import Course
import Foundation
import Plumbing

extension NBRun {
    /// `nbrun build`: the course site from a project folder.
    public struct Build: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "build",
            abstract: "Build the course site: run every chapter's cells and write the HTML pages.",
            discussion: """
                Reads PROJECT/myst.yml (title, authors, description, toc, execute settings), runs \
                the Swift cells of every chapter it lists (reusing cached outputs when nothing \
                they depend on changed), and writes a static site to --output. The new site \
                replaces the old one in one step, and only when the build succeeded: with \
                errors (or warnings under --strict) the previous site stays and the new \
                pages go to .nbrun/failed-site so the errors can be seen in place.
                """
        )

        @Argument(help: "The project folder, holding myst.yml.")
        public var project: String = "Notebooks"

        @Option(name: .shortAndLong, help: "Where the site goes.")
        public var output: String = "Site"

        @Flag(help: "Fail on warnings as well as errors.")
        public var strict = false

        @Option(help: "Chapters to run at the same time (default: the machine's cores).")
        public var jobs: Int?

        @Flag(help: "Run every chapter even when its cached outputs are still valid.")
        public var force = false

        @Flag(help: "Render without running cells (pages show no outputs).")
        public var noExecute = false

        @Flag(help: "Build the students' site: solutions are left out.")
        public var student = false

        public init() {}

        public func validate() throws {
            if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: project, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("'\(project)' is not a folder; name the project folder that holds myst.yml")
            }
        }

        public func run() throws {
            let started = Date()
            let report = try perform()
            let seconds = String(format: "%.2f", Date().timeIntervalSince(started))
            let counts = "\(report.errors) error\(report.errors == 1 ? "" : "s"), \(report.warnings) warning\(report.warnings == 1 ? "" : "s")"
            if report.failed {
                let why = report.errors > 0 ? counts : "\(counts) (--strict)"
                printError("build failed in \(seconds) s: \(why); \(output)/ was left as it was; the failed pages are in .nbrun/failed-site/")
                throw ExitCode(1)
            }
            printError("built \(report.pageCount) pages into \(output)/ in \(seconds) s: \(counts)")
        }

        /// The build, its progress and its problems printed as it goes; the
        /// report for the summary (and for tests).
        public func perform() throws -> BuildReport {
            var options = BuildOptions()
            options.jobs = jobs ?? ProcessInfo.processInfo.activeProcessorCount
            options.force = force
            options.execute = !noExecute
            options.student = student
            options.strict = strict
            let terminal = StatusLine()
            options.progress = terminal.live
            let build: CourseBuild
            do { build = try CourseBuild.load(project, options: options) } catch let error as CourseProject.LoadError {
                printError(error.description)
                throw ExitCode(1)
            }
            build.onEvent = { event in
                switch event {
                case .chapter(let chapter): terminal.line(Self.chapterLine(chapter))
                case .progress(let path, _, let line): if !line.isEmpty { terminal.status(displayPath(path) + ": " + line) }
                case .note(let text): terminal.line(text)
                }
            }
            let report: BuildReport
            do { report = try build.run(output: URL(fileURLWithPath: output)) } catch {
                terminal.clear()
                printError("error: \(error)")
                throw ExitCode(1)
            }
            terminal.clear()
            for d in report.diagnostics where d.severity != .note { printError(d.description) }
            return report
        }

        /// `cached`, `ran ... in 3.2 s` or `failed`, one line per chapter as it finishes.
        static func chapterLine(_ chapter: ChapterReport) -> String {
            if case .failed(let why) = chapter.outcome { return "  failed  \(chapter.path): \(why)" }
            let cached = chapter.outcome == .cached
            if chapter.failedCells > 0 {
                let n = chapter.failedCells
                return "  failed  \(chapter.path): \(n) cell\(n == 1 ? "" : "s") failed" + (cached ? " (cached)" : "")
            }
            if case .ran(let seconds) = chapter.outcome { return "  ran     \(chapter.path) in " + String(format: "%.1f s", seconds) }
            return "  cached  \(chapter.path)"
        }
    }
}
