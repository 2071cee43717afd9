/// Number formatting that never depends on locale or platform: coordinates
/// and tick labels are written by integer arithmetic, so the same figure
/// serialises to the same bytes everywhere.
enum NumberFormat {
    /// `value` rounded to `decimals` places, trailing zeros kept (tick labels).
    /// Negative numbers use the ASCII hyphen; `label` swaps in U+2212.
    static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        let d = max(0, min(decimals, 12))
        var scale = 1.0
        for _ in 0..<d { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9.0e15 else { return String(value) } // out of exact-integer range: shortest repr
        let n = UInt64(scaled)
        let negative = value < 0 && n != 0
        var digits = String(n)
        if d > 0 {
            if digits.count <= d { digits = String(repeating: "0", count: d - digits.count + 1) + digits }
            let cut = digits.index(digits.endIndex, offsetBy: -d)
            digits = digits[..<cut] + "." + digits[cut...]
        }
        return negative ? "-" + digits : digits
    }

    /// A coordinate for SVG: two decimals, trailing zeros (and a bare point) dropped.
    static func coord(_ value: Double) -> String {
        if value.isFinite && abs(value) < 1e13 {
            // The common case, without string slicing: hundredths as an integer.
            let n = Int64((abs(value) * 100).rounded())
            if n == 0 { return "0" }
            let whole = String(n / 100), frac = n % 100
            let sign = value < 0 ? "-" : ""
            if frac == 0 { return sign + whole }
            if frac % 10 == 0 { return sign + whole + "." + String(frac / 10) }
            return sign + whole + (frac < 10 ? ".0" : ".") + String(frac)
        }
        var s = fixed(value, decimals: 2)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s == "-0" ? "0" : s
    }

    /// A tick label: `decimals` places, typographic minus sign.
    static func label(_ value: Double, decimals: Int) -> String {
        let s = fixed(value, decimals: decimals)
        return s.hasPrefix("-") ? "\u{2212}" + s.dropFirst() : s
    }

    /// Superscript digits and minus, for `10⁻³` labels on log axes.
    static func superscript(_ n: Int) -> String {
        let sup: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        let body = String(abs(n)).map { sup[Int(String($0))!] }
        return (n < 0 ? "⁻" : "") + String(body)
    }
}
