import Testing
@testable import Flows

@Suite struct VectorBijectorTests {
    @Test(arguments: [Mask.alternating(4, parity: 0), .alternating(4, parity: 1), .halves(4), .halves(5, first: false)])
    func affineCoupling(_ mask: Mask) {
        var rng = RandomGenerator(seed: 1)
        let layer = AffineCoupling(mask: mask, hidden: 16, using: &rng)
        checkBijector(layer, randn([5, mask.count], seed: 2))
    }

    @Test func additiveCouplingAndScaling() {
        var rng = RandomGenerator(seed: 3)
        checkBijector(AdditiveCoupling(mask: .halves(4), hidden: 16, hiddenLayers: 2, using: &rng), randn([4, 4], seed: 4))
        let s = Scaling(dimension: 3)
        s.logScale.assign(Tensor([0.5, -0.2, 1.1]))
        checkBijector(s, randn([4, 3], seed: 5))
    }

    @Test func permutations() {
        var rng = RandomGenerator(seed: 6)
        checkBijector(Permutation.reverse(5), randn([3, 5], seed: 7))
        let p = Permutation.shuffle(5, using: &rng)
        checkBijector(p, randn([3, 5], seed: 8))
        #expect(Permutation.reverse(3).forward(Tensor([[1, 2, 3]])).y.scalars == [3, 2, 1])
    }

    @Test(arguments: [2, 3])
    func planarFlow(_ d: Int) {
        var rng = RandomGenerator(seed: UInt64(10 + d))
        let p = PlanarFlow(dimension: d, using: &rng)
        // Large parameters, so that the flow is far from the identity.
        p.w.assign(Tensor.normal([d], std: 1.5, using: &rng))
        p.u.assign(Tensor.normal([d], std: 2, using: &rng))
        p.b.assign(Tensor([0.3]))
        checkBijector(p, randn([6, d], seed: 9))
    }

    /// The parametrisation keeps the flow invertible even when wᵀu < -1.
    @Test func planarConstraintHolds() {
        var rng = RandomGenerator(seed: 12)
        let p = PlanarFlow(dimension: 2, using: &rng)
        p.w.assign(Tensor([1, 0]))
        p.u.assign(Tensor([-5, 0]))
        let c = (p.w * p.uHat).sum().item
        #expect(c > -1)
        checkBijector(p, randn([6, 2], seed: 13) * 3)
    }

    /// A steep layer (wᵀû ≈ 8), where plain Newton bounces between two points.
    @Test func steepPlanarLayerInvertsExactly() {
        var rng = RandomGenerator(seed: 14)
        let p = PlanarFlow(dimension: 2, using: &rng)
        p.w.assign(Tensor([4, 0]))
        p.u.assign(Tensor([2.24997, 0]))   // û = (2, 0)
        p.b.assign(Tensor([0]))
        let x = Tensor([[1.6375, 0], [-3, 1], [0.2, -0.4], [9, 2]])
        let z = p.forward(x).y
        let back = p.inverse(z).x
        for (a, e) in zip(back.scalars, x.scalars) { #expect(Swift.abs(a - e) < 1e-4, "round trip: \(back.scalars) vs \(x.scalars)") }
        checkBijector(p, x)
    }

    @Test(arguments: [2, 3])
    func radialFlow(_ d: Int) {
        var rng = RandomGenerator(seed: UInt64(20 + d))
        let r = RadialFlow(dimension: d, using: &rng)
        r.betaRaw.assign(Tensor([1.5]))
        checkBijector(r, randn([6, d], seed: 14))
        r.betaRaw.assign(Tensor([-3]))   // contracting: β close to -α
        checkBijector(r, randn([6, d], seed: 15))
    }

    @Test func chainsAndFlowsAreBijectors() {
        var rng = RandomGenerator(seed: 30)
        let flow = Flow(base: StandardNormal(dimension: 2)) {
            for i in 0..<3 {
                AffineCoupling(mask: .alternating(2, parity: i % 2), hidden: 8, using: &rng)
                if i == 1 { Permutation.reverse(2) }
            }
            [PlanarFlow(dimension: 2, using: &rng), RadialFlow(dimension: 2, using: &rng)] as [any Bijector]
        }
        #expect(flow.bijectors.count == 6)
        checkBijector(flow, randn([4, 2], seed: 31))
        checkBijector(Chain { Scaling(dimension: 2); Permutation.reverse(2) }, randn([3, 2], seed: 32))
    }
}
