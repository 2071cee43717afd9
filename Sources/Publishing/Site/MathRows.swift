import StableText

/// Equation numbers for the rows of an `align` or `gather`: one more cell at
/// the end of each row of the formula's outermost table.
enum MathRows {
    static func number(_ mathml: String, _ numbers: [String?]) -> String {
        var out = ""
        out.reserveCapacity(mathml.utf8.count + numbers.count * 64)
        var depth = 0
        var row = 0
        var rest = Substring(mathml)
        while let lt = rest.firstIndex(of: "<") {
            out += rest[..<lt]
            rest = rest[lt...]
            if rest.hasPrefix("<mtable") { depth += 1 }
            if rest.hasPrefix("</mtable>") { depth -= 1 }
            if depth == 1 && rest.hasPrefix("</mtr>") {
                let n = row < numbers.count ? numbers[row] : nil
                out += "<mtd class=\"eqno\">" + (n.map { "<mtext>\(Markup.escape($0))</mtext>" } ?? "") + "</mtd>"
                row += 1
            }
            out.append("<")
            rest = rest.dropFirst()
        }
        out += rest
        return out
    }
}
