/// Tiles equally sized images into one raster, for digit samples and the like.
public enum ImageGridRaster {
    /// Each image (row-major, `imageHeight x imageWidth`, top row first) mapped
    /// through `colormap` over `range`, `columns` per row, `gap` transparent
    /// pixels between tiles. Missing tiles in the last row stay transparent.
    public static func render(_ images: [[Double]], imageWidth: Int, imageHeight: Int, columns: Int,
                              colormap: Colormap = .gray, range: ClosedRange<Double> = 0...1,
                              gap: Int = 1) -> RasterImage {
        precondition(imageWidth >= 1 && imageHeight >= 1 && columns >= 1 && gap >= 0,
                     "imageGrid: sizes must be positive, got \(imageWidth)x\(imageHeight), \(columns) columns, gap \(gap)")
        let n = max(images.count, 1)
        let cols = min(columns, n), rows = (n + cols - 1) / cols
        var raster = RasterImage(width: cols * imageWidth + (cols - 1) * gap,
                                 height: rows * imageHeight + (rows - 1) * gap)
        let span = range.upperBound - range.lowerBound
        for (k, img) in images.enumerated() {
            precondition(img.count == imageWidth * imageHeight,
                         "imageGrid: image \(k) has \(img.count) values, expected \(imageWidth)x\(imageHeight) = \(imageWidth * imageHeight)")
            let ox = (k % cols) * (imageWidth + gap), oy = (k / cols) * (imageHeight + gap)
            for r in 0..<imageHeight {
                for c in 0..<imageWidth {
                    let t = span > 0 ? (img[r * imageWidth + c] - range.lowerBound) / span : 0
                    raster[ox + c, oy + r] = colormap.color(at: t)
                }
            }
        }
        return raster
    }
}
