import CZlib
import Testing
@testable import Plots

/// A reference PNG decoder written apart from the encoder: checks the
/// signature and every chunk's CRC, inflates IDAT with zlib's `uncompress`,
/// and undoes the five filters.
struct DecodedPNG {
    var width = 0, height = 0, colorType: UInt8 = 0
    var pixels: [UInt8] = []
    var filterTypes: Set<UInt8> = []
}

enum ReferenceDecoder {
    struct Failure: Error, CustomStringConvertible { var description: String }

    static func decode(_ png: [UInt8]) throws -> DecodedPNG {
        guard png.count > 8, Array(png[0..<8]) == [137, 80, 78, 71, 13, 10, 26, 10] else { throw Failure(description: "bad signature") }
        var out = DecodedPNG()
        var idat: [UInt8] = []
        var pos = 8, sawEnd = false
        func u32(_ i: Int) -> Int { Int(png[i]) << 24 | Int(png[i + 1]) << 16 | Int(png[i + 2]) << 8 | Int(png[i + 3]) }
        while pos < png.count {
            let length = u32(pos)
            let type = String(decoding: png[(pos + 4)..<(pos + 8)], as: UTF8.self)
            let body = Array(png[(pos + 8)..<(pos + 8 + length)])
            let stored = UInt32(u32(pos + 8 + length))
            let typed = Array(png[(pos + 4)..<(pos + 8 + length)])
            let crc = typed.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, uInt($0.count))) }
            guard crc == stored else { throw Failure(description: "CRC mismatch in \(type)") }
            switch type {
            case "IHDR":
                out.width = Int(body[0]) << 24 | Int(body[1]) << 16 | Int(body[2]) << 8 | Int(body[3])
                out.height = Int(body[4]) << 24 | Int(body[5]) << 16 | Int(body[6]) << 8 | Int(body[7])
                guard body[8] == 8, body[10] == 0, body[11] == 0, body[12] == 0 else { throw Failure(description: "unexpected IHDR \(body)") }
                out.colorType = body[9]
            case "IDAT": idat += body
            case "IEND": sawEnd = true
            default: break
            }
            pos += 12 + length
        }
        guard sawEnd else { throw Failure(description: "no IEND") }
        let bpp = [0: 1, 2: 3, 6: 4][Int(out.colorType)]!
        let stride = out.width * bpp
        var raw = [UInt8](repeating: 0, count: (stride + 1) * out.height)
        var rawLen = uLongf(raw.count)
        let rc = raw.withUnsafeMutableBufferPointer { dst in
            idat.withUnsafeBufferPointer { src in uncompress(dst.baseAddress, &rawLen, src.baseAddress, uLong(src.count)) }
        }
        guard rc == Z_OK, Int(rawLen) == raw.count else { throw Failure(description: "inflate failed: \(rc), \(rawLen) bytes") }
        var prev = [UInt8](repeating: 0, count: stride)
        for r in 0..<out.height {
            let f = raw[r * (stride + 1)]
            out.filterTypes.insert(f)
            var line = Array(raw[(r * (stride + 1) + 1)..<((r + 1) * (stride + 1))])
            for i in 0..<stride {
                let a = i >= bpp ? Int(line[i - bpp]) : 0, b = Int(prev[i]), c = i >= bpp ? Int(prev[i - bpp]) : 0
                let pred: Int
                switch f {
                case 0: pred = 0
                case 1: pred = a
                case 2: pred = b
                case 3: pred = (a + b) >> 1
                case 4:
                    let p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                    pred = (pa <= pb && pa <= pc) ? a : (pb <= pc ? b : c)
                default: throw Failure(description: "bad filter type \(f)")
                }
                line[i] = UInt8((Int(line[i]) + pred) & 255)
            }
            out.pixels += line
            prev = line
        }
        return out
    }
}

@Test func crcKnownValues() {
    #expect(PNG.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
    #expect(PNG.crc32([]) == 0)
    #expect(PNG.crc32(Array("IEND".utf8)) == 0xAE42_6082)
    #expect(PNG.crc32(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
}

@Test(arguments: [PNG.ColorType.grey, .rgb, .rgba])
func pngRoundTrip(colorType: PNG.ColorType) throws {
    var rng = SeededRandom(seed: 42)
    let width = 37, height = 23, n = width * height * colorType.channels
    // Smooth gradients plus noise, so different rows prefer different filters.
    let pixels: [UInt8] = (0..<n).map { i in
        let x = (i / colorType.channels) % width, y = i / (colorType.channels * width)
        let smooth = (x * 5 + y * 3 + (i % colorType.channels) * 40) & 255
        return y % 5 == 0 ? UInt8(truncatingIfNeeded: rng.next()) : UInt8(smooth)
    }
    let png = PNG.encode(width: width, height: height, colorType: colorType, pixels: pixels)
    let decoded = try ReferenceDecoder.decode(png)
    #expect(decoded.width == width && decoded.height == height)
    #expect(decoded.colorType == colorType.rawValue)
    #expect(decoded.pixels == pixels)
    #expect(decoded.filterTypes.count >= 2, "adaptive filtering should use several filters, used \(decoded.filterTypes)")
}

@Test func rasterImagePicksSmallestColorType() throws {
    var grey = RasterImage(width: 4, height: 3, fill: .white)
    grey[1, 2] = Color(grey: 0.5)
    let g = try ReferenceDecoder.decode(grey.png())
    #expect(g.colorType == 0)
    #expect(g.pixels[2 * 4 + 1] == 128)

    var rgb = RasterImage(width: 2, height: 2, fill: .black)
    rgb[0, 0] = Color(hex: 0x1f77b4)
    let c = try ReferenceDecoder.decode(rgb.png())
    #expect(c.colorType == 2)
    #expect(Array(c.pixels[0..<3]) == [0x1f, 0x77, 0xb4])

    let clear = RasterImage(width: 3, height: 1)
    let a = try ReferenceDecoder.decode(clear.png())
    #expect(a.colorType == 6)
    #expect(a.pixels == [UInt8](repeating: 0, count: 12))
}

@Test func pngBytesAreDeterministic() {
    let img = ImageGridRaster.render(Gallery.digits(count: 5), imageWidth: 8, imageHeight: 8, columns: 3)
    #expect(img.png() == img.png())
    #expect(img.width == 3 * 8 + 2 && img.height == 2 * 8 + 1)
}

@Test func base64KnownVectors() {
    #expect(Base64.encode([]) == "")
    #expect(Base64.encode(Array("f".utf8)) == "Zg==")
    #expect(Base64.encode(Array("fo".utf8)) == "Zm8=")
    #expect(Base64.encode(Array("foo".utf8)) == "Zm9v")
    #expect(Base64.encode(Array("foobar".utf8)) == "Zm9vYmFy")
    #expect(Base64.encode([0xff, 0xfe, 0x00]) == "//4A")
}
