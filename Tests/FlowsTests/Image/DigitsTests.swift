import Testing
@testable import Flows

@Suite struct DigitsTests {
    let digits = Digits.load()

    /// Reference figures computed with scikit-learn 1.9.1 (`load_digits()`).
    @Test func matchesScikitLearn() {
        #expect(digits.images.shape == [1797, 1, 8, 8])
        #expect(digits.count == 1797)
        let pixels = digits.images.scalars
        #expect(pixels.allSatisfy { $0 >= 0 && $0 <= 16 && $0 == $0.rounded() })
        #expect(pixels.reduce(0, +) == 561_718)
        #expect(Array(pixels[0..<16]) == [0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0])
        #expect(Array(digits.labels[0..<10]) == Array(0..<10))
        var perClass = [Int](repeating: 0, count: 10)
        for l in digits.labels { perClass[l] += 1 }
        #expect(perClass == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180])
    }

    @Test func fixedSplit() {
        let (train, test) = digits.split()
        #expect(train.count == 1500 && test.count == 297)
        let again = digits.split()
        #expect(again.train.labels == train.labels && again.test.images.scalars == test.images.scalars)
        // Together the two parts hold every image once.
        #expect(train.images.scalars.reduce(0, +) + test.images.scalars.reduce(0, +) == 561_718)
        #expect(digits.split(seed: 1).train.labels != train.labels)
        #expect(digits.split(seed: 1).test.count == 297)
        // The peers' order (NumPy's RandomState(0).permutation(1797)) starts 1081, 1707, 927.
        #expect(train.images.slice(axis: 0, 0..<3).scalars == digits.subset([1081, 1707, 927]).images.scalars)
    }

    @Test func oneHotLabels() {
        let h = Digits.oneHot([3, 0])
        #expect(h.shape == [2, 10])
        #expect(h.scalars == [0, 0, 0, 1, 0, 0, 0, 0, 0, 0] + [1, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test func dequantisationStaysInItsBin() {
        var rng = RandomGenerator(seed: 1)
        let x = digits.images.slice(axis: 0, 0..<50)
        let u = uniformDequantize(x, levels: 17, offset: -0.5, using: &rng)
        for (v, k) in zip(u.scalars, x.scalars) {
            #expect((v + 0.5) * 17 >= k && (v + 0.5) * 17 < k + 1)
        }
        var same = RandomGenerator(seed: 1)
        #expect(uniformDequantize(x, levels: 17, offset: -0.5, using: &same).scalars == u.scalars)
    }
}
