import Testing
@testable import Tensors

/// The pool's pacing: when parallel sections stop paying (a worker waiting
/// for a core behind another program), sections run on the caller for a
/// while, then are measured in parallel again. Times are synthetic.
@Suite struct ThreadPoolTests {
    /// Runs sections at 1 ms intervals from `start`; every sampled one takes
    /// `wall` against `work` of processor time. Returns how many of `count`
    /// ran in parallel.
    func run(_ pacing: inout Pacing, from start: UInt64, count: Int, wall: UInt64, work: UInt64) -> Int {
        var parallel = 0
        for i in 0..<count {
            let now = start + UInt64(i) * 1_000_000
            guard let sampled = pacing.begin(now) else { continue }
            parallel += 1
            if sampled { pacing.record(wall: wall, work: work, at: now) }
        }
        return parallel
    }

    @Test func sectionsThatPayStayParallel() {
        var pacing = Pacing()
        // Two threads: the section takes a bit over half its work.
        #expect(run(&pacing, from: 0, count: 1000, wall: 550, work: 1000) == 1000)
    }

    @Test func sectionsSlowerThanTheirWorkGoSerialThenAreProbed() {
        var pacing = Pacing()
        // A preempted worker: sections take longer than one thread would.
        let first = run(&pacing, from: 0, count: 400, wall: 1300, work: 1000)
        // Eight samples, one in eight sections, before the first decision;
        // then serial for the 500 ms period (the rest of the 400 ms).
        #expect(first == Pacing.window * Pacing.window)
        // After the period, a probe measures every section: eight in parallel.
        let probe = run(&pacing, from: 600_000_000, count: 100, wall: 1300, work: 1000)
        #expect(probe == Pacing.window)
        // Once the machine is quiet again, the next probe returns to parallel.
        let quiet = run(&pacing, from: 1_200_000_000, count: 200, wall: 550, work: 1000)
        #expect(quiet == 200)
    }

    @Test func returningNeedsAMargin() {
        var pacing = Pacing()
        _ = run(&pacing, from: 0, count: 100, wall: 1300, work: 1000)
        // Just under the work is not enough to return after serial running.
        let probe = run(&pacing, from: 600_000_000, count: 100, wall: 950, work: 1000)
        #expect(probe == Pacing.window)
    }
}
