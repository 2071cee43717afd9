/// The commands the converter knows, by kind.
enum MathSymbols {
    static let greek: [String: String] = [
        "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ", "varepsilon": "ε", "zeta": "ζ",
        "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν",
        "xi": "ξ", "pi": "π", "varpi": "ϖ", "rho": "ρ", "varrho": "ϱ", "sigma": "σ", "varsigma": "ς", "tau": "τ",
        "upsilon": "υ", "phi": "ϕ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
        "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ",
        "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
    ]

    /// Identifiers that are symbols rather than operators.
    static let identifiers: [String: String] = [
        "partial": "∂", "nabla": "∇", "infty": "∞", "ell": "ℓ", "hbar": "ℏ", "emptyset": "∅", "varnothing": "∅",
        "aleph": "ℵ", "Re": "ℜ", "Im": "ℑ", "top": "⊤", "bot": "⊥", "forall": "∀", "exists": "∃", "neg": "¬",
        "imath": "ı", "jmath": "ȷ", "prime": "′",
    ]

    static let operators: [String: String] = [
        "cdot": "·", "times": "×", "div": "÷", "pm": "±", "mp": "∓", "odot": "⊙", "otimes": "⊗", "oplus": "⊕",
        "circ": "∘", "ast": "∗", "star": "⋆", "bullet": "•", "setminus": "∖", "cap": "∩", "cup": "∪",
        "wedge": "∧", "vee": "∨", "land": "∧", "lor": "∨",
        "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠", "approx": "≈", "sim": "∼",
        "simeq": "≃", "cong": "≅", "equiv": "≡", "propto": "∝", "ll": "≪", "gg": "≫", "in": "∈", "notin": "∉",
        "ni": "∋", "subset": "⊂", "subseteq": "⊆", "supset": "⊃", "supseteq": "⊇", "perp": "⊥", "mid": "∣",
        "parallel": "∥", "to": "→", "rightarrow": "→", "leftarrow": "←", "gets": "←", "leftrightarrow": "↔",
        "Rightarrow": "⇒", "Leftarrow": "⇐", "Leftrightarrow": "⇔", "implies": "⟹", "iff": "⟺",
        "mapsto": "↦", "longrightarrow": "⟶", "longmapsto": "⟼", "uparrow": "↑", "downarrow": "↓",
        "ldots": "…", "cdots": "⋯", "vdots": "⋮", "ddots": "⋱", "dots": "…", "colon": ":",
        "langle": "⟨", "rangle": "⟩", "lceil": "⌈", "rceil": "⌉", "lfloor": "⌊", "rfloor": "⌋",
        "lVert": "‖", "rVert": "‖", "Vert": "‖", "|": "‖", "lvert": "|", "rvert": "|", "vert": "|",
        "{": "{", "}": "}", "#": "#", "%": "%", "&": "&", "_": "_", "$": "$", "backslash": "\\",
    ]

    /// Large operators: limits go under and over in display style.
    static let largeOperators: [String: String] = [
        "sum": "∑", "prod": "∏", "coprod": "∐", "int": "∫", "iint": "∬", "iiint": "∭", "oint": "∮",
        "bigcup": "⋃", "bigcap": "⋂", "bigoplus": "⨁", "bigotimes": "⨂",
    ]

    /// Function names set upright; the `limits` ones take limits like large operators.
    static let functions: Set<String> = [
        "log", "ln", "exp", "det", "sin", "cos", "tan", "sinh", "cosh", "tanh", "arcsin", "arccos", "arctan",
        "dim", "ker", "deg", "gcd", "Pr", "sec", "csc", "cot", "tr", "sgn", "diag",
    ]
    static let limitFunctions: Set<String> = ["max", "min", "arg", "argmax", "argmin", "lim", "sup", "inf", "liminf", "limsup"]

    /// Spacing commands and their widths in em.
    static let spaces: [String: String] = [
        ",": "0.1667em", ":": "0.2222em", ">": "0.2222em", ";": "0.2778em", "!": "-0.1667em", " ": "0.25em",
        "quad": "1em", "qquad": "2em", "enspace": "0.5em", "thinspace": "0.1667em",
    ]

    /// Accents: the mark and whether it stretches.
    static let accents: [String: (String, Bool)] = [
        "hat": ("^", false), "widehat": ("^", true), "bar": ("¯", false), "overline": ("¯", true),
        "tilde": ("~", false), "widetilde": ("~", true), "vec": ("→", false), "dot": ("˙", false),
        "ddot": ("¨", false), "check": ("ˇ", false), "breve": ("˘", false), "acute": ("´", false), "grave": ("`", false),
        "overrightarrow": ("→", true),
    ]

    /// Font commands and the mathvariant they set (nil: upright text-like).
    static let fonts: [String: String] = [
        "mathbf": "bold", "mathcal": "script", "mathbb": "double-struck", "mathrm": "normal", "mathit": "italic",
        "mathsf": "sans-serif", "mathtt": "monospace", "mathfrak": "fraktur", "boldsymbol": "bold-italic",
        "bm": "bold-italic", "mathscr": "script",
    ]

    /// Delimiters allowed after \left, \right and the \big family.
    static func delimiter(_ t: MathToken) -> String? {
        switch t {
        case .char(let c) where "()[]|/.".contains(c): return c == "." ? "" : String(c)
        case .command(let n): return operators[n] ?? (n == "{" ? "{" : n == "}" ? "}" : nil)
        default: return nil
        }
    }
}
