import CheckReports
import Foundation
import Tensors

/// Where a check's assertions go: every assertion becomes one observation,
/// written as a line to the grader, which decides the verdict.
///
/// Nothing here decides whether a check passed. The process that runs a check
/// also runs the student's code, so anything it computed could have been
/// forged; it only reports what the check observed (the values handed to each
/// assertion, in order) and the grader compares them, in its own process,
/// with the values observed when the same check ran against the reference
/// solution. See docs/exercises.md, "Why a check cannot be forged".
///
/// The format is `CheckReportLine`'s, which the grader reads with.
public final class CheckRecorder: @unchecked Sendable {
    /// `.reference` evaluates both sides of every assertion; `.blind` (a
    /// submission being graded) never evaluates an assertion's expected side,
    /// so the values a submission must produce never exist in its process.
    public enum Mode: String, Sendable { case reference, blind }

    public let mode: Mode
    let descriptor: Int32
    /// The pipe the grader reads, as it was before any submitted code ran.
    let identity: (dev_t, ino_t)
    public private(set) var count = 0

    init(mode: Mode, descriptor: Int32) {
        self.mode = mode
        self.descriptor = descriptor
        var info = stat()
        fstat(descriptor, &info)
        identity = (info.st_dev, info.st_ino)
    }

    /// Writes one observation line: fields joined by tabs, each escaped.
    func write(_ fields: [String]) {
        count += 1
        send(fields)
    }

    func end(_ fields: [String]) { send(fields) }

    /// A submission that put another pipe in the grader's place (to rewrite
    /// the report on its way) ends the check with a status the grader reads
    /// as tampering; `_exit`, so no handler it registered runs.
    func send(_ fields: [String]) {
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_dev == identity.0, info.st_ino == identity.1 else { _exit(CheckReportLine.tamperedExitStatus) }
        var bytes = Array(CheckReportLine.encode(fields).utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if n <= 0 { _exit(CheckReportLine.tamperedExitStatus) }
            offset += n
        }
    }

    // The assertions, as the generated check type forwards them.

    public func expect(_ condition: Bool, _ message: String, line: UInt) {
        write(["bool", String(line), message, condition ? "1" : "0"])
    }

    public func expectEqual(actual: String, expected: () -> String, _ what: String, line: UInt) {
        write(["equal", String(line), what, actual, mode == .reference ? expected() : CheckReportLine.withheld])
    }

    public func expectClose(actual: [Double], shape: [Int], expected: () -> ([Double], [Int]), tolerance: Double,
                            _ what: String, line: UInt) {
        var fields = ["close", String(line), what, CheckReportLine.shape(shape), CheckReportLine.numbers(actual)]
        if mode == .reference {
            let (e, s) = expected()
            fields += [CheckReportLine.shape(s), CheckReportLine.numbers(e)]
        } else {
            fields += [CheckReportLine.withheld, CheckReportLine.withheld]
        }
        write(fields + [CheckReportLine.number(tolerance)])
    }

    /// `kind` is "less" or "greater": the actual value must be strictly below or above the bound.
    public func expectOrdered(_ kind: String, actual: Double, bound: () -> Double, _ what: String, line: UInt) {
        write([kind, String(line), what, CheckReportLine.number(actual),
               mode == .reference ? CheckReportLine.number(bound()) : CheckReportLine.withheld])
    }

    public func fail(_ message: String, line: UInt) {
        write(["fail", String(line), message])
    }
}

extension Tensor {
    /// The values and shape an assertion reports.
    public var observed: ([Double], [Int]) { (scalars.map(Double.init), shape.dims) }
}
