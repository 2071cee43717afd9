import Synchronization
internal import CKernels
#if canImport(Glibc)
import Glibc
#endif

/// A small pool of worker threads for splitting one kernel across cores.
///
/// Built for short kernels (tens of microseconds): workers spin briefly on an
/// atomic word before sleeping, so handing out work costs well under a
/// microsecond when the pool is busy. Work is split into chunks whose bounds do
/// not depend on the number of threads, so results are the same bytes whatever
/// the thread count.
///
/// The thread count is the machine's core count, or `NBFLOWS_THREADS` when set.
public final class ThreadPool: @unchecked Sendable {
    /// The process-wide pool.
    public static let shared = ThreadPool(threads: ThreadPool.defaultThreadCount)

    static var defaultThreadCount: Int {
        if let s = getenv("NBFLOWS_THREADS"), let n = Int(String(cString: s)), n >= 1 { return Swift.min(n, 64) }
        return Swift.max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    /// Threads that run chunks, the caller's included.
    public let threadCount: Int

    // state: generation (20 bits) | chunk count (22 bits) | next chunk (22 bits)
    private let state = Atomic<UInt64>(0)
    private let done = Atomic<Int>(0)
    private let sleepers = Atomic<Int>(0)
    private let job = Atomic<UInt>(0)
    private var mutex = pthread_mutex_t()
    private var cond = pthread_cond_t()
    private let idIsMain: pthread_t

    /// About a millisecond of PAUSE instructions: long enough to bridge the
    /// serial stretches of a training step, short enough not to burn a core
    /// when the program is idle.
    private static let spinsBeforeSleep = 30_000

    private static let idxBits: UInt64 = 22
    private static let idxMask: UInt64 = (1 << 22) - 1

    private final class Job {
        var body: ((Int) -> Void)?
        init(_ body: @escaping (Int) -> Void) { self.body = body }
    }

    init(threads: Int) {
        threadCount = threads
        idIsMain = pthread_self()
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&cond, nil)
        for _ in 1..<Swift.max(threads, 1) {
            let unmanaged = Unmanaged.passRetained(self)
            var tid = pthread_t()
            pthread_create(&tid, nil, { arg in
                let pool = Unmanaged<ThreadPool>.fromOpaque(arg!).takeRetainedValue()
                pool.workerLoop()
                return nil
            }, unmanaged.toOpaque())
            pthread_detach(tid)
        }
    }

    private var busy = false
    private var serialOnly = false

    /// Runs every later `parallelFor` on the calling thread alone. For a
    /// process forked from one with a pool: its workers were not copied.
    public func runSeriallyFromNowOn() { serialOnly = true }

    /// Runs `body(i)` for every `i` in `0..<chunks`, spread over the pool's
    /// threads, and returns when all are done. Calls from inside a chunk, or
    /// from a second thread while the pool is busy, run serially.
    public func parallelFor(_ chunks: Int, _ body: (Int) -> Void) {
        if chunks <= 1 || threadCount == 1 || busy || serialOnly || pthread_equal(pthread_self(), idIsMain) == 0 {
            for i in 0..<chunks { body(i) }
            return
        }
        precondition(chunks <= Int(Self.idxMask), "parallelFor: too many chunks")
        busy = true
        withoutActuallyEscaping(body) { escaping in
            let j = Job(escaping)
            let ptr = Unmanaged.passUnretained(j).toOpaque()
            job.store(UInt(bitPattern: ptr), ordering: .sequentiallyConsistent)
            done.store(0, ordering: .sequentiallyConsistent)
            let old = state.load(ordering: .sequentiallyConsistent)
            let gen = ((old >> (2 * Self.idxBits)) &+ 1) & 0xFFFFF
            state.store((gen << (2 * Self.idxBits)) | (UInt64(chunks) << Self.idxBits), ordering: .sequentiallyConsistent)
            if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
                pthread_mutex_lock(&mutex); pthread_cond_broadcast(&cond); pthread_mutex_unlock(&mutex)
            }
            runChunks(j)
            // Wait for the chunks other threads claimed. If that takes long, a
            // worker was probably preempted (a busy machine): yield the core to it.
            var waited = 0
            while done.load(ordering: .sequentiallyConsistent) < chunks {
                waited += 1
                if waited < 2_000 { spinPause() } else { sched_yield() }
            }
            j.body = nil  // the closure must not outlive this call

        }
        busy = false
    }

    /// Claims and runs chunks of the current job until none are left.
    private func runChunks(_ j: Job?) {
        while true {
            let s = state.load(ordering: .sequentiallyConsistent)
            let count = (s >> Self.idxBits) & Self.idxMask
            let next = s & Self.idxMask
            if next >= count { return }
            let jobBits = job.load(ordering: .sequentiallyConsistent)
            let (exchanged, _) = state.compareExchange(expected: s, desired: s + 1, ordering: .sequentiallyConsistent)
            if !exchanged { continue }
            let body = j ?? Unmanaged<Job>.fromOpaque(UnsafeRawPointer(bitPattern: jobBits)!).takeUnretainedValue()
            body.body!(Int(next))
            done.add(1, ordering: .sequentiallyConsistent)
        }
    }

    private func hasWork() -> Bool {
        let s = state.load(ordering: .sequentiallyConsistent)
        return (s & Self.idxMask) < ((s >> Self.idxBits) & Self.idxMask)
    }

    private func workerLoop() {
        while true {
            var spins = 0
            while !hasWork() {
                spins += 1
                if spins > Self.spinsBeforeSleep {
                    pthread_mutex_lock(&mutex)
                    sleepers.add(1, ordering: .sequentiallyConsistent)
                    while !hasWork() { pthread_cond_wait(&cond, &mutex) }
                    sleepers.subtract(1, ordering: .sequentiallyConsistent)
                    pthread_mutex_unlock(&mutex)
                    break
                }
                spinPause()
            }
            runChunks(nil)
        }
    }

    @inline(__always) private func spinPause() { nb_cpu_relax() }
}
