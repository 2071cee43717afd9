import Foundation
import Tensors

/// What a check's code runs inside: its assertions record their outcomes here.
///
/// A check's code becomes a method of an extension of this class, so
/// `expectClose(...)` in a check always means the method below, whatever
/// global functions a submission defines. A check passes when it made at
/// least one assertion and none failed; a check that makes no assertion (say,
/// because a submission replaced them) fails.
public final class CheckContext {
    /// Assertions evaluated so far.
    public private(set) var assertions = 0
    /// Messages of the failed assertions, in order.
    public private(set) var failures: [String] = []

    public init() {}

    func record(_ passed: Bool, _ message: @autoclosure () -> String, file: StaticString, line: UInt) {
        assertions += 1
        if !passed { failures.append(message() + " (\(file):\(line))") }
    }

    /// Fails with `message` unless `condition` holds.
    public func expect(_ condition: Bool, _ message: @autoclosure () -> String = "a condition that should hold does not",
                       file: StaticString = #filePath, line: UInt = #line) {
        record(condition, message(), file: file, line: line)
    }

    public func expectEqual<T: Equatable>(_ actual: T, _ expected: T, _ what: String = "the value", file: StaticString = #filePath, line: UInt = #line) {
        record(actual == expected, "\(what): expected \(expected), got \(actual)", file: file, line: line)
    }

    /// `|actual - expected| <= tolerance * max(1, |expected|)`: absolute near
    /// zero, relative for large values.
    public func expectClose(_ actual: Double, _ expected: Double, tolerance: Double = 1e-4,
                            _ what: String = "the value", file: StaticString = #filePath, line: UInt = #line) {
        let ok = actual.isFinite && abs(actual - expected) <= tolerance * max(1, abs(expected))
        record(ok, "\(what): expected \(format(expected)) ± \(format(tolerance * max(1, abs(expected)))), got \(format(actual))", file: file, line: line)
    }

    public func expectClose(_ actual: Float, _ expected: Float, tolerance: Double = 1e-4,
                            _ what: String = "the value", file: StaticString = #filePath, line: UInt = #line) {
        expectClose(Double(actual), Double(expected), tolerance: tolerance, what, file: file, line: line)
    }

    public func expectClose(_ actual: [Float], _ expected: [Float], tolerance: Double = 1e-4,
                            _ what: String = "the values", file: StaticString = #filePath, line: UInt = #line) {
        guard actual.count == expected.count else {
            record(false, "\(what): expected \(expected.count) values, got \(actual.count)", file: file, line: line)
            return
        }
        for (i, (a, e)) in zip(actual, expected).enumerated() {
            let ok = a.isFinite && abs(Double(a) - Double(e)) <= tolerance * max(1, abs(Double(e)))
            if !ok {
                record(false, "\(what)[\(i)]: expected \(format(Double(e))) ± \(format(tolerance * max(1, abs(Double(e))))), got \(format(Double(a)))", file: file, line: line)
                return
            }
        }
        record(true, "", file: file, line: line)
    }

    public func expectClose(_ actual: [Double], _ expected: [Double], tolerance: Double = 1e-4,
                            _ what: String = "the values", file: StaticString = #filePath, line: UInt = #line) {
        guard actual.count == expected.count else {
            record(false, "\(what): expected \(expected.count) values, got \(actual.count)", file: file, line: line)
            return
        }
        for (i, (a, e)) in zip(actual, expected).enumerated() where !(a.isFinite && abs(a - e) <= tolerance * max(1, abs(e))) {
            record(false, "\(what)[\(i)]: expected \(format(e)) ± \(format(tolerance * max(1, abs(e)))), got \(format(a))", file: file, line: line)
            return
        }
        record(true, "", file: file, line: line)
    }

    public func expectClose(_ actual: Tensor, _ expected: Tensor, tolerance: Double = 1e-4,
                            _ what: String = "the tensor", file: StaticString = #filePath, line: UInt = #line) {
        guard actual.shape == expected.shape else {
            record(false, "\(what): expected shape \(expected.shape), got \(actual.shape)", file: file, line: line)
            return
        }
        expectClose(actual.scalars, expected.scalars, tolerance: tolerance, what, file: file, line: line)
    }

    /// Fails with `message`.
    public func fail(_ message: String, file: StaticString = #filePath, line: UInt = #line) { record(false, message, file: file, line: line) }

    /// Six significant digits, as `%g` prints them.
    func format(_ x: Double) -> String { String(format: "%.6g", x) }
}
