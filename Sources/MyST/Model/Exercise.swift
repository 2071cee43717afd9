/// `{exercise}` in the form of sphinx-exercise.
///
/// The grading stage adds starter code, checks and points: they are read from
/// the directive's options (`starter`, `points`) and from code cells inside it.
public struct Exercise: Hashable, Sendable {
    /// `:label:`, the target that solutions and references name.
    public var label: String?
    /// The title, from the directive argument.
    public var title: [Inline]
    public var className: String?
    /// `:hidden:`: not shown, still numbered and referable.
    public var hidden: Bool
    /// `:nonumber:`: shown without a number.
    public var nonumber: Bool
    /// `:points:`, for grading; nil when not given.
    public var points: Int?
    /// `:difficulty: easy | medium | hard`; nil when not given.
    public var difficulty: Difficulty?
    public var content: [Block]

    /// How much an exercise asks of a student, shown beside its title.
    public enum Difficulty: String, Hashable, Sendable, CaseIterable {
        case easy, medium, hard
    }

    /// The code cells inside the exercise, in order: the starter code and checks
    /// that grading reads.
    public var codeCells: [CodeCell] {
        var cells: [CodeCell] = []
        withoutActuallyEscaping({ (block: Block) in
            if case .directive(let d) = block.kind, case .codeCell(let cell) = d.content { cells.append(cell) }
        }) { onBlock in
            var walker = ClosureWalker(onBlock: onBlock)
            for block in content { walker.visit(block) }
        }
        return cells
    }

    public init(label: String?, title: [Inline], className: String?, hidden: Bool,
                nonumber: Bool, points: Int?, difficulty: Difficulty? = nil, content: [Block]) {
        self.label = label
        self.title = title
        self.className = className
        self.hidden = hidden
        self.nonumber = nonumber
        self.points = points
        self.difficulty = difficulty
        self.content = content
    }
}

/// `{solution} exercise-label`, the solution of one exercise.
public struct Solution: Hashable, Sendable {
    /// The label of the exercise solved, from the argument.
    public var exercise: String
    public var label: String?
    public var title: [Inline]
    public var className: String?
    public var hidden: Bool
    public var content: [Block]

    public init(exercise: String, label: String?, title: [Inline], className: String?,
                hidden: Bool, content: [Block]) {
        self.exercise = exercise
        self.label = label
        self.title = title
        self.className = className
        self.hidden = hidden
        self.content = content
    }
}
