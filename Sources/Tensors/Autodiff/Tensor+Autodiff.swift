extension Tensor {
    /// True for parameters and for results of operations that depend on them.
    @inlinable public var requiresGrad: Bool { node != nil }

    /// A parameter: a leaf of the graph whose gradient `backward()` fills.
    /// The result shares this tensor's values at the moment of the call.
    public func requiringGrad() -> Tensor {
        Tensor(storage: TensorStorage(copying: storage), shape: shape, node: GradNode(leafOfShape: shape))
    }

    /// The same values, cut from the graph (a constant).
    public func detached() -> Tensor { Tensor(storage: storage, shape: shape) }

    /// The gradient accumulated by `backward()`, for parameters; nil before.
    public var grad: Tensor? {
        guard let node, node.isLeaf else { return nil }
        return node.grad
    }

    /// True for parameters (leaves of the graph).
    public var isParameter: Bool { node?.isLeaf ?? false }

    /// Forgets the accumulated gradient of a parameter.
    public func zeroGrad() { node?.grad = nil }

    /// Back-propagates from this scalar: adds d(self)/d(p) into `p.grad` for every
    /// parameter `p` this value depends on. Gradients accumulate across calls
    /// until `zeroGrad()`. The graph is freed unless `retainGraph` is true.
    public func backward(retainGraph: Bool = false) {
        precondition(count == 1, "backward(): the tensor must be a scalar, got shape \(shape)")
        guard let root = node else {
            preconditionFailure("backward(): the tensor does not depend on any parameter (call requiringGrad() on the parameters)")
        }
        backward(seed: Tensor(repeating: 1, shape: shape), retainGraph: retainGraph)
        _ = root
    }

    /// Back-propagates a given output gradient `seed` (same shape as `self`).
    public func backward(seed: Tensor, retainGraph: Bool = false) {
        guard let root = node else { return }
        precondition(seed.shape == shape, "backward(seed:): seed shape \(seed.shape) differs from \(shape)")
        let order = topologicalOrder(from: root)
        // The backward pass computes first derivatives only: nothing in it is recorded.
        let was = GradMode.isEnabled
        GradMode.set(enabled: false)
        defer { GradMode.set(enabled: was) }
        root.accumulate(seed)
        for n in order.reversed() {
            guard let fn = n.backwardFn else { continue }
            if let g = n.grad {
                n.grad = nil   // an operation's gradient is consumed; only parameters keep theirs
                fn(g, n.parents)
            }
            if !retainGraph { n.backwardFn = nil; n.parents = [] }
        }
    }
}

/// Nodes reachable from `root`, each after all of its parents.
func topologicalOrder(from root: GradNode) -> [GradNode] {
    var order: [GradNode] = []
    var visited = Set<ObjectIdentifier>()
    var stack: [(GradNode, Int)] = [(root, 0)]
    visited.insert(ObjectIdentifier(root))
    while let (n, i) = stack.popLast() {
        if i < n.parents.count {
            stack.append((n, i + 1))
            if let p = n.parents[i], visited.insert(ObjectIdentifier(p)).inserted { stack.append((p, 0)) }
        } else {
            order.append(n)
        }
    }
    return order
}

extension Tensor {
    /// Records an operation's result on the graph when any input requires
    /// gradients and recording is enabled. `backward` receives the gradient with
    /// respect to the result and adds the inputs' gradients into their nodes.
    static func record(_ op: StaticString, _ result: Tensor, inputs: [Tensor],
                                  backward: @escaping (_ grad: Tensor, _ inputs: [GradNode?]) -> Void) -> Tensor {
        var any = false
        for t in inputs where t.node != nil { any = true; break }
        guard any, GradMode.isEnabled else { return result }
        let node = GradNode(op: op, shape: result.shape, parents: inputs.map { $0.node }, backward: backward)
        return Tensor(storage: result.storage, shape: result.shape, node: node)
    }
}

extension Tensor {
    /// A custom differentiable operation, for operations the engine lacks
    /// (an implicit function, a fused kernel written elsewhere).
    ///
    /// - Parameters:
    ///   - value: the operation's result, computed without recording.
    ///   - inputs: the tensors the result depends on.
    ///   - vectorJacobianProduct: given the gradient of the loss with respect to
    ///     the result, returns the gradient with respect to each input (nil for
    ///     none), each with its input's shape.
    public static func custom(_ name: StaticString, value: Tensor, inputs: [Tensor],
                              vectorJacobianProduct: @escaping (Tensor) -> [Tensor?]) -> Tensor {
        let shapes = inputs.map(\.shape)
        return record(name, value.detached(), inputs: inputs) { g, nodes in
            let grads = vectorJacobianProduct(g)
            precondition(grads.count == nodes.count, "\(name): \(grads.count) gradients for \(nodes.count) inputs")
            for (i, node) in nodes.enumerated() {
                guard let node, let gi = grads[i] else { continue }
                precondition(gi.shape == shapes[i], "\(name): gradient of shape \(gi.shape) for input \(i) of shape \(shapes[i])")
                node.accumulate(gi)
            }
        }
    }
}
