import StableText

/// Environments: matrices, `cases`, `array`, and the amsmath displays
/// (`align`, `gather`, `equation`, `split`, `aligned`, ...).
///
/// Chromium lays out `<mtd>` as a CSS table cell and ignores MathML 3's
/// `columnalign`, so cells also carry `text-align` and padding inline.
extension MathParser {
    enum Layout {
        case aligned            // right, left, right, left, ... with no gap at `&`
        case gathered           // one centred column
        case single             // `equation`: no table
        case matrix, cases
        case array([Character]) // columns from the preamble: l, c, r
    }

    static func layout(of env: String) -> Layout? {
        switch env.hasSuffix("*") ? String(env.dropLast()) : env {
        case "align", "aligned", "alignat", "alignedat", "split", "flalign": return .aligned
        case "gather", "gathered", "multline": return .gathered
        case "equation": return .single
        case "matrix", "pmatrix", "bmatrix", "Bmatrix", "vmatrix", "Vmatrix", "smallmatrix": return .matrix
        case "cases", "dcases", "rcases": return .cases
        case "array", "subarray": return .array([])
        default: return nil
        }
    }

    /// The delimiters around matrices and cases.
    static let environmentFences: [String: (open: String, close: String)] = [
        "pmatrix": ("(", ")"), "bmatrix": ("[", "]"), "Bmatrix": ("{", "}"), "vmatrix": ("|", "|"),
        "Vmatrix": ("‖", "‖"), "cases": ("{", ""), "dcases": ("{", ""), "rcases": ("", "}"),
    ]

    mutating func parseEnvironment(at o: Int) -> String {
        let env = parseRawGroup("begin")
        var layout = Self.layout(of: env)
        if case .array? = layout { layout = .array(parseRawGroup("begin{\(env)}").filter { "lcr".contains($0) }) }
        if env.hasPrefix("alignat") || env == "alignedat" { _ = parseRawGroup("begin{\(env)}") }
        if layout == nil { report("unknown environment \(env)", at: o) }

        // Each row of these is an equation of its own, numbered unless starred.
        let numberedRows = ["align", "gather", "alignat", "flalign"].contains(env)
        let unnumberedRows = ["align*", "gather*", "alignat*", "flalign*"].contains(env)
        if unnumberedRows || env == "equation*" || env == "multline*" { rows[rows.count - 1].numbered = false }

        let cellsInDisplayStyle: Bool
        switch layout {
        case .aligned?, .gathered?, .single?: cellsInDisplayStyle = true
        default: cellsInDisplayStyle = env == "dcases"
        }
        var table: [[String]] = [[]]
        with(displayStyle: cellsInDisplayStyle) { p in
            loop: while true {
                table[table.count - 1].append(p.row(p.parseSequence()))
                switch p.peek {
                case .align: p.advance()
                case .command("\\"):
                    p.advance()
                    p.skipRowSpacing()
                    table.append([])
                    if numberedRows || unnumberedRows { p.rows.append(EquationRow(numbered: numberedRows)) }
                case .command("end"):
                    p.advance()
                    let closing = p.parseRawGroup("end")
                    if closing != env { p.report("\\begin{\(env)} ended by \\end{\(closing)}", at: o) }
                    break loop
                case .end:
                    p.report("\\begin{\(env)} is never ended", at: o)
                    break loop
                default:
                    p.report("unexpected '\(p.describe(p.peek))' in \(env)")
                    p.advance()
                }
            }
        }
        // A trailing \\ leaves an empty last row.
        if table.count > 1, table.last! == ["<mrow></mrow>"] {
            table.removeLast()
            if (numberedRows || unnumberedRows) && rows.count > 1 { rows.removeLast() }
        }
        guard let layout else {
            return "<merror><mtext>\\begin{\(Markup.escape(env))}</mtext></merror>" + mtable(table, layout: .matrix)
        }
        if case .single = layout, table.count == 1, table[0].count == 1 { return table[0][0] }
        var body = mtable(table, layout: layout)
        if env == "smallmatrix" { body = "<mstyle scriptlevel=\"1\">\(body)</mstyle>" }
        guard let (open, close) = Self.environmentFences[env] else { return body }
        return "<mrow>\(fence(open))\(body)\(fence(close))</mrow>"
    }

    func mtable(_ table: [[String]], layout: Layout) -> String {
        let columns = table.map(\.count).max() ?? 1
        var attrs = ""
        switch layout {
        case .aligned:
            attrs = " columnalign=\"" + (0..<columns).map { $0 % 2 == 0 ? "right" : "left" }.joined(separator: " ") + "\""
        case .cases:
            attrs = " columnalign=\"left\""
        case .array(let spec) where !spec.isEmpty:
            attrs = " columnalign=\"" + spec.map { $0 == "l" ? "left" : $0 == "r" ? "right" : "center" }.joined(separator: " ") + "\""
        default:
            break
        }
        switch layout {
        case .aligned, .gathered, .single: attrs += " displaystyle=\"true\""
        default: break
        }
        var out = "<mtable\(attrs)>"
        for r in table {
            out += "<mtr>"
            for (i, cell) in r.enumerated() {
                let style = cellStyle(column: i, of: columns, layout: layout)
                out += style.isEmpty ? "<mtd>\(cell)</mtd>" : "<mtd style=\"\(style)\">\(cell)</mtd>"
            }
            out += "</mtr>"
        }
        return out + "</mtable>"
    }

    /// A cell's content is a block box: plain `text-align` moves only
    /// inline content, `-webkit-` (which Firefox knows too) moves blocks.
    static let left = "text-align: -webkit-left"
    static let right = "text-align: -webkit-right"

    func cellStyle(column i: Int, of columns: Int, layout: Layout) -> String {
        switch layout {
        case .matrix:
            // No padding at the outer edges, as in TeX: the delimiters hug the matrix.
            return [i == 0 ? "padding-left: 0" : nil, i == columns - 1 ? "padding-right: 0" : nil].compactMap { $0 }.joined(separator: "; ")
        case .aligned:
            // Pairs of columns meet at the `&` with no gap; pairs are 2em apart.
            return i % 2 == 0 ? "\(Self.right); padding-left: \(i == 0 ? "0" : "2em"); padding-right: 0" : "\(Self.left); padding-left: 0; padding-right: 0"
        case .cases:
            return i == 0 ? "\(Self.left); padding-left: 0; padding-right: 1em" : "\(Self.left); padding-left: 0"
        case .array(let spec) where i < spec.count:
            return spec[i] == "l" ? Self.left : spec[i] == "r" ? Self.right : ""
        default:
            return ""
        }
    }
}
