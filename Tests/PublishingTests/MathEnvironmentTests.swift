import Testing
@testable import Publishing

@Suite struct MathEnvironmentTests {
    func inner(_ s: String, display: Bool = false) -> String { mathInner(s, display: display) }
    func convert(_ s: String, display: Bool = true) -> MathConversion { mathConvert(s, display: display) }
    func rowCount(_ mathml: String) -> Int { mathml.components(separatedBy: "<mtr>").count - 1 }

    let stretchy = "<mo fence=\"true\" stretchy=\"true\" symmetric=\"true\">"
    let edges = ["<mtd style=\"padding-left: 0\">", "<mtd style=\"padding-right: 0\">"]

    @Test func matrices() {
        let m = inner("\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}")
        #expect(m == "<mrow>\(stretchy)(</mo><mtable><mtr>\(edges[0])<mi>a</mi></mtd>\(edges[1])<mi>b</mi></mtd></mtr><mtr>\(edges[0])<mi>c</mi></mtd>\(edges[1])<mi>d</mi></mtd></mtr></mtable>\(stretchy))</mo></mrow>")
        for (env, open, close) in [("bmatrix", "[", "]"), ("Bmatrix", "{", "}"), ("vmatrix", "|", "|"), ("Vmatrix", "‖", "‖")] {
            let out = inner("\\begin{\(env)} 1 & 0 \\\\ 0 & 1 \\end{\(env)}")
            #expect(out.hasPrefix("<mrow>\(stretchy)\(open)</mo><mtable>"), "\(env)")
            #expect(out.hasSuffix("</mtable>\(stretchy)\(close)</mo></mrow>"), "\(env)")
            #expect(rowCount(out) == 2)
        }
        #expect(inner("\\begin{matrix} 1 & 2 & 3 \\end{matrix}") == "<mtable><mtr>\(edges[0])<mn>1</mn></mtd><mtd><mn>2</mn></mtd>\(edges[1])<mn>3</mn></mtd></mtr></mtable>")
        #expect(inner("\\begin{smallmatrix} a \\end{smallmatrix}").hasPrefix("<mstyle scriptlevel=\"1\"><mtable>"))
        // A trailing \\ and row spacing leave no empty row.
        #expect(rowCount(inner("\\begin{bmatrix} a \\\\[2pt] b \\\\ \\end{bmatrix}")) == 2)
        // Cells are in text style: no limits under a sum.
        #expect(inner("\\begin{matrix} \\sum_i x \\end{matrix}", display: true).contains("<msub><mo largeop"))
    }

    @Test func cases() {
        let c = inner("|x| = \\begin{cases} x & \\text{if } x \\ge 0 \\\\ -x & \\text{otherwise} \\end{cases}")
        #expect(c.contains("<mrow>\(stretchy){</mo><mtable columnalign=\"left\"><mtr>"))
        #expect(c.contains("<mtd style=\"text-align: -webkit-left; padding-left: 0; padding-right: 1em\"><mi>x</mi></mtd><mtd style=\"text-align: -webkit-left; padding-left: 0\"><mrow><mtext>if&#xA0;</mtext>"))
        #expect(c.contains("<mo form=\"prefix\">−</mo><mi>x</mi>"))
        #expect(c.hasSuffix("</mtable></mrow></mrow>"))
        #expect(rowCount(c) == 2)
        #expect(inner("\\begin{rcases} a \\end{rcases}").hasSuffix("</mtable>\(stretchy)}</mo></mrow>"))
    }

    @Test func alignRowsAreNumberedLabelledAndTagged() {
        let a = convert("\\begin{align} a &= b \\label{eq:one} \\\\ c &= d \\nonumber \\\\ e &= f \\tag{3a} \\\\ g &= h \\notag \\end{align}")
        #expect(a.diagnostics.isEmpty)
        #expect(a.rows == [EquationRow(numbered: true, label: "eq:one"), EquationRow(numbered: false),
                           EquationRow(numbered: true, tag: "3a"), EquationRow(numbered: false)])
        let body = a.mathml
        #expect(body.hasPrefix("<math xmlns=\"http://www.w3.org/1998/Math/MathML\" display=\"block\"><mtable columnalign=\"right left\" displaystyle=\"true\"><mtr>"))
        #expect(rowCount(body) == 4)
        #expect(body.contains("<mtr><mtd style=\"text-align: -webkit-right; padding-left: 0; padding-right: 0\"><mi>a</mi></mtd><mtd style=\"text-align: -webkit-left; padding-left: 0; padding-right: 0\"><mrow><mo>=</mo><mi>b</mi></mrow></mtd></mtr>"))
        // Pairs of columns are set apart.
        let pairs = convert("\\begin{align*} a &= b & c &= d \\end{align*}")
        #expect(pairs.mathml.contains("columnalign=\"right left right left\""))
        #expect(pairs.mathml.contains("<mtd style=\"text-align: -webkit-right; padding-left: 2em; padding-right: 0\"><mi>c</mi>"))
    }

    @Test func starredEnvironmentsAreUnnumbered() {
        #expect(convert("\\begin{align*} a &= b \\\\ c &= d \\end{align*}").rows == [EquationRow(numbered: false), EquationRow(numbered: false)])
        #expect(convert("\\begin{gather*} a \\\\ b \\tag*{x} \\end{gather*}").rows == [EquationRow(numbered: false), EquationRow(numbered: false, tag: "x")])
        #expect(convert("\\begin{equation*} a \\end{equation*}").rows == [EquationRow(numbered: false)])
    }

    @Test func gatherEquationAndSplit() {
        let g = convert("\\begin{gather} a = b \\\\ c = d \\label{eq:c} \\end{gather}")
        #expect(g.rows == [EquationRow(numbered: true), EquationRow(numbered: true, label: "eq:c")])
        #expect(g.mathml.contains("<mtable displaystyle=\"true\"><mtr><mtd><mrow><mi>a</mi>"))
        #expect(rowCount(g.mathml) == 2)
        // One equation however many lines its split has.
        let s = convert("\\begin{equation} \\begin{split} L &= a \\\\ &= b \\end{split} \\label{eq:split} \\end{equation}")
        #expect(s.diagnostics.isEmpty)
        #expect(s.rows == [EquationRow(numbered: true, label: "eq:split")])
        #expect(s.mathml.contains("<math xmlns=\"http://www.w3.org/1998/Math/MathML\" display=\"block\"><mtable columnalign=\"right left\" displaystyle=\"true\">"))
        #expect(rowCount(s.mathml) == 2)
        // aligned inside a numbered display: one row, its own table.
        let aligned = convert("x = \\begin{aligned} a &= b \\\\ &= c \\end{aligned} \\label{eq:x}")
        #expect(aligned.rows == [EquationRow(numbered: true, label: "eq:x")])
        #expect(aligned.mathml.contains("<mi>x</mi><mo>=</mo><mtable columnalign=\"right left\" displaystyle=\"true\">"))
        // Rows split by a top-level \\ are rows too.
        let rows = convert("a \\\\ b \\label{two} \\\\")
        #expect(rows.rows == [EquationRow(numbered: true), EquationRow(numbered: true, label: "two")])
        #expect(rowCount(rows.mathml) == 2)
        #expect(convert("x = 1 \\label{eq:x}").rows == [EquationRow(numbered: true, label: "eq:x")])
        #expect(convert("x = 1 \\tag{*}").rows == [EquationRow(numbered: true, tag: "*")])
    }

    @Test func arrayColumnsAndAlignat() {
        let a = inner("\\begin{array}{lcr} a & b & c \\end{array}")
        #expect(a == "<mtable columnalign=\"left center right\"><mtr><mtd style=\"text-align: -webkit-left\"><mi>a</mi></mtd><mtd><mi>b</mi></mtd><mtd style=\"text-align: -webkit-right\"><mi>c</mi></mtd></mtr></mtable>")
        let at = convert("\\begin{alignat}{2} a &= b & c &= d \\end{alignat}")
        #expect(at.diagnostics.isEmpty)
        #expect(at.mathml.contains("columnalign=\"right left right left\""))
    }

    @Test func environmentMistakesAreReported() {
        #expect(convert("\\begin{align} a \\end{gather}").diagnostics.map(\.message) == ["\\begin{align} ended by \\end{gather}"])
        #expect(convert("\\end{align}").diagnostics.map(\.message) == ["\\end without \\begin"])
        #expect(convert("\\end{align} x").diagnostics.map(\.message) == ["\\end without \\begin"])
        #expect(convert("\\begin{align} a &= b \\label{x} \\label{y} \\end{align}").diagnostics.map(\.message) == ["a second \\label in one equation"])
    }
}
