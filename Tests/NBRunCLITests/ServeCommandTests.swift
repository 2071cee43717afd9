import Foundation
import Testing

/// `nbrun serve` with a real browser: headless Chromium opens a served page,
/// the test edits the chapter, and the page, reloaded by its live script,
/// shows the edit. The page tells the server what it shows (its text, its
/// status line, its error overlay), which the test reads at /_nbrun/browsers.
@Suite(.serialized) struct ServeCommandTests {
    static var chromium: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    final class Running {
        let process = Process()
        let log: URL
        init(_ executable: String, _ arguments: [String], in dir: URL, log: URL) throws {
            self.log = log
            FileManager.default.createFile(atPath: log.path, contents: nil)
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            process.currentDirectoryURL = dir
            var env = ProcessInfo.processInfo.environment
            env["NBRUN_HOME"] = RunCommandTests.packageRoot.path
            env["NBRUN_SCRATCH_PATH"] = ".build-kernel-tests"
            process.environment = env
            let handle = try FileHandle(forWritingTo: log)
            process.standardOutput = handle
            process.standardError = handle
            process.standardInput = FileHandle.nullDevice
            try process.run()
        }
        var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }
        /// SIGKILL: a process started from a test thread inherits its blocked
        /// signals, SIGTERM among them.
        func stop() { if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() } }
    }

    /// Polls `probe` every 20 ms until it gives a value or `seconds` pass.
    func waitFor<T>(_ seconds: Double, _ probe: () -> T?) -> T? {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if let value = probe() { return value }
            usleep(20_000)
        }
        return nil
    }

    /// What the browsers on the server show.
    func shown(_ port: Int) -> [[String: Any]] {
        guard let data = try? Data(contentsOf: URL(string: "http://127.0.0.1:\(port)/_nbrun/browsers")!),
              let list = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else { return [] }
        return list
    }

    func note(_ s: String) { FileHandle.standardError.write(Data(("ServeCommandTests: " + s + "\n").utf8)) }

    @Test func aBrowserSeesProseEditsRunningCellsAndErrors() throws {
        guard let chromium = Self.chromium else {
            print("ServeCommandTests: skipped, no Chromium here (Debian: apt-get install chromium)")
            return
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nbrun-serve-\(getpid())-\(UUID().uuidString)")
        let book = dir.appendingPathComponent("book")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: RunCommandTests.packageRoot.appendingPathComponent("Tests/PublishingTests/Fixtures/showcase"), to: book)
        defer { try? FileManager.default.removeItem(at: dir) }
        let port = 20_000 + Int(getpid() % 20_000)

        let serve = try Running(RunCommandTests.nbrun.path, ["serve", "book", "--port", "\(port)"], in: dir, log: dir.appendingPathComponent("serve.log"))
        defer { serve.stop() }
        #expect(waitFor(300) { serve.output.contains("serving book/ at http://127.0.0.1:\(port)") ? true : nil } == true, "\(serve.output)")

        let browser = try Running(chromium, ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                             "--no-first-run", "--user-data-dir=\(dir.appendingPathComponent("chromium").path)",
                                             "--remote-debugging-port=0", "http://127.0.0.1:\(port)/01-basics.html"],
                                  in: dir, log: dir.appendingPathComponent("chromium.log"))
        defer { browser.stop() }
        func page() -> [String: Any]? { shown(port).first { ($0["page"] as? String) == "/01-basics.html" } }
        func generation(_ report: [String: Any]?) -> Int { (report?["generation"] as? NSNumber)?.intValue ?? -1 }
        let first = try #require(waitFor(60) { page().flatMap { generation($0) >= 0 ? $0 : nil } }, "the page never connected: \(browser.output)")
        #expect((first["text"] as? String)?.contains("sum of 41 points") == true)

        // A prose edit: the page reloads itself and shows it.
        let chapter = book.appendingPathComponent("01-basics.md")
        var text = try String(contentsOf: chapter, encoding: .utf8)
        text = text.replacingOccurrences(of: "The cell above used", with: "Freshly edited prose. The cell above used")
        let saved = Date()
        try text.write(to: chapter, atomically: true, encoding: .utf8)
        let edited = waitFor(30) { page().flatMap { ($0["text"] as? String)?.contains("Freshly edited prose.") == true ? $0 : nil } }
        #expect(edited != nil, "\(serve.output)")
        #expect(generation(edited) > generation(first))
        // The served page is the built page with the live script: no other byte differs.
        let served = try String(contentsOf: URL(string: "http://127.0.0.1:\(port)/01-basics.html")!, encoding: .utf8)
        let built = dir.appendingPathComponent("built")
        let build = try Running(RunCommandTests.nbrun.path, ["build", "book", "--output", built.path], in: dir, log: dir.appendingPathComponent("build.log"))
        build.process.waitUntilExit()
        let builtPage = try String(contentsOf: built.appendingPathComponent("01-basics.html"), encoding: .utf8)
        #expect(served.replacingOccurrences(of: "<script src=\"/_nbrun/live.js\" defer></script>\n", with: "") == builtPage, "\(build.output)")
        note(String(format: "a prose edit reached the browser's DOM in %.0f ms", Date().timeIntervalSince(saved) * 1000))

        // A cell edit: the page says the chapter runs, then shows the new output.
        // A program the cache has never seen, so the chapter really runs.
        let stamp = UUID().uuidString.prefix(8)
        text = text.replacingOccurrences(of: "print(\"sum of", with: "_ = \"\\(\"\(stamp)\")\"\nprint(\"SUM of")
        try text.write(to: chapter, atomically: true, encoding: .utf8)
        let running = waitFor(60) { page().flatMap { ($0["status"] as? String)?.contains("running") == true ? $0 : nil } }
        #expect(running != nil, "the page never showed the chapter running")
        // While it runs, the page keeps the outputs of the cells that did not
        // change, marked stale.
        #expect(((running?["stale"] as? NSNumber)?.intValue ?? 0) > 0, "\(running ?? [:])")
        note("the page showed the chapter running (browser alive: \(browser.process.isRunning))")
        let rerun = waitFor(120) { page().flatMap { ($0["text"] as? String)?.contains("SUM of 41 points") == true ? $0 : nil } }
        #expect(rerun != nil, "\(serve.output)")
        note("the page showed the cell's new output (browser alive: \(browser.process.isRunning))")

        // A compile error: the overlay shows it; the server goes on. (Here the
        // headless browser has been seen to quit after the page reloaded; a
        // fresh one opens the page then, which must show the overlay too.)
        text = text.replacingOccurrences(of: "print(\"SUM of", with: "let broken: Int = \"x\"\nprint(\"SUM of")
        try text.write(to: chapter, atomically: true, encoding: .utf8)
        var again: Running?
        defer { again?.stop() }
        let failing = waitFor(120) { () -> [String: Any]? in
            if !browser.process.isRunning && again == nil {
                note("the browser quit; opening the page in a new one")
                again = try? Running(chromium, ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                                "--no-first-run", "--user-data-dir=\(dir.appendingPathComponent("chromium-2").path)",
                                                "--remote-debugging-port=0", "http://127.0.0.1:\(port)/01-basics.html"],
                                     in: dir, log: dir.appendingPathComponent("chromium-2.log"))
            }
            return page().flatMap { (($0["errors"] as? NSNumber)?.intValue ?? 0) > 0 ? $0 : nil }
        }
        #expect(failing != nil, "\(serve.output)")
        note("the page showed the error overlay")
        #expect(serve.output.contains("cannot convert value of type 'String' to specified type 'Int'"))
        #expect(serve.process.isRunning)
    }
}
