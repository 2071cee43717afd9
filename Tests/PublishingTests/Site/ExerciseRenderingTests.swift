import Foundation
import Testing
import ChapterExecution
import MyST
@testable import Publishing

/// Exercises on the page: starter, checks with points, the check command,
/// hints, questions; the students' build leaves hidden checks and solutions out.
@Suite struct ExerciseRenderingTests {
    static let markdown = """
        # Ch

        ::::{exercise} Squares
        :label: ex-square
        :difficulty: medium

        Write `square`.

        ```{starter}
        func square(_ x: Float) -> Float { 0 }
        ```

        ```{check} small numbers
        :points: 2
        expectClose(square(3), 9)
        ```

        ```{check} large numbers
        :points: 3
        :hidden:
        expectClose(square(1000), 1_000_000)
        ```

        ```{question} Which is volume-preserving?
        :answer: b

        - affine
        - additive
        ```

        :::{hint}
        Think.
        :::
        ::::

        ::::{solution} ex-square
        ```swift
        func square(_ x: Float) -> Float { x * x }
        ```
        ::::
        """

    func render(student: Bool) -> String {
        let document = Document.parse(Self.markdown, file: "ch.md")
        let numbering = PageNumbering(document: document, chapter: 3, page: "ch.html")
        var renderer = ChapterRenderer(document: document, numbering: numbering,
                                       context: SiteContext(targets: numbering.targets, pages: [:], student: student),
                                       file: "ch.md")
        return renderer.render().body
    }

    @Test func instructorsSeeEverything() {
        let html = render(student: false)
        #expect(html.contains("<a href=\"#ex-square\">Exercise 3.1</a> <span class=\"exercise-title\">Squares</span> "
                              + "<span class=\"difficulty difficulty-medium\" title=\"difficulty\">medium</span> <span class=\"points\">5 points</span>"))
        #expect(html.contains("<p class=\"part-title\">Starter code</p>"))
        #expect(html.contains("Check: small numbers <span class=\"points\">2 points</span>"))
        #expect(html.contains("Hidden check: large numbers"))
        #expect(html.contains("nbrun check exercises/ex-square.swift"))
        #expect(html.contains("<details class=\"admonition hint dropdown\"><summary>Hint</summary>"))
        #expect(html.contains("data-answer=\"b\""))
        #expect(html.contains("<input type=\"radio\" name=\"ex-square-q1\" value=\"b\"> (b) additive</label>"))
        #expect(html.contains("<summary>Solution to Exercise 3.1</summary>"))
    }

    @Test func studentsGetNeitherHiddenChecksNorSolutions() {
        let html = render(student: true)
        #expect(!html.contains("large numbers") && !html.contains("1_000_000"))
        #expect(!html.contains("x * x") && !html.contains("Solution"))
        #expect(html.contains("And 1 hidden check worth 3 points"))
        #expect(html.contains("Check: small numbers"))
    }
}
