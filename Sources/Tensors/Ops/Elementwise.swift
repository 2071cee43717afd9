#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Unary

extension Tensor {
    /// `y = f(x)` elementwise, recorded with `dy/dx = df(x, y)`.
    @inline(__always)
    func unary(_ op: StaticString, _ f: (Float) -> Float, _ df: @escaping (_ x: Float, _ y: Float) -> Float) -> Tensor {
        let x = self
        let n = count
        let y = Tensor.make(shape) { out in
            let src = x.base
            for i in 0..<n { out[i] = f(src[i]) }
        }
        return Tensor.record(op, y, inputs: [x]) { g, nodes in
            nodes[0]?.withGradBuffer { dst, acc in
                let gp = g.base, xp = x.base, yp = y.base
                if acc { for i in 0..<n { dst[i] += gp[i] * df(xp[i], yp[i]) } }
                else { for i in 0..<n { dst[i] = gp[i] * df(xp[i], yp[i]) } }
            }
        }
    }

    public static prefix func - (x: Tensor) -> Tensor { x.unary("neg", { -$0 }, { _, _ in -1 }) }

    public func exp() -> Tensor { unary("exp", { expf($0) }, { _, y in y }) }
    public func log() -> Tensor { unary("log", { logf($0) }, { x, _ in 1 / x }) }
    public func log1p() -> Tensor { unary("log1p", { log1pf($0) }, { x, _ in 1 / (1 + x) }) }
    public func sqrt() -> Tensor { unary("sqrt", { sqrtf($0) }, { _, y in 0.5 / y }) }
    public func abs() -> Tensor { unary("abs", { Swift.abs($0) }, { x, _ in x > 0 ? 1 : (x < 0 ? -1 : 0) }) }
    /// The largest whole number not above each element; no gradient (a step function).
    public func floor() -> Tensor { unary("floor", { $0.rounded(.down) }, { _, _ in 0 }) }
    /// Each element rounded to the nearest whole number (halves away from zero); no gradient.
    public func rounded() -> Tensor { unary("rounded", { $0.rounded() }, { _, _ in 0 }) }
    public func square() -> Tensor { unary("square", { $0 * $0 }, { x, _ in 2 * x }) }
    public func tanh() -> Tensor { unary("tanh", { tanhf($0) }, { _, y in 1 - y * y }) }
    public func sigmoid() -> Tensor { unary("sigmoid", { 1 / (1 + expf(-$0)) }, { _, y in y * (1 - y) }) }
    /// `log(1 + exp(x))`, computed without overflow.
    public func softplus() -> Tensor {
        unary("softplus", { Swift.max($0, 0) + log1pf(expf(-Swift.abs($0))) }, { x, _ in 1 / (1 + expf(-x)) })
    }
    public func relu() -> Tensor { unary("relu", { Swift.max($0, 0) }, { x, _ in x > 0 ? 1 : 0 }) }
    public func leakyRelu(slope: Float = 0.01) -> Tensor {
        unary("leakyRelu", { $0 > 0 ? $0 : slope * $0 }, { x, _ in x > 0 ? 1 : slope })
    }
    public func elu(alpha: Float = 1) -> Tensor {
        unary("elu", { $0 > 0 ? $0 : alpha * (expf($0) - 1) }, { x, y in x > 0 ? 1 : y + alpha })
    }
    /// Values limited to `[lower, upper]`; the gradient is zero outside.
    public func clamped(min lower: Float = -.infinity, max upper: Float = .infinity) -> Tensor {
        precondition(lower <= upper, "clamped: min \(lower) is greater than max \(upper)")
        return unary("clamp", { Swift.min(Swift.max($0, lower), upper) }, { x, _ in x >= lower && x <= upper ? 1 : 0 })
    }
    /// `x^p` for a constant exponent.
    public func pow(_ p: Float) -> Tensor {
        if p == 2 { return square() }
        return unary("pow", { powf($0, p) }, { x, _ in p * powf(x, p - 1) })
    }

    // Scalar arithmetic without materialising the scalar.
    public static func + (x: Tensor, c: Float) -> Tensor { x.unary("addScalar", { $0 + c }, { _, _ in 1 }) }
    public static func + (c: Float, x: Tensor) -> Tensor { x + c }
    public static func - (x: Tensor, c: Float) -> Tensor { x.unary("subScalar", { $0 - c }, { _, _ in 1 }) }
    public static func - (c: Float, x: Tensor) -> Tensor { x.unary("rsubScalar", { c - $0 }, { _, _ in -1 }) }
    public static func * (x: Tensor, c: Float) -> Tensor { x.unary("mulScalar", { $0 * c }, { _, _ in c }) }
    public static func * (c: Float, x: Tensor) -> Tensor { x * c }
    public static func / (x: Tensor, c: Float) -> Tensor { x * (1 / c) }
    public static func / (c: Float, x: Tensor) -> Tensor { x.unary("rdivScalar", { c / $0 }, { x, y in -y / x }) }
}

public func exp(_ x: Tensor) -> Tensor { x.exp() }
public func log(_ x: Tensor) -> Tensor { x.log() }
public func tanh(_ x: Tensor) -> Tensor { x.tanh() }
public func sqrt(_ x: Tensor) -> Tensor { x.sqrt() }
public func abs(_ x: Tensor) -> Tensor { x.abs() }
public func relu(_ x: Tensor) -> Tensor { x.relu() }
public func sigmoid(_ x: Tensor) -> Tensor { x.sigmoid() }
public func softplus(_ x: Tensor) -> Tensor { x.softplus() }

// MARK: - Binary, with broadcasting

extension Tensor {
    /// `out = f(a, b)` over the broadcast shape, recorded with the partial
    /// derivatives `da(a, b)` and `db(a, b)` (each multiplied by the incoming gradient).
    @inline(__always)
    static func binary(_ op: StaticString, _ a: Tensor, _ b: Tensor, _ f: (Float, Float) -> Float,
                       _ da: @escaping (Float, Float) -> Float, _ db: @escaping (Float, Float) -> Float) -> Tensor {
        guard let shape = Shape.broadcast(a.shape, b.shape) else {
            preconditionFailure("\(op): shapes \(a.shape) and \(b.shape) do not broadcast")
        }
        let out = Tensor.make(shape) { broadcastBinary(a.base, a.shape, b.base, b.shape, $0, shape, f) }
        return Tensor.record(op, out, inputs: [a, b]) { g, nodes in
            if let na = nodes[0] { binaryGrad(g, a, b, shape, target: a.shape, into: na) { x, y, g in g * da(x, y) } }
            if let nb = nodes[1] { binaryGrad(g, a, b, shape, target: b.shape, into: nb) { x, y, g in g * db(x, y) } }
        }
    }

    /// Computes `h(a, b, g)` over the broadcast shape and adds it, summed down to `target`, into `node`.
    @inline(__always)
    static func binaryGrad(_ g: Tensor, _ a: Tensor, _ b: Tensor, _ shape: Shape, target: Shape, into node: GradNode,
                           _ h: (Float, Float, Float) -> Float) {
        let n = shape.elementCount
        let gp = g.base
        if a.shape == shape && b.shape == shape && target == shape {
            let ap = a.base, bp = b.base
            node.withGradBuffer { dst, acc in
                if acc { for i in 0..<n { dst[i] += h(ap[i], bp[i], gp[i]) } }
                else { for i in 0..<n { dst[i] = h(ap[i], bp[i], gp[i]) } }
            }
            return
        }
        // General case: evaluate on the broadcast shape, then reduce.
        let ab = Tensor.make(shape) { broadcastBinary(a.base, a.shape, b.base, b.shape, $0, shape) { x, _ in x } }
        let bb = Tensor.make(shape) { broadcastBinary(a.base, a.shape, b.base, b.shape, $0, shape) { _, y in y } }
        let full = Tensor.make(shape) { out in
            let ap = ab.base, bp = bb.base
            for i in 0..<n { out[i] = h(ap[i], bp[i], gp[i]) }
        }
        node.withGradBuffer { reduceToShape(full.base, from: shape, to: target, into: $0, accumulate: $1) }
    }

    public static func + (a: Tensor, b: Tensor) -> Tensor {
        binary("add", a, b, { $0 + $1 }, { _, _ in 1 }, { _, _ in 1 })
    }
    public static func - (a: Tensor, b: Tensor) -> Tensor {
        binary("sub", a, b, { $0 - $1 }, { _, _ in 1 }, { _, _ in -1 })
    }
    public static func * (a: Tensor, b: Tensor) -> Tensor {
        binary("mul", a, b, { $0 * $1 }, { _, y in y }, { x, _ in x })
    }
    public static func / (a: Tensor, b: Tensor) -> Tensor {
        binary("div", a, b, { $0 / $1 }, { _, y in 1 / y }, { x, y in -x / (y * y) })
    }
    /// `a^b` elementwise; the gradient with respect to `b` needs `a > 0`.
    public func pow(_ b: Tensor) -> Tensor {
        Tensor.binary("pow", self, b, { powf($0, $1) }, { x, y in y * powf(x, y - 1) }, { x, y in powf(x, y) * logf(x) })
    }
    /// The larger of the two, elementwise; ties send the gradient to `a`.
    public static func maximum(_ a: Tensor, _ b: Tensor) -> Tensor {
        binary("maximum", a, b, { Swift.max($0, $1) }, { x, y in x >= y ? 1 : 0 }, { x, y in x >= y ? 0 : 1 })
    }
    /// The smaller of the two, elementwise; ties send the gradient to `a`.
    public static func minimum(_ a: Tensor, _ b: Tensor) -> Tensor {
        binary("minimum", a, b, { Swift.min($0, $1) }, { x, y in x <= y ? 1 : 0 }, { x, y in x <= y ? 0 : 1 })
    }

    public static func += (a: inout Tensor, b: Tensor) { a = a + b }
    public static func -= (a: inout Tensor, b: Tensor) { a = a - b }
    public static func *= (a: inout Tensor, b: Tensor) { a = a * b }
    public static func /= (a: inout Tensor, b: Tensor) { a = a / b }
}

// MARK: - Comparisons and selection (not differentiable: masks are constants)

infix operator .< : ComparisonPrecedence
infix operator .<= : ComparisonPrecedence
infix operator .> : ComparisonPrecedence
infix operator .>= : ComparisonPrecedence
infix operator .== : ComparisonPrecedence
infix operator .!= : ComparisonPrecedence

extension Tensor {
    static func compare(_ op: StaticString, _ a: Tensor, _ b: Tensor, _ f: (Float, Float) -> Bool) -> Tensor {
        guard let shape = Shape.broadcast(a.shape, b.shape) else {
            preconditionFailure("\(op): shapes \(a.shape) and \(b.shape) do not broadcast")
        }
        return Tensor.make(shape) { broadcastBinary(a.base, a.shape, b.base, b.shape, $0, shape) { f($0, $1) ? 1 : 0 } }
    }

    /// 1 where `a < b`, else 0 (broadcasting).
    public static func .< (a: Tensor, b: Tensor) -> Tensor { compare("<", a, b, <) }
    public static func .<= (a: Tensor, b: Tensor) -> Tensor { compare("<=", a, b, <=) }
    public static func .> (a: Tensor, b: Tensor) -> Tensor { compare(">", a, b, >) }
    public static func .>= (a: Tensor, b: Tensor) -> Tensor { compare(">=", a, b, >=) }
    public static func .== (a: Tensor, b: Tensor) -> Tensor { compare("==", a, b, ==) }
    public static func .!= (a: Tensor, b: Tensor) -> Tensor { compare("!=", a, b, !=) }
    public static func .< (a: Tensor, b: Float) -> Tensor { a .< Tensor(b) }
    public static func .<= (a: Tensor, b: Float) -> Tensor { a .<= Tensor(b) }
    public static func .> (a: Tensor, b: Float) -> Tensor { a .> Tensor(b) }
    public static func .>= (a: Tensor, b: Float) -> Tensor { a .>= Tensor(b) }
    public static func .== (a: Tensor, b: Float) -> Tensor { a .== Tensor(b) }

    /// True when every element is finite.
    public var isFinite: Bool { withUnsafeBufferPointer { $0.allSatisfy { $0.isFinite } } }
}

/// `a` where `condition` is non-zero, else `b`, broadcasting all three;
/// differentiable in `a` and `b` (the unselected side gets a zero gradient, even
/// where it is infinite or NaN).
public func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
    guard let ab = Shape.broadcast(a.shape, b.shape), let shape = Shape.broadcast(condition.shape, ab) else {
        preconditionFailure("where: shapes \(condition.shape), \(a.shape) and \(b.shape) do not broadcast")
    }
    let m = condition.detached().broadcast(to: shape)
    let a2 = a.broadcast(to: shape), b2 = b.broadcast(to: shape)
    let n = shape.elementCount
    let out = Tensor.make(shape) { o in
        let mp = m.base, ap = a2.base, bp = b2.base
        for i in 0..<n { o[i] = mp[i] != 0 ? ap[i] : bp[i] }
    }
    return Tensor.record("where", out, inputs: [a2, b2]) { g, nodes in
        let mp = m.base, gp = g.base
        nodes[0]?.withGradBuffer { d, acc in for i in 0..<n { d[i] = (acc ? d[i] : 0) + (mp[i] != 0 ? gp[i] : 0) } }
        nodes[1]?.withGradBuffer { d, acc in for i in 0..<n { d[i] = (acc ? d[i] : 0) + (mp[i] != 0 ? 0 : gp[i]) } }
    }
}

extension Tensor {
    public func sine() -> Tensor { unary("sin", { sinf($0) }, { x, _ in cosf(x) }) }
    public func cosine() -> Tensor { unary("cos", { cosf($0) }, { x, _ in -sinf(x) }) }
}
