import Testing
import Foundation
@testable import Flows

@Suite struct SqueezeTests {
    @Test func blocksBecomeChannels() {
        // One 4x4 image with values 0..<16: channel 2dy+dx holds pixel (2i+dy, 2j+dx).
        let x = Tensor(shape: [1, 1, 4, 4], scalars: (0..<16).map(Float.init))
        let (y, logDet) = Squeeze().forward(x)
        #expect(y.shape == [1, 4, 2, 2])
        #expect(logDet.scalars == [0])
        for dy in 0..<2 { for dx in 0..<2 { for i in 0..<2 { for j in 0..<2 {
            #expect(y[0, 2 * dy + dx, i, j] == x[0, 0, 2 * i + dy, 2 * j + dx])
        } } } }
    }

    @Test func unsqueezeUndoesSqueeze() {
        let x = randn([2, 3, 4, 6], seed: 1)
        let y = Squeeze().forward(x).y
        #expect(y.shape == [2, 12, 2, 3])
        #expect(Unsqueeze().forward(y).y.scalars == x.scalars)
        #expect(Squeeze().inverse(y).x.scalars == x.scalars)
    }

    func stderrText(_ result: ExitTest.Result?) -> String {
        String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    }

    @Test func oddSizeNamesTheLayerAndShape() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Squeeze().forward(Tensor.zeros([2, 1, 5, 8]))
        }
        let text = stderrText(result)
        #expect(text.contains("Squeeze: input [2, 1, 5, 8] has an odd height or width"), "\(text)")
    }

    @Test func unsqueezeNeedsAMultipleOfFourChannels() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Unsqueeze().forward(Tensor.zeros([2, 6, 2, 2]))
        }
        #expect(stderrText(result).contains("Unsqueeze: input [2, 6, 2, 2] has 6 channels; unsqueezing needs a multiple of 4"))
    }

    @Test func glowRejectsSizesItCannotSqueeze() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var rng = RandomGenerator(seed: 0)
            _ = Glow(imageShape: [1, 6, 6], levels: 2, steps: 1, hidden: 4, using: &rng)
        }
        #expect(stderrText(result).contains("Glow: height and width of [1, 6, 6] must be divisible by 2^levels = 4"))
    }

    @Test func glowNamesAWrongInputShape() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var rng = RandomGenerator(seed: 0)
            let glow = Glow(imageShape: [1, 8, 8], levels: 2, steps: 1, hidden: 4, using: &rng)
            _ = glow.forward(Tensor.zeros([3, 64]))
        }
        #expect(stderrText(result).contains("Glow: input [3, 64] does not match the image shape [1, 8, 8]"))
    }

    @Test func conditionalCouplingNeedsItsCondition() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var rng = RandomGenerator(seed: 0)
            _ = GlowCoupling(channels: 4, hidden: 4, conditionChannels: 10, using: &rng).forward(Tensor.zeros([2, 4, 2, 2]))
        }
        #expect(stderrText(result).contains("GlowCoupling: a class-conditional layer needs a condition [batch, 10], got none"))
    }
}
