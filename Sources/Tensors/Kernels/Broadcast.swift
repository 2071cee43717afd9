/// Strided iteration for NumPy broadcasting over rank-4-padded shapes.
/// Fixed-size vectors, so that planning a broadcast allocates nothing.
struct BroadcastPlan {
    let out: SIMD4<Int>       // output extents, padded to rank 4
    let sa: SIMD4<Int>        // strides of a in the output's index space (0 on broadcast axes)
    let sb: SIMD4<Int>

    init(_ a: Shape, _ b: Shape, out o: Shape) {
        out = o.padded4
        sa = BroadcastPlan.strides(a.padded4, out)
        sb = BroadcastPlan.strides(b.padded4, out)
    }

    static func strides(_ dims: SIMD4<Int>, _ out: SIMD4<Int>) -> SIMD4<Int> {
        var s = SIMD4<Int>(repeating: 0)
        var acc = 1
        for i in stride(from: 3, through: 0, by: -1) {
            s[i] = (dims[i] == 1 && out[i] != 1) ? 0 : acc
            acc *= dims[i]
        }
        return s
    }
}

/// `out[i] = f(a[ia], b[ib])` over the broadcast of `a` and `b`.
@inline(__always)
func broadcastBinary(_ a: UnsafePointer<Float>, _ sa: Shape, _ b: UnsafePointer<Float>, _ sb: Shape,
                     _ out: UnsafeMutablePointer<Float>, _ so: Shape, _ f: (Float, Float) -> Float) {
    let n = so.elementCount
    if sa == so && sb == so {
        for i in 0..<n { out[i] = f(a[i], b[i]) }
        return
    }
    if sb.elementCount == 1 && sa == so {
        let y = b[0]
        for i in 0..<n { out[i] = f(a[i], y) }
        return
    }
    if sa.elementCount == 1 && sb == so {
        let x = a[0]
        for i in 0..<n { out[i] = f(x, b[i]) }
        return
    }
    let p = BroadcastPlan(sa, sb, out: so)
    let (o0, o1, o2, o3) = (p.out[0], p.out[1], p.out[2], p.out[3])
    let (a0, a1, a2, a3) = (p.sa[0], p.sa[1], p.sa[2], p.sa[3])
    let (b0, b1, b2, b3) = (p.sb[0], p.sb[1], p.sb[2], p.sb[3])
    var k = 0
    for i0 in 0..<o0 {
        for i1 in 0..<o1 {
            for i2 in 0..<o2 {
                let pa = a + i0 * a0 + i1 * a1 + i2 * a2
                let pb = b + i0 * b0 + i1 * b1 + i2 * b2
                let po = out + k
                if a3 == 1 && b3 == 1 {
                    for i3 in 0..<o3 { po[i3] = f(pa[i3], pb[i3]) }
                } else if a3 == 1 && b3 == 0 {
                    let y = pb[0]
                    for i3 in 0..<o3 { po[i3] = f(pa[i3], y) }
                } else if a3 == 0 && b3 == 1 {
                    let x = pa[0]
                    for i3 in 0..<o3 { po[i3] = f(x, pb[i3]) }
                } else {
                    for i3 in 0..<o3 { po[i3] = f(pa[i3 * a3], pb[i3 * b3]) }
                }
                k += o3
            }
        }
    }
}

/// Sums `src` (of shape `from`) down to shape `to`, which `from` broadcasts from.
func reduceToShape(_ src: UnsafePointer<Float>, from: Shape, to: Shape, into dst: UnsafeMutablePointer<Float>, accumulate: Bool) {
    let n = to.elementCount
    if from == to {
        if accumulate { for i in 0..<n { dst[i] += src[i] } } else { dst.update(from: src, count: n) }
        return
    }
    if !accumulate { dst.initialize(repeating: 0, count: n) }
    if n == 1 {
        var s: Float = 0
        for i in 0..<from.elementCount { s += src[i] }
        dst[0] += s
        return
    }
    let out = from.padded4
    let st = BroadcastPlan.strides(to.padded4, out)
    let (o0, o1, o2, o3) = (out[0], out[1], out[2], out[3])
    var k = 0
    for i0 in 0..<o0 {
        for i1 in 0..<o1 {
            for i2 in 0..<o2 {
                let pd = dst + i0 * st[0] + i1 * st[1] + i2 * st[2]
                let ps = src + k
                if st[3] == 1 {
                    for i3 in 0..<o3 { pd[i3] += ps[i3] }
                } else {
                    var s: Float = 0
                    for i3 in 0..<o3 { s += ps[i3] }
                    pd[0] += s
                }
                k += o3
            }
        }
    }
}

extension Tensor {
    /// The sum of this tensor down to `target`, a shape it was broadcast from.
    public func sum(toShape target: Shape) -> Tensor {
        if target == shape { return self }
        precondition(Shape.broadcast(target, shape) == shape, "sum(toShape:): \(shape) does not broadcast from \(target)")
        let input = self
        let out = Tensor.make(target) { reduceToShape(input.base, from: input.shape, to: target, into: $0, accumulate: false) }
        return Tensor.record("sumToShape", out, inputs: [self]) { g, nodes in
            nodes[0]?.accumulate(g.broadcast(to: input.shape))
        }
    }

    /// This tensor broadcast (copied) to a larger shape.
    public func broadcast(to target: Shape) -> Tensor {
        if target == shape { return self }
        guard Shape.broadcast(shape, target) == target else {
            preconditionFailure("broadcast(to:): shape \(shape) does not broadcast to \(target)")
        }
        let input = self
        let zero = Tensor(0)
        let out = Tensor.make(target) { broadcastBinary(input.base, input.shape, zero.base, .scalar, $0, target) { a, _ in a } }
        return Tensor.record("broadcast", out, inputs: [self]) { g, nodes in
            nodes[0]?.withGradBuffer { reduceToShape(g.base, from: target, to: input.shape, into: $0, accumulate: $1) }
        }
    }
}
