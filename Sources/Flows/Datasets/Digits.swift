/// The 8x8 handwritten digits of scikit-learn (`load_digits`): 1,797 grey
/// images with 17 levels (0...16) and their labels 0-9.
///
/// The data is scikit-learn's copy of the test set of the UCI "Optical
/// Recognition of Handwritten Digits" data set (Alpaydin & Kaynak 1998, CC BY 4.0;
/// scikit-learn is BSD-3-Clause). It is compiled into the library
/// (`DigitsData.swift`), so loading needs no file or network.
///
/// ```swift
/// let digits = Digits.load()
/// let (train, test) = digits.split()        // 1,500 / 297, the workload's split
/// var rng = RandomGenerator(seed: 0)
/// let x = uniformDequantize(train.images, levels: Digits.levels, using: &rng)   // [1500, 1, 8, 8] in [0, 1)
/// ```
public struct Digits: Sendable {
    /// The number of grey levels: pixel values are the integers `0..<levels`.
    public static let levels = 17
    /// The number of classes (the digits 0-9).
    public static let classes = 10
    /// Height and width of an image.
    public static let side = 8

    /// `[count, 1, 8, 8]`, values 0...16 as Float.
    public let images: Tensor
    /// The digit shown by each image, 0-9.
    public let labels: [Int]

    /// The number of images.
    public var count: Int { labels.count }

    public init(images: Tensor, labels: [Int]) {
        precondition(images.rank == 4 && images.shape[0] == labels.count,
                     "Digits: \(labels.count) labels for images of shape \(images.shape)")
        self.images = images
        self.labels = labels
    }

    /// All 1,797 images in scikit-learn's order.
    public static func load() -> Digits {
        var pixels: [Float] = []
        var labels: [Int] = []
        pixels.reserveCapacity(digitsCount * 64)
        labels.reserveCapacity(digitsCount)
        for line in digitsEncoded.utf8.split(separator: UInt8(ascii: "\n")) {
            let chars = Array(line)
            precondition(chars.count == 65, "Digits: a corrupt line of \(chars.count) characters in DigitsData.swift")
            labels.append(Int(chars[0] &- UInt8(ascii: "0")))
            for c in chars[1...] {
                pixels.append(Float(c <= UInt8(ascii: "9") ? c &- UInt8(ascii: "0") : c &- UInt8(ascii: "A") &+ 10))
            }
        }
        precondition(labels.count == digitsCount, "Digits: expected \(digitsCount) images, decoded \(labels.count)")
        return Digits(images: Tensor(shape: [digitsCount, 1, side, side], scalars: pixels), labels: labels)
    }

    /// The images and labels at `indices`, in that order.
    public func subset(_ indices: [Int]) -> Digits {
        Digits(images: images.gather(axis: 0, indices), labels: indices.map { labels[$0] })
    }

    /// The fixed train/test split of the glow-digits workload, the same images
    /// as the peers' scripts use: the order `numpy.random.RandomState(0).permutation(1797)`
    /// (stored with the data); its first `trainCount` images train, the rest
    /// (297 by default) test. Needs all 1,797 images in scikit-learn's order.
    public func split(trainCount: Int = 1500) -> (train: Digits, test: Digits) {
        precondition(count == digitsCount, "Digits.split: the workload split needs all \(digitsCount) images, got \(count) (use split(trainCount:seed:))")
        let chars = Array(digitsWorkloadOrder.utf8.filter { $0 != UInt8(ascii: "\n") })
        let order = stride(from: 0, to: chars.count, by: 3).map { Int(String(decoding: chars[$0..<($0 + 3)], as: UTF8.self), radix: 16)! }
        return split(order: order, trainCount: trainCount)
    }

    /// Another split: a permutation drawn with `RandomGenerator(seed: seed)`;
    /// its first `trainCount` images train, the rest test.
    public func split(trainCount: Int = 1500, seed: UInt64) -> (train: Digits, test: Digits) {
        var rng = RandomGenerator(seed: seed)
        return split(order: rng.permutation(count), trainCount: trainCount)
    }

    private func split(order: [Int], trainCount: Int) -> (train: Digits, test: Digits) {
        precondition(trainCount > 0 && trainCount < count, "Digits.split: trainCount \(trainCount) must lie in 1..<\(count)")
        return (subset(Array(order[..<trainCount])), subset(Array(order[trainCount...])))
    }

    /// One-hot labels, `[count, 10]`: the condition of a class-conditional flow.
    public var oneHotLabels: Tensor { Digits.oneHot(labels) }

    /// One-hot rows for class indices, `[indices.count, classes]`: for example
    /// the condition that asks a class-conditional Glow for chosen digits.
    public static func oneHot(_ indices: [Int], classes: Int = Digits.classes) -> Tensor {
        var v = [Float](repeating: 0, count: indices.count * classes)
        for (i, c) in indices.enumerated() {
            precondition(c >= 0 && c < classes, "oneHot: class \(c) is out of range 0..<\(classes)")
            v[i * classes + c] = 1
        }
        return Tensor(shape: [indices.count, classes], scalars: v)
    }
}
