import Foundation
import Testing
import ArgumentParser
import Course
import Grading
@testable import NBRunCLI

/// `nbrun release`: the students' kit holds no solution and no hidden check,
/// and loads as a project of its own.
@Suite(.serialized) struct ReleaseCommandTests {
    // Markers: every line of the solutions and hidden checks carries one.
    static let secrets = ["SOLUTION_MARKER", "solutionMarkerTwo", "HIDDEN_CHECK_MARKER", "hiddenCheckMarkerTwo",
                          "HIDDEN_CUBE_MARKER", "GATED_SOLUTION_MARKER", "CRLF_SOLUTION_MARKER", "sol-square"]

    static let chapter = """
        ---
        execute:
          data: [tables/extra.csv]
        ---
        # Squares

        An image: ![a figure](images/fig.svg). VISIBLE_PROSE_MARKER.

        ::::{exercise} Squares
        :label: ex-square

        Write `square(_:)`, which returns its argument squared.

        ```{setup}
        let scale: Float = 1   // SETUP_MARKER
        ```

        ```{starter}
        func square(_ x: Float) -> Float {
            return 0   // STARTER_MARKER
        }
        ```

        ```{check} small numbers
        :points: 2
        expectClose(square(3), 9)   // VISIBLE_CHECK_MARKER
        ```

        ```{check} large numbers
        :points: 3
        :hidden:
        let hiddenCheckMarkerTwo = square(1000)
        expectClose(hiddenCheckMarkerTwo, 1_000_000)   // HIDDEN_CHECK_MARKER
        ```

        ```{question} What is the square of 4?
        :answer: 16
        ```
        ::::

        (sol-square)=
        ::::{solution} ex-square
        ```swift
        func square(_ x: Float) -> Float { x * x }   // SOLUTION_MARKER
        let solutionMarkerTwo = 2
        ```
        ::::

        Text between the solution and the next exercise.

        ::::{exercise} Cubes
        :label: ex-cube

        Write `cube(_:)`.

        ```{starter}
        func cube(_ x: Float) -> Float { 0 }
        ```

        ```{check} hidden first
        :hidden:
        expect(cube(2) == 8, "HIDDEN_CUBE_MARKER")
        ```
        ```{check} visible second
        expect(cube(1) == 1)
        ```
        ::::

        ```{solution-start} ex-cube
        ```

        ```{code-cell} swift
        func cube(_ x: Float) -> Float { x * x * x }   // GATED_SOLUTION_MARKER
        ```

        ```{solution-end}
        ```

        The end.

        """

    /// The chapter as students get it, written out by hand.
    static let released = """
        ---
        execute:
          data: [tables/extra.csv]
        ---
        # Squares

        An image: ![a figure](images/fig.svg). VISIBLE_PROSE_MARKER.

        ::::{exercise} Squares
        :label: ex-square

        Write `square(_:)`, which returns its argument squared.

        ```{setup}
        let scale: Float = 1   // SETUP_MARKER
        ```

        ```{starter}
        func square(_ x: Float) -> Float {
            return 0   // STARTER_MARKER
        }
        ```

        ```{check} small numbers
        :points: 2
        expectClose(square(3), 9)   // VISIBLE_CHECK_MARKER
        ```

        ```{question} What is the square of 4?
        :answer: 16
        ```
        ::::

        Text between the solution and the next exercise.

        ::::{exercise} Cubes
        :label: ex-cube

        Write `cube(_:)`.

        ```{starter}
        func cube(_ x: Float) -> Float { 0 }
        ```

        ```{check} visible second
        expect(cube(1) == 1)
        ```
        ::::

        The end.

        """

    /// Line endings as written, and a solution at the very end.
    static let crlf = "# Windows\r\n\r\nSome text.\r\n\r\n::::{solution} ex-cube\r\n```swift\r\nlet x = 1 // CRLF_SOLUTION_MARKER\r\n```\r\n::::"
    static let crlfReleased = "# Windows\r\n\r\nSome text.\r\n"

    /// A project folder `book` in a fresh directory: the chapters above, a
    /// landing page, data, an image, and notes that are not the students'.
    func project() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nbrun-release-\(getpid())-\(UUID().uuidString)")
        try write("version: 1\nproject:\n  title: Tiny course\n  toc:\n    - file: index.md\n    - file: 01-squares.md\n    - file: 02-crlf.md\n",
                  dir, "book/myst.yml")
        try write("# Welcome\n\nThe chapters.\n", dir, "book/index.md")
        try write(Self.chapter, dir, "book/01-squares.md")
        try write(Self.crlf, dir, "book/02-crlf.md")
        try write("x,y\n1,2\n", dir, "book/data/points.csv")
        try write("a\n", dir, "book/tables/extra.csv")
        try write("<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n", dir, "book/images/fig.svg")
        try write("The answers: x * x. SOLUTION_MARKER\n", dir, "book/notes/answers.md")
        return dir
    }

    func write(_ text: String, _ dir: URL, _ path: String) throws {
        let url = dir.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func read(_ dir: URL, _ path: String) -> String {
        (try? String(contentsOf: dir.appendingPathComponent(path), encoding: .utf8)) ?? ""
    }

    /// `nbrun release ARGUMENTS`, as the command line runs it.
    func release(_ arguments: [String]) throws {
        var command = try NBRun.Release.parse(arguments)
        try command.validate()
        try command.run()
    }

    /// Every file under `dir`, by path relative to it.
    func files(_ dir: URL) -> [String] {
        let base = dir.resolvingSymlinksInPath().path + "/"
        var found: [String] = []
        for case let url as URL in FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil) ?? FileManager.DirectoryEnumerator() {
            var isDirectory: ObjCBool = false
            let path = url.resolvingSymlinksInPath().path
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                found.append(String(path.dropFirst(base.count)))
            }
        }
        return found.sorted()
    }

    @Test func theKitHoldsNoSolutionOrHiddenCheckAndTheRestAsItWas() throws {
        let dir = try project()
        defer { try? FileManager.default.removeItem(at: dir) }
        let book = dir.appendingPathComponent("book"), kit = dir.appendingPathComponent("student")
        try release([book.path, "--into", kit.path])

        #expect(files(kit) == ["01-squares.md", "02-crlf.md", "README.md", "data/points.csv", "exercises/ex-cube.swift",
                               "exercises/ex-square.swift", "images/fig.svg", "index.md", "myst.yml", "tables/extra.csv"])
        // Grep every file of the kit.
        for file in files(kit) {
            let text = read(kit, file)
            for secret in Self.secrets { #expect(!text.contains(secret), "\(file) holds \(secret)") }
        }
        // The rest, byte for byte.
        #expect(read(kit, "01-squares.md") == Self.released)
        #expect(try Data(contentsOf: kit.appendingPathComponent("02-crlf.md")) == Data(Self.crlfReleased.utf8))
        for same in ["myst.yml", "index.md", "data/points.csv", "tables/extra.csv", "images/fig.svg"] {
            #expect(read(kit, same) == read(book, same), "\(same)")
        }
        // Visible checks, setup, questions and starters are the students'.
        for shown in ["VISIBLE_CHECK_MARKER", "SETUP_MARKER", "STARTER_MARKER", "VISIBLE_PROSE_MARKER", ":answer: 16"] {
            #expect(read(kit, "01-squares.md").contains(shown), "\(shown)")
        }
        let starter = read(kit, "exercises/ex-square.swift")
        #expect(starter.hasPrefix("// nbrun exercise ex-square · 01-squares.md\n// Exercise 1.1: Squares (5 points)\n"), "\(starter)")
        #expect(starter.contains("// Checks: small numbers (2), and 1 hidden.\n"))
        #expect(starter.contains("// Check your work: nbrun check exercises/ex-square.swift --project .\n"))
        #expect(starter.contains("    return 0   // STARTER_MARKER\n"))
        #expect(read(kit, "exercises/ex-cube.swift").contains("func cube(_ x: Float) -> Float { 0 }"))
        let readme = read(kit, "README.md")
        #expect(readme.hasPrefix("# Tiny course: your kit\n"))
        #expect(readme.contains("nbrun check exercises/ --project ."))
        #expect(readme.contains("| `exercises/ex-square.swift` | Exercise 1.1: Squares | 01-squares.md | 5 (3) |"))
    }

    @Test func theKitLoadsAsAProjectWithTheVisibleChecksOnly() throws {
        let dir = try project()
        defer { try? FileManager.default.removeItem(at: dir) }
        let book = dir.appendingPathComponent("book"), kit = dir.appendingPathComponent("student")
        try release([book.path, "--into", kit.path])
        let (source, _) = try CourseExercises.load(book.path)
        let (released, releasedProblems) = try CourseExercises.load(kit.path)
        #expect(releasedProblems.isEmpty, "\(releasedProblems)")
        #expect(released.specs.map(\.label) == ["ex-square", "ex-cube"])
        #expect(released.specs.map(\.label) == source.specs.map(\.label))
        #expect(released.specs.map(\.name) == ["Exercise 1.1", "Exercise 1.2"])
        #expect(source.specs.first?.solution != nil)
        for (s, r) in zip(source.specs, released.specs) {
            #expect(r.solution == nil)
            #expect(r.checks.map(\.name) == s.checks.filter { !$0.hidden }.map(\.name))
            #expect(r.checks.map(\.code) == s.checks.filter { !$0.hidden }.map(\.code))
            #expect(r.checks.map(\.points) == s.checks.filter { !$0.hidden }.map(\.points))
            #expect(r.starter?.code == s.starter?.code && r.setup?.code == s.setup?.code && r.statement == s.statement)
        }
        #expect(released.specs.map { $0.checks.map(\.name) } == [["small numbers"], ["visible second"]])
    }

    @Test func refusesAFolderInUseAndThePlacesOfTheProject() throws {
        let dir = try project()
        defer { try? FileManager.default.removeItem(at: dir) }
        let book = dir.appendingPathComponent("book"), kit = dir.appendingPathComponent("student")
        let before = files(book)
        try write("my own notes\n", dir, "student/notes.txt")
        #expect(throws: (any Error).self) { try release([book.path, "--into", kit.path]) }
        #expect(files(kit) == ["notes.txt"])
        // --overwrite writes the kit over it and leaves other files alone.
        try write("stale\n", dir, "student/01-squares.md")
        try release([book.path, "--into", kit.path, "--overwrite"])
        #expect(read(kit, "01-squares.md") == Self.released)
        #expect(read(kit, "notes.txt") == "my own notes\n")
        // Never inside the project, nor around it, nor through a link to it.
        try FileManager.default.createSymbolicLink(at: dir.appendingPathComponent("link"), withDestinationURL: book)
        for into in [book.path, book.appendingPathComponent("student").path, dir.path,
                     dir.appendingPathComponent("link/kit").path] {
            #expect(throws: (any Error).self) { try release([book.path, "--into", into, "--overwrite"]) }
        }
        #expect(files(book) == before)
        // Nothing is written when a chapter has errors.
        try write(Self.chapter + "\n```{solution-start} ex-square\n```\n\nlet leak = 1\n", dir, "book/01-squares.md")
        let other = dir.appendingPathComponent("other")
        #expect(throws: (any Error).self) { try release([book.path, "--into", other.path]) }
        #expect(!FileManager.default.fileExists(atPath: other.path))
    }

    /// The course itself: no line of any exercise's solution or hidden checks
    /// is in the kit, beyond where the chapters show the same line anyway.
    @Test func theCourseKitHoldsNoLineOfASolutionOrHiddenCheck() throws {
        let book = RunCommandTests.packageRoot.appendingPathComponent("Notebooks")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nbrun-release-\(getpid())-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let kit = dir.appendingPathComponent("student")
        try release([book.path, "--into", kit.path])

        let (course, _) = try CourseExercises.load(book.path)
        let (released, releasedProblems) = try CourseExercises.load(kit.path)
        #expect(course.specs.count >= 10)
        #expect(releasedProblems.isEmpty, "\(releasedProblems)")
        #expect(released.specs.map(\.label) == course.specs.map(\.label))
        #expect(released.specs.allSatisfy { $0.solution == nil && !$0.checks.contains(where: \.hidden) })
        for (s, r) in zip(course.specs, released.specs) {
            #expect(r.checks.map(\.code) == s.checks.filter { !$0.hidden }.map(\.code), "\(s.label)")
        }

        func lines(_ text: String) -> [String] { text.components(separatedBy: "\n") }
        /// Text to count lines in (no secret spans two lines).
        func corpus(_ lines: [String]) -> ContiguousArray<CChar> { lines.joined(separator: "\n").utf8CString }
        let chapters = course.tocFiles.values.sorted()
        let listed = read(book, "myst.yml").components(separatedBy: "\n").filter { $0.contains("- file:") }
        #expect(chapters.count == listed.count && chapters.count >= 7)
        let otherFiles = files(kit).filter { !chapters.contains($0) }
        #expect(otherFiles.filter { $0.hasPrefix("exercises/") }.count == course.specs.count)
        let sourceChapters = corpus(chapters.flatMap { lines(read(book, $0)) })
        let kitChapters = corpus(chapters.flatMap { lines(read(kit, $0)) })
        let kitOthers = corpus(otherFiles.flatMap { lines(read(kit, $0)) })
        // What the course withholds, and what it shows of each exercise.
        let withheldLines = course.specs.flatMap { spec in
            lines(spec.solution?.code ?? "") + spec.checks.filter(\.hidden).flatMap { lines($0.code) }
        }
        let withheld = corpus(withheldLines)
        let shownOfExercises = corpus(course.specs.flatMap { lines($0.starter?.code ?? "") + lines($0.statement) })
        let secrets = Set(withheldLines.map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.count > 20 })
        #expect(secrets.count > 100)
        for secret in secrets.sorted() {
            func count(_ text: ContiguousArray<CChar>) -> Int { Self.occurrences(of: secret, in: text) }
            // Every chapter line that holds it goes, unless the chapter shows it
            // elsewhere too (prose, cells, visible checks, starter code).
            #expect(count(kitChapters) == count(sourceChapters) - count(withheld), "the kit's chapters show `\(secret)`")
            // The starter files and README show only starter code and statements.
            #expect(count(kitOthers) <= count(shownOfExercises), "the kit's starter files show `\(secret)`")
        }
    }

    /// The occurrences of `s` in `corpus` (NUL-terminated), not overlapping.
    static func occurrences(of s: String, in corpus: ContiguousArray<CChar>) -> Int {
        let length = s.utf8.count
        guard length > 0 else { return 0 }
        return s.withCString { needle in
            corpus.withUnsafeBufferPointer { hay in
                var at = hay.baseAddress!, count = 0
                while let hit = strstr(at, needle) {
                    count += 1
                    at = UnsafePointer(hit) + length
                }
                return count
            }
        }
    }
}
