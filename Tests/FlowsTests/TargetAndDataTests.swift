import Testing
import Foundation
@testable import Flows

@Suite struct TargetAndDataTests {
    /// The potentials against a direct scalar transcription of the formulas.
    @Test(arguments: Potential.allCases)
    func potentialsMatchTheirFormulas(_ u: Potential) {
        let points: [(Double, Double)] = [(0.5, -1), (-2, 0.3), (1.2, 2.2), (3, -0.1)]
        let z = Tensor(shape: [4, 2], scalars: points.flatMap { [Float($0.0), Float($0.1)] })
        let got = u.energy(z).scalars
        for (i, (z1, z2)) in points.enumerated() {
            let w1 = sin(2 * Double.pi * z1 / 4)
            let w2 = 3 * exp(-0.5 * pow((z1 - 1) / 0.6, 2))
            let w3 = 3 / (1 + exp(-(z1 - 1) / 0.3))
            let expected: Double
            switch u {
            case .u1:
                let r = (z1 * z1 + z2 * z2).squareRoot()
                expected = 0.5 * pow((r - 2) / 0.4, 2) - log(exp(-0.5 * pow((z1 - 2) / 0.6, 2)) + exp(-0.5 * pow((z1 + 2) / 0.6, 2)))
            case .u2: expected = 0.5 * pow((z2 - w1) / 0.4, 2)
            case .u3: expected = -log(exp(-0.5 * pow((z2 - w1) / 0.35, 2)) + exp(-0.5 * pow((z2 - w1 + w2) / 0.35, 2)))
            case .u4: expected = -log(exp(-0.5 * pow((z2 - w1) / 0.4, 2)) + exp(-0.5 * pow((z2 - w1 + w3) / 0.35, 2)))
            }
            #expect(Swift.abs(Double(got[i]) - expected) < 1e-3 * Swift.max(1, Swift.abs(expected)), "\(u) at \(points[i])")
        }
    }

    @Test func gaussianMixtureIsNormalised() {
        let g = GaussianMixture.ring(components: 8, radius: 2, std: 0.4)
        let h: Float = 0.05
        var pts: [Float] = []
        for x in stride(from: -4 + h / 2, to: 4, by: h) { for y in stride(from: -4 + h / 2, to: 4, by: h) { pts += [x, y] } }
        let mass = g.logDensity(Tensor(shape: [pts.count / 2, 2], scalars: pts)).exp().sum().item * h * h
        #expect(Swift.abs(mass - 1) < 1e-3)
    }

    @Test(arguments: Toy2D.allCases)
    func datasetsAreSeededAndTwoDimensional(_ d: Toy2D) {
        var a = RandomGenerator(seed: 1), b = RandomGenerator(seed: 1)
        let x = d.sample(500, using: &a)
        #expect(x.shape == [500, 2])
        #expect(x.isFinite)
        #expect(x.scalars == d.sample(500, using: &b).scalars)
        #expect(x.maxAbs < 10)
    }

    @Test func moonsAndCirclesHaveTheirShape() {
        var rng = RandomGenerator(seed: 2)
        let c = Toy2D.circles(1000, noise: 0, factor: 0.5, using: &rng)
        let radii = c.square().sum(axis: 1).sqrt().scalars
        #expect(radii.filter { Swift.abs($0 - 1) < 1e-5 }.count == 500)
        #expect(radii.filter { Swift.abs($0 - 0.5) < 1e-5 }.count == 500)
        let m = Toy2D.moons(1000, noise: 0, using: &rng)
        #expect(m.minValue >= -1.0001 && m.maxValue <= 2.0001)
    }
}

@Suite struct MetricsAndSavingTests {
    @Test func bitsPerDimension() {
        // A uniform model on 17 levels scores log2(17) bits per dimension: NLL 0 on [0,1)^D.
        #expect(Swift.abs(Metrics.bitsPerDimension(nll: 0, dimensions: 64, levels: 17) - log2f(17)) < 1e-5)
        #expect(Swift.abs(Metrics.bitsPerDimension(nll: -64, dimensions: 64, levels: 17) - (log2f(17) - 1 / logf(2))) < 1e-5)
    }

    @Test func rocAUCMatchesPairCounting() {
        var rng = RandomGenerator(seed: 3)
        let scores = (0..<60).map { _ in Float(rng.nextInt(below: 10)) }   // many ties
        let labels = (0..<60).map { _ in rng.nextUniform() < 0.4 }
        var wins = 0.0, pairs = 0.0
        for i in 0..<60 where labels[i] { for j in 0..<60 where !labels[j] {
            pairs += 1
            wins += scores[i] > scores[j] ? 1 : (scores[i] == scores[j] ? 0.5 : 0)
        } }
        #expect(Swift.abs(Double(Metrics.rocAUC(scores: scores, labels: labels)) - wins / pairs) < 1e-6)
        #expect(Metrics.rocAUC(scores: [1, 2, 3, 4], labels: [false, false, true, true]) == 1)
    }

    @Test func stateRoundTripsThroughAFile() throws {
        var rng = RandomGenerator(seed: 4)
        func make() -> Flow {
            Flow(base: StandardNormal(dimension: 2)) {
                for i in 0..<2 { AffineCoupling(mask: .alternating(2, parity: i), hidden: 8, using: &rng) }
            }
        }
        let a = make(), b = make()
        let x = randn([5, 2], seed: 5)
        #expect(a.logProb(x).scalars != b.logProb(x).scalars)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nbrun-state-\(getpid()).bin").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try a.save(to: path)
        try b.load(from: path)
        #expect(a.logProb(x).scalars == b.logProb(x).scalars)

        let other = Flow(base: StandardNormal(dimension: 2)) { AffineCoupling(mask: .halves(2), hidden: 4, using: &rng) }
        #expect(throws: StateFileError.self) { try other.load(from: path) }
        var bytes = a.stateBytes()
        bytes.removeLast(3)
        #expect(throws: StateFileError.self) { try b.restoreState(from: bytes) }
        #expect(throws: StateFileError.self) { try b.restoreState(from: Array("not a file".utf8)) }
    }
}
