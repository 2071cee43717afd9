import Testing
import Foundation
@testable import Tensors

/// The determinant by cofactor expansion: independent of the LU code.
func cofactorDeterminant(_ a: [Double], _ n: Int) -> Double {
    if n == 1 { return a[0] }
    var det = 0.0
    for j in 0..<n {
        var minor: [Double] = []
        for i in 1..<n { for k in 0..<n where k != j { minor.append(a[i * n + k]) } }
        det += (j % 2 == 0 ? 1 : -1) * a[j] * cofactorDeterminant(minor, n - 1)
    }
    return det
}

@Suite struct LinalgTests {
    @Test func knownMatrices() {
        let lu = LUDecomposition([4, 3, 6, 3], n: 2)
        #expect(Swift.abs(lu.determinant - (-6)) < 1e-12)
        #expect(Swift.abs(lu.logAbsDeterminant - Foundation.log(6)) < 1e-12)
        let inv = lu.inverse
        for (x, y) in zip(inv, [-0.5, 0.5, 1, -2 / 3.0]) { #expect(Swift.abs(x - y) < 1e-12) }
        // A permutation matrix needs pivoting; its determinant is the permutation's sign.
        let p = LUDecomposition([0, 1, 0, 0, 0, 1, 1, 0, 0], n: 3)
        #expect(p.determinant == 1)
        #expect(LUDecomposition([0, 1, 1, 0], n: 2).determinant == -1)
        #expect(LUDecomposition([1, 2, 2, 4], n: 2).isSingular)
    }

    @Test(arguments: [1, 2, 3, 5, 7])
    func randomMatricesAgainstCofactors(_ n: Int) {
        var rng = RandomGenerator(seed: UInt64(n))
        let a = (0..<(n * n)).map { _ in Double(rng.nextNormal()) }
        let lu = LUDecomposition(a, n: n)
        let reference = cofactorDeterminant(a, n)
        #expect(Swift.abs(lu.determinant - reference) <= 1e-10 * Swift.max(1, Swift.abs(reference)))
        // A A^-1 = I and P A = L U.
        let inv = lu.inverse
        for i in 0..<n { for j in 0..<n {
            var s = 0.0
            for k in 0..<n { s += a[i * n + k] * inv[k * n + j] }
            #expect(Swift.abs(s - (i == j ? 1 : 0)) < 1e-9)
        } }
        let (l, u, pm) = (lu.lower, lu.upper, lu.permutationMatrix)
        for i in 0..<n { for j in 0..<n {
            var pa = 0.0, lu2 = 0.0
            for k in 0..<n { pa += pm[i * n + k] * a[k * n + j]; lu2 += l[i * n + k] * u[k * n + j] }
            #expect(Swift.abs(pa - lu2) < 1e-10)
        } }
    }

    @Test func differentiableLogDetAndInverse() {
        var rng = RandomGenerator(seed: 3)
        let w = Tensor.normal([4, 4], using: &rng) + Tensor(shape: [4, 4], scalars: (0..<16).map { $0 % 5 == 0 ? 3 : 0 })
        let reference = Foundation.log(Swift.abs(cofactorDeterminant(w.scalars.map(Double.init), 4)))
        #expect(Swift.abs(Double(w.logAbsDeterminant().item) - reference) < 1e-5)
        checkGradients([w], h: 1e-2) { $0[0].logAbsDeterminant() }
        checkGradients([w], h: 1e-2) { $0[0].inverse() }
        expectClose(w.matmul(w.inverse()), Tensor(shape: [4, 4], scalars: (0..<16).map { $0 % 5 == 0 ? 1 : 0 }), tolerance: 1e-5)
    }
}
