internal import CZlib

/// A PNG encoder: 8-bit greyscale, RGB or RGBA, zlib-compressed, per-row
/// adaptive filtering.
///
/// The encoding is deterministic: the same pixels always give the same bytes
/// (fixed compression level and strategy, no timestamps or text chunks).
/// Filtering picks, for each row, the filter (None, Sub, Up, Average, Paeth)
/// whose output has the smallest sum of absolute values as signed bytes,
/// the heuristic libpng uses.
public enum PNG {
    /// The layout of the pixel bytes handed to `encode`.
    public enum ColorType: UInt8, Sendable {
        /// One byte per pixel, black (0) to white (255).
        case grey = 0
        /// Three bytes per pixel.
        case rgb = 2
        /// Four bytes per pixel, straight alpha.
        case rgba = 6

        /// Bytes per pixel.
        public var channels: Int {
            switch self {
            case .grey: return 1
            case .rgb: return 3
            case .rgba: return 4
            }
        }
    }

    /// The eight bytes every PNG file starts with.
    public static let signature: [UInt8] = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

    /// Encodes `pixels` (row-major, top row first, `width * height * channels` bytes).
    public static func encode(width: Int, height: Int, colorType: ColorType, pixels: [UInt8]) -> [UInt8] {
        precondition(width > 0 && height > 0, "PNG: image must be at least 1x1, got \(width)x\(height)")
        let bpp = colorType.channels
        precondition(pixels.count == width * height * bpp,
                     "PNG: \(width)x\(height) \(colorType) needs \(width * height * bpp) bytes, got \(pixels.count)")
        var out = signature
        var header: [UInt8] = []
        header += bigEndian(UInt32(width))
        header += bigEndian(UInt32(height))
        header += [8, colorType.rawValue, 0, 0, 0] // depth, colour type, deflate, adaptive filters, no interlace
        appendChunk("IHDR", header, to: &out)
        let filtered = filterRows(width: width, height: height, bpp: bpp, pixels: pixels)
        appendChunk("IDAT", deflate(filtered), to: &out)
        appendChunk("IEND", [], to: &out)
        return out
    }

    /// The CRC-32 (ISO 3309, as PNG and zlib use it) of `bytes`.
    public static func crc32(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { buf in
            UInt32(CZlib.crc32(0, buf.baseAddress, uInt(buf.count)))
        }
    }

    // MARK: - Chunks

    static func appendChunk(_ type: String, _ data: [UInt8], to out: inout [UInt8]) {
        let typeBytes = Array(type.utf8)
        out += bigEndian(UInt32(data.count))
        out += typeBytes
        out += data
        out += bigEndian(crc32(typeBytes + data))
    }

    static func bigEndian(_ v: UInt32) -> [UInt8] {
        [UInt8(v >> 24), UInt8((v >> 16) & 0xff), UInt8((v >> 8) & 0xff), UInt8(v & 0xff)]
    }

    /// zlib stream (RFC 1950) of `bytes` at level 9.
    static func deflate(_ bytes: [UInt8]) -> [UInt8] {
        var destLen = compressBound(uLong(bytes.count))
        var dest = [UInt8](repeating: 0, count: Int(destLen))
        let rc = bytes.withUnsafeBufferPointer { src in
            dest.withUnsafeMutableBufferPointer { dst in
                compress2(dst.baseAddress, &destLen, src.baseAddress, uLong(src.count), 9)
            }
        }
        precondition(rc == Z_OK, "PNG: zlib compress2 failed with code \(rc)")
        return Array(dest[0..<Int(destLen)])
    }

    // MARK: - Filtering

    /// Each row prefixed by its filter byte, filtered by the best of the five filters.
    static func filterRows(width: Int, height: Int, bpp: Int, pixels: [UInt8]) -> [UInt8] {
        let stride = width * bpp
        var out: [UInt8] = []
        out.reserveCapacity((stride + 1) * height)
        let zeros = [UInt8](repeating: 0, count: stride)
        var candidate = [UInt8](repeating: 0, count: stride)
        var best = [UInt8](repeating: 0, count: stride)
        for row in 0..<height {
            let cur = Array(pixels[(row * stride)..<((row + 1) * stride)])
            let prev = row == 0 ? zeros : Array(pixels[((row - 1) * stride)..<(row * stride)])
            var bestType: UInt8 = 0
            var bestCost = Int.max
            for type: UInt8 in 0...4 {
                applyFilter(type, cur: cur, prev: prev, bpp: bpp, into: &candidate)
                var cost = 0
                for b in candidate { cost += b < 128 ? Int(b) : 256 - Int(b) }
                if cost < bestCost {
                    bestCost = cost
                    bestType = type
                    swap(&best, &candidate)
                }
            }
            out.append(bestType)
            out += best
        }
        return out
    }

    static func applyFilter(_ type: UInt8, cur: [UInt8], prev: [UInt8], bpp: Int, into out: inout [UInt8]) {
        for i in 0..<cur.count {
            let a = i >= bpp ? cur[i - bpp] : 0
            let b = prev[i]
            let c = i >= bpp ? prev[i - bpp] : 0
            let predictor: UInt8
            switch type {
            case 0: predictor = 0
            case 1: predictor = a
            case 2: predictor = b
            case 3: predictor = UInt8((Int(a) + Int(b)) / 2)
            default: predictor = paeth(a, b, c)
            }
            out[i] = cur[i] &- predictor
        }
    }

    static func paeth(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> UInt8 {
        let p = Int(a) + Int(b) - Int(c)
        let pa = abs(p - Int(a)), pb = abs(p - Int(b)), pc = abs(p - Int(c))
        if pa <= pb && pa <= pc { return a }
        return pb <= pc ? b : c
    }
}
