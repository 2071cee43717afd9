import Foundation
import Testing

/// The site's search in a real browser (headless Chromium, from `file://`):
/// a query in American spelling finds a section written in British spelling,
/// deep in a long section, and highlights it in the snippet.
@Suite struct SearchInBrowserTests {
    @Test func americanSpellingFindsBritishTextAnywhereInASection() throws {
        guard let chromium = HeadlessChromium.path else {
            print("SearchInBrowserTests: skipped, no Chromium here (Debian: apt-get install chromium)")
            return
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nbrun-search-\(getpid())-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try "version: 1\nproject:\n  title: Search\n  toc:\n    - file: ch.md\n".write(to: dir.appendingPathComponent("myst.yml"), atomically: true, encoding: .utf8)
        let filler = String(repeating: "Plain words about flows and their layers. ", count: 80)
        try "# Chapter\n\n## Discrete data\n\n\(filler)\n\nAt the end, the colour of the dequantisation noise.\n\n## Other\n\nNothing here.\n"
            .write(to: dir.appendingPathComponent("ch.md"), atomically: true, encoding: .utf8)
        let site = dir.appendingPathComponent("site")
        let build = try GradeCommandTests.launch(RunCommandTests.nbrun, ["build", dir.path, "-o", site.path], in: dir)
        #expect(build.status == 0, "\(build.output)")

        let browser = try HeadlessChromium(chromium)
        defer { browser.stop() }
        try browser.open(site.appendingPathComponent("ch.html"))
        try browser.evaluate("""
            (() => { const i = document.getElementById('search-input'); i.focus(); i.value = 'dequantization color';
                     i.dispatchEvent(new Event('input')); })()
            """)
        var results = ""
        for _ in 0..<100 {
            results = (try browser.evaluate("document.getElementById('search-results').innerHTML") as? String) ?? ""
            if results.contains("<a") { break }
            usleep(50_000)
        }
        #expect(results.contains("#discrete-data"), "\(results)")
        #expect(results.contains("<mark>dequantisation</mark>") && results.contains("<mark>colour</mark>"), "\(results)")
        #expect(!results.contains("#other"))
    }
}
