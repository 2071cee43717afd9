import Testing
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Publishing

func mathConvert(_ s: String, display: Bool = false) -> MathConversion { LaTeXToMathML.convert(s, display: display) }

/// The MathML inside `<math>`, for compact expectations.
func mathInner(_ s: String, display: Bool = false) -> String {
    let m = mathConvert(s, display: display).mathml
    let start = m.range(of: ">")!.upperBound
    return String(m[start..<m.range(of: "</math>", options: .backwards)!.lowerBound])
}

@Suite struct MathMLTests {
    func inner(_ s: String, display: Bool = false) -> String { mathInner(s, display: display) }

    @Test func basics() {
        #expect(inner("x") == "<mi>x</mi>")
        #expect(inner("x+12.5") == "<mrow><mi>x</mi><mo>+</mo><mn>12.5</mn></mrow>")
        #expect(inner("a<b") == "<mrow><mi>a</mi><mo>&lt;</mo><mi>b</mi></mrow>")
        #expect(inner("a-b") == "<mrow><mi>a</mi><mo>−</mo><mi>b</mi></mrow>")
        #expect(convert("x", display: true).mathml == "<math xmlns=\"http://www.w3.org/1998/Math/MathML\" display=\"block\"><mi>x</mi></math>")
    }

    func convert(_ s: String, display: Bool = false) -> MathConversion { mathConvert(s, display: display) }

    @Test func scriptsAndPrimes() {
        #expect(inner("x^2") == "<msup><mi>x</mi><mn>2</mn></msup>")
        #expect(inner("x_i") == "<msub><mi>x</mi><mi>i</mi></msub>")
        #expect(inner("x_i^{2}") == "<msubsup><mi>x</mi><mi>i</mi><mn>2</mn></msubsup>")
        #expect(inner("x^2_i") == "<msubsup><mi>x</mi><mi>i</mi><mn>2</mn></msubsup>")
        #expect(inner("x _ {i}") == "<msub><mi>x</mi><mi>i</mi></msub>")
        // One token is one digit, as in TeX.
        #expect(inner("x^23") == "<mrow><msup><mi>x</mi><mn>2</mn></msup><mn>3</mn></mrow>")
        #expect(inner("e^{-x^2/2}") == "<msup><mi>e</mi><mrow><mo form=\"prefix\">−</mo><msup><mi>x</mi><mn>2</mn></msup><mo stretchy=\"false\" lspace=\"0em\" rspace=\"0em\">/</mo><mn>2</mn></mrow></msup>")
        let prime = "<mo lspace=\"0em\" rspace=\"0em\">"
        #expect(inner("f'") == "<msup><mi>f</mi>\(prime)′</mo></msup>")
        #expect(inner("f''(x)") == "<mrow><msup><mi>f</mi>\(prime)″</mo></msup><mo stretchy=\"false\">(</mo><mi>x</mi><mo stretchy=\"false\">)</mo></mrow>")
        #expect(inner("f'''") == "<msup><mi>f</mi>\(prime)‴</mo></msup>")
        #expect(inner("f'^2") == "<msup><mi>f</mi><mrow>\(prime)′</mo><mn>2</mn></mrow></msup>")
        #expect(inner("f'_k") == "<msubsup><mi>f</mi><mi>k</mi>\(prime)′</mo></msubsup>")
        #expect(convert("x^2^3").diagnostics.map(\.message) == ["double superscript"])
    }

    @Test func fractionsRootsAndBinomials() {
        #expect(inner("\\frac{a}{b}") == "<mfrac><mi>a</mi><mi>b</mi></mfrac>")
        #expect(inner("\\frac12") == "<mfrac><mn>1</mn><mn>2</mn></mfrac>")
        #expect(inner("\\frac{a+b}{2}") == "<mfrac><mrow><mi>a</mi><mo>+</mo><mi>b</mi></mrow><mn>2</mn></mfrac>")
        #expect(inner("\\dfrac{1}{2}") == "<mstyle displaystyle=\"true\"><mfrac><mn>1</mn><mn>2</mn></mfrac></mstyle>")
        #expect(inner("\\tfrac{1}{2}") == "<mstyle displaystyle=\"false\"><mfrac><mn>1</mn><mn>2</mn></mfrac></mstyle>")
        #expect(inner("\\sqrt{x}") == "<msqrt><mi>x</mi></msqrt>")
        #expect(inner("\\sqrt[3]{x+1}") == "<mroot><mrow><mi>x</mi><mo>+</mo><mn>1</mn></mrow><mn>3</mn></mroot>")
        #expect(inner("\\sqrt[n]x") == "<mroot><mi>x</mi><mi>n</mi></mroot>")
        #expect(inner("\\binom{n}{k}") == "<mrow><mo>(</mo><mfrac linethickness=\"0\"><mi>n</mi><mi>k</mi></mfrac><mo>)</mo></mrow>")
    }

    @Test func largeOperatorsTakeLimitsInDisplayAndScriptsInline() {
        let sum = "<mo largeop=\"true\" movablelimits=\"true\">∑</mo>"
        #expect(inner("\\sum_{i=1}^n x_i", display: true) == "<mrow><munderover>\(sum)<mrow><mi>i</mi><mo>=</mo><mn>1</mn></mrow><mi>n</mi></munderover><msub><mi>x</mi><mi>i</mi></msub></mrow>")
        #expect(inner("\\sum_{i=1}^n x_i") == "<mrow><msubsup>\(sum)<mrow><mi>i</mi><mo>=</mo><mn>1</mn></mrow><mi>n</mi></msubsup><msub><mi>x</mi><mi>i</mi></msub></mrow>")
        #expect(inner("\\prod_{k=1}^K J_k", display: true).hasPrefix("<mrow><munderover><mo largeop=\"true\" movablelimits=\"true\">∏</mo>"))
        #expect(inner("\\int_0^1 f", display: true) == "<mrow><msubsup><mo largeop=\"true\" movablelimits=\"false\">∫</mo><mn>0</mn><mn>1</mn></msubsup><mi>f</mi></mrow>")
        #expect(inner("\\oint_C \\omega", display: true).hasPrefix("<mrow><msub><mo largeop=\"true\" movablelimits=\"false\">∮</mo><mi>C</mi></msub>"))
        // \limits puts them under and over inline too, and keeps them there.
        #expect(inner("\\sum\\limits_{i} x") == "<mrow><munder><mo largeop=\"true\" movablelimits=\"false\">∑</mo><mi>i</mi></munder><mi>x</mi></mrow>")
        #expect(inner("\\int\\limits_0^1 f").hasPrefix("<mrow><munderover><mo largeop=\"true\" movablelimits=\"false\">∫</mo>"))
        #expect(inner("\\sum\\nolimits_{i} x", display: true) == "<mrow><msub>\(sum)<mi>i</mi></msub><mi>x</mi></mrow>")
        // \displaystyle makes an inline formula take limits for the rest of its group.
        #expect(inner("\\displaystyle\\sum_i x") == "<mstyle displaystyle=\"true\"><munder>\(sum)<mi>i</mi></munder><mi>x</mi></mstyle>")
        #expect(inner("{\\displaystyle\\sum_i} \\sum_j").contains("</mstyle><msub>\(sum)<mi>j</mi></msub>"))
        // A fraction's parts are in text style: limits become scripts there.
        #expect(inner("\\frac{\\sum_i a}{2}", display: true).hasPrefix("<mfrac><mrow><msub>\(sum)"))
    }

    @Test func functionNamesAndLimits() {
        let apply = "<mo>&#x2061;</mo>", thin = "<mspace width=\"0.1667em\"></mspace>"
        #expect(inner("\\max_{x} f", display: true) == "<mrow><munder><mi>max</mi><mi>x</mi></munder>\(apply)\(thin)<mi>f</mi></mrow>")
        #expect(inner("\\max_{x} f") == "<mrow><msub><mi>max</mi><mi>x</mi></msub>\(apply)\(thin)<mi>f</mi></mrow>")
        #expect(inner("\\lim_{n \\to \\infty} a_n", display: true) == "<mrow><munder><mi>lim</mi><mrow><mi>n</mi><mo>→</mo><mi>∞</mi></mrow></munder>\(apply)\(thin)<msub><mi>a</mi><mi>n</mi></msub></mrow>")
        for name in ["min", "sup", "inf"] {
            #expect(inner("\\\(name)_s g", display: true).hasPrefix("<mrow><munder><mi>\(name)</mi><mi>s</mi></munder>"))
        }
        #expect(inner("\\operatorname*{arg\\,max}_\\theta L", display: true) == "<mrow><munder><mi>arg\u{2009}max</mi><mi>θ</mi></munder>\(apply)\(thin)<mi>L</mi></mrow>")
        #expect(inner("\\operatorname*{arg\\,max}_\\theta L") == "<mrow><msub><mi>arg\u{2009}max</mi><mi>θ</mi></msub>\(apply)\(thin)<mi>L</mi></mrow>")
        #expect(inner("\\operatorname{diag}(s)") == "<mrow><mi>diag</mi>\(apply)<mo stretchy=\"false\">(</mo><mi>s</mi><mo stretchy=\"false\">)</mo></mrow>")
        #expect(inner("\\operatorname{E}") == "<mrow><mi mathvariant=\"normal\">E</mi><mo>&#x2061;</mo></mrow>")
        #expect(inner("x^{\\log}") == "<msup><mi>x</mi><mrow><mi>log</mi><mo>&#x2061;</mo></mrow></msup>")
        // Scripts attach to the name; the space follows TeX: none before an opening delimiter.
        #expect(inner("\\log_2 x") == "<mrow><msub><mi>log</mi><mn>2</mn></msub>\(apply)\(thin)<mi>x</mi></mrow>")
        #expect(inner("\\log(x)") == "<mrow><mi>log</mi>\(apply)<mo stretchy=\"false\">(</mo><mi>x</mi><mo stretchy=\"false\">)</mo></mrow>")
        #expect(inner("\\log\\det J") == "<mrow><mi>log</mi>\(apply)\(thin)<mi>det</mi>\(apply)\(thin)<mi>J</mi></mrow>")
        #expect(inner("\\sin^2 x") == "<mrow><msup><mi>sin</mi><mn>2</mn></msup>\(apply)\(thin)<mi>x</mi></mrow>")
        // ... and a thin space after a symbol.
        #expect(inner("2\\sin x") == "<mrow><mn>2</mn>\(thin)<mi>sin</mi>\(apply)\(thin)<mi>x</mi></mrow>")
        #expect(inner("\\sigma(x) + \\tanh x + \\cos y + \\exp(x)").contains("<mi>tanh</mi>\(apply)\(thin)<mi>x</mi>"))
    }

    @Test func signsAfterOperatorsAreUnary() {
        #expect(inner("a - -b") == "<mrow><mi>a</mi><mo>−</mo><mo form=\"prefix\">−</mo><mi>b</mi></mrow>")
        #expect(inner("x = -\\frac{1}{2}") == "<mrow><mi>x</mi><mo>=</mo><mo form=\"prefix\">−</mo><mfrac><mn>1</mn><mn>2</mn></mfrac></mrow>")
        #expect(inner("\\left[ -x \\right]").contains("<mo form=\"prefix\">−</mo><mi>x</mi>"))
        #expect(inner("(a) - b").contains("</mo><mo>−</mo><mi>b</mi>"))
        #expect(inner("1 + \\cdots + n") == "<mrow><mn>1</mn><mo>+</mo><mo>⋯</mo><mo>+</mo><mi>n</mi></mrow>")
        #expect(inner("|x| - 1").contains("</mo><mo>−</mo><mn>1</mn>"))
        #expect(inner("\\pm 1") == "<mrow><mo form=\"prefix\">±</mo><mn>1</mn></mrow>")
    }

    @Test func delimiters() {
        let fixed = "<mo fence=\"true\" stretchy=\"false\" symmetric=\"true\">"
        let stretchy = "<mo fence=\"true\" stretchy=\"true\" symmetric=\"true\">"
        #expect(inner("\\left( \\frac{1}{2} \\right)") == "<mrow>\(stretchy)(</mo><mfrac><mn>1</mn><mn>2</mn></mfrac>\(stretchy))</mo></mrow>")
        // Around a formula of normal height the delimiters keep their size (and width).
        #expect(inner("\\left( x \\right)") == "<mrow>\(fixed)(</mo><mi>x</mi>\(fixed))</mo></mrow>")
        for (open, close, o, c) in [("[", "]", "[", "]"), ("\\{", "\\}", "{", "}"), ("\\langle", "\\rangle", "⟨", "⟩"),
                                    ("|", "|", "|", "|"), ("\\|", "\\|", "‖", "‖"), ("\\lVert", "\\rVert", "‖", "‖"),
                                    ("\\lvert", "\\rvert", "|", "|"), ("\\lfloor", "\\rfloor", "⌊", "⌋"),
                                    ("\\lceil", "\\rceil", "⌈", "⌉"), ("<", ">", "⟨", "⟩")] {
            #expect(inner("\\left\(open) \\frac{a}{b} \\right\(close)") == "<mrow>\(stretchy)\(o)</mo><mfrac><mi>a</mi><mi>b</mi></mfrac>\(stretchy)\(c)</mo></mrow>", "\(open)")
        }
        #expect(inner("\\left. \\frac{a}{b} \\right|_{x=0}") == "<msub><mrow><mfrac><mi>a</mi><mi>b</mi></mfrac>\(stretchy)|</mo></mrow><mrow><mi>x</mi><mo>=</mo><mn>0</mn></mrow></msub>")
        #expect(inner("\\left\\| x \\right\\|") == "<mrow>\(fixed)‖</mo><mi>x</mi>\(fixed)‖</mo></mrow>")
        #expect(inner("\\mathbb{E}\\left[ x \\,\\middle|\\, y \\right]").contains("<mo fence=\"true\" stretchy=\"false\" symmetric=\"true\" lspace=\"0.05em\" rspace=\"0.05em\">|</mo>"))
        // Bare delimiters never stretch; bars are ordinary symbols.
        #expect(inner("\\|x\\|") == "<mrow><mo stretchy=\"false\" lspace=\"0em\" rspace=\"0em\">‖</mo><mi>x</mi><mo stretchy=\"false\" lspace=\"0em\" rspace=\"0em\">‖</mo></mrow>")
        #expect(inner("\\lvert x \\rvert").hasPrefix("<mrow><mo stretchy=\"false\" lspace=\"0em\" rspace=\"0em\">|</mo>"))
        #expect(inner("\\langle x \\rangle") == "<mrow><mo stretchy=\"false\">⟨</mo><mi>x</mi><mo stretchy=\"false\">⟩</mo></mrow>")
        #expect(inner("a \\mid b") == "<mrow><mi>a</mi><mo>∣</mo><mi>b</mi></mrow>")
    }

    @Test func bigDelimiters() {
        let zero = " lspace=\"0em\" rspace=\"0em\""
        #expect(inner("\\big(") == "<mo stretchy=\"false\" mathsize=\"1.2em\"\(zero)>(</mo>")
        #expect(inner("\\big|") == "<mo minsize=\"1.2em\" maxsize=\"1.2em\" stretchy=\"true\" symmetric=\"true\"\(zero)>|</mo>")
        #expect(inner("\\Big[") == "<mo minsize=\"1.8em\" maxsize=\"1.8em\" stretchy=\"true\" symmetric=\"true\"\(zero)>[</mo>")
        #expect(inner("\\bigg\\|") == "<mo minsize=\"2.4em\" maxsize=\"2.4em\" stretchy=\"true\" symmetric=\"true\"\(zero)>‖</mo>")
        #expect(inner("\\Bigg\\langle") == "<mo minsize=\"3em\" maxsize=\"3em\" stretchy=\"true\" symmetric=\"true\"\(zero)>⟨</mo>")
        #expect(inner("\\Bigr)").contains(">)</mo>"))
        #expect(inner("\\bigm|").contains("lspace=\"0.2778em\" rspace=\"0.2778em\""))
        #expect(convert("\\big x").diagnostics.map(\.message) == ["\\big needs a delimiter"])
    }

    @Test func fonts() {
        #expect(inner("\\mathbf{x}") == "<mi>𝐱</mi>")
        #expect(inner("\\mathbf{W}\\mathbf{0}") == "<mrow><mi>𝐖</mi><mn>𝟎</mn></mrow>")
        #expect(inner("\\mathbb{R}^d") == "<msup><mi>ℝ</mi><mi>d</mi></msup>")
        #expect(inner("\\mathbb{E}\\mathbb{1}") == "<mrow><mi>𝔼</mi><mn>𝟙</mn></mrow>")
        #expect(inner("\\mathcal{L}\\mathcal{N}") == "<mrow><mi>ℒ</mi><mi>𝒩</mi></mrow>")
        #expect(inner("\\mathsf{A}\\mathtt{a}\\mathfrak{g}") == "<mrow><mi>𝖠</mi><mi>𝚊</mi><mi>𝔤</mi></mrow>")
        #expect(inner("\\mathit{diff}") == "<mi>𝑑𝑖𝑓𝑓</mi>")
        #expect(inner("\\mathrm{d}x") == "<mrow><mi mathvariant=\"normal\">d</mi><mi>x</mi></mrow>")
        #expect(inner("\\mathrm{KL}") == "<mi>KL</mi>")
        #expect(inner("\\boldsymbol{\\mu}\\bm{x}") == "<mrow><mi>𝝁</mi><mi>𝒙</mi></mrow>")
        // Bold Greek capitals stay upright, as in TeX.
        #expect(inner("\\bm{\\Sigma}\\mathbf{\\Sigma}") == "<mrow><mi>𝚺</mi><mi>𝚺</mi></mrow>")
        #expect(inner("\\operatorname{softplus}(x)").hasPrefix("<mrow><mi>softplus</mi><mo>&#x2061;</mo>"))
        #expect(MathAlphabets.styled("h", "italic") == "ℎ")
        #expect(MathAlphabets.styled("+", "bold") == nil)
    }

    @Test func text() {
        #expect(inner("\\text{if } x") == "<mrow><mtext>if&#xA0;</mtext><mi>x</mi></mrow>")
        #expect(inner("\\text{ and  so }") == "<mtext>&#xA0;and so&#xA0;</mtext>")
        #expect(inner("\\text{a\\,b \\& c}") == "<mtext>a\u{2009}b &amp; c</mtext>")
        #expect(inner("\\textbf{b}") == "<mtext style=\"font-weight: bold\">b</mtext>")
        #expect(inner("\\textit{i}") == "<mtext style=\"font-style: italic\">i</mtext>")
    }

    @Test func accents() {
        func accent(_ base: String, _ mark: String, stretchy: Bool = false) -> String {
            "<mover accent=\"true\">\(base)<mo stretchy=\"\(stretchy)\">\(mark)</mo></mover>"
        }
        #expect(inner("\\hat{x}") == accent("<mi>x</mi>", "ˆ"))
        #expect(inner("\\hat\\theta") == accent("<mi>θ</mi>", "ˆ"))
        #expect(inner("\\widehat{x}") == accent("<mi>x</mi>", "ˆ", stretchy: true))
        #expect(inner("\\widehat{AB}") == accent("<mrow><mi>A</mi><mi>B</mi></mrow>", "\u{302}", stretchy: true))
        #expect(inner("\\tilde{x}") == accent("<mi>x</mi>", "˜"))
        #expect(inner("\\widetilde{x}") == accent("<mi>x</mi>", "˜", stretchy: true))
        #expect(inner("\\bar{x}") == accent("<mi>x</mi>", "¯"))
        #expect(inner("\\dot{x}") == accent("<mi>x</mi>", "˙"))
        #expect(inner("\\ddot{x}") == accent("<mi>x</mi>", "¨"))
        #expect(inner("\\vec{v}") == "<mover accent=\"true\"><mi>v</mi><mo stretchy=\"false\" mathsize=\"70%\">→</mo></mover>")
        #expect(inner("\\overline{x+y}") == "<menclose notation=\"top\"><mrow><mi>x</mi><mo>+</mo><mi>y</mi></mrow></menclose>")
        #expect(inner("\\underline{x}") == "<menclose notation=\"bottom\"><mi>x</mi></menclose>")
    }

    @Test func bracesBoxesAndStacking() {
        #expect(inner("\\underbrace{a+b}_{\\text{n}}") == "<munder><munder><mrow><mi>a</mi><mo>+</mo><mi>b</mi></mrow><mo stretchy=\"true\">⏟</mo></munder><mtext>n</mtext></munder>")
        #expect(inner("\\overbrace{a+b}^{m}") == "<mover><mover><mrow><mi>a</mi><mo>+</mo><mi>b</mi></mrow><mo stretchy=\"true\">⏞</mo></mover><mi>m</mi></mover>")
        #expect(inner("\\underbrace{x}") == "<munder><mi>x</mi><mo stretchy=\"true\">⏟</mo></munder>")
        #expect(inner("\\boxed{x=1}") == "<menclose notation=\"box\"><mrow><mi>x</mi><mo>=</mo><mn>1</mn></mrow></menclose>")
        #expect(inner("\\overset{\\text{def}}{=}") == "<mover><mo>=</mo><mtext>def</mtext></mover>")
        #expect(inner("\\underset{x}{\\min}") == "<munder><mrow><mi>min</mi><mo>&#x2061;</mo></mrow><mi>x</mi></munder>")
        #expect(inner("\\sum_{\\substack{i<j \\\\ k}}").contains("<mtable><mtr><mtd style=\"padding: 0\"><mrow><mi>i</mi><mo>&lt;</mo><mi>j</mi></mrow></mtd></mtr><mtr><mtd style=\"padding: 0\"><mi>k</mi></mtd></mtr></mtable>"))
        #expect(inner("\\phantom{x}") == "<mphantom><mi>x</mi></mphantom>")
    }

    @Test func spacing() {
        func space(_ w: String) -> String { "<mspace width=\"\(w)\"></mspace>" }
        #expect(inner("\\,") == space("0.1667em"))
        #expect(inner("\\:") == space("0.2222em"))
        #expect(inner("\\;") == space("0.2778em"))
        #expect(inner("\\!") == space("-0.1667em"))
        #expect(inner("\\quad") == space("1em"))
        #expect(inner("\\qquad") == space("2em"))
        #expect(inner("\\ ") == space("0.3333em"))
        #expect(inner("a~b") == "<mrow><mi>a</mi>\(space("0.3333em"))<mi>b</mi></mrow>")
    }

    @Test func greekLetters() {
        let lower = ["alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ", "varepsilon": "ε", "zeta": "ζ",
                     "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ",
                     "nu": "ν", "xi": "ξ", "pi": "π", "varpi": "ϖ", "rho": "ρ", "varrho": "ϱ", "sigma": "σ",
                     "varsigma": "ς", "tau": "τ", "upsilon": "υ", "phi": "ϕ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω"]
        for (name, g) in lower { #expect(inner("\\\(name)") == "<mi>\(g)</mi>", "\(name)") }
        let upper = ["Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ",
                     "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω"]
        for (name, g) in upper { #expect(inner("\\\(name)") == "<mi mathvariant=\"normal\">\(g)</mi>", "\(name)") }
        #expect(inner("\\varGamma") == "<mi>Γ</mi>")
    }

    @Test func symbolsOfTheCourse() {
        let operators = ["odot": "⊙", "otimes": "⊗", "oplus": "⊕", "circ": "∘", "cdot": "⋅", "times": "×", "leq": "≤",
                         "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "approx": "≈", "sim": "∼", "propto": "∝", "to": "→",
                         "mapsto": "↦", "Rightarrow": "⇒", "Longrightarrow": "⟹", "iff": "⟺", "in": "∈", "notin": "∉",
                         "subset": "⊂", "mid": "∣", "ldots": "…", "cdots": "⋯", "vdots": "⋮", "ddots": "⋱", "pm": "±", "mp": "∓"]
        for (name, s) in operators { #expect(inner("a \\\(name) b") == "<mrow><mi>a</mi><mo>\(s)</mo><mi>b</mi></mrow>", "\(name)") }
        #expect(inner("\\lfloor x \\rfloor") == "<mrow><mo stretchy=\"false\">⌊</mo><mi>x</mi><mo stretchy=\"false\">⌋</mo></mrow>")
        #expect(inner("\\lceil x \\rceil") == "<mrow><mo stretchy=\"false\">⌈</mo><mi>x</mi><mo stretchy=\"false\">⌉</mo></mrow>")
        let identifiers = ["infty": "<mi>∞</mi>", "ell": "<mi>ℓ</mi>", "top": "<mi>⊤</mi>", "intercal": "<mi>⊺</mi>",
                           "partial": "<mi mathvariant=\"normal\">∂</mi>", "nabla": "<mi mathvariant=\"normal\">∇</mi>"]
        for (name, s) in identifiers { #expect(inner("\\\(name)") == s, "\(name)") }
        #expect(inner("A^\\top") == "<msup><mi>A</mi><mi>⊤</mi></msup>")
        #expect(inner("\\det A").hasPrefix("<mrow><mi>det</mi><mo>&#x2061;</mo>"))
        #expect(inner("\\exp(x)").hasPrefix("<mrow><mi>exp</mi><mo>&#x2061;</mo>"))
        #expect(inner("\\not= \\not\\in \\not\\sim") == "<mrow><mo>≠</mo><mo>∉</mo><mo>≁</mo></mrow>")
        #expect(inner("a \\bmod b").contains("<mo lspace=\"0.2222em\" rspace=\"0.2222em\">mod</mo>"))
    }

    @Test func unknownCommandsAreVisibleAndReported() {
        let c = convert("x + \\foo{y}")
        #expect(c.mathml.contains("<merror><mtext>\\foo</mtext></merror>"))
        #expect(c.diagnostics.map(\.message) == ["unknown command \\foo"])
        #expect(c.diagnostics[0].offset == 4)
        #expect(convert("\\hline").mathml.contains("<merror><mtext>\\hline</mtext></merror>"))
        #expect(convert("\\frac{a}{b").diagnostics.map(\.message) == ["unclosed '{'"])
        #expect(convert("\\left( x").diagnostics.map(\.message) == ["\\left without a matching \\right"])
        #expect(convert("a}").diagnostics.map(\.message) == ["unbalanced '}'"])
        #expect(convert("\\begin{pmatrix} a").diagnostics.map(\.message) == ["\\begin{pmatrix} is never ended"])
        let env = convert("\\begin{foo} a \\end{foo}")
        #expect(env.diagnostics.map(\.message) == ["unknown environment foo"])
        #expect(env.mathml.contains("<merror><mtext>\\begin{foo}</mtext></merror>"))
    }

    @Test func deepNestingAndGarbageDoNotCrash() {
        let deep = String(repeating: "{", count: 10_000) + "x" + String(repeating: "}", count: 10_000)
        #expect(convert(deep).diagnostics.map(\.message) == ["the formula is nested too deeply (more than 100 levels)"])
        #expect(convert(String(repeating: "{", count: 50) + "x" + String(repeating: "}", count: 50)).diagnostics.isEmpty)
        #expect(!convert(String(repeating: "\\sqrt", count: 2_000) + "x").diagnostics.isEmpty)
        #expect(!convert(String(repeating: "\\left(", count: 2_000)).diagnostics.isEmpty)
        for junk in ["\\", "^", "_^", "\\left", "\\right)", "\\begin", "\\end{x}", "&&\\\\", "\\sqrt[", "%comment", "\\frac",
                     "\\not", "\\substack", "\\displaystyle", "x''''^", "\\big", "\\operatorname", "\\\\[2pt", "\\tag*"] {
            let c = convert(junk, display: true)
            #expect(mathIsWellFormed(c.mathml), "\(junk)")
        }
    }
}

/// Whether the MathML parses as XML.
func mathIsWellFormed(_ mathml: String) -> Bool {
    XMLParser(data: Data(mathml.utf8)).parse()
}
