#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Tick positions and labels for an axis.
///
/// Linear axes get "nice" steps of 1, 2 or 5 times a power of ten, chosen so
/// that about `target` ticks fall inside the limits (the same family of steps
/// as matplotlib's `MaxNLocator(steps=[1, 2, 5, 10])`). Log axes get powers of
/// ten, thinned to every k-th decade on long ranges, and 2 and 5 times powers
/// of ten when the range spans less than about two decades.
public enum Ticks {
    /// The step `{1, 2, 5} x 10^k` closest above `span / target`.
    public static func niceStep(span: Double, target: Int = 5) -> Double {
        precondition(span > 0 && span.isFinite, "Ticks: span must be positive and finite, got \(span)")
        let raw = span / Double(max(target, 1))
        let magnitude = pow10(Int((log10(raw)).rounded(.down)))
        let fraction = raw / magnitude
        let nice: Double
        if fraction <= 1.0 + 1e-9 { nice = 1 } else if fraction <= 2.0 + 1e-9 { nice = 2 } else if fraction <= 5.0 + 1e-9 { nice = 5 } else { nice = 10 }
        return nice * magnitude
    }

    /// Ticks on a linear axis: multiples of the smallest nice step that puts
    /// at most `target + 1` ticks inside `lower...upper`, but never a step so
    /// coarse that fewer than two ticks remain (on `-4...4` with a target of
    /// 3, steps of 5 would leave only 0: steps of 2 are kept instead).
    public static func linear(_ lower: Double, _ upper: Double, target: Int = 5) -> [Double] {
        guard upper > lower else { return [lower] }
        var step = niceStep(span: upper - lower, target: target * 4)
        while count(lower, upper, step: step) > max(target, 1) + 1 {
            let magnitude = pow10(Int((log10(step) + 1e-9).rounded(.down)))
            let m = (step / magnitude).rounded()
            let coarser = (m == 1 ? 2 : m == 2 ? 5 : 10) * magnitude
            if count(lower, upper, step: coarser) < 2 { break }
            step = coarser
        }
        let first = (lower / step - 1e-9).rounded(.up)
        let last = (upper / step + 1e-9).rounded(.down)
        guard last >= first else { return [] }
        return stride(from: first, through: last, by: 1).map { k in
            let v = k * step
            return abs(v) < step * 1e-9 ? 0 : v
        }
    }

    static func count(_ lower: Double, _ upper: Double, step: Double) -> Int {
        let first = (lower / step - 1e-9).rounded(.up), last = (upper / step + 1e-9).rounded(.down)
        return max(0, Int(last - first) + 1)
    }

    /// Decimal places that show every tick of a linear axis exactly.
    public static func decimals(forStep step: Double) -> Int {
        max(0, -Int((log10(step) + 1e-9).rounded(.down)))
    }

    /// Labels for linear ticks: fixed decimals from the step, U+2212 minus.
    public static func linearLabels(_ ticks: [Double]) -> [String] {
        guard ticks.count >= 2 else { return ticks.map { shortest($0) } }
        let step = abs(ticks[1] - ticks[0])
        let big = ticks.map { abs($0) }.max() ?? 0
        if big >= 1e6 || (big > 0 && big < 1e-4) {
            return ticks.map { scientific($0) }
        }
        let d = decimals(forStep: step)
        return ticks.map { NumberFormat.label($0, decimals: d) }
    }

    /// Ticks on a log axis (both limits positive), with whether each is a
    /// labelled major tick (a power of ten) or a minor one.
    public static func log(_ lower: Double, _ upper: Double, target: Int = 6) -> [(value: Double, major: Bool)] {
        precondition(lower > 0 && upper > 0, "Ticks: log axis limits must be positive, got \(lower)...\(upper)")
        let lo = Int((log10(lower) - 1e-9).rounded(.up)), hi = Int((log10(upper) + 1e-9).rounded(.down))
        let decades = Double(log10(upper) - log10(lower))
        var out: [(Double, Bool)] = []
        if decades < 2.2 {
            // Label 1, 2, 5 x 10^k.
            for e in (lo - 1)...(hi + 1) {
                for m in [1.0, 2.0, 5.0] {
                    let v = m * pow10(e)
                    if v >= lower * (1 - 1e-9) && v <= upper * (1 + 1e-9) { out.append((v, true)) }
                }
            }
            return out
        }
        let every = max(1, Int((Double(hi - lo + 1) / Double(target)).rounded(.up)))
        for e in (lo - 1)...(hi + 1) {
            let v = pow10(e)
            if v >= lower * (1 - 1e-9) && v <= upper * (1 + 1e-9) && ((e % every) + every) % every == 0 {
                out.append((v, true))
            }
            if every == 1 {
                for m in 2...9 {
                    let w = Double(m) * v
                    if w >= lower && w <= upper { out.append((w, false)) }
                }
            }
        }
        return out.sorted { $0.0 < $1.0 }
    }

    /// Label of a log tick: `10ⁿ` for powers of ten, else plain decimals.
    public static func logLabel(_ value: Double) -> String {
        let e = log10(value)
        let n = Int(e.rounded())
        if abs(e - Double(n)) < 1e-9 {
            if n >= 0 && n <= 3 { return NumberFormat.fixed(value, decimals: 0) }
            if n < 0 && n >= -2 { return NumberFormat.fixed(value, decimals: -n) }
            return "10" + NumberFormat.superscript(n)
        }
        let d = max(0, -Int((e + 1e-9).rounded(.down)))
        return NumberFormat.fixed(value, decimals: d)
    }

    static func scientific(_ v: Double) -> String {
        if v == 0 { return "0" }
        let e = Int((log10(abs(v)) + 1e-9).rounded(.down))
        let m = v / pow10(e)
        var ms = NumberFormat.fixed(m, decimals: 1)
        if ms.hasSuffix(".0") { ms.removeLast(2) }
        let mantissa = ms.hasPrefix("-") ? "\u{2212}" + ms.dropFirst() : ms
        return mantissa + "×10" + NumberFormat.superscript(e)
    }

    static func shortest(_ v: Double) -> String {
        var s = NumberFormat.fixed(v, decimals: 6)
        while s.contains(".") && (s.hasSuffix("0") || s.hasSuffix(".")) { s.removeLast() }
        return s.hasPrefix("-") ? "\u{2212}" + s.dropFirst() : s
    }
}

/// 10^n by repeated multiplication (exact for the small n used here).
func pow10(_ n: Int) -> Double {
    var r = 1.0
    if n >= 0 { for _ in 0..<n { r *= 10 } } else { for _ in 0..<(-n) { r /= 10 } }
    return r
}
