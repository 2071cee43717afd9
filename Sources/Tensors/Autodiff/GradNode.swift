/// One node of the reverse-mode graph: a parameter (leaf) or the result of an operation.
///
/// An operation's node keeps its parents and a closure that, given the gradient
/// of the loss with respect to the operation's output, adds the gradients with
/// respect to its inputs into the parents (`accumulate`). The graph is freed by
/// `backward()` unless it is asked to keep it.
@usableFromInline final class GradNode {
    /// True for parameters: their gradient is kept after `backward()`.
    @usableFromInline let isLeaf: Bool
    /// The nodes of the operation's inputs, in order; nil for constant inputs.
    var parents: [GradNode?]
    /// Given the gradient of the output, adds the inputs' gradients into `parents`.
    var backwardFn: ((Tensor, [GradNode?]) -> Void)?
    /// The operation's name, for error messages.
    let op: StaticString
    /// The accumulated gradient, with the shape of the node's tensor.
    var grad: Tensor?
    let shape: Shape
    var visitMark: UInt32 = 0

    init(leafOfShape shape: Shape) {
        isLeaf = true; parents = []; backwardFn = nil; op = "parameter"; self.shape = shape
    }

    init(op: StaticString, shape: Shape, parents: [GradNode?], backward: @escaping (Tensor, [GradNode?]) -> Void) {
        isLeaf = false; self.op = op; self.shape = shape; self.parents = parents; backwardFn = backward
    }

    /// Adds `g` (which must have this node's shape) to the gradient.
    func accumulate(_ g: Tensor) {
        precondition(g.shape == shape, "autodiff: gradient of shape \(g.shape) for a \(op) output of shape \(shape)")
        if isLeaf, GradientSink.current != nil {
            withGradBuffer { addInto($0, g.base, shape.elementCount, accumulate: $1) }
            return
        }
        if grad == nil {
            grad = g.detached()
            return
        }
        withGradBuffer { addInto($0, g.base, shape.elementCount, accumulate: $1) }
    }

    /// Gives a kernel direct access to the gradient's memory, so that it can
    /// write its contribution without a temporary: `accumulate` is false when the
    /// memory is fresh (write, do not add) and true when it holds earlier
    /// contributions (add to them).
    func withGradBuffer(_ body: (UnsafeMutablePointer<Float>, _ accumulate: Bool) -> Void) {
        if isLeaf, let sink = GradientSink.current {
            sink.withBuffer(for: self, body)
            return
        }
        if grad == nil {
            let s = TensorStorage(uninitializedCount: shape.elementCount)
            body(s.base, false)
            grad = Tensor(storage: s, shape: shape)
        } else {
            if !isKnownUniquelyReferenced(&grad!.storage) {
                grad!.storage = TensorStorage(copying: grad!.storage)
            }
            body(grad!.storage.base, true)
        }
    }
}

/// Whether operations record themselves for `backward()` on this thread.
public enum GradMode {
    private static let key: pthread_key_t = {
        var k = pthread_key_t()
        pthread_key_create(&k, nil)
        return k
    }()

    /// True unless inside `withoutGrad`.
    public static var isEnabled: Bool {
        pthread_getspecific(key) == nil
    }

    static func set(enabled: Bool) {
        pthread_setspecific(key, enabled ? nil : UnsafeRawPointer(bitPattern: 1))
    }
}

/// Runs `body` without recording operations for autodiff: for evaluation and
/// sampling, where no gradient is wanted. Nests; restores the previous mode.
public func withoutGrad<R>(_ body: () throws -> R) rethrows -> R {
    let was = GradMode.isEnabled
    GradMode.set(enabled: false)
    defer { GradMode.set(enabled: was) }
    return try body()
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
