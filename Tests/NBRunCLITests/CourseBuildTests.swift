import ChapterExecution
import Course
import Foundation
import MyST
import Publishing
import Testing

/// The build pipeline called step by step, as the commands and the live
/// preview call it: assertions on the returned report, not on printed text.
@Suite(.serialized) struct CourseBuildTests {
    static let toolchain = Toolchain(packageRoot: RunCommandTests.packageRoot, swiftc: Toolchain.findSwiftc(),
                                     scratchPath: ".build-kernel-tests")

    /// A project folder with `myst.yml` and the given chapters (toc in name order).
    func project(_ chapters: [String: String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nbrun-course-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let yml = "version: 1\nproject:\n  title: Tiny\n  toc:\n" + chapters.keys.sorted().map { "    - file: \($0)\n" }.joined()
        try yml.write(to: dir.appendingPathComponent("myst.yml"), atomically: true, encoding: .utf8)
        for (name, text) in chapters { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return dir
    }

    func options(_ dir: URL, student: Bool = false) -> BuildOptions {
        var o = BuildOptions()
        o.toolchain = Self.toolchain
        o.workDirectory = dir.appendingPathComponent(".nbrun")
        o.student = student
        o.jobs = 2
        return o
    }

    static let hiddenFailure = """
        # Hidden

        Prose before.

        ```{code-cell} swift
        :tags: [remove-cell]
        let xs: [Int] = []
        if xs.isEmpty { fatalError("hidden failure") }
        ```

        ```{code-cell} swift
        print("shown")
        ```
        """

    @Test func aFailingCellFailsTheBuildEvenWhenItsPageDoesNotShowIt() throws {
        let dir = try project(["01-hidden.md": Self.hiddenFailure])
        defer { try? FileManager.default.removeItem(at: dir) }
        let build = try CourseBuild.load(dir.path, options: options(dir))
        let report = try build.run(output: dir.appendingPathComponent("Site"))
        #expect(report.failed)
        let errors = report.diagnostics.filter { $0.severity == .error }
        #expect(errors.count == 1, "\(report.diagnostics)")
        #expect(errors.first?.code == .cellError)
        #expect(errors.first?.range.start.line == 8, "\(errors)")
        #expect(errors.first?.message.contains("hidden failure") == true, "\(errors)")
        #expect(report.chapters.first?.failedCells == 1)
        // The site was not replaced: the pages went to the failed site.
        #expect(report.writtenTo?.lastPathComponent == "failed-site")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("Site").path))
        // The page shows nothing of the removed cell, and the next cell did not run.
        let page = try String(contentsOf: dir.appendingPathComponent(".nbrun/failed-site/01-hidden.html"), encoding: .utf8)
        #expect(!page.contains("hidden failure") && !page.contains("<pre class=\"output stdout\">shown"))
    }

    static let gatedSolution = """
        # Gated

        ```{exercise}
        :label: ex-double
        Write `double`.
        ```

        ```{solution-start} ex-double
        ```

        ```{code-cell} swift
        func double(_ x: Int) -> Int { x * 2 }
        precondition(double(2) == 5, "the solution is wrong")
        ```

        ```{solution-end}
        ```
        """

    @Test func aFailingCellInAGatedSolutionFailsTheStudentsBuildToo() throws {
        let dir = try project(["01-gated.md": Self.gatedSolution])
        defer { try? FileManager.default.removeItem(at: dir) }
        for student in [false, true] {
            let build = try CourseBuild.load(dir.path, options: options(dir, student: student))
            let report = try build.run(output: dir.appendingPathComponent("Site"))
            #expect(report.failed, "student: \(student)")
            #expect(report.diagnostics.contains { $0.code == .cellError && $0.range.start.line == 13 }, "\(report.diagnostics)")
            let page = try String(contentsOf: dir.appendingPathComponent(".nbrun/failed-site/01-gated.html"), encoding: .utf8)
            #expect(page.contains("the solution is wrong") == !student, "student: \(student)")
        }
    }

    @Test func stepsRunAloneAndOnOneChapter() throws {
        let dir = try project([
            "01-a.md": "# A\n\n```{code-cell} swift\n:label: greet\nprint(\"from a\")\n```\n\n```{code-cell} swift\nprint(1)\n```\n",
            "02-b.md": "# B\n\n```{code-cell} swift\nprint(\"from b\")\n```\n",
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let build = try CourseBuild.load(dir.path, options: options(dir))
        // Loading names, numbers and identifies everything once.
        #expect(build.project.chapters.map(\.page) == ["01-a.html", "02-b.html"])
        #expect(build.project.chapters.map(\.number) == [1, 2])
        #expect(build.project.chapters[0].cells.map(\.id.rawValue) == ["greet", "cell-2"])

        try build.execute(only: ["02-b.md"])
        #expect(build.outputs["01-a.md"] == nil)
        #expect(build.outputs["02-b.md"]?.byCell[CellID("cell-1")]?.stdout == "from b\n")
        try build.execute(only: ["01-a.md"])
        #expect(build.outputs["01-a.md"]?.byCell[CellID("greet")]?.stdout == "from a\n")
        #expect(build.outputs["01-a.md"]?.byCell[CellID("cell-2")]?.stdout == "1\n")
        #expect(build.chapterReports.map(\.path).sorted() == build.project.chapters.map(\.path).sorted())

        build.number()
        #expect(build.numbered?.numbering(of: "02-b.md")?.chapter == 2)
        build.render()
        let html = String(decoding: build.site?.files["01-a.html"] ?? Data(), as: UTF8.self)
        #expect(html.contains("from a"))
        let report = try build.write(to: dir.appendingPathComponent("Site"))
        #expect(!report.failed && report.errors == 0 && report.pageCount == 3)
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("Site/02-b.html").path))
    }

    @Test func cellIdentitiesAreUniqueEvenWhenALabelLooksLikeOne() {
        let doc = Document.parse("```{code-cell} swift\n:label: cell-2\nprint(1)\n```\n\n```{code-cell} swift\nprint(2)\n```\n\n"
                                 + "```{code-cell} swift\n:label: cell-2\nprint(3)\n```\n", file: "a.md")
        let chapter = CourseChapter(file: "a.md", document: doc, settings: ExecutionSettings(), number: 1, page: "a.html", part: nil)
        let ids = chapter.cells.map(\.id.rawValue)
        #expect(ids == ["cell-2", "cell-2-2", "cell-3"], "\(ids)")
        #expect(Set(ids).count == ids.count)
    }

    @Test func chaptersAreNamedAndNumberedAsTheSiteNamesThem() throws {
        let dir = try project(["index.md": "# Home\n", "01-a.md": "# A\n", "03-c.md": "# C\n"])
        defer { try? FileManager.default.removeItem(at: dir) }
        // A toc entry that cannot be read takes no number, as in the site.
        let yml = "project:\n  title: T\n  toc:\n    - file: index.md\n    - file: 01-a.md\n    - file: 02-gone.md\n    - file: 03-c.md\n"
        try yml.write(to: dir.appendingPathComponent("myst.yml"), atomically: true, encoding: .utf8)
        let project = try CourseProject.load(dir.path)
        #expect(project.chapters.map(\.page) == ["index.html", "01-a.html", "03-c.html"])
        #expect(project.chapters.map(\.number) == [nil, 1, 2])
        #expect(project.diagnostics.contains { $0.code == .unreadableChapter })
        let numbered = SiteBuilder.number(project.config, pages: project.sitePages())
        for chapter in project.chapters {
            #expect(numbered.numbering(of: chapter.file)?.page == chapter.page)
            #expect(numbered.numbering(of: chapter.file)?.chapter == chapter.number)
        }
    }

    @Test func everyProblemIsOneKindOfDiagnosticWithItsOwnCode() throws {
        let dir = try project([
            "01-a.md": "---\nexecute:\n  timeout: soon\n---\n# A\n\n:::{figure} missing.png\n:::\n\nSee {ref}`nowhere`.\n",
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        var o = options(dir)
        o.execute = false
        let report = try CourseBuild.load(dir.path, options: o).run(output: dir.appendingPathComponent("Site"))
        let codes = Set(report.diagnostics.map(\.code))
        #expect(codes.contains(.badSetting) && codes.contains(.unresolvedReference), "\(report.diagnostics)")
        #expect(codes.contains(.missingFile) && codes.contains(.missingAltText), "\(report.diagnostics)")
        #expect(report.errors == report.diagnostics.filter { $0.severity == .error }.count)
        // In reading order.
        #expect(report.diagnostics.map(\.range.start.line) == report.diagnostics.map(\.range.start.line).sorted())
    }

    @Test func aProjectThatCannotBeLoadedSaysWhereAndWhy() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nbrun-course-none-\(UUID().uuidString)")
        #expect(throws: CourseProject.LoadError.self) { try CourseProject.load(dir.path) }
        do { _ = try CourseProject.load(dir.path) } catch let e as CourseProject.LoadError {
            #expect(e.diagnostic.code == .unreadableConfig && e.diagnostic.range.start.line == 1)
        }
    }
}

/// The codes of every part are distinct by name, which is what a printed
/// diagnostic shows.
@Suite struct DiagnosticCodeTests {
    @Test func namesAreUnique() {
        let codes: [Diagnostic.Code] = Diagnostic.Code.documentCodes + [
            .cellError, .cellWarning, .chapterFailed, .swiftCompiler, .badSetting, .unknownSetting,
            .exerciseIncomplete, .solutionFails, .starterPasses, .duplicateExercise, .unreadableConfig,
            .invalidYAML, .missingToc, .badTocEntry, .missingTitle, .unreadableChapter,
        ]
        #expect(Set(codes.map(\.name)).count == codes.count)
        #expect(Diagnostic.Code.missingAltText != .missingFile)
    }
}

/// The site's bytes do not change when the code that makes them is
/// reorganised: the showcase fixture, built by the `nbrun` binary, against
/// the digests of a build recorded before (`scripts/site-digest.sh`). The
/// course's own digests are compared by `.ci/run` after its build.
@Suite(.serialized) struct RecordedSiteTests {
    @Test func theShowcaseBuildsToTheRecordedBytes() throws {
        let root = RunCommandTests.packageRoot
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("nbrun-showcase-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let build = try GradeCommandTests.launch(RunCommandTests.nbrun, ["build", "Tests/PublishingTests/Fixtures/showcase", "-o", out.path],
                                                 in: root)
        #expect(build.status == 0, "\(build.output)")
        let digest = try GradeCommandTests.launch(root.appendingPathComponent("scripts/site-digest.sh"), [out.path], in: root)
        let recorded = try String(contentsOf: root.appendingPathComponent("Tests/NBRunCLITests/Recorded/showcase-site.sha256"), encoding: .utf8)
        #expect(digest.status == 0 && digest.output == recorded, "the showcase site's bytes changed; if on purpose, record them again with scripts/site-digest.sh")
    }
}

/// A starter file's statement reads references as the site shows them.
@Suite struct StarterFileTests {
    @Test func referencesReadAsTheirNumbers() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nbrun-starter-\(getpid())-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try "version: 1\nproject:\n  title: T\n  toc:\n    - file: a.md\n    - file: b.md\n"
            .write(to: dir.appendingPathComponent("myst.yml"), atomically: true, encoding: .utf8)
        try "# A\n\n```{figure} pic.svg\n:label: fig-pic\nA picture.\n```\n\n$$\nx = 1\n$$ (eq-one)\n"
            .write(to: dir.appendingPathComponent("a.md"), atomically: true, encoding: .utf8)
        try GradeCommandTests.chapter
            .replacingOccurrences(of: "which returns its argument squared.",
                                  with: "which returns its argument squared, as in {numref}`fig-pic` and {eq}`eq-one` and [the figure](#fig-pic).")
            .write(to: dir.appendingPathComponent("b.md"), atomically: true, encoding: .utf8)
        let exercises = CourseExercises(try CourseProject.load(dir.path))
        let spec = try #require(exercises.spec("ex-square"))
        #expect(spec.statement.contains("as in Figure 1.1 and equation (1.1) and the figure."), "\(spec.statement)")
        #expect(spec.name == "Exercise 2.1")
        #expect(!spec.starterFile(checkCommand: "nbrun check").contains("fig-pic"))
    }
}
