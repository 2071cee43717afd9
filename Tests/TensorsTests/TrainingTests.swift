import Testing
@testable import Tensors

@Suite struct TrainingTests {
    /// XOR is not linearly separable: a small MLP must learn it.
    @Test func mlpLearnsXor() {
        var rng = RandomGenerator(seed: 0)
        let x = Tensor([[0, 0], [0, 1], [1, 0], [1, 1]])
        let y = Tensor([[0], [1], [1], [0]])
        let net = MLP([2, 16, 1], hidden: .tanh, output: .sigmoid, using: &rng)
        let opt = Adam(net.parameters, learningRate: 0.05)
        var loss: Float = 0
        for _ in 0..<300 {
            opt.zeroGrad()
            let l = (net(x) - y).square().mean()
            l.backward()
            opt.update()
            loss = l.item
        }
        #expect(loss < 0.01, "mean squared error after 300 steps: \(loss)")
        let p = withoutGrad { net(x) }.scalars
        #expect(p[0] < 0.2 && p[1] > 0.8 && p[2] > 0.8 && p[3] < 0.2)
    }

    /// A seeded run of a small convolutional regression: the loss must fall
    /// below a stated value, with the same bytes on every run.
    @Test func convNetFitsATarget() {
        func run() -> Float {
            var rng = RandomGenerator(seed: 3)
            let x = Tensor.normal([8, 2, 4, 4], using: &rng)
            let target = conv2d(x, Tensor.normal([3, 2, 3, 3], using: &rng), padding: 1).tanh()
            let net = Sequential {
                Conv2d(2, 8, kernelSize: 3, activation: .relu, using: &rng)
                Conv2d(8, 3, kernelSize: 1, using: &rng)
                ActivationLayer.tanh
            }
            let opt = Adam(net.parameters, schedule: .warmup(0.02, steps: 10))
            var loss: Float = 0
            for _ in 0..<200 {
                opt.zeroGrad()
                let l = (net(x) - target).square().mean()
                l.backward()
                clipGradientNorm(net.parameters, maxNorm: 5)
                opt.update()
                loss = l.item
            }
            return loss
        }
        let first = run()
        #expect(first < 0.05, "loss after 200 steps: \(first)")
        #expect(run() == first)
    }
}
