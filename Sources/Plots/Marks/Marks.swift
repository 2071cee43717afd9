/// What an axes draws, in data coordinates. Built by the `Axes` methods.
enum Mark: Sendable {
    case scatter(ScatterMark)
    case line(LineMark)
    case bars(BarsMark)
    case heatmap(HeatmapMark)
    case contour(ContourMark)
    case image(ImageMark)
    case trajectories(TrajectoryMark)
}

struct ScatterMark: Sendable {
    var x: [Double], y: [Double]
    var sizes: [Double]?          // diameters in px, per point
    var size: Double
    var color: Color
    var alpha: Double
    var label: String?
    var edge: Bool
}

struct LineMark: Sendable {
    var x: [Double], y: [Double]
    var color: Color
    var width: Double
    var alpha: Double
    var dash: [Double]?
    var label: String?
    var markers: Bool
}

struct BarsMark: Sendable {
    /// Bin edges (count + 1) and heights.
    var edges: [Double], heights: [Double]
    var color: Color
    var alpha: Double
    var label: String?
    var outline: Bool
}

struct HeatmapMark: Sendable {
    var values: [Double]
    var rows: Int, columns: Int
    var x: ClosedRange<Double>, y: ClosedRange<Double>
    var colormap: Colormap
    var range: ClosedRange<Double>
    var smooth: Bool
    var colorbarLabel: String?
    var showColorbar: Bool
}

struct ContourMark: Sendable {
    var lines: [(level: Double, points: [(Double, Double)])]
    var levels: [Double]
    var color: Color?
    var colormap: Colormap
    var range: ClosedRange<Double>
    var width: Double
    var label: String?
}

struct ImageMark: Sendable {
    var image: RasterImage
    var x: ClosedRange<Double>, y: ClosedRange<Double>
    var smooth: Bool
}

struct TrajectoryMark: Sendable {
    var paths: [[(Double, Double)]]
    var color: Color
    var width: Double
    var alpha: Double
    var arrowHeads: Bool
    var headSize: Double
    var label: String?
    var showStartPoints: Bool
    var endColor: Color?
}
