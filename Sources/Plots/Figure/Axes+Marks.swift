/// Adding marks. Every method takes `[Float]` or `[Double]` (any
/// `BinaryFloatingPoint`); NaN values are skipped where drawing them makes no sense.
extension Axes {
    /// Points at (`x[i]`, `y[i]`).
    ///
    /// - Parameters:
    ///   - size: marker diameter in pixels.
    ///   - sizes: per-point diameters in pixels (overrides `size`).
    ///   - color: nil takes the next palette colour.
    ///   - alpha: fill opacity; lower it for thousands of overlapping samples.
    ///   - label: the legend entry.
    ///   - edge: a thin outline in the page's text colour, for sparse points.
    public mutating func scatter<T: BinaryFloatingPoint>(
        x: [T], y: [T], size: Double = 5, sizes: [T]? = nil, color: Color? = nil,
        alpha: Double = 0.8, label: String? = nil, edge: Bool = false
    ) {
        precondition(x.count == y.count, "scatter: x has \(x.count) values but y has \(y.count)")
        if let sizes { precondition(sizes.count == x.count, "scatter: \(x.count) points but \(sizes.count) sizes") }
        marks.append(.scatter(ScatterMark(x: x.map(Double.init), y: y.map(Double.init),
                                          sizes: sizes?.map(Double.init), size: size,
                                          color: color ?? nextColor(), alpha: alpha, label: label, edge: edge)))
    }

    /// Points coloured by class: `classes[i]` (0, 1, 2, ...) picks the palette
    /// colour and the legend entry `classNames[class]` (default "class k").
    public mutating func scatter<T: BinaryFloatingPoint>(
        x: [T], y: [T], classes: [Int], classNames: [String]? = nil, size: Double = 5,
        alpha: Double = 0.8, edge: Bool = false
    ) {
        precondition(x.count == y.count && x.count == classes.count,
                     "scatter: x, y and classes must have one value per point, got \(x.count), \(y.count), \(classes.count)")
        let distinct = Array(Set(classes)).sorted()
        for k in distinct {
            var xs: [Double] = [], ys: [Double] = []
            for i in classes.indices where classes[i] == k {
                xs.append(Double(x[i])); ys.append(Double(y[i]))
            }
            let name = classNames.flatMap { k >= 0 && k < $0.count ? $0[k] : nil } ?? "class \(k)"
            marks.append(.scatter(ScatterMark(x: xs, y: ys, sizes: nil, size: size, color: Palette.color(k),
                                              alpha: alpha, label: name, edge: edge)))
        }
        seriesCount = max(seriesCount, (distinct.last ?? -1) + 1)
    }

    /// A line through (`x[i]`, `y[i]`); a NaN (or a value <= 0 on a log axis) breaks it.
    ///
    /// - Parameters:
    ///   - width: stroke width in pixels.
    ///   - dash: dash pattern in pixels, e.g. `[5, 3]`.
    ///   - markers: a dot at each point.
    public mutating func line<T: BinaryFloatingPoint>(
        x: [T], y: [T], color: Color? = nil, width: Double = 1.75, alpha: Double = 1,
        dash: [Double]? = nil, label: String? = nil, markers: Bool = false
    ) {
        precondition(x.count == y.count, "line: x has \(x.count) values but y has \(y.count)")
        marks.append(.line(LineMark(x: x.map(Double.init), y: y.map(Double.init), color: color ?? nextColor(),
                                    width: width, alpha: alpha, dash: dash, label: label, markers: markers)))
    }

    /// A line through `y` against its index 1, 2, 3, ... (a training curve per step or epoch).
    public mutating func line<T: BinaryFloatingPoint>(
        _ y: [T], color: Color? = nil, width: Double = 1.75, alpha: Double = 1,
        dash: [Double]? = nil, label: String? = nil
    ) {
        line(x: (1...max(y.count, 1)).prefix(y.count).map { Double($0) }, y: y.map(Double.init),
             color: color, width: width, alpha: alpha, dash: dash, label: label)
    }

    /// A histogram of `values` in `bins` equal bins over `range` (default: the
    /// values' extent). `density` scales heights so the bars' area is 1.
    public mutating func histogram<T: BinaryFloatingPoint>(
        _ values: [T], bins: Int = 30, range: ClosedRange<Double>? = nil, density: Bool = false,
        color: Color? = nil, alpha: Double = 0.75, label: String? = nil, outline: Bool = false
    ) {
        precondition(bins >= 1, "histogram: bins must be at least 1, got \(bins)")
        let finite = values.map(Double.init).filter { $0.isFinite }
        let lo = range?.lowerBound ?? finite.min() ?? 0
        var hi = range?.upperBound ?? finite.max() ?? 1
        if hi <= lo { hi = lo + 1 }
        let width = (hi - lo) / Double(bins)
        var counts = [Double](repeating: 0, count: bins)
        for v in finite where v >= lo && v <= hi {
            counts[min(Int((v - lo) / width), bins - 1)] += 1
        }
        if density {
            let total = counts.reduce(0, +)
            if total > 0 { counts = counts.map { $0 / (total * width) } }
        }
        let edges = (0...bins).map { lo + Double($0) * width }
        marks.append(.bars(BarsMark(edges: edges, heights: counts, color: color ?? nextColor(),
                                    alpha: alpha, label: label, outline: outline)))
    }

    /// A 2-D field as a heatmap with a colour bar.
    ///
    /// `values` is row-major, `rows x columns`; row 0 is the *lowest* y (as
    /// matplotlib's `origin="lower"`), column 0 the lowest x. The ranges are
    /// cut into equal cells and value (r, c) fills cell (r, c), so it stands
    /// for the point `x.lowerBound + (c + 0.5) * (x width / columns)` (and
    /// likewise for y); `contour` uses the same convention, so a heatmap and
    /// its contours line up. NaN cells are transparent.
    ///
    /// Sets `aspect = .equal` (one data unit as long on x as on y, like
    /// matplotlib's `imshow`); set it back to `.auto` afterwards to fill the panel.
    ///
    /// - Parameters:
    ///   - range: the values mapped to the colour map's ends (default: min...max).
    ///   - smooth: let the browser interpolate between cells instead of sharp squares.
    ///   - colorbar: draw a colour bar; `colorbarLabel` names its quantity.
    public mutating func heatmap<T: BinaryFloatingPoint>(
        _ values: [T], rows: Int, columns: Int, x: ClosedRange<Double>, y: ClosedRange<Double>,
        colormap: Colormap = .viridis, range: ClosedRange<Double>? = nil, smooth: Bool = false,
        colorbar: Bool = true, colorbarLabel: String? = nil
    ) {
        precondition(rows >= 1 && columns >= 1 && values.count == rows * columns,
                     "heatmap: a \(rows)x\(columns) grid needs \(rows * columns) values, got \(values.count)")
        let v = values.map(Double.init)
        marks.append(.heatmap(HeatmapMark(values: v, rows: rows, columns: columns, x: x, y: y,
                                          colormap: colormap, range: range ?? Self.extent(v),
                                          smooth: smooth, colorbarLabel: colorbarLabel, showColorbar: colorbar)))
        // Square cells, as matplotlib's imshow; set `aspect = .auto` afterwards to fill the panel.
        aspect = .equal
    }

    /// Contour lines of a field laid out as for `heatmap`, at `levels` (or
    /// `count` evenly spaced levels strictly inside the value range).
    ///
    /// Lines take `color`, or when nil the colour map's colour for their level
    /// (from the middle 10 %...85 % of the map, so every level reads on light
    /// and dark pages). Over a heatmap, a single light colour reads best,
    /// e.g. `color: Color.white.opacity(0.7)`.
    public mutating func contour<T: BinaryFloatingPoint>(
        _ values: [T], rows: Int, columns: Int, x: ClosedRange<Double>, y: ClosedRange<Double>,
        levels: [Double]? = nil, count: Int = 7, color: Color? = nil, colormap: Colormap = .viridis,
        width: Double = 1.25, label: String? = nil
    ) {
        precondition(rows >= 2 && columns >= 2 && values.count == rows * columns,
                     "contour: a \(rows)x\(columns) grid (at least 2x2) needs \(rows * columns) values, got \(values.count)")
        let v = values.map(Double.init)
        let range = Self.extent(v)
        let lv = levels ?? {
            let ticks = Ticks.linear(range.lowerBound, range.upperBound, target: count + 1)
            return ticks.filter { $0 > range.lowerBound && $0 < range.upperBound }
        }()
        // Sample (row, column) sits at the centre of its cell, as in `heatmap`.
        let dx = (x.upperBound - x.lowerBound) / Double(columns)
        let dy = (y.upperBound - y.lowerBound) / Double(rows)
        var lines: [(level: Double, points: [(Double, Double)])] = []
        for level in lv {
            for path in MarchingSquares.contours(values: v, rows: rows, columns: columns, level: level) {
                lines.append((level, path.map { (x.lowerBound + ($0.column + 0.5) * dx, y.lowerBound + ($0.row + 0.5) * dy) }))
            }
        }
        marks.append(.contour(ContourMark(lines: lines, levels: lv, color: color, colormap: colormap,
                                          range: range, width: width, label: label)))
    }

    /// Images (e.g. 8x8 digit samples) tiled in a grid, `columns` per row,
    /// separated by `gap` transparent pixels, drawn with sharp pixels and no axes.
    ///
    /// Each image is row-major, `imageHeight x imageWidth`, top row first,
    /// values mapped through `colormap` over `range`.
    public mutating func imageGrid<T: BinaryFloatingPoint>(
        _ images: [[T]], imageWidth: Int, imageHeight: Int, columns: Int = 8,
        colormap: Colormap = .gray, range: ClosedRange<Double> = 0...1, gap: Int = 1
    ) {
        let raster = ImageGridRaster.render(images.map { $0.map(Double.init) }, imageWidth: imageWidth,
                                            imageHeight: imageHeight, columns: columns, colormap: colormap,
                                            range: range, gap: gap)
        image(raster, x: 0...Double(raster.width), y: 0...Double(raster.height))
        showAxes = false
        grid = false
        aspect = .equal
    }

    /// A ready-made raster stretched over `x` and `y` (top row at the top).
    public mutating func image(_ image: RasterImage, x: ClosedRange<Double>, y: ClosedRange<Double>, smooth: Bool = false) {
        marks.append(.image(ImageMark(image: image, x: x, y: y, smooth: smooth)))
    }

    /// How points move through a flow's layers: `layers[k]` holds every
    /// point's position after layer k (`layers[0]` is the input), and point i
    /// is drawn as a polyline through its positions with an arrow head at the end.
    ///
    /// - Parameters:
    ///   - startPoints: a dot where each path starts.
    ///   - endColor: when set, the final positions get dots of this colour.
    public mutating func trajectories<T: BinaryFloatingPoint>(
        layers: [(x: [T], y: [T])], color: Color? = nil, width: Double = 1, alpha: Double = 0.7,
        arrowHeads: Bool = true, headSize: Double = 6, label: String? = nil,
        startPoints: Bool = true, endColor: Color? = nil
    ) {
        guard let first = layers.first else { return }
        for (k, l) in layers.enumerated() {
            precondition(l.x.count == first.x.count && l.y.count == first.x.count,
                         "trajectories: layer 0 has \(first.x.count) points, layer \(k) has \(l.x.count) x and \(l.y.count) y")
        }
        let paths = (0..<first.x.count).map { i in layers.map { (Double($0.x[i]), Double($0.y[i])) } }
        marks.append(.trajectories(TrajectoryMark(paths: paths, color: color ?? nextColor(), width: width,
                                                  alpha: alpha, arrowHeads: arrowHeads, headSize: headSize,
                                                  label: label, showStartPoints: startPoints, endColor: endColor)))
    }

    /// Arrows from (`x[i]`, `y[i]`) to (`x[i] + dx[i]`, `y[i] + dy[i]`), as a quiver plot.
    public mutating func arrows<T: BinaryFloatingPoint>(
        x: [T], y: [T], dx: [T], dy: [T], color: Color? = nil, width: Double = 1.25,
        alpha: Double = 0.9, headSize: Double = 6, label: String? = nil
    ) {
        precondition(x.count == y.count && x.count == dx.count && x.count == dy.count,
                     "arrows: x, y, dx, dy must have one value per arrow, got \(x.count), \(y.count), \(dx.count), \(dy.count)")
        let paths = x.indices.map { i in
            [(Double(x[i]), Double(y[i])), (Double(x[i] + dx[i]), Double(y[i] + dy[i]))]
        }
        marks.append(.trajectories(TrajectoryMark(paths: paths, color: color ?? nextColor(), width: width,
                                                  alpha: alpha, arrowHeads: true, headSize: headSize,
                                                  label: label, showStartPoints: false, endColor: nil)))
    }

    static func extent(_ v: [Double]) -> ClosedRange<Double> {
        let f = v.filter { $0.isFinite }
        guard var lo = f.min(), var hi = f.max() else { return 0...1 }
        if hi <= lo { lo -= 0.5; hi += 0.5 }
        return lo...hi
    }
}
