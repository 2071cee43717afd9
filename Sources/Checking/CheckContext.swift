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
/// The observation format is read by `Grading/CheckObservations.swift`; the
/// two change together.
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
        guard fstat(descriptor, &info) == 0, info.st_dev == identity.0, info.st_ino == identity.1 else { _exit(97) }
        var bytes = Array((fields.map(Self.escape).joined(separator: "\t") + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if n <= 0 { _exit(97) }
            offset += n
        }
    }

    static func escape(_ s: String) -> String {
        var o = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "\\": o += "\\\\"
            case "\t": o += "\\t"
            case "\n": o += "\\n"
            case "\r": o += "\\r"
            default: o.unicodeScalars.append(ch)
            }
        }
        return o
    }

    static func number(_ x: Double) -> String { x.description }
    static func numbers(_ xs: [Double]) -> String { xs.map(number).joined(separator: ",") }

    // The assertions, as the generated check type forwards them.

    public func expect(_ condition: Bool, _ message: String, line: UInt) {
        write(["bool", String(line), message, condition ? "1" : "0"])
    }

    public func expectEqual(actual: String, expected: () -> String, _ what: String, line: UInt) {
        write(["equal", String(line), what, actual, mode == .reference ? expected() : "-"])
    }

    public func expectClose(actual: [Double], shape: [Int], expected: () -> ([Double], [Int]), tolerance: Double,
                            _ what: String, line: UInt) {
        var fields = ["close", String(line), what, shape.map(String.init).joined(separator: "x"), Self.numbers(actual)]
        if mode == .reference {
            let (e, s) = expected()
            fields += [s.map(String.init).joined(separator: "x"), Self.numbers(e)]
        } else {
            fields += ["-", "-"]
        }
        write(fields + [Self.number(tolerance)])
    }

    /// `kind` is "less" or "greater": the actual value must be strictly below or above the bound.
    public func expectOrdered(_ kind: String, actual: Double, bound: () -> Double, _ what: String, line: UInt) {
        write([kind, String(line), what, Self.number(actual), mode == .reference ? Self.number(bound()) : "-"])
    }

    public func fail(_ message: String, line: UInt) {
        write(["fail", String(line), message])
    }
}

extension Tensor {
    /// The values and shape an assertion reports.
    public var observed: ([Double], [Int]) { (scalars.map(Double.init), shape.dims) }
}
