#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Seeded generators of the 2-D data sets that flow papers and courses use.
/// Every generator returns `[n, 2]` and draws only from the given generator.
public enum Toy2D: String, CaseIterable, Sendable {
    case moons, circles, checkerboard, swissRoll, twoGaussians, eightGaussians, pinwheel, twoSpirals

    public func sample(_ n: Int, using rng: inout RandomGenerator) -> Tensor {
        switch self {
        case .moons: return Toy2D.moons(n, noise: 0.05, using: &rng)
        case .circles: return Toy2D.circles(n, noise: 0.05, factor: 0.5, using: &rng)
        case .checkerboard: return Toy2D.checkerboard(n, using: &rng)
        case .swissRoll: return Toy2D.swissRoll(n, noise: 0.5, using: &rng)
        case .twoGaussians: return GaussianMixture(means: [[-2, 0], [2, 0]], std: 0.5).sample(n, using: &rng)
        // Eight components on a circle of radius 4/√2 with std 0.5/√2, as in FFJORD.
        case .eightGaussians: return GaussianMixture.ring(components: 8, radius: 2.828427, std: 0.353553).sample(n, using: &rng)
        case .pinwheel: return Toy2D.pinwheel(n, using: &rng)
        case .twoSpirals: return Toy2D.twoSpirals(n, using: &rng)
        }
    }

    /// scikit-learn's `make_moons`: two interleaved half circles (radius 1),
    /// shuffled, plus Gaussian noise.
    public static func moons(_ n: Int, noise: Float, using rng: inout RandomGenerator) -> Tensor {
        let nOut = n / 2, nIn = n - nOut
        var pts: [(Float, Float)] = []
        for i in 0..<nOut {
            let t = Double.pi * Double(i) / Double(Swift.max(nOut - 1, 1))
            pts.append((Float(cos(t)), Float(sin(t))))
        }
        for i in 0..<nIn {
            let t = Double.pi * Double(i) / Double(Swift.max(nIn - 1, 1))
            pts.append((Float(1 - cos(t)), Float(1 - sin(t) - 0.5)))
        }
        return shuffledWithNoise(pts, noise: noise, using: &rng)
    }

    /// scikit-learn's `make_circles`: two concentric circles, the inner one scaled by `factor`.
    public static func circles(_ n: Int, noise: Float, factor: Float, using rng: inout RandomGenerator) -> Tensor {
        let nOut = n / 2, nIn = n - nOut
        var pts: [(Float, Float)] = []
        for i in 0..<nOut { let t = 2 * Double.pi * Double(i) / Double(nOut); pts.append((Float(cos(t)), Float(sin(t)))) }
        for i in 0..<nIn { let t = 2 * Double.pi * Double(i) / Double(nIn); pts.append((factor * Float(cos(t)), factor * Float(sin(t)))) }
        return shuffledWithNoise(pts, noise: noise, using: &rng)
    }

    /// Uniform on the dark squares of a 4x4 checkerboard spanning [-4, 4]².
    public static func checkerboard(_ n: Int, using rng: inout RandomGenerator) -> Tensor {
        var v: [Float] = []
        for _ in 0..<n {
            let x1 = rng.nextUniform() * 4 - 2
            let x2 = rng.nextUniform() - Float(rng.nextInt(below: 2)) * 2 + Float(Int(floorf(x1)) & 1)
            v += [x1 * 2, x2 * 2]
        }
        return Tensor(shape: [n, 2], scalars: v)
    }

    /// The swiss roll seen from its axis, scaled to about [-3, 3]².
    public static func swissRoll(_ n: Int, noise: Float, using rng: inout RandomGenerator) -> Tensor {
        var v: [Float] = []
        for _ in 0..<n {
            let t = 1.5 * Float.pi * (1 + 2 * rng.nextUniform())
            v += [(t * cosf(t) + noise * rng.nextNormal()) / 5, (t * sinf(t) + noise * rng.nextNormal()) / 5]
        }
        return Tensor(shape: [n, 2], scalars: v)
    }

    /// Five elongated arms swirling around the origin.
    public static func pinwheel(_ n: Int, arms: Int = 5, using rng: inout RandomGenerator) -> Tensor {
        let radialStd: Float = 0.3, tangentialStd: Float = 0.1, rate: Float = 0.25
        var v: [Float] = []
        for _ in 0..<n {
            let arm = rng.nextInt(below: arms)
            let a = rng.nextNormal() * radialStd + 1, b = rng.nextNormal() * tangentialStd
            let angle = 2 * Float.pi * Float(arm) / Float(arms) + rate * expf(a)
            v += [2 * (a * cosf(angle) - b * sinf(angle)), 2 * (a * sinf(angle) + b * cosf(angle))]
        }
        return Tensor(shape: [n, 2], scalars: v)
    }

    /// Two interleaved spirals.
    public static func twoSpirals(_ n: Int, using rng: inout RandomGenerator) -> Tensor {
        var v: [Float] = []
        for i in 0..<n {
            let t = sqrtf(rng.nextUniform()) * 540 * (2 * Float.pi) / 360
            let sign: Float = i % 2 == 0 ? 1 : -1
            let x = -cosf(t) * t + rng.nextUniform() * 0.5, y = sinf(t) * t + rng.nextUniform() * 0.5
            v += [sign * x / 3, sign * y / 3]
        }
        return Tensor(shape: [n, 2], scalars: v)
    }

    static func shuffledWithNoise(_ pts: [(Float, Float)], noise: Float, using rng: inout RandomGenerator) -> Tensor {
        let order = rng.permutation(pts.count)
        var v = [Float](repeating: 0, count: 2 * pts.count)
        for (dst, src) in order.enumerated() {
            v[2 * dst] = pts[src].0 + noise * rng.nextNormal()
            v[2 * dst + 1] = pts[src].1 + noise * rng.nextNormal()
        }
        return Tensor(shape: [pts.count, 2], scalars: v)
    }
}
