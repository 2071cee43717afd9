#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failure to save or load a module's state.
public struct StateFileError: Error, CustomStringConvertible {
    public let description: String
}

/// The state file format, version 1 (all integers little-endian):
///
///     "NBFLOWS1"                      8 bytes, magic and version
///     count                           UInt32, number of tensors
///     per tensor, in the order of `parameters` then `buffers`:
///         rank                        UInt32 (0...4)
///         extents                     rank x UInt32
///         values                      count x Float32 (IEEE 754), row-major
///
/// Loading checks the count and every shape against the module it loads into,
/// so a file only loads into a module of the same architecture.
extension Module {
    static var magic: [UInt8] { Array("NBFLOWS1".utf8) }

    /// The parameters and buffers as the bytes of a state file.
    public func stateBytes() -> [UInt8] {
        let tensors = parameters + buffers
        var out = Self.magic
        func put(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
        put(UInt32(tensors.count))
        for t in tensors {
            put(UInt32(t.rank))
            for d in t.shape { put(UInt32(d)) }
            t.withUnsafeBufferPointer { b in for v in b { put(v.bitPattern) } }
        }
        return out
    }

    /// Restores parameters and buffers from the bytes of a state file.
    public func restoreState(from bytes: [UInt8]) throws {
        let tensors = parameters + buffers
        var pos = 0
        func take() throws -> UInt32 {
            guard pos + 4 <= bytes.count else { throw StateFileError(description: "state file is truncated at byte \(pos)") }
            let v = UInt32(bytes[pos]) | UInt32(bytes[pos + 1]) << 8 | UInt32(bytes[pos + 2]) << 16 | UInt32(bytes[pos + 3]) << 24
            pos += 4
            return v
        }
        guard bytes.count >= 8, Array(bytes[0..<8]) == Self.magic else {
            throw StateFileError(description: "not an nbrun state file (expected it to start with NBFLOWS1)")
        }
        pos = 8
        let count = Int(try take())
        guard count == tensors.count else {
            throw StateFileError(description: "the file holds \(count) tensors but the model has \(tensors.count): it was saved from a different architecture")
        }
        var decoded: [Tensor] = []
        for (i, t) in tensors.enumerated() {
            let rank = Int(try take())
            guard rank <= 4 else { throw StateFileError(description: "tensor \(i): rank \(rank) is not supported") }
            var dims: [Int] = []
            for _ in 0..<rank { dims.append(Int(try take())) }
            guard Shape(dims) == t.shape else {
                throw StateFileError(description: "tensor \(i): the file has shape \(Shape(dims)), the model \(t.shape)")
            }
            var values: [Float] = []
            values.reserveCapacity(t.count)
            for _ in 0..<t.count { values.append(Float(bitPattern: try take())) }
            decoded.append(Tensor(shape: t.shape, scalars: values))
        }
        guard pos == bytes.count else { throw StateFileError(description: "\(bytes.count - pos) unexpected bytes after the last tensor") }
        for (t, v) in zip(tensors, decoded) { t.assign(v) }
    }

    /// Writes the state file to `path`.
    public func save(to path: String) throws {
        let bytes = stateBytes()
        guard let f = fopen(path, "wb") else { throw StateFileError(description: "\(path): cannot open for writing") }
        defer { fclose(f) }
        guard fwrite(bytes, 1, bytes.count, f) == bytes.count else { throw StateFileError(description: "\(path): write failed") }
    }

    /// Reads the state file at `path` into this module.
    public func load(from path: String) throws {
        guard let f = fopen(path, "rb") else { throw StateFileError(description: "\(path): cannot open for reading") }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = fread(&chunk, 1, chunk.count, f)
            if n == 0 { break }
            bytes += chunk[0..<n]
        }
        do { try restoreState(from: bytes) } catch let e as StateFileError {
            throw StateFileError(description: "\(path): \(e.description)")
        }
    }
}
