/// A dense, row-major, float32 tensor of rank 0 to 4, with reverse-mode autodiff.
///
/// `Tensor` is a value type: copies share memory until one of them is written
/// (copy-on-write). A tensor that requires gradients (a *parameter*, made with
/// `requiringGrad()`) is the exception: it stands for one trainable variable, and
/// optimisers update its memory in place, so every copy sees the new value.
///
/// Operations on tensors that require gradients record themselves on the graph
/// unless they run inside `withoutGrad { ... }`; `backward()` on a scalar result
/// fills `grad` of every parameter it depends on.
public struct Tensor {
    @usableFromInline var storage: TensorStorage
    /// The extents, outermost first.
    public let shape: Shape
    /// The graph node that produced this tensor, or nil for a constant.
    @usableFromInline var node: GradNode?

    @inlinable init(storage: TensorStorage, shape: Shape, node: GradNode? = nil) {
        assert(storage.count >= shape.elementCount)
        self.storage = storage
        self.shape = shape
        self.node = node
    }

    // MARK: - Making tensors

    /// A tensor of the given shape from row-major scalars.
    public init(shape: Shape, scalars: [Float]) {
        precondition(scalars.count == shape.elementCount,
                     "Tensor(shape:scalars:): shape \(shape) needs \(shape.elementCount) scalars, got \(scalars.count)")
        let s = TensorStorage(uninitializedCount: scalars.count)
        scalars.withUnsafeBufferPointer { s.base.update(from: $0.baseAddress!, count: scalars.count) }
        self.init(storage: s, shape: shape)
    }

    /// A rank-1 tensor.
    public init(_ scalars: [Float]) { self.init(shape: [scalars.count], scalars: scalars) }

    /// A rank-2 tensor from its rows, which must have equal lengths.
    public init(_ rows: [[Float]]) {
        let cols = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == cols }, "Tensor(rows): rows have different lengths")
        self.init(shape: [rows.count, cols], scalars: rows.flatMap { $0 })
    }

    /// A rank-0 tensor holding one value.
    public init(_ value: Float) { self.init(shape: .scalar, scalars: [value]) }

    /// A tensor of the given shape with every element equal to `value`.
    public init(repeating value: Float, shape: Shape) {
        self.init(storage: TensorStorage(count: shape.elementCount, repeating: value), shape: shape)
    }

    public static func zeros(_ shape: Shape) -> Tensor { Tensor(repeating: 0, shape: shape) }
    public static func ones(_ shape: Shape) -> Tensor { Tensor(repeating: 1, shape: shape) }

    /// A tensor whose memory the caller fills through `body` (every element must be written).
    @inlinable public static func make(_ shape: Shape, _ body: (UnsafeMutablePointer<Float>) -> Void) -> Tensor {
        let s = TensorStorage(uninitializedCount: shape.elementCount)
        body(s.base)
        return Tensor(storage: s, shape: shape)
    }

    // MARK: - Reading

    public var rank: Int { shape.rank }
    /// The number of elements.
    public var count: Int { shape.elementCount }

    /// The elements in row-major order.
    public var scalars: [Float] { Array(UnsafeBufferPointer(start: storage.base, count: count)) }
    /// The elements in row-major order, as Doubles (for sums and statistics).
    public var doubles: [Double] { UnsafeBufferPointer(start: storage.base, count: count).map(Double.init) }

    /// The value of a tensor with one element.
    public var item: Float {
        precondition(count == 1, "item: the tensor has shape \(shape), not one element")
        return storage.base[0]
    }

    /// The element at a multi-index (one index per axis).
    public subscript(indices: Int...) -> Float {
        get { storage.base[flatIndex(indices)] }
        set {
            ensureUniqueStorage()
            storage.base[flatIndex(indices)] = newValue
        }
    }

    func flatIndex(_ idx: [Int]) -> Int {
        precondition(idx.count == rank, "subscript: \(idx.count) indices for a tensor of shape \(shape)")
        var flat = 0
        for (axis, i) in idx.enumerated() {
            precondition(i >= 0 && i < shape[axis], "subscript: index \(i) out of range for axis \(axis) of shape \(shape)")
            flat = flat * shape[axis] + i
        }
        return flat
    }

    /// Read access to the elements, row-major.
    @inlinable public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.base, count: count))
    }

    /// Write access to the elements. The tensor's memory is made unique first
    /// (copy-on-write), except for parameters, whose memory is shared on purpose.
    @inlinable public mutating func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        ensureUniqueStorage()
        return try body(UnsafeMutableBufferPointer(start: storage.base, count: count))
    }

    @inlinable mutating func ensureUniqueStorage() {
        if requiresGrad && node!.isLeaf { return }
        if !isKnownUniquelyReferenced(&storage) { storage = TensorStorage(copying: storage) }
    }

    /// Pointer to the first element, for kernels; valid while `self` is alive.
    @inlinable var base: UnsafeMutablePointer<Float> { storage.base }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        func fmt(_ x: Float) -> String { String(x) }
        let v = scalars
        switch rank {
        case 0: return "Tensor(\(fmt(v[0])))"
        case 1: return "Tensor([" + v.map(fmt).joined(separator: ", ") + "])"
        default:
            let cols = shape[rank - 1]
            let limit = Swift.min(v.count / Swift.max(cols, 1), 8)
            var rows: [String] = []
            for r in 0..<limit { rows.append("  " + v[r * cols ..< (r + 1) * cols].map(fmt).joined(separator: ", ")) }
            if v.count / Swift.max(cols, 1) > limit { rows.append("  ...") }
            return "Tensor(shape: \(shape),\n" + rows.joined(separator: "\n") + ")"
        }
    }
}

/// Tensors cross threads safely as values: their storage is only written
/// through a unique reference (copy-on-write), except for parameters, whose
/// in-place updates happen between steps, not during them.
extension Tensor: @unchecked Sendable {}
