/// Light checks on LaTeX math: enough to catch what breaks rendering.
///
/// Full LaTeX parsing belongs to the renderer; here the engine reports
/// unbalanced braces, `\begin`/`\end` that do not match, `\left` without
/// `\right`, and empty math, at the math's location.
struct MathCheck {
    let parser: DocumentParser

    func check(_ latex: String, at range: SourceRange) {
        if let problem = Self.problem(in: latex) {
            parser.report(.warning, .invalidMath, at: range, "math does not parse: \(problem)",
                          hint: "check the LaTeX; it is shown as written")
        }
    }

    /// What is wrong with `latex`, or nil if the checks pass.
    static func problem(in latex: String) -> String? {
        if latex.trimmed.isEmpty { return "it is empty" }
        var depth = 0
        var environments: [String] = []
        var lefts = 0
        let scalars = Array(latex.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            if c == "\\" {
                var j = i + 1
                while j < scalars.count, CharacterSetLite.isLetter(scalars[j]) { j += 1 }
                if j == i + 1 { i += 2; continue }
                let command = String(String.UnicodeScalarView(scalars[(i + 1)..<j]))
                switch command {
                case "left": lefts += 1
                case "right": lefts -= 1
                case "begin", "end":
                    if let (name, next) = argument(scalars, from: j) {
                        if command == "begin" { environments.append(name) } else {
                            guard environments.last == name else {
                                return environments.last.map { "\\end{\(name)} closes \\begin{\($0)}" }
                                    ?? "\\end{\(name)} without \\begin{\(name)}"
                            }
                            environments.removeLast()
                        }
                        j = next
                    }
                default: break
                }
                i = j
                continue
            }
            if c == "{" { depth += 1 }
            if c == "}" { depth -= 1; if depth < 0 { return "'}' without '{'" } }
            i += 1
        }
        if depth > 0 { return "\(depth) '{' never closed" }
        if let open = environments.last { return "\\begin{\(open)} is never ended" }
        if lefts > 0 { return "\\left without \\right" }
        if lefts < 0 { return "\\right without \\left" }
        return nil
    }

    private static func argument(_ s: [Unicode.Scalar], from start: Int) -> (String, Int)? {
        var i = start
        while i < s.count, s[i] == " " { i += 1 }
        guard i < s.count, s[i] == "{" else { return nil }
        guard let close = s[i...].firstIndex(of: "}") else { return nil }
        return (String(String.UnicodeScalarView(s[(i + 1)..<close])), close + 1)
    }

    /// The argument of the first `\label{...}` in `latex`.
    static func label(in latex: String) -> String? {
        guard latex.utf8.contains(UInt8(ascii: "\\")), let r = latex.firstRange(of: "\\label{") else { return nil }
        let rest = latex[r.upperBound...]
        guard let close = rest.firstIndex(of: "}") else { return nil }
        let label = rest[..<close].trimmed
        return label.isEmpty ? nil : String(label)
    }
}

/// ASCII letter test without Foundation.
enum CharacterSetLite {
    static func isLetter(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "A" && c <= "Z")
    }
}
