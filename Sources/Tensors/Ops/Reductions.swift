#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A tensor seen as `[outer, axisLength, inner]` around one axis.
struct AxisSplit {
    let outer: Int, length: Int, inner: Int
    init(_ shape: Shape, _ axis: Int) {
        var o = 1, i = 1
        for k in 0..<axis { o *= shape[k] }
        for k in (axis + 1)..<shape.rank { i *= shape[k] }
        outer = o; length = shape[axis]; inner = i
    }
}

extension Tensor {
    /// The sum of all elements, as a scalar.
    public func sum() -> Tensor {
        let x = self
        let n = count
        let out = Tensor.make(.scalar) { o in
            var s: Float = 0
            let p = x.base
            for i in 0..<n { s += p[i] }
            o[0] = s
        }
        return Tensor.record("sum", out, inputs: [x]) { g, nodes in
            let v = g.base[0]
            nodes[0]?.withGradBuffer { d, acc in
                if acc { for i in 0..<n { d[i] += v } } else { for i in 0..<n { d[i] = v } }
            }
        }
    }

    /// The mean of all elements, as a scalar.
    public func mean() -> Tensor { sum() * (1 / Float(Swift.max(count, 1))) }

    /// The sum along `axis` (negative counts from the end).
    public func sum(axis: Int, keepDims: Bool = false) -> Tensor {
        let ax = shape.axis(axis, op: "sum(axis:)")
        let sp = AxisSplit(shape, ax)
        let outShape = shape.reducing(axis: ax, keep: keepDims)
        let x = self
        let out = Tensor.make(outShape) { o in
            let p = x.base
            for a in 0..<sp.outer {
                let dst = o + a * sp.inner
                let src = p + a * sp.length * sp.inner
                if sp.inner == 1 {
                    var s: Float = 0
                    for k in 0..<sp.length { s += src[k] }
                    dst[0] = s
                } else {
                    for i in 0..<sp.inner { dst[i] = src[i] }
                    for k in 1..<Swift.max(sp.length, 1) {
                        let row = src + k * sp.inner
                        for i in 0..<sp.inner { dst[i] += row[i] }
                    }
                    if sp.length == 0 { for i in 0..<sp.inner { dst[i] = 0 } }
                }
            }
        }
        return Tensor.record("sum", out, inputs: [x]) { g, nodes in
            nodes[0]?.withGradBuffer { d, acc in
                let gp = g.base
                for a in 0..<sp.outer {
                    for k in 0..<sp.length {
                        let row = d + (a * sp.length + k) * sp.inner
                        let gr = gp + a * sp.inner
                        if acc { for i in 0..<sp.inner { row[i] += gr[i] } } else { for i in 0..<sp.inner { row[i] = gr[i] } }
                    }
                }
            }
        }
    }

    /// The sum over several axes.
    public func sum(axes: [Int], keepDims: Bool = false) -> Tensor {
        let resolved = axes.map { shape.axis($0, op: "sum(axes:)") }.sorted(by: >)
        var r = self
        for a in resolved { r = r.sum(axis: a, keepDims: keepDims) }
        return r
    }

    /// The mean along `axis`.
    public func mean(axis: Int, keepDims: Bool = false) -> Tensor {
        let ax = shape.axis(axis, op: "mean(axis:)")
        return sum(axis: ax, keepDims: keepDims) * (1 / Float(Swift.max(shape[ax], 1)))
    }

    /// The mean over several axes.
    public func mean(axes: [Int], keepDims: Bool = false) -> Tensor {
        let resolved = axes.map { shape.axis($0, op: "mean(axes:)") }
        let n = resolved.reduce(1) { $0 * shape[$1] }
        return sum(axes: resolved, keepDims: keepDims) * (1 / Float(Swift.max(n, 1)))
    }

    /// The maximum along `axis`; the gradient goes to the first maximal element.
    public func max(axis: Int, keepDims: Bool = false) -> Tensor {
        let ax = shape.axis(axis, op: "max(axis:)")
        let sp = AxisSplit(shape, ax)
        precondition(sp.length > 0, "max(axis:): axis \(axis) of shape \(shape) is empty")
        let x = self
        var arg = [Int32](repeating: 0, count: sp.outer * sp.inner)
        let out = Tensor.make(shape.reducing(axis: ax, keep: keepDims)) { o in
            let p = x.base
            for a in 0..<sp.outer {
                for i in 0..<sp.inner {
                    var best = p[a * sp.length * sp.inner + i], bi: Int32 = 0
                    for k in 1..<sp.length {
                        let v = p[(a * sp.length + k) * sp.inner + i]
                        if v > best { best = v; bi = Int32(k) }
                    }
                    o[a * sp.inner + i] = best
                    arg[a * sp.inner + i] = bi
                }
            }
        }
        return Tensor.record("max", out, inputs: [x]) { g, nodes in
            nodes[0]?.withGradBuffer { d, acc in
                if !acc { d.initialize(repeating: 0, count: x.count) }
                let gp = g.base
                for a in 0..<sp.outer {
                    for i in 0..<sp.inner {
                        d[(a * sp.length + Int(arg[a * sp.inner + i])) * sp.inner + i] += gp[a * sp.inner + i]
                    }
                }
            }
        }
    }

    /// The largest element, as a Float.
    public var maxValue: Float { withUnsafeBufferPointer { $0.max() ?? -.infinity } }
    /// The smallest element, as a Float.
    public var minValue: Float { withUnsafeBufferPointer { $0.min() ?? .infinity } }
    /// The largest absolute value of an element (0 for an empty tensor).
    public var maxAbs: Float { withUnsafeBufferPointer { $0.reduce(0) { Swift.max($0, Swift.abs($1)) } } }
    /// The mean of the elements, accumulated in Double.
    public var meanValue: Double {
        withUnsafeBufferPointer { p in p.reduce(0) { $0 + Double($1) } / Double(Swift.max(p.count, 1)) }
    }
    /// The largest absolute difference from `other`, element by element (same shape).
    public func maxAbsDifference(_ other: Tensor) -> Float {
        precondition(shape == other.shape, "maxAbsDifference: shapes \(shape) and \(other.shape) differ")
        return zip(scalars, other.scalars).reduce(0) { Swift.max($0, Swift.abs($1.0 - $1.1)) }
    }

    /// `log(sum(exp(x)))` along `axis`, computed stably.
    public func logSumExp(axis: Int, keepDims: Bool = false) -> Tensor {
        let ax = shape.axis(axis, op: "logSumExp(axis:)")
        let sp = AxisSplit(shape, ax)
        precondition(sp.length > 0, "logSumExp(axis:): axis \(axis) of shape \(shape) is empty")
        let x = self
        let outShape = shape.reducing(axis: ax, keep: keepDims)
        let out = Tensor.make(outShape) { o in
            let p = x.base
            for a in 0..<sp.outer {
                for i in 0..<sp.inner {
                    var m = -Float.infinity
                    for k in 0..<sp.length { m = Swift.max(m, p[(a * sp.length + k) * sp.inner + i]) }
                    if !m.isFinite { o[a * sp.inner + i] = m; continue }
                    var s: Float = 0
                    for k in 0..<sp.length { s += expf(p[(a * sp.length + k) * sp.inner + i] - m) }
                    o[a * sp.inner + i] = m + logf(s)
                }
            }
        }
        return Tensor.record("logSumExp", out, inputs: [x]) { g, nodes in
            nodes[0]?.withGradBuffer { d, acc in
                let p = x.base, gp = g.base, op = out.base
                for a in 0..<sp.outer {
                    for k in 0..<sp.length {
                        for i in 0..<sp.inner {
                            let j = (a * sp.length + k) * sp.inner + i
                            let v = gp[a * sp.inner + i] * expf(p[j] - op[a * sp.inner + i])
                            d[j] = (acc ? d[j] : 0) + v
                        }
                    }
                }
            }
        }
    }
}
