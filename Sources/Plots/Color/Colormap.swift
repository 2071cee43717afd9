/// A map from a number in 0...1 to a colour, for heatmaps, colour bars,
/// contour levels and images.
///
/// Lookup follows matplotlib's `ListedColormap`: `t` picks the table entry
/// `floor(t * n)` (clamped), so `t = 0` and `t = 1` give exactly the first
/// and last published entries.
public struct Colormap: Sendable {
    /// The map's name, as written in figure descriptions.
    public let name: String
    let table: [Color]

    /// A map from its entries, low values first (at least two).
    public init(name: String, colors: [Color]) {
        precondition(colors.count >= 2, "a colour map needs at least two colours, got \(colors.count)")
        self.name = name
        self.table = colors
    }

    /// The number of entries.
    public var count: Int { table.count }

    /// The colour for `t` in 0...1; values outside are clamped, NaN gives a
    /// transparent colour (gaps in a heatmap stay see-through).
    public func color(at t: Double) -> Color {
        guard !t.isNaN else { return Color(grey: 0, alpha: 0) }
        let i = Int((min(max(t, 0), 1) * Double(table.count)).rounded(.down))
        return table[min(i, table.count - 1)]
    }

    /// The same map run backwards.
    public var reversed: Colormap {
        Colormap(name: name + "_r", colors: table.reversed())
    }

    /// Viridis: perceptually uniform, dark purple -> blue -> green -> yellow,
    /// readable in greyscale and by colour-blind readers. The default for
    /// densities.
    public static let viridis: Colormap = {
        var colors: [Color] = []
        colors.reserveCapacity(256)
        for i in 0..<256 {
            colors.append(Color(red: viridisTable[3 * i], green: viridisTable[3 * i + 1],
                                blue: viridisTable[3 * i + 2]))
        }
        return Colormap(name: "viridis", colors: colors)
    }()

    /// Greyscale, 0 black to 1 white (256 levels), as matplotlib's `gray`.
    public static let gray = Colormap(name: "gray", colors: (0..<256).map { Color(grey: Double($0) / 255) })

    /// Greyscale, 0 white to 1 black: dark ink on paper.
    public static let grayReversed = Colormap(name: "gray_r", colors: (0..<256).map { Color(grey: 1 - Double($0) / 255) })
}
