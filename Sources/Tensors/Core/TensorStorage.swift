#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A 64-byte-aligned buffer of `Float`s: the memory behind one or more tensors.
///
/// Tensors share storage when an operation does not change the data (reshape,
/// `detached()`); writes go through copy-on-write in `Tensor`.
public final class TensorStorage {
    public let count: Int
    public let base: UnsafeMutablePointer<Float>
    /// The cache of the thread that allocated `base`, which takes it back.
    private let cache: BufferCache

    /// Uninitialised memory for `count` floats.
    public init(uninitializedCount count: Int) {
        self.count = count
        cache = BufferCache.current
        base = cache.allocate(count)
    }

    /// Memory for `count` floats, all set to `value`.
    public convenience init(count: Int, repeating value: Float) {
        self.init(uninitializedCount: count)
        if value == 0 {
            memset(base, 0, count * MemoryLayout<Float>.stride)
        } else {
            base.initialize(repeating: value, count: count)
        }
    }

    /// A copy of another buffer.
    public convenience init(copying other: TensorStorage) {
        self.init(uninitializedCount: other.count)
        base.update(from: other.base, count: count)
    }

    deinit { cache.release(base, count) }

    public var buffer: UnsafeMutableBufferPointer<Float> { .init(start: base, count: count) }
}
