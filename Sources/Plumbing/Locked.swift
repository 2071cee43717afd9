import Foundation

/// A value shared by threads, read and changed only under its lock: the one
/// lock box of nbrun (results filled in by parallel jobs, counters, caches of
/// folders). `Synchronization.Mutex` would do the same on macOS 15 and later.
public final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) { self.value = value }

    /// Runs `body` with the value, holding the lock.
    @discardableResult
    public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }

    /// A copy of the value.
    public var current: Value { withLock { $0 } }
}

extension Locked {
    /// `count` empty slots, one per parallel job, filled in as the jobs finish.
    public static func slots<Element>(_ count: Int, _ empty: Element) -> Locked<[Element]> where Value == [Element] {
        Locked<[Element]>(Array(repeating: empty, count: count))
    }

    /// Sets slot `i` of an array.
    public func set<Element>(_ i: Int, _ element: Element) where Value == [Element] {
        withLock { $0[i] = element }
    }
}
