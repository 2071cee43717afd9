import ArgumentParser
import ChapterExecution
import Course
import Foundation
import Plumbing
import Preview

extension NBRun {
    /// `nbrun serve`: the author's live preview.
    public struct Serve: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract: "Build the course, serve it on this machine, and rebuild it in the browser as you edit.",
            discussion: """
                Builds PROJECT into memory (through the same cache as `nbrun build`) and serves it \
                over HTTP. Its pages, and only its pages, carry a small script that reloads them \
                (keeping the scroll position) when a file of the project or the flow library \
                changes, shows the running cells' progress, and shows the build's errors over \
                the page. A prose edit re-renders without running cells; an edit of a cell runs \
                its chapter again. Errors never stop the server: the last good site stays.
                """
        )

        @Argument(help: "The project folder, holding myst.yml.")
        public var project: String = "Notebooks"

        @Option(help: "The port to listen on.")
        public var port: Int = 3000

        @Option(help: "The address to listen on (loopback by default: only this machine can connect).")
        public var host: String = "127.0.0.1"

        @Flag(help: "Open the site in the default browser.")
        public var open = false

        @Option(help: "Chapters to run at the same time (default: the machine's cores).")
        public var jobs: Int?

        public init() {}

        public func validate() throws {
            guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535") }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: project, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("'\(project)' is not a folder; name the project folder that holds myst.yml")
            }
        }

        public func run() throws {
            var options = BuildOptions()
            options.jobs = jobs ?? ProcessInfo.processInfo.activeProcessorCount
            options.workDirectory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".nbrun")
            let terminal = StatusLine()
            options.progress = true
            let session = PreviewSession(project: project, options: options) { terminal.line($0) }
            session.rebuild(wait: true)

            let server = PreviewServer(session: session, host: host, port: UInt16(port))
            let folder = project.hasSuffix("/") ? project : project + "/"
            let open = self.open
            Task.detached {
                do {
                    try await server.run { url in
                        terminal.line("serving \(folder) at \(url) (Ctrl-C to stop)")
                        if open { Self.openBrowser(url) }
                    }
                } catch {
                    terminal.line("error: cannot serve on \(server.host):\(server.port): \(error)")
                    Foundation.exit(1)
                }
            }
            watch(session)
        }

        /// Watches the project and the flow library's sources; rebuilds once a
        /// burst of changes has settled, and when cells that ran in the
        /// background have their outputs. Runs until the process is stopped.
        ///
        /// inotify wakes the watcher at once, and the files are compared only
        /// then (and every two seconds, for file systems whose changes inotify
        /// misses); without inotify the project is polled every 20 ms and the
        /// library every half second.
        func watch(_ session: PreviewSession) -> Never {
            let suffixes: Set<String> = ["md", "yml", "yaml", "csv", "json", "txt", "svg", "png", "jpg", "jpeg", "npy", "bin"]
            let projectFolders = [URL(fileURLWithPath: self.project)]
            // The flow library's sources change rarely and are many.
            let libraryFolders = (try? Toolchain.locate()).map { toolchain in
                Toolchain.librarySourceFolders.map { toolchain.packageRoot.appendingPathComponent($0) }
            } ?? []
            var project = FileWatcher(folders: projectFolders, suffixes: suffixes)
            var library = FileWatcher(folders: libraryFolders, suffixes: ["swift", "c", "h"])
            let projectSignal = ChangeNotifier(folders: projectFolders)
            let librarySignal = ChangeNotifier(folders: libraryFolders)
            let notified = projectSignal.available && librarySignal.available
            var debouncer = Debouncer()
            let clock = Date()
            var tick = 0
            var libraryChanged = false
            while true {
                tick += 1
                var lookAtProject = tick % 100 == 0, lookAtLibrary = tick % 100 == 0
                if notified {
                    lookAtProject = projectSignal.wait(milliseconds: 20) || lookAtProject
                    lookAtLibrary = librarySignal.wait(milliseconds: 0) || lookAtLibrary
                } else {
                    usleep(20_000)
                    lookAtProject = true
                    lookAtLibrary = tick % 25 == 0
                }
                var changed = lookAtProject ? project.changes() : []
                if lookAtLibrary {
                    let files = library.changes()
                    if !files.isEmpty { libraryChanged = true }
                    changed += files
                }
                if let files = debouncer.observe(changed, at: Date().timeIntervalSince(clock)) {
                    session.rebuild(because: files, libraryChanged: libraryChanged)
                    libraryChanged = false
                } else if session.takeRebuildRequest() {
                    // Cells that ran in the background have their outputs.
                    session.rebuild()
                }
            }
        }

        static func openBrowser(_ url: String) {
            for opener in ["/usr/bin/xdg-open", "/usr/bin/open"] where FileManager.default.isExecutableFile(atPath: opener) {
                _ = try? Subprocess.run([opener, url], environment: ProcessInfo.processInfo.environment,
                                        output: URL(fileURLWithPath: "/dev/null"), timeout: 10)
                return
            }
        }
    }
}
