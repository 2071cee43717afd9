/// The extents of a tensor, rank 0 (a scalar) to rank 4 (NCHW images).
///
/// Stored inline, so building and comparing shapes never allocates.
public struct Shape: Hashable, Sendable, RandomAccessCollection, ExpressibleByArrayLiteral, CustomStringConvertible {
    /// The largest rank a tensor may have.
    public static let maxRank = 4

    @usableFromInline var d0 = 1, d1 = 1, d2 = 1, d3 = 1
    public let rank: Int

    /// A shape from its extents, outermost first.
    @inlinable public init(_ dims: [Int]) {
        precondition(dims.count <= Shape.maxRank, "tensors have rank at most 4, got shape \(dims)")
        precondition(dims.allSatisfy { $0 >= 0 }, "shape extents must be non-negative, got \(dims)")
        rank = dims.count
        if rank > 0 { d0 = dims[0] }
        if rank > 1 { d1 = dims[1] }
        if rank > 2 { d2 = dims[2] }
        if rank > 3 { d3 = dims[3] }
    }

    @inlinable public init(arrayLiteral elements: Int...) { self.init(elements) }

    /// The shape of a scalar.
    public static let scalar = Shape([])

    public var startIndex: Int { 0 }
    public var endIndex: Int { rank }

    @inlinable public subscript(i: Int) -> Int {
        get {
            precondition(i >= 0 && i < rank, "axis \(i) is out of range for a shape of rank \(rank)")
            switch i {
            case 0: return d0
            case 1: return d1
            case 2: return d2
            default: return d3
            }
        }
        set {
            precondition(i >= 0 && i < rank, "axis \(i) is out of range for a shape of rank \(rank)")
            switch i {
            case 0: d0 = newValue
            case 1: d1 = newValue
            case 2: d2 = newValue
            default: d3 = newValue
            }
        }
    }

    /// The number of elements: the product of the extents (1 for a scalar).
    @inlinable public var elementCount: Int {
        switch rank {
        case 0: return 1
        case 1: return d0
        case 2: return d0 &* d1
        case 3: return d0 &* d1 &* d2
        default: return d0 &* d1 &* d2 &* d3
        }
    }

    /// The extents as an array, outermost first.
    public var dims: [Int] { Array(self) }

    /// Row-major strides in elements.
    public var strides: [Int] {
        var s = [Int](repeating: 1, count: rank)
        var acc = 1
        for i in stride(from: rank - 1, through: 0, by: -1) { s[i] = acc; acc *= self[i] }
        return s
    }

    /// Resolves a possibly negative axis (-1 is the last) and checks its range.
    public func axis(_ a: Int, op: String) -> Int {
        let r = a < 0 ? a + rank : a
        precondition(r >= 0 && r < rank, "\(op): axis \(a) is out of range for shape \(self)")
        return r
    }

    /// The same shape with one axis removed (or set to 1 when `keep` is true).
    public func reducing(axis: Int, keep: Bool) -> Shape {
        var d = dims
        if keep { d[axis] = 1 } else { d.remove(at: axis) }
        return Shape(d)
    }

    public var description: String { "[" + map(String.init).joined(separator: ", ") + "]" }

    public static func == (a: Shape, b: Shape) -> Bool {
        a.rank == b.rank && a.d0 == b.d0 && a.d1 == b.d1 && a.d2 == b.d2 && a.d3 == b.d3
    }

    public func hash(into h: inout Hasher) {
        h.combine(rank); h.combine(d0); h.combine(d1); h.combine(d2); h.combine(d3)
    }

    /// The NumPy broadcast of two shapes, or nil when they do not broadcast.
    public static func broadcast(_ a: Shape, _ b: Shape) -> Shape? {
        if a == b { return a }
        let r = Swift.max(a.rank, b.rank)
        var out = [Int](repeating: 1, count: r)
        for i in 0..<r {
            let x = i < r - a.rank ? 1 : a[i - (r - a.rank)]
            let y = i < r - b.rank ? 1 : b[i - (r - b.rank)]
            if x == y || y == 1 { out[i] = x } else if x == 1 { out[i] = y } else { return nil }
        }
        return Shape(out)
    }

    /// The extents padded on the left with ones to rank 4, without allocating.
    var padded4: SIMD4<Int> {
        switch rank {
        case 0: return SIMD4(1, 1, 1, 1)
        case 1: return SIMD4(1, 1, 1, d0)
        case 2: return SIMD4(1, 1, d0, d1)
        case 3: return SIMD4(1, d0, d1, d2)
        default: return SIMD4(d0, d1, d2, d3)
        }
    }

    /// This shape padded on the left with ones up to `rank`.
    func padded(to r: Int) -> [Int] {
        [Int](repeating: 1, count: r - rank) + dims
    }
}
