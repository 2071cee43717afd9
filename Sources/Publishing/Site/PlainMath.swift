/// LaTeX as a reader would say it in plain text, for search snippets and
/// alt text: `\log p_X(x)` becomes `log pX(x)`, `\alpha` `α`, `\mathbb{R}^d`
/// `ℝ^d`, `\frac{1}{2}` `1/2`; braces, subscript marks and spacing commands go.
enum PlainMath {
    static let symbols: [String: String] = [
        "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε", "zeta": "ζ",
        "eta": "η", "theta": "θ", "vartheta": "θ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν",
        "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "upsilon": "υ", "phi": "φ", "varphi": "φ",
        "chi": "χ", "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ",
        "Pi": "Π", "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
        "sum": "∑", "prod": "∏", "int": "∫", "infty": "∞", "cdot": "·", "times": "×", "le": "≤", "leq": "≤",
        "ge": "≥", "geq": "≥", "ne": "≠", "neq": "≠", "approx": "≈", "to": "→", "rightarrow": "→",
        "mapsto": "↦", "partial": "∂", "nabla": "∇", "sim": "~", "in": "∈", "pm": "±", "circ": "∘",
        "lVert": "‖", "rVert": "‖", "Vert": "‖", "lvert": "|", "rvert": "|", "mid": "|", "ldots": "…", "dots": "…",
        "cdots": "⋯", "odot": "⊙", "top": "ᵀ", "log": "log", "exp": "exp", "det": "det", "max": "max", "min": "min",
        "arg": "arg", "tanh": "tanh", "sin": "sin", "cos": "cos",
    ]
    /// Commands that only style or space their argument.
    static let dropped: Set<String> = [
        "left", "right", "big", "Big", "bigl", "bigr", "Bigl", "Bigr", "mathbf", "mathrm", "mathcal", "mathit",
        "boldsymbol", "operatorname", "text", "textrm", "quad", "qquad", "displaystyle", "frac", "dfrac", "tfrac",
        "sqrt", "hat", "tilde", "bar", "overline", "underline", "label", "nonumber", "notag",
    ]

    static func text(_ latex: String) -> String {
        var out = ""
        let chars = Array(latex)
        var i = 0
        var blackboard = false
        while i < chars.count {
            let c = chars[i]
            if c == "\\" {
                var j = i + 1
                while j < chars.count, chars[j].isLetter { j += 1 }
                let name = String(chars[(i + 1)..<j])
                if name.isEmpty {
                    // \, \; \! \{ \} and friends: spacing, or the character itself.
                    if j < chars.count, "{}|%$#_&".contains(chars[j]) { out.append(chars[j]) } else { out += " " }
                    i = j + 1
                    continue
                }
                if ["frac", "dfrac", "tfrac"].contains(name), let (a, afterA) = group(chars, from: j), let (b, afterB) = group(chars, from: afterA) {
                    func operand(_ s: String) -> String {
                        let t = text(s)
                        return t.count == 1 || t.allSatisfy({ $0.isNumber }) ? t : "(" + t + ")"
                    }
                    out += operand(a) + "/" + operand(b)
                    i = afterB
                    continue
                }
                if name == "mathbb" { blackboard = true }
                else if let s = symbols[name] { out += s }
                else if !dropped.contains(name) { out += name }
                i = j
                continue
            }
            if c == "{" || c == "}" || c == "_" || c == "&" || c == "~" { i += 1; continue }
            if blackboard, c.isLetter {
                out += ["R": "ℝ", "N": "ℕ", "Z": "ℤ", "Q": "ℚ", "C": "ℂ", "E": "𝔼", "P": "ℙ"][String(c)] ?? String(c)
                blackboard = false
                i += 1
                continue
            }
            out.append(c)
            i += 1
        }
        return out.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The text of the brace group starting at `start` (after spaces), and the index after it.
    static func group(_ chars: [Character], from start: Int) -> (String, Int)? {
        var i = start
        while i < chars.count, chars[i] == " " { i += 1 }
        guard i < chars.count else { return nil }
        guard chars[i] == "{" else { return (String(chars[i]), i + 1) }
        var depth = 0
        var j = i
        while j < chars.count {
            if chars[j] == "{" { depth += 1 } else if chars[j] == "}" { depth -= 1; if depth == 0 { return (String(chars[(i + 1)..<j]), j + 1) } }
            j += 1
        }
        return nil
    }
}
