import Testing
import Foundation
@testable import Flows

@Suite struct RealNVPTests {
    @Test func levelsFollowThePaperLayout() {
        var rng = RandomGenerator(seed: 1)
        let nvp = RealNVP(imageShape: [1, 8, 8], levels: 3, couplings: 3, hidden: 4, using: &rng)
        #expect(nvp.levelShapes == [[1, 8, 8], [2, 4, 4], [4, 2, 2]])
        #expect(nvp.latentSizes == [32, 16, 16] && nvp.latentDimension == 64)
        // Every level but the last: 3 checkerboard couplings, squeeze, 3 channel couplings.
        #expect(nvp.checkerboard.map(\.count) == [3, 3, 4])
        #expect(nvp.channel.map(\.count) == [3, 3, 0])
        #expect(nvp.checkerboard[0].map(\.mask) == [.checkerboard(parity: 0), .checkerboard(parity: 1), .checkerboard(parity: 0)])
        #expect(nvp.channel[1].map(\.mask) == [.channel(parity: 0), .channel(parity: 1), .channel(parity: 0)])
        #expect(nvp.channel[0][0].imageShape == [4, 4, 4] && nvp.checkerboard[2][0].imageShape == [4, 2, 2])
    }

    @Test func latentConcatenatesTheFactoredPartsAndInverseIsExact() {
        var rng = RandomGenerator(seed: 2)
        let nvp = RealNVP(imageShape: [1, 8, 8], levels: 2, couplings: 2, hidden: 4, using: &rng)
        perturbParameters(nvp, seed: 3, scale: 0.05)
        let x = randn([3, 1, 8, 8], seed: 4)
        let (z, logDet) = withoutGrad { nvp.forward(x) }
        #expect(z.shape == [3, 64] && logDet.shape == [3])
        let (x2, inverseLogDet) = withoutGrad { nvp.inverse(z) }
        #expect(x2.shape == [3, 1, 8, 8])
        #expect(maxAbsDiff(x2, x) < 1e-4)
        #expect(maxAbsDiff(logDet + inverseLogDet, Tensor.zeros([3])) < 1e-4)
        // A [batch, C, H, W] latent is read as flattened.
        #expect(maxAbsDiff(withoutGrad { nvp.inverse(z.reshaped([3, 1, 8, 8])).x }, x) < 1e-4)
    }

    @Test func oneLevelIsCheckerboardCouplingsOnly() {
        var rng = RandomGenerator(seed: 5)
        let nvp = RealNVP(imageShape: [2, 3, 5], levels: 1, couplings: 2, hidden: 4, using: &rng)
        #expect(nvp.checkerboard.map(\.count) == [3] && nvp.channel.map(\.count) == [0])
        perturbParameters(nvp, seed: 6)
        checkBijector(nvp, randn([2, 2, 3, 5], seed: 7))
    }

    @Test func multiScaleRealNVPPassesTheBijectorChecks() {
        var rng = RandomGenerator(seed: 8)
        let nvp = RealNVP(imageShape: [1, 4, 4], levels: 2, couplings: 2, hidden: 6, using: &rng)
        perturbParameters(nvp, seed: 9, scale: 0.05)
        checkBijector(nvp, randn([2, 1, 4, 4], seed: 10))
    }

    @Test func conditionalRealNVPPassesTheBijectorChecks() {
        var rng = RandomGenerator(seed: 11)
        let nvp = RealNVP(imageShape: [2, 4, 4], levels: 2, couplings: 1, hidden: 6, conditionChannels: 3, using: &rng)
        perturbParameters(nvp, seed: 12, scale: 0.05)
        checkBijector(nvp, randn([2, 2, 4, 4], seed: 13), condition: Digits.oneHot([0, 2], classes: 3))
    }

    func stderrText(_ result: ExitTest.Result?) -> String {
        String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    }

    @Test func rejectsSizesItCannotSqueeze() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var rng = RandomGenerator(seed: 0)
            _ = RealNVP(imageShape: [1, 6, 6], levels: 3, hidden: 4, using: &rng)
        }
        #expect(stderrText(result).contains("RealNVP: height and width of [1, 6, 6] must be divisible by 2^(levels - 1) = 4"))
    }

    @Test func namesAWrongInputShape() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var rng = RandomGenerator(seed: 0)
            let nvp = RealNVP(imageShape: [1, 8, 8], levels: 2, hidden: 4, using: &rng)
            _ = nvp.forward(Tensor.zeros([3, 64]))
        }
        #expect(stderrText(result).contains("RealNVP: input [3, 64] does not match the image shape [1, 8, 8]"))
    }

    /// A seeded short run on the dequantised, logit-transformed digits: the
    /// held-out bits per dimension must fall well below a uniform model's
    /// log2(17) = 4.09.
    @Test func shortTrainingRunOnDigitsLearns() {
        let (train, test) = Digits.load().split()
        var rng = RandomGenerator(seed: 0)
        let nvp = RealNVP(imageShape: [1, 8, 8], levels: 2, couplings: 2, hidden: 16, using: &rng)
        let flow = Flow(base: StandardNormal(dimension: 64)) {
            LogitTransform(alpha: 0.05)
            nvp
        }
        func prepare(_ images: Tensor) -> Tensor { uniformDequantize(images, levels: Digits.levels, using: &rng) }
        let testX = prepare(test.images)
        func bpd() -> Float {
            Metrics.bitsPerDimension(nll: -withoutGrad { flow.logProb(testX) }.mean().item, dimensions: 64, levels: Digits.levels)
        }
        let before = bpd()
        let opt = Adam(flow.parameters, learningRate: 3e-3)
        for _ in 0..<300 {
            let batch = prepare(train.images.gather(rng.choice(train.count, count: 64)))
            opt.zeroGrad()
            flow.negativeLogLikelihood(batch).backward()
            clipGradientNorm(flow.parameters, maxNorm: 50)
            opt.update()
        }
        let after = bpd()
        print("realnvp digits test: bpd \(before) -> \(after)")
        #expect(after < 3.6 && after < before - 0.3, "test bits per dimension \(after) (before training: \(before))")
    }
}
