import Testing
import Foundation
@testable import Tensors

/// Misuse stops the program with a message that names the operation and the
/// shapes involved. Each case runs in a child process (an exit test).
@Suite struct ErrorMessageTests {
    func stderrText(_ result: ExitTest.Result?) -> String {
        String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    }

    @Test func broadcastMismatchNamesOpAndShapes() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 3]) + Tensor.zeros([4])
        }
        let text = stderrText(result)
        #expect(text.contains("add: shapes [2, 3] and [4] do not broadcast"), "\(text)")
    }

    @Test func matmulMismatchNamesBothShapes() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 3]).matmul(Tensor.zeros([4, 5]))
        }
        #expect(stderrText(result).contains("matmul: inner dimensions differ: [2, 3] x [4, 5]"))
    }

    @Test func linearMismatch() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var rng = RandomGenerator(seed: 0)
            let layer = Linear(3, 2, using: &rng)
            _ = layer(Tensor.zeros([5, 4]))
        }
        #expect(stderrText(result).contains("linear: input [5, 4] does not match weight [3, 2]"))
    }

    @Test func backwardNeedsAScalar() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            Tensor.zeros([2]).requiringGrad().exp().backward()
        }
        #expect(stderrText(result).contains("backward(): the tensor must be a scalar, got shape [2]"))
    }

    @Test func reshapeCountMismatch() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 3]).reshaped(4, 2)
        }
        #expect(stderrText(result).contains("reshaped: cannot reshape [2, 3] (6 elements) to [4, 2]"))
    }
}
