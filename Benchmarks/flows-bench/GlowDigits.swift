import Foundation
import Flows

/// The glow-digits workload (Benchmarks/README.md, WORKLOADS.md): multi-scale
/// Glow (L=2, K=8, hidden 64) on scikit-learn's 8x8 digits, built from the flow
/// library's own layers. Prints training steps per second over `steps` steps
/// and the test bits per dimension with the discretisation correction for 17 levels.
func runGlowDigits(steps: Int, seed: UInt64, shards: Int, levels: Int = 2, depth: Int = 8, hidden: Int = 64) {
    let (train, test) = Digits.load().split()
    var rng = RandomGenerator(seed: seed)
    let glow = Glow(imageShape: [1, 8, 8], levels: levels, steps: depth, hidden: hidden, using: &rng)
    let flow = glow.flow()
    let levelsCount = Digits.levels
    func prepare(_ images: Tensor) -> Tensor {
        uniformDequantize(images, levels: levelsCount, offset: -0.5, using: &rng)
    }

    // ActNorm's data-dependent initialisation on a first batch of 256.
    glow.initialize(from: prepare(train.images.slice(axis: 0, 0..<256)))
    let opt = Adam(flow.parameters, learningRate: 1e-3)
    let batchSize = 64

    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<steps {
        let batch = prepare(train.images.gather(rng.choice(train.count, count: batchSize)))
        opt.zeroGrad()
        if shards > 1 {
            _ = Tensor.meanLossBackward(batch, shards: shards) { -flow.logProb($0) }
        } else {
            flow.negativeLogLikelihood(batch).backward()
        }
        clipGradientNorm(flow.parameters, maxNorm: 50)
        opt.update()
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9

    let logP = withoutGrad { flow.logProb(prepare(test.images)) }
    let nll = -logP.scalars.reduce(0, +) / Float(logP.count)
    let bpd = Metrics.bitsPerDimension(nll: nll, dimensions: 64, levels: levelsCount)
    print("glow-digits steps_per_s=\(String(format: "%.2f", Double(steps) / seconds)) test_bpd=\(String(format: "%.3f", bpd)) steps=\(steps) shards=\(shards) threads=\(ThreadPool.shared.threadCount) params=\(flow.parameterCount)")
}
