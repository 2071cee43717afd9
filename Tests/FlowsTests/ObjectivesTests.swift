import Foundation
import Testing
@testable import Flows

/// Both directions of KL through one loop, the importance-sampling
/// normaliser against closed forms and quadrature, a variational posterior
/// for a Bayesian logistic regression against a grid, and the library's
/// smaller conveniences (per-batch dequantisation, data-dependent Scaling,
/// floor and round, whole-tensor reductions).
@Suite struct ObjectivesTests {
    /// A density known up to a constant `c`: `logZ` is `c` exactly.
    struct Shifted: UnnormalizedDensity {
        let base: GaussianMixture
        let c: Float
        var dimension: Int { base.dimension }
        func logDensity(_ z: Tensor) -> Tensor { base.logDensity(z) + c }
    }

    @Test func theNormaliserOfAKnownDensity() {
        // The proposal is the base itself (no layers); the target a Gaussian
        // of std 1.3 scaled by e^2.5, so log Z = 2.5.
        let flow = Flow(base: StandardNormal(dimension: 2), bijectors: [])
        let target = Shifted(base: GaussianMixture(means: [[0.3, -0.2]], std: 1.3), c: 2.5)
        var rng = RandomGenerator(seed: 3)
        let (logZ, ess) = flow.estimateLogNormalizer(target, samples: 40_000, using: &rng)
        #expect(abs(logZ - 2.5) < 0.03, "log Z \(logZ)")
        // The weights vary (the proposal is narrower than the target): ESS well below N.
        #expect(ess > 10_000 && ess < 39_000, "ESS \(ess)")
    }

    @Test func reverseKLSeeksAModeAndForwardKLCoversBoth() {
        // Two well separated modes: reverse KL from a single-Gaussian-like
        // flow settles on one; forward KL on samples puts mass on both.
        let target = GaussianMixture(means: [[-3, 0], [3, 0]], std: 0.5)
        func flow(_ rng: inout RandomGenerator) -> Flow {
            Flow(base: StandardNormal(dimension: 2)) {
                AffineCoupling(mask: .alternating(2, parity: 0), hidden: 16, using: &rng)
                AffineCoupling(mask: .alternating(2, parity: 1), hidden: 16, using: &rng)
            }
        }
        var rng = RandomGenerator(seed: 11)
        let reverse = flow(&rng), forward = flow(&rng)
        reverse.fitReverseKL(target, options: TrainingOptions(steps: 400, batchSize: 256, learningRate: 5e-3), using: &rng)
        let data = target.sample(4000, using: &rng)
        forward.fit(data, options: TrainingOptions(steps: 400, batchSize: 256, learningRate: 5e-3), using: &rng)
        func shareOnTheRight(_ f: Flow, _ rng: inout RandomGenerator) -> Float {
            let x = withoutGrad { f.sample(4000, using: &rng) }.scalars
            return Float(stride(from: 0, to: x.count, by: 2).filter { x[$0] > 0 }.count) / 4000
        }
        let r = shareOnTheRight(reverse, &rng), f = shareOnTheRight(forward, &rng)
        #expect(min(r, 1 - r) < 0.1, "reverse KL put \(r) of its mass on the right mode")
        #expect(abs(f - 0.5) < 0.15, "forward KL put \(f) of its mass on the right mode")
        // The mode-seeking fit misses half of Z, and its normaliser says so: about log(1/2).
        let (logZ, _) = reverse.estimateLogNormalizer(target, samples: 20_000, using: &rng)
        #expect(abs(logZ - log(0.5)) < 0.15, "log Z from the mode-seeking proposal \(logZ)")
    }

    /// log Z and the posterior mean of a 2-D logistic regression by
    /// quadrature on a grid: the independent answer for the flow's.
    func quadrature(_ target: LogisticRegressionPosterior, range: ClosedRange<Float> = -6...6,
                    steps: Int = 241) -> (logZ: Double, mean: [Double]) {
        let h = (range.upperBound - range.lowerBound) / Float(steps - 1)
        var points: [Float] = []
        for i in 0..<steps { for j in 0..<steps { points += [range.lowerBound + Float(i) * h, range.lowerBound + Float(j) * h] } }
        let logP = withoutGrad { target.logDensity(Tensor(shape: [steps * steps, 2], scalars: points)) }.doubles
        let top = logP.max()!
        var z = 0.0, m0 = 0.0, m1 = 0.0
        for (k, lp) in logP.enumerated() {
            let w = exp(lp - top)
            z += w; m0 += w * Double(points[2 * k]); m1 += w * Double(points[2 * k + 1])
        }
        return (top + log(z * Double(h * h)), [m0 / z, m1 / z])
    }

    @Test func aFlowPosteriorForALogisticRegression() {
        var rng = RandomGenerator(seed: 5)
        let target = LogisticRegressionPosterior.synthetic(30, using: &rng)
        let exact = quadrature(target)
        let flow = Flow(base: StandardNormal(dimension: 2)) {
            for i in 0..<4 { AffineCoupling(mask: .alternating(2, parity: i % 2), hidden: 32, using: &rng) }
        }
        let history = flow.fitReverseKL(target, options: TrainingOptions(steps: 1500, batchSize: 256, learningRate: 3e-3), using: &rng)
        // The loss is an upper bound on -log Z (the ELBO's negative).
        #expect(Double(history.recentTrainLoss(200)) > -exact.logZ - 0.02)
        #expect(Double(history.recentTrainLoss(200)) < -exact.logZ + 0.1, "ELBO gap \(Double(history.recentTrainLoss(200)) + exact.logZ)")
        let (logZ, ess) = flow.estimateLogNormalizer(target, samples: 20_000, using: &rng)
        #expect(abs(logZ - exact.logZ) < 0.02, "IS log Z \(logZ), quadrature \(exact.logZ)")
        #expect(ess > 15_000, "ESS \(ess)")
        let mean = withoutGrad { flow.sample(20_000, using: &rng) }.mean(axis: 0).doubles
        #expect(abs(mean[0] - exact.mean[0]) < 0.05 && abs(mean[1] - exact.mean[1]) < 0.05, "mean \(mean), quadrature \(exact.mean)")
    }

    @Test func fitDequantisesEachBatchAfresh() {
        // Integer data on 4 levels; a flow trained on dequantised batches sees
        // continuous values in [0, 1), and its density there is about uniform
        // per level: NLL near log-density of a uniform on [0, 1)^2 = 0.
        var rng = RandomGenerator(seed: 9)
        let integers = Tensor(shape: [2000, 2], scalars: (0..<4000).map { _ in Float(rng.choice(4, count: 1)[0]) })
        let flow = Flow(base: StandardNormal(dimension: 2)) {
            for i in 0..<4 { SplineCoupling(mask: .alternating(2, parity: i % 2), shape: SplineShape(bins: 8, bound: 3), hidden: 32, using: &rng) }
        }
        let dequantization = Dequantization(levels: 4, offset: -0.5)
        let test = dequantization(integers, using: &rng)
        #expect(test.minValue >= -0.5 && test.maxValue < 0.5)
        #expect(Set(test.scalars).count > 3900, "every value dequantised apart")
        let history = flow.fit(integers, test: test, dequantize: dequantization,
                               options: TrainingOptions(steps: 500, batchSize: 256, learningRate: 3e-3), using: &rng)
        let nll = history.testNLL.last!.nll
        // The uniform on [-0.5, 0.5)^2 has NLL 0; a flow can only approach it from above.
        #expect(nll > -0.05 && nll < 0.3, "held-out NLL \(nll)")
        // Without dequantisation, the same flow on the exact levels piles
        // density onto 16 points: its NLL goes below 0, which no density can
        // reach on the dequantised data (uniform per level, entropy 0).
        let raw = Flow(base: StandardNormal(dimension: 2)) {
            for i in 0..<4 { SplineCoupling(mask: .alternating(2, parity: i % 2), shape: SplineShape(bins: 8, bound: 3), hidden: 32, using: &rng) }
        }
        let spiky = raw.fit(integers * 0.25 - 0.5, options: TrainingOptions(steps: 500, batchSize: 256, learningRate: 3e-3), using: &rng)
        #expect(spiky.recentTrainLoss() < -0.1, "on the exact levels the training NLL is \(spiky.recentTrainLoss())")
    }

    @Test func scalingInitialisedFromDataGivesUnitVariance() {
        var rng = RandomGenerator(seed: 2)
        let x = Tensor.normal([5000, 3], using: &rng) * Tensor([0.1, 2, 7]) + Tensor([1, -1, 0])
        let flow = Flow(base: StandardNormal(dimension: 3)) { Scaling(dimension: 3) }
        flow.initialize(from: x)
        let y = withoutGrad { flow.forward(x).y }
        for j in 0..<3 {
            let column = y.slice(axis: 1, j..<(j + 1))
            let variance = (column - Float(column.meanValue)).square().meanValue
            #expect(abs(variance - 1) < 1e-3, "feature \(j): variance \(variance)")
        }
    }

    @Test func floorRoundAndWholeTensorReductions() {
        let t = Tensor([-1.5, -0.4, 0.5, 2.49, 3.999])
        #expect(t.floor().scalars == [-2, -1, 0, 2, 3])
        #expect(t.rounded().scalars == [-2, 0, 1, 2, 4])
        let p = t.requiringGrad()
        (p.floor().sum() + p.rounded().sum() + p.sum()).backward()
        #expect(p.grad?.scalars == [1, 1, 1, 1, 1], "floor and round carry no gradient")
        #expect(t.maxAbs == 3.999 && t.minValue == -1.5 && t.maxValue == 3.999)
        #expect(abs(t.meanValue - 1.0178) < 1e-6)
        #expect(t.doubles.count == 5 && t.doubles[3] == Double(Float(2.49)))
        #expect(t.maxAbsDifference(t.rounded()) == Float(0.5))
    }
}
