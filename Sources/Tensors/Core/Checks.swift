/// Checks a condition and stops with `message` when it fails, in every build.
///
/// It shadows the standard library's `precondition` inside this package on
/// purpose: in optimised builds the standard one stops *without* printing its
/// message, and the shape errors it reports ("matmul: inner dimensions differ:
/// [2, 3] x [4, 5]") are exactly what a notebook author needs to see.
@inlinable @inline(__always)
package func precondition(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String = String(),
                          file: StaticString = #fileID, line: UInt = #line) {
    if !condition() { fail(message(), file: file, line: line) }
}

/// Stops with `message` in every build (see `precondition`).
@inlinable
package func preconditionFailure(_ message: @autoclosure () -> String = String(),
                                 file: StaticString = #fileID, line: UInt = #line) -> Never {
    fail(message(), file: file, line: line)
}

@usableFromInline @inline(never)
func fail(_ message: String, file: StaticString, line: UInt) -> Never {
    fatalError(message, file: file, line: line)
}
