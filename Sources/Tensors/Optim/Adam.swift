#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Adam (Kingma & Ba 2015), with optional decoupled weight decay (AdamW).
public final class Adam: Optimizer {
    public let parameters: [Tensor]
    public var schedule: LearningRateSchedule
    public let beta1: Float, beta2: Float, epsilon: Float, weightDecay: Float
    public private(set) var step = 0
    private var m: [TensorStorage]
    private var v: [TensorStorage]

    public convenience init(_ parameters: [Tensor], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8, weightDecay: Float = 0) {
        self.init(parameters, schedule: .constant(learningRate), beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay)
    }

    public init(_ parameters: [Tensor], schedule: LearningRateSchedule, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8, weightDecay: Float = 0) {
        for p in parameters { precondition(p.isParameter, "Adam: a tensor of shape \(p.shape) is not a parameter (use requiringGrad())") }
        self.parameters = parameters
        self.schedule = schedule
        self.beta1 = beta1; self.beta2 = beta2; self.epsilon = epsilon; self.weightDecay = weightDecay
        m = parameters.map { TensorStorage(count: $0.count, repeating: 0) }
        v = parameters.map { TensorStorage(count: $0.count, repeating: 0) }
    }

    /// The learning rate the next update will use.
    public var learningRate: Float { schedule.rate(step) }

    public func update() {
        let lr = schedule.rate(step)
        step += 1
        let c1 = 1 - powf(beta1, Float(step)), c2 = 1 - powf(beta2, Float(step))
        let stepSize = lr / c1
        let invC2 = 1 / c2
        let total = parameters.reduce(0) { $0 + $1.count }
        let run = { (k: Int) in
            let p = self.parameters[k]
            guard let g = p.grad else { return }
            adamStep(p.count, w: p.base, g: g.base, m: self.m[k].base, v: self.v[k].base, beta1: self.beta1, beta2: self.beta2,
                     stepSize: stepSize, invC2: invC2, epsilon: self.epsilon, decay: lr * self.weightDecay)
        }
        // Parameters are independent: spread them over the pool when there is enough work.
        if total >= 32 * 1024 { ThreadPool.shared.parallelFor(parameters.count, run) }
        else { for k in parameters.indices { run(k) } }
    }
}
