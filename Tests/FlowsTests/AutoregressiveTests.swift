import Testing
@testable import Flows

/// MADE's masks, MAF and IAF: the autoregressive property read off autodiff,
/// the bijector checks (round trips, log-det against the full Jacobian,
/// finite differences, gradients), and seeded training to a stated NLL.
@Suite struct AutoregressiveTests {
    /// Which inputs each output of `made` depends on, by autodiff.
    func dependence(_ made: MADE, at x: Tensor) -> [[Bool]] {
        let outputs = made.dimension * made.outputsPerDimension
        return (0..<outputs).map { o in
            let p = x.requiringGrad()
            var seed = [Float](repeating: 0, count: outputs)
            seed[o] = 1
            made(p).backward(seed: Tensor(shape: [1, outputs], scalars: seed))
            return (p.grad?.scalars ?? []).map { $0 != 0 }
        }
    }

    @Test(arguments: [AutoregressiveOrder.natural, .reversed, .random(seed: 5)])
    func madeOutputsSeeOnlyEarlierCoordinates(_ order: AutoregressiveOrder) {
        var rng = RandomGenerator(seed: 3)
        let d = 5
        let made = MADE(dimension: d, hidden: [16, 16], order: order, using: &rng)
        let x = Tensor.normal([1, d], using: &rng)
        let seen = dependence(made, at: x)
        let positions = order.positions(d)
        #expect(Set(positions) == Set(0..<d))
        for (o, row) in seen.enumerated() {
            let i = o % d
            for j in 0..<d {
                if positions[j] >= positions[i] { #expect(!row[j], "output \(o) (coordinate \(i)) sees input \(j)") }
            }
        }
        // And the masks leave the allowed connections: the last coordinate in
        // the order sees every other one.
        let last = positions.firstIndex(of: d - 1)!
        let others = seen[last].enumerated().filter { $0.offset != last }.map(\.element)
        #expect(!others.contains(false))
    }

    @Test(arguments: [MaskedAutoregressive.Direction.maf, .iaf])
    func passesTheBijectorChecks(_ direction: MaskedAutoregressive.Direction) {
        var rng = RandomGenerator(seed: 11)
        let layer = MaskedAutoregressive(dimension: 3, hidden: 12, order: .random(seed: 2), direction: direction, using: &rng)
        checkBijector(layer, Tensor.normal([4, 3], using: &rng))
        let conditioned = MaskedAutoregressive(dimension: 2, hidden: 8, direction: direction, conditionDimension: 3, using: &rng)
        checkBijector(conditioned, Tensor.normal([4, 2], using: &rng), condition: Tensor.normal([4, 3], using: &rng))
    }

    @Test func mafAndIAFAreEachOthersInverseMaps() {
        var a = RandomGenerator(seed: 4), b = RandomGenerator(seed: 4)
        let maf = MaskedAutoregressive(dimension: 3, hidden: 8, direction: .maf, using: &a)
        let iaf = MaskedAutoregressive(dimension: 3, hidden: 8, direction: .iaf, using: &b)
        var rng = RandomGenerator(seed: 1)
        let x = Tensor.normal([6, 3], using: &rng)
        let (z, ld) = withoutGrad { maf.forward(x) }
        let (z2, ld2) = withoutGrad { iaf.inverse(x) }
        #expect(maxAbsDiff(z, z2) < 1e-6 && maxAbsDiff(ld, ld2) < 1e-6)
    }

    /// A MAF of four layers, orders alternating, trained on the moons.
    @Test func aSeededMAFLearnsTheMoons() {
        var rng = RandomGenerator(seed: 7)
        let train = Toy2D.moons(4000, noise: 0.05, using: &rng), test = Toy2D.moons(1000, noise: 0.05, using: &rng)
        let flow = Flow(base: StandardNormal(dimension: 2)) {
            for i in 0..<4 {
                MaskedAutoregressive(dimension: 2, hidden: 32, order: i % 2 == 0 ? .natural : .reversed, using: &rng)
            }
        }
        let before = withoutGrad { flow.evaluateNLL(test) }
        flow.fit(train, options: TrainingOptions(steps: 600, batchSize: 128, learningRate: 3e-3), using: &rng)
        let after = withoutGrad { flow.evaluateNLL(test) }
        #expect(after < 1.2, "held-out NLL \(after), from \(before)")
        #expect(after < before - 1)
    }
}
