import Testing
@testable import Tensors

/// The textbook triple loop, in double precision.
func naiveMatmul(_ a: Tensor, _ b: Tensor) -> Tensor {
    let m = a.shape[0], k = a.shape[1], n = b.shape[1]
    let av = a.scalars, bv = b.scalars
    var c = [Float](repeating: 0, count: m * n)
    for i in 0..<m { for j in 0..<n {
        var s = 0.0
        for p in 0..<k { s += Double(av[i * k + p]) * Double(bv[p * n + j]) }
        c[i * n + j] = Float(s)
    } }
    return Tensor(shape: [m, n], scalars: c)
}

@Suite struct MatmulTests {
    @Test(arguments: [(1, 1, 1), (3, 5, 2), (256, 64, 64), (257, 63, 65), (64, 64, 256), (7, 300, 9)] as [(Int, Int, Int)])
    func matchesNaiveLoops(_ dims: (Int, Int, Int)) {
        let (m, k, n) = dims
        let a = randn([m, k], seed: 1), b = randn([k, n], seed: 2)
        expectClose(a.matmul(b), naiveMatmul(a, b), tolerance: 1e-4)
    }

    /// The engine's own small-product kernels against double-precision loops,
    /// for every transposition, overwrite and accumulate, and shapes that take
    /// each path: whole tiles, padded columns, packed (transposed) B, few
    /// columns by dot products or by the transposed product, both operands
    /// transposed (the transposed product, B read in place), k tails, and long
    /// sums into a large C (left to BLAS).
    @Test(arguments: [(128, 64, 64), (128, 2, 64), (128, 64, 2), (64, 2, 128), (2, 64, 128), (17, 33, 9),
                      (9, 7, 13), (3, 5, 7), (1, 1, 1), (5, 16, 1), (40, 3, 300), (18, 40, 72),
                      (64, 64, 200)] as [(Int, Int, Int)])
    func smallProductsMatchLoops(_ dims: (Int, Int, Int)) {
        let (m, n, k) = dims
        let a = randn([m * k], seed: 7).scalars, b = randn([k * n], seed: 8).scalars, c0 = randn([m * n], seed: 9).scalars
        for transA in [false, true] { for transB in [false, true] { for beta in [Float(0), 1] {
            let lda = transA ? m : k, ldb = transB ? k : n
            var c = c0
            a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in c.withUnsafeMutableBufferPointer { cp in
                sgemm(transA: transA, transB: transB, m: m, n: n, k: k, a: ap.baseAddress!, lda: lda,
                      b: bp.baseAddress!, ldb: ldb, beta: beta, c: cp.baseAddress!, ldc: n)
            } } }
            var worst = 0.0
            for i in 0..<m { for j in 0..<n {
                var s = beta == 1 ? Double(c0[i * n + j]) : 0
                for p in 0..<k {
                    s += Double(transA ? a[p * lda + i] : a[i * lda + p]) * Double(transB ? b[j * ldb + p] : b[p * ldb + j])
                }
                worst = Swift.max(worst, abs(Double(c[i * n + j]) - s) / (1 + abs(s)))
            } }
            #expect(worst < 2e-5, "m=\(m) n=\(n) k=\(k) transA=\(transA) transB=\(transB) beta=\(beta): relative error \(worst)")
        } } }
    }

    @Test func batchedAndSharedOperands() {
        let a = randn([3, 4, 5], seed: 3), b = randn([3, 5, 2], seed: 4), w = randn([5, 2], seed: 5)
        let c = a.matmul(b), d = a.matmul(w)
        for i in 0..<3 {
            let ai = a.slice(axis: 0, i..<(i + 1)).reshaped(4, 5)
            expectClose(c.slice(axis: 0, i..<(i + 1)).reshaped(4, 2), naiveMatmul(ai, b.slice(axis: 0, i..<(i + 1)).reshaped(5, 2)), tolerance: 1e-4)
            expectClose(d.slice(axis: 0, i..<(i + 1)).reshaped(4, 2), naiveMatmul(ai, w), tolerance: 1e-4)
        }
    }

    @Test func matmulGradients() {
        checkGradients([randn([4, 3], seed: 1), randn([3, 5], seed: 2)]) { $0[0].matmul($0[1]) }
        checkGradients([randn([2, 4, 3], seed: 1), randn([2, 3, 5], seed: 2)]) { $0[0].matmul($0[1]) }
        checkGradients([randn([2, 4, 3], seed: 1), randn([3, 5], seed: 2)]) { $0[0].matmul($0[1]) }
        // Large enough to be split across threads.
        checkGradients([randn([96, 64], seed: 1) * 0.1, randn([64, 40], seed: 2) * 0.1], tolerance: 3e-2) { $0[0].matmul($0[1]) }
    }

    @Test(arguments: [Activation.identity, .relu, .tanh, .sigmoid])
    func linearMatchesItsDefinition(_ act: Activation) {
        let x = randn([6, 3], seed: 1), w = randn([3, 4], seed: 2), b = randn([4], seed: 3)
        expectClose(linear(x, w, b, activation: act), act.apply(naiveMatmul(x, w) + b), tolerance: 1e-5)
        checkGradients([x, w, b]) { linear($0[0], $0[1], $0[2], activation: act) }
        checkGradients([x, w]) { linear($0[0], $0[1], nil, activation: act) }
    }
}
