import Testing
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Publishing

@Suite struct MathMLTests {
    func convert(_ s: String, display: Bool = false) -> MathConversion { LaTeXToMathML.convert(s, display: display) }

    /// The MathML inside `<math>`, for compact expectations.
    func inner(_ s: String, display: Bool = false) -> String {
        let m = convert(s, display: display).mathml
        let start = m.range(of: ">")!.upperBound
        return String(m[start..<m.range(of: "</math>", options: .backwards)!.lowerBound])
    }

    @Test func basics() {
        #expect(inner("x") == "<mi>x</mi>")
        #expect(inner("x+12.5") == "<mrow><mi>x</mi><mo>+</mo><mn>12.5</mn></mrow>")
        #expect(inner("x^2") == "<msup><mi>x</mi><mn>2</mn></msup>")
        #expect(inner("x_i^{2}") == "<msubsup><mi>x</mi><mi>i</mi><mrow><mn>2</mn></mrow></msubsup>")
        #expect(inner("\\frac{a}{b}") == "<mfrac><mrow><mi>a</mi></mrow><mrow><mi>b</mi></mrow></mfrac>")
        #expect(inner("\\sqrt{x}") == "<msqrt><mrow><mi>x</mi></mrow></msqrt>")
        #expect(inner("\\sqrt[3]{x}") == "<mroot><mrow><mi>x</mi></mrow><mn>3</mn></mroot>")
        #expect(inner("\\alpha\\Gamma") == "<mrow><mi>α</mi><mi mathvariant=\"normal\">Γ</mi></mrow>")
        #expect(inner("a<b") == "<mrow><mi>a</mi><mo>&lt;</mo><mi>b</mi></mrow>")
        #expect(inner("f'") == "<msup><mi>f</mi><mo>′</mo></msup>")
    }

    @Test func largeOperatorsTakeLimitsInDisplay() {
        #expect(inner("\\sum_{i=1}^n x_i", display: true).hasPrefix("<mrow><munderover><mo largeop=\"true\" movablelimits=\"true\">∑</mo>"))
        #expect(inner("\\sum_{i=1}^n x_i").hasPrefix("<mrow><msubsup><mo largeop"))
        #expect(inner("\\int_0^1 f", display: true).hasPrefix("<mrow><msubsup><mo largeop=\"true\" movablelimits=\"false\">∫</mo>"))
        #expect(inner("\\max_{x} f", display: true) == "<mrow><munder><mi>max</mi><mrow><mi>x</mi></mrow></munder><mo>&#x2061;</mo><mi>f</mi></mrow>")
        #expect(inner("\\log_2 x") == "<mrow><msub><mi>log</mi><mn>2</mn></msub><mo>&#x2061;</mo><mi>x</mi></mrow>")
    }

    @Test func fencesFontsAccentsAndText() {
        #expect(inner("\\left( \\frac{1}{2} \\right)").hasPrefix("<mrow><mo fence=\"true\" stretchy=\"true\">(</mo><mfrac>"))
        #expect(inner("\\mathbf{x}") == "<mrow><mi mathvariant=\"bold\">x</mi></mrow>")
        #expect(inner("\\mathbb{R}^d") == "<msup><mrow><mi mathvariant=\"double-struck\">R</mi></mrow><mi>d</mi></msup>")
        #expect(inner("\\hat{x}") == "<mover accent=\"true\"><mrow><mi>x</mi></mrow><mo stretchy=\"false\">^</mo></mover>")
        #expect(inner("\\text{if } x") == "<mrow><mtext>if </mtext><mi>x</mi></mrow>")
        #expect(inner("\\operatorname{softplus}(x)").hasPrefix("<mrow><mi>softplus</mi><mo>&#x2061;</mo>"))
        #expect(inner("\\|x\\|").contains("<mo>‖</mo>"))
        #expect(inner("\\log\\det J").hasPrefix("<mrow><mi>log</mi><mo>&#x2061;</mo><mi>det</mi>"))
        #expect(inner("\\boxed{x}").contains("border: 1px solid currentColor"))
        #expect(inner("\\underbrace{a+b}_{n}").hasPrefix("<munder><munder><mrow>"))
    }

    @Test func matricesCasesAndAlignment() {
        let m = inner("\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}")
        #expect(m == "<mrow><mo fence=\"true\" stretchy=\"true\">(</mo><mtable><mtr><mtd><mi>a</mi></mtd><mtd><mi>b</mi></mtd></mtr><mtr><mtd><mi>c</mi></mtd><mtd><mi>d</mi></mtd></mtr></mtable><mo fence=\"true\" stretchy=\"true\">)</mo></mrow>")
        #expect(inner("|x| = \\begin{cases} x & x \\ge 0 \\\\ -x & \\text{otherwise} \\end{cases}").contains("columnalign=\"left left\""))
        let a = convert("\\begin{align} a &= b \\label{eq:one} \\\\ c &= d \\nonumber \\\\ e &= f \\end{align}", display: true)
        #expect(a.diagnostics.isEmpty)
        #expect(a.rows == [EquationRow(numbered: true, label: "eq:one"), EquationRow(numbered: false), EquationRow(numbered: true)])
        let star = convert("\\begin{align*} a &= b \\\\ c &= d \\end{align*}", display: true)
        #expect(star.rows.allSatisfy { !$0.numbered })
        #expect(convert("x = 1 \\label{eq:x}", display: true).rows == [EquationRow(numbered: true, label: "eq:x")])
    }

    @Test func unknownCommandsAreVisibleAndReported() {
        let c = convert("x + \\foo{y}")
        #expect(c.mathml.contains("<merror><mtext>\\foo</mtext></merror>"))
        #expect(c.diagnostics.map(\.message) == ["unknown command \\foo"])
        #expect(c.diagnostics[0].offset == 4)
        #expect(convert("\\frac{a}{b").diagnostics.map(\.message) == ["unclosed '{'"])
        #expect(convert("\\left( x").diagnostics.map(\.message) == ["\\left without a matching \\right"])
        #expect(convert("a}").diagnostics.map(\.message) == ["unbalanced '}'"])
        #expect(convert("\\begin{pmatrix} a").diagnostics.map(\.message) == ["\\begin{pmatrix} is never ended"])
        #expect(convert("\\begin{foo} a \\end{foo}").diagnostics.map(\.message) == ["unknown environment foo"])
    }

    /// The formulas of a course on flows convert without a diagnostic and give well-formed XML.
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
    ])
    func courseFormulas(_ latex: String) throws {
        let c = convert(latex, display: true)
        #expect(c.diagnostics.isEmpty, "\(c.diagnostics)")
        let parser = XMLParser(data: Data(c.mathml.utf8))
        #expect(parser.parse(), "not well-formed: \(c.mathml)")
    }

    @Test func deepNestingAndGarbageDoNotCrash() {
        let deep = String(repeating: "{", count: 10_000) + "x" + String(repeating: "}", count: 10_000)
        #expect(convert(deep).diagnostics.map(\.message) == ["the formula is nested too deeply (more than 100 levels)"])
        #expect(convert(String(repeating: "{", count: 50) + "x" + String(repeating: "}", count: 50)).diagnostics.isEmpty)
        for junk in ["\\", "^", "_^", "\\left", "\\right)", "\\begin", "\\end{x}", "&&\\\\", "\\sqrt[", "%comment", "\\frac"] {
            _ = convert(junk, display: true)
        }
    }
}
