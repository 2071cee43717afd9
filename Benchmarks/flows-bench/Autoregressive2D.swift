import Foundation
import Flows

/// The maf-2d and nsf-2d workloads (see Benchmarks/README.md): five masked
/// autoregressive layers on 2-D moons, MADE hidden layers 64-64, orders
/// alternating natural/reversed, standard normal base, Adam 1e-3, batches of
/// 256 drawn with replacement from 20,000 moons; test NLL on 5,000 fresh
/// moons. `maf` uses the affine transform, `nsf` the rational-quadratic
/// spline with 8 bins on [-5, 5] (zuko's defaults).
func runAutoregressive2D(_ kind: String, steps: Int, seed: UInt64, shards: Int) {
    var rng = RandomGenerator(seed: seed)
    let train = Toy2D.moons(20_000, noise: 0.05, using: &rng)
    let test = Toy2D.moons(5_000, noise: 0.05, using: &rng)
    let transform: MaskedAutoregressive.Transform = kind == "nsf" ? .spline(SplineShape(bins: 8, bound: 5)) : .affine
    let flow = Flow(base: StandardNormal(dimension: 2)) {
        for i in 0..<5 {
            MaskedAutoregressive(dimension: 2, hidden: 64, order: i % 2 == 0 ? .natural : .reversed,
                                 transform: transform, using: &rng)
        }
    }
    let seconds = timeTraining(flow, on: train, steps: steps, shards: shards, using: &rng)
    let nll = flow.evaluateNLL(test)
    print("\(kind)-2d steps_per_s=\(String(format: "%.1f", Double(steps) / seconds)) test_nll=\(String(format: "%.4f", nll)) steps=\(steps) shards=\(shards) threads=\(ThreadPool.shared.threadCount)")
}

/// ar-cost: what a density evaluation and a batch of samples cost with a MAF
/// and with an IAF of the same size (one layer, D coordinates, MADE 128-128,
/// batches of 1,000), for D = 2, 8, 32: one MADE pass against D passes.
/// Medians of 7 timings, in milliseconds, without gradients.
func runAutoregressiveCost(seed: UInt64) {
    var rng = RandomGenerator(seed: seed)
    func median(_ body: () -> Void) -> Double {
        body()   // warm-up
        var times: [Double] = []
        for _ in 0..<7 {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        return times.sorted()[3]
    }
    for d in [2, 8, 32] {
        for direction in [MaskedAutoregressive.Direction.maf, .iaf] {
            let flow = Flow(base: StandardNormal(dimension: d)) {
                MaskedAutoregressive(dimension: d, hidden: 128, direction: direction, using: &rng)
            }
            let x = Tensor.normal([1000, d], using: &rng)
            var local = rng
            let density = median { _ = withoutGrad { flow.logProb(x) } }
            let sampling = median { _ = withoutGrad { flow.sample(1000, using: &local) } }
            print("ar-cost \(direction == .maf ? "MAF" : "IAF") D=\(d) density_ms=\(String(format: "%.2f", density)) sample_ms=\(String(format: "%.2f", sampling))")
        }
    }
}
