import Testing
@testable import Tensors

@Suite struct AutodiffTests {
    @Test func chainRuleThroughSharedSubexpressions() {
        // f(x) = sum(x*x + exp(x) * x): df/dx = 2x + exp(x) (1 + x).
        let x = Tensor([0.5, -1, 2]).requiringGrad()
        let e = x.exp()
        (x * x + e * x).sum().backward()
        let expected = x.scalars.map { 2 * $0 + Foundation.exp($0) * (1 + $0) }
        expectClose(x.grad!, Tensor(expected), tolerance: 1e-5)
    }

    @Test func gradientsAccumulateUntilZeroed() {
        let w = Tensor([1, 2]).requiringGrad()
        (w * 3).sum().backward()
        (w * 3).sum().backward()
        #expect(w.grad!.scalars == [6, 6])
        w.zeroGrad()
        #expect(w.grad == nil)
        (w.square()).sum().backward()
        #expect(w.grad!.scalars == [2, 4])
    }

    @Test func noGradScopeRecordsNothing() {
        let w = Tensor([1, 2]).requiringGrad()
        let y = withoutGrad { w * 2 }
        #expect(!y.requiresGrad)
        let nested = withoutGrad { withoutGrad { w + 1 } }
        #expect(!nested.requiresGrad)
        #expect((w * 2).requiresGrad)   // recording is back on
        #expect(GradMode.isEnabled)
    }

    @Test func constantsHaveNoGradient() {
        let c = Tensor([1, 2])
        let w = Tensor([3, 4]).requiringGrad()
        (c * w).sum().backward()
        #expect(c.grad == nil)
        #expect(w.grad!.scalars == [1, 2])
        let d = w.detached()
        #expect(!d.requiresGrad)
    }

    @Test func retainGraphAllowsASecondPass() {
        let w = Tensor([2]).requiringGrad()
        let y = (w * w * w).sum()
        y.backward(retainGraph: true)
        y.backward()
        #expect(w.grad!.scalars == [24])
    }

    @Test func parametersAreUpdatedInPlaceForEveryHolder() {
        let w = Tensor([1, 1]).requiringGrad()
        let alias = w
        (w * Tensor([1, -1])).sum().backward()
        let opt = SGD([w], learningRate: 0.5)
        opt.update()
        #expect(alias.scalars == [0.5, 1.5])
    }

    @Test func deepChainsDoNotOverflowTheStack() {
        let w = Tensor([1]).requiringGrad()
        var y = w
        for _ in 0..<20_000 { y = y * 1.0001 }
        y.sum().backward()
        #expect(Swift.abs(w.grad!.item - Float(Foundation.pow(1.0001, 20_000.0))) < 1e-2)
    }
}

import Foundation
