import Testing
@testable import Tensors

/// Convolution by its definition: seven nested loops, in double precision.
func naiveConv2d(_ x: Tensor, _ w: Tensor, _ b: Tensor?, padding p: Int) -> Tensor {
    let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (o, kh, kw) = (w.shape[0], w.shape[2], w.shape[3])
    let ho = h + 2 * p - kh + 1, wo = wd + 2 * p - kw + 1
    var out = [Float](repeating: 0, count: n * o * ho * wo)
    let xv = x.scalars, wv = w.scalars, bv = b?.scalars
    for img in 0..<n { for oc in 0..<o { for oy in 0..<ho { for ox in 0..<wo {
        var s = Double(bv?[oc] ?? 0)
        for ic in 0..<c { for i in 0..<kh { for j in 0..<kw {
            let iy = oy + i - p, ix = ox + j - p
            if iy < 0 || iy >= h || ix < 0 || ix >= wd { continue }
            s += Double(xv[((img * c + ic) * h + iy) * wd + ix]) * Double(wv[((oc * c + ic) * kh + i) * kw + j])
        } } }
        out[((img * o + oc) * ho + oy) * wo + ox] = Float(s)
    } } } }
    return Tensor(shape: [n, o, ho, wo], scalars: out)
}

@Suite struct ConvTests {
    @Test(arguments: [(2, 3, 5, 4, 3, 1), (1, 1, 4, 4, 1, 0), (3, 2, 6, 5, 3, 0), (2, 4, 4, 4, 3, 2), (2, 6, 4, 2, 3, 1), (3, 5, 2, 3, 3, 1), (1, 2, 9, 3, 3, 1), (2, 3, 8, 2, 5, 1)] as [(Int, Int, Int, Int, Int, Int)])
    func matchesDefinition(_ g: (Int, Int, Int, Int, Int, Int)) {
        let (n, c, h, o, k, p) = g
        let x = randn([n, c, h, h + 1], seed: 1), w = randn([o, c, k, k], seed: 2), b = randn([o], seed: 3)
        expectClose(conv2d(x, w, b, padding: p), naiveConv2d(x, w, b, padding: p), tolerance: 1e-4)
        expectClose(conv2d(x, w, nil, padding: p), naiveConv2d(x, w, nil, padding: p), tolerance: 1e-4)
    }

    @Test func gradients() {
        let x = randn([2, 3, 4, 5], seed: 4), w = randn([2, 3, 3, 3], seed: 5), b = randn([2], seed: 6)
        checkGradients([x, w, b]) { conv2d($0[0], $0[1], $0[2], padding: 1) }
        checkGradients([x, w]) { conv2d($0[0], $0[1], nil, padding: 0) }
        checkGradients([x, randn([4, 3, 1, 1], seed: 7)]) { conv2d($0[0], $0[1]) }
        // Images of more than 64 pixels (unfolded without the tap table).
        checkGradients([randn([1, 2, 8, 9], seed: 16), randn([3, 2, 3, 3], seed: 17)]) { conv2d($0[0], $0[1], nil, padding: 1) }
        // Fewer outputs than inputs (the output-side path), and a fused ReLU.
        let wide = randn([2, 6, 3, 4], seed: 8)
        checkGradients([wide, randn([2, 6, 3, 3], seed: 9), b]) { conv2d($0[0], $0[1], $0[2], padding: 1) }
        checkGradients([wide, randn([3, 6, 3, 3], seed: 10), randn([3], seed: 11)]) {
            conv2d($0[0], $0[1], $0[2], padding: 1, activation: .relu)
        }
    }

    @Test func fusedActivationMatchesSeparateOne() {
        let x = randn([2, 3, 4, 4], seed: 12), w = randn([5, 3, 3, 3], seed: 13), b = randn([5], seed: 14)
        expectClose(conv2d(x, w, b, padding: 1, activation: .relu), conv2d(x, w, b, padding: 1).relu(), tolerance: 0)
        let few = randn([2, 5, 3, 3], seed: 15)
        expectClose(conv2d(x.padded([(0, 0), (0, 2)]), few, nil, padding: 1, activation: .tanh),
                    naiveConv2d(x.padded([(0, 0), (0, 2)]), few, nil, padding: 1).tanh(), tolerance: 1e-4)
    }

    @Test func zeroConvStartsAtZeroAndLearnsItsScale() {
        let layer = ZeroConv2d(3, 4)
        let x = randn([2, 3, 4, 4], seed: 8)
        #expect(layer(x).scalars.allSatisfy { $0 == 0 })
        #expect(layer.parameters.count == 3)
        // With non-zero weights the output scale is exp(3 * logScale).
        layer.weight.assign(randn(layer.weight.shape, seed: 9))
        let before = layer(x)
        layer.logScale.assign(Tensor(repeating: 0.1, shape: [4]))
        expectClose(layer(x), before * Float(Foundation.exp(0.3)), tolerance: 1e-5)
    }
}

import Foundation
