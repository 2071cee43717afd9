import ChapterExecution
import Course
import Foundation
import MyST
import Publishing
import Testing

/// Explorer cells built for real: one forked run per combination, a frame
/// per progression value, each run cached on its own key, budgets, and the
/// page's `figure.explorer`.
@Suite(.serialized) struct ExplorerBuildTests {
    static func chapter(log: URL, a: String = "1, *2, 3") -> String {
        """
        # Explore

        ```{code-cell} swift
        import Foundation
        let base = 100
        /// Notes each run in a file, to count what ran.
        func note(_ s: String) {
            let f = fopen("\(log.path)", "a")
            fputs(s + "\\n", f)
            fclose(f)
        }
        ```

        ```{code-cell} swift
        :label: fig-grid
        :caption: The product is {glue:text}`total`.
        :explore-a: \(a)
        :explore-b: 10, 20
        :explore-steps: 1, 2, 3
        :progression: steps
        let a = explore.int("a"), b = explore.int("b")
        note("a=\\(a) b=\\(b)")
        print("a + b + base =", a + b + base)
        for s in explore.progression("steps") {
            explore.snapshot(at: s) {
                print("step", s)
                glue("total", a * b * s)
                var figure = Figure(width: 240, height: 120)
                figure.axes { ax in ax.line([1, Double(a * s)]) }
                show(figure)
            }
        }
        ```

        After the explorer the chapter goes on: {glue:text}`total`, {glue:text}`after`.

        ```{code-cell} swift
        glue("after", base + 1)
        ```
        """
    }

    func build(_ dir: URL, settings: String = "") throws -> CourseBuild {
        var o = BuildOptions()
        o.toolchain = CourseBuildTests.toolchain
        o.workDirectory = dir.appendingPathComponent(".nbrun")
        o.jobs = 2
        let build = try CourseBuild.load(dir.path, options: o)
        try build.execute()
        build.number()
        build.render()
        return build
    }

    func write(_ dir: URL, chapter: String, settings: String = "") throws {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try "version: 1\nproject:\n  title: Explore\n\(settings)  toc:\n    - file: explore.md\n"
            .write(to: dir.appendingPathComponent("myst.yml"), atomically: true, encoding: .utf8)
        try chapter.write(to: dir.appendingPathComponent("explore.md"), atomically: true, encoding: .utf8)
    }

    func runs(_ log: URL) -> [String] {
        ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init).sorted()
    }

    @Test func everyCombinationRunsOnceAndANewValueRunsOnlyItsOwn() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nbrun-explore-\(getpid())-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = dir.appendingPathComponent("runs.log")
        try write(dir, chapter: Self.chapter(log: log))
        let first = try build(dir)
        #expect(first.report.errors == 0, "\(first.report.diagnostics)")
        // 3 x 2 runs, not 18: the progression's 3 values come from each run's snapshots.
        #expect(runs(log) == ["a=1 b=10", "a=1 b=20", "a=2 b=10", "a=2 b=20", "a=3 b=10", "a=3 b=20"])
        let cell = try #require(first.outputs["explore.md"]?.byCell[CellID("fig-grid")])
        let frames = try #require(cell.explore)
        #expect(frames.count == 18)
        #expect(frames["a=3,b=20,steps=2"]?.stdout == "a + b + 100 =".replacingOccurrences(of: "b + 100", with: "b + base") + " 123\nstep 2\n")
        #expect(frames["a=3,b=20,steps=2"]?.glue["total"]?.data == "120")
        // The defaults (a = 2, b = 10, steps = 3: a progression shows its end)
        // are the cell's own outputs, and their glue is the chapter's.
        #expect(cell.stdout == "a + b + base = 112\nstep 3\n")
        #expect(first.outputs["explore.md"]?.glue["total"]?.data == "60")
        // The chapter went on from the state before the cell.
        #expect(first.outputs["explore.md"]?.glue["after"]?.data == "101")

        // The page: one figure, a control per parameter, every distinct frame once.
        let html = String(decoding: first.site?.files["explore.html"] ?? Data(), as: UTF8.self)
        #expect(html.components(separatedBy: "<figure class=\"explorer\"").count == 2)
        #expect(html.components(separatedBy: "<template data-frame=").count - 1 == 18)
        #expect(html.contains("data-param=\"steps\"") && html.contains("class=\"explorer-play\""))
        #expect(html.contains("The product is <span class=\"glue\">60</span>"))

        // A value more for a: only its two runs run; the others come from the cache.
        try? FileManager.default.removeItem(at: log)
        try write(dir, chapter: Self.chapter(log: log, a: "1, *2, 3, 4"))
        let second = try build(dir)
        #expect(second.report.errors == 0)
        #expect(runs(log) == ["a=4 b=10", "a=4 b=20"])
        #expect(second.outputs["explore.md"]?.byCell[CellID("fig-grid")]?.explore?.count == 24)
        #expect(second.outputs["explore.md"]?.byCell[CellID("fig-grid")]?.explore?["a=1,b=10,steps=1"]?.glue["total"]?.data == "10")
    }

    @Test func aGridOverTheBudgetIsRefusedWithItsSize() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nbrun-explore-\(getpid())-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = dir.appendingPathComponent("runs.log")
        try write(dir, chapter: Self.chapter(log: log), settings: "  execute:\n    explore_runs: 4\n")
        let build = try build(dir)
        let problem = try #require(build.report.diagnostics.first { $0.code == .exploreOverBudget })
        #expect(problem.severity == .error && problem.line == 14)
        #expect(problem.message.contains("3 x 2 = 6 runs, over the chapter's budget of 4"))
        // Only the defaults ran.
        #expect(runs(log) == ["a=2 b=10"])
    }

    /// A page opened from `file://` in headless Chromium: the controls show,
    /// an arrow key on a slider switches the frame and the caption's glued
    /// number, and the play button steps through the progression.
    @Test func aSliderMovedInChromiumFromAFileSwitchesTheFrameAndTheGluedNumber() throws {
        guard let chromium = HeadlessChromium.path else {
            print("ExplorerBuildTests: skipped, no Chromium here (Debian: apt-get install chromium)")
            return
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nbrun-explore-\(getpid())-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try write(dir, chapter: Self.chapter(log: dir.appendingPathComponent("runs.log")))
        let site = dir.appendingPathComponent("Site")
        let report = try build(dir).write(to: site)
        #expect(!report.failed, "\(report.diagnostics)")

        let browser = try HeadlessChromium(chromium)
        defer { browser.stop() }
        try browser.open(site.appendingPathComponent("explore.html"))
        func shown() throws -> String? { try browser.evaluate("document.querySelector('figure.explorer').dataset.shown") as? String }
        func caption() throws -> String? { try browser.evaluate("document.querySelector('figure.explorer > figcaption').textContent") as? String }
        func frame() throws -> String? { try browser.evaluate("document.querySelector('figure.explorer .explorer-frame').textContent") as? String }
        #expect(try browser.evaluate("document.querySelector('.explorer-controls').hidden") as? Bool == false)
        #expect(try shown() == "a=2,b=10,steps=3")
        #expect(try caption()?.contains("The product is 60.") == true)

        // The keyboard moves a slider: a from 2 to 3.
        try browser.evaluate("document.querySelector('input[data-param=\"a\"]').focus()")
        try browser.press("ArrowRight", code: 39)
        #expect(try shown() == "a=3,b=10,steps=3")
        #expect(try frame()?.contains("a + b + base = 113") == true)
        #expect(try caption()?.contains("The product is 90.") == true)
        #expect(try browser.evaluate("document.querySelector('input[data-param=\"a\"]').getAttribute('aria-valuetext')") as? String == "3")
        #expect(try browser.evaluate("document.querySelector('input[data-param=\"a\"]').parentElement.querySelector('output').textContent") as? String == "3")

        // Play starts the progression over from its first value.
        try browser.evaluate("document.querySelector('.explorer-play').click()")
        #expect(try shown() == "a=3,b=10,steps=1")
        #expect(try caption()?.contains("The product is 30.") == true)

        // A figure opens at full size in a dialog, from the keyboard too, and
        // Escape closes it; the frame the explorer switched to is decorated.
        let image = "document.querySelector('figure.explorer .explorer-frame img')"
        #expect(try browser.evaluate("\(image).getAttribute('role')") as? String == "button")
        try browser.evaluate("\(image).click()")
        #expect(try browser.evaluate("document.querySelector('dialog.figure-viewer').open") as? Bool == true)
        #expect(try browser.evaluate("document.querySelector('dialog.figure-viewer img').getAttribute('src') === \(image).getAttribute('src')") as? Bool == true)
        try browser.press("Escape", code: 27)
        #expect(try browser.evaluate("document.querySelector('dialog.figure-viewer').open") as? Bool == false)
        try browser.evaluate("\(image).focus()")
        try browser.press("Enter", code: 13)
        #expect(try browser.evaluate("document.querySelector('dialog.figure-viewer').open") as? Bool == true)
        if let out = ProcessInfo.processInfo.environment["NBRUN_SCREENSHOTS"] {
            try browser.screenshot().write(to: URL(fileURLWithPath: out).appendingPathComponent("explorer-test.png"))
        }
    }
}
