/// The one hash of nbrun's own: FNV-1a, stable across runs and machines
/// (unlike `Hasher`, which is seeded per process). Cache keys, folder names
/// and generated file names all come from it.
///
/// 128 bits as two independent 64-bit lanes, with a separator after each
/// `add`, for keys built from several parts.
public struct StableHash: Sendable {
    @usableFromInline var a: UInt64 = 0xcbf2_9ce4_8422_2325
    @usableFromInline var b: UInt64 = 0x6c62_272e_07bb_0142

    public init() {}

    @inlinable
    public mutating func add<D: Sequence>(_ bytes: D) where D.Element == UInt8 {
        for byte in bytes {
            a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            b = (b ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 &+ 0x9e37_79b9
        }
        // A separator, so that ("ab", "c") and ("a", "bc") differ.
        a = (a ^ 0xff) &* 0x0000_0100_0000_01b3
        b = (b ^ 0xfe) &* 0x0000_0100_0000_01b3
    }

    @inlinable
    public mutating func add(_ s: String) { add(s.utf8) }

    /// The 128 bits as 32 hexadecimal digits.
    public var hex: String { Self.hex(a) + Self.hex(b) }
}

extension StableHash {
    /// Plain 64-bit FNV-1a of `bytes` (no separator): the short hash in the
    /// names of figures' ids and the site's image files.
    @inlinable
    public static func fnv1a64<D: Sequence>(_ bytes: D) -> UInt64 where D.Element == UInt8 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return h
    }

    /// `fnv1a64` as 16 hexadecimal digits.
    @inlinable
    public static func fnv1a64Hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        hex(fnv1a64(bytes))
    }

    @usableFromInline
    static func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
