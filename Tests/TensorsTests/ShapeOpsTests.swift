import Testing
@testable import Tensors

@Suite struct ShapeOpsTests {
    let x = Tensor(shape: [2, 3], scalars: [0, 1, 2, 3, 4, 5])

    @Test func values() {
        #expect(x.reshaped(3, -1).shape == [3, 2])
        #expect(x.transposed.scalars == [0, 3, 1, 4, 2, 5])
        #expect(x.slice(axis: 1, 1..<3).scalars == [1, 2, 4, 5])
        #expect(x.gather(axis: 0, [1, 1, 0]).scalars == [3, 4, 5, 3, 4, 5, 0, 1, 2])
        #expect(x.gather(axis: 1, [2, 0]).scalars == [2, 0, 5, 3])
        #expect(concat([x, x * 10], axis: 1).scalars == [0, 1, 2, 0, 10, 20, 3, 4, 5, 30, 40, 50])
        #expect(concat([x, x], axis: 0).shape == [4, 3])
        let parts = x.chunked(3, axis: 1)
        #expect(parts.map { $0.scalars } == [[0, 3], [1, 4], [2, 5]])
        #expect(x.split(axis: 1, sizes: [1, 2])[1].scalars == [1, 2, 4, 5])
        #expect(x.padded([(0, 0), (1, 2)], value: -1).scalars == [-1, 0, 1, 2, -1, -1, -1, 3, 4, 5, -1, -1])
        #expect(stack([x, x]).shape == [2, 2, 3])
        let cube = Tensor(shape: [2, 3, 4], scalars: (0..<24).map(Float.init))
        let p = cube.permuted(2, 0, 1)
        #expect(p.shape == [4, 2, 3])
        #expect(p[1, 1, 2] == cube[1, 2, 1])
        #expect(p.permuted(1, 2, 0).scalars == cube.scalars)
    }

    @Test func gradients() {
        let t = randn([2, 3, 4], seed: 11)
        checkGradients([t]) { $0[0].reshaped(4, 6) }
        checkGradients([t]) { $0[0].permuted(2, 0, 1) }
        checkGradients([t]) { $0[0].transposed }
        checkGradients([t]) { $0[0].slice(axis: 1, 1..<3) }
        checkGradients([t]) { $0[0].gather(axis: 0, [1, 0, 1]) }
        checkGradients([t]) { $0[0].gather(axis: 2, [3, 3, 0]) }
        checkGradients([t, randn([2, 1, 4], seed: 12)]) { concat([$0[0], $0[1], $0[0]], axis: 1) }
        checkGradients([t]) { let c = $0[0].chunked(2, axis: 2); return c[0] * c[1] }
        checkGradients([randn([1, 2, 3, 3], seed: 13)]) { $0[0].padded([(0, 0), (0, 0), (1, 1), (2, 0)]) }
    }

    @Test func copyOnWrite() {
        var a = Tensor([1, 2, 3])
        let b = a
        a[1] = 20
        #expect(a.scalars == [1, 20, 3])
        #expect(b.scalars == [1, 2, 3])
        var r = b.reshaped(3, 1)
        r[0, 0] = 7
        #expect(b.scalars == [1, 2, 3])
    }
}
