import StableText

/// Commands: symbols, fractions, roots, fonts, accents, delimiters, text.
extension MathParser {
    mutating func parseCommand(_ name: String, at o: Int) -> String? {
        if let g = MathSymbols.greek[name] { return greek(g, upright: name.first!.isUppercase) }
        if let s = MathSymbols.identifiers[name] {
            return MathSymbols.upright.contains(s) ? "<mi mathvariant=\"normal\">\(s)</mi>" : "<mi>\(s)</mi>"
        }
        if let s = MathSymbols.operators[name] { return operatorElement(s) }
        if let s = MathSymbols.largeOperators[name] {
            // Inline, the browser sets movable limits as scripts; `\limits` keeps them under and over.
            let movable = !MathSymbols.isIntegral(name) && peekPastSpaces != .command("limits")
            return "<mo largeop=\"true\" movablelimits=\"\(movable)\">\(s)</mo>"
        }
        if MathSymbols.functions.contains(name) {
            pendingApplication = true
            return "<mi>\(name)</mi>"
        }
        if let f = MathSymbols.limitFunctions[name] {
            pendingApplication = true
            return "<mi>\(f.replacingOccurrences(of: " ", with: "\u{2009}"))</mi>"
        }
        if let w = MathSymbols.spaces[name] { return "<mspace width=\"\(w)\"></mspace>" }
        if let v = MathSymbols.fonts[name] {
            let saved = variant
            variant = v
            defer { variant = saved }
            return parseArgument(name)
        }
        if let accent = MathSymbols.accents[name] { return parseAccent(name, accent) }
        switch name {
        case "frac", "dfrac", "tfrac", "cfrac":
            let (a, b) = with(displayStyle: false) { p in (p.parseArgument(name), p.parseArgument(name)) }
            return styled("<mfrac>\(a)\(b)</mfrac>", name)
        case "binom", "dbinom", "tbinom":
            let (a, b) = with(displayStyle: false) { p in (p.parseArgument(name), p.parseArgument(name)) }
            return styled("<mrow><mo>(</mo><mfrac linethickness=\"0\">\(a)\(b)</mfrac><mo>)</mo></mrow>", name)
        case "sqrt":
            return parseRoot(at: o)
        case "text", "textrm", "textnormal", "textup", "mbox", "hbox", "textit", "emph", "textsl", "textbf", "textsf", "texttt":
            return textElement(parseRawGroup(name), style: MathParser.textStyles[name])
        case "operatorname", "operatorname*":
            let t = parseRawGroup(name).filter { $0 != " " }
            pendingApplication = true
            return t.count == 1 ? "<mi mathvariant=\"normal\">\(Markup.escape(t))</mi>" : "<mi>\(Markup.escape(t))</mi>"
        case "left":
            return parseLeftRight(at: o)
        case "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr", "Biggl", "Biggr",
             "bigm", "Bigm", "biggm", "Biggm":
            return parseBig(name, at: o)
        case "underbrace", "overbrace":
            return parseBrace(under: name == "underbrace")
        case "overset", "underset", "stackrel":
            let mark = with(displayStyle: false) { $0.parseArgument(name) }
            let base = parseArgument(name)
            return name == "underset" ? "<munder>\(base)\(mark)</munder>" : "<mover>\(base)\(mark)</mover>"
        case "overline":
            return "<menclose notation=\"top\">\(parseArgument(name))</menclose>"
        case "underline":
            return "<menclose notation=\"bottom\">\(parseArgument(name))</menclose>"
        case "boxed":
            return "<menclose notation=\"box\">\(parseArgument(name))</menclose>"
        case "fbox":
            return "<menclose notation=\"box\">\(textElement(parseRawGroup(name), style: nil))</menclose>"
        case "phantom":
            return "<mphantom>\(parseArgument(name))</mphantom>"
        case "hphantom":
            return "<mpadded height=\"0\" depth=\"0\"><mphantom>\(parseArgument(name))</mphantom></mpadded>"
        case "vphantom":
            return "<mpadded width=\"0\"><mphantom>\(parseArgument(name))</mphantom></mpadded>"
        case "not":
            return parseNot(at: o)
        case "bmod":
            return "<mo lspace=\"0.2222em\" rspace=\"0.2222em\">mod</mo>"
        case "pmod":
            let arg = parseArgument(name)
            return "<mrow><mspace width=\"1em\"></mspace><mo stretchy=\"false\">(</mo><mi>mod</mi><mspace width=\"0.3333em\"></mspace>\(arg)<mo stretchy=\"false\">)</mo></mrow>"
        case "substack":
            return parseSubstack(at: o)
        case "label":
            let l = parseRawGroup(name)
            if rows[rows.count - 1].label != nil { report("a second \\label in one equation", at: o) }
            rows[rows.count - 1].label = l
            return nil
        case "tag", "tag*":
            if rows[rows.count - 1].tag != nil { report("a second \\tag in one equation", at: o) }
            rows[rows.count - 1].tag = parseRawGroup(name)
            return nil
        case "nonumber", "notag":
            rows[rows.count - 1].numbered = false
            return nil
        case "displaystyle", "textstyle", "scriptstyle", "scriptscriptstyle":
            // The style holds to the end of the enclosing group.
            let items = with(displayStyle: name == "displaystyle") { $0.parseSequence() }
            let attrs = ["displaystyle": "displaystyle=\"true\"", "textstyle": "displaystyle=\"false\"",
                         "scriptstyle": "displaystyle=\"false\" scriptlevel=\"1\"",
                         "scriptscriptstyle": "displaystyle=\"false\" scriptlevel=\"2\""][name]!
            return "<mstyle \(attrs)>\(items.joined())</mstyle>"
        case "limits", "nolimits", "mathstrut", "strut", "allowbreak", "relax", "nobreak", "mathord", "mathop",
             "mathbin", "mathrel", "mathopen", "mathclose", "mathpunct", "mathinner":
            return nil
        case "begin":
            return parseEnvironment(at: o)
        case "end":
            report("\\end without \\begin", at: o)
            _ = parseRawGroup(name)
            return nil
        case "right", "middle":
            report("\\\(name) without \\left", at: o)
            if MathSymbols.delimiter(peekPastSpaces) != nil { skipSpaces(); advance() }
            return nil
        case "\\":
            return nil
        default:
            report("unknown command \\\(name)", at: o)
            return "<merror><mtext>\\\(Markup.escape(name))</mtext></merror>"
        }
    }

    /// `\dfrac` and `\tfrac` (and the binomials): the style is an
    /// `<mstyle>`, since MathML 3 (which validators check) has no
    /// `displaystyle` on `<mfrac>`.
    func styled(_ fraction: String, _ name: String) -> String {
        switch name.first {
        case "d"?, "c"?: return "<mstyle displaystyle=\"true\">\(fraction)</mstyle>"
        case "t"?: return "<mstyle displaystyle=\"false\">\(fraction)</mstyle>"
        default: return fraction
        }
    }

    static let textStyles: [String: String] = [
        "textit": "font-style: italic", "emph": "font-style: italic", "textsl": "font-style: italic",
        "textbf": "font-weight: bold", "textsf": "font-family: sans-serif", "texttt": "font-family: monospace",
    ]

    /// `<mtext>`: browsers drop spaces at its ends, so those become no-break spaces.
    func textElement(_ raw: String, style: String?) -> String {
        var collapsed = ""
        for c in raw { if c == " " && collapsed.last == " " { continue }; collapsed.append(c) }
        var body = Markup.escape(collapsed)
        if body.hasPrefix(" ") { body = "&#xA0;" + String(body.dropFirst()) }
        if body.hasSuffix(" ") { body = String(body.dropLast()) + "&#xA0;" }
        let attr = style.map { " style=\"\($0)\"" } ?? ""
        return "<mtext\(attr)>\(body)</mtext>"
    }

    /// `\hat{x}` and the others. A wide hat over more than one symbol is the
    /// combining circumflex, which math fonts stretch.
    mutating func parseAccent(_ name: String, _ accent: (mark: String, stretchy: Bool)) -> String {
        let arg = parseArgument(name)
        if name == "vec" {
            return "<mover accent=\"true\">\(arg)<mo stretchy=\"false\" mathsize=\"70%\">→</mo></mover>"
        }
        let mark = name == "widehat" && arg.hasPrefix("<mrow>") ? "\u{302}" : accent.mark
        return "<mover accent=\"true\">\(arg)<mo stretchy=\"\(accent.stretchy)\">\(Markup.escape(mark))</mo></mover>"
    }

    /// `\sqrt{x}` and `\sqrt[n]{x}`.
    mutating func parseRoot(at o: Int) -> String {
        guard case .char("[") = peekPastSpaces else { return "<msqrt>\(parseArgument("sqrt"))</msqrt>" }
        skipSpaces()
        advance()
        var index: [String] = []
        with(displayStyle: false) { p in
            while true {
                if case .char("]") = p.peek { p.advance(); break }
                if case .end = p.peek { p.report("unclosed '[' in \\sqrt", at: o); break }
                let a = p.parseScripted()
                if !a.isEmpty { index += a } else if case .close = p.peek { p.advance() }
            }
        }
        let arg = parseArgument("sqrt")
        return "<mroot>\(arg)\(row(index))</mroot>"
    }

    /// `\underbrace{...}_{label}` and `\overbrace{...}^{label}`.
    mutating func parseBrace(under: Bool) -> String {
        let arg = parseArgument(under ? "underbrace" : "overbrace")
        let brace = under ? "<munder>\(arg)<mo stretchy=\"true\">⏟</mo></munder>" : "<mover>\(arg)<mo stretchy=\"true\">⏞</mo></mover>"
        switch peekPastSpaces {
        case .sub where under:
            skipSpaces()
            advance()
            return "<munder>\(brace)\(parseScriptArgument())</munder>"
        case .sup where !under:
            skipSpaces()
            advance()
            return "<mover>\(brace)\(parseScriptArgument())</mover>"
        default:
            return brace
        }
    }

    /// `\left( ... \middle| ... \right)`.
    mutating func parseLeftRight(at o: Int) -> String {
        skipSpaces()
        guard let open = MathSymbols.delimiter(peek) else {
            report("\\left needs a delimiter", at: o)
            return "<mrow></mrow>"
        }
        advance()
        var parts: [[String]] = [[]]
        var middles: [String] = []
        while true {
            parts[parts.count - 1] += parseSequence()
            if case .command("middle") = peek {
                advance()
                skipSpaces()
                if let d = MathSymbols.delimiter(peek) { advance(); middles.append(d) }
                else { report("\\middle needs a delimiter"); middles.append("") }
                parts.append([])
                continue
            }
            break
        }
        var close = ""
        if case .command("right") = peek {
            advance()
            skipSpaces()
            if let d = MathSymbols.delimiter(peek) { advance(); close = d } else { report("\\right needs a delimiter") }
        } else {
            report("\\left without a matching \\right", at: o)
        }
        let stretchy = Self.isTall(parts.joined().joined())
        var items = [fence(open, stretchy: stretchy)]
        for (i, part) in parts.enumerated() {
            if i > 0 { items.append(fence(middles[i - 1], stretchy: stretchy, middle: true)) }
            items += part
        }
        items.append(fence(close, stretchy: stretchy))
        return "<mrow>\(items.joined())</mrow>"
    }

    /// Whether TeX would make `\left`/`\right` delimiters around this taller
    /// than their normal size. Chromium gives a stretchy operator the width
    /// of its widest size, so delimiters around a short formula would stand
    /// apart from it: those do not stretch.
    static func isTall(_ mathml: String) -> Bool {
        ["<mfrac", "<mtable", "<munder>", "<mover>", "<munderover>", "largeop=\"true\"", "stretchy=\"true\"",
         "minsize=", "<menclose notation=\"box\""].contains { mathml.contains($0) }
    }

    func fence(_ d: String, stretchy: Bool = true, middle: Bool = false) -> String {
        guard !d.isEmpty else { return "" }
        let space = middle ? " lspace=\"0.05em\" rspace=\"0.05em\"" : ""
        return "<mo fence=\"true\" stretchy=\"\(stretchy)\" symmetric=\"true\"\(space)>\(Markup.escape(d))</mo>"
    }

    /// `\big(`, `\Bigl[`, `\biggm|`: a delimiter of a fixed size (TeX's 1.2, 1.8, 2.4 and 3 em).
    mutating func parseBig(_ name: String, at o: Int) -> String? {
        let size = name.hasPrefix("Bigg") ? "3em" : name.hasPrefix("bigg") ? "2.4em" : name.hasPrefix("Big") ? "1.8em" : "1.2em"
        guard let d = MathSymbols.delimiter(peekPastSpaces) else { report("\\\(name) needs a delimiter", at: o); return nil }
        skipSpaces()
        advance()
        if d.isEmpty { return nil }
        let space = name.hasSuffix("m") ? "0.2778em" : "0em"
        let spacing = " lspace=\"\(space)\" rspace=\"\(space)\""
        if size == "1.2em" && d != "|" && d != "‖" {
            // One step up: the normal glyph enlarged, which keeps its own
            // width (see isTall); bars are as wide at every size.
            return "<mo stretchy=\"false\" mathsize=\"1.2em\"\(spacing)>\(Markup.escape(d))</mo>"
        }
        return "<mo minsize=\"\(size)\" maxsize=\"\(size)\" stretchy=\"true\" symmetric=\"true\"\(spacing)>\(Markup.escape(d))</mo>"
    }

    /// `\not=`, `\not\in`: the negated relation, or the relation struck through.
    mutating func parseNot(at o: Int) -> String? {
        var relation: String?
        switch peekPastSpaces {
        case .char(let c) where !c.isLetter && !c.isNumber: relation = String(c)
        case .command(let n): relation = MathSymbols.operators[n]
        default: break
        }
        guard let r = relation else { report("\\not needs a relation after it", at: o); return nil }
        skipSpaces()
        advance()
        return "<mo>\(Markup.escape(MathSymbols.negated[r] ?? r + "\u{338}"))</mo>"
    }

    /// `\substack{i \\ j}`: lines stacked under a large operator.
    mutating func parseSubstack(at o: Int) -> String {
        skipSpaces()
        guard case .open = peek else { report("\\substack needs a braced argument", at: o); return "<mrow></mrow>" }
        advance()
        var lines: [String] = []
        while true {
            lines.append(row(parseSequence()))
            if case .command("\\") = peek { advance(); continue }
            if case .close = peek { advance() } else { report("unclosed '{' after \\substack", at: o) }
            break
        }
        return "<mtable>" + lines.map { "<mtr><mtd style=\"padding: 0\">\($0)</mtd></mtr>" }.joined() + "</mtable>"
    }
}
