import ChapterExecution
import Course
import Foundation
@testable import Preview
import Testing

@Suite struct FileWatcherTests {
    func folder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nbrun-watch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        return dir
    }

    #if os(Linux)
    @Test func inotifyWakesTheWatcherForFilesInFoldersOldAndNew() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let signal = ChangeNotifier(folders: [dir])
        #expect(signal.available)
        #expect(!signal.wait(milliseconds: 50))          // nothing happened
        try "x".write(to: dir.appendingPathComponent("sub/a.md"), atomically: false, encoding: .utf8)
        #expect(signal.wait(milliseconds: 2000))
        #expect(!signal.wait(milliseconds: 50))          // the events were read
        let made = dir.appendingPathComponent("sub/new")
        try FileManager.default.createDirectory(at: made, withIntermediateDirectories: true)
        #expect(signal.wait(milliseconds: 2000))         // the new folder, now watched too
        try "y".write(to: made.appendingPathComponent("b.md"), atomically: false, encoding: .utf8)
        #expect(signal.wait(milliseconds: 2000))
    }
    #endif

    @Test func seesNewChangedAndRemovedFilesButNotTheSameBytesSavedAgain() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = dir.appendingPathComponent("a.md"), b = dir.appendingPathComponent("sub/b.yml")
        try "one".write(to: a, atomically: true, encoding: .utf8)
        var watcher = FileWatcher(folders: [dir], suffixes: ["md", "yml"])
        #expect(watcher.changes().isEmpty)

        try "two".write(to: b, atomically: true, encoding: .utf8)
        #expect(watcher.changes() == [b.standardizedFileURL.path])

        // Saved again with the same bytes and a new time: no change.
        try "one".write(to: a, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(5)], ofItemAtPath: a.path)
        #expect(watcher.changes().isEmpty)

        try "one, edited".write(to: a, atomically: true, encoding: .utf8)
        #expect(watcher.changes() == [a.standardizedFileURL.path])

        // Other suffixes and hidden folders are not watched.
        try "x".write(to: dir.appendingPathComponent("notes.tmp"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent(".nbrun"), withIntermediateDirectories: true)
        try "x".write(to: dir.appendingPathComponent(".nbrun/c.md"), atomically: true, encoding: .utf8)
        #expect(watcher.changes().isEmpty)

        try FileManager.default.removeItem(at: b)
        #expect(watcher.changes() == [b.standardizedFileURL.path])
    }
}

@Suite struct DebouncerTests {
    @Test func waitsForABurstToSettle() {
        var d = Debouncer(quiet: 0.05, longest: 0.5)
        #expect(d.observe([], at: 0) == nil)
        #expect(d.observe(["a"], at: 1.00) == nil)          // the first write of a save
        #expect(d.observe(["b"], at: 1.02) == nil)          // its second write
        #expect(d.observe([], at: 1.05) == nil)             // 30 ms of quiet: not yet
        #expect(d.observe([], at: 1.08) == ["a", "b"])      // 60 ms of quiet: one rebuild for both
        #expect(d.observe([], at: 1.20) == nil)             // and only one
    }

    @Test func aFileWrittenWithoutPauseStillRebuildsAfterTheLongestWait() {
        var d = Debouncer(quiet: 0.05, longest: 0.5)
        var rebuilt: [String]?
        var t = 0.0
        while rebuilt == nil && t < 2 {
            rebuilt = d.observe(["log.md"], at: t)
            t += 0.02
        }
        #expect(rebuilt == ["log.md"])
        #expect(t > 0.5 && t < 0.6)
    }
}

@Suite struct PreviewPlanTests {
    func project(_ chapters: [String: String], settings: String = "") throws -> (URL, CourseProject) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nbrun-plan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let yml = "project:\n  title: T\n\(settings)  toc:\n" + chapters.keys.sorted().map { "    - file: \($0)\n" }.joined()
        try yml.write(to: dir.appendingPathComponent("myst.yml"), atomically: true, encoding: .utf8)
        for (name, text) in chapters { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return (dir, try CourseProject.load(dir.path))
    }

    static let a = "# A\n\nProse.\n\n```{code-cell} swift\nprint(1)\n```\n"
    static let b = "# B\n\n```{code-cell} swift\nprint(2)\n```\n"

    @Test func proseRendersCellsRunAndSettingsRunWhatTheyTouch() throws {
        let (dir, first) = try project(["a.md": Self.a, "b.md": Self.b, "c.md": "# C, prose only\n"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let sources = Dictionary(uniqueKeysWithValues: first.chapters.map { ($0.file, $0.source) })
        #expect(PreviewPlan.make(previous: [:], project: first).execute == ["a.md", "b.md"])
        #expect(PreviewPlan.make(previous: sources, project: first).execute == [])

        // Prose moves the cell down two lines: still nothing to run.
        try Self.a.replacingOccurrences(of: "Prose.", with: "Prose,\n\nlonger now.").write(to: dir.appendingPathComponent("a.md"), atomically: true, encoding: .utf8)
        let prose = try CourseProject.load(dir.path)
        #expect(PreviewPlan.make(previous: sources, project: prose).execute == [])

        try Self.b.replacingOccurrences(of: "print(2)", with: "print(3)").write(to: dir.appendingPathComponent("b.md"), atomically: true, encoding: .utf8)
        let cell = try CourseProject.load(dir.path)
        #expect(PreviewPlan.make(previous: sources, project: cell).execute == ["b.md"])

        // A project setting reaches every chapter with cells.
        try "project:\n  title: T\n  execute:\n    seed: 7\n  toc:\n    - file: a.md\n    - file: b.md\n    - file: c.md\n"
            .write(to: dir.appendingPathComponent("myst.yml"), atomically: true, encoding: .utf8)
        let settings = try CourseProject.load(dir.path)
        let cellSources = Dictionary(uniqueKeysWithValues: cell.chapters.map { ($0.file, $0.source) })
        #expect(PreviewPlan.make(previous: cellSources, project: settings).execute == ["a.md", "b.md"])
    }
}

@Suite struct LiveScriptTests {
    @Test func onlyServedPagesCarryTheScript() {
        let page = Data("<html><body><p>x</p></body></html>".utf8)
        let files = PreviewSession.withLiveScript(["index.html": page, "_static/a.css": Data("p{}".utf8)])
        #expect(String(decoding: files["index.html"]!, as: UTF8.self) == "<html><body><p>x</p>" + LiveScript.tag + "</body></html>")
        #expect(files["_static/a.css"] == Data("p{}".utf8))
        #expect(files[LiveScript.path] != nil)
    }
}

/// What the preview keeps between builds: a chapter's result, matched to its
/// cells wherever they now stand, or shown stale while the chapter runs again.
@Suite struct KeptResultTests {
    static let chapter = "# A\n\nProse.\n\n```{code-cell} swift\nprint(1)\n```\n\n```{code-cell} swift\n:label: two\nprint(2)\n```\n"

    func load(_ text: String) throws -> (URL, CourseProject) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nbrun-kept-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try "project:\n  title: T\n  toc:\n    - file: a.md\n".write(to: dir.appendingPathComponent("myst.yml"), atomically: true, encoding: .utf8)
        try text.write(to: dir.appendingPathComponent("a.md"), atomically: true, encoding: .utf8)
        return (dir, try CourseProject.load(dir.path))
    }

    func output(_ text: String) -> CellOutput {
        var o = CellOutput()
        o.stdout = text
        return o
    }

    @Test func aResultFollowsItsCellsWhenProseMovesThem() throws {
        let (dir, before) = try load(Self.chapter)
        defer { try? FileManager.default.removeItem(at: dir) }
        let old = try #require(before.chapters.first { $0.file == "a.md" })
        let result = ChapterResult(cells: [output("1\n"), output("2\n")])
        let moved = Self.chapter.replacingOccurrences(of: "Prose.", with: "Prose,\n\nand more prose,\n\nthree lines more.")
        let (dir2, after) = try load(moved)
        defer { try? FileManager.default.removeItem(at: dir2) }
        let chapter = try #require(after.chapters.first { $0.file == "a.md" })
        #expect(chapter.source.runsTheSame(as: old.source))
        #expect(chapter.cells.map(\.range) != old.cells.map(\.range))

        let build = CourseBuild(after)
        build.record(chapter, result: .success(result), of: old.source, cached: true)
        let outputs = try #require(build.outputs["a.md"])
        #expect(chapter.cells.map { outputs.byBlock[$0.range]?.stdout } == ["1\n", "2\n"])
        #expect(build.report.chapters.map(\.path) == [chapter.path])
    }

    @Test func aStaleResultKeepsOnlyTheOutputsOfCellsThatDidNotChange() throws {
        let (dir, before) = try load(Self.chapter)
        defer { try? FileManager.default.removeItem(at: dir) }
        let old = try #require(before.chapters.first { $0.file == "a.md" })
        let (dir2, after) = try load(Self.chapter.replacingOccurrences(of: "print(1)", with: "print(10)"))
        defer { try? FileManager.default.removeItem(at: dir2) }
        let chapter = try #require(after.chapters.first { $0.file == "a.md" })
        #expect(!chapter.source.runsTheSame(as: old.source))

        let build = CourseBuild(after)
        build.recordStale(chapter, result: ChapterResult(cells: [output("1\n"), output("2\n")], glue: ["g": DisplayRecord(mime: "text/plain", data: "7")]),
                          of: old.source)
        let outputs = try #require(build.outputs["a.md"])
        #expect(chapter.cells.map { outputs.byBlock[$0.range]?.stdout } == [nil, "2\n"])
        #expect(outputs.glue["g"]?.data == "7")
        #expect(build.report.chapters.isEmpty)
    }
}
