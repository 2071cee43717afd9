import Testing
@testable import Tensors

/// Checks reverse-mode gradients against central finite differences.
///
/// The scalar checked is `sum(f(inputs) * w)` for a fixed random `w`, so every
/// entry of the Jacobian takes part. Differences are taken in float32 with step
/// `h`; the tolerance is relative to the gradient's scale.
func checkGradients(_ inputs: [Tensor], h: Float = 1e-2, tolerance: Float = 2e-2,
                    sourceLocation: SourceLocation = #_sourceLocation,
                    _ f: ([Tensor]) -> Tensor) {
    var rng = RandomGenerator(seed: 99)
    let params = inputs.map { $0.requiringGrad() }
    let out = f(params)
    let w = Tensor.normal(out.shape, using: &rng)
    let loss = (out * w).sum()
    loss.backward()

    for (k, p) in params.enumerated() {
        guard let g = p.grad else {
            Issue.record("input \(k) got no gradient", sourceLocation: sourceLocation)
            continue
        }
        #expect(g.shape == p.shape, sourceLocation: sourceLocation)
        var numeric = [Float](repeating: 0, count: p.count)
        for i in 0..<p.count {
            func value(_ delta: Float) -> Float {
                var shifted = inputs
                var v = shifted[k].scalars
                v[i] += delta
                shifted[k] = Tensor(shape: inputs[k].shape, scalars: v)
                return withoutGrad { (f(shifted) * w).sum().item }
            }
            numeric[i] = (value(h) - value(-h)) / (2 * h)
        }
        let analytic = g.scalars
        let scale = Swift.max(1, numeric.map { Swift.abs($0) }.max() ?? 1)
        let worst = zip(analytic, numeric).map { Swift.abs($0 - $1) }.max() ?? 0
        #expect(worst <= tolerance * scale,
                "input \(k) of shape \(p.shape): max |autodiff - finite difference| = \(worst) (scale \(scale))\nautodiff \(analytic)\nnumeric  \(numeric)",
                sourceLocation: sourceLocation)
    }
}

/// `|a - b| <= tol * max(1, |b|)` elementwise, with the shapes equal.
func expectClose(_ a: Tensor, _ b: Tensor, tolerance: Float = 1e-5, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a.shape == b.shape, "shapes \(a.shape) and \(b.shape)", sourceLocation: sourceLocation)
    guard a.shape == b.shape else { return }
    for (i, (x, y)) in zip(a.scalars, b.scalars).enumerated() {
        if !(Swift.abs(x - y) <= tolerance * Swift.max(1, Swift.abs(y))) {
            Issue.record("element \(i): \(x) vs expected \(y)", sourceLocation: sourceLocation)
            return
        }
    }
}

func randn(_ shape: Shape, seed: UInt64) -> Tensor {
    var rng = RandomGenerator(seed: seed)
    return Tensor.normal(shape, using: &rng)
}

func positive(_ shape: Shape, seed: UInt64) -> Tensor {
    var rng = RandomGenerator(seed: seed)
    return Tensor.uniform(shape, low: 0.5, high: 2, using: &rng)
}
