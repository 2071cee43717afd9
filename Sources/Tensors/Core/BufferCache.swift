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
/// kept, by exact size, up to `limit` bytes in all; smaller ones and the
/// excess go back to the system.
final class BufferCache: Sendable {
    static let shared = BufferCache(limit: 256 << 20)

    private struct State {
        var free: [Int: [UnsafeMutableRawPointer]] = [:]
        var bytes = 0
    }

    private let state = Mutex(State())
    let limit: Int
    private static let minimumCount = 256

    init(limit: Int) { self.limit = limit }

    /// 64-byte-aligned memory for `count` floats.
    func allocate(_ count: Int) -> UnsafeMutablePointer<Float> {
        let n = Swift.max(count, 1)
        if n >= Self.minimumCount {
            let reused = state.withLock { s -> UnsafeMutableRawPointer? in
                guard let p = s.free[n]?.popLast() else { return nil }
                s.bytes -= n * 4
                return p
            }
            if let reused { return reused.assumingMemoryBound(to: Float.self) }
        }
        var raw: UnsafeMutableRawPointer?
        let rc = posix_memalign(&raw, 64, n * MemoryLayout<Float>.stride)
        precondition(rc == 0 && raw != nil, "out of memory allocating \(n * 4) bytes for a tensor")
        return raw!.bindMemory(to: Float.self, capacity: n)
    }

    func release(_ p: UnsafeMutablePointer<Float>, _ count: Int) {
        let n = Swift.max(count, 1)
        if n >= Self.minimumCount {
            let kept = state.withLock { s -> Bool in
                guard s.bytes + n * 4 <= limit else { return false }
                s.free[n, default: []].append(UnsafeMutableRawPointer(p))
                s.bytes += n * 4
                return true
            }
            if kept { return }
        }
        free(p)
    }
}
