import Testing
@testable import Flows

/// Moves every parameter of a module away from its initial value by normal
/// noise of the given size, so that zero-initialised layers (Glow's last
/// convolution) do something worth checking.
func perturbParameters(_ m: any Module, seed: UInt64, scale: Float = 0.1) {
    var rng = RandomGenerator(seed: seed)
    for p in m.parameters { p.assign(p.detached() + Tensor.normal(p.shape, std: scale, using: &rng)) }
}

/// The harness of `BijectorChecks.swift` on every image bijector, on tiny images.
@Suite struct ImageBijectorTests {
    let x = randn([2, 4, 4, 4], seed: 11)

    @Test func actNormOnImages() {
        let b = ActNorm(channels: 4)
        checkBijector(b, x)
        perturbParameters(b, seed: 1)
        checkBijector(b, x)
    }

    @Test func actNormOnVectors() {
        let b = ActNorm(channels: 5)
        checkBijector(b, randn([3, 5], seed: 2) * 3 + 1)
    }

    @Test func plainInvertibleConv1x1() {
        var rng = RandomGenerator(seed: 3)
        let b = InvertibleConv1x1(channels: 4, using: &rng)
        perturbParameters(b, seed: 4)
        checkBijector(b, x)
    }

    @Test func luInvertibleConv1x1() {
        var rng = RandomGenerator(seed: 5)
        let b = LUInvertibleConv1x1(channels: 4, using: &rng)
        perturbParameters(b, seed: 6)
        checkBijector(b, x)
    }

    @Test func squeezeAndUnsqueeze() {
        checkBijector(Squeeze(), x)
        checkBijector(Unsqueeze(), x)
    }

    @Test func glowCoupling() {
        var rng = RandomGenerator(seed: 7)
        let b = GlowCoupling(channels: 4, hidden: 8, using: &rng)
        perturbParameters(b, seed: 8)
        checkBijector(b, x)
    }

    @Test func conditionalGlowCoupling() {
        var rng = RandomGenerator(seed: 9)
        let b = GlowCoupling(channels: 4, hidden: 8, conditionChannels: 3, using: &rng)
        perturbParameters(b, seed: 10)
        checkBijector(b, x, condition: Digits.oneHot([0, 2], classes: 3))
    }

    @Test(arguments: [ImageMask.checkerboard(parity: 0), .checkerboard(parity: 1), .channel(parity: 0), .channel(parity: 1)])
    func realNVPImageCoupling(_ mask: ImageMask) {
        var rng = RandomGenerator(seed: 12)
        let b = ImageAffineCoupling(mask: mask, imageShape: [4, 4, 4], hidden: 8, using: &rng)
        perturbParameters(b, seed: 13)
        checkBijector(b, x)
    }

    @Test func glowStep() {
        var rng = RandomGenerator(seed: 14)
        let b = GlowStep(channels: 4, hidden: 8, using: &rng)
        perturbParameters(b, seed: 15)
        checkBijector(b, x)
    }

    @Test func multiScaleGlow() {
        var rng = RandomGenerator(seed: 16)
        let b = Glow(imageShape: [2, 4, 4], levels: 2, steps: 2, hidden: 8, using: &rng)
        perturbParameters(b, seed: 17, scale: 0.05)
        checkBijector(b, randn([2, 2, 4, 4], seed: 18))
    }

    @Test func conditionalGlowWithPlainConvolutions() {
        var rng = RandomGenerator(seed: 19)
        let b = Glow(imageShape: [1, 4, 4], levels: 2, steps: 2, hidden: 8, conditionChannels: 3, luDecomposed: false, using: &rng)
        perturbParameters(b, seed: 20, scale: 0.05)
        checkBijector(b, randn([2, 1, 4, 4], seed: 21), condition: Digits.oneHot([1, 2], classes: 3))
    }

    @Test func logitTransform() {
        var rng = RandomGenerator(seed: 22)
        let u = Tensor.uniform([2, 3, 2, 2], low: 0.01, high: 0.99, using: &rng)
        checkBijector(LogitTransform(alpha: 0.05), u)
        checkBijector(LogitTransform(alpha: 0), u, tolerance: 1e-3)
    }
}
