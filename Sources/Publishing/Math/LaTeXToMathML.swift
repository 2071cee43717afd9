import StableText

/// The result of converting one formula.
public struct MathConversion: Sendable, Equatable {
    /// A complete `<math>` element.
    public let mathml: String
    /// Problems found, with the character offset in the LaTeX source.
    public let diagnostics: [MathDiagnostic]
    /// Equation rows, in order: for a display formula with `align` or `gather`
    /// (or rows split by a top-level `\\`) one per row of the outermost
    /// `<mtable>`, else one. `numbered` is false for `\nonumber`, `\notag`
    /// and starred environments; `label` comes from `\label{...}`, `tag` from
    /// `\tag{...}` (which stands in for the number).
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
/// dropped. Supported: fractions, roots, scripts and primes, large operators
/// and `\lim`-like functions with limits (under and over in display style),
/// `\left...\middle...\right`, the `\big` family, matrices (`matrix`,
/// `pmatrix`, `bmatrix`, `Bmatrix`, `vmatrix`, `Vmatrix`, `smallmatrix`),
/// `cases`, `array`, `aligned`, `align`, `gather`, `split`, `equation`,
/// `\text`, font commands (as Unicode mathematical letters), accents,
/// `\overline`, `\underline`, `\underbrace`/`\overbrace` with labels,
/// `\boxed`, `\overset`/`\underset`, `\not`, spacing, Greek letters,
/// relations, arrows and the operators of the course (`\partial`, `\nabla`,
/// `\det`, `\log`, `\exp`, `\odot`, `\top`, `\|x\|`, ...).
///
/// Matrix cells are laid out with inline styles as well as MathML 3's
/// `columnalign` (which Chromium ignores); `\boxed`, `\overline` and
/// `\underline` are `<menclose>`, which the site's `math.css` draws in
/// browsers that lack it.
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
    /// TeX's display style where the parser is: large operators take limits.
    var displayStyle: Bool
    var diagnostics: [MathDiagnostic] = []
    var rows: [EquationRow] = [EquationRow(numbered: true)]
    /// The alphabet set by an enclosing font command.
    var variant: String?
    var depth = 0
    /// Groups and commands nested deeper than this are flattened (and
    /// reported once), so that hostile input cannot exhaust the stack.
    static let maxDepth = 100
    var reportedDepth = false
    /// Opening braces skipped for depth, whose closing braces are skipped too.
    var skippedOpens = 0
    /// Set by a function name (`\log`, `\operatorname`): the invisible
    /// function-application operator follows the name's scripts.
    var pendingApplication = false
    /// Whether what `parseScripted` returned last is a function name.
    var lastWasFunction = false

    init(_ source: String, display: Bool) {
        tokens = LaTeXLexer(source).tokens()
        self.display = display
        displayStyle = display
    }

    var peek: MathToken { tokens[pos].token }
    var offset: Int { tokens[pos].offset }
    mutating func advance() { if pos < tokens.count - 1 { pos += 1 } }
    mutating func skipSpaces() { while case .space = peek { advance() } }

    /// The next token that is not a space, without consuming anything.
    var peekPastSpaces: MathToken {
        var i = pos
        while case .space = tokens[i].token, i < tokens.count - 1 { i += 1 }
        return tokens[i].token
    }

    mutating func report(_ message: String, at o: Int? = nil) {
        diagnostics.append(MathDiagnostic(offset: o ?? offset, message: message))
    }

    /// True (once reported) when nesting has reached `maxDepth`.
    mutating func tooDeep() -> Bool {
        guard depth >= Self.maxDepth else { return false }
        if !reportedDepth { report("the formula is nested too deeply (more than \(Self.maxDepth) levels)"); reportedDepth = true }
        return true
    }

    /// Runs `body` with the display style set, then restores it.
    mutating func with<T>(displayStyle style: Bool, _ body: (inout MathParser) -> T) -> T {
        let saved = displayStyle
        displayStyle = style
        defer { displayStyle = saved }
        return body(&self)
    }

    // MARK: - Structure

    /// The whole formula; top-level `\\` makes a table of rows (like `gather`).
    mutating func parseTop() -> String {
        var lines: [String] = [row(parseSequence())]
        while true {
            if case .command("\\") = peek {
                advance()
                skipRowSpacing()
                rows.append(EquationRow(numbered: true))
                lines.append(row(parseSequence()))
            } else if case .command("end") = peek {
                report("\\end without \\begin")
                advance()
                _ = parseRawGroup("end")
                lines[lines.count - 1] = row([lines[lines.count - 1]] + parseSequence())
            } else if peek != .end {
                report(peek == .close ? "unbalanced '}'" : "unexpected '\(describe(peek))'")
                advance()
                lines[lines.count - 1] = row([lines[lines.count - 1]] + parseSequence())
            } else {
                break
            }
        }
        if lines.count > 1, lines.last == "<mrow></mrow>" {   // a trailing \\
            lines.removeLast()
            rows.removeLast()
        }
        if lines.count == 1 { return lines[0] }
        return "<mtable displaystyle=\"\(display)\">" + lines.map { "<mtr><mtd>\($0)</mtd></mtr>" }.joined() + "</mtable>"
    }

    /// After `\\`: `*` and an optional `[length]`, which are dropped.
    mutating func skipRowSpacing() {
        if case .char("*") = peek { advance() }
        guard case .char("[") = peekPastSpaces else { return }
        skipSpaces()
        while peek != .end { if case .char("]") = peek { advance(); break }; advance() }
    }

    /// Elements up to a closing brace, `&`, `\\`, `\right`, `\middle`, `\end` or the end.
    ///
    /// Two of TeX's spacing rules that MathML Core's operator dictionary
    /// cannot know are applied here: a sign after an operator (or first) is
    /// unary, and a function name after a symbol has a thin space before it.
    mutating func parseSequence() -> [String] {
        var out: [String] = []
        var previous = AtomClass.none
        while true {
            switch peek {
            case .close where skippedOpens > 0:
                skippedOpens -= 1
                advance()
            case .end, .close, .align: return out
            case .command(let n) where n == "\\" || n == "right" || n == "end" || n == "middle" && depth > 0: return out
            case .space: advance()
            default:
                var elements = parseScripted()
                guard let a = elements.first else { continue }
                if lastWasFunction {
                    if previous == .ord || previous == .close { out.append("<mspace width=\"0.1667em\"></mspace>") }
                    previous = .function
                } else if Self.signs.contains(a), previous == .none || previous == .op {
                    elements[0] = a.replacingOccurrences(of: "<mo>", with: "<mo form=\"prefix\">")
                    previous = .op
                } else if let c = Self.classify(a, after: previous) {
                    previous = c
                }
                out += elements
            }
        }
    }

    /// What an element is for spacing, as far as the rules above need.
    enum AtomClass { case none, ord, function, op, close }

    static let signs: Set<String> = ["<mo>−</mo>", "<mo>+</mo>", "<mo>±</mo>", "<mo>∓</mo>"]
    static let closing: Set<String> = [")", "]", "}", "⟩", "⌋", "⌉"]

    /// nil for spacing, which leaves the class of what came before.
    static func classify(_ element: String, after previous: AtomClass) -> AtomClass? {
        if element.hasPrefix("<mspace") { return nil }
        guard element.hasPrefix("<mo"), element.hasSuffix("</mo>"), let gt = element.firstIndex(of: ">") else { return .ord }
        let text = element[element.index(after: gt)..<element.index(element.endIndex, offsetBy: -5)]
        if closing.contains(String(text)) || text == "!" { return .close }
        if ["…", "⋯", "⋮", "⋱", "′", "%", "#", "$", "_"].contains(text) { return .ord }
        // A bar closes after a symbol and opens after an operator.
        if text == "|" || text == "‖" { return previous == .ord || previous == .close ? .close : .op }
        return .op
    }

    func row(_ items: [String]) -> String { items.count == 1 ? items[0] : "<mrow>\(items.joined())</mrow>" }

    /// An atom with its sub- and superscripts and primes: one element, or
    /// for a function name also the function application that follows it;
    /// none for a command that produces nothing (`\label`).
    mutating func parseScripted() -> [String] {
        let startKind = peek
        let style = displayStyle
        guard var base = parseAtom() else { return [] }
        var limits = false
        if case .command(let n) = startKind { limits = style && MathSymbols.takesLimits(n) }
        let application = pendingApplication
        pendingApplication = false
        lastWasFunction = application
        var sub: String?, sup: String?, primes = 0
        scripts: while true {
            skipSpaces()
            switch peek {
            case .command("limits"): limits = true; advance()
            case .command("nolimits"): limits = false; advance()
            case .sup:
                let o = offset
                advance()
                let s = parseScriptArgument()
                if sup != nil { report("double superscript", at: o); sup = row([sup!, s]) } else { sup = s }
            case .sub:
                let o = offset
                advance()
                let s = parseScriptArgument()
                if sub != nil { report("double subscript", at: o); sub = row([sub!, s]) } else { sub = s }
            case .char("'"):
                primes += 1
                advance()
            default:
                break scripts
            }
        }
        if primes > 0 {
            let marks = ["′", "″", "‴", "⁗"][min(primes, 4) - 1] + String(repeating: "′", count: max(primes - 4, 0))
            let prime = "<mo lspace=\"0em\" rspace=\"0em\">\(marks)</mo>"
            sup = sup.map { "<mrow>\(prime)\($0)</mrow>" } ?? prime
        }
        switch (sub, sup) {
        case (nil, nil): break
        case (let b?, nil): base = limits ? "<munder>\(base)\(b)</munder>" : "<msub>\(base)\(b)</msub>"
        case (nil, let p?): base = limits ? "<mover>\(base)\(p)</mover>" : "<msup>\(base)\(p)</msup>"
        case (let b?, let p?): base = limits ? "<munderover>\(base)\(b)\(p)</munderover>" : "<msubsup>\(base)\(b)\(p)</msubsup>"
        }
        guard application else { return [base] }
        // TeX puts a thin space between a function name and what it applies
        // to, unless that opens with a delimiter or is an operator.
        return [base, "<mo>&#x2061;</mo>"] + (spaceAfterFunction ? ["<mspace width=\"0.1667em\"></mspace>"] : [])
    }

    var spaceAfterFunction: Bool {
        switch peekPastSpaces {
        case .char(let c): return c.isLetter || c.isNumber || c == "|"
        case .open: return true
        case .command(let n):
            if MathSymbols.operators[n] != nil { return ["|", "vert", "Vert"].contains(n) }
            if n.hasPrefix("big") || n.hasPrefix("Big") { return false }
            return MathSymbols.spaces[n] == nil && !["right", "middle", "end", "\\"].contains(n)
        default: return false
        }
    }

    /// A script: one token or a braced group, in TeX's text style.
    mutating func parseScriptArgument() -> String {
        skipSpaces()
        if case .end = peek { report("a script needs an argument"); return "<mrow></mrow>" }
        return with(displayStyle: false) { $0.parseAtom(single: true) } ?? "<mrow></mrow>"
    }

    /// A command's argument: one token or a braced group, as one element.
    mutating func parseArgument(_ what: String) -> String {
        skipSpaces()
        switch peek {
        case .end, .close, .align:
            report("\\\(what) needs an argument")
            return "<mrow></mrow>"
        default:
            return parseAtom(single: true) ?? "<mrow></mrow>"
        }
    }

    /// The characters of a braced group (for `\text`, `\label`, `\begin`);
    /// spacing commands become space characters and `~` a no-break space.
    mutating func parseRawGroup(_ what: String) -> String {
        skipSpaces()
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
            case .char("~"): text += "\u{A0}"
            case .char(let c): text.append(c)
            case .space: text += " "
            case .command(let n):
                if let s = MathSymbols.textSpaces[n] { text += s }
                else { text += n.count == 1 && !n.first!.isLetter ? n : "\\" + n }
            case .sup: text += "^"
            case .sub: text += "_"
            case .align: text += "&"
            }
            advance()
        }
        return text
    }

    // MARK: - Atoms

    /// One element. `single` (for arguments and scripts) takes one digit
    /// rather than a whole number, as TeX does: `\frac12`, `x^23`.
    mutating func parseAtom(single: Bool = false) -> String? {
        let o = offset
        switch peek {
        case .open where tooDeep():
            skippedOpens += 1
            advance()
            return nil
        case .open:
            advance()
            depth += 1
            let items = parseSequence()
            depth -= 1
            if case .close = peek { advance() } else { report("unclosed '{'", at: o) }
            return items.count == 1 ? items[0] : "<mrow>\(items.joined())</mrow>"
        case .char(let c):
            advance()
            if c.isNumber || c == "." && peekIsDigit {
                var n = String(c)
                while !single, case .char(let d) = peek, d.isNumber || d == "." && n.last?.isNumber == true && nextIsDigit {
                    n.append(d)
                    advance()
                }
                return number(n)
            }
            if c.isLetter {
                var word = String(c)
                if !single, variant == "normal" || variant == "italic" {
                    while case .char(let d) = peek, d.isLetter { word.append(d); advance() }
                }
                return identifier(word)
            }
            switch c {
            case "~": return "<mspace width=\"0.3333em\"></mspace>"
            case "-": return "<mo>−</mo>"
            case "*": return "<mo>∗</mo>"
            case "'": return "<mo>′</mo>"
            default: return operatorElement(String(c))
            }
        case .sup, .sub:
            return "<mrow></mrow>"   // a script with no base; parseScripted attaches it
        case .command(let name):
            advance()
            if tooDeep() { return nil }
            depth += 1
            defer { depth -= 1 }
            return parseCommand(name, at: o)
        case .align, .close, .end, .space:
            advance()
            return nil
        }
    }

    var peekIsDigit: Bool { if case .char(let d) = peek { return d.isNumber }; return false }
    var nextIsDigit: Bool { if pos + 1 < tokens.count, case .char(let d) = tokens[pos + 1].token { return d.isNumber }; return false }

    func number(_ n: String) -> String {
        guard let v = variant, v != "normal", v != "italic" else { return "<mn>\(n)</mn>" }
        let styled = String(n.map { MathAlphabets.styled($0, v == "bold-italic" ? "bold" : v) ?? $0 })
        return "<mn>\(styled)</mn>"
    }

    /// Letters (one, or a word under `\mathrm`/`\mathit`) in the current alphabet.
    func identifier(_ s: String) -> String {
        guard let v = variant else { return "<mi>\(Markup.escape(s))</mi>" }
        if v == "normal" {
            return s.count == 1 ? "<mi mathvariant=\"normal\">\(Markup.escape(s))</mi>" : "<mi>\(Markup.escape(s))</mi>"
        }
        return "<mi>\(Markup.escape(String(s.map { MathAlphabets.styled($0, v) ?? $0 })))</mi>"
    }

    /// A Greek letter; capitals are upright unless slanted (`\varGamma`) or in another alphabet.
    func greek(_ g: String, upright: Bool) -> String {
        switch variant {
        case nil, "normal"?:
            return upright || variant == "normal" ? "<mi mathvariant=\"normal\">\(g)</mi>" : "<mi>\(g)</mi>"
        case let v?:
            // \boldsymbol keeps capitals upright, as TeX does.
            let alphabet = v == "bold-italic" && upright ? "bold" : v
            guard let c = g.first, let styled = MathAlphabets.styled(c, alphabet) else {
                return upright ? "<mi mathvariant=\"normal\">\(g)</mi>" : "<mi>\(g)</mi>"
            }
            return "<mi>\(styled)</mi>"
        }
    }

    /// An operator character; delimiters outside `\left`/`\right` keep their
    /// size, and bars are ordinary symbols without space around them.
    func operatorElement(_ s: String) -> String {
        var attrs = MathSymbols.fences.contains(s) ? " stretchy=\"false\"" : ""
        if s == "|" || s == "‖" || s == "/" { attrs += " lspace=\"0em\" rspace=\"0em\"" }
        return "<mo\(attrs)>\(Markup.escape(s))</mo>"
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
