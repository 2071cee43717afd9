import Testing
import Foundation
@testable import Flows

@Suite struct FlowTests {
    /// A flow of one scaling layer is a Gaussian with std exp(-s): compare with the closed form.
    @Test func logProbOfAScaledGaussian() {
        let s = Scaling(dimension: 2)
        s.logScale.assign(Tensor([0.5, -1]))
        let flow = Flow(base: StandardNormal(dimension: 2), bijectors: [s])
        let x = Tensor([[0.3, -0.7], [2, 1]])
        let lp = flow.logProb(x).scalars
        for (i, row) in [[0.3, -0.7], [2.0, 1.0]].enumerated() {
            var expected = 0.0
            for (j, v) in row.enumerated() {
                let sigma = Foundation.exp(-[0.5, -1][j])
                expected += -0.5 * (v / sigma) * (v / sigma) - Foundation.log(sigma) - 0.5 * Foundation.log(2 * Double.pi)
            }
            #expect(Swift.abs(Double(lp[i]) - expected) < 1e-5)
        }
    }

    @Test func samplingAndTrajectories() {
        var rng = RandomGenerator(seed: 1)
        let flow = Flow(base: StandardNormal(dimension: 2)) {
            for i in 0..<4 { AffineCoupling(mask: .alternating(2, parity: i % 2), hidden: 8, using: &rng) }
        }
        let x = flow.sample(10, temperature: 0.7, using: &rng)
        #expect(x.shape == [10, 2])
        let path = flow.trajectory(x)
        #expect(path.count == 5)
        let z = flow.forward(x).y
        #expect(maxAbsDiff(path.last!, z) < 1e-6)
        let back = flow.inverseTrajectory(z)
        #expect(maxAbsDiff(back.last!, x) < 1e-4)
        var a = RandomGenerator(seed: 9), b = RandomGenerator(seed: 9)
        #expect(flow.sample(5, using: &a).scalars == flow.sample(5, using: &b).scalars)
    }

    /// A trained 2-D density integrates to 1 on a grid within 1%.
    @Test func trainedDensityIntegratesToOne() {
        var rng = RandomGenerator(seed: 2)
        let data = Toy2D.moons(2000, noise: 0.1, using: &rng)
        let flow = Flow(base: StandardNormal(dimension: 2)) {
            for i in 0..<4 { AffineCoupling(mask: .alternating(2, parity: i % 2), hidden: 32, using: &rng) }
        }
        let history = flow.fit(data, options: TrainingOptions(steps: 300, batchSize: 128, learningRate: 3e-3), using: &rng)
        #expect(history.recentTrainLoss() < 1.4, "train NLL \(history.recentTrainLoss())")
        // Midpoint rule on [-4, 5] x [-4, 4] with cells of 0.03.
        let h: Float = 0.03
        let xs = Array(stride(from: -4 + h / 2, to: 5, by: h)), ys = Array(stride(from: -4 + h / 2, to: 4, by: h))
        var points: [Float] = []
        for x in xs { for y in ys { points += [x, y] } }
        let grid = Tensor(shape: [points.count / 2, 2], scalars: points)
        let mass = withoutGrad { flow.logProb(grid).exp().sum().item } * h * h
        #expect(Swift.abs(mass - 1) < 0.01, "integral of the density: \(mass)")
    }

    /// A seeded maximum-likelihood run must reach a stated held-out NLL.
    @Test func seededTrainingReachesAStatedNLL() {
        func run() -> TrainingHistory {
            var rng = RandomGenerator(seed: 4)
            let train = Toy2D.moons(4000, noise: 0.05, using: &rng), test = Toy2D.moons(1000, noise: 0.05, using: &rng)
            let flow = Flow(base: StandardNormal(dimension: 2)) {
                for i in 0..<6 { AffineCoupling(mask: .alternating(2, parity: i % 2), hidden: 32, using: &rng) }
            }
            var reported = 0
            let h = flow.fit(train, test: test, options: TrainingOptions(steps: 400, batchSize: 128, learningRate: 3e-3, warmupSteps: 20, clipNorm: 50, evaluateEvery: 200, shards: 2), using: &rng) { _ in reported += 1 }
            #expect(reported == 400)
            return h
        }
        let h = run()
        #expect(h.testNLL.map(\.step) == [200, 400])
        #expect(h.testNLL.last!.nll < 1.0, "held-out NLL \(h.testNLL.last!.nll)")
        #expect(h.skippedSteps == 0)
        #expect(run().trainLoss == h.trainLoss)   // deterministic
    }

    /// A conditional flow trained in two pieces per batch: each piece must keep
    /// its own conditions, so the run follows the unsharded one (up to the
    /// rounding of a different summation order), and a run whose conditions
    /// are scrambled does not.
    @Test func shardedConditionalTrainingKeepsConditionsWithTheirSamples() {
        func run(shards: Int, scrambled: Bool = false) -> (TrainingHistory, [Float]) {
            var rng = RandomGenerator(seed: 8)
            let images = Tensor.uniform([256, 1, 4, 4], using: &rng) - 0.5
            let labels = (0..<256).map { $0 % 3 }
            // The class shifts the images, so the conditions carry information.
            let shifted = images + Tensor(labels.map { 3 * (Float($0) - 1) }).reshaped([256, 1, 1, 1])
            let condition = Digits.oneHot(scrambled ? labels.reversed() : labels, classes: 3)
            let nvp = RealNVP(imageShape: [1, 4, 4], levels: 1, couplings: 2, hidden: 8, conditionChannels: 3, using: &rng)
            let flow = nvp.flow()
            let h = flow.fit(shifted, condition: condition,
                             options: TrainingOptions(steps: 60, batchSize: 64, learningRate: 1e-2, shards: shards),
                             using: &rng)
            return (h, flow.parameters.flatMap { $0.scalars })
        }
        let (whole, wholeParameters) = run(shards: 1)
        let (pieces, pieceParameters) = run(shards: 2)
        let (scrambled, _) = run(shards: 2, scrambled: true)
        for (a, b) in zip(whole.trainLoss, pieces.trainLoss) {
            #expect(Swift.abs(a - b) <= 1e-3 * Swift.max(1, Swift.abs(a)), "loss \(a) unsharded, \(b) in pieces")
        }
        let drift = zip(wholeParameters, pieceParameters).map { Swift.abs($0 - $1) }.max()!
        #expect(drift < 1e-3, "parameters drifted by \(drift)")
        #expect(whole.trainLoss.last! < whole.trainLoss.first! - 0.5, "the conditional flow did not learn")
        func late(_ h: TrainingHistory) -> Float { h.trainLoss.suffix(10).reduce(0, +) / 10 }
        #expect(late(scrambled) > late(pieces) + 0.5,
                "scrambled conditions train the same: the conditions are not used")
    }

    @Test func nonFiniteStepsAreSkipped() {
        var rng = RandomGenerator(seed: 5)
        let flow = Flow(base: StandardNormal(dimension: 2)) { Scaling(dimension: 2) }
        let data = Tensor([[Float.nan, 0]])   // every batch holds the bad point
        let h = flow.fit(data, options: TrainingOptions(steps: 20, batchSize: 8), using: &rng)
        #expect(h.skippedSteps == 20)
        #expect(flow.parameters[0].scalars == [0, 0])
    }

    /// Reverse-KL fitting of planar flows to a potential of Rezende & Mohamed.
    @Test func reverseKLFitsAPotential() {
        var rng = RandomGenerator(seed: 6)
        let flow = Flow(base: StandardNormal(dimension: 2)) {
            for _ in 0..<8 { PlanarFlow(dimension: 2, using: &rng) }
        }
        let h = flow.fitReverseKL(Potential.u2, options: TrainingOptions(steps: 300, batchSize: 128, learningRate: 1e-2), using: &rng)
        let start = h.trainLoss.prefix(10).reduce(0, +) / 10
        let end = h.recentTrainLoss(30)
        // log Z of U2 is log(0.4 * sqrt(2 pi) * 8) ≈ 2.08 over z1 in [-4, 4]; the KL estimate bounds -log Z.
        #expect(end < start - 0.5, "reverse-KL estimate went from \(start) to \(end)")
        #expect(end > -2.3, "the estimate cannot fall below -log Z: \(end)")
    }
}
