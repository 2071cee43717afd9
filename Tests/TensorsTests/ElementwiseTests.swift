import Testing
import Foundation
@testable import Tensors

@Suite struct ElementwiseTests {
    @Test func valuesMatchClosedForms() {
        let x = Tensor([-2, -0.5, 0, 0.5, 3])
        expectClose(x.exp(), Tensor(x.scalars.map { Foundation.exp($0) }))
        expectClose(x.tanh(), Tensor(x.scalars.map { Foundation.tanh($0) }))
        expectClose(x.sigmoid(), Tensor(x.scalars.map { 1 / (1 + Foundation.exp(-$0)) }))
        expectClose(x.softplus(), Tensor(x.scalars.map { Foundation.log(1 + Foundation.exp($0)) }))
        expectClose(x.relu(), Tensor([0, 0, 0, 0.5, 3]))
        expectClose(x.leakyRelu(slope: 0.1), Tensor([-0.2, -0.05, 0, 0.5, 3]))
        expectClose(x.elu(), Tensor(x.scalars.map { $0 > 0 ? $0 : Foundation.exp($0) - 1 }))
        expectClose(x.abs(), Tensor([2, 0.5, 0, 0.5, 3]))
        expectClose(x.clamped(min: -1, max: 1), Tensor([-1, -0.5, 0, 0.5, 1]))
        let p = Tensor([0.25, 1, 4])
        expectClose(p.log(), Tensor(p.scalars.map { Foundation.log($0) }))
        expectClose(p.log1p(), Tensor(p.scalars.map { Foundation.log1p($0) }))
        expectClose(p.sqrt(), Tensor([0.5, 1, 2]))
        expectClose(p.pow(1.5), Tensor([0.125, 1, 8]))
    }

    @Test func softplusDoesNotOverflow() {
        let x = Tensor([-200, 200])
        expectClose(x.softplus(), Tensor([0, 200]))
        #expect(x.softplus().isFinite)
    }

    @Test(arguments: ["exp", "log", "log1p", "sqrt", "abs", "square", "tanh", "sigmoid", "softplus",
                      "relu", "leakyRelu", "elu", "clamp", "pow", "neg", "scalarOps"])
    func unaryGradients(_ op: String) {
        // Inputs kept away from kinks (0 for relu/abs, the clamp bounds).
        let x = op == "log" || op == "sqrt" || op == "pow" || op == "log1p" ? positive([3, 4], seed: 1) : randn([3, 4], seed: 1) + 0.05
        checkGradients([x]) { t in
            let a = t[0]
            switch op {
            case "exp": return a.exp()
            case "log": return a.log()
            case "log1p": return a.log1p()
            case "sqrt": return a.sqrt()
            case "abs": return a.abs()
            case "square": return a.square()
            case "tanh": return a.tanh()
            case "sigmoid": return a.sigmoid()
            case "softplus": return a.softplus()
            case "relu": return a.relu()
            case "leakyRelu": return a.leakyRelu(slope: 0.2)
            case "elu": return a.elu(alpha: 0.7)
            case "clamp": return a.clamped(min: -0.77, max: 0.83)
            case "pow": return a.pow(2.5)
            case "neg": return -a
            default: return (2 * a + 1) - (a / 4) + (3 - a) * 0.5 + 1 / (a.square() + 1)
            }
        }
    }

    @Test(arguments: [
        ([3, 4], [3, 4]), ([3, 4], [4]), ([4], [3, 4]), ([3, 1], [1, 4]), ([2, 3, 4], [3, 1]),
        ([2, 1, 3, 4], [5, 1, 1]), ([], [2, 3]), ([2, 3], []),
    ] as [([Int], [Int])])
    func binaryGradientsWithBroadcasting(_ shapes: ([Int], [Int])) {
        let a = randn(Shape(shapes.0), seed: 2), b = positive(Shape(shapes.1), seed: 3)
        checkGradients([a, b]) { $0[0] + $0[1] }
        checkGradients([a, b]) { $0[0] - $0[1] }
        checkGradients([a, b]) { $0[0] * $0[1] }
        checkGradients([a, b]) { $0[0] / $0[1] }
        checkGradients([b, a]) { $0[0].pow($0[1]) }
    }

    /// maximum and minimum have a kink where the operands tie: keep them apart
    /// by more than the finite-difference step.
    @Test func maximumAndMinimumGradients() {
        let a = randn([3, 4], seed: 6)
        var rng = RandomGenerator(seed: 7)
        let b = a + Tensor(shape: [3, 4], scalars: (0..<12).map { _ in rng.nextUniform() < 0.5 ? -0.5 : 0.5 })
        checkGradients([a, b]) { Tensor.maximum($0[0], $0[1]) }
        checkGradients([a, b]) { Tensor.minimum($0[0], $0[1]) }
        #expect(Tensor.maximum(Tensor([1, 5]), Tensor([3])).scalars == [3, 5])
    }

    @Test func broadcastingFollowsNumPy() {
        #expect(Shape.broadcast([3, 1], [1, 4]) == [3, 4])
        #expect(Shape.broadcast([2, 3, 4], [4]) == [2, 3, 4])
        #expect(Shape.broadcast([5, 1, 3], [2, 1]) == [5, 2, 3])
        #expect(Shape.broadcast([3], [4]) == nil)
        #expect(Shape.broadcast([2, 3], [3, 3]) == nil)
        let a = Tensor([[1, 2, 3]]).reshaped(3, 1)
        let b = Tensor([10, 20])
        #expect((a + b).scalars == [11, 21, 12, 22, 13, 23])
    }

    @Test func comparisonsAndWhere() {
        let a = Tensor([1, 2, 3]), b = Tensor([3, 2, 1])
        #expect((a .< b).scalars == [1, 0, 0])
        #expect((a .>= b).scalars == [0, 1, 1])
        #expect((a .== 2).scalars == [0, 1, 0])
        let inf = Tensor([Float.infinity, 5, .nan])
        let picked = `where`(a .< 2.5, Tensor([7, 8, 9]), inf)
        #expect(picked.scalars.prefix(2) == [7, 8])
        #expect(picked.scalars[2].isNaN)
        // The infinite unselected side does not leak into the selected side's gradient.
        let x = Tensor([1, 2, 3]).requiringGrad()
        let y = Tensor([Float.infinity, -.infinity, .infinity]).requiringGrad()
        `where`(x .> 1.5, x * 2, y).sum().backward()
        #expect(x.grad!.scalars == [0, 2, 2])
        #expect(y.grad!.scalars == [1, 0, 0])
        checkGradients([randn([2, 3], seed: 4), randn([3], seed: 5)]) { `where`($0[0] .> 0, $0[0] * 3, $0[1]) }
    }
}
