/// Stochastic gradient descent with optional (Nesterov) momentum and weight decay.
public final class SGD: Optimizer {
    public let parameters: [Tensor]
    public var schedule: LearningRateSchedule
    public let momentum: Float, nesterov: Bool, weightDecay: Float
    public private(set) var step = 0
    private var velocity: [TensorStorage]

    public convenience init(_ parameters: [Tensor], learningRate: Float, momentum: Float = 0, nesterov: Bool = false, weightDecay: Float = 0) {
        self.init(parameters, schedule: .constant(learningRate), momentum: momentum, nesterov: nesterov, weightDecay: weightDecay)
    }

    public init(_ parameters: [Tensor], schedule: LearningRateSchedule, momentum: Float = 0, nesterov: Bool = false, weightDecay: Float = 0) {
        for p in parameters { precondition(p.isParameter, "SGD: a tensor of shape \(p.shape) is not a parameter (use requiringGrad())") }
        self.parameters = parameters
        self.schedule = schedule
        self.momentum = momentum; self.nesterov = nesterov; self.weightDecay = weightDecay
        velocity = parameters.map { TensorStorage(count: $0.count, repeating: 0) }
    }

    public func update() {
        let lr = schedule.rate(step)
        step += 1
        for (k, p) in parameters.enumerated() {
            guard let g = p.grad else { continue }
            let w = p.base, gp = g.base, vp = velocity[k].base
            for i in 0..<p.count {
                var d = gp[i] + weightDecay * w[i]
                if momentum != 0 {
                    vp[i] = momentum * vp[i] + d
                    d = nesterov ? d + momentum * vp[i] : vp[i]
                }
                w[i] -= lr * d
            }
        }
    }
}
