import Foundation
import Testing
import ChapterExecution
import MyST
@testable import Publishing

/// A small project rendered in memory: numbering, references, pages.
@Suite struct SiteBuilderTests {
    static let chapterOne = """
        ---
        title: Basics
        ---
        # Basics

        (sec-why)=
        ## Why flows

        Text with $x^2$ and a footnote[^a].

        $$
        p(x) = q(f(x)) \\left|\\det J\\right|
        $$ (eq-cov)

        ```{figure} pic.svg
        :label: fig-pic
        A picture of $x$.
        ```

        ## Exercises

        ```{exercise} Do it
        :label: ex-one
        :points: 3
        Compute {eq}`eq-cov`.
        ```

        ```{solution} ex-one
        The answer.
        ```

        [^a]: The note.
        """

    static let chapterTwo = """
        # More

        ## Rows

        $$
        \\begin{align}
        a &= b \\label{eq-row-a} \\\\
        c &= d \\nonumber \\\\
        e &= f
        \\end{align}
        $$

        See {numref}`fig-pic`, {numref}`Fig. %s <fig-pic>`, {ref}`sec-why`, {eq}`eq-cov`,
        {eq}`eq-row-a`, {numref}`ex-one`, {doc}`01-basics.md`, [](01-basics.md) and [the section](#sec-why).
        Missing: {ref}`no-such-label`.
        """

    func build(student: Bool = false) throws -> Site {
        let (project, warnings) = try Project.parse("""
            version: 1
            project:
              title: Test course
              authors: [{name: Ada}]
              toc:
                - file: 01-basics.md
                - title: Part two
                  children:
                    - file: 02-more.md
            """, path: "myst.yml")
        #expect(warnings.isEmpty)
        #expect(project.pages.map(\.part) == [nil, "Part two"])
        let pages = [
            SitePage(file: "01-basics.md", document: Document.parse(Self.chapterOne, file: "01-basics.md")),
            SitePage(file: "02-more.md", document: Document.parse(Self.chapterTwo, file: "02-more.md"), part: "Part two"),
        ]
        return SiteBuilder.build(project, pages: pages, root: nil, student: student)
    }

    func page(_ site: Site, _ name: String) -> String { String(decoding: site.files[name] ?? Data(), as: UTF8.self) }

    @Test func numbersChaptersSectionsFiguresEquationsExercises() throws {
        let site = try build()
        let one = page(site, "01-basics.html")
        #expect(one.contains("<span class=\"chapter-number\">Chapter 1</span>"))
        #expect(one.contains("<h2 id=\"sec-why\"><span class=\"section-number\">1.1</span> Why flows"))
        #expect(one.contains("<span class=\"eqno\">(1.1)</span>"))
        #expect(one.contains("<figure class=\"figure\" id=\"fig-pic\">"))
        #expect(one.contains("<span class=\"caption-number\">Figure 1.1.</span> A picture of <math"))
        #expect(one.contains("alt=\"A picture of x.\""))
        #expect(one.contains("<a href=\"#ex-one\">Exercise 1.1</a> <span class=\"exercise-title\">Do it</span> <span class=\"points\">3 points</span>"))
        #expect(one.contains("<summary>Solution to Exercise 1.1</summary>"))
        #expect(one.contains("Compute <a class=\"reference\" href=\"#eq-cov\">(1.1)</a>"))
        #expect(one.contains("<sup class=\"footnote-ref\"><a id=\"fnref-a\" href=\"#fn-a\">1</a></sup>"))
        #expect(one.contains("<li id=\"fn-a\"><p>The note.</p>"))
        #expect(one.contains("<html lang=\"en\">") && one.contains("<main id=\"content\">"))
        #expect(one.contains("<a href=\"01-basics.html\" aria-current=\"page\"><span class=\"chapter-number\">1.</span> Basics</a>"))
        #expect(one.contains("<p class=\"part-title\">Part two</p>"))
        #expect(one.contains("rel=\"next\"><span class=\"direction\">Next</span> More</a>"))
    }

    @Test func referencesResolveAcrossChapters() throws {
        let site = try build()
        let two = page(site, "02-more.html")
        #expect(two.contains("<a class=\"reference\" href=\"01-basics.html#fig-pic\">Figure 1.1</a>"))
        #expect(two.contains("<a class=\"reference\" href=\"01-basics.html#fig-pic\">Fig. 1.1</a>"))
        #expect(two.contains("<a class=\"reference\" href=\"01-basics.html#sec-why\">1.1 Why flows</a>"))
        #expect(two.contains("<a class=\"reference\" href=\"01-basics.html#eq-cov\">(1.1)</a>"))
        #expect(two.contains("href=\"#eq-row-a\">(2.1)</a>"))
        #expect(two.contains("<a class=\"reference\" href=\"01-basics.html#ex-one\">Exercise 1.1</a>"))
        #expect(two.contains("<a href=\"01-basics.html\">Basics</a>, <a href=\"01-basics.html\">Basics</a>"))
        #expect(two.contains("<a href=\"01-basics.html#sec-why\">the section</a>"))
        // align: rows 1 and 3 numbered, the \nonumber row not.
        #expect(two.contains("<mtd class=\"eqno\"><mtext>(2.1)</mtext></mtd>"))
        #expect(two.contains("<mtd class=\"eqno\"></mtd>"))
        #expect(two.contains("<mtd class=\"eqno\"><mtext>(2.2)</mtext></mtd>"))
        #expect(two.contains("<span class=\"unresolved\">no-such-label</span>"))
        let unresolved = site.diagnostics.filter { $0.code == .unresolvedReference }
        #expect(unresolved.count == 1)
        #expect(unresolved.first?.range.file == "02-more.md" && unresolved.first?.range.start.line == 15, "\(unresolved)")
        // The figure's image is missing on disk (no project root given).
        #expect(site.diagnostics.contains { $0.code == .missingFile && $0.range.file == "01-basics.md" })
    }

    @Test func landingPageSearchIndexAndAssets() throws {
        let site = try build()
        let index = page(site, "index.html")
        #expect(index.contains("<title>Test course</title>"))
        #expect(index.contains("<a href=\"01-basics.html\">Basics</a>"))
        #expect(index.contains("By Ada."))
        let search = page(site, "_static/search-index.js")
        #expect(search.hasPrefix("window.nbrunSearch=["))
        #expect(search.contains("{u:\"01-basics.html#sec-why\",p:\"Basics\",t:\"1.1 Why flows\""))
        // References are indexed as the reader sees them, not as their labels.
        #expect(search.contains("Compute (1.1).") && !search.contains("eq-cov"))
        #expect(site.files["_static/nbrun.css"] != nil && site.files["_static/nbrun.js"] != nil)
        #expect(site.files[".nbrun-site"] != nil)
        #expect(site.pageCount == 3)
    }

    @Test func studentSiteLeavesSolutionsOut() throws {
        let one = page(try build(student: true), "01-basics.html")
        #expect(!one.contains("The answer."))
        #expect(!one.contains("Solution to"))
        #expect(page(try build(), "01-basics.html").contains("The answer."))
    }

    /// A later render that keeps the unchanged pages of an earlier one gives
    /// the bytes a full render gives; a change other pages show (a heading
    /// that is referenced, so a title and a number) is seen, and all render.
    @Test func aRenderReusingTheLastKeepsOnlyWhatCannotHaveChanged() throws {
        let (project, _) = try Project.parse("project:\n  title: T\n  toc:\n    - file: 01-basics.md\n    - file: 02-more.md\n", path: "myst.yml")
        func numbered(_ one: String, _ two: String = Self.chapterTwo, reusing: SiteNumbering? = nil, changed: Set<String> = []) -> SiteNumbering {
            SiteBuilder.number(project, pages: [SitePage(file: "01-basics.md", document: Document.parse(one, file: "01-basics.md")),
                                                SitePage(file: "02-more.md", document: Document.parse(two, file: "02-more.md"))],
                               reusing: reusing, changed: changed)
        }
        let first = numbered(Self.chapterOne)
        let before = SiteBuilder.render(first, root: nil)

        // Prose in chapter two: only its page renders, and the site is what a full render makes.
        let prose = numbered(Self.chapterOne, Self.chapterTwo.replacingOccurrences(of: "## Rows", with: "## Rows\n\nNew prose here."))
        #expect(prose.othersRenderTheSame(as: first))
        let reused = SiteBuilder.render(prose, root: nil, reusing: before, changed: ["02-more.md"])
        let full = SiteBuilder.render(prose, root: nil)
        #expect(reused.files == full.files)
        #expect(reused.diagnostics == full.diagnostics)
        #expect(page(reused, "02-more.html").contains("New prose here."))
        #expect(reused.files["_static/search-index.js"] != before.files["_static/search-index.js"])
        // Numbering only the changed page again gives the same site too.
        let renumbered = numbered(Self.chapterOne, Self.chapterTwo.replacingOccurrences(of: "## Rows", with: "## Rows\n\nNew prose here."),
                                  reusing: first, changed: ["02-more.md"])
        #expect(SiteBuilder.render(renumbered, root: nil, reusing: before, changed: ["02-more.md"]).files == full.files)

        // Kept pages are kept: told nothing changed, the old chapter two stays.
        let stale = SiteBuilder.render(prose, root: nil, reusing: before, changed: [])
        #expect(!page(stale, "02-more.html").contains("New prose here."))

        // A renamed section that chapter two refers to: every page may differ.
        let heading = numbered(Self.chapterOne.replacingOccurrences(of: "## Why flows", with: "## Why normalizing flows"))
        #expect(!heading.othersRenderTheSame(as: first))
        // A new label defined (even unreferenced) changes the targets too.
        #expect(!numbered(Self.chapterOne + "\n(sec-new)=\n## New\n").othersRenderTheSame(as: first))
    }

    @Test func buildsAreDeterministic() throws {
        let a = try build(), b = try build()
        #expect(a.files == b.files)
    }

    @Test func theProjectFileCanAskForTheStudentsSite() throws {
        let (project, _) = try Project.parse("project:\n  title: x\n  student: true\n  toc:\n    - file: a.md\n", path: "myst.yml")
        #expect(project.student)
        #expect(try !Project.parse("project:\n  toc:\n    - file: a.md\n", path: "myst.yml").0.student)
    }

    @Test func configErrorsNameTheFile() {
        #expect(throws: Project.ConfigError.self) { try Project.parse("version: 1\nproject:\n  title: x\n", path: "myst.yml") }
        do {
            _ = try Project.parse("project:\n  toc:\n    - file: a.md\n    - file: a.md\n", path: "p/myst.yml")
            Issue.record("a duplicate toc entry must be an error")
        } catch {
            #expect("\(error)" == "p/myst.yml:1:1: error: 'a.md' appears twice in project.toc [bad-toc-entry]")
        }
    }
}
