import Testing
import Foundation
@testable import Flows

@Suite struct DistributionTests {
    @Test func standardNormalMatchesClosedForm() {
        let x = Tensor([[0, 0], [1, -2]])
        let lp = StandardNormal(dimension: 2).logProb(x).scalars
        #expect(Swift.abs(lp[0] - Float(-Foundation.log(2 * Double.pi))) < 1e-5)
        #expect(Swift.abs(lp[1] - Float(-2.5 - Foundation.log(2 * Double.pi))) < 1e-5)
    }

    @Test func diagonalGaussianMatchesClosedForm() {
        let d = DiagonalGaussian(shape: [2])
        d.mean.assign(Tensor([1, -1]))
        d.logStd.assign(Tensor([Float(Foundation.log(2.0)), 0]))
        let lp = d.logProb(Tensor([[3, -1]])).item
        // N(3; 1, 2^2) * N(-1; -1, 1)
        let logTwoPi: Double = Foundation.log(2 * Double.pi)
        let expected: Double = -0.5 - Foundation.log(2.0) - logTwoPi
        #expect(Swift.abs(Double(lp) - expected) < 1e-5)
    }

    @Test func logisticMatchesClosedForm() {
        let x: Float = 0.7
        let lp = StandardLogistic(dimension: 1).logProb(Tensor([[x]])).item
        let expected = -x - 2 * Foundation.log(1 + Foundation.exp(-x))
        #expect(Swift.abs(lp - expected) < 1e-5)
    }

    @Test func samplesHaveTheRightSpread() {
        var rng = RandomGenerator(seed: 2)
        let s = StandardNormal(dimension: 3).sample(20_000, temperature: 0.5, using: &rng)
        #expect(s.shape == [20_000, 3])
        let std = s.square().mean().item.squareRoot()
        #expect(Swift.abs(std - 0.5) < 0.01)
        let l = StandardLogistic(dimension: 1).sample(20_000, using: &rng)
        // Var of the standard logistic is pi^2 / 3.
        #expect(Swift.abs(l.square().mean().item - Float.pi * Float.pi / 3) < 0.1)
    }
}
