extension Tensor {
    /// The same elements with another shape of equal element count; one extent
    /// may be -1 and is then inferred. Shares memory with `self`.
    public func reshaped(_ dims: [Int]) -> Tensor {
        var d = dims
        if let i = d.firstIndex(of: -1) {
            let known = d.enumerated().filter { $0.offset != i }.reduce(1) { $0 * $1.element }
            precondition(known > 0 && count % known == 0, "reshaped: cannot reshape \(shape) to \(dims)")
            d[i] = count / known
        }
        let target = Shape(d)
        precondition(target.elementCount == count, "reshaped: cannot reshape \(shape) (\(count) elements) to \(target)")
        let source = shape
        let out = Tensor(storage: storage, shape: target)
        return Tensor.record("reshape", out, inputs: [self]) { g, nodes in
            nodes[0]?.accumulate(Tensor(storage: g.storage, shape: source))
        }
    }

    public func reshaped(_ dims: Int...) -> Tensor { reshaped(dims) }

    /// Collapses all axes after the first: `[n, ...] -> [n, rest]`.
    public func flattened() -> Tensor { reshaped([shape.rank == 0 ? 1 : shape[0], -1]) }

    /// The axes reordered: axis `i` of the result is axis `order[i]` of `self`.
    public func permuted(_ order: [Int]) -> Tensor {
        precondition(order.count == rank && Set(order) == Set(0..<rank),
                     "permuted: \(order) is not a permutation of the axes of \(shape)")
        if order == Array(0..<rank) { return self }
        let outShape = Shape(order.map { shape[$0] })
        let out = Tensor.make(outShape) { permuteCopy(base, shape, order, into: $0) }
        var inverse = [Int](repeating: 0, count: rank)
        for (i, o) in order.enumerated() { inverse[o] = i }
        return Tensor.record("permute", out, inputs: [self]) { g, nodes in
            nodes[0]?.accumulate(g.permuted(inverse))
        }
    }

    public func permuted(_ order: Int...) -> Tensor { permuted(order) }

    /// The matrix transpose of a rank-2 tensor, or of the last two axes.
    public var transposed: Tensor {
        precondition(rank >= 2, "transposed: needs rank 2 or more, got \(shape)")
        var order = Array(0..<rank)
        order.swapAt(rank - 1, rank - 2)
        return permuted(order)
    }

    /// Elements `range` along `axis`.
    public func slice(axis: Int, _ range: Range<Int>) -> Tensor {
        let ax = shape.axis(axis, op: "slice")
        precondition(range.lowerBound >= 0 && range.upperBound <= shape[ax],
                     "slice: range \(range) is out of bounds for axis \(ax) of shape \(shape)")
        let sp = AxisSplit(shape, ax)
        var outShape = shape
        outShape[ax] = range.count
        let width = range.count * sp.inner
        let x = self
        let out = Tensor.make(outShape) { o in
            for a in 0..<sp.outer {
                (o + a * width).update(from: x.base + (a * sp.length + range.lowerBound) * sp.inner, count: width)
            }
        }
        return Tensor.record("slice", out, inputs: [self]) { g, nodes in
            nodes[0]?.withGradBuffer { d, acc in
                if !acc { d.initialize(repeating: 0, count: x.count) }
                for a in 0..<sp.outer {
                    let dst = d + (a * sp.length + range.lowerBound) * sp.inner
                    let src = g.base + a * width
                    for i in 0..<width { dst[i] += src[i] }
                }
            }
        }
    }

    /// The rows (entries along `axis`) at `indices`, in that order; repeats allowed.
    /// Used to draw minibatches.
    public func gather(axis: Int = 0, _ indices: [Int]) -> Tensor {
        let ax = shape.axis(axis, op: "gather")
        let sp = AxisSplit(shape, ax)
        for i in indices { precondition(i >= 0 && i < sp.length, "gather: index \(i) out of range for axis \(ax) of shape \(shape)") }
        var outShape = shape
        outShape[ax] = indices.count
        let x = self
        let m = indices.count
        let out = Tensor.make(outShape) { o in
            for a in 0..<sp.outer {
                for (r, i) in indices.enumerated() {
                    (o + (a * m + r) * sp.inner).update(from: x.base + (a * sp.length + i) * sp.inner, count: sp.inner)
                }
            }
        }
        return Tensor.record("gather", out, inputs: [self]) { g, nodes in
            nodes[0]?.withGradBuffer { d, acc in
                if !acc { d.initialize(repeating: 0, count: x.count) }
                for a in 0..<sp.outer {
                    for (r, i) in indices.enumerated() {
                        let dst = d + (a * sp.length + i) * sp.inner
                        let src = g.base + (a * m + r) * sp.inner
                        for k in 0..<sp.inner { dst[k] += src[k] }
                    }
                }
            }
        }
    }

    /// Splits along `axis` into pieces of the given sizes.
    public func split(axis: Int, sizes: [Int]) -> [Tensor] {
        let ax = shape.axis(axis, op: "split")
        precondition(sizes.reduce(0, +) == shape[ax], "split: sizes \(sizes) do not add up to axis \(ax) of shape \(shape)")
        var start = 0
        return sizes.map { n in
            defer { start += n }
            return slice(axis: ax, start..<(start + n))
        }
    }

    /// Splits along `axis` into `parts` pieces of equal size.
    public func chunked(_ parts: Int, axis: Int) -> [Tensor] {
        let ax = shape.axis(axis, op: "chunked")
        precondition(parts > 0 && shape[ax] % parts == 0, "chunked: axis \(ax) of shape \(shape) does not split into \(parts) equal parts")
        return split(axis: ax, sizes: Array(repeating: shape[ax] / parts, count: parts))
    }

    /// Pads with `value`: `padding[i]` is (before, after) for axis `i`; missing
    /// trailing entries mean no padding.
    public func padded(_ padding: [(before: Int, after: Int)], value: Float = 0) -> Tensor {
        precondition(padding.count <= rank, "padded: \(padding.count) paddings for shape \(shape)")
        let pads = padding + Array(repeating: (before: 0, after: 0), count: rank - padding.count)
        precondition(pads.allSatisfy { $0.before >= 0 && $0.after >= 0 }, "padded: negative padding")
        let outShape = Shape((0..<rank).map { shape[$0] + pads[$0].before + pads[$0].after })
        let inDims = shape.padded(to: 4), outDims = outShape.padded(to: 4)
        let off = [Int](repeating: 0, count: 4 - rank) + pads.map { $0.before }
        let x = self
        let copy = { (src: UnsafeMutablePointer<Float>, dst: UnsafeMutablePointer<Float>, toOut: Bool) in
            for i0 in 0..<inDims[0] {
                for i1 in 0..<inDims[1] {
                    for i2 in 0..<inDims[2] {
                        let inRow = ((i0 * inDims[1] + i1) * inDims[2] + i2) * inDims[3]
                        let outRow = (((i0 + off[0]) * outDims[1] + i1 + off[1]) * outDims[2] + i2 + off[2]) * outDims[3] + off[3]
                        if toOut { (dst + outRow).update(from: src + inRow, count: inDims[3]) }
                        else { for k in 0..<inDims[3] { dst[inRow + k] += src[outRow + k] } }
                    }
                }
            }
        }
        let out = Tensor.make(outShape) { o in
            o.initialize(repeating: value, count: outShape.elementCount)
            copy(x.base, o, true)
        }
        return Tensor.record("pad", out, inputs: [self]) { g, nodes in
            nodes[0]?.withGradBuffer { d, acc in
                if !acc { d.initialize(repeating: 0, count: x.count) }
                copy(g.base, d, false)
            }
        }
    }
}

/// Joins tensors along `axis`; all other extents must agree.
public func concat(_ parts: [Tensor], axis: Int) -> Tensor {
    precondition(!parts.isEmpty, "concat: nothing to join")
    let first = parts[0]
    let ax = first.shape.axis(axis, op: "concat")
    for p in parts {
        var a = p.shape, b = first.shape
        precondition(a.rank == b.rank, "concat: shapes \(first.shape) and \(p.shape) differ in rank")
        a[ax] = 0; b[ax] = 0
        precondition(a == b, "concat: shapes \(first.shape) and \(p.shape) differ outside axis \(ax)")
    }
    var outShape = first.shape
    outShape[ax] = parts.reduce(0) { $0 + $1.shape[ax] }
    let outer = AxisSplit(first.shape, ax).outer
    let widths = parts.map { $0.shape[ax] * AxisSplit($0.shape, ax).inner }
    let total = widths.reduce(0, +)
    let out = Tensor.make(outShape) { o in
        for a in 0..<outer {
            var off = a * total
            for (p, w) in zip(parts, widths) {
                (o + off).update(from: p.base + a * w, count: w)
                off += w
            }
        }
    }
    return Tensor.record("concat", out, inputs: parts) { g, nodes in
        var start = 0
        for (i, w) in widths.enumerated() {
            let s = start
            start += w
            nodes[i]?.withGradBuffer { d, acc in
                for a in 0..<outer {
                    let src = g.base + a * total + s
                    let dst = d + a * w
                    if acc { for k in 0..<w { dst[k] += src[k] } } else { dst.update(from: src, count: w) }
                }
            }
        }
    }
}

/// Stacks equal-shaped tensors along a new leading axis.
public func stack(_ parts: [Tensor]) -> Tensor {
    precondition(!parts.isEmpty, "stack: nothing to stack")
    return concat(parts.map { $0.reshaped([1] + $0.shape.dims) }, axis: 0)
}

/// Copies `src` (shape `shape`) with its axes permuted by `order` into `dst`.
func permuteCopy(_ src: UnsafePointer<Float>, _ shape: Shape, _ order: [Int], into dst: UnsafeMutablePointer<Float>) {
    let r = shape.rank
    let inStrides = shape.strides
    // Output extents and the input stride of each output axis, padded to 4.
    var dims = [Int](repeating: 1, count: 4), st = [Int](repeating: 0, count: 4)
    for i in 0..<r { dims[4 - r + i] = shape[order[i]]; st[4 - r + i] = inStrides[order[i]] }
    var k = 0
    for i0 in 0..<dims[0] {
        for i1 in 0..<dims[1] {
            for i2 in 0..<dims[2] {
                let p = src + i0 * st[0] + i1 * st[1] + i2 * st[2]
                let s3 = st[3]
                for i3 in 0..<dims[3] { dst[k + i3] = p[i3 * s3] }
                k += dims[3]
            }
        }
    }
}
