#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A learning rate as a function of the step number (0 for the first step).
public struct LearningRateSchedule: Sendable {
    public let rate: @Sendable (Int) -> Float
    public init(_ rate: @escaping @Sendable (Int) -> Float) { self.rate = rate }

    public static func constant(_ lr: Float) -> LearningRateSchedule { .init { _ in lr } }

    /// Rises linearly from `lr / warmupSteps` to `lr` over the first `warmupSteps` steps, then stays.
    public static func warmup(_ lr: Float, steps warmupSteps: Int) -> LearningRateSchedule {
        .init { step in warmupSteps <= 0 ? lr : lr * Float(Swift.min(step + 1, warmupSteps)) / Float(warmupSteps) }
    }

    /// Linear warm-up, then cosine decay to `minimum` at `totalSteps`.
    public static func warmupCosine(_ lr: Float, warmup: Int, totalSteps: Int, minimum: Float = 0) -> LearningRateSchedule {
        .init { step in
            if step < warmup { return lr * Float(step + 1) / Float(warmup) }
            let t = Float(Swift.min(step - warmup, Swift.max(totalSteps - warmup, 1))) / Float(Swift.max(totalSteps - warmup, 1))
            return minimum + (lr - minimum) * 0.5 * (1 + cosf(Float.pi * t))
        }
    }
}

/// Updates parameters from their gradients.
public protocol Optimizer: AnyObject {
    var parameters: [Tensor] { get }
    /// Steps taken so far.
    var step: Int { get }
    /// Applies one update from the current gradients (parameters without a gradient are left alone).
    func update()
}

extension Optimizer {
    /// Clears every parameter's gradient.
    public func zeroGrad() { for p in parameters { p.zeroGrad() } }
}

/// Scales all gradients together so that their joint L2 norm is at most
/// `maxNorm`; returns the norm before clipping (infinite or NaN if a gradient is).
@discardableResult
public func clipGradientNorm(_ parameters: [Tensor], maxNorm: Float) -> Float {
    var total: Double = 0
    for p in parameters {
        guard let g = p.grad else { continue }
        g.withUnsafeBufferPointer { b in for v in b { total += Double(v) * Double(v) } }
    }
    let norm = Float(total.squareRoot())
    if norm > maxNorm && norm.isFinite {
        let scale = maxNorm / (norm + 1e-6)
        for p in parameters {
            guard let node = p.node, node.grad != nil else { continue }
            node.withGradBuffer { d, _ in for i in 0..<p.count { d[i] *= scale } }
        }
    }
    return norm
}

extension Tensor {
    /// Writes new values into a parameter's memory, in place (every copy sees them).
    /// For initialisation (ActNorm) and loading; `values` must have the same shape.
    public func assign(_ values: Tensor) {
        precondition(values.shape == shape, "assign: values of shape \(values.shape) for a parameter of shape \(shape)")
        base.update(from: values.base, count: count)
    }
}
