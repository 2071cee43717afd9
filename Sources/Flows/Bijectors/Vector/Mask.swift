/// A binary mask over the features of a `[batch, d]` tensor, for coupling
/// layers: features where the mask is 1 pass through unchanged and condition
/// the transformation of the others.
public struct Mask: Sendable, Equatable {
    public let values: [Float]

    public init(_ values: [Float]) {
        precondition(values.allSatisfy { $0 == 0 || $0 == 1 }, "Mask: entries must be 0 or 1, got \(values)")
        precondition(values.contains(0) && values.contains(1), "Mask: needs both zeros and ones, got \(values)")
        self.values = values
    }

    /// `1, 0, 1, 0, ...` (parity 0) or `0, 1, 0, 1, ...` (parity 1).
    public static func alternating(_ d: Int, parity: Int = 0) -> Mask {
        Mask((0..<d).map { ($0 + parity) % 2 == 0 ? 1 : 0 })
    }

    /// Ones on the first half of the features (or the second when `first` is false).
    public static func halves(_ d: Int, first: Bool = true) -> Mask {
        Mask((0..<d).map { ($0 < d / 2) == first ? 1 : 0 })
    }

    /// The mask with zeros and ones swapped.
    public var complement: Mask { Mask(values.map { 1 - $0 }) }

    public var count: Int { values.count }
    var tensor: Tensor { Tensor(values) }
    var complementTensor: Tensor { Tensor(values.map { 1 - $0 }) }

    func check(_ x: Tensor, _ layer: String) {
        precondition(x.rank == 2 && x.shape[1] == count,
                     "\(layer): input \(x.shape) does not match a mask of length \(count) (expected [batch, \(count)])")
    }
}
