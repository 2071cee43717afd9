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
/// Waiting is bounded on both sides, for machines where other programs run
/// too. A worker spins for `workerSpin` and then sleeps, so that between
/// parallel sections it does not hold a core the caller or another program
/// could use. A caller that has run out of chunks spins for `callerSpin` and
/// then sleeps until the last chunk is done: a sleeping caller leaves its core
/// idle, and the kernel then moves a worker that was waiting for a core (behind
/// another program) onto it. Spinning or yielding instead kept that core busy
/// doing nothing while the worker waited its turn elsewhere, which made two
/// threads slower than one beside a single busy program.
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
    private let callerSleeping = Atomic<Int>(0)
    private let job = Atomic<UInt>(0)
    private var mutex = pthread_mutex_t()
    private var cond = pthread_cond_t()
    private var doneCond = pthread_cond_t()
    private let idIsMain: pthread_t

    /// How long an idle worker spins before it sleeps, in nanoseconds: long
    /// enough to catch the next parallel section of a kernel that issues them
    /// back to back, short enough to let the core go between training steps.
    private static let workerSpin: UInt64 = 50_000
    /// How long a caller spins for the last chunks before it sleeps: about the
    /// cost of a wake-up, so an idle machine loses nothing.
    private static let callerSpin: UInt64 = 20_000

    private static let idxBits: UInt64 = 22
    private static let idxMask: UInt64 = (1 << 22) - 1

    private final class Job {
        var body: ((Int) -> Void)?
        /// Whether the threads measure the processor time they spend on chunks.
        var sampled = false
        /// Processor time other threads spent on this job's chunks, in nanoseconds.
        let otherCPU = Atomic<Int>(0)
        init(_ body: @escaping (Int) -> Void) { self.body = body }
    }

    private var pacing = Pacing()

    init(threads: Int) {
        threadCount = threads
        idIsMain = pthread_self()
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&cond, nil)
        pthread_cond_init(&doneCond, nil)
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

    /// Runs `body` with every parallel section on the calling thread, as the
    /// pool does while pacing finds that sections do not pay (for tests).
    func withSerialSections<R>(_ body: () -> R) -> R {
        let was = serialOnly
        serialOnly = true
        defer { serialOnly = was }
        return body()
    }

    /// Runs `body(i)` for every `i` in `0..<chunks`, spread over the pool's
    /// threads, and returns when all are done. Calls from inside a chunk, or
    /// from a second thread while the pool is busy, run serially.
    public func parallelFor(_ chunks: Int, _ body: (Int) -> Void) {
        if chunks <= 1 || threadCount == 1 || busy || serialOnly || pthread_equal(pthread_self(), idIsMain) == 0 {
            for i in 0..<chunks { body(i) }
            return
        }
        precondition(chunks <= Int(Self.idxMask), "parallelFor: too many chunks")
        let now = monotonicNanoseconds()
        guard let sampled = pacing.begin(now) else {
            for i in 0..<chunks { body(i) }
            return
        }
        busy = true
        withoutActuallyEscaping(body) { escaping in
            let j = Job(escaping)
            j.sampled = sampled
            let ptr = Unmanaged.passUnretained(j).toOpaque()
            job.store(UInt(bitPattern: ptr), ordering: .sequentiallyConsistent)
            done.store(0, ordering: .sequentiallyConsistent)
            let old = state.load(ordering: .sequentiallyConsistent)
            let gen = ((old >> (2 * Self.idxBits)) &+ 1) & 0xFFFFF
            state.store((gen << (2 * Self.idxBits)) | (UInt64(chunks) << Self.idxBits), ordering: .sequentiallyConsistent)
            if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
                pthread_mutex_lock(&mutex); pthread_cond_broadcast(&cond); pthread_mutex_unlock(&mutex)
            }
            let cpu0 = sampled ? threadCPUNanoseconds() : 0
            runChunks(j)
            let ownCPU = sampled ? threadCPUNanoseconds() - cpu0 : 0
            waitUntilDone(chunks)
            if sampled {
                pacing.record(wall: monotonicNanoseconds() - now,
                              work: ownCPU + UInt64(j.otherCPU.load(ordering: .sequentiallyConsistent)), at: now)
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
            if j == nil && body.sampled {
                let cpu0 = threadCPUNanoseconds()
                body.body!(Int(next))
                body.otherCPU.add(Int(threadCPUNanoseconds() - cpu0), ordering: .sequentiallyConsistent)
            } else {
                body.body!(Int(next))
            }
            let finished = done.add(1, ordering: .sequentiallyConsistent).newValue
            if finished == Int(count), callerSleeping.load(ordering: .sequentiallyConsistent) != 0 {
                pthread_mutex_lock(&mutex); pthread_cond_broadcast(&doneCond); pthread_mutex_unlock(&mutex)
            }
        }
    }

    /// Waits for the chunks other threads claimed: spins for `callerSpin`,
    /// then sleeps until the last one signals.
    private func waitUntilDone(_ chunks: Int) {
        let deadline = monotonicNanoseconds() + Self.callerSpin
        var spins = 0
        while done.load(ordering: .sequentiallyConsistent) < chunks {
            spins += 1
            if spins & 63 == 0, monotonicNanoseconds() > deadline {
                pthread_mutex_lock(&mutex)
                callerSleeping.store(1, ordering: .sequentiallyConsistent)
                while done.load(ordering: .sequentiallyConsistent) < chunks { pthread_cond_wait(&doneCond, &mutex) }
                callerSleeping.store(0, ordering: .sequentiallyConsistent)
                pthread_mutex_unlock(&mutex)
                return
            }
            spinPause()
        }
    }

    private func hasWork() -> Bool {
        let s = state.load(ordering: .sequentiallyConsistent)
        return (s & Self.idxMask) < ((s >> Self.idxBits) & Self.idxMask)
    }

    private func workerLoop() {
        while true {
            let deadline = monotonicNanoseconds() + Self.workerSpin
            var spins = 0
            while !hasWork() {
                spins += 1
                if spins & 63 == 0, monotonicNanoseconds() > deadline {
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

    private func threadCPUNanoseconds() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
    }

    private func monotonicNanoseconds() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
    }
}

/// Whether parallel sections currently pay: the caller's record of how long
/// sampled sections took against the processor time their chunks used.
///
/// On a machine where other programs compete for the cores, a worker can be
/// made to wait for a core while it holds a chunk, and the section then takes
/// longer than one thread doing all the chunks would. One section in eight is
/// measured (wall time, and the processor time every thread spent on chunks,
/// which is what one thread alone would need); after eight such samples, if
/// the sections took longer than their work, the pool runs every section on
/// the caller for half a second, then measures eight sections in parallel
/// again. The chunks and their order are the same either way, so results do
/// not change, only where they are computed.
struct Pacing {
    private var calls = 0
    private var samples = 0
    private var wall: UInt64 = 0
    private var work: UInt64 = 0
    private var serialUntil: UInt64 = 0
    private var probing = false

    static let window = 8
    static let serialPeriod: UInt64 = 500_000_000

    /// Nil to run this section on the caller; otherwise whether to measure it.
    mutating func begin(_ now: UInt64) -> Bool? {
        if serialUntil != 0 {
            if now < serialUntil { return nil }
            serialUntil = 0
            probing = true
        }
        calls &+= 1
        return probing || calls % Self.window == 0
    }

    mutating func record(wall w: UInt64, work c: UInt64, at now: UInt64) {
        wall += w; work += c; samples += 1
        guard samples == Self.window else { return }
        // Parallel sections must beat the serial estimate, by a margin when
        // returning from serial running, so that the pool does not flap.
        let limit = probing ? work * 9 / 10 : work
        if wall > limit { serialUntil = now + Self.serialPeriod }
        probing = false
        samples = 0; wall = 0; work = 0
    }
}
