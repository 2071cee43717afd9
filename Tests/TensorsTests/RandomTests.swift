import Testing
@testable import Tensors

@Suite struct RandomTests {
    /// Pinned against an independent implementation of SplitMix64 + xoshiro256**.
    @Test func streamIsPinned() {
        var rng = RandomGenerator(seed: 42)
        #expect((0..<4).map { _ in rng.next() } == [0x1578_0b2e_0c2e_c716, 0x6104_d986_6d11_3a7e, 0xae17_5332_39e4_99a1, 0xecb8_ad47_03b3_60a1])
        var u = RandomGenerator(seed: 0)
        #expect((0..<3).map { _ in u.nextUniform() } == [0.6012629866600037, 0.747774064540863, 0.10301995277404785])
    }

    @Test func sameSeedSameTensors() {
        var a = RandomGenerator(seed: 7), b = RandomGenerator(seed: 7)
        #expect(Tensor.normal([100], using: &a).scalars == Tensor.normal([100], using: &b).scalars)
        #expect(a.permutation(50) == b.permutation(50))
        #expect(a.choice(10, count: 5, replace: false) == b.choice(10, count: 5, replace: false))
    }

    @Test func distributionsHaveTheRightMoments() {
        var rng = RandomGenerator(seed: 1)
        let n = Tensor.normal([200_000], mean: 2, std: 3, using: &rng)
        let mean = n.mean().item
        let variance = ((n - mean).square()).mean().item
        #expect(Swift.abs(mean - 2) < 0.03)
        #expect(Swift.abs(variance - 9) < 0.1)
        let u = Tensor.uniform([200_000], low: -1, high: 3, using: &rng)
        #expect(u.minValue >= -1 && u.maxValue < 3)
        #expect(Swift.abs(u.mean().item - 1) < 0.02)
        let p = rng.permutation(1000)
        #expect(Set(p) == Set(0..<1000))
        let c = rng.choice(20, count: 20, replace: false)
        #expect(Set(c).count == 20)
        let draws = (0..<60_000).map { _ in rng.nextInt(below: 3) }
        for k in 0..<3 { #expect(Swift.abs(draws.filter { $0 == k }.count - 20_000) < 600) }
    }

    @Test func defaultInitialisersUseFanIn() {
        var rng = RandomGenerator(seed: 5)
        let layer = Linear(64, 32, using: &rng)
        let bound = 1 / Float(64).squareRoot()
        #expect(layer.weight.shape == [64, 32])
        #expect(layer.weight.maxValue <= bound && layer.weight.minValue >= -bound)
        #expect(layer.weight.maxValue > 0.9 * bound)
        #expect(layer.bias!.maxValue <= bound)
    }
}
