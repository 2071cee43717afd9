import Foundation
import Flows

/// The realnvp-2d workload of the peers (see Benchmarks/README.md): eight
/// affine couplings with alternating masks, separate scale (tanh) and
/// translation MLPs 2-64-64-2, standard normal base, Adam 1e-3, batches of 256
/// drawn with replacement from 20,000 moons; test NLL on 5,000 fresh moons.
func runRealNVP2D(steps: Int, seed: UInt64, shards: Int) {
    var rng = RandomGenerator(seed: seed)
    let train = Toy2D.moons(20_000, noise: 0.05, using: &rng)
    let test = Toy2D.moons(5_000, noise: 0.05, using: &rng)
    let flow = Flow(base: StandardNormal(dimension: 2)) {
        for i in 0..<8 { AffineCoupling(mask: .alternating(2, parity: i % 2), hidden: 64, using: &rng) }
    }
    let seconds = timeTraining(flow, on: train, steps: steps, shards: shards, using: &rng)
    let nll = flow.evaluateNLL(test)
    print("realnvp-2d steps_per_s=\(String(format: "%.1f", Double(steps) / seconds)) test_nll=\(String(format: "%.4f", nll)) steps=\(steps) shards=\(shards) threads=\(ThreadPool.shared.threadCount)")
}

/// The 2-D workloads' timed loop: Adam 1e-3, one warm-up step on the first
/// 256 points (as the peers do), then `steps` batches of 256 drawn with
/// replacement, each split into `shards` pieces on the cores. Returns the
/// seconds the timed steps took.
func timeTraining(_ flow: Flow, on train: Tensor, steps: Int, shards: Int,
                  using rng: inout RandomGenerator) -> Double {
    let opt = Adam(flow.parameters, learningRate: 1e-3)
    func step(_ batch: Tensor) {
        opt.zeroGrad()
        if shards > 1 {
            _ = Tensor.meanLossBackward(batch, shards: shards) { -flow.logProb($0) }
        } else {
            flow.negativeLogLikelihood(batch).backward()
        }
        opt.update()
    }
    step(train.slice(axis: 0, 0..<256))
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<steps {
        step(train.gather(rng.choice(train.shape[0], count: 256)))
    }
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}
