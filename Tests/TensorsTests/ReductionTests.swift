import Testing
import Foundation
@testable import Tensors

@Suite struct ReductionTests {
    let x = Tensor(shape: [2, 3], scalars: [1, 5, 2, -1, 0, 4])

    @Test func sumsAndMeans() {
        #expect(x.sum().item == 11)
        #expect(x.sum(axis: 0).scalars == [0, 5, 6])
        #expect(x.sum(axis: 1).scalars == [8, 3])
        #expect(x.sum(axis: -1, keepDims: true).shape == [2, 1])
        #expect(x.mean(axis: 1).scalars == [8 / 3, 1])
        #expect(Swift.abs(x.mean().item - 11 / 6) < 1e-6)
        #expect(x.max(axis: 1).scalars == [5, 4])
        #expect(x.max(axis: 0).scalars == [1, 5, 4])
        let cube = randn([2, 3, 4], seed: 3)
        expectClose(cube.sum(axes: [0, 2]), cube.sum(axis: 2).sum(axis: 0))
        expectClose(cube.mean(axes: [1, 2]), cube.sum(axis: 2).sum(axis: 1) / 12)
    }

    @Test func logSumExpIsStable() {
        let big = Tensor(shape: [1, 3], scalars: [1000, 1000, 1000])
        #expect(Swift.abs(big.logSumExp(axis: 1).item - (1000 + Foundation.log(3))) < 1e-3)
        let v = x.logSumExp(axis: 1).scalars
        #expect(Swift.abs(v[0] - Foundation.log(Foundation.exp(1) + Foundation.exp(5) + Foundation.exp(2))) < 1e-5)
    }

    @Test(arguments: [0, 1, 2, -1])
    func reductionGradients(_ axis: Int) {
        let t = randn([2, 3, 4], seed: 7)
        checkGradients([t]) { $0[0].sum(axis: axis) }
        checkGradients([t]) { $0[0].sum(axis: axis, keepDims: true) }
        checkGradients([t]) { $0[0].mean(axis: axis) }
        // max has a kink at ties: use distinct values at least 0.1 apart.
        var rng = RandomGenerator(seed: 9)
        let distinct = Tensor(shape: [2, 3, 4], scalars: rng.permutation(24).map { Float($0) * 0.1 })
        checkGradients([distinct]) { $0[0].max(axis: axis) }
        checkGradients([t]) { $0[0].logSumExp(axis: axis) }
    }

    @Test func wholeTensorGradients() {
        let t = randn([3, 2, 2, 2], seed: 8)
        checkGradients([t]) { $0[0].sum() }
        checkGradients([t]) { $0[0].mean() }
        checkGradients([t]) { $0[0].mean(axes: [1, 2, 3]) }
        checkGradients([t.reshaped(3, 8), Tensor([1, 2, 3, 4, 5, 6, 7, 8])]) { ($0[0] * $0[1]).sum(toShape: [8]) }
        checkGradients([Tensor([1, 2, 3])]) { $0[0].broadcast(to: [2, 3]) * Tensor([[1, 2, 3], [4, 5, 6]]) }
    }
}
