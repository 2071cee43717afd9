/// The commands the converter knows, by kind.
enum MathSymbols {
    static let greek: [String: String] = [
        "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ", "varepsilon": "ε", "zeta": "ζ",
        "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ", "varkappa": "ϰ", "lambda": "λ",
        "mu": "μ", "nu": "ν", "xi": "ξ", "omicron": "ο", "pi": "π", "varpi": "ϖ", "rho": "ρ", "varrho": "ϱ",
        "sigma": "σ", "varsigma": "ς", "tau": "τ", "upsilon": "υ", "phi": "ϕ", "varphi": "φ", "chi": "χ",
        "psi": "ψ", "omega": "ω",
        "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ",
        "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
        // Capitals that look Latin; LaTeX has no commands for them but KaTeX and MathJax do.
        "Alpha": "Α", "Beta": "Β", "Epsilon": "Ε", "Zeta": "Ζ", "Eta": "Η", "Iota": "Ι", "Kappa": "Κ",
        "Mu": "Μ", "Nu": "Ν", "Omicron": "Ο", "Rho": "Ρ", "Tau": "Τ", "Chi": "Χ",
        // amsmath's slanted capitals.
        "varGamma": "Γ", "varDelta": "Δ", "varTheta": "Θ", "varLambda": "Λ", "varXi": "Ξ", "varPi": "Π",
        "varSigma": "Σ", "varUpsilon": "Υ", "varPhi": "Φ", "varPsi": "Ψ", "varOmega": "Ω",
    ]

    /// Identifiers that are symbols rather than operators.
    static let identifiers: [String: String] = [
        "partial": "∂", "nabla": "∇", "infty": "∞", "ell": "ℓ", "hbar": "ℏ", "emptyset": "∅", "varnothing": "∅",
        "aleph": "ℵ", "Re": "ℜ", "Im": "ℑ", "top": "⊤", "bot": "⊥", "intercal": "⊺", "forall": "∀", "exists": "∃",
        "nexists": "∄", "neg": "¬", "lnot": "¬", "imath": "ı", "jmath": "ȷ", "prime": "′", "angle": "∠",
        "triangle": "△", "dagger": "†", "ddagger": "‡", "complement": "∁", "wp": "℘", "sharp": "♯", "flat": "♭",
        "natural": "♮", "clubsuit": "♣", "diamondsuit": "♢", "heartsuit": "♡", "spadesuit": "♠", "checkmark": "✓",
    ]

    /// Identifiers that browsers would slant on their own (a one-letter `<mi>`
    /// is italic), kept upright like TeX's.
    static let upright: Set<String> = ["∇", "∂", "ı", "ȷ"]

    static let operators: [String: String] = [
        "cdot": "⋅", "cdotp": "⋅", "times": "×", "div": "÷", "pm": "±", "mp": "∓", "odot": "⊙", "otimes": "⊗",
        "oplus": "⊕", "ominus": "⊖", "oslash": "⊘", "circ": "∘", "ast": "∗", "star": "⋆", "bullet": "∙",
        "diamond": "⋄", "setminus": "∖", "smallsetminus": "∖", "cap": "∩", "cup": "∪", "sqcap": "⊓", "sqcup": "⊔",
        "uplus": "⊎", "amalg": "⨿", "wedge": "∧", "vee": "∨", "land": "∧", "lor": "∨",
        "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "leqslant": "⩽", "geqslant": "⩾", "lt": "<", "gt": ">",
        "neq": "≠", "ne": "≠", "approx": "≈", "sim": "∼", "simeq": "≃", "cong": "≅", "equiv": "≡", "propto": "∝",
        "asymp": "≍", "doteq": "≐", "triangleq": "≜", "coloneqq": "≔", "eqqcolon": "≕", "lesssim": "≲",
        "gtrsim": "≳", "prec": "≺", "succ": "≻", "preceq": "⪯", "succeq": "⪰", "ll": "≪", "gg": "≫",
        "in": "∈", "notin": "∉", "ni": "∋", "subset": "⊂", "subseteq": "⊆", "subsetneq": "⊊", "supset": "⊃",
        "supseteq": "⊇", "supsetneq": "⊋", "sqsubseteq": "⊑", "sqsupseteq": "⊒", "perp": "⟂", "mid": "∣",
        "nmid": "∤", "parallel": "∥", "nparallel": "∦", "vdash": "⊢", "dashv": "⊣", "models": "⊨",
        "to": "→", "rightarrow": "→", "leftarrow": "←", "gets": "←", "leftrightarrow": "↔",
        "Rightarrow": "⇒", "Leftarrow": "⇐", "Leftrightarrow": "⇔", "implies": "⟹", "impliedby": "⟸", "iff": "⟺",
        "longrightarrow": "⟶", "longleftarrow": "⟵", "longleftrightarrow": "⟷", "Longrightarrow": "⟹",
        "Longleftarrow": "⟸", "Longleftrightarrow": "⟺", "mapsto": "↦", "longmapsto": "⟼", "hookrightarrow": "↪",
        "hookleftarrow": "↩", "leadsto": "⇝", "rightharpoonup": "⇀", "uparrow": "↑", "downarrow": "↓",
        "updownarrow": "↕", "Uparrow": "⇑", "Downarrow": "⇓", "nearrow": "↗", "searrow": "↘",
        "ldots": "…", "dots": "…", "dotsc": "…", "dotso": "…", "cdots": "⋯", "dotsb": "⋯", "dotsm": "⋯",
        "dotsi": "⋯", "vdots": "⋮", "ddots": "⋱", "colon": ":",
        "langle": "⟨", "rangle": "⟩", "lceil": "⌈", "rceil": "⌉", "lfloor": "⌊", "rfloor": "⌋",
        "lVert": "‖", "rVert": "‖", "Vert": "‖", "|": "‖", "lvert": "|", "rvert": "|", "vert": "|",
        "lbrace": "{", "rbrace": "}", "lbrack": "[", "rbrack": "]", "backslash": "\\",
        "{": "{", "}": "}", "#": "#", "%": "%", "&": "&", "_": "_", "$": "$",
    ]

    /// Characters that stretch when they are `\left`, `\right` or `\big`
    /// delimiters and must not stretch anywhere else.
    static let fences: Set<String> = ["(", ")", "[", "]", "{", "}", "|", "‖", "⟨", "⟩", "⌈", "⌉", "⌊", "⌋", "/", "\\"]

    /// Delimiters that open, after which a function name takes no space.
    static let opening: Set<String> = ["(", "[", "{", "⟨", "⌈", "⌊"]

    /// Large operators: limits go under and over in display style (integrals keep them at the side).
    static let largeOperators: [String: String] = [
        "sum": "∑", "prod": "∏", "coprod": "∐", "int": "∫", "iint": "∬", "iiint": "∭", "oint": "∮",
        "bigcup": "⋃", "bigcap": "⋂", "bigoplus": "⨁", "bigotimes": "⨂", "bigodot": "⨀", "bigvee": "⋁",
        "bigwedge": "⋀", "bigsqcup": "⨆", "biguplus": "⨄",
    ]

    static func isIntegral(_ name: String) -> Bool { name.hasSuffix("int") }

    /// Function names set upright; the `limitFunctions` take limits like large operators.
    static let functions: Set<String> = [
        "log", "ln", "lg", "exp", "sin", "cos", "tan", "sinh", "cosh", "tanh", "coth", "arcsin", "arccos",
        "arctan", "dim", "ker", "hom", "deg", "arg", "sec", "csc", "cot", "tr", "sgn", "diag", "rank",
    ]
    static let limitFunctions: [String: String] = [
        "max": "max", "min": "min", "lim": "lim", "sup": "sup", "inf": "inf", "gcd": "gcd", "det": "det", "Pr": "Pr",
        "argmax": "arg max", "argmin": "arg min", "liminf": "lim inf", "limsup": "lim sup",
    ]

    /// Whether a command's scripts go under and over in display style.
    static func takesLimits(_ name: String) -> Bool {
        (largeOperators[name] != nil && !isIntegral(name)) || limitFunctions[name] != nil || name == "operatorname*"
    }

    /// Spacing commands and their widths in em.
    static let spaces: [String: String] = [
        ",": "0.1667em", "thinspace": "0.1667em", ":": "0.2222em", ">": "0.2222em", "medspace": "0.2222em",
        ";": "0.2778em", "thickspace": "0.2778em", "!": "-0.1667em", "negthinspace": "-0.1667em",
        "negmedspace": "-0.2222em", "negthickspace": "-0.2778em", " ": "0.3333em", "enspace": "0.5em",
        "quad": "1em", "qquad": "2em",
    ]

    /// The characters that stand for spacing commands inside `\text` and `\operatorname`.
    static let textSpaces: [String: String] = [
        ",": "\u{2009}", "thinspace": "\u{2009}", ":": "\u{2005}", ">": "\u{2005}", ";": "\u{2004}", " ": " ",
        "enspace": "\u{2002}", "quad": "\u{2003}", "qquad": "\u{2003}\u{2003}", "!": "", "negthinspace": "",
    ]

    /// Accents: the mark and whether it stretches to the width of its base.
    /// The marks are spacing characters: browsers centre them over the base,
    /// where combining marks would be set beside it.
    static let accents: [String: (mark: String, stretchy: Bool)] = [
        "hat": ("ˆ", false), "widehat": ("ˆ", true), "tilde": ("˜", false), "widetilde": ("˜", true),
        "bar": ("¯", false), "dot": ("˙", false), "ddot": ("¨", false), "check": ("ˇ", false),
        "widecheck": ("ˇ", true), "breve": ("˘", false), "acute": ("´", false), "grave": ("`", false),
        "mathring": ("˚", false), "vec": ("→", false), "overrightarrow": ("→", true), "overleftarrow": ("←", true),
        "overleftrightarrow": ("↔", true),
    ]

    /// Font commands and the alphabet they select (`normal`: upright).
    static let fonts: [String: String] = [
        "mathbf": "bold", "mathcal": "script", "mathscr": "script", "mathbb": "double-struck", "mathrm": "normal",
        "mathup": "normal", "mathit": "italic", "mathsf": "sans-serif", "mathtt": "monospace",
        "mathfrak": "fraktur", "boldsymbol": "bold-italic", "bm": "bold-italic", "mathbfit": "bold-italic",
        "pmb": "bold-italic",
    ]

    /// Negations for `\not`.
    static let negated: [String: String] = [
        "=": "≠", "<": "≮", ">": "≯", "∈": "∉", "≡": "≢", "⊂": "⊄", "⊃": "⊅", "⊆": "⊈", "⊇": "⊉",
        "≤": "≰", "≥": "≱", "∼": "≁", "≈": "≉", "≃": "≄", "≅": "≇", "∣": "∤", "∥": "∦", "→": "↛",
    ]

    /// Delimiters allowed after \left, \right, \middle and the \big family ("" for `.`).
    static func delimiter(_ t: MathToken) -> String? {
        switch t {
        case .char(let c) where "()[]|/.".contains(c): return c == "." ? "" : String(c)
        case .char("<"): return "⟨"
        case .char(">"): return "⟩"
        case .command(let n):
            guard let s = operators[n], fences.contains(s) || ["↑", "↓", "↕", "⇑", "⇓"].contains(s) else { return nil }
            return s
        default: return nil
        }
    }
}
