import Testing
@testable import Tensors

/// `[n, c, h, w] -> [n*h*w, c]`, by index arithmetic.
func toPixelMajor(_ x: Tensor) -> Tensor {
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let v = x.scalars
    var out = [Float](repeating: 0, count: v.count)
    for img in 0..<n { for ch in 0..<c { for p in 0..<(h * w) { out[(img * h * w + p) * c + ch] = v[(img * c + ch) * h * w + p] } } }
    return Tensor(shape: [n * h * w, c], scalars: out)
}

@Suite struct PixelMajorConvTests {
    @Test(arguments: [(2, 3, 4, 5, 3), (1, 6, 2, 2, 3), (3, 2, 4, 4, 1), (2, 4, 5, 3, 5)] as [(Int, Int, Int, Int, Int)])
    func matchDefinition(_ g: (Int, Int, Int, Int, Int)) {
        let (n, c, h, o, k) = g
        let x = randn([n, c, h, h + 1], seed: 1), w = randn([o, c, k, k], seed: 2), b = randn([o], seed: 3)
        let reference = naiveConv2d(x, w, b, padding: k / 2)
        expectClose(conv2dToPixelMajor(x, w, b), toPixelMajor(reference), tolerance: 1e-4)
        expectClose(conv2dToPixelMajor(x, w, b, activation: .relu), toPixelMajor(reference).relu(), tolerance: 1e-4)
        expectClose(conv2dFromPixelMajor(toPixelMajor(x), imageShape: [n, h, h + 1], w, b), reference, tolerance: 1e-4)
        expectClose(conv2dFromPixelMajor(toPixelMajor(x), imageShape: [n, h, h + 1], w, nil), naiveConv2d(x, w, nil, padding: k / 2), tolerance: 1e-4)
    }

    @Test func gradients() {
        let x = randn([2, 3, 3, 4], seed: 4), w = randn([5, 3, 3, 3], seed: 5), b = randn([5], seed: 6)
        checkGradients([x, w, b]) { conv2dToPixelMajor($0[0], $0[1], $0[2], activation: .tanh) }
        checkGradients([x, w]) { conv2dToPixelMajor($0[0], $0[1]) }
        let rows = randn([24, 5], seed: 7), w2 = randn([2, 5, 3, 3], seed: 8), b2 = randn([2], seed: 9)
        checkGradients([rows, w2, b2]) { conv2dFromPixelMajor($0[0], imageShape: [2, 3, 4], $0[1], $0[2]) }
    }
}
