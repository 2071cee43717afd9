import Plots
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small seeded generator (SplitMix64 + Box-Muller), so gallery data is the same every run.
struct SeededRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e3779b97f4a7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58476d1ce4e5b9
        z = (z ^ (z >> 27)) &* 0x94d049bb133111eb
        return z ^ (z >> 31)
    }
    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func normal() -> Double {
        let u = max(uniform(), 1e-12), v = uniform()
        return sqrt(-2 * log(u)) * cos(2 * Double.pi * v)
    }
}

/// Figures exercising every mark, used by the tests and written out for
/// viewing when `PLOTS_GALLERY=/some/dir` is set.
enum Gallery {
    static func moons(n: Int = 300, seed: UInt64 = 1) -> (x: [Float], y: [Float], label: [Int]) {
        var rng = SeededRandom(seed: seed)
        var xs: [Float] = [], ys: [Float] = [], ls: [Int] = []
        for i in 0..<n {
            let t = Double.pi * rng.uniform()
            let upper = i % 2 == 0
            let x = upper ? cos(t) : 1 - cos(t), y = upper ? sin(t) : 0.5 - sin(t)
            xs.append(Float(x + 0.08 * rng.normal())); ys.append(Float(y + 0.08 * rng.normal())); ls.append(upper ? 0 : 1)
        }
        return (xs, ys, ls)
    }

    static func scatterFigure() -> Figure {
        let m = moons()
        var fig = Figure(width: 480, height: 360)
        fig.axes { ax in
            ax.scatter(x: m.x, y: m.y, classes: m.label, classNames: ["upper moon", "lower moon"], size: 5)
            ax.title = "Two moons"
            ax.xLabel = "x₁"
            ax.yLabel = "x₂"
            ax.aspect = .equal
        }
        return fig
    }

    static func lossCurves() -> Figure {
        var rng = SeededRandom(seed: 7)
        let steps = Array(stride(from: 1.0, through: 2000, by: 10))
        let train = steps.map { 3.0 * pow($0, -0.55) + 0.05 + 0.02 * abs(rng.normal()) }
        let valid = steps.map { 3.2 * pow($0, -0.5) + 0.08 }
        var fig = Figure(width: 480, height: 340)
        fig.axes { ax in
            ax.line(x: steps, y: train, label: "training")
            ax.line(x: steps, y: valid, dash: [6, 3], label: "validation")
            ax.yScale = .log
            ax.title = "Negative log-likelihood"
            ax.xLabel = "step"
            ax.yLabel = "loss (nats)"
        }
        return fig
    }

    /// A two-component Gaussian mixture density on a grid, for heatmaps and contours.
    static func density(rows: Int = 80, columns: Int = 80) -> [Double] {
        var v: [Double] = []
        for r in 0..<rows {
            for c in 0..<columns {
                let x = -3 + 6 * (Double(c) + 0.5) / Double(columns), y = -3 + 6 * (Double(r) + 0.5) / Double(rows)
                let a = exp(-((x - 1) * (x - 1) + (y - 0.5) * (y - 0.5)) / 0.8)
                let b = exp(-((x + 1) * (x + 1) / 0.6 + (y + 1) * (y + 1) / 1.6))
                v.append((0.6 * a / (0.8 * Double.pi) + 0.4 * b / (Double.pi * sqrt(0.96))))
            }
        }
        return v
    }

    static func densityFigure() -> Figure {
        let d = density()
        var fig = Figure(width: 480, height: 380)
        fig.axes { ax in
            ax.heatmap(d, rows: 80, columns: 80, x: -3...3, y: -3...3, colorbarLabel: "density")
            ax.contour(d, rows: 80, columns: 80, x: -3...3, y: -3...3, count: 6, color: Color.white.opacity(0.7), width: 0.9)
            ax.aspect = .equal
            ax.title = "Learned density p(x)"
            ax.xLabel = "x₁"
            ax.yLabel = "x₂"
        }
        return fig
    }

    static func histogramFigure() -> Figure {
        var rng = SeededRandom(seed: 3)
        let a = (0..<2000).map { _ in rng.normal() }
        let b = (0..<2000).map { _ in 0.7 * rng.normal() + 1.2 }
        var fig = Figure(width: 480, height: 320)
        fig.axes { ax in
            ax.histogram(a, bins: 40, range: -4...4, density: true, label: "base N(0, 1)")
            ax.histogram(b, bins: 40, range: -4...4, density: true, label: "pushed forward")
            ax.title = "Marginal of z₁"
            ax.xLabel = "z₁"
            ax.yLabel = "density"
        }
        return fig
    }

    static func digits(count: Int = 32) -> [[Double]] {
        // Strokes of a few 8x8 shapes with noise, as stand-ins for digit samples.
        var rng = SeededRandom(seed: 11)
        return (0..<count).map { k in
            (0..<64).map { i in
                let r = Double(i / 8) - 3.5, c = Double(i % 8) - 3.5
                let ring = abs(sqrt(r * r / (1 + Double(k % 3) * 0.3) + c * c) - 2.6) < 0.9 ? 0.9 : 0.0
                let bar = (k % 4 == 1 && abs(c) < 0.8) ? 0.9 : 0.0
                return min(1, max(0, (k % 4 == 1 ? bar : ring) + 0.15 * rng.normal()))
            }
        }
    }

    static func digitGrid() -> Figure {
        var fig = Figure(width: 360, height: 200)
        fig.axes { ax in
            ax.imageGrid(digits(), imageWidth: 8, imageHeight: 8, columns: 8)
            ax.title = "Samples at temperature 0.7"
        }
        return fig
    }

    static func trajectoryFigure() -> Figure {
        var rng = SeededRandom(seed: 5)
        var layer0: (x: [Double], y: [Double]) = ([], [])
        for _ in 0..<60 { layer0.x.append(rng.normal()); layer0.y.append(rng.normal()) }
        var layers = [layer0]
        for k in 1...4 {
            let prev = layers[k - 1]
            let s = Double(k) * 0.25
            layers.append((prev.x.map { $0 + 0.35 * sin(2 * $0 * s) }, zip(prev.x, prev.y).map { $1 * 0.85 + 0.3 * cos($0) }))
        }
        var fig = Figure(width: 480, height: 380)
        fig.axes { ax in
            ax.trajectories(layers: layers, alpha: 0.75, label: "through 4 layers", endColor: Palette.color(1))
            ax.title = "Samples moving through the flow"
            ax.xLabel = "x₁"
            ax.yLabel = "x₂"
            ax.aspect = .equal
        }
        return fig
    }

    /// Everything at once: a 2x3 grid.
    static func everything() -> Figure {
        let m = moons(n: 200)
        let d = density(rows: 48, columns: 48)
        var fig = Figure(width: 960, height: 600, rows: 2, columns: 3)
        fig.title = "RealNVP on two moons"
        fig.axes { ax in
            ax.scatter(x: m.x, y: m.y, classes: m.label, size: 4, alpha: 0.7)
            ax.title = "Data"
        }
        fig.axes { ax in
            ax.heatmap(d, rows: 48, columns: 48, x: -3...3, y: -3...3, smooth: true, colorbarLabel: "p(x)")
            ax.title = "Density"
            ax.aspect = .equal
        }
        fig.axes { ax in
            ax.contour(d, rows: 48, columns: 48, x: -3...3, y: -3...3, count: 8)
            ax.title = "Contours"
            ax.aspect = .equal
        }
        fig.axes { ax in
            ax.line((1...100).map { 2 / sqrt(Double($0)) }, label: "loss")
            ax.yScale = .log
            ax.xLabel = "epoch"
            ax.title = "Training"
        }
        fig.axes { ax in
            ax.histogram(m.x, bins: 25, label: "x₁")
            ax.title = "Histogram"
        }
        fig.axes { ax in
            ax.arrows(x: [0, 1, 2, 0.5], y: [0, 1, 0, 2], dx: [1, 0.5, -1, 0.2], dy: [0.5, -0.8, 1, -1], label: "∇ log p")
            ax.title = "Arrows"
        }
        return fig
    }

    static let all: [(String, () -> Figure)] = [
        ("scatter", scatterFigure), ("loss", lossCurves), ("density", densityFigure),
        ("histogram", histogramFigure), ("digits", digitGrid), ("trajectories", trajectoryFigure),
        ("everything", everything),
    ]
}
