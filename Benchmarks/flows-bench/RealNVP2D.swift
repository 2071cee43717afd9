import Foundation
import Tensors

/// `make_moons` as scikit-learn defines it: two interleaved half circles,
/// shuffled, with Gaussian noise of the given standard deviation.
func makeMoons(_ n: Int, noise: Float, using rng: inout RandomGenerator) -> Tensor {
    let nOut = n / 2, nIn = n - nOut
    var points: [Float] = []
    points.reserveCapacity(2 * n)
    for i in 0..<nOut {
        let t = Double.pi * Double(i) / Double(Swift.max(nOut - 1, 1))
        points += [Float(cos(t)), Float(sin(t))]
    }
    for i in 0..<nIn {
        let t = Double.pi * Double(i) / Double(Swift.max(nIn - 1, 1))
        points += [Float(1 - cos(t)), Float(1 - sin(t) - 0.5)]
    }
    let order = rng.permutation(n)
    var shuffled = [Float](repeating: 0, count: 2 * n)
    for (dst, src) in order.enumerated() {
        shuffled[2 * dst] = points[2 * src] + noise * rng.nextNormal()
        shuffled[2 * dst + 1] = points[2 * src + 1] + noise * rng.nextNormal()
    }
    return Tensor(shape: [n, 2], scalars: shuffled)
}

/// The affine coupling layer of the realnvp-2d workload, built by hand from the
/// engine's operations: `y = x*m + (1-m)*(x*exp(s) + t)`, log-det `sum(s)`.
final class BenchCoupling: Module {
    let mask: Tensor, inverseMask: Tensor
    let s: MLP, t: MLP

    init(mask: [Float], hidden: Int, using rng: inout RandomGenerator) {
        self.mask = Tensor(mask)
        inverseMask = Tensor(mask.map { 1 - $0 })
        s = MLP([2, hidden, hidden, 2], hidden: .relu, output: .tanh, using: &rng)
        t = MLP([2, hidden, hidden, 2], hidden: .relu, output: .identity, using: &rng)
    }

    var parameters: [Tensor] { s.parameters + t.parameters }

    func callAsFunction(_ x: Tensor) -> (Tensor, Tensor) {
        let xm = x * mask
        let sv = s(xm) * inverseMask
        let tv = t(xm) * inverseMask
        let y = xm + inverseMask * (x * sv.exp() + tv)
        return (y, sv.sum(axis: 1))
    }
}

/// The negative log-likelihood of each point, `[n, 2] -> [n]`.
func pointNegativeLogLikelihood(_ layers: [BenchCoupling], _ x0: Tensor) -> Tensor {
    var x = x0
    var logDet: Tensor? = nil
    for l in layers {
        let (y, d) = l(x)
        x = y
        logDet = logDet.map { $0 + d } ?? d
    }
    let logPz = (x.square().sum(axis: 1) * -0.5) - Float(log(2 * Double.pi))
    return -(logPz + logDet!)
}

func negativeLogLikelihood(_ layers: [BenchCoupling], _ x: Tensor) -> Tensor {
    pointNegativeLogLikelihood(layers, x).mean()
}

func runRealNVP2D(steps: Int, seed: UInt64, shards: Int) {
    var rng = RandomGenerator(seed: seed)
    let train = makeMoons(20_000, noise: 0.05, using: &rng)
    let test = makeMoons(5_000, noise: 0.05, using: &rng)
    let layers = (0..<8).map { BenchCoupling(mask: $0 % 2 == 0 ? [1, 0] : [0, 1], hidden: 64, using: &rng) }
    let opt = Adam(layers.flatMap { $0.parameters }, learningRate: 1e-3)

    func step(_ batch: Tensor) {
        opt.zeroGrad()
        if shards > 1 {
            _ = Tensor.meanLossBackward(batch, shards: shards) { pointNegativeLogLikelihood(layers, $0) }
        } else {
            negativeLogLikelihood(layers, batch).backward()
        }
        opt.update()
    }
    step(train.slice(axis: 0, 0..<256))  // warm-up step, as the peers do
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<steps {
        step(train.gather(rng.choice(20_000, count: 256)))
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let nll = withoutGrad { negativeLogLikelihood(layers, test).item }
    print("realnvp-2d steps_per_s=\(String(format: "%.1f", Double(steps) / seconds)) test_nll=\(String(format: "%.4f", nll)) steps=\(steps) shards=\(shards) threads=\(ThreadPool.shared.threadCount)")
}
