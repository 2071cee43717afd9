import Testing
import Foundation
@testable import Tensors

@Suite struct OptimizerTests {
    @Test func adamMatchesItsDefinition() {
        // Two steps by hand with g = 2w - 1 (loss w^2 - w).
        let w = Tensor([0.3, -1.2]).requiringGrad()
        let opt = Adam([w], learningRate: 0.1)
        var ref = [0.3, -1.2], m = [0.0, 0], v = [0.0, 0]
        for t in 1...2 {
            opt.zeroGrad()
            (w.square() - w).sum().backward()
            opt.update()
            for i in 0..<2 {
                let g = 2 * ref[i] - 1
                m[i] = 0.9 * m[i] + 0.1 * g
                v[i] = 0.999 * v[i] + 0.001 * g * g
                let mh = m[i] / (1 - Foundation.pow(0.9, Double(t))), vh = v[i] / (1 - Foundation.pow(0.999, Double(t)))
                ref[i] -= 0.1 * mh / (vh.squareRoot() + 1e-8)
            }
            expectClose(w, Tensor(ref.map(Float.init)), tolerance: 1e-5)
        }
        #expect(opt.step == 2)
    }

    @Test func sgdWithMomentum() {
        let w = Tensor([1]).requiringGrad()
        let opt = SGD([w], learningRate: 0.1, momentum: 0.9)
        var x = 1.0, vel = 0.0
        for _ in 0..<3 {
            opt.zeroGrad()
            (w.square()).sum().backward()
            opt.update()
            vel = 0.9 * vel + 2 * x
            x -= 0.1 * vel
        }
        #expect(Swift.abs(Double(w.item) - x) < 1e-6)
    }

    @Test func clippingScalesTheJointNorm() {
        let a = Tensor([3, 0]).requiringGrad(), b = Tensor([4]).requiringGrad()
        ((a * Tensor([1, 0])).sum() * 3 + (b * 4).sum()).backward()   // grads (3, 0) and (4): norm 5
        let norm = clipGradientNorm([a, b], maxNorm: 1)
        #expect(Swift.abs(norm - 5) < 1e-5)
        #expect(Swift.abs(a.grad!.scalars[0] - 0.6) < 1e-5)
        #expect(Swift.abs(b.grad!.item - 0.8) < 1e-5)
        #expect(clipGradientNorm([a, b], maxNorm: 10) < 1.0001)   // under the bound: unchanged
    }

    @Test func warmupSchedule() {
        let s = LearningRateSchedule.warmup(1e-3, steps: 4)
        #expect([0, 1, 3, 10].map { s.rate($0) } == [2.5e-4, 5e-4, 1e-3, 1e-3])
        let c = LearningRateSchedule.warmupCosine(1, warmup: 2, totalSteps: 12)
        #expect(c.rate(0) == 0.5 && c.rate(2) == 1)
        #expect(Swift.abs(c.rate(7) - 0.5) < 1e-6 && c.rate(12) < 1e-6)
    }
}
