#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Keeps freed tensor buffers for reuse by the next tensor of the same size.
///
/// A training step allocates and frees the same few dozen buffer sizes over
/// and over; the system allocator handles such sizes (tens of kilobytes)
/// slowly and keeps consolidating its free lists. Buffers of at least 1 KiB are
/// kept, by exact size, up to `limit` bytes in all (128 MiB per thread, a
/// cap: a thread keeps what one training step of its own frees); smaller ones
/// and the excess go back to the system.
///
/// Each thread has its own cache (`current`): a buffer freed on a thread is
/// reused on that thread, whose core still holds it, and two cores computing
/// the shards of one step never wait for each other here. (One shared cache
/// behind a lock made each shard of realnvp-2d about a third slower when the
/// two ran at once than one after the other.)
final class BufferCache {
    private var lists: [Int: [UnsafeMutableRawPointer]] = [:]
    private var bytes = 0
    let limit: Int
    private static let minimumCount = 256

    init(limit: Int) { self.limit = limit }

    private static let key: pthread_key_t = {
        var k = pthread_key_t()
        pthread_key_create(&k) { p in
            if let p { Unmanaged<BufferCache>.fromOpaque(p).release() }
        }
        return k
    }()

    /// The calling thread's cache.
    static var current: BufferCache {
        if let p = pthread_getspecific(key) { return Unmanaged<BufferCache>.fromOpaque(p).takeUnretainedValue() }
        let cache = BufferCache(limit: 128 << 20)
        pthread_setspecific(key, Unmanaged.passRetained(cache).toOpaque())
        return cache
    }

    deinit {
        for list in lists.values { for p in list { free(p) } }
    }

    /// 64-byte-aligned memory for `count` floats.
    func allocate(_ count: Int) -> UnsafeMutablePointer<Float> {
        let n = Swift.max(count, 1)
        if n >= Self.minimumCount, let p = lists[n]?.popLast() {
            bytes -= n * 4
            return p.assumingMemoryBound(to: Float.self)
        }
        var raw: UnsafeMutableRawPointer?
        let rc = posix_memalign(&raw, 64, n * MemoryLayout<Float>.stride)
        precondition(rc == 0 && raw != nil, "out of memory allocating \(n * 4) bytes for a tensor")
        return raw!.bindMemory(to: Float.self, capacity: n)
    }

    func release(_ p: UnsafeMutablePointer<Float>, _ count: Int) {
        let n = Swift.max(count, 1)
        if n >= Self.minimumCount, bytes + n * 4 <= limit {
            lists[n, default: []].append(UnsafeMutableRawPointer(p))
            bytes += n * 4
            return
        }
        free(p)
    }
}
