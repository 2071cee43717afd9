import Testing
import Foundation
@testable import Flows

/// Misuse stops with a message naming the layer and the shapes (exit tests).
@Suite struct MisuseTests {
    func text(_ r: ExitTest.Result?) -> String { String(decoding: r?.standardErrorContent ?? [], as: UTF8.self) }

    @Test func maskOfTheWrongLength() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var rng = RandomGenerator(seed: 0)
            _ = AffineCoupling(mask: .alternating(4), hidden: 4, using: &rng).forward(Tensor.zeros([3, 2]))
        }
        #expect(text(r).contains("AffineCoupling: input [3, 2] does not match a mask of length 4"))
    }

    @Test func planarFlowOfTheWrongDimension() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var rng = RandomGenerator(seed: 0)
            _ = PlanarFlow(dimension: 3, using: &rng).inverse(Tensor.zeros([5, 2]))
        }
        #expect(text(r).contains("PlanarFlow: input [5, 2] does not match dimension 3"))
    }

    @Test func baseOfTheWrongShape() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = StandardNormal(dimension: 3).logProb(Tensor.zeros([5, 2]))
        }
        #expect(text(r).contains("StandardNormal.logProb: expected [batch, 3], got [5, 2]"))
    }
}

extension MisuseTests {
    @Test func logitOutsideTheUnitInterval() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = LogitTransform(alpha: 0.05).forward(Tensor([[0.5, 1.5]]))
        }
        #expect(text(r).contains("LogitTransform: input [1, 2] must lie in [0, 1]"))
    }
}
