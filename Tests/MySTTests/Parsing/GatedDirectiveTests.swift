import Testing
@testable import MyST

/// `{exercise-start}` / `{exercise-end}` around notebook cells.
@Suite struct GatedDirectiveTests {
    let source = """
        ```{exercise-start} Sample a flow
        :label: ex-sample
        :points: 1
        ```

        Draw 100 points.

        ```{code-cell} swift
        let points = flow.sample(100)
        ```

        ```{exercise-end}
        ```

        ```{solution-start} ex-sample
        ```

        ```{code-cell} swift
        let answer = flow.sample(100, temperature: 1)
        ```

        ```{solution-end}
        ```
        """

    @Test func blocksBetweenGatesBelongToTheExercise() throws {
        let doc = Document.parse(source, file: "g.md")
        #expect(doc.diagnostics.isEmpty)
        #expect(doc.blocks.count == 2)
        let (exercise, range) = try #require(doc.exercises.first)
        #expect(exercise.label == "ex-sample")
        #expect(exercise.points == 1)
        #expect(exercise.codeCells.map(\.code) == ["let points = flow.sample(100)"])
        #expect(range.start.line == 1 && range.end.line == 13)
        let solution = try #require(doc.solutions.first?.solution)
        #expect(solution.exercise == "ex-sample")
        #expect(solution.content.count == 1)
        #expect(doc.codeCells.count == 2)
    }

    @Test func unmatchedGatesAreReported() {
        #expect(diagnostics("```{exercise-start}\n```\n\ntext\n", .unclosedFence).count == 1)
        #expect(diagnostics("```{exercise-end}\n```\n", .malformedDirective).count == 1)
    }
}
