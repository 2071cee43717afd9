import Foundation
import Tensors
import CKernels
import CBLAS

/// Median time of `body` over `repeats` runs of `inner` iterations, in seconds per iteration.
func medianTime(repeats: Int = 7, inner: Int, _ body: () -> Void) -> Double {
    var times: [Double] = []
    for _ in 0..<repeats {
        let t0 = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<inner { body() }
        times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9 / Double(inner))
    }
    return times.sorted()[repeats / 2]
}

func runMicro() {
    var rng = RandomGenerator(seed: 1)
    let tiny = Tensor.normal([4], using: &rng)
    let tinyParam = tiny.requiringGrad()
    let constOp = medianTime(inner: 100_000) { _ = tiny + tiny }
    let gradOp = medianTime(inner: 100_000) { _ = tinyParam + tiny }
    let fb = medianTime(inner: 20_000) {
        let l = (tinyParam * tiny).sum()
        l.backward()
    }
    print(String(format: "micro op_overhead_ns=%.0f recorded_op_ns=%.0f tiny_forward_backward_ns=%.0f", constOp * 1e9, gradOp * 1e9, fb * 1e9))

    for (m, n, k) in [(256, 64, 64), (256, 64, 2), (1024, 1024, 1024)] {
        let a = Tensor.normal([m, k], using: &rng), b = Tensor.normal([k, n], using: &rng)
        let inner = Swift.max(1, 200_000_000 / (m * n * k))
        let t = medianTime(inner: inner) { _ = a.matmul(b) }
        print(String(format: "micro sgemm %dx%dx%d gflops=%.1f us=%.1f", m, n, k, 2.0 * Double(m * n * k) / t / 1e9, t * 1e6))
    }
    let x = Tensor.normal([256, 64], using: &rng)
    let relu = medianTime(inner: 20_000) { _ = x.relu() }
    print(String(format: "micro relu_256x64_us=%.2f", relu * 1e6))
    runGemmMicro()
    runPoolMicro()
}

/// The engine's small-product kernel against BLAS sgemm (one thread) at the
/// shapes of a 2-64-64-2 MLP's forward and backward passes on 128 rows, and a
/// few larger ones: medians in microseconds.
func runGemmMicro() {
    openblas_set_num_threads(1)
    var rng = RandomGenerator(seed: 2)
    let shapes: [(m: Int, n: Int, k: Int, ta: Bool, tb: Bool)] = [
        (128, 64, 2, false, false), (128, 64, 64, false, false), (128, 2, 64, false, false),
        (128, 2, 64, false, true), (128, 64, 64, false, true), (128, 64, 2, false, true),
        (2, 64, 128, true, false), (64, 64, 128, true, false), (64, 2, 128, true, false),
        (256, 64, 64, false, false), (64, 64, 256, true, false), (512, 64, 288, false, false),
        // glow-digits' pixel-major convolutions at its second level, and its 1x1 convolutions
        (36, 64, 128, false, false), (72, 64, 64, false, true), (64, 64, 72, true, false),
        (64, 64, 36, true, true), (36, 64, 64, true, true), (32, 64, 128, true, false),
        (32, 36, 128, true, true), (32, 18, 512, true, true), (256, 64, 18, true, true),
        (18, 256, 64, true, true), (4, 4, 4, false, false), (8, 8, 8, false, false),
        (8, 128, 8, false, false), (4, 512, 4, false, false), (4, 4, 512, false, true),
        // and at its first level, just above the small-product limit
        (36, 32, 512, false, false), (36, 256, 64, false, true), (32, 64, 512, true, false),
        (256, 64, 64, false, true), (256, 64, 36, true, false), (512, 576, 4, false, false),
    ]
    for s in shapes {
        let a = Tensor.normal([s.m * s.k], using: &rng).scalars, b = Tensor.normal([s.k * s.n], using: &rng).scalars
        var c = [Float](repeating: 0, count: s.m * s.n)
        let lda = s.ta ? s.m : s.k, ldb = s.tb ? s.k : s.n
        let inner = Swift.max(10, 20_000_000 / (s.m * s.n * s.k))
        let blas = medianTime(inner: inner) {
            cblas_sgemm(CblasRowMajor, s.ta ? CblasTrans : CblasNoTrans, s.tb ? CblasTrans : CblasNoTrans,
                        Int32(s.m), Int32(s.n), Int32(s.k), 1, a, Int32(lda), b, Int32(ldb), 0, &c, Int32(s.n))
        }
        var taken: Int32 = 0
        let engine = medianTime(inner: inner) {
            taken = nb_sgemm_small(Int32(s.m), Int32(s.n), Int32(s.k), a, s.ta ? 1 : lda, s.ta ? lda : 1,
                                   b, s.tb ? 1 : ldb, s.tb ? ldb : 1, &c, s.n, 1, 0)
        }
        let name = String(format: "micro gemm %dx%dx%d%@ blas_us=%.2f", s.m, s.n, s.k,
                          s.ta ? (s.tb ? " A^T B^T" : " A^T") : (s.tb ? " B^T" : ""), blas * 1e6)
        if taken == 0 {
            print(name + " engine=declines (left to BLAS)")
        } else {
            print(name + String(format: " engine_us=%.2f ratio=%.2f", engine * 1e6, blas / engine))
        }
    }
}

func runPoolMicro() {
    let pool = ThreadPool.shared
    let t = medianTime(inner: 100_000) { pool.parallelFor(2) { _ in } }
    print(String(format: "micro pool_dispatch_ns=%.0f threads=%d", t * 1e9, pool.threadCount))
}
