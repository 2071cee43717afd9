import Testing
@testable import Flows

/// The channel mixings a Glow step can use (`ChannelMixing`), and the fixed
/// permutation bijector behind `.reverse` and `.shuffle`.
@Suite struct ChannelMixingTests {
    let x = randn([2, 4, 4, 4], seed: 31)

    @Test func reversedChannelsThroughTheHarness() {
        let b = Permutation.reverse(4)
        #expect(b.indices == [3, 2, 1, 0])
        checkBijector(b, x)
        let (y, logDet) = withoutGrad { b.forward(x) }
        #expect(maxAbsDiff(y.slice(axis: 1, 0..<1), x.slice(axis: 1, 3..<4)) == 0)
        #expect(logDet.scalars == [0, 0])
    }

    @Test func shuffledChannelsThroughTheHarness() {
        var rng = RandomGenerator(seed: 32)
        let b = Permutation.shuffle(4, using: &rng)
        #expect(Set(b.indices) == Set(0..<4))
        checkBijector(b, x)
        // Output channel k is input channel order[k].
        let y = withoutGrad { b.forward(x).y }
        for (k, o) in b.indices.enumerated() {
            #expect(maxAbsDiff(y.slice(axis: 1, k..<(k + 1)), x.slice(axis: 1, o..<(o + 1))) == 0)
        }
    }

    @Test func theShuffleIsSavedAndLoaded() throws {
        var a = RandomGenerator(seed: 33), b = RandomGenerator(seed: 34)
        let saved = Permutation.shuffle(8, using: &a)
        let other = Permutation.shuffle(8, using: &b)
        #expect(saved.indices != other.indices)
        try other.restoreState(from: saved.stateBytes())
        #expect(other.indices == saved.indices)
        let z = randn([2, 8, 2, 2], seed: 35)
        #expect(maxAbsDiff(withoutGrad { other.forward(z).y }, withoutGrad { saved.forward(z).y }) == 0)
    }

    @Test(arguments: ChannelMixing.allCases)
    func glowStepWithEachMixing(_ mixing: ChannelMixing) {
        var rng = RandomGenerator(seed: 36)
        let step = GlowStep(channels: 4, hidden: 8, mixing: mixing, using: &rng)
        #expect(step.mixingKind == mixing)
        switch mixing {
        case .lu: #expect(step.mixing is LUInvertibleConv1x1)
        case .conv1x1: #expect(step.mixing is InvertibleConv1x1)
        case .reverse, .shuffle: #expect(step.mixing is Permutation)
        }
        perturbParameters(step, seed: 37)
        checkBijector(step, x)
    }

    @Test(arguments: [ChannelMixing.reverse, .shuffle])
    func conditionalMultiScaleGlowWithPermutations(_ mixing: ChannelMixing) {
        var rng = RandomGenerator(seed: 38)
        let glow = Glow(imageShape: [1, 4, 4], levels: 2, steps: 2, hidden: 8, conditionChannels: 3, mixing: mixing, using: &rng)
        #expect(glow.levels.allSatisfy { $0.allSatisfy { $0.mixingKind == mixing } })
        perturbParameters(glow, seed: 39, scale: 0.05)
        checkBijector(glow, randn([2, 1, 4, 4], seed: 40), condition: Digits.oneHot([0, 2], classes: 3))
    }

    @Test func defaultsAndTheOldFlagAgree() {
        // The default is the LU form, and `luDecomposed:` still picks between the two convolutions,
        // drawing the same numbers from the generator as `mixing:`.
        var a = RandomGenerator(seed: 41), b = RandomGenerator(seed: 41), c = RandomGenerator(seed: 41)
        let byDefault = Glow(imageShape: [1, 4, 4], levels: 1, steps: 2, hidden: 4, using: &a)
        let byFlag = Glow(imageShape: [1, 4, 4], levels: 1, steps: 2, hidden: 4, luDecomposed: true, using: &b)
        let byName = Glow(imageShape: [1, 4, 4], levels: 1, steps: 2, hidden: 4, mixing: .lu, using: &c)
        #expect(byDefault.levels[0].allSatisfy { $0.mixingKind == .lu })
        #expect(byDefault.stateBytes() == byFlag.stateBytes() && byFlag.stateBytes() == byName.stateBytes())
        var d = RandomGenerator(seed: 42)
        let plain = GlowStep(channels: 4, hidden: 4, luDecomposed: false, using: &d)
        #expect(plain.mixingKind == .conv1x1)
    }
}
