import Foundation
import Testing
@testable import Flows

/// Rational-quadratic splines: closed forms (the identity spline, the tails),
/// monotonicity and continuity across knots, the log-slope against finite
/// differences, gradients to the input and every raw parameter against
/// finite differences in both directions, the bijector checks of the
/// coupling and autoregressive layers, and seeded training.
@Suite struct SplineTests {
    let shape = SplineShape(bins: 5, bound: 2)

    func spline(_ x: [Float], _ raw: [Float], inverse: Bool = false) -> (y: [Float], logDet: Float) {
        let p = shape.parameterCount
        // One sample, one coordinate per entry of x, all with the same knots.
        let params = Tensor(shape: [1, p, x.count], scalars: (0..<p).flatMap { k in Array(repeating: raw[k], count: x.count) })
        let (y, ld) = withoutGrad { rationalQuadraticSpline(Tensor(shape: [1, x.count], scalars: x), parameters: params, shape: shape, inverse: inverse) }
        return (y.scalars, ld.item)
    }

    func randomRaw(_ seed: UInt64, scale: Float = 1.5) -> [Float] {
        var rng = RandomGenerator(seed: seed)
        return (Tensor.normal([shape.parameterCount], using: &rng) * scale).scalars
    }

    @Test func equalBinsAndUnitSlopesGiveTheIdentity() {
        // softplus(raw) + min = 1 at every inner knot.
        let one = Float(log(exp(Double(1 - shape.minDerivative)) - 1))
        let raw = Array(repeating: Float(0.3), count: 2 * shape.bins) + Array(repeating: one, count: shape.bins - 1)
        let x: [Float] = [-2, -1.3, -0.4, 0, 0.77, 1.99, 2]
        let (y, ld) = spline(x, raw)
        for (a, b) in zip(x, y) { #expect(abs(a - b) < 1e-5, "\(a) -> \(b)") }
        #expect(abs(ld) < 1e-5)
    }

    @Test func theTailsAreTheIdentity() {
        let (y, ld) = spline([-7, -2.0001, 2.5, 40], randomRaw(1))
        #expect(y == [-7, -2.0001, 2.5, 40])
        #expect(ld == 0)
    }

    @Test func monotoneContinuousAndItsLogSlopeMatchesFiniteDifferences() {
        for seed in 1...6 {
            let raw = randomRaw(UInt64(seed))
            let grid = (0...400).map { -2 + 4 * Float($0) / 400 }
            let (y, _) = spline(grid, raw)
            #expect(abs(y.first! + 2) < 1e-5 && abs(y.last! - 2) < 1e-5, "ends \(y.first!) \(y.last!)")
            for k in 1..<y.count {
                #expect(y[k] > y[k - 1], "not increasing at \(grid[k])")
                // No jump, a knot included: a step is bounded by the steepest
                // slope at its ends and middle (the spline is smooth in a bin).
                let slopes = [grid[k - 1], (grid[k - 1] + grid[k]) / 2, grid[k]].map { exp(spline([$0], raw).logDet) }
                #expect(y[k] - y[k - 1] <= 1.5 * slopes.max()! * (grid[k] - grid[k - 1]), "a jump at \(grid[k])")
            }
            // The slope against a central difference.
            for x0 in stride(from: Float(-1.9), through: 1.9, by: 0.17) {
                let h: Float = 1e-3
                let numeric = (spline([x0 + h], raw).y[0] - spline([x0 - h], raw).y[0]) / (2 * h)
                let reported = exp(spline([x0], raw).logDet)
                #expect(abs(numeric - reported) < 1e-3 + 1e-2 * reported, "seed \(seed) x \(x0): \(reported) vs \(numeric)")
            }
        }
    }

    @Test func theInverseUndoesTheSplineEvenAtKnotsAndEnds() {
        for seed in 1...6 {
            let raw = randomRaw(UInt64(seed + 10), scale: 3)
            var xs: [Float] = [-2, 2, -3, 3.5, 0]
            xs += (0..<50).map { -2 + 4 * Float($0) / 49 }
            let (y, ld) = spline(xs, raw)
            let (back, ldBack) = spline(y, raw, inverse: true)
            for (a, b) in zip(xs, back) { #expect(abs(a - b) < 1e-4, "seed \(seed): \(a) -> \(b)") }
            #expect(abs(ld + ldBack) < 1e-3 * max(1, abs(ld)))
            #expect(y.allSatisfy(\.isFinite) && back.allSatisfy(\.isFinite))
        }
    }

    @Test func extremeParametersStayFinite() {
        let raw = (0..<shape.parameterCount).map { Float($0 % 2 == 0 ? 40 : -40) }
        let xs = (0..<41).map { -2 + 4 * Float($0) / 40 }
        let (y, ld) = spline(xs, raw)
        let (back, ldBack) = spline(y, raw, inverse: true)
        #expect(y.allSatisfy(\.isFinite) && ld.isFinite && back.allSatisfy(\.isFinite) && ldBack.isFinite)
        // Where the spline is nearly flat, Float cannot keep x apart; the
        // round trip from y is well conditioned everywhere.
        let (again, _) = spline(back, raw)
        for (a, b) in zip(y, again) { #expect(abs(a - b) < 1e-4, "\(a) -> \(b)") }
    }

    /// Gradients of `sum(w * y) + sum(logDet)` to the input and the raw
    /// parameters, autodiff against central differences, in both directions.
    @Test(arguments: [false, true])
    func gradientsMatchFiniteDifferences(_ inverse: Bool) {
        var rng = RandomGenerator(seed: 21)
        let n = 3, d = 2, p = shape.parameterCount
        let x = Tensor(shape: [n, d], scalars: [-1.7, 0.4, 0.05, 1.3, -0.6, 1.95])
        let params = Tensor.normal([n, p, d], using: &rng)
        let w = Tensor.normal([n, d], using: &rng)
        func loss(_ x: Tensor, _ q: Tensor) -> Tensor {
            let (y, ld) = rationalQuadraticSpline(x, parameters: q, shape: shape, inverse: inverse)
            return (y * w).sum() + ld.sum()
        }
        let xr = x.requiringGrad(), qr = params.requiringGrad()
        loss(xr, qr).backward()
        func numeric(_ t: Tensor, _ k: Int, _ f: (Tensor) -> Float) -> Float {
            let h: Float = 2e-3
            var up = t.scalars, down = t.scalars
            up[k] += h; down[k] -= h
            return (f(Tensor(shape: t.shape, scalars: up)) - f(Tensor(shape: t.shape, scalars: down))) / (2 * h)
        }
        let gx = xr.grad!.scalars, gq = qr.grad!.scalars
        for k in 0..<(n * d) {
            let fd = numeric(x, k) { t in withoutGrad { loss(t, params).item } }
            #expect(abs(gx[k] - fd) < 2e-2 * max(1, abs(fd)), "input \(k): \(gx[k]) vs \(fd)")
        }
        var worst: Float = 0
        for k in 0..<(n * p * d) {
            let fd = numeric(params, k) { t in withoutGrad { loss(x, t).item } }
            worst = max(worst, abs(gq[k] - fd) / max(1, abs(fd)))
        }
        #expect(worst < 2e-2, "parameters: worst relative difference \(worst)")
    }

    @Test func theCouplingLayerPassesTheBijectorChecks() {
        var rng = RandomGenerator(seed: 5)
        let layer = SplineCoupling(mask: .alternating(4), shape: SplineShape(bins: 6, bound: 2.5), hidden: 16, using: &rng)
        checkBijector(layer, Tensor.normal([5, 4], using: &rng) * 1.8)
        let conditioned = SplineCoupling(mask: .halves(3), shape: shape, hidden: 8, conditionDimension: 2, using: &rng)
        checkBijector(conditioned, Tensor.normal([4, 3], using: &rng), condition: Tensor.normal([4, 2], using: &rng))
    }

    @Test(arguments: [MaskedAutoregressive.Direction.maf, .iaf])
    func theAutoregressiveSplinePassesTheBijectorChecks(_ direction: MaskedAutoregressive.Direction) {
        var rng = RandomGenerator(seed: 9)
        let layer = MaskedAutoregressive(dimension: 3, hidden: 12, order: .random(seed: 4), direction: direction,
                                         transform: .spline(shape), using: &rng)
        checkBijector(layer, Tensor.normal([4, 3], using: &rng) * 1.5)
        let conditioned = MaskedAutoregressive(dimension: 2, hidden: 8, direction: direction, transform: .spline(shape),
                                               conditionDimension: 2, using: &rng)
        checkBijector(conditioned, Tensor.normal([4, 2], using: &rng), condition: Tensor.normal([4, 2], using: &rng))
    }

    /// Four spline couplings, masks alternating, on the moons.
    @Test func aSeededSplineFlowLearnsTheMoons() {
        var rng = RandomGenerator(seed: 7)
        let train = Toy2D.moons(4000, noise: 0.05, using: &rng), test = Toy2D.moons(1000, noise: 0.05, using: &rng)
        let flow = Flow(base: StandardNormal(dimension: 2)) {
            for i in 0..<4 {
                SplineCoupling(mask: .alternating(2, parity: i % 2), shape: SplineShape(bins: 8, bound: 3), hidden: 32, using: &rng)
            }
        }
        let before = withoutGrad { flow.evaluateNLL(test) }
        flow.fit(train, options: TrainingOptions(steps: 600, batchSize: 128, learningRate: 3e-3), using: &rng)
        let after = withoutGrad { flow.evaluateNLL(test) }
        #expect(after < 0.6, "held-out NLL \(after), from \(before)")
    }

    /// Four autoregressive spline layers (a neural spline flow of the MAF
    /// kind), orders alternating, on the moons.
    @Test func aSeededAutoregressiveSplineFlowLearnsTheMoons() {
        var rng = RandomGenerator(seed: 8)
        let train = Toy2D.moons(4000, noise: 0.05, using: &rng), test = Toy2D.moons(1000, noise: 0.05, using: &rng)
        let flow = Flow(base: StandardNormal(dimension: 2)) {
            for i in 0..<4 {
                MaskedAutoregressive(dimension: 2, hidden: 32, order: i % 2 == 0 ? .natural : .reversed,
                                     transform: .spline(SplineShape(bins: 8, bound: 3)), using: &rng)
            }
        }
        flow.fit(train, options: TrainingOptions(steps: 600, batchSize: 128, learningRate: 3e-3), using: &rng)
        let after = withoutGrad { flow.evaluateNLL(test) }
        #expect(after < 0.6, "held-out NLL \(after)")
    }
}
