import Synchronization
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
/// Each thread has its own cache (`current`), and a buffer goes back to the
/// cache of the thread that allocated it, wherever it is freed: a worker's
/// shard of a training step is freed on the caller's thread, and if its
/// buffers stayed there the worker would take fresh memory from the system
/// every step (page faults and cold cache lines: 17 times the page faults of
/// one thread, and each shard about 40% slower in two threads than in one).
/// A buffer freed on its own thread goes straight into the lists; one freed
/// elsewhere waits in its owner's `returned` box, which the owner empties when
/// its lists cannot serve an allocation. (One shared cache behind a lock made
/// each shard of realnvp-2d about a third slower when the two ran at once than
/// one after the other.)
final class BufferCache: @unchecked Sendable {
    private var lists: [Int: [UnsafeMutableRawPointer]] = [:]
    private var bytes = 0
    let limit: Int
    private static let minimumCount = 256
    /// Buffers of this cache freed on other threads, with their float counts.
    private let returned = Mutex<[(UnsafeMutableRawPointer, Int)]>([])
    private let hasReturned = Atomic<Bool>(false)

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
        returned.withLock { box in for (p, _) in box { free(p) } }
    }

    /// 64-byte-aligned memory for `count` floats. Call on the cache's own thread.
    func allocate(_ count: Int) -> UnsafeMutablePointer<Float> {
        let n = Swift.max(count, 1)
        if n >= Self.minimumCount {
            if let p = popKept(n) { return p }
            if hasReturned.load(ordering: .acquiring) {
                takeBackReturned()
                if let p = popKept(n) { return p }
            }
        }
        var raw: UnsafeMutableRawPointer?
        let rc = posix_memalign(&raw, 64, n * MemoryLayout<Float>.stride)
        precondition(rc == 0 && raw != nil, "out of memory allocating \(n * 4) bytes for a tensor")
        return raw!.bindMemory(to: Float.self, capacity: n)
    }

    private func popKept(_ n: Int) -> UnsafeMutablePointer<Float>? {
        guard let p = lists[n]?.popLast() else { return nil }
        bytes -= n * 4
        return p.assumingMemoryBound(to: Float.self)
    }

    /// Takes back memory this cache allocated, on whatever thread it is freed.
    func release(_ p: UnsafeMutablePointer<Float>, _ count: Int) {
        if Self.current === self {
            keep(p, count)
        } else if Swift.max(count, 1) < Self.minimumCount {
            free(p)
        } else {
            returned.withLock { $0.append((UnsafeMutableRawPointer(p), count)) }
            hasReturned.store(true, ordering: .releasing)
        }
    }

    /// Moves the buffers other threads freed into the lists (own thread only).
    private func takeBackReturned() {
        let taken = returned.withLock { box -> [(UnsafeMutableRawPointer, Int)] in
            hasReturned.store(false, ordering: .relaxed)
            defer { box.removeAll(keepingCapacity: true) }
            return box
        }
        for (p, count) in taken { keep(p.assumingMemoryBound(to: Float.self), count) }
    }

    private func keep(_ p: UnsafeMutablePointer<Float>, _ count: Int) {
        let n = Swift.max(count, 1)
        if n >= Self.minimumCount, bytes + n * 4 <= limit {
            lists[n, default: []].append(UnsafeMutableRawPointer(p))
            bytes += n * 4
            return
        }
        free(p)
    }
}
