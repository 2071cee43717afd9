#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How data values map to positions along an axis.
public enum Scale: Sendable, Hashable {
    /// Equal distances for equal differences.
    case linear
    /// Equal distances for equal ratios (base 10); values <= 0 are not drawn.
    case log

    /// The value in the space where the axis is linear.
    func transform(_ v: Double) -> Double {
        switch self {
        case .linear: return v
        case .log: return v > 0 ? log10(v) : .nan
        }
    }

    func inverse(_ t: Double) -> Double {
        switch self {
        case .linear: return t
        case .log: return pow(10, t)
        }
    }
}

/// A scale with its limits, mapped onto a pixel interval.
struct AxisMap {
    var scale: Scale
    var lower: Double, upper: Double
    var from: Double, to: Double

    /// Pixel position of data value `v` (NaN when it cannot be drawn).
    func callAsFunction(_ v: Double) -> Double {
        let t0 = scale.transform(lower), t1 = scale.transform(upper), t = scale.transform(v)
        guard t.isFinite, t1 != t0 else { return t1 == t0 ? (from + to) / 2 : .nan }
        return from + (t - t0) / (t1 - t0) * (to - from)
    }
}
