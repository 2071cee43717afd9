import Foundation
import Tensors

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
    runPoolMicro()
}

func runPoolMicro() {
    let pool = ThreadPool.shared
    let t = medianTime(inner: 100_000) { pool.parallelFor(2) { _ in } }
    print(String(format: "micro pool_dispatch_ns=%.0f threads=%d", t * 1e9, pool.threadCount))
}
