import MyST

/// The Swift sources of the program that checks one submission: the
/// harness's `main.swift` with every check as a method of `CheckContext`,
/// and the exercise's setup code. The submission is compiled beside them as
/// it is, so that the compiler's messages name the student's own file.
struct CheckProgram {
    let spec: ExerciseSpec

    /// The method name of check `i`.
    static func method(_ i: Int) -> String { "nbrunCheck\(i)" }

    var main: String {
        var out = ExerciseSpec.imports + "import Checking\n\nextension CheckContext {\n"
        for (i, check) in spec.checks.enumerated() {
            out += "    func \(Self.method(i))() throws {\n"
            out += "#sourceLocation(file: \"\(escape(spec.chapter))\", line: \(check.line))\n"
            out += check.code + "\n"
            out += "#sourceLocation()\n    }\n"
        }
        out += "}\n\nCheckHarness.main([" + spec.checks.indices.map { "CheckContext.\(Self.method($0))" }.joined(separator: ", ") + "])\n"
        return out
    }

    /// Declarations shared by the starter, the solution and the checks.
    var setup: String {
        var out = ExerciseSpec.imports + "import Checking\n\n"
        if let setup = spec.setup {
            out += "#sourceLocation(file: \"\(escape(spec.chapter))\", line: \(setup.line))\n" + setup.code + "\n#sourceLocation()\n"
        }
        return out
    }

    func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
}
