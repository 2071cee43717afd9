import Testing
@testable import Tensors

@Suite struct DataParallelTests {
    /// A sharded step gives the gradient of the whole batch's mean loss.
    @Test(arguments: [1, 2, 3, 7])
    func shardedGradientEqualsWholeBatchGradient(_ shards: Int) {
        var rng = RandomGenerator(seed: 4)
        let net = MLP([3, 32, 32, 1], hidden: .relu, output: .tanh, using: &rng)
        let x = Tensor.normal([50, 3], using: &rng)
        let target = Tensor.normal([50, 1], using: &rng)
        func perSample(_ xb: Tensor, _ tb: Tensor) -> Tensor { (net(xb) - tb).square().sum(axis: 1) }

        net.zeroGrad()
        let whole = perSample(x, target).mean()
        whole.backward()
        let reference = net.parameters.map { $0.grad! }

        net.zeroGrad()
        let joined = concat([x, target], axis: 1)
        let loss = Tensor.meanLossBackward(joined, shards: shards) { piece in
            perSample(piece.slice(axis: 1, 0..<3), piece.slice(axis: 1, 3..<4))
        }
        #expect(Swift.abs(loss - whole.item) < 1e-5)
        for (p, r) in zip(net.parameters, reference) { expectClose(p.grad!, r, tolerance: 1e-5) }
    }

    /// Training with sharded steps, products large enough to be cut in
    /// chunks, and Adam spread over the pool gives the same bytes when every
    /// parallel section runs on one thread (what one core, or the pool's
    /// serial pacing on a busy machine, does).
    @Test func parallelAndSerialSectionsGiveTheSameBytes() {
        func train() -> [[Float]] {
            var rng = RandomGenerator(seed: 11)
            let net = MLP([3, 180, 180, 1], hidden: .relu, output: .identity, using: &rng)   // 33,481 weights: Adam goes parallel
            let opt = Adam(net.parameters, learningRate: 1e-2)
            let data = concat([Tensor.normal([256, 3], using: &rng), Tensor.normal([256, 1], using: &rng)], axis: 1)
            for _ in 0..<5 {
                opt.zeroGrad()
                _ = Tensor.meanLossBackward(data, shards: 3) { piece in
                    (net(piece.slice(axis: 1, 0..<3)) - piece.slice(axis: 1, 3..<4)).square().sum(axis: 1)
                }
                opt.update()
            }
            let full = net(data.slice(axis: 1, 0..<3))   // products cut in two chunks
            return net.parameters.map(\.scalars) + [full.scalars]
        }
        let parallel = train()
        let serial = ThreadPool.shared.withSerialSections { train() }
        #expect(parallel == serial)
    }

    @Test func gradientsAddToExistingOnes() {
        let w = Tensor([2]).requiringGrad()
        (w * 3).sum().backward()
        let batch = Tensor(shape: [4, 1], scalars: [1, 2, 3, 4])
        _ = Tensor.meanLossBackward(batch, shards: 2) { ($0 * w).sum(axis: 1) }
        #expect(w.grad!.item == 3 + 2.5)
    }
}
