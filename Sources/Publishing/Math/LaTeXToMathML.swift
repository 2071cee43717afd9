/// The result of converting one formula.
public struct MathConversion: Sendable, Equatable {
    /// A complete `<math>` element.
    public let mathml: String
    /// Problems found, with the character offset in the LaTeX source.
    public let diagnostics: [MathDiagnostic]
    /// Equation rows, in order: for a display formula with `align` or `gather`
    /// one per row, else one. `numbered` is false for `\nonumber`, `\notag`
    /// and starred environments; `label` comes from `\label{...}`, `tag` from `\tag{...}`.
    public let rows: [EquationRow]
}

public struct EquationRow: Sendable, Equatable {
    public var numbered: Bool
    public var label: String?
    public var tag: String?
}

public struct MathDiagnostic: Sendable, Equatable, CustomStringConvertible {
    public let offset: Int
    public let message: String
    public var description: String { "offset \(offset): \(message)" }
}

/// LaTeX math to MathML (MathML Core, as Chromium and Firefox render it), at
/// build time and without JavaScript.
///
/// Unknown commands are reported and shown visibly (`<merror>`) rather than
/// dropped. Supported: fractions, roots, scripts, large operators with limits,
/// `\left...\right`, the `\big` family, matrices (`matrix`, `pmatrix`,
/// `bmatrix`, `Bmatrix`, `vmatrix`, `Vmatrix`), `cases`, `aligned`, `align`,
/// `gather`, `split`, `array`, `\text`, font commands, accents,
/// `\underbrace`/`\overbrace` with labels, `\boxed`, spacing, Greek letters,
/// relations, arrows and the operators of the course (`\partial`, `\nabla`,
/// `\det`, `\log`, `\exp`, `\odot`, `\top`, `\|x\|`, ...).
public enum LaTeXToMathML {
    public static func convert(_ latex: String, display: Bool) -> MathConversion {
        var p = MathParser(latex, display: display)
        let body = p.parseTop()
        let attrs = display ? " display=\"block\"" : ""
        let math = "<math xmlns=\"http://www.w3.org/1998/Math/MathML\"\(attrs)>\(body)</math>"
        return MathConversion(mathml: math, diagnostics: p.diagnostics, rows: p.rows)
    }
}

struct MathParser {
    let tokens: [(token: MathToken, offset: Int)]
    var pos = 0
    let display: Bool
    var diagnostics: [MathDiagnostic] = []
    var rows: [EquationRow] = [EquationRow(numbered: true)]
    /// The mathvariant set by an enclosing font command.
    var variant: String?
    var depth = 0
    /// Groups nested deeper than this are flattened (and reported once), so
    /// that hostile input cannot exhaust the stack.
    static let maxDepth = 100
    var reportedDepth = false
    /// Opening braces skipped for depth, whose closing braces are skipped too.
    var skippedOpens = 0
    /// Set by a function name (`\log`, `\operatorname`): the invisible
    /// function-application operator follows the name's scripts.
    var pendingApplication = false

    init(_ source: String, display: Bool) {
        tokens = LaTeXLexer(source).tokens()
        self.display = display
    }

    var peek: MathToken { tokens[pos].token }
    var offset: Int { tokens[pos].offset }
    mutating func advance() { if pos < tokens.count - 1 { pos += 1 } }

    mutating func report(_ message: String, at o: Int? = nil) {
        diagnostics.append(MathDiagnostic(offset: o ?? offset, message: message))
    }

    // MARK: - Structure

    /// The whole formula; top-level `\\` makes a table of rows (like `gather`).
    mutating func parseTop() -> String {
        var lines: [String] = [row(parseSequence())]
        while case .command("\\") = peek {
            advance()
            rows.append(EquationRow(numbered: true))
            lines.append(row(parseSequence()))
        }
        while peek != .end {
            report(peek == .close ? "unbalanced '}'" : "unexpected '\(describe(peek))'")
            advance()
            lines[lines.count - 1] += row(parseSequence())
        }
        if lines.count == 1 { return lines[0] }
        return "<mtable>" + lines.map { "<mtr><mtd>\($0)</mtd></mtr>" }.joined() + "</mtable>"
    }

    /// Elements up to a closing brace, `&`, `\\`, `\right`, `\end` or the end.
    mutating func parseSequence() -> [String] {
        var out: [String] = []
        while true {
            switch peek {
            case .close where skippedOpens > 0:
                skippedOpens -= 1
                advance()
            case .end, .close, .align: return out
            case .command(let n) where n == "\\" || n == "right" || n == "end" || n == "middle" && depth > 0: return out
            case .space: advance()
            default:
                if let a = parseScripted() { out.append(a) }
            }
        }
    }

    func row(_ items: [String]) -> String { items.count == 1 ? items[0] : "<mrow>\(items.joined())</mrow>" }

    /// An atom with its sub- and superscripts.
    mutating func parseScripted() -> String? {
        let startKind = peek
        guard var base = parseAtom() else { return nil }
        var limits = false
        if case .command(let n) = startKind {
            limits = display && (MathSymbols.largeOperators[n] != nil && !n.contains("int") || MathSymbols.limitFunctions.contains(n) || n == "operatorname*")
        }
        let application = pendingApplication
        pendingApplication = false
        if case .command("limits") = peek { limits = true; advance() }
        if case .command("nolimits") = peek { limits = false; advance() }
        var sub: String?, sup: String?
        while true {
            if case .sup = peek, sup == nil { advance(); sup = parseScriptArgument() }
            else if case .sub = peek, sub == nil { advance(); sub = parseScriptArgument() }
            else if case .char("'") = peek, sup == nil {
                var primes = ""
                while case .char("'") = peek { primes += "′"; advance() }
                sup = "<mo>\(primes)</mo>"
            } else { break }
        }
        switch (sub, sup) {
        case (nil, nil): break
        case (let b?, nil): base = limits ? "<munder>\(base)\(b)</munder>" : "<msub>\(base)\(b)</msub>"
        case (nil, let p?): base = limits ? "<mover>\(base)\(p)</mover>" : "<msup>\(base)\(p)</msup>"
        case (let b?, let p?): base = limits ? "<munderover>\(base)\(b)\(p)</munderover>" : "<msubsup>\(base)\(b)\(p)</msubsup>"
        }
        return application ? base + "<mo>&#x2061;</mo>" : base
    }

    mutating func parseScriptArgument() -> String {
        while case .space = peek { advance() }
        if case .end = peek { report("a script needs an argument"); return "<mrow></mrow>" }
        return parseAtom() ?? "<mrow></mrow>"
    }

    /// A braced group or a single atom, as one element.
    mutating func parseArgument(_ what: String) -> String {
        while case .space = peek { advance() }
        switch peek {
        case .open:
            return parseAtom() ?? "<mrow></mrow>"
        case .end, .close:
            report("\\\(what) needs an argument")
            return "<mrow></mrow>"
        default:
            return parseAtom() ?? "<mrow></mrow>"
        }
    }

    /// The raw characters of a braced group (for \text, \label, \begin).
    mutating func parseRawGroup(_ what: String) -> String {
        while case .space = peek { advance() }
        guard case .open = peek else { report("\\\(what) needs a braced argument"); return "" }
        advance()
        var text = "", level = 0
        loop: while true {
            switch peek {
            case .end: report("unclosed '{' after \\\(what)"); break loop
            case .open: level += 1; text += "{"
            case .close:
                if level == 0 { advance(); break loop }
                level -= 1; text += "}"
            case .char(let c): text.append(c)
            case .space: text += " "
            case .command(let n): text += n.count == 1 && !n.first!.isLetter ? n : "\\" + n
            case .sup: text += "^"
            case .sub: text += "_"
            case .align: text += "&"
            }
            advance()
        }
        return text
    }

    // MARK: - Atoms

    mutating func parseAtom() -> String? {
        let o = offset
        switch peek {
        case .open where depth >= Self.maxDepth:
            if !reportedDepth { report("the formula is nested too deeply (more than \(Self.maxDepth) levels)"); reportedDepth = true }
            skippedOpens += 1
            advance()
            return nil
        case .open:
            advance()
            depth += 1
            let items = parseSequence()
            depth -= 1
            if case .close = peek { advance() } else { report("unclosed '{'", at: o) }
            return "<mrow>\(items.joined())</mrow>"
        case .char(let c):
            advance()
            if c.isNumber || c == "." && peekIsDigit {
                var n = String(c)
                while case .char(let d) = peek, d.isNumber || d == "." && n.last?.isNumber == true { n.append(d); advance() }
                return "<mn>\(n)</mn>"
            }
            if c.isLetter { return identifier(String(c)) }
            return operatorElement(escapeHTML(String(c)), stretchy: "()[]|/".contains(c) ? false : nil)
        case .sup, .sub:
            return "<mrow></mrow>"   // a script with no base; parseScripted attaches it
        case .command(let name):
            advance()
            return parseCommand(name, at: o)
        case .align, .close, .end, .space:
            advance()
            return nil
        }
    }

    var peekIsDigit: Bool { if case .char(let d) = peek { return d.isNumber }; return false }

    func identifier(_ s: String) -> String {
        if let v = variant { return "<mi mathvariant=\"\(v)\">\(escapeHTML(s))</mi>" }
        return "<mi>\(escapeHTML(s))</mi>"
    }

    func operatorElement(_ s: String, stretchy: Bool? = nil) -> String {
        let attr = stretchy.map { " stretchy=\"\($0)\"" } ?? ""
        return "<mo\(attr)>\(s)</mo>"
    }

    mutating func parseCommand(_ name: String, at o: Int) -> String? {
        if let g = MathSymbols.greek[name] {
            // Capital Greek is upright by convention.
            let upright = name.first!.isUppercase && variant == nil
            return upright ? "<mi mathvariant=\"normal\">\(g)</mi>" : identifier(g)
        }
        if let s = MathSymbols.identifiers[name] { return "<mi>\(s)</mi>" }
        if let s = MathSymbols.operators[name] { return "<mo>\(escapeHTML(s))</mo>" }
        if let s = MathSymbols.largeOperators[name] {
            return "<mo largeop=\"true\" movablelimits=\"\(!name.contains("int"))\">\(s)</mo>"
        }
        if MathSymbols.functions.contains(name) || MathSymbols.limitFunctions.contains(name) {
            pendingApplication = true
            return "<mi>\(name)</mi>"
        }
        if let w = MathSymbols.spaces[name] { return "<mspace width=\"\(w)\"></mspace>" }
        if let v = MathSymbols.fonts[name] {
            let saved = variant
            variant = v
            let arg = parseArgument(name)
            variant = saved
            return arg
        }
        if let (mark, stretch) = MathSymbols.accents[name] {
            let arg = parseArgument(name)
            return "<mover accent=\"true\">\(arg)<mo stretchy=\"\(stretch)\">\(escapeHTML(mark))</mo></mover>"
        }
        switch name {
        case "frac", "dfrac", "tfrac", "cfrac":
            let a = parseArgument(name), b = parseArgument(name)
            let style = name == "dfrac" ? " displaystyle=\"true\"" : name == "tfrac" ? " displaystyle=\"false\"" : ""
            return "<mfrac\(style)>\(a)\(b)</mfrac>"
        case "binom":
            let a = parseArgument(name), b = parseArgument(name)
            return "<mrow><mo>(</mo><mfrac linethickness=\"0\">\(a)\(b)</mfrac><mo>)</mo></mrow>"
        case "sqrt":
            if case .char("[") = peek {
                advance()
                var index: [String] = []
                while true {
                    if case .char("]") = peek { advance(); break }
                    if case .end = peek { report("unclosed '[' in \\sqrt", at: o); break }
                    if let a = parseScripted() { index.append(a) }
                }
                let arg = parseArgument(name)
                return "<mroot>\(arg)\(row(index))</mroot>"
            }
            return "<msqrt>\(parseArgument(name))</msqrt>"
        case "text", "textrm", "textit", "textbf", "mbox", "textsf", "texttt":
            let t = parseRawGroup(name)
            let v = ["textit": " mathvariant=\"italic\"", "textbf": " mathvariant=\"bold\""][name] ?? ""
            return "<mtext\(v)>\(escapeHTML(t))</mtext>"
        case "operatorname", "operatorname*":
            let t = parseRawGroup(name)
            pendingApplication = true
            return "<mi>\(escapeHTML(t))</mi>"
        case "left":
            return parseLeftRight(at: o)
        case "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr", "Biggl", "Biggr", "bigm", "Bigm":
            let size = name.hasPrefix("Bigg") ? "2.470em" : name.hasPrefix("bigg") ? "2.047em" : name.hasPrefix("Big") ? "1.623em" : "1.2em"
            guard let d = MathSymbols.delimiter(peek) else { report("\\\(name) needs a delimiter", at: o); return nil }
            advance()
            return "<mo minsize=\"\(size)\" maxsize=\"\(size)\">\(escapeHTML(d))</mo>"
        case "underbrace", "overbrace":
            let arg = parseArgument(name)
            let under = name == "underbrace"
            var element = under ? "<munder>\(arg)<mo stretchy=\"true\">⏟</mo></munder>" : "<mover>\(arg)<mo stretchy=\"true\">⏞</mo></mover>"
            while case .space = peek { advance() }
            if under, case .sub = peek { advance(); element = "<munder>\(element)\(parseScriptArgument())</munder>" }
            if !under, case .sup = peek { advance(); element = "<mover>\(element)\(parseScriptArgument())</mover>" }
            return element
        case "underline":
            return "<munder>\(parseArgument(name))<mo stretchy=\"true\">_</mo></munder>"
        case "boxed", "fbox":
            return "<mrow style=\"border: 1px solid currentColor; padding: 0.2em 0.3em\">\(parseArgument(name))</mrow>"
        case "label":
            let l = parseRawGroup(name)
            if rows[rows.count - 1].label != nil { report("a second \\label in one equation", at: o) }
            rows[rows.count - 1].label = l
            return nil
        case "tag":
            rows[rows.count - 1].tag = parseRawGroup(name)
            return nil
        case "nonumber", "notag":
            rows[rows.count - 1].numbered = false
            return nil
        case "displaystyle":
            return "<mstyle displaystyle=\"true\"></mstyle>"
        case "textstyle", "scriptstyle", "limits", "nolimits", "mathstrut", "strut", "allowbreak", "relax":
            return nil
        case "begin":
            return parseEnvironment(at: o)
        case "end":
            report("\\end without \\begin", at: o)
            _ = parseRawGroup(name)
            return nil
        case "right", "middle":
            report("\\\(name) without \\left", at: o)
            if MathSymbols.delimiter(peek) != nil { advance() }
            return nil
        case "\\":
            return nil
        default:
            report("unknown command \\\(name)", at: o)
            return "<merror><mtext>\\\(escapeHTML(name))</mtext></merror>"
        }
    }

    /// `\left( ... \middle| ... \right)`.
    mutating func parseLeftRight(at o: Int) -> String {
        guard let open = MathSymbols.delimiter(peek) else {
            report("\\left needs a delimiter", at: o)
            return "<mrow></mrow>"
        }
        advance()
        depth += 1
        var items = [fence(open)]
        while true {
            items += parseSequence()
            if case .command("middle") = peek {
                advance()
                if let d = MathSymbols.delimiter(peek) { advance(); items.append(fence(d)) }
                continue
            }
            break
        }
        depth -= 1
        guard case .command("right") = peek else {
            report("\\left without a matching \\right", at: o)
            return "<mrow>\(items.joined())</mrow>"
        }
        advance()
        let close = MathSymbols.delimiter(peek) ?? ""
        if MathSymbols.delimiter(peek) != nil { advance() } else { report("\\right needs a delimiter") }
        items.append(fence(close))
        return "<mrow>\(items.joined())</mrow>"
    }

    func fence(_ d: String) -> String {
        d.isEmpty ? "" : "<mo fence=\"true\" stretchy=\"true\">\(escapeHTML(d))</mo>"
    }

    // MARK: - Environments

    mutating func parseEnvironment(at o: Int) -> String {
        let env = parseRawGroup("begin")
        if env == "array" { _ = parseRawGroup("begin{array}") }
        depth += 1
        var table: [[String]] = [[]]
        let numberedEnv = ["align", "gather", "equation", "alignat", "multline"].contains(env)
        let isTopLevelRows = numberedEnv || ["align*", "gather*", "equation*", "multline*", "alignat*"].contains(env)
        if isTopLevelRows && !numberedEnv { rows[rows.count - 1].numbered = false }
        loop: while true {
            table[table.count - 1].append(row(parseSequence()))
            switch peek {
            case .align: advance()
            case .command("\\"):
                advance()
                table.append([])
                if isTopLevelRows { rows.append(EquationRow(numbered: numberedEnv)) }
            case .command("end"):
                advance()
                let closing = parseRawGroup("end")
                if closing != env { report("\\begin{\(env)} ended by \\end{\(closing)}", at: o) }
                break loop
            case .end:
                report("\\begin{\(env)} is never ended", at: o)
                break loop
            default:
                report("unexpected '\(describe(peek))' in \(env)")
                advance()
            }
        }
        depth -= 1
        // A trailing \\ leaves an empty last row.
        if table.count > 1, table.last!.count == 1, table.last![0] == "<mrow></mrow>" {
            table.removeLast()
            if isTopLevelRows && rows.count > 1 { rows.removeLast() }
        }
        let aligned = ["aligned", "align", "align*", "split", "alignat", "alignat*", "alignedat"].contains(env)
        let columns = table.map(\.count).max() ?? 1
        var attrs = ""
        if aligned {
            attrs = " columnalign=\"" + (0..<columns).map { $0 % 2 == 0 ? "right" : "left" }.joined(separator: " ") + "\" columnspacing=\"" +
                (0..<Swift.max(columns - 1, 1)).map { $0 % 2 == 0 ? "0em" : "2em" }.joined(separator: " ") + "\""
        } else if env == "cases" {
            attrs = " columnalign=\"left left\" columnspacing=\"1em\""
        }
        if aligned || env.hasPrefix("gather") || env.hasPrefix("equation") { attrs += " displaystyle=\"true\"" }
        let body = "<mtable\(attrs)>" + table.map { r in "<mtr>" + r.map { "<mtd>\($0)</mtd>" }.joined() + "</mtr>" }.joined() + "</mtable>"
        switch env {
        case "pmatrix": return "<mrow>\(fence("("))\(body)\(fence(")"))</mrow>"
        case "bmatrix": return "<mrow>\(fence("["))\(body)\(fence("]"))</mrow>"
        case "Bmatrix": return "<mrow>\(fence("{"))\(body)\(fence("}"))</mrow>"
        case "vmatrix": return "<mrow>\(fence("|"))\(body)\(fence("|"))</mrow>"
        case "Vmatrix": return "<mrow>\(fence("‖"))\(body)\(fence("‖"))</mrow>"
        case "cases": return "<mrow>\(fence("{"))\(body)</mrow>"
        case "matrix", "smallmatrix", "array", "aligned", "align", "align*", "gather", "gather*", "gathered",
             "split", "equation", "equation*", "alignat", "alignat*", "alignedat", "multline", "multline*", "subarray":
            return body
        default:
            report("unknown environment \(env)", at: o)
            return "<merror><mtext>\\begin{\(escapeHTML(env))}</mtext></merror>\(body)"
        }
    }

    func describe(_ t: MathToken) -> String {
        switch t {
        case .command(let n): return "\\" + n
        case .char(let c): return String(c)
        case .open: return "{"
        case .close: return "}"
        case .sup: return "^"
        case .sub: return "_"
        case .align: return "&"
        case .space: return " "
        case .end: return "end of formula"
        }
    }
}
