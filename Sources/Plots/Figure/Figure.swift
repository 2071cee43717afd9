/// A figure: one or more subplots (`Axes`) in a grid, serialised as SVG.
///
///     var fig = Figure(width: 640, height: 400)
///     fig.axes { ax in
///         ax.scatter(x: xs, y: ys, classes: labels)
///         ax.title = "Two moons"
///     }
///     let svg = fig.svg()
///
/// Subplots fill the grid row by row, one per `axes { }` call, or at a given
/// `row` and `column`. The SVG has real text, a `<title>` and `<desc>` for
/// screen readers, and the same figure always gives the same bytes.
public struct Figure: Sendable {
    /// How the figure meets the page around it.
    public enum Style: Sendable, Hashable {
        /// Transparent background; axes, ticks and text use `currentColor`, so
        /// an inline SVG takes the page's text colour on light and dark pages
        /// (and, as a stand-alone image, follows `prefers-color-scheme`).
        case adaptive
        /// A white panel with dark ink, like a printed matplotlib figure.
        case light
    }

    /// Size in CSS pixels.
    public var width: Double, height: Double
    /// The subplot grid.
    public let rows: Int, columns: Int
    /// A title above all subplots (a matplotlib `suptitle`); also the SVG `<title>`.
    public var title: String?
    /// What the figure shows, in a sentence or two, for screen readers (`<desc>`).
    /// When nil a summary of the panels and their marks is generated.
    public var description: String?
    /// Background and ink; `.adaptive` by default.
    public var style: Style = .adaptive
    /// CSS font stack for all text.
    public var fontFamily = "DejaVu Sans, Helvetica Neue, Helvetica, Arial, sans-serif"

    var panels: [Axes?]
    private var cursor = 0

    /// An empty figure of `width x height` pixels with a `rows x columns` grid of subplots.
    public init(width: Double = 640, height: Double = 400, rows: Int = 1, columns: Int = 1) {
        precondition(rows >= 1 && columns >= 1, "Figure: the grid needs at least one row and column, got \(rows)x\(columns)")
        precondition(width > 0 && height > 0, "Figure: size must be positive, got \(width)x\(height)")
        self.width = width
        self.height = height
        self.rows = rows
        self.columns = columns
        panels = Array(repeating: nil, count: rows * columns)
    }

    /// Builds the next subplot (row by row).
    public mutating func axes(_ build: (inout Axes) -> Void) {
        precondition(cursor < panels.count, "Figure: all \(rows)x\(columns) subplots are taken; use a larger grid")
        axes(row: cursor / columns, column: cursor % columns, build)
    }

    /// Builds (or edits) the subplot at `row`, `column` (0-based, top left first).
    public mutating func axes(row: Int, column: Int, _ build: (inout Axes) -> Void) {
        precondition(row >= 0 && row < rows && column >= 0 && column < columns,
                     "Figure: subplot (\(row), \(column)) is outside the \(rows)x\(columns) grid")
        let i = row * columns + column
        var ax = panels[i] ?? Axes()
        build(&ax)
        panels[i] = ax
        cursor = max(cursor, i + 1)
    }

    /// The subplots that have been built, row by row.
    public var allAxes: [Axes] { panels.compactMap { $0 } }
}
