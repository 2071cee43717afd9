import Foundation
import Testing
@testable import Tensors

/// Freed tensor buffers go back to the cache of the thread that allocated
/// them, wherever they are freed: a worker's shard of a step is freed on the
/// caller's thread, and the worker must get its memory back for the next step.
@Suite struct BufferCacheTests {
    final class Exchange: @unchecked Sendable {
        var storage: TensorStorage?
        var first: UnsafeMutablePointer<Float>?
        var second: UnsafeMutablePointer<Float>?
        let allocated = DispatchSemaphore(value: 0), freed = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
    }

    @Test func aBufferFreedOnAnotherThreadReturnsToItsOwner() {
        let x = Exchange()
        let count = 12_345  // a size no other test's tensors have
        let thread = Thread {
            x.storage = TensorStorage(uninitializedCount: count)
            x.first = x.storage!.base
            x.allocated.signal()
            x.freed.wait()
            let again = TensorStorage(uninitializedCount: count)
            x.second = again.base
            x.done.signal()
        }
        thread.start()
        x.allocated.wait()
        x.storage = nil  // the last reference: freed on this thread
        x.freed.signal()
        x.done.wait()
        #expect(x.first != nil && x.first == x.second)
    }
}
