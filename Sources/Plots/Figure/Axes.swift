/// One subplot: a plotting area with its scales, marks, labels and legend.
///
/// Build it inside `Figure.axes { ax in ... }`: set `title`, `xLabel`, `yLabel`,
/// scales and limits, and add marks with `scatter`, `line`, `histogram`,
/// `heatmap`, `contour`, `imageGrid` and `trajectories`. Marks draw in the
/// order they were added; limits default to the data's extent plus a 5 %
/// margin (none for heatmaps and images, and bars start at zero).
public struct Axes: Sendable {
    /// Where the legend goes.
    public enum LegendPosition: Sendable, Hashable {
        /// The corner that hides the fewest data points.
        case best
        case upperRight, upperLeft, lowerLeft, lowerRight
        /// No legend, even when series have labels.
        case none
    }

    /// Aspect ratio of data units.
    public enum Aspect: Sendable, Hashable {
        /// Fill the panel.
        case auto
        /// One data unit is as long on x as on y (points, flows, images).
        case equal
    }

    /// Shown above the plotting area.
    public var title: String?
    /// Below the x axis.
    public var xLabel: String?
    /// Left of the y axis, rotated.
    public var yLabel: String?
    /// How x values map to positions (`.log` for ratios).
    public var xScale: Scale = .linear
    /// How y values map to positions (`.log` for training losses).
    public var yScale: Scale = .linear
    /// Fixed x limits; nil fits the data.
    public var xLimits: ClosedRange<Double>?
    /// Fixed y limits; nil fits the data.
    public var yLimits: ClosedRange<Double>?
    /// Light grid lines at the major ticks.
    public var grid: Bool = true
    /// Legend placement (drawn only when some series has a label).
    public var legend: LegendPosition = .best
    /// Data aspect ratio.
    public var aspect: Aspect = .auto
    /// Draw ticks, tick labels and spines (image grids turn this off).
    public var showAxes: Bool = true
    /// Approximate number of ticks per axis.
    public var tickCount: Int = 5
    /// Major ticks of the x axis at these data values (those inside the
    /// limits), instead of the automatic ones: `[1, 2, 4, 8, 16]` for depths
    /// on a log axis. Labelled as the automatic ticks of the same scale are.
    public var xTicks: [Double]? = nil
    /// Major ticks of the y axis at these data values, as `xTicks`.
    public var yTicks: [Double]? = nil

    var marks: [Mark] = []
    var seriesCount = 0

    public init() {}

    /// The next automatic series colour (tab10, cycling).
    mutating func nextColor() -> Color {
        defer { seriesCount += 1 }
        return Palette.color(seriesCount)
    }
}
