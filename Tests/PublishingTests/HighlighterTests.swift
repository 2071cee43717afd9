import Testing
@testable import Publishing
import StableText

@Suite struct HighlighterTests {
    /// Removes the spans and unescapes: must give back the source.
    func plain(_ html: String) -> String {
        var s = html
        while let r = s.range(of: #"<span class="[a-z]+">"#, options: .regularExpression) { s.removeSubrange(r) }
        s = s.replacingOccurrences(of: "</span>", with: "")
        for (e, c) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&amp;", "&")] { s = s.replacingOccurrences(of: e, with: c) }
        return s
    }

    @Test func tokens() {
        let h = SwiftHighlighter.html("let flow = Flow(base: x) // note")
        #expect(h == #"<span class="kw">let</span> flow <span class="op">=</span> <span class="ty">Flow</span>(base: x) <span class="com">// note</span>"#)
        #expect(SwiftHighlighter.html("func fit(_ x: Int)").contains(#"<span class="fn">fit</span>"#))
        #expect(SwiftHighlighter.html("print(1.5e3)") == #"<span class="fn">print</span>(<span class="num">1.5e3</span>)"#)
        #expect(SwiftHighlighter.html("@inlinable #if DEBUG").contains(#"<span class="attr">@inlinable</span> <span class="dir">#if</span>"#))
        #expect(SwiftHighlighter.html("a.b").contains("a.b"))
    }

    @Test func stringsAndInterpolation() {
        let h = SwiftHighlighter.html(#"print("loss \(l.item) <b>")"#)
        #expect(h.contains(#"<span class="str">&quot;loss </span><span class="interp">\(</span>l.item<span class="interp">)</span><span class="str"> &lt;b&gt;&quot;</span>"#))
        #expect(SwiftHighlighter.html("let s = \"\"\"\n  two \"quoted\"\n  lines\n  \"\"\"").contains("lines"))
        #expect(SwiftHighlighter.html(##"#"raw \(x) "#"##).contains(#"<span class="str">#&quot;raw \(x) &quot;#</span>"#))
    }

    @Test(arguments: [
        "let x = \"unterminated\nnext line", "/* open comment", "/* /* nested */ still */ after", "\"\\(open",
        "`default` + a <<= b ?? c", "let 🙂 = \"é\" // ünïcode", "\"\"\"\nnever closed", "#\"raw\\#(x)\"#", "\\", "\"",
        "x /* a */ / y // z", "let t = Tensor([[1, 2], [3, 4]]).matmul(w)",
    ])
    func roundTrips(_ source: String) {
        #expect(plain(SwiftHighlighter.html(source)) == source)
    }

    @Test func escapingIsComplete() {
        #expect(Markup.escape(#"<a href="x">&'"#) == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;")
    }
}
