import Foundation

/// Runs independent jobs on several threads and keeps their results in job
/// order: the one way nbrun fans work out (chapters, exercises, submissions).
public enum Parallel {
    /// `body(i)` for every `i` in `0..<count`, at most `jobs` at a time;
    /// the results in order of `i`.
    public static func map<T>(_ count: Int, jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
                              _ body: @escaping @Sendable (Int) -> T) -> [T] {
        guard count > 0 else { return [] }
        let results = Locked<[T?]>(Array(repeating: nil, count: count))
        let queue = DispatchQueue(label: "nbrun.parallel", attributes: .concurrent)
        let slots = DispatchSemaphore(value: max(1, jobs))
        let group = DispatchGroup()
        for i in 0..<count {
            slots.wait()
            group.enter()
            queue.async {
                defer { slots.signal(); group.leave() }
                let value = body(i)
                results.withLock { $0[i] = value }
            }
        }
        group.wait()
        return results.current.map { $0! }
    }
}
