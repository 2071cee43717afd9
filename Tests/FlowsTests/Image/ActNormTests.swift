import Testing
import Foundation
@testable import Flows

@Suite struct ActNormTests {
    /// Per-channel mean and unbiased standard deviation of an NCHW batch, in double precision.
    func channelStatistics(_ y: Tensor) -> (mean: [Double], std: [Double]) {
        let n = y.shape[0], c = y.shape[1], inner = y.rank == 4 ? y.shape[2] * y.shape[3] : 1
        let v = y.scalars.map(Double.init)
        var mean = [Double](repeating: 0, count: c), std = mean
        for ch in 0..<c {
            var values: [Double] = []
            for i in 0..<n { values += v[((i * c + ch) * inner)..<((i * c + ch + 1) * inner)] }
            let m = values.reduce(0, +) / Double(values.count)
            mean[ch] = m
            std[ch] = (values.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(values.count - 1)).squareRoot()
        }
        return (mean, std)
    }

    @Test func firstBatchInitialisesToZeroMeanUnitStd() {
        let x = randn([8, 3, 4, 4], seed: 1) * Tensor([2, 0.5, 5]).reshaped([1, 3, 1, 1]) + Tensor([1, -3, 0.2]).reshaped([1, 3, 1, 1])
        let layer = ActNorm(channels: 3)
        #expect(!layer.isInitialized)
        let (y, logDet) = withoutGrad { layer.forward(x) }
        #expect(layer.isInitialized)
        let (mean, std) = channelStatistics(y)
        for c in 0..<3 {
            #expect(Swift.abs(mean[c]) < 1e-5, "channel \(c) mean \(mean[c])")
            #expect(Swift.abs(std[c] - 1) < 1e-4, "channel \(c) std \(std[c])")
        }
        // The log-det is H*W*sum(logScale) = -16 * sum(log std of the input).
        let inputStd = channelStatistics(x).std
        let expected = -16 * inputStd.map { Foundation.log($0 + 1e-6) }.reduce(0, +)
        #expect(Swift.abs(Double(logDet[0]) - expected) < 1e-3 * Swift.abs(expected))
    }

    @Test func laterBatchesDoNotReinitialise() {
        let layer = ActNorm(channels: 2)
        _ = withoutGrad { layer.forward(randn([4, 2], seed: 2) * 3) }
        let bias = layer.bias.scalars, logScale = layer.logScale.scalars
        _ = withoutGrad { layer.forward(randn([4, 2], seed: 3) + 10) }
        #expect(layer.bias.scalars == bias && layer.logScale.scalars == logScale)
    }

    @Test func perFeatureOnVectors() {
        let x = randn([64, 5], seed: 4) * 4 - 2
        let layer = ActNorm(channels: 5)
        let (y, logDet) = withoutGrad { layer.forward(x) }
        let (mean, std) = channelStatistics(y)
        #expect(mean.allSatisfy { Swift.abs($0) < 1e-5 } && std.allSatisfy { Swift.abs($0 - 1) < 1e-4 })
        #expect(logDet.shape == [64])
    }

    /// The initialised state is a buffer: copied with the parameters (as saving
    /// and loading do), it stops the copy from initialising itself again.
    @Test func initialisedStateSurvivesARoundTripThroughBuffers() {
        let trained = ActNorm(channels: 3)
        let x = randn([6, 3, 2, 2], seed: 5) * 2 + 1
        _ = withoutGrad { trained.forward(x) }

        let loaded = ActNorm(channels: 3)
        #expect(loaded.buffers.count == 1 && loaded.buffers[0].scalars == [0])
        for (dst, src) in zip(loaded.parameters, trained.parameters) { dst.assign(src.detached()) }
        for (dst, src) in zip(loaded.buffers, trained.buffers) { dst.assign(src) }
        #expect(loaded.isInitialized)

        // A batch with other statistics: the loaded layer must act like the trained one.
        let other = randn([6, 3, 2, 2], seed: 6) * 7 - 4
        let a = withoutGrad { trained.forward(other) }, b = withoutGrad { loaded.forward(other) }
        #expect(a.y.scalars == b.y.scalars && a.logDet.scalars == b.logDet.scalars)

        // Without the buffer, the same parameters are overwritten by a fresh initialisation.
        let forgetful = ActNorm(channels: 3)
        for (dst, src) in zip(forgetful.parameters, trained.parameters) { dst.assign(src.detached()) }
        let c = withoutGrad { forgetful.forward(other) }
        #expect(c.y.scalars != a.y.scalars)
    }

    @Test func glowExposesEveryActNormBuffer() {
        var rng = RandomGenerator(seed: 7)
        let glow = Glow(imageShape: [1, 8, 8], levels: 2, steps: 3, hidden: 4, using: &rng)
        // Per step: ActNorm's flag, then the LU convolution's permutation and sign.
        #expect(glow.buffers.count == 2 * 3 * 3)
        glow.initialize(from: randn([4, 1, 8, 8], seed: 8))
        let flags = glow.levels.flatMap { $0.map { $0.actNorm.initialized.item } }
        #expect(flags == [Float](repeating: 1, count: 6))
    }

    /// Through the library's state file: a fresh Glow that loads an initialised
    /// one's state computes the same densities, and a batch with other
    /// statistics does not re-initialise its ActNorms.
    @Test func glowStateFileCarriesTheInitialisation() throws {
        var rng = RandomGenerator(seed: 9)
        let trained = Glow(imageShape: [1, 8, 8], levels: 2, steps: 2, hidden: 4, using: &rng)
        trained.initialize(from: randn([16, 1, 8, 8], seed: 10) * 0.3)
        perturbParameters(trained, seed: 11, scale: 0.02)

        var other = RandomGenerator(seed: 12)
        let loaded = Glow(imageShape: [1, 8, 8], levels: 2, steps: 2, hidden: 4, using: &other)
        try loaded.restoreState(from: trained.stateBytes())
        #expect(loaded.levels.allSatisfy { $0.allSatisfy { $0.actNorm.isInitialized } })

        let x = randn([5, 1, 8, 8], seed: 13) * 3 + 1
        let a = withoutGrad { trained.forward(x) }, b = withoutGrad { loaded.forward(x) }
        #expect(a.y.scalars == b.y.scalars && a.logDet.scalars == b.logDet.scalars)
    }
}
