import Testing
@testable import Flows

/// The Jacobian `d forward(x) / dx` of one sample, by reverse-mode autodiff:
/// one backward pass per output component. `x` has a batch axis of 1.
func autodiffJacobian(_ f: (Tensor) -> Tensor, at x: Tensor) -> (rows: [[Float]], dimension: Int) {
    let d = x.count
    var rows: [[Float]] = []
    for i in 0..<d {
        let p = x.requiringGrad()
        let y = f(p)
        precondition(y.count == d, "the map must keep the number of components")
        var seed = [Float](repeating: 0, count: d)
        seed[i] = 1
        y.backward(seed: Tensor(shape: y.shape, scalars: seed))
        rows.append(p.grad?.scalars ?? [Float](repeating: 0, count: d))
    }
    return (rows, d)
}

/// The same Jacobian by central finite differences in float32.
func numericJacobian(_ f: (Tensor) -> Tensor, at x: Tensor, h: Float = 1e-3) -> [[Float]] {
    let d = x.count
    var cols: [[Float]] = []
    for j in 0..<d {
        var plus = x.scalars, minus = x.scalars
        plus[j] += h; minus[j] -= h
        let fp = withoutGrad { f(Tensor(shape: x.shape, scalars: plus)) }.scalars
        let fm = withoutGrad { f(Tensor(shape: x.shape, scalars: minus)) }.scalars
        cols.append(zip(fp, fm).map { ($0 - $1) / (2 * h) })
    }
    return (0..<d).map { i in (0..<d).map { j in cols[j][i] } }
}

/// Checks a bijector on a batch `x`: round trips, cancelling log-dets, the
/// forward log-det against log|det J| of the full autodiff Jacobian (per
/// sample), that Jacobian against finite differences, and gradients reaching
/// every parameter.
func checkBijector(_ b: any Bijector, _ x: Tensor, condition: Tensor? = nil, tolerance: Float = 2e-4,
                   jacobianTolerance: Float = 2e-2, sourceLocation: SourceLocation = #_sourceLocation) {
    let (y, ldF) = withoutGrad { b.forward(x, condition: condition) }
    let (x2, ldI) = withoutGrad { b.inverse(y, condition: condition) }
    #expect(ldF.shape == [x.shape[0]], "forward log-det shape \(ldF.shape)", sourceLocation: sourceLocation)
    #expect(maxAbsDiff(x2, x) <= tolerance * Swift.max(1, x.maxAbs), "inverse(forward(x)) differs from x by \(maxAbsDiff(x2, x))", sourceLocation: sourceLocation)
    #expect(maxAbsDiff(ldF + ldI, Tensor.zeros(ldF.shape)) <= tolerance * Swift.max(1, ldF.maxAbs), "log-dets do not cancel: \(ldF.scalars) vs \(ldI.scalars)", sourceLocation: sourceLocation)
    let (x3, _) = withoutGrad { b.inverse(x, condition: condition) }
    let (y3, _) = withoutGrad { b.forward(x3, condition: condition) }
    #expect(maxAbsDiff(y3, x) <= tolerance * Swift.max(1, x.maxAbs), "forward(inverse(z)) differs from z by \(maxAbsDiff(y3, x))", sourceLocation: sourceLocation)

    // Per-sample Jacobians (first two samples).
    for s in 0..<Swift.min(2, x.shape[0]) {
        let xs = x.slice(axis: 0, s..<(s + 1))
        let cs = condition?.slice(axis: 0, s..<(s + 1))
        let f = { (t: Tensor) in b.forward(t, condition: cs).y }
        let (jac, d) = autodiffJacobian(f, at: xs)
        let lu = LUDecomposition(jac.flatMap { $0 }.map(Double.init), n: d)
        let expected = Float(lu.logAbsDeterminant)
        let reported = withoutGrad { b.forward(xs, condition: cs).logDet }.item
        #expect(Swift.abs(reported - expected) <= 1e-3 * Swift.max(1, Swift.abs(expected)),
                "sample \(s): log-det \(reported), log|det J| of the autodiff Jacobian \(expected)", sourceLocation: sourceLocation)
        let numeric = numericJacobian(f, at: xs)
        let worst = zip(jac.flatMap { $0 }, numeric.flatMap { $0 }).map { Swift.abs($0 - $1) }.max() ?? 0
        let scale = Swift.max(1, numeric.flatMap { $0 }.map { Swift.abs($0) }.max() ?? 1)
        #expect(worst <= jacobianTolerance * scale, "autodiff Jacobian differs from finite differences by \(worst)", sourceLocation: sourceLocation)
    }

    // Gradients reach every parameter through the forward log-likelihood.
    guard !b.parameters.isEmpty else { return }
    b.zeroGrad()
    var rng = RandomGenerator(seed: 1)
    let (yy, ld) = b.forward(x, condition: condition)
    let w = Tensor.normal(yy.shape, using: &rng)
    ((yy * w).sum() + ld.sum()).backward()
    for (i, p) in b.parameters.enumerated() {
        #expect(p.grad != nil, "parameter \(i) of shape \(p.shape) got no gradient", sourceLocation: sourceLocation)
    }
    b.zeroGrad()
}

func maxAbsDiff(_ a: Tensor, _ b: Tensor) -> Float {
    zip(a.scalars, b.scalars).map { Swift.abs($0 - $1) }.max() ?? 0
}

func randn(_ shape: Shape, seed: UInt64) -> Tensor {
    var rng = RandomGenerator(seed: seed)
    return Tensor.normal(shape, using: &rng)
}
