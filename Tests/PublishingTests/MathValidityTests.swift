import Testing
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Publishing

/// The converter's output is well-formed and uses only the elements and
/// attributes that the W3C Nu HTML checker accepts in HTML (its schema is
/// MathML 3's): `displaystyle` on `<mfrac>`, say, is an error there.
@Suite struct MathValidityTests {
    static let allowed: [String: Set<String>] = {
        let common: Set<String> = ["xmlns", "class", "id", "style", "mathvariant", "mathsize", "mathcolor", "mathbackground", "dir"]
        var a: [String: Set<String>] = [:]
        for e in ["mi", "mn", "mtext", "mrow", "msub", "msup", "msubsup", "msqrt", "mroot", "merror", "mphantom", "mtr"] { a[e] = common }
        a["math"] = common.union(["display"])
        a["mo"] = common.union(["form", "fence", "separator", "lspace", "rspace", "stretchy", "symmetric", "maxsize",
                                "minsize", "largeop", "movablelimits", "accent"])
        a["mspace"] = common.union(["width", "height", "depth"])
        a["mpadded"] = common.union(["width", "height", "depth", "lspace", "voffset"])
        a["mfrac"] = common.union(["linethickness"])
        a["munder"] = common.union(["accentunder"])
        a["mover"] = common.union(["accent"])
        a["munderover"] = common.union(["accent", "accentunder"])
        a["mstyle"] = common.union(["displaystyle", "scriptlevel"])
        a["mtable"] = common.union(["columnalign", "displaystyle"])
        a["mtd"] = common.union(["columnalign"])
        a["menclose"] = common.union(["notation"])
        return a
    }()

    final class Checker: NSObject, XMLParserDelegate {
        var problems: [String] = []
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            guard let allowed = MathValidityTests.allowed[name] else { problems.append("element <\(name)>"); return }
            for key in attributes.keys where !allowed.contains(key) { problems.append("\(key) on <\(name)>") }
        }
    }

    static let formulas = [
        "\\log p_X(x) = \\log p_Z(f(x)) + \\log\\left|\\det \\frac{\\partial f}{\\partial x}\\right|",
        "\\begin{align} z &= f(x) \\label{a} \\\\ x &= f^{-1}(z) \\nonumber \\\\ y &= g \\tag{b} \\end{align}",
        "\\begin{gather*} a \\\\ b \\end{gather*} \\begin{equation} \\begin{split} a &= b \\\\ &= c \\end{split} \\end{equation}",
        "\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix} \\begin{bmatrix} 1 \\end{bmatrix} \\begin{Bmatrix} 1 \\end{Bmatrix} \\begin{vmatrix} 1 \\end{vmatrix} \\begin{Vmatrix} 1 \\end{Vmatrix} \\begin{smallmatrix} 1 \\end{smallmatrix}",
        "|x| = \\begin{cases} x & \\text{if } x \\ge 0 \\\\ -x & \\text{otherwise} \\end{cases} \\begin{array}{lcr} a & b & c \\end{array}",
        "\\underbrace{\\log p(z)}_{\\text{prior}} + \\overbrace{\\log|\\det J|}^{\\text{volume}} + \\boxed{x} + \\overline{x} + \\underline{y}",
        "\\frac{a}{b} \\dfrac{a}{b} \\tfrac{a}{b} \\binom{n}{k} \\dbinom{n}{k} \\sqrt{x} \\sqrt[3]{x} f' f''",
        "\\sum_{i=1}^n \\prod_k \\int_0^1 \\oint \\lim_{n\\to\\infty} \\max_x \\min_y \\sup_z \\inf_w \\operatorname*{arg\\,max}_\\theta \\sum\\limits_i \\displaystyle\\sum_j",
        "\\left( \\frac{1}{2} \\right) \\left[ x \\right] \\left\\{ x \\right\\} \\left\\langle x \\middle| y \\right\\rangle \\left. x \\right| \\left\\| x \\right\\| \\left\\lVert x \\right\\rVert",
        "\\big( \\Big) \\bigg[ \\Bigg] \\bigl| \\bigr| \\bigm\\| \\Big\\langle",
        "\\text{a} \\textbf{b} \\mathrm{d} \\mathbf{x} \\mathcal{L} \\mathbb{R} \\mathsf{T} \\mathtt{t} \\mathit{it} \\boldsymbol{\\mu} \\bm{x} \\operatorname{diag}",
        "\\hat{x} \\widehat{xy} \\tilde{x} \\widetilde{xy} \\bar{x} \\vec{v} \\dot{x} \\ddot{x} \\overset{a}{=} \\underset{b}{c} \\sum_{\\substack{i \\\\ j}}",
        "a\\,b\\:c\\;d\\!e\\quad f\\qquad g\\ h~i \\phantom{x} \\hphantom{y} \\vphantom{z} \\not= \\pmod{n} \\bmod",
        "\\alpha \\varepsilon \\vartheta \\varphi \\varrho \\varsigma \\Gamma \\Omega \\partial \\nabla \\odot \\otimes \\oplus \\top \\intercal",
        "\\circ \\cdot \\times \\leq \\geq \\neq \\approx \\sim \\propto \\to \\mapsto \\Rightarrow \\Longrightarrow \\iff \\in \\notin \\subset",
        "\\infty \\ell \\|x\\| \\lVert x \\rVert \\lvert x \\rvert \\mid \\ldots \\cdots \\vdots \\ddots \\pm \\mp \\le \\ge \\lfloor x \\rfloor \\lceil x \\rceil",
        "\\scriptstyle x \\textstyle y \\foo \\begin{weird} a \\end{weird}",
    ]

    @Test(arguments: formulas)
    func validMathML(_ latex: String) {
        for display in [false, true] {
            let c = LaTeXToMathML.convert(latex, display: display)
            let checker = Checker()
            let parser = XMLParser(data: Data(c.mathml.utf8))
            parser.delegate = checker
            #expect(parser.parse(), "not well-formed: \(c.mathml)")
            #expect(checker.problems.isEmpty, "\(checker.problems)")
        }
    }

    /// The formulas of a course on flows convert without a diagnostic.
    @Test(arguments: [
        "p_X(x) = p_Z(f(x)) \\left| \\det \\frac{\\partial f(x)}{\\partial x^\\top} \\right|",
        "\\log p(x) = \\log p(z) + \\sum_{k=1}^{K} \\log \\left| \\det J_k \\right|",
        "y = x \\odot \\exp(s(x_{1:d})) + t(x_{1:d})",
        "\\hat{u} = u + \\left(m(w^\\top u) - w^\\top u\\right) \\frac{w}{\\|w\\|^2}",
        "\\mathrm{bpd} = \\frac{-\\log p(x) / D + \\ln k}{\\ln 2}",
        "\\nabla_\\theta \\mathcal{L} = \\mathbb{E}_{x \\sim p}\\left[ -\\nabla_\\theta \\log q_\\theta(x) \\right]",
        "W = P L \\left(U + \\operatorname{diag}(s)\\right), \\quad \\log|\\det W| = \\sum_i \\log|s_i|",
        "\\underbrace{\\log p(z)}_{\\text{prior}} + \\overbrace{\\log|\\det J|}^{\\text{volume}}",
        "\\begin{bmatrix} 1 & 0 \\\\ 0 & e^{s} \\end{bmatrix}, \\quad \\begin{vmatrix} a & b \\\\ c & d \\end{vmatrix} = ad - bc",
        "\\boxed{\\mathrm{KL}(q \\,\\|\\, p) \\ge 0}, \\; \\boldsymbol{\\mu} \\in \\mathbb{R}^{d}, \\; \\sigma \\to 0^+",
        "\\sigma(x) = \\frac{1}{1 + e^{-x}}, \\quad \\tanh'(x) = 1 - \\tanh^2 x, \\quad f \\circ g \\mapsto (f \\circ g)^{-1}",
        "z \\sim \\mathcal{N}(\\mathbf{0}, I), \\quad x = \\mu + \\sigma \\odot \\varepsilon, \\quad \\ell(\\theta) = -\\tfrac{1}{N}\\sum_{n} \\log p_\\theta(x_n)",
        "\\operatorname*{arg\\,max}_\\theta \\; \\mathbb{E}\\big[\\log p_\\theta(x)\\big] \\iff \\min_\\theta D_{\\mathrm{KL}}\\big(p^* \\,\\|\\, p_\\theta\\big)",
    ])
    func courseFormulas(_ latex: String) {
        let c = LaTeXToMathML.convert(latex, display: true)
        #expect(c.diagnostics.isEmpty, "\(c.diagnostics)")
        #expect(mathIsWellFormed(c.mathml), "not well-formed: \(c.mathml)")
    }
}
