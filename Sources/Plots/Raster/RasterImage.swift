/// A bitmap of 8-bit RGBA pixels, top row first: what heatmaps, colour bars
/// and image grids are drawn into before they become PNG.
public struct RasterImage: Hashable, Sendable {
    /// Width and height in pixels.
    public let width: Int, height: Int
    /// `width * height * 4` bytes, row-major, straight alpha.
    public private(set) var pixels: [UInt8]

    /// An image filled with `fill` (transparent by default).
    public init(width: Int, height: Int, fill: Color = Color(grey: 0, alpha: 0)) {
        precondition(width > 0 && height > 0, "RasterImage: size must be at least 1x1, got \(width)x\(height)")
        self.width = width
        self.height = height
        let c = fill.rgba8
        pixels = [UInt8](repeating: 0, count: width * height * 4)
        for i in 0..<(width * height) {
            pixels[4 * i] = c.r; pixels[4 * i + 1] = c.g; pixels[4 * i + 2] = c.b; pixels[4 * i + 3] = c.a
        }
    }

    /// The pixel at column `x`, row `y` (row 0 at the top).
    public subscript(x: Int, y: Int) -> Color {
        get {
            let i = index(x, y)
            return Color(red: Double(pixels[i]) / 255, green: Double(pixels[i + 1]) / 255,
                         blue: Double(pixels[i + 2]) / 255, alpha: Double(pixels[i + 3]) / 255)
        }
        set {
            let i = index(x, y), c = newValue.rgba8
            pixels[i] = c.r; pixels[i + 1] = c.g; pixels[i + 2] = c.b; pixels[i + 3] = c.a
        }
    }

    private func index(_ x: Int, _ y: Int) -> Int {
        precondition(x >= 0 && x < width && y >= 0 && y < height,
                     "RasterImage: pixel (\(x), \(y)) is outside a \(width)x\(height) image")
        return 4 * (y * width + x)
    }

    /// The image as PNG bytes, in the smallest of greyscale, RGB and RGBA that
    /// holds it exactly.
    public func png() -> [UInt8] {
        var opaque = true, grey = true
        for i in stride(from: 0, to: pixels.count, by: 4) {
            if pixels[i + 3] != 255 { opaque = false }
            if pixels[i] != pixels[i + 1] || pixels[i] != pixels[i + 2] { grey = false }
        }
        if opaque && grey {
            let bytes = stride(from: 0, to: pixels.count, by: 4).map { pixels[$0] }
            return PNG.encode(width: width, height: height, colorType: .grey, pixels: bytes)
        }
        if opaque {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(width * height * 3)
            for i in stride(from: 0, to: pixels.count, by: 4) { bytes += pixels[i..<(i + 3)] }
            return PNG.encode(width: width, height: height, colorType: .rgb, pixels: bytes)
        }
        return PNG.encode(width: width, height: height, colorType: .rgba, pixels: pixels)
    }

    /// A `data:image/png;base64,...` URI of the image, for embedding in SVG or HTML.
    public func pngDataURI() -> String {
        "data:image/png;base64," + Base64.encode(png())
    }

    /// A field as a colour-mapped raster, one pixel per value: `values` is
    /// row-major `rows x columns` with row 0 the *lowest* y (drawn at the
    /// bottom), mapped through `colormap` over `range` (default min...max).
    /// NaN values are transparent. Write it with `png()`.
    public static func heatmap<T: BinaryFloatingPoint>(_ values: [T], rows: Int, columns: Int,
                                                       colormap: Colormap = .viridis,
                                                       range: ClosedRange<Double>? = nil) -> RasterImage {
        precondition(rows >= 1 && columns >= 1 && values.count == rows * columns,
                     "heatmap: a \(rows)x\(columns) grid needs \(rows * columns) values, got \(values.count)")
        let v = values.map(Double.init)
        let r = range ?? Axes.extent(v)
        let span = r.upperBound - r.lowerBound
        var image = RasterImage(width: columns, height: rows)
        for row in 0..<rows {
            for col in 0..<columns {
                image[col, rows - 1 - row] = colormap.color(at: span > 0 ? (v[row * columns + col] - r.lowerBound) / span : 0.5)
            }
        }
        return image
    }
}
