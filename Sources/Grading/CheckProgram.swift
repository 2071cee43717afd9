import Foundation
import MyST

/// The Swift sources that check one exercise, as three modules:
///
/// - `ExerciseSetup`, a library with the exercise's `{setup}` declarations
///   (compiled with testing enabled, so its internal names are seen by the
///   other two through `@testable import`);
/// - `Submission`, a library with the student's file (or, when the grader
///   learns what the checks expect, the reference solution), with
///   `ExerciseSetup` imported before its first line;
/// - the check program, with every check as a method of `NBRunCheck`, a type
///   declared in that program, so no submission can add or replace an
///   assertion. It imports only the names the starter declares
///   (`import func Submission.planarLogDet`): a submission's other
///   declarations, its own `log`, `-` or `Array.count`, are not seen by the
///   checks' code.
struct CheckProgram {
    let spec: ExerciseSpec

    static let setupModule = "ExerciseSetup"
    static let submissionModule = "Submission"

    var setup: String {
        var out = ExerciseSpec.imports
        if let setup = spec.setup {
            out += "#sourceLocation(file: \"\(escape(spec.chapter))\", line: \(setup.line))\n" + setup.code + "\n#sourceLocation()\n"
        }
        return out
    }

    /// The student's file, with the setup imported before its first line and
    /// its lines numbered as in the file.
    func submission(_ source: String, shownAs path: String) -> String {
        ExerciseSpec.imports + "@testable import \(Self.setupModule)\n"
            + "#sourceLocation(file: \"\(escape(path))\", line: 1)\n" + source + "\n"
    }

    /// Modules the check programs of every exercise may import, compiled once
    /// so that a jailed compiler, whose module cache is read-only, finds them.
    static let warmUp = ExerciseSpec.imports + "import Foundation\nimport Dispatch\nimport CheckRuntime\nimport Tensors\nimport Flows\nimport Plots\n#if canImport(Glibc)\nimport Glibc\n#endif\n"

    var checks: String { checks(blind: false) }

    /// The check program. `blind`, for grading a submission: every
    /// assertion's expected side is cut out of the source (see
    /// `withholdingExpected`), so the code that computes what a submission
    /// must produce is not even in the program it runs in.
    func checks(blind: Bool) -> String {
        var out = ExerciseSpec.imports + "import CheckRuntime\n@testable import \(Self.setupModule)\n"
        let names = Self.declarations(in: spec.starter?.code ?? "")
        if names.isEmpty {
            out += "@testable import \(Self.submissionModule)\n"
        } else {
            for (kind, name) in names { out += "@testable import \(kind) \(Self.submissionModule).\(name)\n" }
        }
        out += "\n" + Self.assertions + "\nextension NBRunCheck {\n"
        for (i, check) in spec.checks.enumerated() {
            out += "    func check\(i)() throws {\n"
            out += "#sourceLocation(file: \"\(escape(spec.chapter))\", line: \(check.line))\n"
            out += (blind ? Self.withholdingExpected(check.code) : check.code) + "\n"
            out += "#sourceLocation()\n    }\n"
        }
        if blind { out += "    func nbrunWithheld<T>() -> T { fatalError(\"an expected value is not computed when grading\") }\n" }
        out += "}\n\nCheckHarness.main([\n"
        out += spec.checks.indices.map { i in "    { try NBRunCheck(recorder: $0).check\(i)() }" }.joined(separator: ",\n")
        out += "\n])\n"
        return out
    }

    /// The assertions a check calls, declared in the check program itself.
    /// Expected values are autoclosures: in a blind run they are never
    /// computed (see `CheckRecorder.Mode`).
    static let assertions = #"""
        struct NBRunCheck {
            let recorder: CheckRecorder

            func expect(_ condition: Bool, _ message: @autoclosure () -> String = "a condition that should hold does not",
                        line: UInt = #line) {
                recorder.expect(condition, message(), line: line)
            }
            func expectEqual<T: Equatable>(_ actual: T, _ expected: @autoclosure () -> T, _ what: String = "the value",
                                           line: UInt = #line) {
                recorder.expectEqual(actual: String(describing: actual), expected: { String(describing: expected()) }, what, line: line)
            }
            func expectClose(_ actual: Double, _ expected: @autoclosure () -> Double, tolerance: Double = 1e-4,
                             _ what: String = "the value", line: UInt = #line) {
                recorder.expectClose(actual: [actual], shape: [], expected: { ([expected()], []) }, tolerance: tolerance, what, line: line)
            }
            func expectClose(_ actual: Float, _ expected: @autoclosure () -> Float, tolerance: Double = 1e-4,
                             _ what: String = "the value", line: UInt = #line) {
                recorder.expectClose(actual: [Double(actual)], shape: [], expected: { ([Double(expected())], []) },
                                     tolerance: tolerance, what, line: line)
            }
            func expectClose(_ actual: [Double], _ expected: @autoclosure () -> [Double], tolerance: Double = 1e-4,
                             _ what: String = "the values", line: UInt = #line) {
                recorder.expectClose(actual: actual, shape: [actual.count], expected: { let e = expected(); return (e, [e.count]) },
                                     tolerance: tolerance, what, line: line)
            }
            func expectClose(_ actual: [Float], _ expected: @autoclosure () -> [Float], tolerance: Double = 1e-4,
                             _ what: String = "the values", line: UInt = #line) {
                recorder.expectClose(actual: actual.map(Double.init), shape: [actual.count],
                                     expected: { let e = expected(); return (e.map(Double.init), [e.count]) },
                                     tolerance: tolerance, what, line: line)
            }
            func expectClose(_ actual: Tensor, _ expected: @autoclosure () -> Tensor, tolerance: Double = 1e-4,
                             _ what: String = "the tensor", line: UInt = #line) {
                let a = actual.observed
                recorder.expectClose(actual: a.0, shape: a.1, expected: { expected().observed }, tolerance: tolerance, what, line: line)
            }
            func expectLess(_ actual: Double, than bound: @autoclosure () -> Double, _ what: String = "the value",
                            line: UInt = #line) {
                recorder.expectOrdered("less", actual: actual, bound: bound, what, line: line)
            }
            func expectGreater(_ actual: Double, than bound: @autoclosure () -> Double, _ what: String = "the value",
                               line: UInt = #line) {
                recorder.expectOrdered("greater", actual: actual, bound: bound, what, line: line)
            }
            func fail(_ message: String, line: UInt = #line) { recorder.fail(message, line: line) }
        }
        """#

    /// The names a starter declares at its top level, with the import kind
    /// that names them (`func`, `struct`, `var`, ...). Comments and string
    /// literals are skipped; nested declarations are not top-level.
    static func declarations(in code: String) -> [(kind: String, name: String)] {
        let kinds: [String: String] = ["func": "func", "struct": "struct", "class": "class", "enum": "enum",
                                       "protocol": "protocol", "typealias": "typealias", "let": "var", "var": "var",
                                       "actor": "class"]
        // Tokens with the bracket depth they stand at: identifiers whole, anything else one character.
        var tokens: [(text: String, depth: Int)] = []
        var depth = 0
        let scan = SwiftScanner(code)
        let s = scan.s
        var i = 0
        while i < s.count {
            let c = s[i]
            if let end = scan.literalOrCommentEnd(at: i) {
                i = end
            } else if scan.isIdentifier(c) {
                let end = scan.identifierEnd(at: i)
                tokens.append((String(String.UnicodeScalarView(s[i..<end])), depth))
                i = end
            } else {
                if c == "{" || c == "(" || c == "[" { depth += 1 }
                if c == "}" || c == ")" || c == "]" { depth = max(0, depth - 1) }
                if !CharacterSet.whitespacesAndNewlines.contains(c) { tokens.append((String(c), depth)) }
                i += 1
            }
        }
        var found: [(String, String)] = []
        var seen: Set<String> = []
        for (k, token) in tokens.enumerated() where token.depth == 0 && k + 1 < tokens.count {
            guard let kind = kinds[token.text] else { continue }
            let name = tokens[k + 1].text
            guard let first = name.unicodeScalars.first, first == "_" || CharacterSet.letters.contains(first),
                  kinds[name] == nil, seen.insert(name).inserted else { continue }
            found.append((kind, name))
        }
        return found
    }

    /// The assertions whose second argument is the expected side.
    static let assertionNames: Set<String> = ["expectClose", "expectEqual", "expectLess", "expectGreater"]

    /// `code` with the second argument of every assertion call replaced by
    /// `nbrunWithheld()` (a label such as `than:` is kept), and as many line
    /// breaks as the argument had, so every later line keeps its number.
    /// A light Swift scanner: strings (with interpolations, raw and
    /// multi-line ones), comments and brackets are followed; nothing else.
    static func withholdingExpected(_ code: String) -> String {
        let scan = SwiftScanner(code)
        let s = scan.s
        var out = String.UnicodeScalarView()
        var i = 0
        while i < s.count {
            let c = s[i]
            if let end = scan.literalOrCommentEnd(at: i) {
                out.append(contentsOf: s[i..<end]); i = end; continue
            }
            guard scan.isIdentifier(c), i == 0 || !scan.isIdentifier(s[i - 1]) else { out.append(c); i += 1; continue }
            let e = scan.identifierEnd(at: i)
            let name = String(String.UnicodeScalarView(s[i..<e]))
            var open = e
            while open < s.count && (s[open] == " " || s[open] == "\t") { open += 1 }
            guard assertionNames.contains(name), open < s.count, s[open] == "(" else {
                out.append(contentsOf: s[i..<e]); i = e; continue
            }
            // The arguments' boundaries: top-level commas between the brackets.
            let close = scan.balancedEnd(at: open) - 1
            var commas: [Int] = []
            var k = open + 1
            while k < close {
                let d = s[k]
                if let end = scan.literalOrCommentEnd(at: k) { k = end; continue }
                if d == "(" || d == "[" || d == "{" { k = scan.balancedEnd(at: k); continue }
                if d == "," { commas.append(k) }
                k += 1
            }
            out.append(contentsOf: s[i...open])
            guard !commas.isEmpty else { i = open + 1; continue }
            let start = commas[0] + 1, end = commas.count > 1 ? commas[1] : close
            out.append(contentsOf: s[(open + 1)...commas[0]])
            let argument = String(String.UnicodeScalarView(s[start..<end]))
            var label = ""
            if let colon = argument.firstIndex(of: ":"),
               argument[..<colon].trimmingCharacters(in: .whitespacesAndNewlines).allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }),
               !argument[..<colon].trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
               argument[argument.index(after: colon)...].first != ":" {
                label = argument[..<colon].trimmingCharacters(in: .whitespacesAndNewlines) + ": "
            }
            let breaks = argument.filter { $0 == "\n" }.count
            out.append(contentsOf: (" " + label + "nbrunWithheld()" + String(repeating: "\n", count: breaks)).unicodeScalars)
            i = end
        }
        return String(out)
    }

    func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
}

/// Just enough of Swift's lexical structure to find code outside string
/// literals (with interpolations, raw and multi-line ones) and comments, and
/// brackets' extents. Both of the check program's source readers use it.
struct SwiftScanner {
    let s: [Unicode.Scalar]

    init(_ code: String) { s = Array(code.unicodeScalars) }

    func isIdentifier(_ c: Unicode.Scalar) -> Bool { c == "_" || CharacterSet.alphanumerics.contains(c) }

    func identifierEnd(at i: Int) -> Int {
        var e = i
        while e < s.count && isIdentifier(s[e]) { e += 1 }
        return e
    }

    /// Where the string literal or comment starting at `i` ends; nil when none starts there.
    func literalOrCommentEnd(at i: Int) -> Int? {
        let c = s[i], next: Unicode.Scalar? = i + 1 < s.count ? s[i + 1] : nil
        if c == "\"" || (c == "#" && (next == "\"" || next == "#")) { return stringEnd(at: i) }
        if c == "/" && next == "/" {
            var e = i
            while e < s.count && s[e] != "\n" { e += 1 }
            return e
        }
        if c == "/" && next == "*" {
            var e = i + 2
            while e + 1 < s.count && !(s[e] == "*" && s[e + 1] == "/") { e += 1 }
            return min(s.count, e + 2)
        }
        return nil
    }

    /// The index after a string literal starting at `j` (at its opening quote or `#`).
    func stringEnd(at j: Int) -> Int {
        var k = j, hashes = 0
        while k < s.count && s[k] == "#" { hashes += 1; k += 1 }
        guard k < s.count, s[k] == "\"" else { return j + 1 }
        let multi = k + 2 < s.count && s[k + 1] == "\"" && s[k + 2] == "\""
        k += multi ? 3 : 1
        while k < s.count {
            if s[k] == "\\" {
                var h = 0
                while h < hashes && k + 1 + h < s.count && s[k + 1 + h] == "#" { h += 1 }
                if h == hashes, k + 1 + h < s.count, s[k + 1 + h] == "(" {
                    k = balancedEnd(at: k + 1 + h)
                    continue
                }
                k += 2
                continue
            }
            if s[k] == "\"" {
                let closes = multi ? (k + 2 < s.count && s[k + 1] == "\"" && s[k + 2] == "\"") : true
                if closes {
                    var e = k + (multi ? 3 : 1), h = 0
                    while h < hashes && e < s.count && s[e] == "#" { h += 1; e += 1 }
                    if h == hashes { return e }
                }
            }
            k += 1
        }
        return k
    }

    /// The index after the bracket that closes the one at `j`.
    func balancedEnd(at j: Int) -> Int {
        var depth = 0, k = j
        while k < s.count {
            if let end = literalOrCommentEnd(at: k) { k = end; continue }
            let c = s[k]
            if c == "(" || c == "[" || c == "{" { depth += 1 }
            if c == ")" || c == "]" || c == "}" { depth -= 1; if depth == 0 { return k + 1 } }
            k += 1
        }
        return k
    }
}
